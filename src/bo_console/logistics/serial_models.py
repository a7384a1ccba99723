"""Serial-number tables: each unit of a serial-tracked item and its history.

A serial is known once per item (``uq_lg_serial``). Its history is a list of moves in and
out; where it is now is where its last move in put it, while no move out has followed. The
``0017`` migration makes the database refuse a move in of a serial that is in stock, a move
out of one that is not in stock at that location, and any change to the history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow
from bo_console.logistics.models import one_of

SERIAL_DIRECTIONS = ("in", "out")


class Serial(SQLModel, table=True):
    """One unit of a serial-tracked item."""

    __tablename__ = "lg_serial"
    __table_args__ = (UniqueConstraint("item_id", "serial", name="uq_lg_serial"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="lg_item.id")
    serial: str = Field(max_length=60)


class SerialMove(SQLModel, table=True):
    """A serial coming into or leaving a location, on a stock document (``source_ref``)."""

    __tablename__ = "lg_serial_move"
    __table_args__ = (
        CheckConstraint(one_of("direction", SERIAL_DIRECTIONS), name="ck_lg_serial_direction"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    serial_id: int = Field(foreign_key="lg_serial.id", index=True)
    direction: str = Field(max_length=3)
    location_id: int = Field(foreign_key="lg_location.id")
    date: date
    source: str = Field(max_length=12)
    source_ref: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)
