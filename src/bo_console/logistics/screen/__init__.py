"""The Logistics screen: items, stock moves, purchase orders, sales orders, shipments and
counts, built on ``ui.kit`` over the logistics services.

Every change goes through the kit's write path in its own unit of work; irreversible steps
(approve, receive, ship, invoice, post a count) are first tried in a transaction that is
rolled back, so a refusal shows at once, then confirmed. Wherever a SKU, barcode, lot or
location is typed, a scanner (which types and presses Enter) works the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from bo_console.logistics.screen.items import ItemDialog, ItemsPane, StockPane
from bo_console.logistics.screen.orders import OrderDialog, OrdersPane, PurchaseOrderForm
from bo_console.logistics.screen.returns import ReturnsPane
from bo_console.logistics.screen.selling import (
    CountForm,
    CountsPane,
    SalesOrdersPane,
    ShipmentsPane,
)
from bo_console.ui.kit.department import DepartmentScreen, Tab

__all__ = [
    "CountForm",
    "CountsPane",
    "ItemDialog",
    "ItemsPane",
    "LogisticsScreen",
    "OrderDialog",
    "OrdersPane",
    "PurchaseOrderForm",
    "ReturnsPane",
    "SalesOrdersPane",
    "ShipmentsPane",
    "StockPane",
]


class LogisticsScreen(DepartmentScreen):
    """Logistics: items, stock, purchase orders, sales orders, shipments, counts, inbox."""

    DEPARTMENT = "logistics"
    SCREEN_TITLE = "Logistics"
    LAZY_TABS = True
    LINK_TABS = {
        "item": "items",
        "order": "sales",
        "delivery": "shipments",
        "purchase-order": "orders",
        "receipt": "orders",
        "return": "returns",
    }
    DEFAULT_CSS = """
    LogisticsScreen Tab { padding: 0 0 0 1; }
    """
    HELP = (
        "Items: every item in SKU order; / finds a SKU, name or scanned barcode, enter shows "
        "its stock per bin and lot; p reorders (draft purchase orders for what is below its "
        "reorder point, once a day, under a progress bar). Stock: the ledger of moves, newest "
        "first; / finds a SKU or "
        "document. Purchase orders: n new (ctrl+s draft, ctrl+o save and approve), a approve, "
        "g receives what is outstanding (a goods receipt), enter opens an order (a approve, "
        "s sent, g receive with lot and expiry). Sales "
        "orders: a confirm (reserves stock), s ship what is outstanding (first expiry first "
        "out), i invoice what was delivered (finance clerks), t takes goods back from the "
        "customer (a return: into a bin or the RETURNS bin; invoiced units go to finance for "
        "a credit note). Shipments: the dispatch list; s sets a delivery status. Counts: n "
        "counts a bin (scan or type), p posts a count's differences. Returns: customer "
        "returns, newest first. Every step is checked first and asks before it is done."
    )

    def tabs(self) -> Iterable[Tab]:
        app = self.bo_app
        yield Tab("items", "Items", lambda: ItemsPane(app))
        yield Tab(
            "stock",
            "Stock",
            lambda: StockPane(app),
            keywords="movements receipts issues transfers by bin and lot",
        )
        yield Tab("orders", "Purchase orders", OrdersPane)
        yield Tab("sales", "Sales orders", SalesOrdersPane)
        yield Tab("shipments", "Shipments", ShipmentsPane)
        yield Tab("counts", "Counts", CountsPane, short="Count", keywords="stock counts stock-take")
        yield Tab("returns", "Returns", ReturnsPane, short="Rtns")
