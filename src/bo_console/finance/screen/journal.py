"""The Journal tab: every entry, newest first, with the entry actions and the import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError
from bo_console.finance.journal import ENTRY_STATES, JournalFilter, entry_number_text
from bo_console.finance.screen.common import JOURNAL, SOURCE_DOCUMENTS
from bo_console.finance.sources.journal import journal_source, refilter_journal
from bo_console.ui.kit.actions import ServiceAction, read, run_action
from bo_console.ui.kit.events import announce
from bo_console.ui.kit.form import FormField, FormScreen, date_check, one_of
from bo_console.ui.kit.jobs import JobStrip, Progress
from bo_console.ui.kit.list_pane import ListPane, Row
from bo_console.ui.kit.notify import show_error

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.interchange import ImportResult
    from bo_console.finance.ledger import EntryView
    from bo_console.ui.app import BoApp
    from bo_console.ui.kit.record_dialog import Choice

POST = "finance.post"


class JournalPane(ListPane):
    """The journal as a virtual table, newest first, with the entry actions."""

    BINDINGS = [
        Binding("n", "new_entry", "New", id="finance.journal.new", tooltip="New journal entry"),
        Binding("p", "post_entry", "Post", id="finance.journal.post", tooltip="Post a draft"),
        Binding(
            "v",
            "reverse_entry",
            "Reverse",
            id="finance.journal.reverse",
            tooltip="Reverse a posted entry (asks the date)",
        ),
        Binding("e", "edit_entry", "Edit", id="finance.journal.edit", tooltip="Edit a draft"),
        Binding(
            "d",
            "delete_entry",
            "Delete",
            id="finance.journal.delete",
            show=False,
            tooltip="Delete a draft",
        ),
        Binding(
            "f",
            "filter_form",
            "Filter dates",
            id="finance.journal.filter",
            tooltip="Filter by date range, account and state",
        ),
        Binding(
            "i",
            "import_journal",
            "Import",
            id="finance.journal.import",
            show=False,
            tooltip="Import a journal CSV (ours or hledger's) in the background",
        ),
    ]

    PERMS = {
        "new_entry": POST,
        "post_entry": POST,
        "reverse_entry": POST,
        "edit_entry": POST,
        "delete_entry": POST,
        "import_journal": POST,
    }
    LISTENS = frozenset({JOURNAL})

    def __init__(self, app: BoApp) -> None:
        source, currency = journal_source(app.store, app.actor)
        self.currency = currency
        self.journal_filter = JournalFilter()
        super().__init__(
            source,
            name="journal",
            title="Journal",
            exporter=self._export,
            filter_hint="entry number (2026-000123), draft (#7), or text in the memo or reference",
            id="journal-pane",
        )

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield JobStrip(busy_message="a journal import is still running", id="journal-import")

    def _export(self, path: Path, fmt: str) -> int:
        from bo_console.core import io

        rows = [
            {
                "number": entry_number_text(int(r["number"])),
                "date": r["date"],
                "state": r["state"],
                "source": r["source"],
                "source_ref": r["source_ref"],
                "total": self.currency.from_minor(int(r["total"])),
                "memo": r["memo"],
                "created_by": r["created_by"],
            }
            for r in self.source.iter_rows()
        ]
        columns = ["number", "date", "state", "source", "source_ref", "total", "memo", "created_by"]
        io.write_file(rows, columns, path, fmt)
        return len(rows)

    def _view(self, entry: int | str) -> EntryView | None:
        from bo_console.finance import service

        return read(self, lambda s, a: service.get_entry(s, a, entry))

    def _current_view(self) -> EntryView | None:
        key = self.current_key()
        return None if key is None else self._view(int(key))

    # -- opening -----------------------------------------------------------------------------

    def open_row(self, key: str, row: Row) -> None:
        self.open_entry(int(key))

    def open_entry(self, entry: int | str) -> None:
        """Show one entry; what the person chooses there runs here."""
        from bo_console.finance.screen.entry_dialog import EntryScreen, entry_actions

        view = self._view(entry)
        if view is None:
            return

        def chosen(choice: Choice | None) -> None:
            if choice is None:
                return
            if choice.action == "open":
                self.open_entry(choice.ref)
            elif choice.action == "source":
                from bo_console.finance.screen import FinanceScreen

                screen = self.screen
                if isinstance(screen, FinanceScreen):
                    screen.open_source(SOURCE_DOCUMENTS[view.source], choice.ref)
            elif choice.action == "post":
                self.post(view)
            elif choice.action == "reverse":
                self.reverse(view)
            elif choice.action == "edit":
                self.edit(view)
            elif choice.action == "delete":
                self.delete(view)

        self.app.push_screen(EntryScreen(view, entry_actions(view, self.bo_app.actor)), chosen)

    # -- changing ----------------------------------------------------------------------------

    def _after_change(self, entry_id: int | None, note: str) -> None:
        self.reload()
        if note:
            self.notify(note)
        if entry_id is not None:
            self.open_entry(entry_id)

    def action_new_entry(self) -> None:
        from bo_console.finance.screen.entry_form import EntryForm

        def saved(entry_id: int | None) -> None:
            if entry_id is not None:
                self._after_change(entry_id, "")

        self.app.push_screen(EntryForm(), saved)

    def edit(self, view: EntryView) -> None:
        """Edit a draft in the entry form."""
        from bo_console.finance.screen.entry_form import EntryForm

        if view.state != "draft":
            self.notify(
                f"{view.ref} is {view.state}; only drafts change (correct it with a reversal: v)",
                severity="warning",
            )
            return

        def saved(entry_id: int | None) -> None:
            if entry_id is not None:
                self._after_change(entry_id, f"saved {view.ref}")

        self.app.push_screen(EntryForm(view), saved)

    def action_edit_entry(self) -> None:
        view = self._current_view()
        if view is not None:
            self.edit(view)

    def post(self, view: EntryView) -> None:
        """Post a draft: the service checks it, the person confirms, then it is posted."""
        from bo_console.finance import service

        run_action(
            self,
            ServiceAction(
                "Post entry",
                "Post",
                work=lambda s, a: service.post_draft(s, a, view.id).ref,
                message=(
                    f"Post {view.ref} dated {view.date.isoformat()} for {view.total:,} "
                    f"{self.currency.code} ({len(view.lines)} lines)? It gets the next entry "
                    f"number of {view.date.year} and can no longer be changed; a correction is "
                    "a reversal."
                ),
                done=lambda ref: self._after_change(None, f"posted {ref}"),
            ),
        )

    def action_post_entry(self) -> None:
        view = self._current_view()
        if view is not None:
            self.post(view)

    def reverse(self, view: EntryView) -> None:
        """Ask the reversal's date and memo, then (checked and confirmed) post the reversal."""
        from bo_console.finance import service

        app = self.bo_app

        def day_check(text: str) -> str | None:
            problem = date_check(text)
            if problem:
                return problem
            period = service.period_of(parse_date(text))
            with app.store.read() as session:
                closed = service.is_closed(session, period)
            return f"{period} is closed; choose a date in an open month" if closed else None

        def submit(values: dict[str, str]) -> tuple[date, str]:
            return parse_date(values["date"]), values["memo"]

        def asked(answer: tuple[date, str] | None) -> None:
            if answer is None:
                return
            day, memo = answer
            run_action(
                self,
                ServiceAction(
                    "Reverse entry",
                    "Reverse",
                    work=lambda s, a: (
                        service.reverse_entry(s, a, view.id, on=day, memo=memo or None).ref
                    ),
                    message=(
                        f"Post a reversal of {view.ref} dated {day.isoformat()}? It swaps the "
                        f"debits and credits of {view.total:,} {self.currency.code}; {view.ref} "
                        "becomes reversed. This cannot be undone."
                    ),
                    done=lambda ref: self._after_change(None, f"reversed {view.ref} with {ref}"),
                ),
            )

        form = FormScreen(
            f"Reverse {view.ref}",
            [
                FormField(
                    "date",
                    "Reversal date",
                    value=view.date.isoformat(),
                    required=True,
                    check=day_check,
                    help="t, +5, -1m or YYYY-MM-DD; in an open month.",
                ),
                FormField(
                    "memo",
                    "Memo",
                    placeholder=f"Reversal of {view.ref}: {view.memo}"[:60],
                ),
            ],
            submit,
            save_label="Next",
        )
        app.push_screen(form, asked)

    def action_reverse_entry(self) -> None:
        view = self._current_view()
        if view is not None:
            self.reverse(view)

    def delete(self, view: EntryView) -> None:
        """Delete a draft (checked, then confirmed)."""
        from bo_console.finance import service

        def work(session: Session, actor: Actor) -> str:
            service.delete_draft(session, actor, view.id)
            return view.ref

        run_action(
            self,
            ServiceAction(
                "Delete draft",
                "Delete",
                work=work,
                message=f"Delete {view.ref} ({view.memo or 'no memo'})? Its lines go with it.",
                done=lambda ref: self._after_change(None, f"deleted {ref}"),
            ),
        )

    def action_delete_entry(self) -> None:
        view = self._current_view()
        if view is not None:
            self.delete(view)

    # -- filtering ---------------------------------------------------------------------------

    def action_filter_form(self) -> None:
        from bo_console.finance.sources.accounts import AccountFinder

        app = self.bo_app
        current = self.journal_filter
        with app.store.read() as session:
            finder = AccountFinder.load(session)

        def account_check(text: str) -> str | None:
            return None if finder.chart.find(text) else f"no account {text.strip()!r}"

        def submit(values: dict[str, str]) -> JournalFilter:
            flt = JournalFilter(
                date_from=parse_date(values["date_from"]) if values["date_from"] else None,
                date_to=parse_date(values["date_to"]) if values["date_to"] else None,
                account=values["account"],
                state=values["state"],
            )
            refilter_journal(app.store, self.source, flt)
            self.source.set_filter(values["text"])
            return flt

        form = FormScreen(
            "Filter the journal",
            [
                FormField(
                    "date_from",
                    "From",
                    value=current.date_from.isoformat() if current.date_from else "",
                    check=date_check,
                    placeholder="first date (t, -1m, YYYY-MM-DD)",
                ),
                FormField(
                    "date_to",
                    "To",
                    value=current.date_to.isoformat() if current.date_to else "",
                    check=date_check,
                    placeholder="last date",
                ),
                FormField(
                    "account",
                    "Account",
                    value=current.account,
                    check=account_check,
                    suggestions=[c.code for c in finder.choices],
                    placeholder="code or full name; a group takes the accounts under it",
                ),
                FormField(
                    "state",
                    "State",
                    value=current.state,
                    check=one_of(ENTRY_STATES, "state"),
                    suggestions=ENTRY_STATES,
                    placeholder="draft, posted or reversed",
                ),
                FormField(
                    "text",
                    "Text",
                    value=self.source.filter_text,
                    placeholder="entry number, #draft, or text in the memo",
                    help="Leave every field empty to see the whole journal.",
                ),
            ],
            submit,
            save_label="Filter",
        )

        def applied(flt: JournalFilter | None) -> None:
            if flt is None:
                return
            self.journal_filter = flt
            described = flt.describe()
            self.title = f"Journal [{described}]" if described else "Journal"
            self.table.refresh_data(keep_cursor=False)

        app.push_screen(form, applied)

    # -- importing ---------------------------------------------------------------------------

    def action_import_journal(self) -> None:
        def file_check(text: str) -> str | None:
            return None if Path(text).expanduser().is_file() else f"no file {text}"

        def submit(values: dict[str, str]) -> tuple[Path, bool]:
            return Path(values["path"]).expanduser(), values["mode"] == "check"

        form = FormScreen(
            "Import a journal",
            [
                FormField(
                    "path",
                    "CSV file",
                    required=True,
                    check=file_check,
                    help="Our journal CSV or hledger's (hledger print -O csv). Every row valid, "
                    "or nothing is written.",
                ),
                FormField(
                    "mode",
                    "Mode",
                    value="import",
                    required=True,
                    check=one_of(("import", "check"), "mode"),
                    suggestions=("import", "check"),
                    help="check: read the whole file and report, without writing.",
                ),
            ],
            submit,
            save_label="Start",
        )

        def chosen(answer: tuple[Path, bool] | None) -> None:
            if answer is not None:
                self.start_import(*answer)

        self.app.push_screen(form, chosen)

    def start_import(self, path: Path, dry_run: bool) -> None:
        """Import (or with ``dry_run`` only check) a journal file in the background."""
        strip = self.query_one(JobStrip)
        if not strip.start(f"Importing {path.name}"):
            return
        self.notify(f"importing {path.name} in the background ...")
        app = self.bo_app

        def job(progress: Progress) -> ImportResult:
            from bo_console.finance import interchange

            return interchange.import_journal(
                app.store, app.actor, path, dry_run=dry_run, progress=progress
            )

        def failed(exc: BoError | OSError) -> None:
            from bo_console.core.io import ImportRejected
            from bo_console.ui.widgets.text_viewer import TextViewer

            if isinstance(exc, ImportRejected):
                report = "\n".join([exc.message, "", *exc.report.lines()])
                app.push_screen(TextViewer(f"Import of {path.name}", report))
            else:
                show_error(self, exc)

        def finished(result: ImportResult) -> None:
            self.notify(result.message)
            announce(self, JOURNAL)

        strip.run(job, finished, failed=failed)
