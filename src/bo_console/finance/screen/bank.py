"""The Bank tab: a bank account's statement lines, matched with the ledger.

``i`` imports a statement file (CSV with the bank's saved mapping, or CAMT.053), ``m`` matches
what can be told for sure and posts the lines a rule fits, enter shows a line's suggested
ledger lines (1-3 reconciles with one), ``u`` undoes a line's reconciliation, ``o`` shows all
lines or the open ones only, ``b`` the next bank account. The status line carries the
reconciliation as of today: statement, adjusted and ledger balances and the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from bo_console.ui.base import console_today
from bo_console.ui.kit.actions import ServiceAction, form_action, read, run_action
from bo_console.ui.kit.form import FormField
from bo_console.ui.kit.record_dialog import ActionKey, Choice, RecordDialog, RecordSpec, TableSpec
from bo_console.ui.kit.short_list import ColumnSpec, ListRow, ShortListPane

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.bank import Candidate, LineView

BANK = "finance.bank"
SHOWN = 500
"""Lines the tab lists at most (the open ones first matter; the CLI lists them all)."""


class SuggestionsDialog(RecordDialog[tuple["LineView", list["Candidate"]]]):
    """A statement line and the ledger lines it may be reconciled with; 1-3 picks one."""

    def record_spec(self, view: tuple[LineView, list[Candidate]]) -> RecordSpec:
        line, found = view
        shown = found[:3]
        return RecordSpec(
            header=[
                f"Statement line {line.id}   {line.date}   {line.amount}",
                f"{line.text}  {line.reference}".strip(),
                "Ledger lines of the same amount within 7 days, best first:"
                if shown
                else "No ledger line of the same amount within 7 days.",
            ],
            table=TableSpec(
                (
                    ColumnSpec("#", 2),
                    ColumnSpec("Entry", 12),
                    ColumnSpec("Date", 10),
                    ColumnSpec("Memo", 30),
                    ColumnSpec("Ref", 8),
                    ColumnSpec("Days", 4, right=True),
                ),
                [
                    (n, c.entry, c.date, c.memo[:30], "same" if c.score[0] == 0 else "", c.score[1])
                    for n, c in enumerate(shown, start=1)
                ],
                id="bank-suggestions",
            )  # fmt: skip
            if shown
            else None,
            actions=tuple(
                ActionKey(
                    str(n),
                    "reconcile",
                    f"Take {n}",
                    f"{n} reconcile",
                    ref=c.entry,
                    id=f"finance.bank.take{n}",
                )
                for n, c in enumerate(shown, start=1)
            ),  # fmt: skip
        )


class BankPane(ShortListPane):
    """Statement lines of one bank account, open ones first."""

    BINDINGS = [
        Binding("m", "match", "Match", id="finance.bank.match", tooltip="Match open lines"),
        Binding("i", "import_file", "Import", id="finance.bank.import"),
        Binding("u", "undo", "Undo match", id="finance.bank.undo"),
        Binding("o", "toggle_open", "Open/all", id="finance.bank.open"),
        Binding("b", "next_bank", "Next bank", id="finance.bank.next"),
        Binding("r", "reload", "Refresh", id="finance.bank.refresh"),
    ]
    COLUMNS = (
        ColumnSpec("Id", 6, right=True),
        ColumnSpec("Date", 10),
        ColumnSpec("Amount", 12, right=True),
        ColumnSpec("Text", 22),
        ColumnSpec("Status", 10),
        ColumnSpec("Entry", 13),
    )
    PERMS = {"match": "finance.post", "import_file": "finance.post", "undo": "finance.post"}
    LISTENS = frozenset({BANK})
    TABLE_ID = "bank-table"
    STATUS_ID = "bank-status"

    def __init__(self) -> None:
        super().__init__(id="bank-pane")
        self.banks: list[str] = []
        self.bank = ""
        self.open_only = True
        self.summary = ""

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.finance import bank

        self.banks = [b.code for b in bank.list_bank_accounts(session, actor)]
        if self.bank not in self.banks:
            self.bank = self.banks[0] if self.banks else ""
        if not self.bank:
            self.summary = "No bank account yet (bo finance bank accounts add)"
            return []
        rec = bank.reconciliation(session, actor, self.bank, console_today())
        self.summary = (
            f"difference {rec.difference} · statement {rec.statement_balance} · adjusted "
            f"{rec.adjusted_balance} · ledger {rec.ledger_balance}"
        )
        lines = bank.list_lines(session, actor, self.bank, open_only=self.open_only, limit=SHOWN)
        return [
            ListRow(str(v.id), (v.id, v.date, v.amount, v.text[:22], v.status, v.entry))
            for v in lines
        ]

    def status_text(self, rows: Sequence[ListRow]) -> str:
        if not self.bank:
            return self.summary
        which = "open lines" if self.open_only else "lines"
        return f"{self.bank}: {len(rows):,} {which} · {self.summary}"

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        self.load()

    def action_next_bank(self) -> None:
        if self.banks:
            self.bank = self.banks[(self.banks.index(self.bank) + 1) % len(self.banks)]
            self.load()

    def action_match(self) -> None:
        from bo_console.finance import bank

        if not self.bank:
            return
        code = self.bank

        def work(session: Session, actor: Actor) -> str:
            done = bank.auto_match(session, actor, code)
            return (
                f"matched {done.matched}, posted by rules {done.by_rules}, open {done.still_open}"
            )

        run_action(
            self,
            ServiceAction(
                "Match statement lines", "Match", work=work,
                message=f"Reconcile {code}'s open lines that have one best ledger line, and "
                "post the lines a rule fits?",
                done=self.notify, topics=(BANK, "finance.journal"),
            ),
        )  # fmt: skip

    def action_import_file(self) -> None:
        from pathlib import Path

        from bo_console.core.errors import ValidationFailed
        from bo_console.finance import bank

        if not self.bank:
            return
        code = self.bank

        def action_for(values: dict[str, str]) -> ServiceAction[str]:
            path = Path(values["path"]).expanduser()

            def work(session: Session, actor: Actor) -> str:
                try:
                    content = path.read_bytes()
                except OSError as exc:
                    raise ValidationFailed(f"cannot read {path}: {exc.strerror}") from None
                fmt = "camt053" if path.suffix.lower() == ".xml" else "csv"
                done = bank.import_statement(session, actor, code, content, fmt=fmt)
                if done.already_imported:
                    return f"{path.name} was already imported; nothing changed"
                return f"imported {done.added} lines ({done.skipped} already there)"

            return ServiceAction(
                "Import statement", "Import", work=work,
                message=f"Import {path.name} into {code}?", done=self.notify, topics=(BANK,),
            )  # fmt: skip

        form_action(
            self, "Import statement", [FormField("path", "File", required=True)], action_for
        )

    def action_undo(self) -> None:
        from bo_console.finance import bank

        row = self.selected()
        if row is None or row.values[4] != "reconciled":
            self.notify("pick a reconciled line")
            return
        line_id = int(row.key)
        run_action(
            self,
            ServiceAction(
                "Undo reconciliation", "Undo",
                work=lambda s, a: f"line {bank.unreconcile(s, a, line_id).id} is open again",
                message=f"Make statement line {line_id} open again?",
                done=self.notify, topics=(BANK,),
            ),
        )  # fmt: skip

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_line()

    def open_line(self) -> None:
        """Show the highlighted line's suggestions; a pick reconciles it."""
        from bo_console.finance import bank

        row = self.selected()
        if row is None:
            return
        line_id = int(row.key)

        def load(session: Session, actor: Actor) -> tuple[LineView, list[Candidate]] | None:
            line = next(
                (v for v in bank.list_lines(session, actor, self.bank) if v.id == line_id), None
            )
            return None if line is None else (line, bank.suggestions(session, actor, line_id))

        view = read(self, load)
        if view is None:
            return
        allowed = bank.line_actions(self.bo_app.actor, view[0])

        def chosen(choice: Choice | None) -> None:
            if choice is None or choice.action != "reconcile":
                return
            entry = choice.ref
            run_action(
                self,
                ServiceAction(
                    "Reconcile", "Reconcile",
                    work=lambda s, a: bank.reconcile(s, a, line_id, entry).entry,
                    message=f"Reconcile statement line {line_id} with {entry}?",
                    done=lambda ref: self.notify(f"line {line_id} reconciled with {ref}"),
                    topics=(BANK,),
                ),
            )  # fmt: skip

        self.app.push_screen(SuggestionsDialog(view, allowed), chosen)
