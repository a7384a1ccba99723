"""The invoice and bill form: party, dates, lines with tax codes, and the totals as you type."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Input, Label, Static

from bo_console.core.dates import parse_date
from bo_console.finance.sources import AccountFinder
from bo_console.ui.base import bo_app, console_today
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

    from bo_console.core.security import Actor
    from bo_console.finance.document_models import DocumentCreate, DocumentLineCreate


class DocumentLineRow(LineRow):
    """One line of the document form: description, quantity, unit price, tax code, account."""

    DEFAULT_CSS = """
    DocumentLineRow .description { width: 1fr; }
    DocumentLineRow .quantity { width: 8; }
    DocumentLineRow .price { width: 12; }
    DocumentLineRow .tax-code { width: 6; }
    DocumentLineRow .line-account { width: 8; margin-right: 0; }
    """

    COLUMNS = (
        LineColumn("description", "description", "description", max_length=200),
        LineColumn("quantity", "qty", "quantity"),
        LineColumn("price", "unit price", "price"),
        LineColumn("tax", "tax", "tax-code", suggest="tax"),
        LineColumn("account", "account", "line-account", suggest="accounts"),
    )
    ID_PREFIX = "doc-line"


class DocumentForm(LineItemsForm["DocumentCreate"]):
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

    BINDINGS = line_item_bindings("document")

    ROW = DocumentLineRow
    LINES_ID = "doc-lines"
    MESSAGE_ID = "doc-message"

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self._suggesters: dict[str, Suggester | None] = {}

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
        # A reverse-charge code charges nothing on the bill itself (the service's rule).
        self.rates = {
            c.code: 0 if c.treatment == "reverse_charge" else int(c.rate * 100) for c in codes
        }
        self.default_tax = next((c.code for c in codes if c.category == "standard"), "")
        self._suggesters = {
            "tax": SuggestFromList(list(self.rates), case_sensitive=False),
            "accounts": SuggestFromList(
                [c.code for c in self.finder.choices], case_sensitive=False
            ),
        }
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
            yield hidden(Static("", id="doc-head-hint"))
            # Column titles over the inputs: widths as DocumentLineRow lays them out.
            yield Static(
                f"{'':3}{'Description':37}{'Qty':9}{'Unit price':13}{'Tax':7}Account",
                id="doc-columns",
            )
            with VerticalScroll(id="doc-lines", can_focus=False):
                for _ in range(2):
                    yield self.new_row()
            yield Static("", id="doc-totals")
            yield hidden(Static("", id="doc-message"))
            yield Static(
                "ctrl+s save draft · ctrl+o post · ctrl+n/ctrl+r add/remove line · esc cancel",
                classes="keys",
            )

    def discard_question(self) -> str:
        return f"Discard this {self.kind}?"

    def blank_values(self) -> tuple[str, ...]:
        return ("", "1", "", self.default_tax, "")

    def suggesters(self) -> dict[str, Suggester | None]:
        return self._suggesters

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#doc-party", Input))  # now, before keys typed ahead

    def ready_to_check(self) -> bool:
        return hasattr(self, "rates")

    def head_values(self) -> tuple[str, ...]:
        return tuple(
            self.query_one(f"#doc-{name}", Input).value.strip()
            for name in ("party", "date", "due", "reference", "memo")
        )

    def row_counts(self, values: tuple[str, ...]) -> bool:
        return bool(values[0])

    # -- checks and totals -------------------------------------------------------------------

    def _line(self, row: LineRow, *, saving: bool) -> tuple[DocumentLineCreate | None, str | None]:
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

    def check_row(self, row: LineRow, *, saving: bool = False) -> bool:
        _, problem = self._line(row, saving=saving)
        row.show(problem or "", error=bool(problem))
        return problem is None

    def totals(self) -> tuple[int, int]:
        """Net and tax of the lines as typed, by the service's rounding rule."""
        from bo_console.finance import tax

        lines = [line for line, _ in (self._line(r, saving=False) for r in self.rows()) if line]
        return tax.document_totals(
            [(line.quantity, line.unit_price, line.tax_code) for line in lines], self.rates
        )

    def update_totals(self) -> None:
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
            say(hint, "")
            return False
        found = self.parties.resolve(text)
        if found is None:
            near = self.parties.matches(text)
            message = (
                "one of: " + " · ".join(f"{code} {name}" for code, name in near)
                if near
                else f"no active {'customer' if self.kind == 'invoice' else 'supplier'} {text!r}"
            )
            say(hint, message)
            hint.add_class("-error")
            return False
        say(hint, f"{found[0]} {found[1]}")
        hint.remove_class("-error")
        return True

    def head_changed(self, input_id: str, value: str) -> None:
        if input_id == "doc-party":
            self._check_party()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        # Leaving the party field with a name only one party has puts in its code.
        if event.input.id != "doc-party":
            return
        found = self.parties.resolve(event.input.value)
        if found is not None and event.input.value.strip() != found[0]:
            event.input.value = found[0]

    # -- saving ------------------------------------------------------------------------------

    def collect(self) -> Collected[DocumentCreate] | None:
        from pydantic import ValidationError

        from bo_console.finance.document_models import DocumentCreate
        from bo_console.finance.messages import headline

        ok = self._check_party()
        lines = []
        serials = []
        for row in self.rows():
            values = row.values()
            line, problem = self._line(row, saving=bool(values[0] or values[2]))
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
                self.say(f"{name}: {exc}")
                return None
        if not ok:
            self.say("Correct what is marked in red.")
            return None
        if not lines:
            self.say("Add at least one line: a description and a unit price.")
            return None
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
            self.say(headline(exc))
            return None
        return Collected(data, serials)

    def write_data(
        self, session: Session, actor: Actor, data: DocumentCreate, *, post: bool
    ) -> tuple[int, str]:
        from bo_console.finance import documents

        document = documents.create_document(session, actor, data)
        if post:
            document = documents.post_document(session, actor, document.id or 0)
        assert document.id is not None
        return document.id, document.ref

    def post_question(self, data: DocumentCreate) -> tuple[str, str]:
        net, tax_amount = self.totals()
        party = self.parties.resolve(data.party)
        name = party[1] if party else data.party
        return f"Post {self.kind}", (
            f"Post this {self.kind} to {name} dated {data.date.isoformat()} for "
            f"{self.currency.format(net + tax_amount)} {self.currency.code}? It gets the next "
            f"{self.kind} number and its journal entry is posted; afterwards only a manager "
            "can void it, with a credit note."
        )


__all__ = ["DocumentForm", "DocumentLineRow"]
