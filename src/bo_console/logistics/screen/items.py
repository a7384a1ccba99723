"""The Items and Stock tabs: the item master and the stock ledger as virtual tables, the
dialog showing one item with its stock per location and lot, and the reorder run (p) under
the Items tab's progress bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from bo_console.logistics import service
from bo_console.logistics.sources import item_source, move_source
from bo_console.ui.kit.actions import read
from bo_console.ui.kit.form import FormField, FormScreen
from bo_console.ui.kit.jobs import JobStrip, start_job
from bo_console.ui.kit.list_pane import ListPane, Row
from bo_console.ui.kit.record_dialog import RecordDialog, RecordSpec, TableSpec
from bo_console.ui.kit.short_list import ColumnSpec

if TYPE_CHECKING:
    from bo_console.ui.app import BoApp

ITEMS = "logistics.items"
STOCK = "logistics.stock"
"""Data topics: the item master and on-hand quantities; the stock ledger."""


def _serials_line(serials: list[tuple[str, str]]) -> str:
    """The serials in stock, a few of them, with where they are."""
    shown = ", ".join(f"{serial} ({where})" for serial, where in serials[:6])
    more = f" and {len(serials) - 6:,} more" if len(serials) > 6 else ""
    return f"Serials in stock: {shown or 'none'}{more}"


class ItemDialog(RecordDialog[Any]):
    """One item: its master data, average cost and value, and its stock per bin and lot."""

    def record_spec(self, view: Any) -> RecordSpec:
        item, stock, currency, serials = view
        header = [
            f"{item.sku}   {item.name}",
            *([item.name_ar] if item.name_ar else []),
            f"On hand {item.on_hand:,} {item.unit} · average cost "
            f"{currency.format(item.average_cost)} · value {currency.format(item.stock_value)}",
            f"Reorder at {item.reorder_point:,} (order {item.reorder_qty:,}) · supplier "
            f"{item.supplier or '-'} · {'lots and expiry' if item.lot_tracked else 'no lots'}",
            f"Barcodes: {' '.join(item.barcodes) or '-'}",
            *(
                [f"Bought in {item.purchase_unit} of {item.purchase_factor:,} {item.unit}"]
                if item.purchase_unit
                else []
            ),
            *([_serials_line(serials)] if item.serial_tracked else []),
        ]
        table = TableSpec(
            columns=(
                ColumnSpec("Location", 12),
                ColumnSpec("Lot", 14),
                ColumnSpec("Expiry", 10),
                ColumnSpec("Quantity", 10, right=True),
            ),
            rows=[
                (b.location, b.lot or "", b.expiry.isoformat() if b.expiry else "", b.quantity)
                for b in stock
            ],
            id="item-stock",
        )
        return RecordSpec(header=header, table=table, header_id="item-header")


class ItemsPane(ListPane):
    """Every active item in SKU order; ``/`` finds a SKU, name or scanned barcode."""

    WORK_ITEMS = ("item", "sku")

    BINDINGS = [
        Binding(
            "p",
            "reorder",
            "Reorder",
            id="logistics.items.reorder",
            tooltip="Draft purchase orders for the items below their reorder point (once a day)",
        )
    ]
    PERMS = {"reorder": "logistics.write"}
    LISTENS = frozenset({ITEMS, STOCK})

    def __init__(self, app: BoApp) -> None:
        source, self.currency = item_source(app.store, app.actor)
        super().__init__(
            source,
            name="items",
            title="Items",
            filter_hint="SKU, name or barcode (scan it)",
            id="logistics-items",
        )

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield JobStrip(busy_message="the reorder run is still going", id="items-job")

    def open_row(self, key: str, row: Row) -> None:
        self.open_item(str(row["sku"]))

    def action_reorder(self) -> None:
        """Ask where the goods are to be received, then run the day's reorder job (what cron
        runs) under the tab's bar; the draft orders wait on the Purchase orders tab."""
        from bo_console.core.clock import today
        from bo_console.logistics.screen.orders import ORDERS

        app = self.bo_app

        def chosen(location: str | None) -> None:
            if not location:
                return
            start_job(
                self,
                "Reorder",
                lambda progress: service.run_reorder(
                    app.store, app.actor, on=today(), location=location, progress=progress
                ),
                lambda done: self.notify(done.summary),
                topics=(ORDERS, ITEMS),
            )

        self.app.push_screen(
            FormScreen(
                "Reorder the items below their reorder point",
                [
                    FormField(
                        "location",
                        "Receive into",
                        required=True,
                        help="WAREHOUSE/BIN; one draft order per preferred supplier",
                    )
                ],
                lambda values: values["location"].strip().upper(),
                save_label="Reorder",
            ),
            chosen,
        )

    def open_item(self, sku: str) -> None:
        """Show one item in its dialog."""
        view = read(
            self,
            lambda s, a: (
                service.get_item(s, a, sku),
                service.on_hand(s, a, sku),
                self.currency,
                service.serials_in_stock(s, a, sku),
            ),
        )
        if view is not None:
            self.app.push_screen(ItemDialog(view))


class StockPane(ListPane):
    """The stock ledger, newest move first; ``/`` finds a SKU or a document number."""

    LISTENS = frozenset({STOCK})

    def __init__(self, app: BoApp) -> None:
        source, _ = move_source(app.store, app.actor)
        super().__init__(
            source,
            name="stock-moves",
            title="Stock moves",
            filter_hint="SKU or document (GRN-, DN-, ADJ-, CNT-)",
            id="logistics-stock",
        )


def quantity_text(value: int) -> Text:
    return Text(f"{value:,}", justify="right")
