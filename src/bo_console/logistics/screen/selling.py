"""The Sales orders, Shipments and Counts tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from bo_console.logistics import service
from bo_console.logistics.screen.items import ITEMS, STOCK
from bo_console.logistics.screen.orders import SERIALS_HELP, deal_serials
from bo_console.logistics.screen.returns import RETURNS
from bo_console.ui.base import console_today
from bo_console.ui.kit.actions import ServiceAction, form_action, read, run_action
from bo_console.ui.kit.form import FormField, date_check, one_of, whole_number
from bo_console.ui.kit.line_items import (
    Collected,
    LineColumn,
    LineItemsForm,
    LineRow,
    line_item_bindings,
)
from bo_console.ui.kit.notify import hidden
from bo_console.ui.kit.record_items import show_record_items
from bo_console.ui.kit.short_list import ColumnSpec, ListRow, ShortListPane
from bo_console.ui.widgets.inputs import FieldInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

SALES = "logistics.sales-orders"
SHIPMENTS = "logistics.shipments"
COUNTS = "logistics.counts"


class SalesOrdersPane(ShortListPane):
    """Sales orders, newest first: confirm (reserve), ship what is outstanding, invoice."""

    COLUMNS = (
        ColumnSpec("Number", 13),
        ColumnSpec("Date", 10),
        ColumnSpec("Customer", 16),
        # The amount before the status, so that at 80 columns it is never cut.
        ColumnSpec("Total", 12, right=True),
        ColumnSpec("Status", 15, flex=False),
        ColumnSpec("Shipped", 13, right=True, optional=True),
    )
    BINDINGS = [
        Binding("a", "confirm_order", "Confirm", id="logistics.sales.confirm"),
        Binding("s", "ship", "Ship", id="logistics.sales.ship"),
        Binding("i", "invoice", "Invoice", id="logistics.sales.invoice"),
        Binding(
            "t",
            "take_back",
            "Return",
            id="logistics.sales.return",
            tooltip="Take goods back from the customer (a return against a shipped line)",
        ),
        Binding(
            "w",
            "work_items",
            "Work items",
            id="logistics.sales.items",
            tooltip="The open work items about this order",
        ),
    ]
    PERMS = {
        "confirm_order": "logistics.write",
        "ship": "logistics.write",
        "invoice": "finance.post",
        "take_back": "logistics.write",
    }
    LISTENS = frozenset({SALES})
    TABLE_ID = "sales-table"
    STATUS_ID = "sales-status"

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.logistics.screen.orders import order_rows

        orders = service.list_sales_orders(session, actor)
        return order_rows(session, orders, "customer", "delivered")

    def status_text(self, rows: Any) -> str:
        return (
            f"Sales orders: {len(rows):,} · a confirm · s ship · i invoice · t return · "
            "w work items"
        )

    def action_work_items(self) -> None:
        if self.selected_key is not None:
            show_record_items(self, "order", self.selected_key)

    def action_confirm_order(self) -> None:
        number = self.selected_key
        if number is None:
            return
        run_action(
            self,
            ServiceAction(
                "Confirm sales order",
                "Confirm",
                lambda s, a: service.confirm_sales_order(s, a, number),
                f"Confirm {number}? Its quantities are reserved.",
                lambda o: self.notify(f"{o.number} is confirmed"),
                topics=(SALES,),
                destructive=False,
            ),
        )

    def action_ship(self) -> None:
        number = self.selected_key
        if number is None:
            return

        def action_for(values: dict[str, str]) -> ServiceAction[Any]:
            from bo_console.core.dates import parse_date
            from bo_console.logistics.selling import find_sales_order, sales_lines

            def work(session: Session, actor: Actor) -> Any:
                order = find_sales_order(session, number)
                due = [
                    (
                        x.line_no,
                        x.quantity - x.delivered_qty,
                        service.get_item(session, actor, f"#{x.item_id}").serial_tracked,
                    )
                    for x in sales_lines(session, order.id or 0)
                    if x.quantity > x.delivered_qty
                ]
                serials = deal_serials(values["serials"], due)
                lines = [
                    service.DeliveryLineCreate(line=n, quantity=q, serials=serials.get(n, []))
                    for n, q, _ in due
                ]
                return service.deliver(
                    session,
                    actor,
                    service.DeliveryCreate(
                        order=number,
                        date=parse_date(values["date"]),
                        location=values["location"],
                        carrier=values["carrier"],
                        tracking=values["tracking"],
                        route=values["route"],
                        lines=lines,
                    ),
                )

            return ServiceAction(
                "Ship sales order",
                "Ship",
                work,
                f"Ship what is outstanding on {number} from {values['location']} (first expiry "
                "first out)? Cost of sales is posted against inventory.",
                lambda d: self.notify(f"shipped {d.number}"),
                topics=(SALES, SHIPMENTS, ITEMS, STOCK),
            )

        form_action(
            self,
            f"Ship {number}",
            [
                FormField("location", "From", required=True, help="WAREHOUSE/BIN (scan it)"),
                FormField(
                    "date",
                    "Date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
                FormField("carrier", "Carrier"),
                FormField("tracking", "Tracking"),
                FormField("route", "Route"),
                FormField("serials", "Serials", help=SERIALS_HELP),
            ],
            action_for,
        )

    def action_take_back(self) -> None:
        number = self.selected_key
        if number is None:
            return

        def action_for(values: dict[str, str]) -> ServiceAction[Any]:
            from bo_console.core.dates import parse_date

            data = service.ReturnCreate(
                order=number,
                date=parse_date(values["date"]),
                location=values["location"] or None,
                reason=values["reason"],
                lines=[
                    service.ReturnLineCreate(
                        line=int(values["line"]),
                        quantity=int(values["quantity"]),
                        lot=values["lot"] or None,
                    )
                ],
            )
            where = values["location"] or "the warehouse's RETURNS bin"
            return ServiceAction(
                "Customer return",
                "Take back",
                lambda s, a: service.take_back(s, a, data),
                f"Take back {values['quantity']} of line {values['line']} of {number} into "
                f"{where}? Stock comes back at its cost; invoiced units go to finance for a "
                "credit note.",
                lambda r: self.notify(
                    f"took back {r.number}"
                    + (" · credit note asked of finance" if r.credit_value else "")
                ),
                topics=(SALES, ITEMS, STOCK, RETURNS),
            )

        form_action(
            self,
            f"Return against {number}",
            [
                FormField(
                    "line",
                    "Line",
                    value="1",
                    required=True,
                    check=whole_number("line", low=1, high=500),
                ),
                FormField(
                    "quantity",
                    "Quantity",
                    required=True,
                    check=whole_number("quantity", low=1, high=10**9),
                ),
                FormField("lot", "Lot", help="the lot that comes back (scan it)"),
                FormField("location", "Into", help="WAREHOUSE/BIN; empty: the RETURNS bin"),
                FormField("reason", "Reason", required=True),
                FormField(
                    "date",
                    "Date",
                    value=console_today().isoformat(),
                    required=True,
                    check=date_check,
                ),
            ],
            action_for,
        )

    def action_invoice(self) -> None:
        number = self.selected_key
        if number is None:
            return
        on = console_today()
        run_action(
            self,
            ServiceAction(
                "Invoice deliveries",
                "Invoice",
                lambda s, a: service.invoice_order(s, a, number, on=on),
                f"Invoice what was delivered on {number} and not yet invoiced?",
                lambda ref: self.notify(f"posted {ref}"),
                topics=(SALES,),
            ),
        )


class ShipmentsPane(ShortListPane):
    """The dispatch list: shipments by day and route, with their delivery status."""

    COLUMNS = (
        ColumnSpec("Delivery", 14),
        ColumnSpec("Date", 10),
        ColumnSpec("Route", 10),
        ColumnSpec("Customer", 18),
        ColumnSpec("Carrier", 12, flex=False, optional=True),
        ColumnSpec("Status", 9),
    )
    BINDINGS = [Binding("s", "set_status", "Set status", id="logistics.shipments.status")]
    PERMS = {"set_status": "logistics.write"}
    LISTENS = frozenset({SHIPMENTS})
    TABLE_ID = "shipments-table"
    STATUS_ID = "shipments-status"

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        return [
            ListRow(
                r.number, (r.number, r.date.isoformat(), r.route, r.customer, r.carrier, r.status)
            )
            for r in service.dispatch_list(session, actor)
        ]

    def status_text(self, rows: Any) -> str:
        return f"Shipments: {len(rows):,} by day and route · s set status"

    def action_set_status(self) -> None:
        number = self.selected_key
        if number is None:
            return
        statuses = ("shipped", "delivered", "failed")

        def action_for(values: dict[str, str]) -> ServiceAction[Any]:
            status = values["status"].strip().lower()
            return ServiceAction(
                "Shipment status",
                "Save",
                lambda s, a: service.set_shipment_status(
                    s, a, number, status, tracking=values["tracking"] or None
                ),
                f"Mark {number} {status}?",
                lambda d: self.notify(f"{d.number} is {d.status}"),
                topics=(SHIPMENTS,),
                destructive=False,
            )

        form_action(
            self,
            f"Status of {number}",
            [
                FormField(
                    "status",
                    "Status",
                    required=True,
                    check=one_of(statuses),
                    help=", ".join(statuses),
                ),
                FormField("tracking", "Tracking"),
            ],
            action_for,
        )


class CountsPane(ShortListPane):
    """Count sheets, newest first; ``n`` counts a bin (scan or type), ``p`` posts a count."""

    COLUMNS = (
        ColumnSpec("Count", 14),
        ColumnSpec("Date", 10),
        ColumnSpec("Location", 12),
        ColumnSpec("Status", 8),
        ColumnSpec("Lines", 6, right=True),
        ColumnSpec("Difference", 12, right=True),
    )
    BINDINGS = [
        Binding("n", "new_count", "New count", id="logistics.counts.new"),
        Binding("p", "post_count", "Post", id="logistics.counts.post"),
    ]
    PERMS = {"new_count": "logistics.write", "post_count": "logistics.write"}
    LISTENS = frozenset({COUNTS})
    TABLE_ID = "counts-table"
    STATUS_ID = "counts-status"

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.core.money import base_currency

        currency = base_currency(session)
        return [
            ListRow(
                r.number,
                (
                    r.number,
                    r.date.isoformat(),
                    r.location,
                    r.status,
                    r.lines,
                    currency.format(r.difference_value),
                ),
            )
            for r in service.list_counts(session, actor)
        ]

    def status_text(self, rows: Any) -> str:
        return f"Counts: {len(rows):,} · n count a bin · p post"

    def action_new_count(self) -> None:
        def saved(count_id: int | None) -> None:
            if count_id is not None:
                self.load()

        self.app.push_screen(CountForm(), saved)

    def action_post_count(self) -> None:
        number = self.selected_key
        if number is None:
            return
        differences = read(self, lambda s, a: service.differences(s, a, number))
        if differences is None:
            return
        changed = [d for d in differences if d.difference]
        run_action(
            self,
            ServiceAction(
                "Post count",
                "Post",
                lambda s, a: service.post_count(s, a, number),
                f"Post {number}? {len(changed)} of {len(differences)} lines differ; they are "
                "adjusted at average cost against the adjustment account.",
                lambda c: self.notify(f"posted {c.number}"),
                topics=(COUNTS, ITEMS, STOCK),
            ),
        )


class CountLineRow(LineRow):
    """One counted line: item (SKU or barcode, scanned), lot, quantity counted."""

    DEFAULT_CSS = """
    CountLineRow .item { width: 1fr; }
    CountLineRow .lot { width: 16; }
    CountLineRow .counted { width: 10; margin-right: 0; }
    """

    COLUMNS = (
        LineColumn("item", "SKU or barcode", "item", max_length=64),
        LineColumn("lot", "lot", "lot", max_length=40),
        LineColumn("counted", "counted", "counted"),
    )
    ID_PREFIX = "count-line"
    MARK_INVALID = "item"


class CountForm(LineItemsForm[Any]):
    """A count sheet for one bin: ``ctrl+s`` saves it open, ``ctrl+o`` saves and posts it."""

    DEFAULT_CSS = """
    CountForm { align: center middle; }
    CountForm > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    CountForm .form-title { text-style: bold; }
    CountForm .head { height: 1; margin-top: 1; }
    CountForm .head Label { width: auto; padding-right: 1; }
    CountForm .head Input { background: $boost; margin-right: 1; }
    CountForm #count-location { width: 1fr; }
    CountForm #count-date { width: 12; margin-right: 0; }
    CountForm #count-lines { height: auto; max-height: 12; }
    CountForm #count-message { color: $error; height: auto; }
    CountForm .keys { color: $text-muted; }
    """

    BINDINGS = line_item_bindings("count", post_tooltip="Save and post the count")
    ROW = CountLineRow
    LINES_ID = "count-lines"
    MESSAGE_ID = "count-message"
    NOUN = "count"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Count a bin", classes="form-title")
            with Horizontal(classes="head"):
                yield Label("Location")
                yield FieldInput(
                    id="count-location", compact=True, advance_on_enter=True, placeholder="WH/BIN"
                )
                yield Label("Date")
                yield FieldInput(
                    value=console_today().isoformat(),
                    id="count-date",
                    compact=True,
                    advance_on_enter=True,
                )
            with VerticalScroll(id="count-lines", can_focus=False):
                for _ in range(2):
                    yield self.new_row()
            yield hidden(Static("", id="count-message"))
            yield Static(
                "ctrl+s save open · ctrl+o save and post · ctrl+n/r add/remove line · esc cancel",
                classes="keys",
            )

    def on_mount(self) -> None:
        self.query_one("#count-location", Input).focus()

    def head_values(self) -> tuple[str, ...]:
        return tuple(
            self.query_one(f"#count-{n}", Input).value.strip() for n in ("location", "date")
        )

    def row_counts(self, values: tuple[str, ...]) -> bool:
        return bool(values[0])

    def check_row(self, row: LineRow, *, saving: bool = False) -> bool:
        item, _, counted = row.values()
        if item and counted and not counted.isdigit():
            row.show("the count is a whole number", error=True)
            return False
        row.show("", error=False)
        return True

    def collect(self) -> Collected[Any] | None:
        from bo_console.core.dates import parse_date

        lines, serials = [], []
        for row in self.rows():
            item, lot, counted = row.values()
            if not item:
                continue
            if not counted.isdigit():
                row.show("the count is a whole number", error=True)
                return None
            lines.append(service.CountLineCreate(item=item, lot=lot or None, counted=int(counted)))
            serials.append(row.serial)
        location, day = self.head_values()
        try:
            on = parse_date(day)
        except ValueError as exc:
            self.say(f"date: {exc}")
            return None
        if not location or not lines:
            self.say("give the bin and at least one counted line")
            return None
        return Collected((location, on, lines), serials)

    def write_data(
        self, session: Session, actor: Actor, data: Any, *, post: bool
    ) -> tuple[int, str]:
        location, on, lines = data
        count = service.open_count(session, actor, location=location, on=on)
        service.record_counts(session, actor, count.number, lines)
        if post:
            service.post_count(session, actor, count.number)
        return count.id or 0, count.number

    def post_question(self, data: Any) -> tuple[str, str]:
        location, _, lines = data
        return (
            "Post count",
            f"Save and post this count of {len(lines)} lines for {location}? The differences "
            "are adjusted at average cost against the adjustment account.",
        )
