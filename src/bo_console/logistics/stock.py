"""The stock ledger: moves in and out at moving-average (or standard) cost, on-hand, transfers,
adjustments, reversals and the valuation report.

Every change of stock is a :class:`StockMove`; the database keeps the balances and each item's
quantity and value from them and refuses what must never happen (see ``models``). Issues are
costed at the item's average: ``quantity x value / on hand``, rounded half away from zero, and
the last unit out takes what value is left, so no rounding residue stays in stock. The part of
an issue beyond what is on hand (items that allow negative stock) is costed at the item's
standard cost, or at its last receipt's unit cost.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics.common import (
    find_item,
    find_location,
    find_lot,
    flush,
    location_label,
    lot_label,
)
from bo_console.logistics.item_list import divide as divide
from bo_console.logistics.item_list import unit_cost
from bo_console.logistics.serials import check_untracked
from bo_console.logistics.stock_lists import MoveFilter as MoveFilter
from bo_console.logistics.stock_lists import ValuationRow as ValuationRow
from bo_console.logistics.stock_lists import list_moves as list_moves
from bo_console.logistics.stock_lists import on_hand as on_hand
from bo_console.logistics.stock_lists import valuation as valuation

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import Item, StockMove


def average_cost(item: Item) -> int:
    """The item's average unit cost in minor units (rounded); standard cost when it has one."""
    return unit_cost(item.costing, item.standard_cost, item.on_hand, item.stock_value)


def _last_receipt_cost(session: Session, item_id: int) -> int:
    from sqlalchemy import text

    row = session.execute(
        text(
            "SELECT value, quantity FROM lg_stock_move WHERE item_id = :i AND quantity > 0 "
            "AND kind IN ('receipt', 'opening') ORDER BY id DESC LIMIT 1"
        ),
        {"i": item_id},
    ).first()
    return divide(int(row[0]), int(row[1])) if row is not None else 0


def issue_value(session: Session, item: Item, quantity: int) -> int:
    """What taking ``quantity`` (> 0) out of stock is worth now (a positive amount)."""
    if item.costing == "standard":
        return quantity * item.standard_cost
    on_hand = max(item.on_hand, 0)
    if quantity <= on_hand:
        if quantity == on_hand:
            return item.stock_value
        return divide(quantity * item.stock_value, on_hand)
    beyond = quantity - on_hand
    assert item.id is not None
    return max(item.stock_value, 0) + beyond * (
        item.standard_cost or _last_receipt_cost(session, item.id)
    )


def available(session: Session, item_id: int, location_id: int, lot_id: int | None) -> int:
    """On-hand of an item at a location (and lot)."""
    from sqlalchemy import text

    value = session.execute(
        text(
            "SELECT quantity FROM lg_stock_balance WHERE item_id = :i AND location_id = :l "
            "AND lot_key = :k"
        ),
        {"i": item_id, "l": location_id, "k": lot_id or 0},
    ).scalar()
    return int(value or 0)


def add_move(
    session: Session,
    actor: Actor,
    *,
    item: Item,
    location_id: int,
    lot_id: int | None,
    on: date,
    kind: str,
    quantity: int,
    value: int | None,
    source: str,
    source_ref: str,
    memo: str = "",
    reverses_id: int | None = None,
) -> StockMove:
    """Write one move; ``value`` None costs an outgoing move at the item's current cost.

    Raises:
        RuleViolation: stock would go below zero, or the database refuses the move.
    """
    from bo_console.logistics.models import StockMove

    assert item.id is not None
    check_untracked(item, source)
    if quantity < 0 and not item.allow_negative:
        have = available(session, item.id, location_id, lot_id)
        if have + quantity < 0:
            where = location_label(session, location_id)
            lot = lot_label(session, lot_id)
            raise RuleViolation(
                f"{item.sku}: {have} on hand at {where}{f' in lot {lot}' if lot else ''}; "
                f"cannot take {-quantity}"
            )
    if value is None:
        value = -issue_value(session, item, -quantity) if quantity < 0 else 0
    move = StockMove(
        item_id=item.id,
        location_id=location_id,
        lot_id=lot_id,
        date=on,
        kind=kind,
        quantity=quantity,
        value=value,
        source=source,
        source_ref=source_ref,
        memo=memo[:200],
        reverses_id=reverses_id,
        created_by=actor.login,
    )
    session.add(move)
    flush(session)
    session.refresh(item)  # the triggers moved its quantity and value
    return move


# -- reading ------------------------------------------------------------------------------------


def stock_value(session: Session) -> int:
    """The stock ledger's total value (every move's value)."""
    from sqlalchemy import text

    return int(
        session.execute(text("SELECT COALESCE(SUM(stock_value), 0) FROM lg_item")).scalar_one()
    )


# -- writing ------------------------------------------------------------------------------------


def transfer(
    session: Session,
    actor: Actor,
    *,
    item: str,
    quantity: int,
    source: str,
    target: str,
    on: date,
    lot: str | None = None,
) -> str:
    """Move stock between two locations at its current cost (no entry: both sit in the
    inventory account). Returns the transfer's number."""
    from bo_console.core import audit

    actor.require("logistics.write", "transfer stock")
    if quantity <= 0:
        raise ValidationFailed("a transfer moves a positive quantity")
    found = find_item(session, item)
    src, dst = find_location(session, source), find_location(session, target)
    if src.id == dst.id:
        raise ValidationFailed("a transfer goes to another location")
    assert src.id is not None and dst.id is not None
    the_lot = find_lot(session, found, lot) if lot else None
    if found.lot_tracked and the_lot is None:
        raise ValidationFailed(f"{found.sku} is tracked by lot; give the lot")
    number = _transfer_number(session, on.year)
    out = add_move(
        session,
        actor,
        item=found,
        location_id=src.id,
        lot_id=the_lot.id if the_lot else None,
        on=on,
        kind="transfer",
        quantity=-quantity,
        value=None,
        source="transfer",
        source_ref=number,
    )
    add_move(
        session,
        actor,
        item=found,
        location_id=dst.id,
        lot_id=the_lot.id if the_lot else None,
        on=on,
        kind="transfer",
        quantity=quantity,
        value=-out.value,
        source="transfer",
        source_ref=number,
    )
    audit.record(
        session,
        actor,
        action="transfer",
        entity="stock",
        entity_id=number,
        changes={
            "item": (None, found.sku),
            "quantity": (None, quantity),
            "from": (None, src.label),
            "to": (None, dst.label),
        },
    )
    return number


def _transfer_number(session: Session, year: int) -> str:
    from sqlalchemy import text

    from bo_console.core.db import lock_numbering

    lock_numbering(session, "lg_stock_move:transfer")
    stem = f"TRF-{year}-"
    last = session.execute(
        text(
            "SELECT MAX(source_ref) FROM lg_stock_move WHERE source = 'transfer' "
            "AND source_ref LIKE :s"
        ),
        {"s": stem + "%"},
    ).scalar_one()
    seq = int(str(last).rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{seq:05d}"
