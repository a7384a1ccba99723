"""Stock counts: a count sheet per location, lines scanned or typed, and posting the
differences as adjustments (at average cost, to the adjustment account). A count whose
differences are worth more than the count approval limit is posted by a logistics manager.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics.common import (
    Posting,
    find_item,
    find_location,
    find_lot,
    flush,
    item_by_id,
    next_number,
    post_stock_entry,
    setting,
    validated,
)
from bo_console.logistics.count_list import CountDifference as CountDifference
from bo_console.logistics.count_list import differences as differences
from bo_console.logistics.count_models import CountLineCreate, StockCount, StockCountLine
from bo_console.logistics.stock import add_move, available, average_cost

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor


def find_count(session: Session, number: str) -> StockCount:
    from bo_console.logistics.common import by_number

    return by_number(session, StockCount, number, "stock count")


def open_count(session: Session, actor: Actor, *, location: str, on: date) -> StockCount:
    """Open a count sheet for a location."""
    from bo_console.core import audit

    actor.require("logistics.write", "count stock")
    where = find_location(session, location)
    assert where.id is not None
    count = StockCount(
        number=next_number(session, "lg_count", "CNT", on.year),
        location_id=where.id,
        date=on,
        created_by=actor.login,
    )
    session.add(count)
    flush(session)
    audit.record(
        session,
        actor,
        action="create",
        entity="stock_count",
        entity_id=count.number,
        changes={"location": (None, where.label)},
    )
    return count


def record_counts(
    session: Session, actor: Actor, number: str, lines: Sequence[CountLineCreate]
) -> int:
    """Enter counted quantities (a later count of the same item and lot replaces the earlier
    one). Returns how many lines the sheet has."""
    from sqlmodel import select

    from bo_console.core import audit

    actor.require("logistics.write", "count stock")
    count = find_count(session, number)
    if count.status != "open":
        raise RuleViolation(f"{count.number} is {count.status}")
    assert count.id is not None
    for raw in lines:
        line = validated(CountLineCreate, raw, "count line")
        item = find_item(session, line.item)
        assert item.id is not None
        lot = find_lot(session, item, line.lot) if line.lot else None
        if item.lot_tracked and lot is None:
            raise ValidationFailed(f"{item.sku} is tracked by lot; count each lot")
        key = lot.id if lot is not None and lot.id is not None else 0
        existing = session.exec(
            select(StockCountLine).where(
                StockCountLine.count_id == count.id,
                StockCountLine.item_id == item.id,
                StockCountLine.lot_key == key,
            )
        ).first()
        if existing is not None:
            existing.counted = line.counted
            session.add(existing)
        else:
            session.add(
                StockCountLine(
                    count_id=count.id,
                    item_id=item.id,
                    lot_id=lot.id if lot else None,
                    lot_key=key,
                    counted=line.counted,
                )
            )
        flush(session)
    total = len(count_lines(session, count.id))
    audit.record(
        session,
        actor,
        action="count",
        entity="stock_count",
        entity_id=count.number,
        changes={"lines entered": (None, len(lines))},
    )
    return total


def count_lines(session: Session, count_id: int) -> list[StockCountLine]:
    from sqlmodel import col, select

    return list(
        session.exec(
            select(StockCountLine)
            .where(StockCountLine.count_id == count_id)
            .order_by(col(StockCountLine.id))
        ).all()
    )


def post_count(session: Session, actor: Actor, number: str) -> StockCount:
    """Post a count: each difference becomes an adjustment move, and their value goes to the
    adjustment account against inventory.

    Raises:
        PermissionDenied: differences worth more than the approval limit, without
            logistics.manage.
        RuleViolation: the count is not open, or it has no lines.
    """
    from bo_console.core import audit
    from bo_console.core.clock import utcnow

    actor.require("logistics.write", "post stock counts")
    count = find_count(session, number)
    if count.status != "open":
        raise RuleViolation(f"{count.number} is {count.status}")
    assert count.id is not None
    lines = count_lines(session, count.id)
    if not lines:
        raise RuleViolation(f"{count.number} has no counted lines")
    preview = differences(session, actor, number)
    swing = sum(abs(d.value) for d in preview)
    if swing > setting(session, "count_approval_limit"):
        actor.require(
            "logistics.manage", f"post {count.number} (differences above the approval limit)"
        )
    total = 0
    for line in lines:
        item = item_by_id(session, line.item_id)
        assert item is not None
        system = available(session, line.item_id, count.location_id, line.lot_id)
        line.system_qty = system
        session.add(line)
        diff = line.counted - system
        if diff == 0:
            continue
        move = add_move(
            session,
            actor,
            item=item,
            location_id=count.location_id,
            lot_id=line.lot_id,
            on=count.date,
            kind="adjustment",
            quantity=diff,
            value=diff * average_cost(item) if diff > 0 else None,
            source="count",
            source_ref=count.number,
        )
        total += move.value
    count.entry_ref = post_stock_entry(
        session,
        actor,
        on=count.date,
        memo=f"Stock count {count.number}",
        source_ref=count.number,
        postings=[Posting("inventory", total), Posting("adjustment", -total)],
        permission="logistics.write",
    )
    count.status, count.difference_value = "posted", total
    count.posted_by = actor.login
    session.add(count)
    flush(session)
    audit.record(
        session,
        actor,
        action="post",
        entity="stock_count",
        entity_id=count.number,
        changes={
            "status": ("open", "posted"),
            "value": (None, total),
            "entry": (None, count.entry_ref),
            "at": (None, utcnow()),
        },
    )
    return count


@dataclass(frozen=True)
class CountRow:
    number: str
    date: date
    location: str
    status: str
    lines: int
    difference_value: int


def list_counts(session: Session, actor: Actor, *, limit: int = 200) -> list[CountRow]:
    """Count sheets, newest first."""
    from sqlalchemy import text

    actor.require("logistics.read", "see stock counts")
    rows = session.execute(
        text(
            """SELECT c.number, c.date, l.label, c.status,
                      (SELECT COUNT(*) FROM lg_count_line WHERE count_id = c.id),
                      c.difference_value
               FROM lg_count c JOIN lg_location l ON l.id = c.location_id
               ORDER BY c.id DESC LIMIT :n"""
        ),
        {"n": limit},
    ).all()
    return [
        CountRow(
            str(r[0]), date.fromisoformat(str(r[1])), str(r[2]), str(r[3]), int(r[4]), int(r[5])
        )
        for r in rows
    ]
