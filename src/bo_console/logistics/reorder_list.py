"""Reorder suggestions as the dry run lists them: items whose position (on hand + on order -
reserved) is below their reorder point. SQL text over a Reader or a session.

``bo logistics reorder --dry-run`` reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor
the table models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bo_console.core.reading import reader_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class ReorderSuggestion:
    sku: str
    supplier: str | None
    on_hand: int
    on_order: int
    reserved: int
    reorder_point: int
    quantity: int


def reorder_suggestions(db: Reads, actor: Actor) -> list[ReorderSuggestion]:
    """Items whose position (on hand + on order - reserved) is below their reorder point."""
    actor.require("logistics.read", "see reorder suggestions")
    rows = reader_of(db).rows(
        """SELECT i.sku, p.code, i.on_hand,
                 COALESCE((SELECT SUM(l.quantity - l.received_qty) FROM lg_po_line l
                           JOIN lg_purchase_order o ON o.id = l.order_id
                           WHERE l.item_id = i.id AND l.quantity > l.received_qty
                             AND o.status IN ('draft', 'approved', 'sent', 'partly_received')), 0),
                 COALESCE((SELECT SUM(l.quantity - l.delivered_qty) FROM lg_so_line l
                           JOIN lg_sales_order o ON o.id = l.order_id
                           WHERE l.item_id = i.id
                             AND o.status IN ('confirmed', 'partly_delivered')), 0),
                 i.reorder_point, i.reorder_qty
               FROM lg_item i LEFT JOIN fin_party p ON p.id = i.supplier_id
               WHERE i.active AND i.reorder_point > 0 AND i.on_hand < i.reorder_point + (
                 SELECT COALESCE(SUM(l.quantity - l.delivered_qty), 0) FROM lg_so_line l
                 JOIN lg_sales_order o ON o.id = l.order_id
                 WHERE l.item_id = i.id AND o.status IN ('confirmed', 'partly_delivered'))
               ORDER BY i.sku"""
    )
    out = []
    for sku, supplier, have, on_order, reserved, point, qty in rows:
        position = int(have) + int(on_order) - int(reserved)
        if position >= int(point):
            continue
        need = max(int(qty), int(point) - position)
        out.append(
            ReorderSuggestion(
                str(sku), supplier, int(have), int(on_order), int(reserved), int(point), need
            )
        )
    return out
