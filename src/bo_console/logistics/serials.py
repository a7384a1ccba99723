"""Serial numbers: a serial-tracked item is received with one serial per unit and shipped by
naming its serials; each serial's history says where it has been.

Only receipts and deliveries move serial-tracked stock: a transfer, adjustment, count or
return of such an item is refused (by :func:`check_untracked`), so where the serials are
always agrees with the stock ledger. The database refuses a serial received while it is in
stock, shipped while it is not in stock at that location, and any change to the history.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlmodel import select

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.core.text import clean
from bo_console.logistics.common import flush
from bo_console.logistics.serial_list import SerialEvent as SerialEvent
from bo_console.logistics.serial_list import serial_history as serial_history
from bo_console.logistics.serial_list import serials_in_stock as serials_in_stock
from bo_console.logistics.serial_models import Serial, SerialMove

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import Item

SERIAL_SOURCES = ("receipt", "delivery")
"""The documents that move serial-tracked stock."""


def check_untracked(item: Item, source: str) -> None:
    """Refuse a move of a serial-tracked item by a document that names no serials.

    Raises:
        RuleViolation: ``item`` is serial-tracked and ``source`` is not a receipt or delivery.
    """
    if item.serial_tracked and source not in SERIAL_SOURCES:
        raise RuleViolation(
            f"{item.sku} is tracked by serial number: it moves only by receipt and delivery"
        )


def _named(item: Item, serials: list[str], quantity: int) -> list[str]:
    """The serials given for ``quantity`` units of ``item``, cleaned and checked."""
    names = [clean(s).upper() for s in serials if clean(s)]
    if not item.serial_tracked:
        if names:
            raise ValidationFailed(f"{item.sku} is not tracked by serial; leave the serials out")
        return []
    if len(names) != quantity:
        raise ValidationFailed(
            f"{item.sku} is tracked by serial: give {quantity} serial(s), one per unit "
            f"({len(names)} given)"
        )
    if len(set(names)) != len(names):
        raise ValidationFailed(f"{item.sku}: a serial is given twice")
    if any(len(n) > 60 or any(c.isspace() for c in n) for n in names):
        raise ValidationFailed(f"{item.sku}: a serial is one word of at most 60 characters")
    return names


def move_serials(
    session: Session,
    actor: Actor,
    *,
    item: Item,
    serials: list[str],
    quantity: int,
    location_id: int,
    on: date,
    source: str,
    source_ref: str,
) -> list[str]:
    """Record ``serials`` of ``item`` coming in (``quantity`` > 0) or going out at a location;
    the serials as stored. Nothing for an item not tracked by serial.

    Raises:
        ValidationFailed: not one serial per unit, or serials for an untracked item.
        RuleViolation: a serial received while in stock, or shipped while not in stock here.
    """
    names = _named(item, serials, abs(quantity))
    assert item.id is not None
    direction = "in" if quantity > 0 else "out"
    for name in names:
        found = session.exec(
            select(Serial).where(Serial.item_id == item.id, Serial.serial == name)
        ).first()
        if found is None:
            if direction == "out":
                raise RuleViolation(f"{item.sku} serial {name} was never received")
            found = Serial(item_id=item.id, serial=name)
            session.add(found)
            flush(session)
        assert found.id is not None
        here = _location_now(session, found.id)
        if direction == "in" and here is not None:
            raise RuleViolation(f"{item.sku} serial {name} is already in stock")
        if direction == "out" and here != location_id:
            raise RuleViolation(f"{item.sku} serial {name} is not in stock at this location")
        session.add(
            SerialMove(
                serial_id=found.id,
                direction=direction,
                location_id=location_id,
                date=on,
                source=source,
                source_ref=source_ref,
                created_by=actor.login,
            )
        )
        flush(session)
    return names


def _location_now(session: Session, serial_id: int) -> int | None:
    """Where a serial is in stock now (None: not in stock)."""
    row = session.execute(
        text(
            "SELECT direction, location_id FROM lg_serial_move WHERE serial_id = :s "
            "ORDER BY id DESC LIMIT 1"
        ),
        {"s": serial_id},
    ).first()
    return int(row[1]) if row is not None and row[0] == "in" else None
