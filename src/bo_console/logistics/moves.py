"""Writing a document's stock moves in one statement: the moves :func:`stock.add_move` would
write one by one, checked and costed the same way, with the same triggers keeping the balances
and refusing what they refuse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics.common import location_label, lot_label
from bo_console.logistics.serials import check_untracked
from bo_console.logistics.stock import issue_value

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import Item


@dataclass(frozen=True)
class PlannedMove:
    """One move of a document for :func:`add_moves`. ``value`` None costs an issue at the
    item's average as it stands after the document's earlier moves."""

    item: Item
    location_id: int
    lot_id: int | None
    quantity: int
    value: int | None = None


def add_moves(
    session: Session,
    actor: Actor,
    moves: Sequence[PlannedMove],
    *,
    on: date,
    kind: str,
    source: str,
    source_ref: str,
    memo: str = "",
) -> list[int]:
    """Write a document's moves in one statement, each checked and costed as :func:`add_move`
    would in turn (the stock on hand and the item's average after the moves before it); the
    same triggers keep the balances and refuse what they refuse. Returns each move's value.

    The stock on hand is read once for the document, and the items' quantities and values are
    carried from move to move as the triggers change them, instead of read back after each.

    Raises:
        RuleViolation: stock would go below zero, or the database refuses a move.
    """
    from sqlalchemy.orm.attributes import set_committed_value

    if not moves:
        return []
    have = _on_hand(
        session,
        {
            (m.item.id or 0, m.location_id, m.lot_id or 0)
            for m in moves
            if m.quantity < 0 and not m.item.allow_negative
        },
    )
    rows: list[dict[str, object]] = []
    values: list[int] = []
    touched = {id(m.item): m.item for m in moves}.values()
    try:
        for m in moves:
            item = m.item
            assert item.id is not None
            check_untracked(item, source)
            key = (item.id, m.location_id, m.lot_id or 0)
            if key in have:
                if m.quantity < 0 and have[key] + m.quantity < 0:
                    where = location_label(session, m.location_id)
                    lot = lot_label(session, m.lot_id)
                    raise RuleViolation(
                        f"{item.sku}: {have[key]} on hand at {where}"
                        f"{f' in lot {lot}' if lot else ''}; cannot take {-m.quantity}"
                    )
                have[key] += m.quantity
            value = m.value
            if value is None:
                value = -issue_value(session, item, -m.quantity) if m.quantity < 0 else 0
            rows.append(_move_row(actor, item.id, m.location_id, m.lot_id, m.quantity, value))
            values.append(value)
            # What the insert trigger does to the item, so the next move is costed on it.
            set_committed_value(item, "on_hand", item.on_hand + m.quantity)
            set_committed_value(item, "stock_value", item.stock_value + value)
        _insert_moves(
            session, rows, on=on, kind=kind, source=source, source_ref=source_ref, memo=memo
        )
    except BaseException:
        for item in touched:
            session.expire(item)  # read again: the moves were not all written
        raise
    return values


def _on_hand(session: Session, keys: set[tuple[int, int, int]]) -> dict[tuple[int, int, int], int]:
    """On-hand per (item, location, lot key) of ``keys`` in one query (0 when none)."""
    from sqlalchemy import bindparam, text

    found = dict.fromkeys(keys, 0)
    if not keys:
        return found
    rows = session.execute(
        text(
            "SELECT item_id, location_id, lot_key, quantity FROM lg_stock_balance "
            "WHERE item_id IN :items"
        ).bindparams(bindparam("items", expanding=True)),
        {"items": sorted({k[0] for k in keys})},
    ).all()
    for item_id, location_id, lot_key, quantity in rows:
        key = (int(item_id), int(location_id), int(lot_key))
        if key in found:
            found[key] = int(quantity)
    return found


def _move_row(
    actor: Actor, item_id: int, location_id: int, lot_id: int | None, quantity: int, value: int
) -> dict[str, object]:
    return {
        "item_id": item_id,
        "location_id": location_id,
        "lot_id": lot_id,
        "quantity": quantity,
        "value": value,
        "reverses_id": None,
        "created_by": actor.login,
    }


def _insert_moves(
    session: Session,
    rows: list[dict[str, object]],
    *,
    on: date,
    kind: str,
    source: str,
    source_ref: str,
    memo: str,
) -> None:
    """Insert stock move rows with one executemany (in order: each row's triggers see the
    rows before it). What the ORM's guard on text fields would check, checked here."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from bo_console.core.clock import utcnow
    from bo_console.core.text import forbidden_character
    from bo_console.logistics.common import database_message
    from bo_console.logistics.models import StockMove

    memo = memo[:200]
    for name, value in (("memo", memo), ("source_ref", source_ref), ("kind", kind)):
        problem = forbidden_character(value)
        if problem is not None:
            raise ValidationFailed(f"{name} {problem}")
    shared = {
        "date": on,
        "kind": kind,
        "source": source,
        "source_ref": source_ref,
        "memo": memo,
        "created_at": utcnow(),
    }
    try:
        session.execute(insert(StockMove.__table__), [{**row, **shared} for row in rows])  # type: ignore[attr-defined]
    except IntegrityError as exc:
        raise RuleViolation(database_message(exc)) from None


@dataclass(frozen=True)
class IncomingMove:
    """One move into stock for :func:`add_incoming_moves`: a positive quantity at a known
    value."""

    item: Item
    location_id: int
    lot_id: int | None
    quantity: int
    value: int


def add_incoming_moves(
    session: Session,
    actor: Actor,
    moves: Sequence[IncomingMove],
    *,
    on: date,
    kind: str,
    source: str,
    source_ref: str,
    memo: str = "",
) -> None:
    """Write many moves into stock in one statement (a take-on of a whole warehouse): the
    rows :func:`add_move` would write one by one, with the same triggers keeping the balances
    and refusing what they refuse; the items then hold the totals the triggers wrote.

    Raises:
        RuleViolation: a quantity is not positive, or the database refuses a move.
    """
    from sqlalchemy.orm.attributes import set_committed_value

    if any(move.quantity <= 0 for move in moves):
        raise RuleViolation("moves into stock have positive quantities")
    session.flush()
    # Each item's totals before the moves (read now if they are not loaded), and what the
    # moves add: the insert trigger's sums, set on the items afterwards instead of read back.
    totals: dict[int, tuple[Item, int, int]] = {}
    for m in moves:
        item, quantity, value = totals.get(id(m.item), (m.item, m.item.on_hand, m.item.stock_value))
        totals[id(m.item)] = (item, quantity + m.quantity, value + m.value)
    try:
        _insert_moves(
            session,
            [
                _move_row(actor, m.item.id or 0, m.location_id, m.lot_id, m.quantity, m.value)
                for m in moves
            ],
            on=on,
            kind=kind,
            source=source,
            source_ref=source_ref,
            memo=memo,
        )
    except BaseException:
        for item, _, _ in totals.values():
            session.expire(item)  # read again: the moves were not all written
        raise
    for item, on_hand, stock_value in totals.values():
        set_committed_value(item, "on_hand", on_hand)
        set_committed_value(item, "stock_value", stock_value)
