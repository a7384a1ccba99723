"""The credit or debit note form: the original's lines, prefilled with what is left on each,
the quantity returned or the amount corrected per line, and the note's totals as you type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from bo_console.core.dates import parse_date
from bo_console.ui.base import bo_app, console_today
from bo_console.ui.kit.line_items import Collected, LineColumn, LineItemsForm, LineRow
from bo_console.ui.kit.notify import hidden
from bo_console.ui.widgets.inputs import FieldInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.note_models import NoteCreate, NoteLineCreate
    from bo_console.finance.notes import LineLeft


class NoteLineRow(LineRow):
    """One original line: its number and description (as the original has them), then the
    quantity and the net amount to credit (or debit)."""

    DEFAULT_CSS = """
    NoteLineRow .note-line { width: 4; }
    NoteLineRow .description { width: 1fr; }
    NoteLineRow .quantity { width: 8; }
    NoteLineRow .amount { width: 12; margin-right: 0; }
    """

    COLUMNS = (
        LineColumn("line", "line", "note-line"),
        LineColumn("description", "description", "description", max_length=200),
        LineColumn("quantity", "qty", "quantity"),
        LineColumn("amount", "amount", "amount"),
    )
    ID_PREFIX = "note-line"


class NoteForm(LineItemsForm["NoteCreate"]):
    """A credit (or debit) note on a posted invoice or bill, its lines prefilled from the
    original's: type the quantity returned (its amount follows from the unit price) or, for a
    price correction, just the amount. ``ctrl+o`` (or ``ctrl+s``) checks it with the service,
    says what will be posted, and issues it; a note is never a draft."""

    DEFAULT_CSS = """
    NoteForm { align: center middle; }
    NoteForm > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    NoteForm .form-title { text-style: bold; }
    NoteForm .head { height: 1; margin-top: 1; }
    NoteForm .head Label { width: auto; padding-right: 1; }
    NoteForm .head Input { background: $boost; margin-right: 1; }
    NoteForm #note-date { width: 12; }
    NoteForm #note-reason { width: 1fr; margin-right: 0; }
    NoteForm #note-columns { color: $text-muted; margin-top: 1; }
    NoteForm #note-lines { height: auto; max-height: 12; }
    NoteForm #note-totals { margin-top: 1; text-style: bold; }
    NoteForm #note-message { color: $error; height: auto; }
    NoteForm .keys { color: $text-muted; }
    """

    BINDINGS = [
        Binding("ctrl+o", "post", "Issue", id="note.post"),
        Binding("ctrl+s", "post", "Issue", id="note.save", show=False),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    ROW = NoteLineRow
    LINES_ID = "note-lines"
    MESSAGE_ID = "note-message"
    NOUN = "note"

    def __init__(self, original: str, kind: str = "credit") -> None:
        super().__init__()
        self.original = original
        self.kind = kind

    def compose(self) -> ComposeResult:
        from bo_console.core.money import base_currency
        from bo_console.finance import notes
        from bo_console.finance import tax as vat
        from bo_console.finance.documents import find_document

        app = bo_app(self)
        with app.store.read() as session:
            self.currency = base_currency(session)
            document = find_document(session, self.original, ("invoice", "bill"))
            self.left: dict[str, LineLeft] = {
                str(line.line_no): line for line in notes.lines_left(session, document.id or 0)
            }
            self.rates = {
                code: vat.get_tax_code(session, code).rate_bp
                for code in {line.tax_code for line in self.left.values()}
            }
        title = "Credit note" if self.kind == "credit" else "Debit note"
        with Vertical():
            yield Static(f"{title} on {self.original}", classes="form-title")
            with Horizontal(classes="head"):
                yield Label("Date")
                yield FieldInput(
                    value=console_today().isoformat(),
                    id="note-date",
                    compact=True,
                    advance_on_enter=True,
                )
                yield Label("Reason")
                yield FieldInput(
                    id="note-reason",
                    compact=True,
                    advance_on_enter=True,
                    max_length=200,
                    placeholder="printed on the note",
                )
            yield Static(f"{'':3}{'Line':5}{'Description':42}{'Qty':9}Amount", id="note-columns")
            with VerticalScroll(id="note-lines", can_focus=False):
                for line in self.left.values():
                    yield self.new_row((str(line.line_no), line.description, "", ""))
            yield Static("", id="note-totals")
            yield hidden(Static("", id="note-message"))
            yield Static(
                "qty returned, or an amount for a price correction · ctrl+o issue · esc cancel",
                classes="keys",
            )

    def on_mount(self) -> None:
        rows = self.rows() or list(self.query(NoteLineRow))
        if rows:
            self.set_focus(self.query_one(f"#quantity-{rows[0].serial}", Input))

    def ready_to_check(self) -> bool:
        return hasattr(self, "left")

    def head_values(self) -> tuple[str, ...]:
        return tuple(
            self.query_one(f"#note-{name}", Input).value.strip() for name in ("date", "reason")
        )

    def row_counts(self, values: tuple[str, ...]) -> bool:
        return bool(values[2] or values[3])

    # -- checks and totals -------------------------------------------------------------------

    def _line(self, row: LineRow) -> tuple[tuple[NoteLineCreate, int, int] | None, str | None]:
        """The line as sent to the service with its net and VAT (None when blank), or what is
        wrong with it; the same rule as the service's."""
        from bo_console.finance import tax as vat
        from bo_console.finance.documents import format_quantity, parse_quantity
        from bo_console.finance.note_models import NoteLineCreate

        number, _, quantity_text, amount_text = row.values()
        if not (number or quantity_text or amount_text):
            return None, None  # the blank line the form keeps at the end
        left = self.left.get(number)
        if left is None:
            return None, f"line: one of {', '.join(self.left)}"
        if not quantity_text and not amount_text:
            return None, None
        quantity = 0
        if quantity_text not in ("", "0"):
            try:
                quantity = parse_quantity(quantity_text)
            except ValueError as exc:
                return None, f"qty: {exc}"
        try:
            amount = self.currency.parse(amount_text) if amount_text else None
        except ValueError as exc:
            return None, f"amount: {exc}"
        net = amount if amount is not None else vat.line_net(quantity, left.unit_price)
        credit = self.kind == "credit"
        if credit and quantity > left.quantity:
            return None, f"only {format_quantity(left.quantity)} left to credit"
        if credit and net > left.net:
            return None, f"only {self.currency.format(left.net)} left to credit"
        if net <= 0:
            return None, "give a quantity or an amount"
        tax = vat.tax_of(net, self.rates[left.tax_code])
        if credit:
            tax = left.tax if net == left.net else min(tax, left.tax)
        line = NoteLineCreate(line=int(number), quantity=quantity, amount=amount)
        return (line, net, tax), None

    def check_row(self, row: LineRow, *, saving: bool = False) -> bool:
        found, problem = self._line(row)
        if problem is None and found is None:
            left = self.left.get(row.values()[0])
            if left is not None:
                row.show(
                    f"left {left.quantity / 1000:g} x {self.currency.format(left.unit_price)} "
                    f"= {self.currency.format(left.net)} + VAT {self.currency.format(left.tax)}"
                    f" ({left.tax_code})",
                    error=False,
                )
                return True
        row.show(problem or "", error=bool(problem))
        return problem is None

    def _ready(self) -> None:
        super()._ready()
        for row in self.rows():
            self.check_row(row)

    def totals(self) -> tuple[int, int]:
        found = [f for f, _ in (self._line(r) for r in self.rows()) if f]
        return sum(f[1] for f in found), sum(f[2] for f in found)

    def update_totals(self) -> None:
        net, tax_amount = self.totals()
        fmt = self.currency.format
        self.query_one("#note-totals", Static).update(
            f"Net {fmt(net)}   VAT {fmt(tax_amount)}   Total {fmt(net + tax_amount)} "
            f"{self.currency.code}"
        )

    # -- issuing ------------------------------------------------------------------------------

    def collect(self) -> Collected[NoteCreate] | None:
        from pydantic import ValidationError

        from bo_console.finance.messages import headline
        from bo_console.finance.note_models import NoteCreate

        ok = True
        lines = []
        serials = []
        for row in self.rows():
            found, problem = self._line(row)
            row.show(problem or "", error=bool(problem))
            if problem:
                ok = False
            elif found is not None:
                lines.append(found[0])
                serials.append(row.serial)
        try:
            day = parse_date(self.query_one("#note-date", Input).value.strip())
        except ValueError as exc:
            self.say(f"date: {exc}")
            return None
        if not ok:
            self.say("Correct what is marked in red.")
            return None
        if not lines:
            self.say("Give a quantity or an amount on at least one line.")
            return None
        try:
            data = NoteCreate(
                kind=self.kind,
                original=self.original,
                date=day,
                reason=self.query_one("#note-reason", Input).value.strip(),
                lines=lines,
            )
        except ValidationError as exc:
            self.say(headline(exc))
            return None
        return Collected(data, serials)

    def write_data(
        self, session: Session, actor: Actor, data: NoteCreate, *, post: bool
    ) -> tuple[int, str]:
        from bo_console.finance import notes

        note = notes.issue_note(session, actor, data)
        assert note.id is not None
        return note.id, note.number

    def post_question(self, data: NoteCreate) -> tuple[str, str]:
        net, tax_amount = self.totals()
        what = "credit" if self.kind == "credit" else "debit"
        then = (
            " It pays down what the original still owes; the rest stays on the party's account."
            if self.kind == "credit"
            else ""
        )
        return f"Issue {what} note", (
            f"Issue a {what} note on {self.original} dated {data.date.isoformat()} for "
            f"{self.currency.format(net + tax_amount)} {self.currency.code} (VAT "
            f"{self.currency.format(tax_amount)})? It is numbered and posted at once and "
            f"cannot be changed.{then}"
        )


__all__ = ["NoteForm", "NoteLineRow"]
