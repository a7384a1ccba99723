"""Stock changed by hand: adjustments (found, damaged, opening stock) against the adjustment
account, their reversal, and the take-on of stock the books already hold."""

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
    item_by_id,
    post_stock_entry,
)
from bo_console.logistics.moves import IncomingMove, add_incoming_moves
from bo_console.logistics.stock import add_move, average_cost, stock_value

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import Item


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

    from bo_console.core.db import lock_numbering

    lock_numbering(session, "lg_stock_move:adjustment")
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
    from bo_console.logistics.models import StockMove

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
        item = item_by_id(session, move.item_id)
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


def take_on(
    session: Session, actor: Actor, *, on: date, lines: Sequence[tuple[str, AdjustmentLine]]
) -> str:
    """Bring stock the books already hold into the stock ledger (a company starting to use
    logistics): opening moves at the given costs and no journal entry, so only allowed when
    their total is exactly what the inventory account holds beyond the stock ledger's value.
    ``lines`` are (location, line) pairs. Returns the take-on's number.

    Raises:
        RuleViolation: the total differs from the inventory account's unexplained balance.
    """
    from bo_console.core import audit
    from bo_console.logistics.common import account, ledger_balance, lots_for_receipts

    actor.require("logistics.manage", "take on stock")
    held = ledger_balance(session, account(session, "inventory")) - stock_value(session)
    total = sum(line.quantity * (line.unit_cost or 0) for _, line in lines)
    if total != held or any(line.quantity <= 0 or line.unit_cost is None for _, line in lines):
        raise RuleViolation(
            f"a take-on brings in exactly what the inventory account holds beyond the stock "
            f"ledger ({held} minor units), at positive quantities with costs; these lines "
            f"come to {total}"
        )
    number = f"TAKEON-{on.isoformat()}"
    locations: dict[str, int] = {}
    items: dict[str, Item] = {}
    for label, line in lines:
        if label not in locations:
            locations[label] = find_location(session, label).id or 0
        if line.item not in items:
            items[line.item] = find_item(session, line.item)
    lots = lots_for_receipts(
        session, [(items[line.item], line.lot, line.expiry) for _, line in lines]
    )
    moves = [
        IncomingMove(
            item=items[line.item],
            location_id=locations[label],
            lot_id=lot.id if lot else None,
            quantity=line.quantity,
            value=line.quantity * (line.unit_cost or 0),
        )
        for (label, line), lot in zip(lines, lots, strict=True)
    ]
    add_incoming_moves(
        session,
        actor,
        moves,
        on=on,
        kind="opening",
        source="takeon",
        source_ref=number,
        memo="stock held in the books before the stock ledger",
    )
    # From now on only stock entries move inventory (and GRNI): finance's control accounts.
    from bo_console.finance import service as finance

    finance.start_stock_controls(session, actor, on, permission="logistics.manage")
    audit.record(
        session,
        actor,
        action="take_on",
        entity="stock",
        entity_id=number,
        changes={"lines": (None, len(lines)), "value": (None, total)},
    )
    return number
