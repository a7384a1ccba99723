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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.logistics.common import (
    Posting,
    find_item,
    find_location,
    find_lot,
    flush,
    location_label,
    lot_label,
    post_stock_entry,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import BalanceView, Item, MoveView, StockMove


def divide(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero (integers only)."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    q, r = divmod(abs(numerator), abs(denominator))
    return sign * (q + (1 if 2 * r >= abs(denominator) else 0))


def average_cost(item: Item) -> int:
    """The item's average unit cost in minor units (rounded); standard cost when it has one."""
    if item.costing == "standard":
        return item.standard_cost
    if item.on_hand > 0:
        return divide(item.stock_value, item.on_hand)
    return 0


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


def on_hand(session: Session, actor: Actor, sku: str) -> list[BalanceView]:
    """On-hand of one item per location and lot (locations with stock only)."""
    from sqlalchemy import text

    from bo_console.logistics.models import BalanceView

    actor.require("logistics.read", "see stock")
    item = find_item(session, sku)
    rows = session.execute(
        text(
            """SELECT l.label, t.lot_no, t.expiry, b.quantity
               FROM lg_stock_balance b JOIN lg_location l ON l.id = b.location_id
               LEFT JOIN lg_lot t ON t.id = b.lot_key
               WHERE b.item_id = :i AND b.quantity <> 0
               ORDER BY l.label, t.expiry, t.lot_no"""
        ),
        {"i": item.id},
    ).all()
    return [
        BalanceView(
            sku=item.sku,
            name=item.name,
            location=str(r[0]),
            lot=r[1],
            expiry=date.fromisoformat(str(r[2])) if r[2] else None,
            quantity=int(r[3]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class MoveFilter:
    sku: str | None = None
    location: str | None = None
    source_ref: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int = 200


def list_moves(session: Session, actor: Actor, flt: MoveFilter) -> list[MoveView]:
    """Stock moves, newest first (keyed on the ledger's indexes)."""
    from sqlmodel import col, select

    from bo_console.logistics.models import Item, Location, Lot, MoveView, StockMove

    actor.require("logistics.read", "see stock moves")
    query = (
        select(StockMove, Item.sku, Location.label, Lot.lot_no)
        .join(Item, col(Item.id) == StockMove.item_id)
        .join(Location, col(Location.id) == StockMove.location_id)
        .outerjoin(Lot, col(Lot.id) == StockMove.lot_id)
    )
    if flt.sku:
        query = query.where(StockMove.item_id == find_item(session, flt.sku).id)
    if flt.location:
        query = query.where(StockMove.location_id == find_location(session, flt.location).id)
    if flt.source_ref:
        query = query.where(StockMove.source_ref == flt.source_ref.strip().upper())
    if flt.since:
        query = query.where(col(StockMove.date) >= flt.since)
    if flt.until:
        query = query.where(col(StockMove.date) <= flt.until)
    query = query.order_by(col(StockMove.id).desc()).limit(flt.limit)
    out = []
    for move, sku, label, lot in session.exec(query).all():
        assert move.id is not None
        out.append(
            MoveView(
                id=move.id,
                date=move.date,
                kind=move.kind,
                sku=sku,
                location=label,
                lot=lot,
                quantity=move.quantity,
                value=move.value,
                source=move.source,
                source_ref=move.source_ref,
                reverses_id=move.reverses_id,
                created_by=move.created_by,
            )
        )
    return out


@dataclass(frozen=True)
class ValuationRow:
    sku: str
    name: str
    quantity: int
    value: int
    average_cost: int


def valuation(session: Session, actor: Actor, *, as_of: date | None = None) -> list[ValuationRow]:
    """Quantity and value per item with stock, now (from the items' running totals) or as at
    a date (summed from the moves up to it, so a rerun later gives the same figures)."""
    from sqlalchemy import text

    actor.require("logistics.read", "see the stock valuation")
    if as_of is None:
        rows = session.execute(
            text(
                "SELECT sku, name, on_hand, stock_value FROM lg_item "
                "WHERE on_hand <> 0 OR stock_value <> 0 ORDER BY sku"
            )
        ).all()
    else:
        rows = session.execute(
            text(
                """SELECT i.sku, i.name, m.quantity, m.value FROM lg_item i JOIN (
                     SELECT item_id, SUM(quantity) AS quantity, SUM(value) AS value
                     FROM lg_stock_move WHERE date <= :d GROUP BY item_id) m ON m.item_id = i.id
                   WHERE m.quantity <> 0 OR m.value <> 0 ORDER BY i.sku"""
            ),
            {"d": as_of.isoformat()},
        ).all()
    return [
        ValuationRow(
            sku=str(r[0]),
            name=str(r[1]),
            quantity=int(r[2]),
            value=int(r[3]),
            average_cost=divide(int(r[3]), int(r[2])) if int(r[2]) > 0 else 0,
        )
        for r in rows
    ]


def stock_value(session: Session) -> int:
    """The stock ledger's total value (every move's value)."""
    from sqlalchemy import text

    return int(
        session.execute(text("SELECT COALESCE(SUM(stock_value), 0) FROM lg_item")).scalar_one()
    )


# -- writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdjustmentLine:
    """One line of a manual adjustment: a signed quantity; for stock coming in, its unit
    cost (None: the item's average)."""

    item: str
    quantity: int
    lot: str | None = None
    expiry: date | None = None
    unit_cost: int | None = None


def adjust(
    session: Session,
    actor: Actor,
    *,
    location: str,
    on: date,
    reason: str,
    lines: Sequence[AdjustmentLine],
    kind: str = "adjustment",
) -> str:
    """Adjust stock by hand (found, damaged, opening stock): moves against the adjustment
    account (opening stock: against opening balances). Returns the adjustment's number.

    Raises:
        PermissionDenied: without logistics.manage.
        RuleViolation: stock would go below zero, or the period is closed.
    """
    from bo_console.core import audit
    from bo_console.logistics.common import lot_for_receipt

    actor.require("logistics.manage", "adjust stock")
    if not reason.strip():
        raise ValidationFailed("an adjustment needs its reason")
    if not lines:
        raise ValidationFailed("an adjustment needs at least one line")
    where = find_location(session, location)
    assert where.id is not None
    number = _adj_number(session, on.year)
    total = 0
    for n, line in enumerate(lines, start=1):
        if line.quantity == 0:
            raise ValidationFailed(f"line {n}: the quantity cannot be zero")
        item = find_item(session, line.item)
        if line.quantity > 0:
            lot = lot_for_receipt(session, item, line.lot, line.expiry)
            unit = line.unit_cost if line.unit_cost is not None else average_cost(item)
            if item.costing == "standard":
                unit = item.standard_cost
            value: int | None = line.quantity * unit
        else:
            lot = find_lot(session, item, line.lot) if line.lot else None
            if item.lot_tracked and lot is None:
                raise ValidationFailed(f"line {n}: {item.sku} is tracked by lot; give the lot")
            value = None
        move = add_move(
            session,
            actor,
            item=item,
            location_id=where.id,
            lot_id=lot.id if lot else None,
            on=on,
            kind=kind,
            quantity=line.quantity,
            value=value,
            source="adjustment",
            source_ref=number,
            memo=reason,
        )
        total += move.value
    counter = "opening" if kind == "opening" else "adjustment"
    entry = _post_against(
        session, actor, on, number, f"Stock {counter} {number}: {reason}", total, counter
    )
    audit.record(
        session,
        actor,
        action="adjust",
        entity="stock",
        entity_id=number,
        changes={
            "location": (None, where.label),
            "reason": (None, reason),
            "value": (None, total),
            "entry": (None, entry),
        },
    )
    return number


def _adj_number(session: Session, year: int) -> str:
    from sqlalchemy import text

    stem = f"ADJ-{year}-"
    last = session.execute(
        text(
            "SELECT MAX(source_ref) FROM lg_stock_move WHERE source = 'adjustment' "
            "AND source_ref LIKE :s"
        ),
        {"s": stem + "%"},
    ).scalar_one()
    seq = int(str(last).rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{seq:05d}"


def _post_against(
    session: Session, actor: Actor, on: date, ref: str, memo: str, value: int, role: str
) -> str:
    """Inventory up (or down) by ``value`` against the account of ``role``."""
    if role == "opening":
        from bo_console.finance import service as finance

        if not value:
            return ""
        code = finance.account_for_role(session, "opening_equity")
        inventory = finance.account_for_role(session, "inventory")
        entry = finance.post_entry(
            session,
            actor,
            finance.EntryCreate(
                date=on,
                memo=memo[:200],
                source="stock",
                source_ref=ref,
                lines=[
                    finance.LineCreate.signed(inventory, value, memo[:200]),
                    finance.LineCreate.signed(code, -value, memo[:200]),
                ],
            ),
            permission="logistics.manage",
        )
        return str(entry.ref)
    return post_stock_entry(
        session,
        actor,
        on=on,
        memo=memo,
        source_ref=ref,
        postings=[Posting("inventory", value), Posting(role, -value)],
        permission="logistics.manage",
    )


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


def reverse_adjustment(
    session: Session, actor: Actor, number: str, *, on: date, reason: str
) -> str:
    """Correct a wrong adjustment by reversing each of its moves (and its entry's amount).
    Returns the reversing adjustment's number.

    Raises:
        NotFound: no such adjustment. RuleViolation: already reversed, or stock would go
        below zero.
    """
    from sqlmodel import col, select

    from bo_console.core import audit
    from bo_console.logistics.models import Item, StockMove

    actor.require("logistics.manage", "reverse adjustments")
    number = number.strip().upper()
    moves = session.exec(
        select(StockMove)
        .where(StockMove.source == "adjustment", StockMove.source_ref == number)
        .order_by(col(StockMove.id))
    ).all()
    if not moves:
        raise NotFound(f"no adjustment {number}")
    if any(m.reverses_id is not None for m in moves):
        raise RuleViolation(f"{number} is itself a reversal")
    ids = [m.id for m in moves]
    done = session.exec(select(StockMove.id).where(col(StockMove.reverses_id).in_(ids))).first()
    if done is not None:
        raise RuleViolation(f"{number} is already reversed")
    ref = _adj_number(session, on.year)
    total = 0
    for move in moves:
        item = session.get(Item, move.item_id)
        assert item is not None
        back = add_move(
            session,
            actor,
            item=item,
            location_id=move.location_id,
            lot_id=move.lot_id,
            on=on,
            kind="reversal",
            quantity=-move.quantity,
            value=-move.value,
            source="adjustment",
            source_ref=ref,
            memo=f"reverses {number}: {reason}",
            reverses_id=move.id,
        )
        total += back.value
    entry = _post_against(
        session, actor, on, ref, f"Reversal of {number}: {reason}", total, "adjustment"
    )
    audit.record(
        session,
        actor,
        action="reverse",
        entity="stock",
        entity_id=number,
        changes={"reversed_by": (None, ref), "reason": (None, reason), "entry": (None, entry)},
    )
    return ref
