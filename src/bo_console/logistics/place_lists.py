"""Where stock is, as lists read it: every bin with what it holds, and the transfers still
on the road between warehouses. SQL text over a Reader or a session.

``bo logistics locations list`` and ``stock in-transit`` read through the standard library's
``sqlite3`` (:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor
pydantic nor the table models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.reading import reader_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

TRANSIT = "TRANSIT"
"""The warehouse that holds the transit bins (one per destination warehouse)."""


@dataclass(frozen=True)
class LocationRow:
    label: str
    warehouse: str
    items: int
    quantity: int


def list_locations(db: Reads, actor: Actor) -> list[LocationRow]:
    """Every bin with how many items and units it holds."""
    actor.require("logistics.read", "see locations")
    rows = reader_of(db).rows(
        """SELECT l.label, w.name,
                  (SELECT COUNT(DISTINCT item_id) FROM lg_stock_balance b
                   WHERE b.location_id = l.id AND b.quantity <> 0),
                  (SELECT COALESCE(SUM(quantity), 0) FROM lg_stock_balance b
                   WHERE b.location_id = l.id)
           FROM lg_location l JOIN lg_warehouse w ON w.id = l.warehouse_id
           ORDER BY l.label"""
    )
    return [LocationRow(str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]


@dataclass(frozen=True)
class InTransit:
    """What one transfer still has on the road."""

    number: str
    sku: str
    lot: str | None
    quantity: int
    value: int
    destination: str
    dispatched: date


def on_the_road(db: Reads, number: str | None = None) -> list[InTransit]:
    """What transfers (or transfer ``number``) left in their transit bins, oldest first."""
    rows = reader_of(db).rows(
        """SELECT m.source_ref, i.sku, t.lot_no, SUM(m.quantity), SUM(m.value), l.code,
                  MIN(m.date), m.item_id, m.lot_id, m.location_id
           FROM lg_stock_move m JOIN lg_location l ON l.id = m.location_id
           JOIN lg_warehouse w ON w.id = l.warehouse_id AND w.code = :transit
           JOIN lg_item i ON i.id = m.item_id LEFT JOIN lg_lot t ON t.id = m.lot_id
           WHERE m.source = 'transfer'
             AND (CAST(:n AS VARCHAR) IS NULL OR m.source_ref = :n)
           GROUP BY m.source_ref, m.item_id, m.lot_id, m.location_id, i.sku, t.lot_no,
                    l.code
           HAVING SUM(m.quantity) <> 0 ORDER BY MIN(m.date), m.source_ref""",
        {"transit": TRANSIT, "n": number},
    )
    return [
        InTransit(
            number=str(r[0]),
            sku=str(r[1]),
            lot=r[2],
            quantity=int(r[3]),
            value=int(r[4]),
            destination=str(r[5]),
            dispatched=date.fromisoformat(str(r[6])[:10]),
        )
        for r in rows
    ]


def in_transit(db: Reads, actor: Actor) -> list[InTransit]:
    """Transfers not yet (wholly) arrived, oldest first (logistics.read)."""
    actor.require("logistics.read", "see goods in transit")
    return on_the_road(db)
