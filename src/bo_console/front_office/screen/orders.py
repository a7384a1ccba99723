"""The Orders tab: where one order stands, as the customer may hear it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from bo_console.front_office import service
from bo_console.front_office.screen.forms import ORDERS
from bo_console.ui.base import bo_app
from bo_console.ui.kit import DataChanged, ServiceAction, read, run_action

if TYPE_CHECKING:
    from bo_console.logistics.service import OrderStatus


def status_lines(status: OrderStatus) -> list[str]:
    """The order as text: its stage first, then lines and shipments (no cost, no ledger)."""
    lines = [
        f"{status.number}   {status.stage.upper()}",
        f"{status.customer} {status.customer_name}   ordered {status.date}"
        + (f"   wanted by {status.requested}" if status.requested else ""),
        "",
        f"{'Line':>4}  {'Item':<28} {'Ordered':>8} {'Shipped':>8} {'Invoiced':>8}",
    ]
    lines += [
        f"{x.line:>4}  {(x.sku + ' ' + x.name)[:28]:<28} {x.ordered:>8} {x.shipped:>8} "
        f"{x.invoiced:>8}"
        for x in status.lines
    ]
    if status.shipments:
        lines += ["", "Shipments:"]
        for s in status.shipments:
            invoice = ""
            if s.invoice:
                invoice = f"   invoice {s.invoice} {status.invoices.get(s.invoice, '')}"
            lines.append(
                f"  {s.number} {s.date} {s.status} {s.carrier} {s.tracking}".rstrip() + invoice
            )
    return lines


class OrdersPane(Vertical, can_focus=True):
    """Type an order number, see where it stands; ``c`` turns a quotation into an order."""

    DEFAULT_CSS = """
    OrdersPane { height: 1fr; }
    OrdersPane #order-number { width: 30; }
    OrdersPane #order-text { height: auto; }
    """
    BINDINGS = [
        Binding("c", "convert", "Make it an order", id="front.orders.convert"),
        Binding("slash", "find", "Find order", id="front.orders.find"),
        Binding("r", "reload", "Refresh", id="front.orders.refresh", show=False),
    ]
    LISTENS = frozenset({ORDERS})

    def __init__(self) -> None:
        super().__init__(id="orders-pane")
        self.status: OrderStatus | None = None

    def compose(self) -> ComposeResult:
        yield Static("Order status: / then SO-... and enter", classes="section-title")
        yield Input(placeholder="SO-2026-00001", id="order-number")
        with VerticalScroll():
            yield Static("", id="order-text")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "convert":
            from bo_console.front_office import service

            status = self.status
            return status is not None and "convert" in service.order_actions(
                bo_app(self).actor, status
            )
        return True

    def on_first_show(self) -> None:
        # The letters open the forms; / goes to the order box.
        self.focus()

    def action_find(self) -> None:
        self.query_one("#order-number", Input).focus()

    @on(Input.Submitted, "#order-number")
    def _look_up(self, event: Input.Submitted) -> None:
        event.stop()
        if self.open_ref(event.value):
            # The keys (c, the forms' letters) work on the order now, not in the box.
            self.focus()

    def open_ref(self, ref: str) -> bool:
        """Show order ``ref`` (also what a work item's linked order opens)."""
        number = ref.strip().upper()
        if not number:
            return False
        self.query_one("#order-number", Input).value = number
        status = read(self, lambda s, a: service.order_status(s, a, number))
        self.show(status)
        return status is not None

    def show(self, status: OrderStatus | None) -> None:
        self.status = status
        text = "\n".join(status_lines(status)) if status is not None else ""
        self.query_one("#order-text", Static).update(Text(text))
        self.refresh_bindings()

    def action_reload(self) -> None:
        if self.status is not None:
            self.open_ref(self.status.number)

    @on(DataChanged)
    def _changed(self, event: DataChanged) -> None:
        self.action_reload()

    def action_convert(self) -> None:
        status = self.status
        if status is None:
            return
        number = status.number
        run_action(
            self,
            ServiceAction(
                "Make it an order",
                "Order",
                lambda s, a: service.convert_quotation(s, a, number),
                f"The customer accepts {number}: make it an order and reserve its stock?",
                self.show,
                topics=(ORDERS,),
                destructive=False,
            ),
        )
