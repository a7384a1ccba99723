"""The Purchase orders tab: orders with their state, the order dialog (approve, send,
receive), and the new purchase order form (a line-items form)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from bo_console.logistics import service
from bo_console.logistics.screen.items import ITEMS, STOCK
from bo_console.ui.base import bo_app, console_today
from bo_console.ui.kit.actions import ServiceAction, form_action, read, run_action
from bo_console.ui.kit.form import FormField, date_check
from bo_console.ui.kit.line_items import (
    Collected,
    LineColumn,
    LineItemsForm,
    LineRow,
    line_item_bindings,
)
from bo_console.ui.kit.notify import hidden
from bo_console.ui.kit.record_dialog import ActionKey, Choice, RecordDialog, RecordSpec, TableSpec
from bo_console.ui.kit.short_list import ColumnSpec, ListRow, ShortListPane
from bo_console.ui.widgets.inputs import FieldInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

ORDERS = "logistics.purchase-orders"


def order_rows(session: Session, orders: list[Any], party: str, done: str) -> list[ListRow]:
    """An order list's rows (purchase or sales): number, date, the ``party`` field, total,
    status and the ``done`` field (what was received or delivered)."""
    from bo_console.core.money import base_currency

    currency = base_currency(session)
    return [
        ListRow(
            r.number,
            (
                r.number,
                r.date.isoformat(),
                getattr(r, party),
                currency.format(r.total),
                r.status,
                getattr(r, done),
            ),
        )
        for r in orders
    ]


def order_actions(view: Any, actor: Actor) -> frozenset[str]:
    """What can be done to a purchase order from its dialog, for ``actor``."""
    status = view.row.status
    allowed: set[str] = set()
    if actor.can("logistics.write"):
        if status == "draft":
            allowed.add("approve")
        if status == "approved":
            allowed.add("send")
        if status in service.OPEN_TO_RECEIVE:
            allowed.add("receive")
    return frozenset(allowed)


SERIALS_HELP = "Scan one serial per unit, space-separated (serial-tracked items)."


def _serial(session: Session, actor: Actor, sku: str) -> bool:
    return service.get_item(session, actor, sku).serial_tracked


def deal_serials(text: str, lines: list[tuple[int, int, bool]]) -> dict[int, list[str]]:
    """The serials typed or scanned (``text``), dealt to the serial-tracked lines in order:
    each (line, quantity, tracked) takes as many as its quantity."""
    names = text.replace(",", " ").split()
    out: dict[int, list[str]] = {}
    for line, quantity, tracked in lines:
        if tracked:
            out[line], names = names[:quantity], names[quantity:]
    return out


class OrderDialog(RecordDialog[Any]):
    """One purchase order and its lines; dismisses with approve, send or receive."""

    def record_spec(self, view: Any) -> RecordSpec:
        order, currency = view
        r = order.row
        header = [
            f"Purchase order {r.number}   {r.status}",
            f"{r.supplier} · dated {r.date.isoformat()} · into {order.location}",
            f"Total {currency.format(r.total)} · raised by {order.created_by}"
            + (f" · approved by {order.approved_by}" if order.approved_by else ""),
        ]
        table = TableSpec(
            columns=(
                ColumnSpec("#", 3, right=True),
                ColumnSpec("SKU", 18),
                ColumnSpec("Qty", 7, right=True),
                ColumnSpec("Ordered", 10, right=True),
                ColumnSpec("Price", 11, right=True),
                ColumnSpec("Received", 9, right=True),
                ColumnSpec("Billed", 7, right=True),
            ),
            rows=[
                (
                    x.line,
                    x.sku,
                    x.quantity,
                    # "2 box" of "2 box (24 each)": the quantity column has the base units.
                    x.ordered.split(" (")[0],
                    currency.format(x.unit_price),
                    x.received,
                    x.billed,
                )
                for x in order.lines
            ],
            id="order-lines",
        )
        return RecordSpec(
            header=header,
            table=table,
            header_id="order-header",
            actions=(
                ActionKey("a", "approve", "Approve", "a approve", id="order-view.approve"),
                ActionKey("s", "send", "Mark sent", "s sent", id="order-view.send"),
                ActionKey("g", "receive", "Receive", "g receive goods", id="order-view.receive"),
            ),
        )


class OrdersPane(ShortListPane):
    """Purchase orders, newest first (the last 200)."""

    COLUMNS = (
        ColumnSpec("Number", 13),
        ColumnSpec("Date", 10),
        ColumnSpec("Supplier", 16),
        # The amount before the status, so that at 80 columns it is never cut.
        ColumnSpec("Total", 12, right=True),
        ColumnSpec("Status", 15, flex=False),
        ColumnSpec("Received", 13, right=True, optional=True),
    )
    BINDINGS = [
        Binding("n", "new_order", "New", id="logistics.orders.new"),
        Binding("a", "approve", "Approve", id="logistics.orders.approve"),
        Binding(
            "g",
            "receive",
            "Goods receipt",
            id="logistics.orders.receive",
            tooltip="Receive what is still outstanding on the order (a goods receipt)",
        ),
        Binding("enter", "open", "Open", id="logistics.orders.open", show=False),
    ]
    PERMS = {
        "new_order": "logistics.write",
        "approve": "logistics.write",
        "receive": "logistics.write",
    }
    LISTENS = frozenset({ORDERS})
    TABLE_ID = "orders-table"
    STATUS_ID = "orders-status"

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        return order_rows(session, service.list_orders(session, actor), "supplier", "received")

    def status_text(self, rows: Any) -> str:
        return (
            f"Purchase orders: {len(rows):,} (newest first) · n new · a approve · g receive · "
            "enter open"
        )

    def on_data_table_row_selected(self, event: Any) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        number = self.selected_key
        if number is None:
            return
        self.open_order(number)

    def open_order(self, number: str) -> None:
        from bo_console.core.money import base_currency

        view = read(self, lambda s, a: (service.get_order(s, a, number), base_currency(s)))
        if view is None:
            return
        allowed = order_actions(view[0], self.bo_app.actor)

        def chosen(choice: Choice | None) -> None:
            if choice is None:
                return
            if choice.action == "approve":
                self._approve(number)
            elif choice.action == "send":
                run_action(
                    self,
                    ServiceAction(
                        "Mark as sent",
                        "Sent",
                        lambda s, a: service.send_order(s, a, number),
                        f"Mark {number} as sent to the supplier?",
                        lambda o: self.notify(f"{o.number} is {o.status}"),
                        topics=(ORDERS,),
                    ),
                )
            elif choice.action == "receive":
                self._receive(number)

        self.app.push_screen(OrderDialog(view, allowed), chosen)

    def action_approve(self) -> None:
        number = self.selected_key
        if number is not None:
            self._approve(number)

    def _approve(self, number: str) -> None:
        run_action(
            self,
            ServiceAction(
                "Approve purchase order",
                "Approve",
                lambda s, a: service.approve_order(s, a, number),
                f"Approve {number}? The supplier may then be sent it.",
                lambda o: self.notify(f"{o.number} is approved"),
                topics=(ORDERS,),
            ),
        )

    def action_receive(self) -> None:
        number = self.selected_key
        if number is None:
            return
        view = read(self, lambda s, a: service.get_order(s, a, number))
        if view is None:
            return
        if "receive" not in order_actions(view, self.bo_app.actor):
            self.notify(f"{number} is {view.row.status}: nothing to receive", severity="warning")
            return
        self._receive(number)

    def _receive(self, number: str) -> None:
        """Receive what is still outstanding on every line, into one lot when tracked, with
        the serials scanned for serial-tracked lines."""

        def load(session: Session, actor: Actor) -> tuple[Any, set[str]]:
            view = service.get_order(session, actor, number)
            return view, {x.sku for x in view.lines if _serial(session, actor, x.sku)}

        found = read(self, load)
        if found is None:
            return
        order, tracked = found
        outstanding = [
            (x.line, x.quantity - x.received, x.sku in tracked)
            for x in order.lines
            if x.quantity > x.received
        ]

        def action_for(values: dict[str, str]) -> ServiceAction[Any]:
            from bo_console.core.dates import parse_date

            on = parse_date(values["date"])
            lot = values["lot"] or None
            expiry = parse_date(values["expiry"]) if values["expiry"] else None
            serials = deal_serials(values["serials"], outstanding)
            lines = [
                service.ReceiptLineCreate(
                    line=n, quantity=q, lot=lot, expiry=expiry, serials=serials.get(n, [])
                )
                for n, q, _ in outstanding
            ]
            data = service.ReceiptCreate(order=number, date=on, lines=lines)
            units = sum(q for _, q, _ in outstanding)
            return ServiceAction(
                "Receive goods",
                "Receive",
                lambda s, a: service.receive(s, a, data),
                f"Receive {units:,} units against {number}? Stock and the books "
                "(inventory against goods received not invoiced) are posted.",
                lambda r: self.notify(f"received {r.number}"),
                topics=(ORDERS, ITEMS, STOCK),
            )

        form_action(
            self,
            f"Receive {number}",
            [
                FormField(
                    "date",
                    "Date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
                FormField("lot", "Lot", help="Scan or type the lot (lot-tracked items)."),
                FormField("expiry", "Expiry", check=lambda t: date_check(t) if t else None),
                FormField("serials", "Serials", help=SERIALS_HELP),
            ],
            action_for,
        )

    def action_new_order(self) -> None:
        def saved(order_id: int | None) -> None:
            if order_id is not None:
                self.load()

        self.app.push_screen(PurchaseOrderForm(), saved)


# -- the new purchase order form ----------------------------------------------------------------


class OrderLineRow(LineRow):
    """One line of a purchase order: item (SKU or barcode), quantity, unit price."""

    DEFAULT_CSS = """
    OrderLineRow .item { width: 1fr; }
    OrderLineRow .quantity { width: 9; }
    OrderLineRow .price { width: 12; margin-right: 0; }
    """

    COLUMNS = (
        LineColumn("item", "SKU or barcode", "item", max_length=64, suggest="items"),
        LineColumn("quantity", "qty", "quantity"),
        LineColumn("price", "unit price", "price"),
    )
    ID_PREFIX = "po-line"
    MARK_INVALID = "item"


@dataclass(frozen=True)
class _Known:
    skus: dict[str, tuple[str, int]]
    """SKU (and barcode) -> (SKU, last average cost)."""


class PurchaseOrderForm(LineItemsForm["Any"]):
    """A new purchase order: supplier, receiving bin, lines. ``ctrl+s`` saves it as a draft;
    ``ctrl+o`` saves and approves it (checked first, then confirmed)."""

    DEFAULT_CSS = """
    PurchaseOrderForm { align: center middle; }
    PurchaseOrderForm > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    PurchaseOrderForm .form-title { text-style: bold; }
    PurchaseOrderForm .head { height: 1; margin-top: 1; }
    PurchaseOrderForm .head Label { width: auto; padding-right: 1; }
    PurchaseOrderForm .head Input { background: $boost; margin-right: 1; }
    PurchaseOrderForm #po-supplier { width: 1fr; }
    PurchaseOrderForm #po-date { width: 12; }
    PurchaseOrderForm #po-location { width: 14; margin-right: 0; }
    PurchaseOrderForm #po-columns { color: $text-muted; margin-top: 1; }
    PurchaseOrderForm #po-lines { height: auto; max-height: 10; }
    PurchaseOrderForm #po-total { margin-top: 1; text-style: bold; }
    PurchaseOrderForm #po-message { color: $error; height: auto; }
    PurchaseOrderForm .keys { color: $text-muted; }
    """

    BINDINGS = line_item_bindings("purchase-order", post_tooltip="Save and approve")
    ROW = OrderLineRow
    LINES_ID = "po-lines"
    MESSAGE_ID = "po-message"
    NOUN = "purchase order"

    def compose(self) -> ComposeResult:
        from bo_console.core.money import base_currency

        app = bo_app(self)
        with app.store.read() as session:
            self.currency = base_currency(session)
            views = service.list_items(session, app.actor, service.ItemFilter(limit=2000))
        self.known = _Known({v.sku: (v.sku, v.average_cost) for v in views})
        for v in views:
            for code in v.barcodes:
                self.known.skus[code] = (v.sku, v.average_cost)
        self._suggesters = {
            "items": SuggestFromList(sorted({v.sku for v in views}), case_sensitive=False)
        }
        with Vertical():
            yield Static("New purchase order", classes="form-title")
            with Horizontal(classes="head"):
                yield Label("Supplier")
                yield FieldInput(
                    id="po-supplier",
                    compact=True,
                    advance_on_enter=True,
                    placeholder="code or name",
                )
                yield Label("Date")
                yield FieldInput(
                    value=console_today().isoformat(),
                    id="po-date",
                    compact=True,
                    advance_on_enter=True,
                )
                yield Label("Into")
                yield FieldInput(
                    id="po-location", compact=True, advance_on_enter=True, placeholder="WH/BIN"
                )
            yield Static(f"{'':3}{'Item':44}{'Qty':10}Unit price", id="po-columns")
            with VerticalScroll(id="po-lines", can_focus=False):
                for _ in range(2):
                    yield self.new_row()
            yield Static("", id="po-total")
            yield hidden(Static("", id="po-message"))
            yield Static(
                "ctrl+s draft · ctrl+o save and approve · ctrl+n/r add/remove line · esc cancel",
                classes="keys",
            )

    def suggesters(self) -> dict[str, Any]:
        return getattr(self, "_suggesters", {})

    def on_mount(self) -> None:
        self.query_one("#po-supplier", Input).focus()

    def ready_to_check(self) -> bool:
        return hasattr(self, "known")

    def head_values(self) -> tuple[str, ...]:
        return tuple(
            self.query_one(f"#po-{n}", Input).value.strip()
            for n in ("supplier", "date", "location")
        )

    def row_counts(self, values: tuple[str, ...]) -> bool:
        return bool(values[0])

    def _parse(self, row: LineRow) -> tuple[Any, str | None]:
        from bo_console.core.money import parse_amount

        item, qty, price = row.values()
        if not item:
            return None, None
        found = self.known.skus.get(item.upper()) or self.known.skus.get(item)
        if found is None:
            return None, f"no item {item!r}"
        if not qty.isdigit() or int(qty) <= 0:
            return None, "the quantity is a whole number above zero"
        try:
            unit = parse_amount(price, self.currency.exponent) if price else found[1]
        except ValueError as exc:
            return None, str(exc)
        return service.OrderLineCreate(item=found[0], quantity=int(qty), unit_price=unit), None

    def check_row(self, row: LineRow, *, saving: bool = False) -> bool:
        line, problem = self._parse(row)
        if problem:
            row.show(problem, error=True)
            return False
        row.show(
            f"{line.item}: {self.currency.format(line.quantity * (line.unit_price or 0))}"
            if line
            else "",
            error=False,
        )
        return True

    def update_totals(self) -> None:
        total = 0
        for row in self.rows():
            line, _ = self._parse(row)
            if line is not None:
                total += line.quantity * (line.unit_price or 0)
        self.query_one("#po-total", Static).update(f"Total {self.currency.format(total)}")

    def collect(self) -> Collected[Any] | None:
        from bo_console.core.dates import parse_date

        lines, serials, ok = [], [], True
        for row in self.rows():
            if not self.row_counts(row.values()):
                continue
            line, problem = self._parse(row)
            if problem or line is None:
                row.show(problem or "incomplete", error=True)
                ok = False
                continue
            lines.append(line)
            serials.append(row.serial)
        supplier, day, location = self.head_values()
        try:
            on = parse_date(day)
        except ValueError as exc:
            self.say(f"date: {exc}")
            return None
        if not ok:
            return None
        if not supplier or not location or not lines:
            self.say("give the supplier, the bin to receive into and at least one line")
            return None
        data = service.PurchaseOrderCreate(
            supplier=supplier, date=on, location=location, lines=lines
        )
        return Collected(data, serials)

    def write_data(
        self, session: Session, actor: Actor, data: Any, *, post: bool
    ) -> tuple[int, str]:
        order = service.create_order(session, actor, data)
        if post:
            service.approve_order(session, actor, order.number)
        return order.id or 0, order.number

    def post_question(self, data: Any) -> tuple[str, str]:
        total = sum(x.quantity * (x.unit_price or 0) for x in data.lines)
        return (
            "Approve purchase order",
            f"Save and approve this order for {self.currency.format(total)}? Above the "
            "approval limit a manager other than you approves it.",
        )
