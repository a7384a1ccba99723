"""The store: a database the console works on, its transactions, file modes and schema state.

Importable without SQLAlchemy (about 300 ms of CPU a command would pay): on SQLite a read goes
through the standard library (:meth:`Store.reading`, :mod:`bo_console.core.reading`), and the
engines, sessions and writers' locks live in :mod:`bo_console.core.engine`, imported when
something writes or the store is PostgreSQL. Their names are still importable from here
(``from bo_console.core.db import lock_numbering``), loading that module on first use.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bo_console.core.config import display_url, sqlite_path
from bo_console.core.errors import StoreLocked, StoreUnavailable

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from bo_console.core.engine import AUDIT_CHAIN_LOCK as AUDIT_CHAIN_LOCK
    from bo_console.core.engine import StoreSession as StoreSession
    from bo_console.core.engine import advance_id_sequence as advance_id_sequence
    from bo_console.core.engine import dispose_engines as dispose_engines
    from bo_console.core.engine import get_engine as get_engine
    from bo_console.core.engine import lock_audit_chain as lock_audit_chain
    from bo_console.core.engine import lock_numbering as lock_numbering
    from bo_console.core.reading import Reader

_ENGINE_NAMES = frozenset(
    {
        "AUDIT_CHAIN_LOCK",
        "StoreSession",
        "advance_id_sequence",
        "dispose_engines",
        "get_engine",
        "lock_audit_chain",
        "lock_numbering",
    }
)


def __getattr__(name: str) -> Any:
    """The engine module's names, imported on first use (PEP 562)."""
    if name in _ENGINE_NAMES:
        return getattr(importlib.import_module("bo_console.core.engine"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


BUSY_TIMEOUT_MS = 5000
"""How long a unit of work waits for another writer before giving up (the engines' default)."""
_wait_ms = BUSY_TIMEOUT_MS
FILE_MODE_PRIVATE = 0o600
FILE_MODE_GROUP = 0o660


def set_wait(seconds: float) -> None:
    """How long every later unit of work in this process waits for another writer to finish
    before it fails with :class:`~bo_console.core.errors.StoreLocked` (``bo --wait``)."""
    global _wait_ms
    _wait_ms = max(0, int(seconds * 1000))


def wait_seconds() -> float:
    """The wait :func:`set_wait` chose (or the default)."""
    return _wait_ms / 1000


def wait_ms() -> int:
    """The wait :func:`set_wait` chose (or the default), in milliseconds."""
    return _wait_ms


def is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "another connection holds the write lock" (or the file
    lock of a whole database, as a restore takes)."""
    orig = getattr(exc, "orig", None) or exc
    return type(orig).__name__ == "OperationalError" and "database is locked" in str(orig)


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


class Store:
    """A database the console works on: opens transactions and knows its schema state."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)

    @property
    def engine(self) -> Engine:
        from bo_console.core.engine import get_engine

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
        from sqlalchemy import inspect
        from sqlalchemy.exc import OperationalError

        try:
            with self.engine.connect() as conn:
                return inspect(conn).has_table("alembic_version")
        except OperationalError as exc:
            reason = " ".join(str(exc.orig).split())  # libpq's messages span lines
            raise StoreUnavailable(f"cannot connect to {self.label}: {reason}") from exc

    @contextmanager
    def _session(self, begin: str, wait: float | None = None) -> Iterator[Session]:
        from sqlalchemy.exc import OperationalError

        from bo_console.core.engine import BEGIN_OPTION, WAIT_OPTION, StoreSession

        engine = self.engine
        if self.is_sqlite:
            options: dict[str, Any] = {BEGIN_OPTION: begin}
            if wait is not None:
                options[WAIT_OPTION] = int(wait * 1000)
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
        row = self._running_job()
        if row is not None:
            name, login, started, pid = row
            holder = (
                f"job {name} holds it (started by {login} at {str(started)[:16]} UTC, pid {pid})"
            )
        return (
            f"the database is busy: {holder}; gave up after {waited:g} s. Try again when it "
            "ends, or pass --wait SECONDS to queue behind it"
        )

    def _running_job(self) -> tuple[Any, ...] | None:
        """The newest running job's name, login, start and pid, if the store can say."""
        import sqlite3

        sql = (
            "SELECT name, user_login, started_at, pid FROM job_run "
            "WHERE outcome = 'running' ORDER BY id DESC LIMIT 1"
        )
        if self.path is not None:
            from bo_console.core.reading import sqlite_reader

            try:
                # A read in WAL mode never waits on the writer.
                with sqlite_reader(self.path, _wait_ms) as reader:
                    return reader.first(sql)
            except sqlite3.DatabaseError:
                return None
        from sqlalchemy import text
        from sqlalchemy.exc import DatabaseError

        try:
            with self.engine.connect() as conn:
                row = conn.execute(text(sql)).first()
                conn.rollback()
        except DatabaseError:
            return None
        return None if row is None else tuple(row)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work. Keep it short: an open read pins the WAL."""
        with self._session("DEFERRED") as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """A :class:`~bo_console.core.reading.Reader` in one read transaction, without
        SQLAlchemy on a SQLite file: a read-only ``sqlite3`` connection with the engines'
        busy timeout (the process's :func:`set_wait`); elsewhere a :meth:`read` session's.
        Keep it short: an open read pins the WAL.

        Raises:
            StoreUnavailable: no database file there (none is created), or a directory.
            StoreLocked: the file was locked all the wait long (a restore replacing it).
        """
        if self.path is None:
            from bo_console.core.reading import reader_of

            with self.read() as session:
                yield reader_of(session)
            return
        import sqlite3

        from bo_console.core.reading import sqlite_reader

        self._check_file()
        try:
            with sqlite_reader(self.path, _wait_ms) as reader:
                yield reader
        except sqlite3.OperationalError as exc:
            if is_locked(exc):
                raise StoreLocked(self.busy_message()) from exc
            raise

    # -- schema -------------------------------------------------------------------------------

    def _check_file(self) -> None:
        """Refuse a SQLite path that is a directory or does not exist."""
        if self.path is None:
            return
        if self.path.is_dir():
            raise StoreUnavailable(f"{self.label} is a directory, not a database file")
        if not self.path.exists():
            raise StoreUnavailable(
                f"no database at {self.label}; create one with `bo init` (or `bo demo`)"
            )

    def current_revision(self, reader: Reader | None = None) -> str | None:
        """The Alembic revision stamped in the database, or None for an empty one (read
        through ``reader`` when given, else through a read of its own).

        Raises:
            StoreUnavailable: the file is a directory, or not a database SQLite can read.
        """
        if self.path is not None and self.path.is_dir():
            raise StoreUnavailable(f"{self.label} is a directory, not a database file")
        if reader is None and self.path is not None:
            with self.reading() as own:
                return self.current_revision(own)
        if reader is None:
            return self._current_revision_by_engine()
        import sqlite3

        from bo_console.core.reading import dialect_of

        exists = (
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            if dialect_of(reader) == "sqlite"
            else "SELECT 1 FROM information_schema.tables WHERE table_name = 'alembic_version'"
            " AND table_schema = current_schema()"
        )
        try:
            if reader.first(exists) is None:
                return None
            row = reader.first("SELECT version_num FROM alembic_version")
        except sqlite3.DatabaseError as exc:
            raise StoreUnavailable(f"cannot read {self.label}: {exc}") from exc
        return None if row is None else str(row[0])

    def _current_revision_by_engine(self) -> str | None:
        from sqlalchemy import inspect, text
        from sqlalchemy.exc import DatabaseError

        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    return None
                row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
                conn.rollback()
        except DatabaseError as exc:
            raise StoreUnavailable(f"cannot read {self.label}: {exc.orig}") from exc
        return None if row is None else str(row[0])

    def ensure_usable(self, reader: Reader | None = None) -> None:
        """Refuse a missing database, or one whose schema is not this program's (read through
        ``reader`` when given).

        Raises:
            StoreUnavailable: with the command that fixes it.
        """
        from bo_console.core import migrate

        if self.path is not None:
            self._check_file()
        elif not self.exists():
            raise StoreUnavailable(
                f"no database at {self.label}; create one with `bo init` (or `bo demo`)"
            )
        current = self.current_revision(reader)
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
