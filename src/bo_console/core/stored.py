"""Stored times and dates read through a Reader, and times given to one as parameters.

A Reader returns values as the database stores them: on SQLite a time is the text SQLAlchemy
wrote (``2026-12-05 09:40:57.123456``), on PostgreSQL a ``datetime``. These turn them into
what the ORM would have handed over, so a read command prints what it printed before. No
SQLAlchemy here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.reading import Reads

_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy writes a time to SQLite (always with microseconds, never an offset)."""


def moment(value: object) -> datetime:
    """A stored time as a ``datetime`` (naive on SQLite, as the ORM gives it)."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def maybe_moment(value: object) -> datetime | None:
    """:func:`moment`, or None for a NULL."""
    return None if value is None else moment(value)


def day(value: object) -> date | None:
    """A stored date (ISO text on SQLite) as a ``date``, or None for a NULL."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def moment_param(db: Reads, value: datetime) -> datetime | str:
    """``value`` as a parameter compared with a stored time: on SQLite the text SQLAlchemy
    would bind (its offset dropped, as SQLAlchemy drops it), elsewhere the ``datetime``."""
    from bo_console.core.reading import dialect_of

    if dialect_of(db) == "sqlite":
        return value.strftime(_SQLITE_TIME)
    return value
