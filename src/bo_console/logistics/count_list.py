"""A stock count as its preview reads it: what posting it would change, line by line.
SQL text over a Reader or a session.

``bo logistics counts show`` reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor
the table models. The values follow ``stock``'s costing: a gain at the item's average (or
standard) cost, a loss at what issuing it would be worth now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound
from bo_console.core.reading import reader_of
from bo_console.logistics.item_list import divide, unit_cost

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class CountDifference:
    sku: str
    lot: str | None
    system: int
    counted: int
    difference: int
    value: int


@dataclass(frozen=True)
class _Costed:
    """The item columns that cost an issue."""

    id: int
    costing: str
    standard_cost: int
    on_hand: int
    stock_value: int


def _issue_value(reader: Reader, item: _Costed, quantity: int) -> int:
    """What taking ``quantity`` (> 0) out of stock is worth now (``stock.issue_value``)."""
    if item.costing == "standard":
        return quantity * item.standard_cost
    on_hand = max(item.on_hand, 0)
    if quantity <= on_hand:
        if quantity == on_hand:
            return item.stock_value
        return divide(quantity * item.stock_value, on_hand)
    cost = item.standard_cost
    if not cost:
        last = reader.first(
            "SELECT value, quantity FROM lg_stock_move WHERE item_id = :i AND quantity > 0 "
            "AND kind IN ('receipt', 'opening') ORDER BY id DESC LIMIT 1",
            {"i": item.id},
        )
        cost = divide(int(last[0]), int(last[1])) if last is not None else 0
    return max(item.stock_value, 0) + (quantity - on_hand) * cost


def differences(db: Reads, actor: Actor, number: str) -> list[CountDifference]:
    """What posting the count would change: each line's system quantity, count and value.

    Raises:
        NotFound: no such count.
    """
    actor.require("logistics.read", "see stock counts")
    reader = reader_of(db)
    count = reader.first(
        "SELECT id, location_id FROM lg_count WHERE number = :n", {"n": number.strip().upper()}
    )
    if count is None:
        raise NotFound(f"no stock count {number!r}")
    rows = reader.rows(
        """SELECT i.id, i.sku, i.costing, i.standard_cost, i.on_hand, i.stock_value,
                  c.lot_id, t.lot_no, c.counted,
                  COALESCE(c.system_qty,
                           (SELECT b.quantity FROM lg_stock_balance b
                            WHERE b.item_id = c.item_id AND b.location_id = :loc
                              AND b.lot_key = COALESCE(c.lot_id, 0)), 0)
           FROM lg_count_line c JOIN lg_item i ON i.id = c.item_id
           LEFT JOIN lg_lot t ON t.id = c.lot_id
           WHERE c.count_id = :c ORDER BY c.id""",
        {"c": int(count[0]), "loc": int(count[1])},
    )
    out = []
    for r in rows:
        item = _Costed(int(r[0]), str(r[2]), int(r[3]), int(r[4]), int(r[5]))
        system, counted = int(r[9]), int(r[8])
        diff = counted - system
        if diff > 0:
            cost = unit_cost(item.costing, item.standard_cost, item.on_hand, item.stock_value)
            value = diff * cost
        elif diff < 0:
            value = -_issue_value(reader, item, -diff)
        else:
            value = 0
        lot = None if r[6] is None else (str(r[7]) if r[7] is not None else f"#{r[6]}")
        out.append(CountDifference(str(r[1]), lot, system, counted, diff, value))
    return out
