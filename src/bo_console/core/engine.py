"""The store's SQLAlchemy side: engines, the session class, and the locks writers take.

SQLite connections are set up as DESIGN section 3 asks: WAL, foreign keys, a busy timeout,
``synchronous=FULL``, and our own ``BEGIN``: ``BEGIN IMMEDIATE`` for every unit of work that
writes, so two writers queue instead of failing or losing updates.

Imported only by what writes, or on PostgreSQL: :mod:`bo_console.core.db` (the ``Store``) and
the read path (:mod:`bo_console.core.reading`) do without SQLAlchemy on SQLite.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session as _OrmSession

if TYPE_CHECKING:
    from sqlmodel import Session

from bo_console.core.config import display_url
from bo_console.core.db import BUSY_TIMEOUT_MS, POSTGRES_EXTRA_MESSAGE, driver_url, wait_ms
from bo_console.core.errors import StoreUnavailable

WAIT_OPTION = "bo_wait_ms"
"""Execution option: the busy timeout of one unit of work (``Store.write(wait=...)``)."""
BEGIN_OPTION = "bo_begin"
"""Execution option: how a unit of work begins (``DEFERRED`` or ``IMMEDIATE``)."""

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event (below) own BEGIN; the driver's own would be DEFERRED.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        mode = options.get(BEGIN_OPTION, "DEFERRED")
        # Checked at every BEGIN, as pooled connections outlive a change of the process's wait.
        wait = int(options.get(WAIT_OPTION, wait_ms()))
        pooled = connection.connection  # its info lives as long as the DBAPI connection
        if pooled.info.get(WAIT_OPTION) != wait:
            pooled.dbapi_connection.execute(f"PRAGMA busy_timeout={wait}").close()
            pooled.info[WAIT_OPTION] = wait
        connection.exec_driver_sql(f"BEGIN {mode}")


_TEXT_FIELDS: dict[Any, tuple[str, ...]] = {}
"""Mapper -> the attributes :func:`_check_text` looks at (worked out once per mapper)."""


def _text_fields(mapper: Any) -> tuple[str, ...]:
    """The attributes of ``mapper`` that are text fields: String columns with a length.

    Long text without one (an audit row's changes, which quote the old value of a record
    being put right) is the program's own.
    """
    fields = _TEXT_FIELDS.get(mapper)
    if fields is None:
        from sqlalchemy import String, TypeDecorator

        keys = []
        for attr in mapper.column_attrs:
            column_type = attr.columns[0].type
            if isinstance(column_type, TypeDecorator):  # SQLModel's AutoString wraps String
                column_type = column_type.impl_instance
            if isinstance(column_type, String) and column_type.length is not None:
                keys.append(attr.key)
        fields = _TEXT_FIELDS[mapper] = tuple(keys)
    return fields


def _check_text(session: _OrmSession, _context: Any, _instances: Any) -> None:
    """Refuse, naming the field, text no field may hold: control characters and
    bidirectional overrides.

    The last guard for every record written through the ORM; the services' own checks
    (:func:`bo_console.core.text.clean`) usually say it first.
    """
    from sqlalchemy import inspect as inspect_object

    from bo_console.core.errors import ValidationFailed
    from bo_console.core.text import forbidden_character

    for obj in session.new:
        state = inspect_object(obj)
        for key in _text_fields(state.mapper):
            value = state.dict.get(key)
            if isinstance(value, str):
                problem = forbidden_character(value)
                if problem is not None:
                    raise ValidationFailed(f"{key} {problem}")
    for obj in session.dirty:
        # Only attributes set since the object was loaded can hold new text: those are the
        # keys of its committed state (a flush of a few changes need not read every field).
        state = inspect_object(obj)
        changed = state.committed_state
        if not changed:
            continue
        for key in _text_fields(state.mapper):
            if key not in changed:
                continue
            value = state.dict.get(key)
            if not isinstance(value, str):
                continue
            problem = forbidden_character(value)
            if problem is not None and state.attrs[key].history.has_changes():
                raise ValidationFailed(f"{key} {problem}")


event.listen(_OrmSession, "before_flush", _check_text)


def insert_all(session: _OrmSession, records: Sequence[Any]) -> None:
    """Insert new records of one table with one statement, for records nothing reads back
    as objects (the ORM inserts them one at a time on SQLite, to learn each id). Their text
    fields pass the same guard as a flush's; the database's constraints and triggers see
    every row, in order."""
    from sqlalchemy import insert, inspect

    from bo_console.core.errors import ValidationFailed
    from bo_console.core.text import forbidden_character

    if not records:
        return
    mapper = inspect(type(records[0]))
    fields = _text_fields(mapper)
    columns = [(attr.key, attr.columns[0].key) for attr in mapper.column_attrs]
    rows = []
    for record in records:
        for key in fields:
            value = getattr(record, key, None)
            problem = forbidden_character(value) if isinstance(value, str) else None
            if problem is not None:
                raise ValidationFailed(f"{key} {problem}")
        row = {column: getattr(record, key) for key, column in columns}
        for column in mapper.local_table.primary_key.columns:
            if row.get(column.key) is None:
                row.pop(column.key, None)  # numbered by the database
        rows.append(row)
    session.execute(insert(mapper.local_table), rows)


class StoreSession(_OrmSession):
    """The session every unit of work gets: SQLAlchemy's, with SQLModel's ``exec``.

    Importing SQLModel (and pydantic under it) costs a launch about 30 ms, and the paths that
    open the console or run a report read through SQLAlchemy Core alone, so the store's
    sessions are not ``sqlmodel.Session`` (whose module imports SQLModel). The services are
    written against that class's API, of which they use ``exec``: here it does what SQLModel's
    does, and only a statement built by SQLModel's ``select`` (so SQLModel is loaded) reads as
    scalars. Typed as ``sqlmodel.Session`` where the services take one.
    """

    def exec(self, statement: Any, **kwargs: Any) -> Any:
        """Execute ``statement``: SQLModel's single-column or single-entity selects give
        their scalars, anything else the result rows (or the cursor of a DML statement)."""
        result = self.execute(statement, **kwargs)
        if _selects_scalars(statement):
            return result.scalars()
        return result


def _selects_scalars(statement: Any) -> bool:
    """Whether ``statement`` is SQLModel's select of one column or entity (checked without
    importing SQLModel when it is not loaded: then no statement can be one)."""
    import sys

    expression = sys.modules.get("sqlmodel.sql.expression")
    return expression is not None and isinstance(statement, expression.SelectOfScalar)


AUDIT_CHAIN_LOCK = 7271001
"""PostgreSQL advisory lock key a transaction holds while it extends the audit chain."""


def lock_audit_chain(session: Session | _OrmSession) -> None:
    """On PostgreSQL, hold the audit chain until the transaction ends (SQLite's ``BEGIN
    IMMEDIATE`` already serialises writers), so two writers cannot both extend it from the
    same head."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({AUDIT_CHAIN_LOCK})"))


def advance_id_sequence(session: Session | _OrmSession, table: str) -> None:
    """On PostgreSQL, move ``table``'s ``id`` sequence past its rows, after an insert that
    gave ids itself (the sequence does not see those; the next plain insert would reuse an
    id). SQLite takes the next id from the rows: nothing to do."""
    if session.get_bind().dialect.name != "postgresql":
        return
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", table):
        raise ValueError(f"not a plain table name: {table!r}")
    session.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" (SELECT MAX(id) FROM {table})) WHERE EXISTS (SELECT 1 FROM {table})"
        )
    )


def lock_numbering(session: Session | _OrmSession, series: str) -> None:
    """Hold the numbering of ``series`` (e.g. ``fin_document:invoice``) until the transaction
    ends, so the next writer reads the last number after this one's commit: gapless, no
    duplicate. On SQLite ``BEGIN IMMEDIATE`` already serialises writers.

    On PostgreSQL this takes the audit chain's lock first, then an advisory lock on the
    series' name: every writer that numbers also audits, and taking the locks always in this
    order is what keeps two writers from waiting on each other (an invoice audits its draft,
    then numbers itself and its entry; a journal entry numbers, then audits).
    """
    if session.get_bind().dialect.name == "postgresql":
        lock_audit_chain(session)
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:series))"), {"series": series})


def _require_psycopg(url: str) -> None:
    import importlib.util

    if driver_url(url).startswith("postgresql+psycopg:") and (
        importlib.util.find_spec("psycopg") is None
    ):
        raise StoreUnavailable(POSTGRES_EXTRA_MESSAGE)


def get_engine(url: str) -> Engine:
    """One engine per URL for the life of the process.

    Raises:
        StoreUnavailable: a mistyped URL, or a PostgreSQL URL without the ``postgres`` extra.
    """
    _require_psycopg(url)
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            try:
                if url.startswith("sqlite"):
                    engine = create_engine(
                        url,
                        connect_args={
                            "check_same_thread": False,
                            "timeout": BUSY_TIMEOUT_MS / 1000,
                        },
                    )
                    _configure_sqlite(engine)
                else:
                    engine = create_engine(driver_url(url), pool_pre_ping=True)
            except (ArgumentError, ImportError) as exc:
                # A mistyped URL or a server driver that is not installed: the user's to fix.
                raise StoreUnavailable(f"cannot use database {display_url(url)}: {exc}") from exc
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (before a restore replaces the file, and in tests)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def close_engines() -> None:
    """Close every pooled connection and fold each SQLite database's write-ahead log back into
    its file: the last step of a `bo` process that made an engine.

    SQLite folds the log in when the last connection closes, but the console keeps statements
    alive that hold its connection open to the end: a new database's whole content was left in
    ``-wal`` beside a 4 KB file, and a copy of the file alone was a broken database."""
    import sqlite3

    from bo_console.core.config import sqlite_path

    with _engines_lock:
        paths = [path for url in _engines if (path := sqlite_path(url)) is not None]
    dispose_engines()
    for path in paths:
        try:
            connection = sqlite3.connect(path, timeout=0.2)
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
        except sqlite3.Error:
            pass  # busy with another process: its own last connection folds the log in
