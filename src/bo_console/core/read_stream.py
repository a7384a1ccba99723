"""Rows of a long query, a block at a time, through a Reader or a session (an export of the
whole journal: a million lines are never held at once).

A :class:`~bo_console.core.reading.Reader` hands back whole results; this walks a cursor
instead: the ``sqlite3`` connection's under a SQLite Reader (no SQLAlchemy), the session's
under a session. No SQLAlchemy is imported on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bo_console.core.reading import Reads, Row


def _sqlite_value(value: Any) -> Any:
    """A parameter as SQLAlchemy gives it to SQLite (dates and times as ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def iter_rows(
    db: Reads, sql: str, params: Mapping[str, Any], *, block: int = 20_000
) -> Iterator[Row]:
    """Every row of the query ``sql`` (named ``:parameters``, no lists), fetched ``block``
    rows at a time."""
    from bo_console.core.reading import SqliteReader, reader_of

    reader = reader_of(db)
    if isinstance(reader, SqliteReader):
        cursor = reader.connection.execute(
            sql, {name: _sqlite_value(value) for name, value in params.items()}
        )
        try:
            while chunk := cursor.fetchmany(block):
                yield from chunk
        finally:
            cursor.close()
        return
    session = getattr(reader, "session", None)
    if session is None:  # a Reader of another kind: its whole result
        yield from reader.rows(sql, params)
        return
    from sqlalchemy import text

    result = session.execute(text(sql), dict(params))
    while chunk := result.fetchmany(block):
        yield from (tuple(row) for row in chunk)
