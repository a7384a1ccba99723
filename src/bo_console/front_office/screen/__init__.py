"""The Front office screen: order status, my requests, and one form per thing a customer
asks for (register, quote, order, invoice copy, statement, IT ticket, CV, gate delivery).

Every form is the kit's ``form_dialog`` over the front office's Create models; each saves
through one front-office service call.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding

from bo_console.front_office.screen.forms import FORMS, open_form
from bo_console.front_office.screen.orders import OrdersPane
from bo_console.ui.inbox import InboxPanel
from bo_console.ui.kit import DepartmentScreen, Tab

__all__ = ["FrontOfficeScreen", "OrdersPane"]


class FrontOfficeScreen(DepartmentScreen):
    """Front office: orders and their status, and the requests you raised."""

    DEPARTMENT = "front"
    SCREEN_TITLE = "Front office"
    INBOX_TAB = False
    LAZY_TABS = True
    LINK_TABS = {"order": "orders"}
    BINDINGS = [
        Binding(key, f"form('{name}')", label, id=f"front.{name}", tooltip=tip)
        for name, (key, label, tip) in FORMS.items()
    ]
    HELP = (
        "Orders: / then an order number and enter show where it stands (quotation, "
        "reserved, picked, shipped, invoiced, paid), its lines and shipments; c turns the "
        "quotation shown into an order. My requests: what you raised and where each stands "
        "(enter opens one, c shows closed ones too). Anywhere here: n registers a customer "
        "(finance approves it), q enters a quotation, i asks for an invoice copy, s for a "
        "statement, k raises an IT ticket, v hands in a walk-in CV, g records a supplier's "
        "truck at the gate."
    )

    def tabs(self) -> Iterable[Tab]:
        yield Tab("orders", "Orders", OrdersPane)
        yield Tab("requests", "My requests", lambda: InboxPanel(raised=True, id="my-requests"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "form":
            return self.bo_app.actor.can("front.write")
        return super().check_action(action, parameters)

    def action_form(self, name: str) -> None:
        open_form(self, name)
