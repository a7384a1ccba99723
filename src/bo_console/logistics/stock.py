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

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics.common import (
    find_item,
    find_location,
    find_lot,
    flush,
    location_label,
    lot_label,
)
from bo_console.logistics.serials import check_untracked

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


class ValuationRow(NamedTuple):
    """One item in the valuation report (a tuple: 50,000 of them are built per report)."""

    sku: str
    name: str
    quantity: int
    value: int
    average_cost: int


# ``divide(value, quantity)`` in SQL (half away from zero; SQLite's integer division truncates).
_AVERAGE = """CASE WHEN {q} > 0 THEN CASE WHEN {v} >= 0 THEN (2 * {v} + {q}) / (2 * {q})
                   ELSE -((({q}) - 2 * {v}) / (2 * {q})) END ELSE 0 END"""


def valuation(session: Session, actor: Actor, *, as_of: date | None = None) -> list[ValuationRow]:
    """Quantity and value per item with stock, now (from the items' running totals) or as at
    a date (so a rerun later gives the same figures).

    As at a date, each item's running total at a month end is one row of the monthly totals;
    the date's own month is the total at the end of the month before plus its moves up to the
    date, or, in the second half of a month, the total at its end less the moves after it.
    """
    from sqlalchemy import text

    actor.require("logistics.read", "see the stock valuation")
    if as_of is None:
        average = _AVERAGE.format(q="on_hand", v="stock_value")
        result = session.execute(
            text(
                f"SELECT sku, name, on_hand, stock_value, {average} FROM lg_item "  # noqa: S608
                "WHERE on_hand <> 0 OR stock_value <> 0 ORDER BY sku"
            )
        )
    else:
        import calendar

        from sqlalchemy import Date, bindparam

        early = as_of.day <= 15
        last = calendar.monthrange(as_of.year, as_of.month)[1]
        bound = as_of.replace(day=1) if early else as_of.replace(day=last)
        edge = "start" if early else "end"
        # Typed as dates: PostgreSQL compares a DATE column with a date, SQLite with its text.
        query = text(_as_of_sql(early=early)).bindparams(
            bindparam("d", type_=Date), bindparam(edge, type_=Date)
        )
        params = {"p": f"{as_of.year:04d}-{as_of.month:02d}", "d": as_of, edge: bound}
        result = session.execute(query, params)
    return list(map(ValuationRow._make, result))


def _as_of_sql(*, early: bool) -> str:
    """The valuation-as-at query (see :func:`valuation`)."""
    month, sign, moves = (
        ("<", "", "date >= :start AND date <= :d")
        if early
        else ("<=", "-", "date > :d AND date <= :end")
    )
    average = _AVERAGE.format(q="quantity", v="value")
    return f"""SELECT sku, name, quantity, value, {average} FROM (
                SELECT i.sku, i.name,
                       COALESCE(c.quantity, 0) + COALESCE(m.quantity, 0) AS quantity,
                       COALESCE(c.value, 0) + COALESCE(m.value, 0) AS value
                FROM lg_item i
                LEFT JOIN lg_stock_month c ON c.item_id = i.id AND c.period = (
                  SELECT MAX(period) FROM lg_stock_month x
                  WHERE x.item_id = i.id AND x.period {month} :p)
                LEFT JOIN (
                  SELECT item_id, {sign}SUM(quantity) AS quantity, {sign}SUM(value) AS value
                  FROM lg_stock_move WHERE {moves} GROUP BY item_id) m ON m.item_id = i.id
              ) AS totals
              WHERE quantity <> 0 OR value <> 0 ORDER BY sku"""  # noqa: S608


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
