"""The journal entry form: date, memo and lines, with the debit/credit difference as you type."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Button, Input, Label, Static

from bo_console.core.dates import parse_date
from bo_console.finance.screen.common import amount_text, leaf
from bo_console.finance.sources import AccountFinder
from bo_console.ui.base import bo_app, console_today
from bo_console.ui.kit.form import date_check
from bo_console.ui.kit.line_items import (
    Collected,
    LineColumn,
    LineItemsForm,
    LineRow,
    line_item_bindings,
)
from bo_console.ui.kit.notify import hidden, say
from bo_console.ui.widgets.inputs import FieldInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.security import Actor
    from bo_console.finance.ledger import EntryView
    from bo_console.finance.models import EntryCreate, LineCreate


class EntryLine(LineRow):
    """One line of the entry form: account, debit, credit, memo, cost centre (picked from the
    list as you type), and a hint or error under it.

    A draft's line keeps what the form has no column for (its tax code and party), so saving
    the draft again does not drop them: a VAT line without its code would no longer post.
    """

    DEFAULT_CSS = """
    EntryLine .account { width: 22; }
    EntryLine .amount { width: 12; }
    EntryLine .memo { width: 1fr; }
    EntryLine .centre { width: 9; margin-right: 0; }
    """

    COLUMNS = (
        LineColumn("account", "account", "account", suggest="accounts"),
        LineColumn("debit", "debit", "amount"),
        LineColumn("credit", "credit", "amount"),
        LineColumn("memo", "memo", "memo", max_length=200),
        LineColumn("centre", "centre", "centre", max_length=16, suggest="centres"),
    )
    ID_PREFIX = "line"
    MARK_INVALID = "account"

    tax_code: str | None = None
    """The draft line's tax code, kept as it was."""
    party_id: int | None = None
    """The draft line's party, kept as it was."""

    def values(self) -> tuple[str, str, str, str, str]:
        """Account, debit, credit, memo and cost centre as typed (trimmed)."""
        return cast("tuple[str, str, str, str, str]", super().values())


class EntryForm(LineItemsForm["EntryCreate"]):
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

    BINDINGS = line_item_bindings(
        "entry", post_tooltip="Post the entry (the service checks it first, then you confirm)"
    )

    ROW = EntryLine
    LINES_ID = "entry-lines"
    MESSAGE_ID = "entry-message"
    NOUN = "entry"

    def __init__(self, view: EntryView | None = None, *, lines: int = 2) -> None:
        super().__init__()
        self.view = view
        """The draft being edited, or None for a new entry."""
        self._first_lines = lines
        self.finder: AccountFinder | None = None
        self.currency: Currency | None = None
        self._suggester: Suggester | None = None
        self.centres: dict[str, str] = {}
        """Active cost centres: code -> name."""
        self._centre_suggester: Suggester | None = None

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
            yield hidden(Static("", id="entry-date-error"))
            yield Static(
                "   Account                Debit        Credit       Memo" + " " * 11 + "Centre",
                id="entry-columns",
            )
            with VerticalScroll(id="entry-lines", can_focus=False):
                yield from self._first_rows()
            yield Static("", id="entry-totals")
            yield hidden(Static("", id="entry-message"))
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

    def _first_rows(self) -> list[LineRow]:
        """The lines the form opens with: the draft's and a blank one, or blank ones."""
        from bo_console.core.money import base_currency
        from bo_console.finance.cost_centres import list_cost_centres

        app = bo_app(self)
        with app.store.read() as session:
            self.finder = AccountFinder.load(session)
            self.currency = base_currency(session)
            listed = list_cost_centres(session, app.actor, include_inactive=False)
        self.centres = {c.code: c.name for c in listed}
        self._suggester = SuggestFromList(self.finder.suggestions, case_sensitive=False)
        self._centre_suggester = SuggestFromList(list(self.centres), case_sensitive=False)
        rows: list[LineRow] = []
        for line in self.view.lines if self.view is not None else ():
            row = cast("EntryLine", self.new_row((
                line.code, amount_text(line.debit), amount_text(line.credit), line.memo,
                line.cost_centre,
            )))  # fmt: skip
            row.tax_code, row.party_id = line.tax_code or None, line.party_id
            rows.append(row)
        blank = 1 if self.view is not None else self._first_lines
        return rows + [self.new_row(("", "", "", "", "")) for _ in range(blank)]

    def suggesters(self) -> dict[str, Suggester | None]:
        return {"accounts": self._suggester, "centres": self._centre_suggester}

    def on_mount(self) -> None:
        # The focus is in place before the first frame, so keys typed as soon as the form
        # shows land where a person starts: the memo (the date above it defaults to today);
        # Tab then goes on in reading order (the lines' account, debit, credit, memo).
        target = "#entry-memo"
        # set_focus, not focus(): the latter waits a turn, and a key typed ahead (shift+tab
        # just after n) would go to the field the screen focuses by itself.
        self.set_focus(self.query_one(target, Input))
        # (LineItemsForm.on_mount runs after this one: it takes the snapshot and numbers.)

    def head_values(self) -> tuple[str, ...]:
        return tuple(
            self.query_one(f"#{i}", Input).value.strip() for i in ("entry-date", "entry-memo")
        )

    def ready_to_check(self) -> bool:
        return self.finder is not None

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
        account, debit_text, credit_text, memo, centre = row.values()
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
                    return f"{near[0].code} {leaf(near[0].full_name)}? (tab takes it)"
                if near:
                    return "one of: " + " · ".join(f"{c.code} {leaf(c.full_name)}" for c in near)
            if problem:
                return problem
        if centre and centre not in self.centres:
            starts = [c for c in self.centres if c.casefold().startswith(centre.casefold())]
            listed = " · ".join(starts[:5]) if starts else "see bo finance cost-centres list"
            return f"no active cost centre {centre!r} ({listed})"
        if saving and any((account, debit_text, credit_text, memo, centre)):
            if not account:
                return "account is required"
            if not debit and not credit:
                return "give a debit or a credit (more than zero)"
        return None

    def check_row(self, row: LineRow, *, saving: bool = False) -> bool:
        assert self.finder is not None
        line = cast("EntryLine", row)
        problem = self._line_problem(line, saving=saving)
        if problem:
            row.show(problem, error=True)
            return False
        account, centre = line.values()[0], line.values()[4]
        hint = self.finder.describe(account) if account else ""
        if centre:
            hint = f"{hint} · {centre} {self.centres[centre]}" if hint else self.centres[centre]
        if line.tax_code:
            hint = f"{hint} · VAT {line.tax_code}" if hint else f"VAT {line.tax_code}"
        row.show(hint, error=False)
        return True

    def _check_date(self) -> date | None:
        text = self.query_one("#entry-date", Input).value.strip()
        problem = date_check(text) if text else "date is required"
        say(self.query_one("#entry-date-error", Static), problem or "")
        self.query_one("#entry-date", Input).set_class(bool(problem), "-invalid")
        return None if problem else parse_date(text)

    def head_changed(self, input_id: str, value: str) -> None:
        if input_id == "entry-date" and value.strip():
            self._check_date()

    def totals(self) -> tuple[int, int]:
        """Debits and credits of the lines as typed (fields that do not parse count zero)."""
        debit = credit = 0
        for row in self.rows():
            _, debit_text, credit_text, _, _ = cast("EntryLine", row).values()
            debit += self._amount(debit_text)[0]
            credit += self._amount(credit_text)[0]
        return debit, credit

    def update_totals(self) -> None:
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

    def on_input_blurred(self, event: Input.Blurred) -> None:
        # Leaving an account field that can mean only one account completes it.
        if self.finder is None or not (event.input.id or "").startswith("account-"):
            return
        choice = self.finder.only_match(event.input.value)
        if choice is not None:
            event.input.value = choice.code

    # -- saving ------------------------------------------------------------------------------

    def collect(self) -> Collected[EntryCreate] | None:
        from pydantic import ValidationError

        from bo_console.finance.messages import headline
        from bo_console.finance.models import EntryCreate, LineCreate

        day = self._check_date()
        ok = day is not None
        lines: list[LineCreate] = []
        serials: list[int] = []
        for row in self.rows():
            if not self.check_row(row, saving=True):
                ok = False
                continue
            entry_line = cast("EntryLine", row)
            account, debit_text, credit_text, memo, centre = entry_line.values()
            if not account:
                continue
            try:
                line = LineCreate(
                    account=account,
                    debit=self._amount(debit_text)[0],
                    credit=self._amount(credit_text)[0],
                    memo=memo,
                    cost_centre=centre or None,
                    tax_code=entry_line.tax_code,
                    party_id=entry_line.party_id,
                )
            except ValidationError as exc:  # a memo too long, say: in plain words
                row.show(headline(exc), error=True)
                ok = False
                continue
            lines.append(line)
            serials.append(row.serial)
        if not ok:
            self.say("Correct the fields marked in red.")
            return None
        if not lines:
            self.say("Add at least one line: an account and a debit or a credit.")
            return None
        assert day is not None
        memo = self.query_one("#entry-memo", Input).value.strip()
        try:
            data = EntryCreate(date=day, memo=memo, lines=lines)
        except ValidationError as exc:
            self.say(headline(exc))
            return None
        return Collected(data, serials)

    def write_data(
        self, session: Session, actor: Actor, data: EntryCreate, *, post: bool
    ) -> tuple[int, str]:
        """Save (and post) the entry in ``session``; (id, number or draft label)."""
        from bo_console.finance import service

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

    def post_question(self, data: EntryCreate) -> tuple[str, str]:
        assert self.currency is not None
        debit, _ = self.totals()
        return "Post entry", (
            f"Post this entry dated {data.date.isoformat()} for "
            f"{self.currency.format(debit)} {self.currency.code} ({len(data.lines)} lines)? "
            f"It gets the next entry number of {data.date.year} and can no longer be changed; "
            "a correction is a reversal."
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"entry-save": self.action_save, "entry-post": self.action_post}
        actions.get(event.button.id or "", self.action_cancel)()
