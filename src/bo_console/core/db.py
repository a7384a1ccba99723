"""The store: engines, transactions, file modes and schema migrations.

SQLite connections are set up as DESIGN section 3 asks: WAL, foreign keys, a busy timeout,
``synchronous=FULL``, and our own ``BEGIN``: ``BEGIN IMMEDIATE`` for every unit of work that
writes, so two writers queue instead of failing or losing updates.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session as _OrmSession

if TYPE_CHECKING:
    from sqlmodel import Session

from bo_console.core.config import display_url, sqlite_path
from bo_console.core.errors import StoreLocked, StoreUnavailable

BUSY_TIMEOUT_MS = 5000
"""How long a unit of work waits for another writer before giving up (the engines' default)."""
_WAIT_OPTION = "bo_wait_ms"
_wait_ms = BUSY_TIMEOUT_MS
FILE_MODE_PRIVATE = 0o600
FILE_MODE_GROUP = 0o660
_BEGIN_OPTION = "bo_begin"

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
        mode = options.get(_BEGIN_OPTION, "DEFERRED")
        # Checked at every BEGIN, as pooled connections outlive a change of the process's wait.
        wait_ms = int(options.get(_WAIT_OPTION, _wait_ms))
        pooled = connection.connection  # its info lives as long as the DBAPI connection
        if pooled.info.get(_WAIT_OPTION) != wait_ms:
            pooled.dbapi_connection.execute(f"PRAGMA busy_timeout={wait_ms}").close()
            pooled.info[_WAIT_OPTION] = wait_ms
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
    from sqlalchemy import insert

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


def set_wait(seconds: float) -> None:
    """How long every later unit of work in this process waits for another writer to finish
    before it fails with :class:`~bo_console.core.errors.StoreLocked` (``bo --wait``)."""
    global _wait_ms
    _wait_ms = max(0, int(seconds * 1000))


def wait_seconds() -> float:
    """The wait :func:`set_wait` chose (or the default)."""
    return _wait_ms / 1000


def is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "another connection holds the write lock" (or the file
    lock of a whole database, as a restore takes)."""
    orig = getattr(exc, "orig", None) or exc
    return type(orig).__name__ == "OperationalError" and "database is locked" in str(orig)


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


def create_sqlite_file(path: Path, mode: int = FILE_MODE_PRIVATE) -> None:
    """Create an empty database file with ``mode`` before SQLite opens it.

    SQLite gives its -wal and -shm files the main file's mode, so this one choice covers all three.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    os.close(fd)
    os.chmod(path, mode)  # the umask may have narrowed it


POSTGRES_EXTRA_MESSAGE = (
    "PostgreSQL needs the postgres extra: pip install 'bo-console[postgres]' (psycopg 3)"
)


def is_postgres_url(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL server (any driver spelling)."""
    return url.split("://", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def driver_url(url: str) -> str:
    """``url`` with the driver SQLAlchemy should load: psycopg 3 for a plain ``postgresql://``
    (SQLAlchemy's own default there is psycopg2, which we do not use)."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


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


class Store:
    """A database the console works on: opens transactions and knows its schema state."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)

    @property
    def engine(self) -> Engine:
        return get_engine(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def label(self) -> str:
        """What to show users: the file path, or the URL without its password."""
        return display_url(self.url)

    def exists(self) -> bool:
        """Whether the database has been created (for SQLite: the file exists)."""
        if self.path is not None:
            return self.path.exists()
        try:
            with self.engine.connect() as conn:
                return inspect(conn).has_table("alembic_version")
        except OperationalError as exc:
            reason = " ".join(str(exc.orig).split())  # libpq's messages span lines
            raise StoreUnavailable(f"cannot connect to {self.label}: {reason}") from exc

    @contextmanager
    def _session(self, begin: str, wait: float | None = None) -> Iterator[Session]:
        engine = self.engine
        if self.is_sqlite:
            options: dict[str, Any] = {_BEGIN_OPTION: begin}
            if wait is not None:
                options[_WAIT_OPTION] = int(wait * 1000)
            engine = engine.execution_options(**options)
        session = cast("Session", StoreSession(engine, expire_on_commit=False))
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if self.is_sqlite and is_locked(exc):
                raise StoreLocked(self.busy_message(wait)) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def write(self, *, wait: float | None = None) -> Iterator[Session]:
        """A unit of work that may write: ``BEGIN IMMEDIATE``, commit on success, else roll back.

        Waits up to ``wait`` seconds (else the process's :func:`set_wait`) for another writer.

        Raises:
            StoreLocked: another writer held the store all that time (the message names the job
                that holds it, when one does).
        """
        with self._session("IMMEDIATE", wait) as session:
            yield session

    def busy_message(self, wait: float | None = None) -> str:
        """What holds the store, for a writer that gave up waiting: the running job (who
        started it and when) if a job holds it, else "another writer"."""
        waited = wait_seconds() if wait is None else wait
        holder = "another writer holds it"
        try:
            # A read in WAL mode never waits on the writer.
            with self.engine.connect() as conn:
                row = conn.execute(
                    text(
                        "SELECT name, user_login, started_at, pid FROM job_run "
                        "WHERE outcome = 'running' ORDER BY id DESC LIMIT 1"
                    )
                ).first()
                conn.rollback()
        except DatabaseError:
            row = None
        if row is not None:
            name, login, started, pid = row
            holder = (
                f"job {name} holds it (started by {login} at {str(started)[:16]} UTC, pid {pid})"
            )
        return (
            f"the database is busy: {holder}; gave up after {waited:g} s. Try again when it "
            "ends, or pass --wait SECONDS to queue behind it"
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work. Keep it short: an open read pins the WAL."""
        with self._session("DEFERRED") as session:
            yield session

    # -- schema -------------------------------------------------------------------------------

    def current_revision(self) -> str | None:
        """The Alembic revision stamped in the database, or None for an empty one.

        Raises:
            StoreUnavailable: the file is a directory, or not a database SQLite can read.
        """
        if self.path is not None and self.path.is_dir():
            raise StoreUnavailable(f"{self.label} is a directory, not a database file")
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
                conn.rollback()
        except DatabaseError as exc:
            raise StoreUnavailable(f"cannot read {self.label}: {exc.orig}") from exc
        return None if row is None else str(row[0])

    def ensure_usable(self) -> None:
        """Refuse a missing database, or one whose schema is not this program's.

        Raises:
            StoreUnavailable: with the command that fixes it.
        """
        from bo_console.core import migrate

        if not self.exists():
            raise StoreUnavailable(
                f"no database at {self.label}; create one with `bo init` (or `bo demo`)"
            )
        current = self.current_revision()
        if current is None:
            raise StoreUnavailable(
                f"{self.label} is not a bo-console database; create one with `bo init`"
            )
        state = migrate.compare(current)
        if state == "newer":
            raise StoreUnavailable(
                f"{self.label} has schema {current}, newer than this program knows; "
                "upgrade bo-console before using it"
            )
        if state == "older":
            raise StoreUnavailable(
                f"{self.label} has an older schema ({current}); upgrade it with `bo db migrate`"
            )
