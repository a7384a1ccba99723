"""The Finance screen: journal, chart of accounts, reports and periods, and the Finance inbox.

Thin over ``finance.service``: every change goes through a service function in its own unit of
work, and what the service refuses is shown as it says it. Irreversible steps (post, reverse,
delete a draft, close a period) are first tried in a transaction that is rolled back, so a
refusal shows at once; only then does a dialog say what will happen and ask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import AwaitMount, Widget
from textual.widgets import Button, DataTable, Input, Label, Static, TabbedContent, Tree

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError, FieldError, ValidationFailed
from bo_console.core.paging import Column
from bo_console.finance import sources
from bo_console.finance.sources import (
    ENTRY_STATES,
    AccountFinder,
    AccountNode,
    JournalFilter,
    ListSource,
    ReportKind,
    ReportTable,
)
from bo_console.ui.base import BoScreen, bo_app, console_today
from bo_console.ui.department import DepartmentScreen, ListPane, Tab
from bo_console.ui.widgets.cells import cells
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormField, FormScreen, date_check, one_of
from bo_console.ui.widgets.inputs import FieldInput
from bo_console.ui.widgets.text_viewer import TextViewer
from bo_console.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.finance.ledger import EntryView
    from bo_console.finance.models import EntryCreate, LineCreate
    from bo_console.ui.app import BoApp


def _decimal(value: Any) -> str:
    return f"{value:,}" if isinstance(value, Decimal) else str(value)


def _side(value: Any) -> str:
    """A debit or credit cell: the amount, or nothing when it is zero."""
    return "" if not value else _decimal(value)


def _leaf(value: Any) -> str:
    return str(value).rsplit(":", 1)[-1]


def _say_error(widget: Widget, exc: BoError) -> None:
    widget.notify(exc.message, title=exc.title, severity="error", timeout=8)


def checked_then_confirmed(
    widget: Widget,
    work: Callable[[Session], str],
    *,
    message: str | Callable[[], str],
    title: str,
    confirm_label: str,
    done: Callable[[str], None],
) -> None:
    """Run ``work`` once in a transaction that is rolled back; if the service refuses, say why
    and stop. Otherwise ask (saying what will happen) and, on yes, run it for real."""
    app = bo_app(widget)
    try:
        with app.store.write() as session:
            work(session)
            session.rollback()
    except BoError as exc:
        _say_error(widget, exc)
        return

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        try:
            with app.store.write() as session:
                result = work(session)
        except BoError as exc:
            _say_error(widget, exc)
            return
        done(result)

    text = message() if callable(message) else message
    app.push_screen(ConfirmDialog(text, title=title, confirm_label=confirm_label), answered)


# -- the entry form -----------------------------------------------------------------------------


class EntryLine(Vertical):
    """One line of the entry form: account, debit, credit, memo, and a hint or error under it."""

    DEFAULT_CSS = """
    EntryLine { height: auto; }
    EntryLine > Horizontal { height: 1; }
    EntryLine .line-no { width: 3; color: $text-muted; }
    EntryLine Input { margin-right: 1; background: $boost; }
    EntryLine .account { width: 24; }
    EntryLine .amount { width: 13; }
    EntryLine .memo { width: 1fr; margin-right: 0; }
    EntryLine .line-hint { padding-left: 3; color: $text-muted; height: 1; }
    EntryLine .line-hint.-error { color: $error; }
    """

    def __init__(
        self,
        serial: int,
        suggester: SuggestFromList | None,
        values: tuple[str, str, str, str] = ("", "", "", ""),
    ) -> None:
        super().__init__(id=f"line-{serial}")
        self.serial = serial
        self.suggester = suggester
        self.initial = values
        self.ready = False
        """Composed and mounted (a line added while typing takes a moment to be)."""

    def compose(self) -> ComposeResult:
        n = self.serial
        account, debit, credit, memo = self.initial
        with Horizontal():
            yield Label("", classes="line-no")
            yield FieldInput(
                value=account,
                id=f"account-{n}",
                classes="account",
                placeholder="account",
                compact=True,
                advance_on_enter=True,
                suggester=self.suggester,
            )
            yield FieldInput(
                value=debit,
                id=f"debit-{n}",
                classes="amount",
                placeholder="debit",
                compact=True,
                advance_on_enter=True,
            )
            yield FieldInput(
                value=credit,
                id=f"credit-{n}",
                classes="amount",
                placeholder="credit",
                compact=True,
                advance_on_enter=True,
            )
            yield FieldInput(
                value=memo,
                id=f"memo-{n}",
                classes="memo",
                placeholder="memo",
                compact=True,
                advance_on_enter=True,
                max_length=200,
            )
        hint = Static("", id=f"hint-{n}", classes="line-hint")
        hint.display = False
        yield hint

    def on_mount(self) -> None:
        self.ready = True

    def values(self) -> tuple[str, str, str, str]:
        """Account, debit, credit and memo as typed (trimmed)."""
        n = self.serial
        return cast(
            "tuple[str, str, str, str]",
            tuple(
                self.query_one(f"#{part}-{n}", Input).value.strip()
                for part in ("account", "debit", "credit", "memo")
            ),
        )

    def show(self, text: str, *, error: bool) -> None:
        """Put ``text`` under the line (an error in red, a hint muted; empty hides it)."""
        hint = self.query_one(".line-hint", Static)
        hint.update(Text(text))
        hint.set_class(error, "-error")
        hint.display = bool(text)
        self.query_one(f"#account-{self.serial}", Input).set_class(error, "-invalid")


@dataclass
class _Collected:
    data: EntryCreate
    serials: list[int]
    """The form line each entry line came from (line N of the entry is serials[N-1])."""


class EntryForm(ModalScreen[int | None]):
    """A journal entry: date, memo and lines, with the debit/credit difference as you type.

    ``ctrl+s`` saves it as a draft; ``ctrl+o`` posts it (after the service has checked it, and
    after asking). Dismisses with the entry's id, or None when cancelled.
    """

    DEFAULT_CSS = """
    EntryForm { align: center middle; }
    EntryForm > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    EntryForm .form-title { text-style: bold; }
    EntryForm #entry-head { height: 1; margin-top: 1; }
    EntryForm #entry-head Label { width: auto; padding-right: 1; }
    EntryForm #entry-head Input { background: $boost; margin-right: 2; }
    EntryForm #entry-date { width: 14; }
    EntryForm #entry-memo { width: 1fr; margin-right: 0; }
    EntryForm #entry-date-error { color: $error; height: auto; }
    EntryForm #entry-columns { color: $text-muted; margin-top: 1; }
    EntryForm #entry-lines { height: auto; max-height: 12; }
    EntryForm #entry-totals { margin-top: 1; text-style: bold; }
    EntryForm #entry-message { color: $error; height: auto; }
    EntryForm .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    EntryForm Button { margin-left: 1; }
    EntryForm .keys { color: $text-muted; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save draft", id="entry.save"),
        Binding(
            "ctrl+o",
            "post",
            "Post",
            id="entry.post",
            tooltip="Post the entry (the service checks it first, then you confirm)",
        ),
        Binding("ctrl+n", "add_line", "Add line", id="entry.add-line"),
        Binding("ctrl+r", "remove_line", "Remove line", id="entry.remove-line"),
        Binding("escape", "cancel", "Cancel", id="entry.cancel"),
    ]

    def __init__(self, view: EntryView | None = None, *, lines: int = 2) -> None:
        super().__init__()
        self.view = view
        """The draft being edited, or None for a new entry."""
        self._first_lines = lines
        self._serial = 0
        self.finder: AccountFinder | None = None
        self.currency: Currency | None = None
        self._initial: tuple[object, ...] = ()

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        title = f"Edit {self.view.ref}" if self.view else "New journal entry"
        view = self.view
        with Vertical():
            yield Static(title, classes="form-title")
            with Horizontal(id="entry-head"):
                yield Label("Date")
                yield FieldInput(
                    value=view.date.isoformat() if view else console_today().isoformat(),
                    id="entry-date",
                    compact=True,
                    advance_on_enter=True,
                )
                yield Label("Memo")
                yield FieldInput(
                    value=view.memo if view else "",
                    id="entry-memo",
                    compact=True,
                    advance_on_enter=True,
                    max_length=200,
                    placeholder="what the entry is for",
                )
            yield _hidden(Static("", id="entry-date-error"))
            yield Static(
                "   Account                  Debit         Credit        Memo", id="entry-columns"
            )
            with VerticalScroll(id="entry-lines", can_focus=False):
                yield from self._first_rows()
            yield Static("", id="entry-totals")
            yield _hidden(Static("", id="entry-message"))
            with Horizontal(classes="buttons"):
                yield Button(
                    "Save draft (ctrl+s)", id="entry-save", variant="primary", compact=True
                )
                yield Button("Post (ctrl+o)", id="entry-post", compact=True)
                yield Button("Cancel (esc)", id="entry-cancel", compact=True)
            yield Static(
                "ctrl+n add line · ctrl+r remove line · → completes · dates t, +5, -1m, ISO",
                classes="keys",
            )

    def _first_rows(self) -> list[EntryLine]:
        """The lines the form opens with: the draft's and a blank one, or blank ones."""
        from bo_console.core.money import base_currency

        with bo_app(self).store.read() as session:
            self.finder = AccountFinder.load(session)
            self.currency = base_currency(session)
        self._suggester = SuggestFromList(self.finder.suggestions, case_sensitive=False)
        values: list[tuple[str, str, str, str]] = []
        if self.view is not None:
            values = [
                (line.code, _amount_text(line.debit), _amount_text(line.credit), line.memo)
                for line in self.view.lines
            ]
        values += [("", "", "", "")] * (1 if self.view is not None else self._first_lines)
        rows = []
        for row_values in values:
            self._serial += 1
            rows.append(EntryLine(self._serial, self._suggester, row_values))
        return rows

    def on_mount(self) -> None:
        # The focus is in place before the first frame, so keys typed as soon as the form
        # shows land in the first line (or, editing a draft, the memo).
        target = "#entry-memo" if self.view is not None else f"#account-{self._serial_first}"
        self.query_one(target, Input).focus()
        self.call_after_refresh(self._ready)

    @property
    def _serial_first(self) -> int:
        return min(row.serial for row in self.query(EntryLine))

    def _ready(self) -> None:
        self._initial = self._snapshot()
        self._renumber()
        self._update_totals()

    def _rows(self) -> list[EntryLine]:
        return [row for row in self.query(EntryLine) if row.ready]

    def _add_line(
        self, values: tuple[str, str, str, str] = ("", "", "", "")
    ) -> tuple[EntryLine, AwaitMount]:
        self._serial += 1
        row = EntryLine(self._serial, self._suggester, values)
        return row, self.query_one("#entry-lines", VerticalScroll).mount(row)

    def _renumber(self) -> None:
        for position, row in enumerate(self._rows(), start=1):
            for label in row.query(".line-no"):
                cast("Label", label).update(f"{position:>2}")

    def _snapshot(self) -> tuple[object, ...]:
        head = tuple(
            self.query_one(f"#{i}", Input).value.strip() for i in ("entry-date", "entry-memo")
        )
        return head + tuple(r.values() for r in self._rows() if any(r.values()))

    # -- checks as you type ------------------------------------------------------------------

    def _amount(self, text: str) -> tuple[int, str | None]:
        """(minor units, problem) of an amount field; empty is zero."""
        assert self.currency is not None
        if not text:
            return 0, None
        try:
            value = self.currency.parse(text)
        except ValueError as exc:
            return 0, str(exc)
        if value < 0:
            return 0, "amounts are positive; a negative one goes in the other column"
        return value, None

    def _line_problem(self, row: EntryLine, *, saving: bool) -> str | None:
        assert self.finder is not None
        account, debit_text, credit_text, memo = row.values()
        debit, debit_problem = self._amount(debit_text)
        credit, credit_problem = self._amount(credit_text)
        if debit_problem:
            return f"debit: {debit_problem}"
        if credit_problem:
            return f"credit: {credit_problem}"
        if debit and credit:
            return "give a debit or a credit, not both"
        if account:
            problem = self.finder.problem(account)
            if problem and self.finder.chart.find(account) is None:
                near = self.finder.matches(account)
                if len(near) == 1:
                    return f"{near[0].code} {_leaf(near[0].full_name)}? (tab takes it)"
                if near:
                    return "one of: " + " · ".join(f"{c.code} {_leaf(c.full_name)}" for c in near)
            if problem:
                return problem
        if saving and any((account, debit_text, credit_text, memo)):
            if not account:
                return "account is required"
            if not debit and not credit:
                return "give a debit or a credit (more than zero)"
        return None

    def _check_line(self, row: EntryLine, *, saving: bool = False) -> bool:
        assert self.finder is not None
        problem = self._line_problem(row, saving=saving)
        if problem:
            row.show(problem, error=True)
            return False
        account = row.values()[0]
        row.show(self.finder.describe(account) if account else "", error=False)
        return True

    def _check_date(self) -> date | None:
        text = self.query_one("#entry-date", Input).value.strip()
        problem = date_check(text) if text else "date is required"
        _say(self.query_one("#entry-date-error", Static), problem or "")
        self.query_one("#entry-date", Input).set_class(bool(problem), "-invalid")
        return None if problem else parse_date(text)

    def totals(self) -> tuple[int, int]:
        """Debits and credits of the lines as typed (fields that do not parse count zero)."""
        debit = credit = 0
        for row in self._rows():
            _, debit_text, credit_text, _ = row.values()
            debit += self._amount(debit_text)[0]
            credit += self._amount(credit_text)[0]
        return debit, credit

    def _update_totals(self) -> None:
        if self.currency is None:
            return
        debit, credit = self.totals()
        fmt = self.currency.format
        difference = debit - credit
        text = f"Debits {fmt(debit)}   Credits {fmt(credit)}   "
        if difference == 0:
            text += "balanced" if debit else "Difference 0"
        else:
            side = "more debit" if difference > 0 else "more credit"
            text += f"Difference {fmt(abs(difference))} ({side})"
        self.query_one("#entry-totals", Static).update(text)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if self.finder is None:
            return
        event_id = event.input.id or ""
        _say(self.query_one("#entry-message", Static), "")
        if event_id == "entry-date":
            if event.value.strip():
                self._check_date()
            return
        if event_id == "entry-memo":
            return
        row = next((a for a in event.input.ancestors if isinstance(a, EntryLine)), None)
        if row is None:
            return
        self._check_line(row)
        self._update_totals()
        every = list(self.query(EntryLine))
        if row is every[-1] and event_id.startswith("account-") and event.value.strip():
            # Typing into the last line opens the next one, so there is always a blank line.
            self._add_line()
            self.call_after_refresh(self._renumber)

    @on(Input.Blurred)
    def _left_field(self, event: Input.Blurred) -> None:
        # Leaving an account field that can mean only one account completes it.
        if self.finder is None or not (event.input.id or "").startswith("account-"):
            return
        choice = self.finder.only_match(event.input.value)
        if choice is not None:
            event.input.value = choice.code

    # -- saving ------------------------------------------------------------------------------

    def _collect(self) -> _Collected | None:
        """The entry as typed, or None after showing what is wrong beside the fields."""
        from pydantic import ValidationError

        from bo_console.finance.messages import headline
        from bo_console.finance.models import EntryCreate, LineCreate

        assert self.finder is not None
        day = self._check_date()
        ok = day is not None
        lines: list[LineCreate] = []
        serials: list[int] = []
        for row in self._rows():
            if not self._check_line(row, saving=True):
                ok = False
                continue
            account, debit_text, credit_text, memo = row.values()
            if not account:
                continue
            try:
                line = LineCreate(
                    account=account,
                    debit=self._amount(debit_text)[0],
                    credit=self._amount(credit_text)[0],
                    memo=memo,
                )
            except ValidationError as exc:  # a memo too long, say: in plain words
                row.show(headline(exc), error=True)
                ok = False
                continue
            lines.append(line)
            serials.append(row.serial)
        message = self.query_one("#entry-message", Static)
        if not ok:
            _say(message, "Correct the fields marked in red.")
            return None
        if not lines:
            _say(message, "Add at least one line: an account and a debit or a credit.")
            return None
        assert day is not None
        memo = self.query_one("#entry-memo", Input).value.strip()
        try:
            data = EntryCreate(date=day, memo=memo, lines=lines)
        except ValidationError as exc:
            _say(message, headline(exc))
            return None
        return _Collected(data, serials)

    def _write(self, session: Session, data: EntryCreate, *, post: bool) -> tuple[int, str]:
        """Save (and post) the entry in ``session``; (id, number or draft label)."""
        from bo_console.finance import service

        actor = bo_app(self).actor
        if self.view is not None:
            entry = service.update_draft(session, actor, self.view.id, data)
            if post:
                entry = service.post_draft(session, actor, self.view.id)
        elif post:
            entry = service.post_entry(session, actor, data)
        else:
            entry = service.create_draft(session, actor, data)
        assert entry.id is not None
        return entry.id, entry.ref

    def _show_refusal(self, exc: BoError, serials: list[int]) -> None:
        message = self.query_one("#entry-message", Static)
        if isinstance(exc, ValidationFailed):
            for err in exc.errors:
                words = err.field.split()
                if len(words) >= 2 and words[0] == "line" and words[1].isdigit():
                    index = int(words[1]) - 1
                    if 0 <= index < len(serials):
                        row = self.query_one(f"#line-{serials[index]}", EntryLine)
                        row.show(err.message, error=True)
        _say(message, f"{exc.title}: {exc.message}")

    def action_save(self) -> None:
        collected = self._collect()
        if collected is None:
            return
        try:
            with bo_app(self).store.write() as session:
                entry_id, _ = self._write(session, collected.data, post=False)
        except BoError as exc:
            self._show_refusal(exc, collected.serials)
            return
        self.dismiss(entry_id)

    def action_post(self) -> None:
        collected = self._collect()
        if collected is None:
            return
        app = bo_app(self)
        try:
            with app.store.write() as session:
                self._write(session, collected.data, post=True)
                session.rollback()
        except BoError as exc:
            self._show_refusal(exc, collected.serials)
            return
        assert self.currency is not None
        debit, _ = self.totals()
        data = collected.data
        message = (
            f"Post this entry dated {data.date.isoformat()} for "
            f"{self.currency.format(debit)} {self.currency.code} ({len(data.lines)} lines)? "
            f"It gets the next entry number of {data.date.year} and can no longer be changed; "
            "a correction is a reversal."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                with app.store.write() as session:
                    entry_id, ref = self._write(session, data, post=True)
            except BoError as exc:
                self._show_refusal(exc, collected.serials)
                return
            self.notify(f"posted {ref}")
            self.dismiss(entry_id)

        app.push_screen(ConfirmDialog(message, title="Post entry", confirm_label="Post"), answered)

    async def action_add_line(self) -> None:
        row, mounting = self._add_line()
        # Wait for the mount so that keys typed after ctrl+n (in the same burst) reach the new
        # line, and a ctrl+s in that burst cannot close the form before the line exists.
        await mounting
        self._renumber()
        self.set_focus(self.query_one(f"#account-{row.serial}", Input))  # now, not later

    def action_remove_line(self) -> None:
        focused = self.focused
        row = (
            next((a for a in focused.ancestors if isinstance(a, EntryLine)), None)
            if focused is not None
            else None
        )
        rows = self._rows()
        if row is None or len(rows) <= 1:
            return
        index = rows.index(row)
        neighbour = rows[index + 1] if index + 1 < len(rows) else rows[index - 1]
        self.query_one(f"#account-{neighbour.serial}", Input).focus()
        row.remove()
        self.call_after_refresh(self._renumber)
        self.call_after_refresh(self._update_totals)

    @on(Button.Pressed, "#entry-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#entry-post")
    def _post_pressed(self) -> None:
        self.action_post()

    @on(Button.Pressed, "#entry-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if self._snapshot() == self._initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Discard this entry?",
                title="Unsaved changes",
                confirm_label="Discard",
                cancel_label="Keep editing",
            ),
            answered,
        )


def _hidden(widget: Static) -> Static:
    widget.display = False
    return widget


def _say(target: Static, text: str) -> None:
    """Show ``text`` in a message line (literal, never markup); empty hides the line."""
    target.update(Text(text))
    target.display = bool(text)


def _amount_text(value: Decimal) -> str:
    return "" if not value else str(value)


# -- one entry ----------------------------------------------------------------------------------


SOURCE_DOCUMENTS = {
    "invoice": "sales",
    "credit_note": "sales",
    "bill": "purchases",
    "supplier_credit": "purchases",
    "payment": "payments",
}
"""Entry sources whose document this screen can open, and where it lists them."""


class _RecordScreen(ModalScreen[str | None]):
    """One record in a dialog; its keys dismiss it with what was chosen (None: closed)."""

    def action_choose(self, what: str) -> None:
        self.dismiss(what)

    def action_close(self) -> None:
        self.dismiss(None)


class EntryScreen(_RecordScreen):
    """One entry with its lines and links; dismisses with what to do next (``post``,
    ``reverse``, ``edit``, ``delete``, ``open:<ref>``, ``source:<kind>:<ref>``) or None."""

    DEFAULT_CSS = """
    EntryScreen { align: center middle; }
    EntryScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    EntryScreen #entry-header { height: auto; }
    EntryScreen DataTable { height: auto; max-height: 12; margin-top: 1; }
    EntryScreen .keys { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("p", "choose('post')", "Post", id="entry-view.post"),
        Binding("e", "choose('edit')", "Edit", id="entry-view.edit"),
        Binding("d", "choose('delete')", "Delete", id="entry-view.delete"),
        Binding("v", "choose('reverse')", "Reverse", id="entry-view.reverse"),
        Binding("o", "open_link", "Open linked", id="entry-view.link"),
        Binding("s", "open_source", "Open source", id="entry-view.source"),
        Binding("escape,q", "close", "Close", id="entry-view.close"),
    ]

    def __init__(self, view: EntryView, *, can_post: bool) -> None:
        super().__init__()
        self.view = view
        self.can_post = can_post

    def compose(self) -> ComposeResult:
        v = self.view
        lines = [
            f"Journal entry {v.ref}   {v.date.isoformat()}   {v.state}",
            f"Memo: {v.memo}" if v.memo else "Memo: -",
            f"Source: {v.source}" + (f" {v.source_ref}" if v.source_ref else ""),
        ]
        if v.reverses:
            lines.append(f"Reverses {v.reverses}")
        if v.reversed_by:
            lines.append(f"Reversed by {v.reversed_by}")
        made = f"Made by {v.created_by} {v.created_at:%Y-%m-%d %H:%M}"
        if v.posted_by and v.posted_at is not None:
            made += f" · posted by {v.posted_by} {v.posted_at:%Y-%m-%d %H:%M}"
        lines.append(made)
        lines.append(f"Debits {v.debit:,}   Credits {v.credit:,}")
        with Vertical():
            yield Static(Text("\n".join(lines)), id="entry-header")
            table: DataTable[Any] = DataTable(cursor_type="row", id="entry-lines-table")
            # The console's theme gives tables the whole height; an entry's few lines need less.
            table.styles.height = "auto"
            table.styles.max_height = 12
            table.add_column("#", width=2)
            table.add_column("Account", width=28)
            table.add_column("Debit", width=12)
            table.add_column("Credit", width=12)
            table.add_column("Memo", width=10)
            for line in v.lines:
                table.add_row(
                    *cells(line.line_no, f"{line.code} {_leaf(line.account)}"),
                    Text(_decimal(line.debit) if line.debit else "", justify="right"),
                    Text(_decimal(line.credit) if line.credit else "", justify="right"),
                    *cells(line.memo),
                )
            yield table
            yield Static(self._keys_text(), classes="keys")

    def _keys_text(self) -> str:
        keys = []
        if self.check_action("choose", ("post",)):
            keys += ["p post", "e edit", "d delete"]
        if self.check_action("choose", ("reverse",)):
            keys.append("v reverse")
        if self.check_action("open_link", ()):
            keys.append("o open linked entry")
        if self.check_action("open_source", ()):
            keys.append(f"s open {self.view.source_ref}")
        keys.append("esc close")
        return " · ".join(keys)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.view.state
        if action == "choose":
            if not self.can_post:
                return False
            if parameters and parameters[0] == "reverse":
                # A document's entry is undone through the document (a void), not here.
                from bo_console.finance.models import DOCUMENT_SOURCES

                return state == "posted" and self.view.source not in DOCUMENT_SOURCES
            return state == "draft"
        if action == "open_link":
            return bool(self.view.reverses or self.view.reversed_by)
        if action == "open_source":
            return self.view.source in SOURCE_DOCUMENTS and bool(self.view.source_ref)
        return True

    def action_open_source(self) -> None:
        self.dismiss(f"source:{self.view.source}:{self.view.source_ref}")

    def action_open_link(self) -> None:
        self.dismiss(f"open:{self.view.reversed_by or self.view.reverses}")


# -- the journal tab ----------------------------------------------------------------------------


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
            "Filter by",
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

    POSTING = {"new_entry", "post_entry", "reverse_entry", "edit_entry", "delete_entry"}

    def __init__(self, app: BoApp) -> None:
        source, currency = sources.journal_source(app.store, app.actor)
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

    @property
    def bo_app(self) -> BoApp:
        return bo_app(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.POSTING or action == "import_journal":
            return self.bo_app.actor.can("finance.post")
        return True

    def _export(self, path: Path, fmt: str) -> int:
        from bo_console.core import io

        rows = [
            {
                "number": sources.entry_number_text(int(r["number"])),
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

    def reload(self, *, keep_cursor: bool = True) -> None:
        """Read the journal again (after a change here or elsewhere)."""
        self.table.refresh_data(keep_cursor=keep_cursor)

    def _current_id(self) -> int | None:
        row = self.table.current_row()
        return None if row is None else int(self.source.key_of(row))

    def _view(self, entry_id: int) -> EntryView | None:
        from bo_console.finance import service

        app = self.bo_app
        try:
            with app.store.read() as session:
                return service.get_entry(session, app.actor, entry_id)
        except BoError as exc:
            _say_error(self, exc)
            return None

    # -- opening -----------------------------------------------------------------------------

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.open_entry(int(event.key))

    def open_entry(self, entry: int | str) -> None:
        """Show one entry; what the person chooses there runs here."""
        from bo_console.finance import service

        app = self.bo_app
        try:
            with app.store.read() as session:
                view = service.get_entry(session, app.actor, entry)
        except BoError as exc:
            _say_error(self, exc)
            return

        def chosen(what: str | None) -> None:
            if what is None:
                return
            if what.startswith("open:"):
                self.open_entry(what.removeprefix("open:"))
            elif what.startswith("source:"):
                _, kind, ref = what.split(":", 2)
                screen = self.screen
                if isinstance(screen, FinanceScreen):
                    screen.open_source(SOURCE_DOCUMENTS[kind], ref)
            elif what == "post":
                self.post(view.id)
            elif what == "reverse":
                self.reverse(view)
            elif what == "edit":
                self.edit(view)
            elif what == "delete":
                self.delete(view)

        app.push_screen(EntryScreen(view, can_post=app.actor.can("finance.post")), chosen)

    # -- changing ----------------------------------------------------------------------------

    def _after_change(self, entry_id: int | None, note: str) -> None:
        self.reload()
        if note:
            self.notify(note)
        if entry_id is not None:
            self.open_entry(entry_id)

    def action_new_entry(self) -> None:
        def saved(entry_id: int | None) -> None:
            if entry_id is not None:
                self._after_change(entry_id, "")

        self.app.push_screen(EntryForm(), saved)

    def edit(self, view: EntryView) -> None:
        """Edit a draft in the entry form."""
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
        entry_id = self._current_id()
        view = self._view(entry_id) if entry_id is not None else None
        if view is not None:
            self.edit(view)

    def post(self, entry_id: int) -> None:
        """Post a draft: the service checks it, the person confirms, then it is posted."""
        from bo_console.finance import service

        app = self.bo_app
        view = self._view(entry_id)
        if view is None:
            return

        def work(session: Session) -> str:
            return service.post_draft(session, app.actor, entry_id).ref

        checked_then_confirmed(
            self,
            work,
            message=(
                f"Post {view.ref} dated {view.date.isoformat()} for {view.total:,} "
                f"{self.currency.code} ({len(view.lines)} lines)? It gets the next entry "
                f"number of {view.date.year} and can no longer be changed; a correction is a "
                "reversal."
            ),
            title="Post entry",
            confirm_label="Post",
            done=lambda ref: self._after_change(None, f"posted {ref}"),
        )

    def action_post_entry(self) -> None:
        entry_id = self._current_id()
        if entry_id is not None:
            self.post(entry_id)

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

            def work(session: Session) -> str:
                reversal = service.reverse_entry(
                    session, app.actor, view.id, on=day, memo=memo or None
                )
                return reversal.ref

            checked_then_confirmed(
                self,
                work,
                message=(
                    f"Post a reversal of {view.ref} dated {day.isoformat()}? It swaps the "
                    f"debits and credits of {view.total:,} {self.currency.code}; {view.ref} "
                    "becomes reversed. This cannot be undone."
                ),
                title="Reverse entry",
                confirm_label="Reverse",
                done=lambda ref: self._after_change(None, f"reversed {view.ref} with {ref}"),
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
        entry_id = self._current_id()
        view = self._view(entry_id) if entry_id is not None else None
        if view is not None:
            self.reverse(view)

    def delete(self, view: EntryView) -> None:
        """Delete a draft (checked, then confirmed)."""
        from bo_console.finance import service

        app = self.bo_app

        def work(session: Session) -> str:
            service.delete_draft(session, app.actor, view.id)
            return view.ref

        checked_then_confirmed(
            self,
            work,
            message=f"Delete {view.ref} ({view.memo or 'no memo'})? Its lines go with it.",
            title="Delete draft",
            confirm_label="Delete",
            done=lambda ref: self._after_change(None, f"deleted {ref}"),
        )

    def action_delete_entry(self) -> None:
        entry_id = self._current_id()
        view = self._view(entry_id) if entry_id is not None else None
        if view is not None:
            self.delete(view)

    # -- filtering ---------------------------------------------------------------------------

    def action_filter_form(self) -> None:
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
            sources.refilter_journal(app.store, self.source, flt)
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
                self.notify(f"importing {answer[0].name} in the background ...")
                self._import(*answer)

        self.app.push_screen(form, chosen)

    @work(thread=True, exclusive=True, group="finance-import", exit_on_error=False)
    def _import(self, path: Path, dry_run: bool) -> None:
        from bo_console.core.io import ImportRejected
        from bo_console.finance import interchange

        app = self.bo_app
        try:
            result = interchange.import_journal(app.store, app.actor, path, dry_run=dry_run)
        except ImportRejected as exc:
            report = "\n".join([exc.message, "", *exc.report.lines()])
            app.call_from_thread(app.push_screen, TextViewer(f"Import of {path.name}", report))
            return
        except BoError as exc:
            app.call_from_thread(_say_error, self, exc)
            return
        app.call_from_thread(self._after_change, None, result.message)


# -- accounts -----------------------------------------------------------------------------------

_TREE_WIDTH = 72
_GUIDE = 4


def _node_label(node: AccountNode, depth: int) -> Text:
    side = "Dr" if node.total > 0 else "Cr" if node.total < 0 else "  "
    amount = f"{_decimal(abs(node.total))} {side}"
    # Groups carry an open/close mark two cells wide; leaves do not, so their names get those.
    room = max(10, _TREE_WIDTH - depth * _GUIDE - 19 + (0 if node.children else 2))
    name = f"{node.code} {node.name}" + ("" if node.active else " (inactive)")
    if cell_len(name) > room:
        name = set_cell_size(name, room - 1) + "…"
    else:
        name = set_cell_size(name, room)
    label = Text(name, style="" if node.postable else "bold")
    label.append(f"{amount:>19}")
    if not node.active:
        label.stylize("dim")
    return label


class AccountsPane(Vertical):
    """The chart of accounts as a tree with balances; enter opens an account's ledger."""

    DEFAULT_CSS = """
    AccountsPane { height: 1fr; }
    AccountsPane Tree { height: 1fr; }
    """

    BINDINGS = [
        Binding("enter", "ledger", "Ledger", id="finance.accounts.ledger", show=False),
        Binding("r", "reload", "Refresh", id="finance.accounts.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__(id="accounts-pane")
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("Chart of accounts", classes="status-line", id="accounts-status")
        tree: Tree[AccountNode] = Tree("Chart of accounts", id="account-tree")
        tree.show_root = False
        tree.auto_expand = False
        tree.guide_depth = _GUIDE
        yield tree

    def shown(self) -> None:
        """Load the chart the first time the tab is shown."""
        if not self.loaded:
            self.loaded = True
            self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="finance-accounts", exit_on_error=False)
    def load(self) -> None:
        """Read the chart and its balances (in a worker) and draw the tree."""
        app = bo_app(self)
        day = console_today()
        try:
            with app.store.read() as session:
                nodes, currency = sources.account_tree(session, app.actor, day)
        except BoError as exc:
            app.call_from_thread(_say_error, self, exc)
            return
        app.call_from_thread(self._fill, nodes, currency, day)

    def _fill(self, nodes: list[AccountNode], currency: Currency, day: date) -> None:
        tree = cast("Tree[AccountNode]", self.query_one("#account-tree", Tree))
        tree.clear()

        def add(parent: Any, items: Iterable[AccountNode], depth: int) -> None:
            for node in items:
                label = _node_label(node, depth)
                if node.children:
                    child = parent.add(label, data=node, expand=depth < 1)
                    add(child, node.children, depth + 1)
                else:
                    parent.add_leaf(label, data=node)

        add(tree.root, nodes, 0)
        self.query_one("#accounts-status", Static).update(
            f"Balances at the end of {day.isoformat()} ({currency.code}) · enter: ledger · "
            "space: open/close"
        )

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[AccountNode]) -> None:
        event.stop()
        if event.node.data is not None:
            self.open_ledger(event.node.data)

    def action_ledger(self) -> None:
        tree = cast("Tree[AccountNode]", self.query_one("#account-tree", Tree))
        node = tree.cursor_node
        if node is not None and node.data is not None:
            self.open_ledger(node.data)

    def open_ledger(self, node: AccountNode) -> None:
        today = console_today()
        self.app.push_screen(LedgerScreen(node.code, date(today.year, 1, 1), today))


# -- reports shown as lists ---------------------------------------------------------------------


def _report_columns(kind: str, table: ReportTable) -> list[Column]:
    """How the screen lays a report out at 80 columns (the export keeps every column)."""
    money = _decimal
    if kind == "trial-balance":
        return [
            Column("code", "Code", 6),
            Column("account", "Account", 34, fmt=_leaf),
            Column("debit", "Debit", 16, "right", fmt=_side),
            Column("credit", "Credit", 16, "right", fmt=_side),
        ]
    if kind == "general-ledger":
        return [
            Column("date", "Date", 10),
            Column("number", "Number", 11),
            Column("memo", "Memo", 13),
            Column("debit", "Debit", 12, "right", fmt=_side),
            Column("credit", "Credit", 12, "right", fmt=_side),
            Column("balance", "Balance", 14, "right", fmt=money),
        ]
    if kind == "vat-return":
        return [
            Column("section", "Section", 9),
            Column("tax_code", "Code", 5),
            Column("name", "Name", 22),
            Column("rate", "Rate %", 6, "right", fmt=money),
            Column("net", "Net", 15, "right", fmt=money),
            Column("tax", "Tax", 15, "right", fmt=money),
        ]
    if kind.startswith("aged-") and "document" in table.columns:
        return [
            Column("party", "Party", 6),
            Column("document", "Document", 14),
            Column("due_date", "Due", 10),
            Column("days_overdue", "Days", 5, "right"),
            Column("total", "Open", 13, "right", fmt=money),
            Column("balance", "Balance", 13, "right", fmt=money),
        ]
    if kind.startswith("aged-"):
        # Nine columns do not fit in 80: the party by code (enter opens its documents);
        # the export has the names and every column.
        return [
            Column("party", "Party", 6),
            Column("current", "Current", 12, "right", fmt=_side),
            Column("d1_30", "1-30", 10, "right", fmt=_side),
            Column("d31_60", "31-60", 10, "right", fmt=_side),
            Column("d61_90", "61-90", 10, "right", fmt=_side),
            Column("d90_plus", "90+", 10, "right", fmt=_side),
            Column("balance", "Balance", 12, "right", fmt=money),
        ]
    columns = [
        Column("code", "Code", 6),
        Column("account", "Account", 36 if "previous" in table.columns else 50, fmt=_leaf),
        Column("amount", "Amount", 16, "right", fmt=money),
    ]
    if "previous" in table.columns:
        columns.append(Column("previous", "Previous", 16, "right", fmt=money))
    return columns


def _fit_to_rows(columns: list[Column], rows: list[dict[str, Any]]) -> list[Column]:
    """Amount columns exactly as wide as their widest value, so no amount is ever cut short
    (a cut figure misleads); text columns give up, or take, the difference, widest first."""
    budget = sum(c.width for c in columns)
    fitted = [
        replace(c, width=max([cell_len(c.title), *(cell_len(c.text(r.get(c.key))) for r in rows)]))
        if c.align == "right"
        else c
        for c in columns
    ]
    texts = [i for i, c in enumerate(fitted) if c.align != "right"]
    spare = budget - sum(c.width for c in fitted)
    if spare > 0 and texts:
        widest = max(texts, key=lambda i: fitted[i].width)
        fitted[widest] = replace(fitted[widest], width=fitted[widest].width + spare)
    while spare < 0:
        shrinkable = [i for i in texts if fitted[i].width > _MIN_TEXT_WIDTH]
        if not shrinkable:
            break  # amounts win: the line runs past the right edge rather than cut a figure
        widest = max(shrinkable, key=lambda i: fitted[i].width)
        fitted[widest] = replace(fitted[widest], width=fitted[widest].width - 1)
        spare += 1
    return fitted


_MIN_TEXT_WIDTH = 8


def _report_exporter(table: ReportTable) -> Callable[[Path, str], int]:
    def export(path: Path, fmt: str) -> int:
        from bo_console.core import io

        io.write_file(table.rows, table.columns, path, fmt)
        return len(table.rows)

    return export


def report_pane(kind: str, table: ReportTable, *, name: str, title: str = "") -> ListPane:
    """A list over a report's rows (totals included), exporting what the CLI writes."""
    source = ListSource(table.shown, _fit_to_rows(_report_columns(kind, table), table.shown))
    return ListPane(
        source,
        name=name,
        title=title or table.title,
        exporter=_report_exporter(table),
        filter_hint="words in the rows",
        id="report-list",
    )


class LedgerScreen(BoScreen):
    """The general ledger of one account: opening balance, postings with a running balance."""

    SCREEN_TITLE = "Finance · general ledger"
    HELP = (
        "The postings of one account (and the accounts under it) between two dates, each with "
        "the balance after it. f changes the dates, enter opens the entry, x exports the rows "
        "as the CLI's report does, escape goes back."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="ledger.back"),
        Binding("f", "dates", "Dates", id="ledger.dates", tooltip="Change the date range"),
    ]

    def __init__(self, account: str, date_from: date, date_to: date) -> None:
        super().__init__()
        self.account = account
        self.date_from = date_from
        self.date_to = date_to

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ledger-title", classes="section-title")
        yield Vertical(id="ledger-body")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="finance-ledger", exit_on_error=False)
    def load(self) -> None:
        """Run the general ledger report in a worker and show it."""
        from bo_console.finance import reports

        app = bo_app(self)
        try:
            with app.store.read() as session:
                gl = reports.general_ledger(
                    session, app.actor, self.account, self.date_from, self.date_to
                )
        except BoError as exc:
            app.call_from_thread(_say_error, self, exc)
            return
        app.call_from_thread(self.call_later, self._show, sources.general_ledger_table(gl))

    async def _show(self, table: ReportTable) -> None:
        self.query_one("#ledger-title", Static).update(Text(table.title))
        body = self.query_one("#ledger-body", Vertical)
        await body.remove_children()
        span = f"{self.date_from.isoformat()}..{self.date_to.isoformat()}"
        pane = report_pane(
            "general-ledger", table, name=f"ledger-{self.account}", title=f"Ledger {span}"
        )
        await body.mount(pane)
        pane.table.focus()

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        number = event.row.get("number")
        if number:
            _open_entry_anywhere(self, str(number))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_dates(self) -> None:
        def submit(values: dict[str, str]) -> tuple[date, date]:
            start, end = parse_date(values["from"]), parse_date(values["to"])
            if start > end:
                raise ValidationFailed("", [_field_error("from", "after the last date")])
            return start, end

        def chosen(answer: tuple[date, date] | None) -> None:
            if answer is not None:
                self.date_from, self.date_to = answer
                self.load()

        self.app.push_screen(
            FormScreen(
                f"General ledger of {self.account}",
                [
                    FormField(
                        "from",
                        "From",
                        value=self.date_from.isoformat(),
                        required=True,
                        check=date_check,
                    ),
                    FormField(
                        "to",
                        "To",
                        value=self.date_to.isoformat(),
                        required=True,
                        check=date_check,
                    ),
                ],
                submit,
                save_label="Show",
            ),
            chosen,
        )


def _field_error(name: str, message: str) -> FieldError:
    return FieldError(name, message)


def _open_entry_anywhere(widget: Widget, ref: str) -> None:
    """Open an entry from a report: read-only, unless the journal tab is there to act on it."""
    from bo_console.finance import service

    app = bo_app(widget)
    journal = app.query("#journal-pane")
    for screen in app.screen_stack:
        found = screen.query("#journal-pane")
        if found:
            journal = found
    if journal:
        journal.first(JournalPane).open_entry(ref)
        return
    try:
        with app.store.read() as session:
            view = service.get_entry(session, app.actor, ref)
    except BoError as exc:
        _say_error(widget, exc)
        return
    app.push_screen(EntryScreen(view, can_post=False))


# -- the reports tab ----------------------------------------------------------------------------


def _period_check(text: str) -> str | None:
    from bo_console.finance.ledger import parse_period

    try:
        parse_period(text)
    except BoError as exc:
        return exc.message
    return None


MENU = {
    "trial-balance": "t trial balance",
    "income-statement": "i income statement",
    "balance-sheet": "b balance sheet",
    "general-ledger": "l ledger",  # (g moves to the first row of a list)
    "vat-return": "v VAT return",
    "aged-receivables": "a aged receivables",
    "aged-payables": "p aged payables",
}
"""The Reports tab's keys, as its menu line shows them."""


class ReportsPane(Vertical, can_focus=True):
    """Pick a report and its dates, see it as a list, export it as the CLI would."""

    DEFAULT_CSS = """
    ReportsPane { height: 1fr; }
    ReportsPane #report-menu { color: $text-muted; padding: 0 1; height: auto; }
    ReportsPane #report-note { color: $text-muted; padding: 0 1; height: 1; }
    ReportsPane #report-body { height: 1fr; }
    """

    BINDINGS = [
        Binding("t", "report('trial-balance')", "Trial balance", id="finance.reports.tb"),
        Binding("i", "report('income-statement')", "Income stmt", id="finance.reports.is"),
        Binding("b", "report('balance-sheet')", "Balance sheet", id="finance.reports.bs"),
        Binding("l", "report('general-ledger')", "Ledger", id="finance.reports.gl"),
        Binding("v", "report('vat-return')", "VAT return", id="finance.reports.vat"),
        Binding("a", "report('aged-receivables')", "Aged AR", id="finance.reports.ar"),
        Binding("p", "report('aged-payables')", "Aged AP", id="finance.reports.ap"),
        Binding(
            "c",
            "change",
            "Dates",
            id="finance.reports.change",
            tooltip="Change the dates of the report shown",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="reports-pane")
        self.kinds = {k.key: k for k in sources.REPORTS}
        self.current: str | None = None
        self.args: dict[str, Any] = {}
        self.table: ReportTable | None = None

    def compose(self) -> ComposeResult:
        menu = " · ".join(MENU[k.key] for k in sources.REPORTS if k.key in MENU)
        yield Static(f"{menu} · c dates", id="report-menu")
        yield Static("Pick a report with its key.", id="report-note")
        yield Vertical(id="report-body")

    def _defaults(self) -> dict[str, str]:
        today = console_today()
        return {
            "as_of": today.isoformat(),
            "date_from": date(today.year, 1, 1).isoformat(),
            "date_to": today.isoformat(),
            "compare": "no",
            "account": "",
            "period": f"{today:%Y-%m}",
            "detail": "no",
        }

    def action_report(self, key: str) -> None:
        """Ask the dates of report ``key`` (prefilled with the last ones), then run it."""
        kind = self.kinds[key]
        typed = {**self._defaults(), **self.args.get("_typed", {})}
        labels = {
            "as_of": "As of",
            "date_from": "From",
            "date_to": "To",
            "compare": "Compare",
            "account": "Account",
            "period": "Month",
            "detail": "Detail",
        }
        helps = {
            "compare": "yes: beside the previous period of the same length.",
            "detail": "yes: one row per document.",
        }
        fields = []
        for name in kind.fields:
            if name in ("compare", "detail"):
                fields.append(
                    FormField(
                        name,
                        labels[name],
                        value=typed[name],
                        check=one_of(("yes", "no"), "answer"),
                        suggestions=("yes", "no"),
                        help=helps[name],
                    )
                )
            elif name == "period":
                fields.append(
                    FormField(
                        name,
                        labels[name],
                        value=typed[name],
                        required=True,
                        check=_period_check,
                        placeholder="YYYY-MM",
                    )
                )
            elif name == "account":
                fields.append(FormField(name, labels[name], value=typed[name], required=True))
            else:
                fields.append(
                    FormField(
                        name, labels[name], value=typed[name], required=True, check=date_check
                    )
                )

        def submit(values: dict[str, str]) -> dict[str, Any]:
            args: dict[str, Any] = {"_typed": values}
            for name, text in values.items():
                if name in ("as_of", "date_from", "date_to"):
                    args[name] = parse_date(text)
                elif name in ("compare", "detail"):
                    args[name] = text == "yes"
                else:
                    args[name] = text
            return args

        def chosen(args: dict[str, Any] | None) -> None:
            if args is not None:
                self.current = key
                self.args = args
                self.run()

        self.app.push_screen(FormScreen(kind.name, fields, submit, save_label="Show"), chosen)

    def action_change(self) -> None:
        if self.current is not None:
            self.action_report(self.current)

    def show_report(self, key: str, **args: Any) -> None:
        """Run report ``key`` with ``args`` (dates as ``date``) without asking."""
        self.current = key
        self.args = dict(args)
        self.run()

    @work(thread=True, exclusive=True, group="finance-report", exit_on_error=False)
    def run(self) -> None:
        """Run the current report in a worker (big ledgers take a moment) and show it."""
        if self.current is None:
            return
        kind: ReportKind = self.kinds[self.current]
        app = bo_app(self)
        app.call_from_thread(self._note, f"running {kind.name.lower()} ...")
        try:
            with app.store.read() as session:
                table = kind.run(session, app.actor, self.args)
        except BoError as exc:
            app.call_from_thread(self._note, f"{exc.title}: {exc.message}")
            app.call_from_thread(_say_error, self, exc)
            return
        app.call_from_thread(self.call_later, self._show, kind.key, table)

    def _note(self, text: str) -> None:
        self.query_one("#report-note", Static).update(Text(text))

    async def _show(self, key: str, table: ReportTable) -> None:
        self.table = table
        self._note(table.note or "")
        body = self.query_one("#report-body", Vertical)
        await body.remove_children()
        pane = report_pane(key, table, name=key)
        await body.mount(pane)
        pane.table.focus()

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        row = event.row
        if row.get("number"):
            _open_entry_anywhere(self, str(row["number"]))
        elif row.get("code") and self.current in ("trial-balance", "balance-sheet"):
            as_of: date = self.args.get("as_of", console_today())
            self.app.push_screen(LedgerScreen(str(row["code"]), date(as_of.year, 1, 1), as_of))
        elif row.get("code") and self.current == "income-statement":
            self.app.push_screen(
                LedgerScreen(str(row["code"]), self.args["date_from"], self.args["date_to"])
            )
        elif row.get("party") and self.current in ("aged-receivables", "aged-payables"):
            side = "sales" if self.current == "aged-receivables" else "purchases"
            screen = self.screen
            if isinstance(screen, FinanceScreen):
                screen.show_documents(side, str(row["party"]), str(row.get("document") or ""))


# -- periods ------------------------------------------------------------------------------------


class PeriodsPane(Vertical):
    """The months of a year, open or closed; managers close them, admins reopen them."""

    DEFAULT_CSS = """
    PeriodsPane { height: 1fr; }
    """

    BINDINGS = [
        Binding("c", "close_period", "Close month", id="finance.periods.close"),
        Binding("u", "reopen_period", "Reopen", id="finance.periods.reopen"),
        Binding("left_square_bracket", "year(-1)", "Year -1", id="finance.periods.prev"),
        Binding("right_square_bracket", "year(1)", "Year +1", id="finance.periods.next"),
        Binding("r", "reload", "Refresh", id="finance.periods.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__(id="periods-pane")
        self.year = console_today().year
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("", classes="status-line", id="periods-status")
        table: DataTable[Any] = DataTable(cursor_type="row", zebra_stripes=True, id="periods-table")
        for title, width in (
            ("Month", 8),
            ("Status", 7),
            ("Posted", 9),
            ("Drafts", 7),
            ("Changed by", 12),
            ("Changed at (UTC)", 17),
        ):
            table.add_column(title, width=width)
        yield table

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = bo_app(self).actor
        if action == "close_period":
            return actor.can("finance.manage")
        if action == "reopen_period":
            return "admin" in actor.roles
        return True

    def shown(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.load()

    def action_reload(self) -> None:
        self.load()

    def action_year(self, step: int) -> None:
        self.year += step
        self.load()

    @work(thread=True, exclusive=True, group="finance-periods", exit_on_error=False)
    def load(self) -> None:
        """Read the year's months and their entry counts (in a worker: it counts entries)."""
        from bo_console.finance import service

        app = bo_app(self)
        year = self.year
        try:
            with app.store.read() as session:
                periods = service.list_periods(session, app.actor, year=year)
        except BoError as exc:
            app.call_from_thread(_say_error, self, exc)
            return
        app.call_from_thread(self._fill, year, periods)

    def _fill(self, year: int, periods: list[Any]) -> None:
        table = self.query_one("#periods-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for p in periods:
            table.add_row(
                *cells(p.period, p.status),
                Text(f"{p.posted:,}", justify="right"),
                Text(f"{p.drafts:,}", justify="right"),
                *cells(
                    p.changed_by, p.changed_at.strftime("%Y-%m-%d %H:%M") if p.changed_at else ""
                ),
                key=p.period,
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        keys = ["[ ] year"]
        if self.check_action("close_period", ()):
            keys.append("c close")
        if self.check_action("reopen_period", ()):
            keys.append("u reopen")
        self.query_one("#periods-status", Static).update(
            f"Fiscal periods of {year} · " + " · ".join(keys)
        )

    def _selected(self, wanted: str) -> str | None:
        """The highlighted month if its status is ``wanted``; otherwise say so."""
        table = self.query_one("#periods-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return None
        status = str(table.get_row(key)[1])
        if status != wanted:
            self.notify(f"{key} is already {status}; nothing to do")
            return None
        return str(key)

    def action_close_period(self) -> None:
        from bo_console.finance import service

        period = self._selected("open")
        if period is None:
            return
        app = bo_app(self)

        def work(session: Session) -> str:
            changed = service.close_period(session, app.actor, period)
            return f"closed {period}" if changed else f"{period} was already closed"

        checked_then_confirmed(
            self,
            work,
            message=(
                f"Close {period}? Nothing can be posted into it afterwards (nor reversed into "
                "it); only an admin can reopen it."
            ),
            title="Close period",
            confirm_label="Close month",
            done=self._changed,
        )

    def action_reopen_period(self) -> None:
        from bo_console.finance import service

        period = self._selected("closed")
        if period is None:
            return
        app = bo_app(self)

        def work(session: Session) -> str:
            changed = service.reopen_period(session, app.actor, period, reason="from the console")
            return f"reopened {period}" if changed else f"{period} is not closed"

        checked_then_confirmed(
            self,
            work,
            message=f"Reopen {period}? Entries can be posted into it again (audited).",
            title="Reopen period",
            confirm_label="Reopen",
            done=self._changed,
        )

    def _changed(self, note: str) -> None:
        self.notify(note)
        self.load()


# -- forms that ask, check, then confirm ------------------------------------------------------


def form_then_confirm(
    widget: Widget,
    *,
    title: str,
    fields: list[FormField],
    work: Callable[[Session, dict[str, str]], str],
    message: Callable[[dict[str, str]], str],
    confirm_title: str,
    confirm_label: str,
    done: Callable[[str], None],
    save_label: str = "Next",
) -> None:
    """Ask with a form; on save, run ``work`` in a transaction that is rolled back, so what the
    service refuses shows beside the fields; then say what will happen, ask, and do it."""
    app = bo_app(widget)

    def submit(values: dict[str, str]) -> dict[str, str]:
        with app.store.write() as session:
            work(session, values)
            session.rollback()
        return values

    def asked(values: dict[str, str] | None) -> None:
        if values is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                with app.store.write() as session:
                    result = work(session, values)
            except BoError as exc:
                _say_error(widget, exc)
                return
            done(result)

        app.push_screen(
            ConfirmDialog(message(values), title=confirm_title, confirm_label=confirm_label),
            answered,
        )

    app.push_screen(FormScreen(title, fields, submit, save_label=save_label), asked)


def _day_or_error(text: str) -> date:
    """A date from a form field, or a field error the form shows beside it."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValidationFailed("", [_field_error("date", str(exc))]) from None


def _amount_or_error(currency: Currency, text: str, name: str) -> int:
    try:
        value = currency.parse(text)
    except ValueError as exc:
        raise ValidationFailed("", [_field_error(name, str(exc))]) from None
    if value <= 0:
        raise ValidationFailed("", [_field_error(name, "give an amount above zero")])
    return value


def _amount_check(currency: Currency) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        try:
            value = currency.parse(text)
        except ValueError as exc:
            return str(exc)
        return None if value > 0 else "give an amount above zero"

    return check


# -- payments -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentPrefill:
    """What a payment form starts with (a receipt for an invoice, say)."""

    direction: str = ""
    party: str = ""
    amount: str = ""
    apply: str = ""


def payment_form(widget: Widget, prefill: PaymentPrefill, done: Callable[[str], None]) -> None:
    """Enter a payment received or made, allocated to documents; checked, then confirmed."""
    from bo_console.core.money import base_currency
    from bo_console.finance import payments
    from bo_console.finance.sources import PartyFinder, parse_apply

    app = bo_app(widget)
    with app.store.read() as session:
        currency = base_currency(session)
        customers = PartyFinder.load(session, app.actor, "customer")
        suppliers = PartyFinder.load(session, app.actor, "supplier")

    def data_of(values: dict[str, str]) -> payments.PaymentCreate:
        direction = values.get("direction") or prefill.direction
        try:
            apply, auto = parse_apply(values["apply"], currency)
        except ValueError as exc:
            raise ValidationFailed("", [_field_error("apply", str(exc))]) from None
        return payments.PaymentCreate(
            direction=direction,
            party=values["party"],
            date=_day_or_error(values["date"]),
            amount=_amount_or_error(currency, values["amount"], "amount"),
            account=values["account"] or None,
            reference=values["reference"],
            memo=values["memo"],
            apply=apply,
            auto=auto,
        )

    def work(session: Session, values: dict[str, str]) -> str:
        payment = payments.enter_payment(session, app.actor, data_of(values))
        return payment.number

    def message(values: dict[str, str]) -> str:
        data = data_of(values)
        what = "received from" if data.direction == "received" else "paid to"
        applied = values["apply"] or "nothing (it stays on the party's account)"
        return (
            f"Post {currency.format(data.amount)} {currency.code} {what} {data.party} on "
            f"{data.date.isoformat()}, applied to {applied}? A payment is posted at once; only "
            "a manager can void it."
        )

    fields: list[FormField] = []
    if not prefill.direction:
        fields.append(
            FormField(
                "direction",
                "Direction",
                value="received",
                required=True,
                check=one_of(("received", "made"), "direction"),
                suggestions=("received", "made"),
                help="received: from a customer; made: to a supplier.",
            )
        )
    names = (
        customers.suggestions
        if prefill.direction == "received"
        else suppliers.suggestions
        if prefill.direction == "made"
        else customers.suggestions + suppliers.suggestions
    )
    fields += [
        FormField("party", "Party", value=prefill.party, required=True, suggestions=names),
        FormField(
            "date", "Date", value=console_today().isoformat(), required=True, check=date_check
        ),
        FormField(
            "amount",
            "Amount",
            value=prefill.amount,
            required=True,
            check=_amount_check(currency),
        ),
        FormField("account", "Bank account", placeholder="the main bank account"),
        FormField("reference", "Reference", placeholder="bank reference or cheque number"),
        FormField("memo", "Memo"),
        FormField(
            "apply",
            "Apply to",
            value=prefill.apply,
            placeholder="INV-2026-00017=500, INV-2026-00018 or auto",
            help="Documents with an amount, or what they owe; auto: oldest due first; "
            "empty: on account.",
        ),
    ]
    title = {"received": "Receive a payment", "made": "Pay a supplier"}.get(
        prefill.direction, "Enter a payment"
    )
    form_then_confirm(
        widget,
        title=title,
        fields=fields,
        work=work,
        message=message,
        confirm_title="Post payment",
        confirm_label="Post",
        done=done,
    )


class PaymentScreen(_RecordScreen):
    """One payment with its allocations; dismisses with ``allocate``, ``void``,
    ``entry:<ref>`` or None."""

    DEFAULT_CSS = """
    PaymentScreen { align: center middle; }
    PaymentScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    PaymentScreen .keys { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("a", "choose('allocate')", "Allocate", id="payment-view.allocate"),
        Binding("v", "choose('void')", "Void", id="payment-view.void"),
        Binding("o", "open_entry", "Open entry", id="payment-view.entry"),
        Binding("escape,q", "close", "Close", id="payment-view.close"),
    ]

    def __init__(self, view: Any, *, can_post: bool, can_manage: bool) -> None:
        super().__init__()
        self.view = view
        self.can_post = can_post
        self.can_manage = can_manage

    def compose(self) -> ComposeResult:
        v, r = self.view, self.view.row
        what = "Received from" if r.direction == "received" else "Paid to"
        lines = [
            f"Payment {r.number}   {r.date.isoformat()}   {r.status}",
            f"{what} {r.party} {r.party_name}",
            f"Amount {r.amount:,} · allocated {r.allocated:,} · on account {r.unallocated:,}",
            f"Bank account {r.account}" + (f" · reference {r.reference}" if r.reference else ""),
        ]
        if v.memo:
            lines.append(f"Memo: {v.memo}")
        voided = f" · void {v.void_entry}" if v.void_entry else ""
        lines.append(f"Journal entry {v.entry}{voided}")
        with Vertical():
            yield Static(Text("\n".join(lines)))
            table: DataTable[Any] = DataTable(cursor_type="row")
            table.styles.height = "auto"
            table.styles.max_height = 10
            for title, width in (("Document", 15), ("Dated", 10), ("Allocated on", 12)):
                table.add_column(title, width=width)
            table.add_column("Amount", width=14)
            for a in v.allocations:
                table.add_row(
                    *cells(a.document, a.document_date, a.date),
                    Text(_decimal(a.amount), justify="right"),
                )
            yield table
            keys = []
            if self.check_action("choose", ("allocate",)):
                keys.append("a allocate")
            if self.check_action("choose", ("void",)):
                keys.append("v void")
            yield Static(" · ".join([*keys, "o open entry", "esc close"]), classes="keys")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            r = self.view.row
            if parameters and parameters[0] == "void":
                return self.can_manage and r.status == "posted"
            return self.can_post and r.status == "posted" and bool(r.unallocated)
        return True

    def action_open_entry(self) -> None:
        self.dismiss(f"entry:{self.view.entry}")


class PaymentsPane(ListPane):
    """Payments received and made; enter one, allocate what it holds, void it."""

    BINDINGS = [
        Binding("n", "new_payment", "New", id="finance.payments.new", tooltip="Enter a payment"),
        Binding(
            "a",
            "allocate",
            "Allocate",
            id="finance.payments.allocate",
            tooltip="Allocate what a payment holds on account to documents",
        ),
        Binding(
            "v",
            "void_payment",
            "Void",
            id="finance.payments.void",
            tooltip="Void a payment: its entry is reversed (managers)",
        ),
    ]

    def __init__(self, app: BoApp) -> None:
        source, currency = sources.payment_source(app.store, app.actor)
        self.currency = currency
        super().__init__(
            source,
            name="payments",
            title="Payments",
            filter_hint="party, number, reference or memo",
            id="payments-pane",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = bo_app(self).actor
        if action in ("new_payment", "allocate"):
            return actor.can("finance.post")
        if action == "void_payment":
            return actor.can("finance.manage")
        return True

    def reload(self) -> None:
        self.table.refresh_data()

    def _changed(self, note: str) -> None:
        self.notify(note)
        for pane in self.screen.query("PaymentsPane, DocumentsPane, JournalPane"):
            cast("ListPane", pane).table.refresh_data()

    def _current(self) -> str | None:
        row = self.table.current_row()
        return None if row is None else str(row["number"])

    def action_new_payment(self) -> None:
        payment_form(self, PaymentPrefill(), lambda number: self._changed(f"posted {number}"))

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.open_payment(str(event.row["number"]))

    def open_payment(self, number: str) -> None:
        """Show one payment; what the person chooses there runs here."""
        from bo_console.finance import payments

        app = bo_app(self)
        try:
            with app.store.read() as session:
                view = payments.get_payment(session, app.actor, number)
        except BoError as exc:
            _say_error(self, exc)
            return

        def chosen(what: str | None) -> None:
            if what == "allocate":
                self.allocate(number)
            elif what == "void":
                self.void(number)
            elif what and what.startswith("entry:"):
                _open_entry_anywhere(self, what.removeprefix("entry:"))

        app.push_screen(
            PaymentScreen(
                view,
                can_post=app.actor.can("finance.post"),
                can_manage=app.actor.can("finance.manage"),
            ),
            chosen,
        )

    def action_allocate(self) -> None:
        number = self._current()
        if number is not None:
            self.allocate(number)

    def allocate(self, number: str) -> None:
        """Allocate what payment ``number`` holds on account (checked, then confirmed)."""
        from bo_console.finance import payments
        from bo_console.finance.sources import parse_apply

        app = bo_app(self)
        currency = self.currency

        def work(session: Session, values: dict[str, str]) -> str:
            try:
                apply, auto = parse_apply(values["apply"], currency)
            except ValueError as exc:
                raise ValidationFailed("", [_field_error("apply", str(exc))]) from None
            if not apply and not auto:
                raise ValidationFailed("", [_field_error("apply", "give documents, or auto")])
            done = payments.allocate_payment(
                session, app.actor, number, apply=apply, auto=auto, on=_day_or_error(values["date"])
            )
            return ", ".join(f"{d.ref} {currency.format(a)}" for d, a in done)

        form_then_confirm(
            self,
            title=f"Allocate {number}",
            fields=[
                FormField(
                    "apply",
                    "Apply to",
                    value="auto",
                    required=True,
                    help="INV-2026-00017=500, INV-2026-00018 (what it owes), or auto: oldest "
                    "due first.",
                ),
                FormField(
                    "date",
                    "Date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
            ],
            work=work,
            message=lambda values: (
                f"Allocate what {number} holds on account to {values['apply']} from "
                f"{values['date']}? Allocations are not changed afterwards; a void of the "
                "payment releases them."
            ),
            confirm_title="Allocate payment",
            confirm_label="Allocate",
            done=lambda text: self._changed(f"allocated {number}: {text}"),
        )

    def action_void_payment(self) -> None:
        number = self._current()
        if number is not None:
            self.void(number)

    def void(self, number: str) -> None:
        """Void payment ``number`` on a date (managers; checked, then confirmed)."""
        from bo_console.finance import payments

        app = bo_app(self)

        def work(session: Session, values: dict[str, str]) -> str:
            day = _day_or_error(values["date"])
            payments.void_payment(session, app.actor, number, on=day, reason=values["reason"])
            return number

        form_then_confirm(
            self,
            title=f"Void {number}",
            fields=[
                FormField(
                    "date",
                    "Void date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
                FormField("reason", "Reason", placeholder="bounced cheque, entered twice, ..."),
            ],
            work=work,
            message=lambda values: (
                f"Void {number} on {values['date']}? Its journal entry is reversed and its "
                "allocations are released, so the documents it paid are open again."
            ),
            confirm_title="Void payment",
            confirm_label="Void",
            done=lambda ref: self._changed(f"voided {ref}"),
        )


# -- invoices and bills -------------------------------------------------------------------------


class DocumentLineRow(Vertical):
    """One line of the document form: description, quantity, unit price, tax code, account."""

    DEFAULT_CSS = """
    DocumentLineRow { height: auto; }
    DocumentLineRow > Horizontal { height: 1; }
    DocumentLineRow .line-no { width: 3; color: $text-muted; }
    DocumentLineRow Input { margin-right: 1; background: $boost; }
    DocumentLineRow .description { width: 1fr; }
    DocumentLineRow .quantity { width: 8; }
    DocumentLineRow .price { width: 12; }
    DocumentLineRow .tax-code { width: 6; }
    DocumentLineRow .line-account { width: 8; margin-right: 0; }
    DocumentLineRow .line-hint { padding-left: 3; color: $text-muted; height: 1; }
    DocumentLineRow .line-hint.-error { color: $error; }
    """

    PARTS = ("description", "quantity", "price", "tax", "account")

    def __init__(self, serial: int, values: tuple[str, ...], tax_codes: Any, accounts: Any) -> None:
        super().__init__(id=f"doc-line-{serial}")
        self.serial = serial
        self.initial = values
        self.tax_codes = tax_codes
        self.accounts = accounts
        self.ready = False

    def compose(self) -> ComposeResult:
        n = self.serial
        classes = ("description", "quantity", "price", "tax-code", "line-account")
        holders = ("description", "qty", "unit price", "tax", "account")
        with Horizontal():
            yield Label("", classes="line-no")
            for part, css, holder, value in zip(
                self.PARTS, classes, holders, self.initial, strict=True
            ):
                suggester = None
                if part == "tax":
                    suggester = self.tax_codes
                elif part == "account":
                    suggester = self.accounts
                yield FieldInput(
                    value=value,
                    id=f"{part}-{n}",
                    classes=css,
                    placeholder=holder,
                    compact=True,
                    advance_on_enter=True,
                    suggester=suggester,
                    max_length=200 if part == "description" else 0,
                )
        hint = Static("", classes="line-hint")
        hint.display = False
        yield hint

    def on_mount(self) -> None:
        self.ready = True

    def values(self) -> tuple[str, ...]:
        return tuple(
            self.query_one(f"#{part}-{self.serial}", Input).value.strip() for part in self.PARTS
        )

    def show(self, text: str, *, error: bool) -> None:
        hint = self.query_one(".line-hint", Static)
        hint.update(Text(text))
        hint.set_class(error, "-error")
        hint.display = bool(text)


class DocumentForm(ModalScreen[int | None]):
    """A new invoice or bill: party, dates, lines with tax codes, and the totals as you type.

    ``ctrl+s`` saves a draft; ``ctrl+o`` posts it (checked by the service, then confirmed).
    Tax is worked out by the same rule the service uses (``finance.tax``).
    """

    DEFAULT_CSS = """
    DocumentForm { align: center middle; }
    DocumentForm > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    DocumentForm .form-title { text-style: bold; }
    DocumentForm .head { height: 1; margin-top: 1; }
    DocumentForm .head Label { width: auto; padding-right: 1; }
    DocumentForm .head Input { background: $boost; margin-right: 1; }
    DocumentForm #doc-party { width: 1fr; }
    DocumentForm #doc-date, DocumentForm #doc-due { width: 12; }
    DocumentForm #doc-reference { width: 16; }
    DocumentForm #doc-memo { width: 1fr; margin-right: 0; }
    DocumentForm #doc-head-hint { color: $text-muted; height: auto; }
    DocumentForm #doc-head-hint.-error { color: $error; }
    DocumentForm #doc-columns { color: $text-muted; margin-top: 1; }
    DocumentForm #doc-lines { height: auto; max-height: 10; }
    DocumentForm #doc-totals { margin-top: 1; text-style: bold; }
    DocumentForm #doc-message { color: $error; height: auto; }
    DocumentForm .keys { color: $text-muted; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save draft", id="document.save"),
        Binding("ctrl+o", "post", "Post", id="document.post"),
        Binding("ctrl+n", "add_line", "Add line", id="document.add-line"),
        Binding("ctrl+r", "remove_line", "Remove line", id="document.remove-line"),
        Binding("escape", "cancel", "Cancel", id="document.cancel"),
    ]

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self._serial = 0
        self._initial: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        from bo_console.core.money import base_currency
        from bo_console.finance import tax
        from bo_console.finance.sources import PartyFinder

        app = bo_app(self)
        role = "customer" if self.kind == "invoice" else "supplier"
        with app.store.read() as session:
            self.currency = base_currency(session)
            self.parties = PartyFinder.load(session, app.actor, role)
            codes = [c for c in tax.list_tax_codes(session, app.actor) if c.active]
            self.finder = AccountFinder.load(session)
        self.rates = {c.code: int(c.rate * 100) for c in codes}
        self.default_tax = next((c.code for c in codes if c.category == "standard"), "")
        tax_suggester = SuggestFromList(list(self.rates), case_sensitive=False)
        account_suggester = SuggestFromList(
            [c.code for c in self.finder.choices], case_sensitive=False
        )
        self._suggesters = (tax_suggester, account_suggester)
        label = "Invoice" if self.kind == "invoice" else "Bill"
        with Vertical():
            yield Static(f"New {label.lower()}", classes="form-title")
            with Horizontal(classes="head"):
                yield Label("Customer" if self.kind == "invoice" else "Supplier")
                yield FieldInput(
                    id="doc-party",
                    compact=True,
                    advance_on_enter=True,
                    placeholder="code or name",
                    suggester=SuggestFromList(self.parties.suggestions, case_sensitive=False),
                )
                yield Label("Date")
                yield FieldInput(
                    value=console_today().isoformat(),
                    id="doc-date",
                    compact=True,
                    advance_on_enter=True,
                )
            with Horizontal(classes="head"):
                yield Label("Due")
                yield FieldInput(
                    id="doc-due", compact=True, advance_on_enter=True, placeholder="by terms"
                )
                yield Label("Ref")
                yield FieldInput(
                    id="doc-reference",
                    compact=True,
                    advance_on_enter=True,
                    max_length=60,
                    placeholder="PO / their no.",
                )
                yield Label("Memo")
                yield FieldInput(id="doc-memo", compact=True, advance_on_enter=True, max_length=200)
            yield _hidden(Static("", id="doc-head-hint"))
            # Column titles over the inputs: widths as DocumentLineRow lays them out.
            yield Static(
                f"{'':3}{'Description':37}{'Qty':9}{'Unit price':13}{'Tax':7}Account",
                id="doc-columns",
            )
            with VerticalScroll(id="doc-lines", can_focus=False):
                for _ in range(2):
                    yield self._new_row()
            yield Static("", id="doc-totals")
            yield _hidden(Static("", id="doc-message"))
            yield Static(
                "ctrl+s save draft · ctrl+o post · ctrl+n/ctrl+r add/remove line · esc cancel",
                classes="keys",
            )

    def _new_row(self) -> DocumentLineRow:
        self._serial += 1
        values = ("", "1", "", self.default_tax, "")
        return DocumentLineRow(self._serial, values, *self._suggesters)

    def on_mount(self) -> None:
        self.query_one("#doc-party", Input).focus()
        self.call_after_refresh(self._ready)

    def _ready(self) -> None:
        self._initial = self._snapshot()
        self._renumber()
        self._update_totals()

    def _rows(self) -> list[DocumentLineRow]:
        return [row for row in self.query(DocumentLineRow) if row.ready]

    def _renumber(self) -> None:
        for position, row in enumerate(self._rows(), start=1):
            row.query_one(".line-no", Label).update(f"{position:>2}")

    def _snapshot(self) -> tuple[object, ...]:
        head = tuple(
            self.query_one(f"#doc-{name}", Input).value.strip()
            for name in ("party", "date", "due", "reference", "memo")
        )
        return head + tuple(r.values() for r in self._rows() if r.values()[0])

    # -- checks and totals -------------------------------------------------------------------

    def _line(self, row: DocumentLineRow, *, saving: bool) -> tuple[Any, str | None]:
        """The line as a ``DocumentLineCreate`` (None when blank), or the problem with it."""
        from pydantic import ValidationError

        from bo_console.finance.document_models import DocumentLineCreate
        from bo_console.finance.documents import parse_quantity
        from bo_console.finance.messages import headline

        description, quantity_text, price_text, code, account = row.values()
        if not description and not price_text:
            return None, None
        try:
            quantity = parse_quantity(quantity_text or "1")
        except ValueError as exc:
            return None, f"quantity: {exc}"
        try:
            price = self.currency.parse(price_text) if price_text else 0
        except ValueError as exc:
            return None, f"unit price: {exc}"
        if price < 0:
            return None, "unit price: a price is zero or more"
        if code.upper() not in self.rates:
            return None, f"tax code: one of {', '.join(self.rates)}"
        if account:
            problem = self.finder.problem(account)
            if problem:
                return None, f"account: {problem}"
        elif self.kind == "bill" and (saving or price_text):
            return None, "account: a bill line needs an expense or stock account"
        if saving and not description:
            return None, "description is required"
        if saving and not price_text:
            return None, "unit price is required"
        try:
            line = DocumentLineCreate(
                description=description or "-",
                quantity=quantity,
                unit_price=price,
                tax_code=code.upper(),
                account=account or None,
            )
        except ValidationError as exc:
            return None, headline(exc)
        return line, None

    def totals(self) -> tuple[int, int]:
        """Net and tax of the lines as typed, by the service's rounding rule."""
        from bo_console.finance import tax

        lines = [line for line, _ in (self._line(r, saving=False) for r in self._rows()) if line]
        nets = [tax.line_net(line.quantity, line.unit_price) for line in lines]
        taxes = tax.line_taxes(
            [(line.tax_code, net) for line, net in zip(lines, nets, strict=True)], self.rates
        )
        return sum(nets), sum(taxes)

    def _update_totals(self) -> None:
        net, tax_amount = self.totals()
        fmt = self.currency.format
        self.query_one("#doc-totals", Static).update(
            f"Net {fmt(net)}   VAT {fmt(tax_amount)}   Total {fmt(net + tax_amount)} "
            f"{self.currency.code}"
        )

    def _check_party(self) -> bool:
        text = self.query_one("#doc-party", Input).value.strip()
        hint = self.query_one("#doc-head-hint", Static)
        if not text:
            _say(hint, "")
            return False
        found = self.parties.resolve(text)
        if found is None:
            near = self.parties.matches(text)
            message = (
                "one of: " + " · ".join(f"{code} {name}" for code, name in near)
                if near
                else f"no active {'customer' if self.kind == 'invoice' else 'supplier'} {text!r}"
            )
            _say(hint, message)
            hint.add_class("-error")
            return False
        _say(hint, f"{found[0]} {found[1]}")
        hint.remove_class("-error")
        return True

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if not hasattr(self, "rates"):
            return
        _say(self.query_one("#doc-message", Static), "")
        name = event.input.id or ""
        if name == "doc-party":
            self._check_party()
            return
        row = next((a for a in event.input.ancestors if isinstance(a, DocumentLineRow)), None)
        if row is None:
            return
        _, problem = self._line(row, saving=False)
        row.show(problem or "", error=bool(problem))
        self._update_totals()
        every = list(self.query(DocumentLineRow))
        if row is every[-1] and name.startswith("description-") and event.value.strip():
            self.query_one("#doc-lines", VerticalScroll).mount(self._new_row())
            self.call_after_refresh(self._renumber)

    @on(Input.Blurred, "#doc-party")
    def _party_left(self, event: Input.Blurred) -> None:
        # Leaving the party field with a name only one party has puts in its code.
        found = self.parties.resolve(event.input.value)
        if found is not None and event.input.value.strip() != found[0]:
            event.input.value = found[0]

    # -- saving ------------------------------------------------------------------------------

    def _collect(self) -> Any:
        from bo_console.finance.document_models import DocumentCreate

        ok = self._check_party()
        message = self.query_one("#doc-message", Static)
        lines = []
        serials = []
        for row in self._rows():
            line, problem = self._line(row, saving=bool(row.values()[0] or row.values()[2]))
            row.show(problem or "", error=bool(problem))
            if problem:
                ok = False
            elif line is not None:
                lines.append(line)
                serials.append(row.serial)
        dates: dict[str, date | None] = {}
        for name in ("date", "due"):
            text = self.query_one(f"#doc-{name}", Input).value.strip()
            if not text and name == "due":
                dates[name] = None
                continue
            try:
                dates[name] = parse_date(text)
            except ValueError as exc:
                _say(message, f"{name}: {exc}")
                return None
        if not ok:
            _say(message, "Correct what is marked in red.")
            return None
        if not lines:
            _say(message, "Add at least one line: a description and a unit price.")
            return None
        from pydantic import ValidationError

        from bo_console.finance.messages import headline

        day = dates["date"]
        assert day is not None
        try:
            data = DocumentCreate(
                kind=self.kind,
                party=self.query_one("#doc-party", Input).value.strip(),
                date=day,
                due_date=dates["due"],
                reference=self.query_one("#doc-reference", Input).value.strip(),
                memo=self.query_one("#doc-memo", Input).value.strip(),
                lines=lines,
            )
        except ValidationError as exc:  # the due date before the date, say
            _say(message, headline(exc))
            return None
        self._serials = serials
        return data

    def _write(self, session: Session, data: Any, *, post: bool) -> tuple[int, str]:
        from bo_console.finance import documents

        actor = bo_app(self).actor
        document = documents.create_document(session, actor, data)
        if post:
            document = documents.post_document(session, actor, document.id or 0)
        assert document.id is not None
        return document.id, document.ref

    def _refused(self, exc: BoError) -> None:
        if isinstance(exc, ValidationFailed):
            for err in exc.errors:
                words = err.field.split()
                if len(words) >= 2 and words[0] == "line" and words[1].isdigit():
                    index = int(words[1]) - 1
                    if 0 <= index < len(self._serials):
                        row = self.query_one(f"#doc-line-{self._serials[index]}", DocumentLineRow)
                        row.show(err.message, error=True)
        _say(self.query_one("#doc-message", Static), f"{exc.title}: {exc.message}")

    def action_save(self) -> None:
        data = self._collect()
        if data is None:
            return
        try:
            with bo_app(self).store.write() as session:
                document_id, _ = self._write(session, data, post=False)
        except BoError as exc:
            self._refused(exc)
            return
        self.dismiss(document_id)

    def action_post(self) -> None:
        data = self._collect()
        if data is None:
            return
        app = bo_app(self)
        try:
            with app.store.write() as session:
                self._write(session, data, post=True)
                session.rollback()
        except BoError as exc:
            self._refused(exc)
            return
        net, tax_amount = self.totals()
        party = self.parties.resolve(data.party)
        name = party[1] if party else data.party
        message = (
            f"Post this {self.kind} to {name} dated {data.date.isoformat()} for "
            f"{self.currency.format(net + tax_amount)} {self.currency.code}? It gets the next "
            f"{self.kind} number and its journal entry is posted; afterwards only a manager "
            "can void it, with a credit note."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                with app.store.write() as session:
                    document_id, ref = self._write(session, data, post=True)
            except BoError as exc:
                self._refused(exc)
                return
            self.notify(f"posted {ref}")
            self.dismiss(document_id)

        app.push_screen(
            ConfirmDialog(message, title=f"Post {self.kind}", confirm_label="Post"), answered
        )

    async def action_add_line(self) -> None:
        row = self._new_row()
        await self.query_one("#doc-lines", VerticalScroll).mount(row)
        self._renumber()
        self.set_focus(self.query_one(f"#description-{row.serial}"))  # now, not later

    def action_remove_line(self) -> None:
        focused = self.focused
        row = (
            next((a for a in focused.ancestors if isinstance(a, DocumentLineRow)), None)
            if focused is not None
            else None
        )
        rows = self._rows()
        if row is None or len(rows) <= 1:
            return
        index = rows.index(row)
        neighbour = rows[index + 1] if index + 1 < len(rows) else rows[index - 1]
        self.query_one(f"#description-{neighbour.serial}", Input).focus()
        row.remove()
        self.call_after_refresh(self._renumber)
        self.call_after_refresh(self._update_totals)

    def action_cancel(self) -> None:
        if self._snapshot() == self._initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                f"Discard this {self.kind}?",
                title="Unsaved changes",
                confirm_label="Discard",
                cancel_label="Keep editing",
            ),
            answered,
        )


class DocumentScreen(_RecordScreen):
    """One invoice, bill or credit note with its lines and payments; dismisses with what to do
    (``post``, ``delete``, ``void``, ``pay``, ``entry:<ref>``, ``document:<ref>``) or None."""

    DEFAULT_CSS = """
    DocumentScreen { align: center middle; }
    DocumentScreen > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    DocumentScreen .keys { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("p", "choose('post')", "Post", id="document-view.post"),
        Binding("d", "choose('delete')", "Delete", id="document-view.delete"),
        Binding("m", "choose('pay')", "Receive/pay", id="document-view.pay"),
        Binding("v", "choose('void')", "Void", id="document-view.void"),
        Binding("o", "open_link", "Open entry", id="document-view.entry"),
        Binding("escape,q", "close", "Close", id="document-view.close"),
    ]

    def __init__(self, view: Any, *, can_post: bool, can_manage: bool) -> None:
        super().__init__()
        self.view = view
        self.can_post = can_post
        self.can_manage = can_manage

    def compose(self) -> ComposeResult:
        from bo_console.finance.documents import KIND_LABELS

        v, r = self.view, self.view.row
        lines = [
            f"{KIND_LABELS.get(r.kind, r.kind)} {r.ref}   {r.status}",
            f"{r.party} {r.party_name}",
            f"Dated {r.date.isoformat()} · due {r.due_date.isoformat()}"
            + (f" · reference {r.reference}" if r.reference else ""),
            f"Net {r.net:,} · VAT {r.tax:,} · total {r.total:,} · paid {r.paid:,} · "
            f"open {r.open:,}",
        ]
        links = []
        if v.entry:
            links.append(f"journal entry {v.entry}")
        if v.voids:
            links.append(f"voids {v.voids}")
        if v.voided_by:
            links.append(f"voided by {v.voided_by}")
        if links:
            lines.append("Links: " + " · ".join(links))
        if v.memo:
            lines.append(f"Memo: {v.memo}")
        with Vertical():
            yield Static(Text("\n".join(lines)))
            table: DataTable[Any] = DataTable(cursor_type="row")
            table.styles.height = "auto"
            table.styles.max_height = 8
            for title, width in (
                ("Description", 32),
                ("Qty", 6),
                ("Unit price", 11),
                ("Tax", 4),
                ("Net", 11),
            ):
                table.add_column(title, width=width)
            for line in v.lines:
                table.add_row(
                    *cells(line.description),
                    Text(f"{line.quantity.normalize():f}", justify="right"),
                    Text(_decimal(line.unit_price), justify="right"),
                    *cells(line.tax_code),
                    Text(_decimal(line.net), justify="right"),
                )
            yield table
            if v.allocations:
                paid = " · ".join(
                    f"{a.payment} {a.amount:,} on {a.date.isoformat()}"
                    + ("" if a.payment_status == "posted" else f" ({a.payment_status})")
                    for a in v.allocations
                )
                yield Static(Text(f"Payments: {paid}"))
            yield Static(self._keys_text(), classes="keys")

    def _keys_text(self) -> str:
        keys = []
        for action, text in (
            ("post", "p post"),
            ("delete", "d delete"),
            ("pay", "m receive" if self.view.row.kind == "invoice" else "m pay"),
            ("void", "v void"),
        ):
            if self.check_action("choose", (action,)):
                keys.append(text)
        if self.view.entry:
            keys.append("o open entry")
        return " · ".join([*keys, "esc close"])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "choose":
            return True
        r = self.view.row
        what = parameters[0] if parameters else ""
        if what in ("post", "delete"):
            return self.can_post and r.status == "draft"
        if what == "pay":
            return self.can_post and r.status in ("posted", "partly_paid") and r.open > 0
        if what == "void":
            return self.can_manage and r.status == "posted" and r.kind in ("invoice", "bill")
        return True

    def action_open_link(self) -> None:
        if self.view.entry:
            self.dismiss(f"entry:{self.view.entry}")


class DocumentsPane(ListPane):
    """Invoices (``side='sales'``) or bills, newest first, with what can be done to them."""

    SIDE = "sales"
    KIND = "invoice"
    LABEL = "Invoices"

    BINDINGS = [
        Binding("n", "new_document", "New", id="finance.documents.new"),
        Binding("p", "post_document", "Post", id="finance.documents.post"),
        Binding(
            "d",
            "delete_document",
            "Delete",
            id="finance.documents.delete",
            show=False,
            tooltip="Delete a draft",
        ),
        Binding(
            "v",
            "void_document",
            "Void",
            id="finance.documents.void",
            tooltip="Void a posted document with a credit note (managers)",
        ),
        Binding(
            "f",
            "filter_form",
            "Filter by",
            id="finance.documents.filter",
            tooltip="Filter by status, party and dates",
        ),
    ]

    def __init__(self, app: BoApp) -> None:
        source, currency = sources.document_source(app.store, app.actor, self.SIDE)
        self.currency = currency
        self.list_filter = sources.DocumentListFilter()
        super().__init__(
            source,
            name=self.LABEL.lower(),
            title=self.LABEL,
            filter_hint="party, number, reference or memo",
            id=f"{self.LABEL.lower()}-pane",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = bo_app(self).actor
        if action in ("new_document", "post_document", "delete_document", "money"):
            return actor.can("finance.post")
        if action == "void_document":
            return actor.can("finance.manage")
        return True

    def _current(self) -> str | None:
        row = self.table.current_row()
        return None if row is None else str(row["number"])

    def _changed(self, note: str, open_ref: str | None = None) -> None:
        if note:
            self.notify(note)
        for pane in self.screen.query("PaymentsPane, DocumentsPane, JournalPane"):
            cast("ListPane", pane).table.refresh_data()
        if open_ref is not None:
            self.open_document(open_ref)

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.open_document(str(event.row["number"]))

    def _view(self, ref: str) -> Any:
        from bo_console.finance import documents

        app = bo_app(self)
        try:
            with app.store.read() as session:
                return documents.get_document(session, app.actor, _doc_ref(ref))
        except BoError as exc:
            _say_error(self, exc)
            return None

    def open_document(self, ref: str) -> None:
        """Show one document; what the person chooses there runs here."""
        view = self._view(ref)
        if view is None:
            return
        app = bo_app(self)

        def chosen(what: str | None) -> None:
            if what == "post":
                self.post(view.row.ref)
            elif what == "delete":
                self.delete(view.row.ref)
            elif what == "void":
                self.void(view.row.ref)
            elif what == "pay":
                self.money(view)
            elif what and what.startswith("entry:"):
                _open_entry_anywhere(self, what.removeprefix("entry:"))

        app.push_screen(
            DocumentScreen(
                view,
                can_post=app.actor.can("finance.post"),
                can_manage=app.actor.can("finance.manage"),
            ),
            chosen,
        )

    def action_new_document(self) -> None:
        def saved(document_id: int | None) -> None:
            if document_id is not None:
                self._changed("", open_ref=f"#{document_id}")

        self.app.push_screen(DocumentForm(self.KIND), saved)

    def action_post_document(self) -> None:
        ref = self._current()
        if ref is not None:
            self.post(ref)

    def post(self, ref: str) -> None:
        """Post a draft (checked, then confirmed)."""
        from bo_console.finance import documents

        app = bo_app(self)
        view = self._view(ref)
        if view is None:
            return
        r = view.row

        def work(session: Session) -> str:
            return documents.post_document(session, app.actor, _doc_ref(ref)).ref

        checked_then_confirmed(
            self,
            work,
            message=(
                f"Post {r.ref} to {r.party_name} dated {r.date.isoformat()} for {r.total:,} "
                f"{self.currency.code}? It gets the next {r.kind} number and its journal entry "
                "is posted; afterwards only a manager can void it, with a credit note."
            ),
            title=f"Post {r.kind}",
            confirm_label="Post",
            done=lambda number: self._changed(f"posted {number}"),
        )

    def action_delete_document(self) -> None:
        ref = self._current()
        if ref is not None:
            self.delete(ref)

    def delete(self, ref: str) -> None:
        """Delete a draft (checked, then confirmed)."""
        from bo_console.finance import documents

        app = bo_app(self)

        def work(session: Session) -> str:
            documents.delete_draft(session, app.actor, _doc_ref(ref))
            return ref

        checked_then_confirmed(
            self,
            work,
            message=f"Delete {ref}? Its lines go with it.",
            title="Delete draft",
            confirm_label="Delete",
            done=lambda label: self._changed(f"deleted {label}"),
        )

    def action_void_document(self) -> None:
        ref = self._current()
        if ref is not None:
            self.void(ref)

    def void(self, ref: str) -> None:
        """Void a posted document with a credit note on a date (managers)."""
        from bo_console.finance import documents

        app = bo_app(self)

        def work(session: Session, values: dict[str, str]) -> str:
            note = documents.void_document(
                session, app.actor, ref, on=_day_or_error(values["date"]), reason=values["reason"]
            )
            return note.ref

        form_then_confirm(
            self,
            title=f"Void {ref}",
            fields=[
                FormField(
                    "date",
                    "Credit note date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
                FormField("reason", "Reason", placeholder="on the credit note"),
            ],
            work=work,
            message=lambda values: (
                f"Void {ref} with a credit note dated {values['date']}? Its journal entry is "
                "reversed; this cannot be undone."
            ),
            confirm_title="Void document",
            confirm_label="Void",
            done=lambda note: self._changed(f"voided {ref} with {note}"),
        )

    def action_money(self) -> None:
        ref = self._current()
        view = self._view(ref) if ref is not None else None
        if view is not None:
            self.money(view)

    def money(self, view: Any) -> None:
        """Receive (or pay) what a document still owes: the payment form, filled in."""
        r = view.row
        if r.status not in ("posted", "partly_paid") or not r.open:
            self.notify(f"{r.ref} is {r.status}; nothing is owed on it", severity="warning")
            return
        prefill = PaymentPrefill(
            direction="received" if self.SIDE == "sales" else "made",
            party=r.party,
            amount=str(r.open),
            apply=r.ref,
        )
        payment_form(self, prefill, lambda number: self._changed(f"posted {number}"))

    def apply_filter(self, flt: sources.DocumentListFilter) -> None:
        """Show only the documents ``flt`` lets through (the ``/`` text is kept)."""
        try:
            sources.refilter_documents(bo_app(self).store, self.source, self.SIDE, flt)
        except BoError as exc:
            _say_error(self, exc)
            return
        self._filtered(flt)

    def _filtered(self, flt: sources.DocumentListFilter) -> None:
        self.list_filter = flt
        described = flt.describe()
        self.title = f"{self.LABEL} [{described}]" if described else self.LABEL
        self.table.refresh_data(keep_cursor=False)

    def action_filter_form(self) -> None:
        app = bo_app(self)
        current = self.list_filter

        def submit(values: dict[str, str]) -> sources.DocumentListFilter:
            flt = sources.DocumentListFilter(
                status=values["status"],
                party=values["party"],
                date_from=parse_date(values["date_from"]) if values["date_from"] else None,
                date_to=parse_date(values["date_to"]) if values["date_to"] else None,
            )
            sources.refilter_documents(app.store, self.source, self.SIDE, flt)
            return flt

        def applied(flt: sources.DocumentListFilter | None) -> None:
            if flt is not None:
                self._filtered(flt)

        form = FormScreen(
            f"Filter the {self.LABEL.lower()}",
            [
                FormField(
                    "status",
                    "Status",
                    value=current.status,
                    check=one_of(sources.DOCUMENT_STATUS_CHOICES, "status"),
                    suggestions=sources.DOCUMENT_STATUS_CHOICES,
                    placeholder="open, draft, paid, void, ...",
                ),
                FormField("party", "Party", value=current.party, placeholder="code or name"),
                FormField(
                    "date_from",
                    "From",
                    value=current.date_from.isoformat() if current.date_from else "",
                    check=date_check,
                ),
                FormField(
                    "date_to",
                    "To",
                    value=current.date_to.isoformat() if current.date_to else "",
                    check=date_check,
                    help="Leave every field empty to see them all.",
                ),
            ],
            submit,
            save_label="Filter",
        )
        app.push_screen(form, applied)


class InvoicesPane(DocumentsPane):
    """Sales invoices and credit notes."""

    BINDINGS = [
        Binding(
            "m",
            "money",
            "Receive",
            id="finance.invoices.receive",
            tooltip="Record a payment received for the invoice",
        )
    ]


class BillsPane(DocumentsPane):
    """Supplier bills and supplier credit notes."""

    SIDE = "purchases"
    KIND = "bill"
    LABEL = "Bills"
    BINDINGS = [
        Binding("m", "money", "Pay", id="finance.bills.pay", tooltip="Record a payment of the bill")
    ]


def _doc_ref(ref: str) -> str:
    """A document reference the service reads: a number, or ``#7`` for ``draft #7``."""
    return ref.replace("draft ", "") if ref.startswith("draft #") else ref


# -- the screen ---------------------------------------------------------------------------------


class FinanceScreen(DepartmentScreen):
    """Finance: journal, chart of accounts, reports, periods and the Finance inbox."""

    DEPARTMENT = "finance"
    SCREEN_TITLE = "Finance"
    LAZY_TABS = True
    DEFAULT_CSS = """
    /* Eight tabs fit in 80 columns with one space between them. */
    FinanceScreen Tab { padding: 0 0 0 1; }
    """
    HELP = (
        "Journal lists every entry, newest first: / finds text or an entry number, f filters "
        "by dates, account and state, enter opens an entry, n starts one (ctrl+s saves a "
        "draft, ctrl+o posts), p posts a draft, v reverses a posted entry. Accounts: the chart "
        "with balances; enter opens an account's ledger. Invoices and Bills: n new, p post, m "
        "receive or pay what is open, v void with a credit note (managers), f filter. "
        "Payments: n enter one, a allocate what is on account, v void (managers). Reports: t "
        "trial balance, i income statement, b balance sheet, l ledger, v VAT return, a and p "
        "aged receivables and payables; enter drills down; x exports what bo finance report "
        "writes. Periods: managers close months, admins reopen them. Every posting, void and "
        "close is checked first and asks before it is done; auditors read only."
    )

    def __init__(self) -> None:
        super().__init__()
        self._resumed = False

    def tabs(self) -> Iterable[Tab]:
        app = self.bo_app
        yield Tab("journal", "Journal", lambda: JournalPane(app))
        yield Tab("accounts", "Accounts", AccountsPane)
        yield Tab("invoices", "Invoices", lambda: InvoicesPane(app))
        yield Tab("bills", "Bills", lambda: BillsPane(app))
        yield Tab("payments", "Payments", lambda: PaymentsPane(app))
        yield Tab("reports", "Reports", ReportsPane)
        yield Tab("periods", "Periods", PeriodsPane)

    @on(TabbedContent.TabActivated)
    async def _load_tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            await self.ensure_tab(event.pane.id)
        for pane in event.pane.query("AccountsPane, PeriodsPane"):
            cast("AccountsPane | PeriodsPane", pane).shown()

    async def action_show_tab(self, tab_id: str) -> None:
        await super().action_show_tab(tab_id)
        pane = self.query_one(f"#{tab_id}")
        # The keys of a tab work while something in it has the focus; before a report is
        # shown, the Reports tab itself takes it.
        for widget in pane.query("Tree, VirtualTable, DataTable, ReportsPane"):
            widget.focus()
            break

    def on_screen_resume(self) -> None:
        # Back from another department or a dialog: the journal may have changed meanwhile.
        if self._resumed:
            for pane in self.query(JournalPane):
                pane.reload()
        self._resumed = True

    @property
    def journal(self) -> JournalPane:
        return self.query_one(JournalPane)

    def open_source(self, where: str, ref: str) -> None:
        """Open the invoice, bill, credit note (``where``: sales or purchases) or payment
        (``payments``) an entry came from (its tab is built first if it has not been shown)."""

        async def go() -> None:
            if where == "payments":
                await self.ensure_tab("payments")
                self.query_one(PaymentsPane).open_payment(ref)
            else:
                await self.ensure_tab("invoices" if where == "sales" else "bills")
                self.query_one(InvoicesPane if where == "sales" else BillsPane).open_document(ref)

        self.call_later(go)

    def show_documents(self, side: str, party: str, document: str = "") -> None:
        """The open invoices (or bills) of a party, and one of them opened if named."""

        async def go() -> None:
            await self.action_show_tab("invoices" if side == "sales" else "bills")
            pane: DocumentsPane = self.query_one(InvoicesPane if side == "sales" else BillsPane)
            pane.apply_filter(sources.DocumentListFilter(status="open", party=party))
            if document:
                pane.open_document(document)

        self.call_later(go)
