"""One purchase order with its lines, as SQL text over a Reader or a session.

``bo logistics po show`` reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor
the table models.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound
from bo_console.core.lookups import day_of
from bo_console.core.reading import reader_of
from bo_console.logistics.sales_lists import OrderRow

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


def in_units(quantity: int, unit: str, factor: int, base: str) -> str:
    """A base quantity as people read it in ``unit``: ``2 box (24 each)``; ``2.5 box`` when it
    does not divide (exact, as a decimal)."""
    if factor <= 1 or not unit:
        return f"{quantity} {base}"
    amount = Decimal(quantity) / Decimal(factor)
    shown = f"{amount:f}".rstrip("0").rstrip(".") if "." in f"{amount:f}" else f"{amount:f}"
    return f"{shown} {unit} ({quantity} {base})"


@dataclass(frozen=True)
class OrderLineView:
    line: int
    sku: str
    name: str
    quantity: int
    unit_price: int
    received: int
    billed: int
    ordered: str = ""
    """The quantity in the unit it was ordered in: ``2 box (24 each)``."""


@dataclass(frozen=True)
class OrderView:
    row: OrderRow
    location: str
    created_by: str
    approved_by: str | None
    lines: tuple[OrderLineView, ...]


def get_order(db: Reads, actor: Actor, number: str) -> OrderView:
    """One purchase order with its lines.

    Raises:
        NotFound: no such order.
    """
    actor.require("logistics.read", "see purchase orders")
    reader = reader_of(db)
    order = reader.first(
        """SELECT o.id, o.number, o.date, COALESCE(p.name, ''), o.status, o.total,
                  COALESCE(l.label, '#' || o.location_id), o.created_by, o.approved_by
           FROM lg_purchase_order o LEFT JOIN fin_party p ON p.id = o.supplier_id
           LEFT JOIN lg_location l ON l.id = o.location_id
           WHERE o.number = :n""",
        {"n": number.strip().upper()},
    )
    if order is None:
        raise NotFound(f"no purchase order {number!r}")
    rows = reader.rows(
        """SELECT x.line_no, i.sku, i.name, x.quantity, x.unit_price, x.received_qty,
                  x.billed_qty, x.unit, x.unit_factor, i.unit
           FROM lg_po_line x JOIN lg_item i ON i.id = x.item_id
           WHERE x.order_id = :o ORDER BY x.line_no""",
        {"o": int(order[0])},
    )
    lines = tuple(
        OrderLineView(
            int(r[0]),
            str(r[1]),
            str(r[2]),
            int(r[3]),
            int(r[4]),
            int(r[5]),
            int(r[6]),
            in_units(int(r[3]), str(r[7] or ""), int(r[8] or 0), str(r[9])),
        )
        for r in rows
    )
    received = f"{sum(x.received for x in lines)}/{sum(x.quantity for x in lines)}"
    when = day_of(order[2])
    assert when is not None
    return OrderView(
        row=OrderRow(str(order[1]), when, str(order[3]), str(order[4]), int(order[5]), received),
        location=str(order[6]),
        created_by=str(order[7]),
        approved_by=order[8],
        lines=lines,
    )
