"""The read path: SQL text that reads, over the standard library's ``sqlite3`` or a session.

Importing SQLAlchemy costs a command about 300 ms of CPU on the 2-core machine, more than a
report's whole budget. So on SQLite what a command or the console's first frame reads goes
through a :class:`Reader` over a plain ``sqlite3`` connection opened read-only
(:meth:`bo_console.core.db.Store.reading`), and SQLAlchemy is imported only by what writes, or
on PostgreSQL. A read service takes ``db: Reads`` (a Reader or an ORM session) and calls
:func:`reader_of`, so screens that hold a session call the same service with it.

The SQL is the same text on SQLite and PostgreSQL, with named parameters (``:name``); a list
or tuple value stands for the items of an ``IN :name`` list. Values come back as the database
stores them, exactly as SQLAlchemy ``text()`` queries return them: on SQLite dates as ISO
text, money as integer minor units, booleans as 0 and 1.

This module imports neither SQLAlchemy nor pydantic nor any department.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, Union

if TYPE_CHECKING:
    from sqlmodel import Session

Row = tuple[Any, ...]
"""One result row, its values as the database returns them."""


class Reader(Protocol):
    """Read-only SQL with named parameters (``:name``), the same text on SQLite and PostgreSQL."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Every row of ``sql``."""
        ...

    def first(self, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
        """The first row of ``sql``, or None."""
        ...

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row of ``sql``, or None when there is no row."""
        ...


Reads: TypeAlias = Union[Reader, "Session"]  # noqa: UP007 - "Session" exists only for mypy
"""What a read service takes: a :class:`Reader`, or the session of a unit of work."""


class NotARead(ValueError):
    """SQL given to a Reader that is not a query (a program error, never the user's)."""


_READ_KEYWORDS = frozenset({"select", "with", "values", "pragma", "explain"})
_FIRST_WORD = re.compile(r"\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*([A-Za-z]+)", re.S)


def _check_read(sql: str) -> None:
    """Refuse SQL that does not start as a query does (the SQLite connection is read-only
    too; on a session this is the one guard)."""
    found = _FIRST_WORD.match(sql)
    if found is None or found.group(1).lower() not in _READ_KEYWORDS:
        raise NotARead(f"a Reader only reads: {sql.strip()[:40]!r}")


def dialect_of(db: Reads) -> str:
    """``sqlite`` or ``postgresql``: the database behind a Reader or a session (a Reader that
    does not say is taken as SQLite)."""
    get_bind = getattr(db, "get_bind", None)
    if get_bind is not None:
        return str(get_bind().dialect.name)
    return str(getattr(db, "dialect", "sqlite"))


def reader_of(db: Reads) -> Reader:
    """``db`` as it is when it is a Reader; a Reader over it when it is an ORM session (which
    imports SQLAlchemy's ``text()``, already loaded by whoever made the session)."""
    if hasattr(db, "get_bind"):
        return SessionReader(db)  # type: ignore[arg-type]  # a session, by its API
    return db


# -- over sqlite3 ------------------------------------------------------------------------------


def _sqlite_value(value: Any) -> Any:
    """A parameter as SQLAlchemy hands it to SQLite: dates and times as ISO text (the
    standard library's adapters for them are deprecated), the rest as it is."""
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _expanded(sql: str, params: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """``sql`` and its parameters for ``sqlite3``: a list or tuple value ``ids`` becomes
    ``(:ids_0, :ids_1, ...)`` in the text (SQLite accepts an empty ``IN ()``)."""
    if not params:
        return sql, {}
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, list | tuple):
            names = [f"{name}_{index}" for index in range(len(value))]
            items = ", ".join(f":{item}" for item in names)
            sql = re.sub(rf"(?<![:\w]):{re.escape(name)}(?!\w)", f"({items})", sql)
            out.update(zip(names, (_sqlite_value(item) for item in value), strict=True))
        else:
            out[name] = _sqlite_value(value)
    return sql, out


class SqliteReader:
    """A :class:`Reader` over a ``sqlite3`` connection (:func:`sqlite_reader` opens one)."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.info: dict[str, Any] = {}
        """What read services keep for the life of the reader (the chart of accounts)."""

    def _cursor(self, sql: str, params: Mapping[str, Any] | None) -> sqlite3.Cursor:
        _check_read(sql)
        return self.connection.execute(*_expanded(sql, params))

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Every row of ``sql``."""
        return self._cursor(sql, params).fetchall()

    def first(self, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
        """The first row of ``sql``, or None."""
        cursor = self._cursor(sql, params)
        try:
            row: Row | None = cursor.fetchone()
        finally:
            cursor.close()
        return row

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row of ``sql``, or None when there is no row."""
        row = self.first(sql, params)
        return None if row is None else row[0]


def _uri_path(path: Path) -> str:
    """``path`` as the path of a ``file:`` URI: the characters a URI gives a meaning to
    escaped (urllib's quote would cost a command its import)."""
    text = str(path)
    for char, escaped in (("%", "%25"), ("?", "%3F"), ("#", "%23")):
        text = text.replace(char, escaped)
    return text


@contextmanager
def sqlite_reader(path: Path, busy_timeout_ms: int) -> Iterator[SqliteReader]:
    """A read-only connection to the SQLite file at ``path``, in one deferred read
    transaction, closed at the end.

    The connection waits up to ``busy_timeout_ms`` for a lock and has the pragmas the store's
    engines set that bear on reading (a read-only connection cannot change the journal mode,
    and in WAL mode a reader never waits on the writer). Keep it short: an open read pins the
    WAL.
    """
    connection = sqlite3.connect(
        f"file:{_uri_path(path)}?mode=ro",
        uri=True,
        timeout=busy_timeout_ms / 1000,
        isolation_level=None,  # our own BEGIN, as the engines do
        check_same_thread=False,  # the console reads in worker threads, one at a time
    )
    try:
        connection.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("BEGIN DEFERRED")
        yield SqliteReader(connection)
    finally:
        try:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        finally:
            connection.close()


# -- over a session -----------------------------------------------------------------------------


class SessionReader:
    """A :class:`Reader` over an ORM session, in the session's transaction: a read service
    called with a session (a screen's, or a unit of work's) reads what it has written."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.info: dict[str, Any] = session.info
        self.dialect = str(session.get_bind().dialect.name)

    def _result(self, sql: str, params: Mapping[str, Any] | None) -> Any:
        from sqlalchemy import bindparam, text

        _check_read(sql)
        statement = text(sql)
        values = dict(params or {})
        lists = [name for name, value in values.items() if isinstance(value, list | tuple)]
        if lists:
            statement = statement.bindparams(*(bindparam(name, expanding=True) for name in lists))
        session = self.session
        # A Core statement does not flush the session as an ORM query would.
        if session.autoflush and (session.new or session.dirty or session.deleted):
            session.flush()
        return session.execute(statement, values)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Every row of ``sql``."""
        return [tuple(row) for row in self._result(sql, params).all()]

    def first(self, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
        """The first row of ``sql``, or None."""
        row = self._result(sql, params).first()
        return None if row is None else tuple(row)

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row of ``sql``, or None when there is no row."""
        row = self.first(sql, params)
        return None if row is None else row[0]
