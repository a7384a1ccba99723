"""Serial numbers as the lists read them: an item's serials in stock now, one serial's
history. SQL text over a Reader or a session.

``bo logistics serials list | history`` read through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor
the table models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound
from bo_console.core.reading import reader_of
from bo_console.core.text import clean
from bo_console.logistics.stock_lists import item_ref

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class SerialEvent:
    """One line of a serial's history."""

    date: date
    direction: str
    location: str
    source: str
    source_ref: str
    created_by: str


def serial_history(db: Reads, actor: Actor, item: str, serial: str) -> list[SerialEvent]:
    """Where one serial of an item has been, oldest first (logistics.read).

    Raises:
        NotFound: no such item or serial.
    """
    actor.require("logistics.read", "see serial numbers")
    reader = reader_of(db)
    found_item = item_ref(reader, item)
    found = reader.scalar(
        "SELECT id FROM lg_serial WHERE item_id = :i AND serial = :s",
        {"i": found_item.id, "s": clean(serial).upper()},
    )
    if found is None:
        raise NotFound(f"{found_item.sku} has no serial {serial!r}")
    rows = reader.rows(
        """SELECT m.date, m.direction, l.label, m.source, m.source_ref, m.created_by
           FROM lg_serial_move m JOIN lg_location l ON l.id = m.location_id
           WHERE m.serial_id = :s ORDER BY m.id""",
        {"s": int(found)},
    )
    return [
        SerialEvent(
            date=date.fromisoformat(str(r[0])[:10]),
            direction=str(r[1]),
            location=str(r[2]),
            source=str(r[3]),
            source_ref=str(r[4]),
            created_by=str(r[5]),
        )
        for r in rows
    ]


def serials_in_stock(db: Reads, actor: Actor, item: str) -> list[tuple[str, str]]:
    """(serial, location) of an item's serials in stock now, by serial (logistics.read)."""
    actor.require("logistics.read", "see serial numbers")
    reader = reader_of(db)
    found_item = item_ref(reader, item)
    rows = reader.rows(
        """SELECT s.serial, l.label FROM lg_serial s
           JOIN lg_serial_move m ON m.id = (SELECT MAX(id) FROM lg_serial_move
                                            WHERE serial_id = s.id)
           JOIN lg_location l ON l.id = m.location_id
           WHERE s.item_id = :i AND m.direction = 'in' ORDER BY s.serial""",
        {"i": found_item.id},
    )
    return [(str(r[0]), str(r[1])) for r in rows]
