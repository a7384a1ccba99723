"""The read-only SQL console: arbitrary SQL on a connection the database itself keeps safe.

Safety is SQLite's, never a reading of the SQL text: the query runs on its own connection,
opened read-only (``mode=ro``) with ``PRAGMA query_only``, and an authorizer that SQLite
consults for every table, column, function and statement the compiled query touches. It
allows only SELECT, reads of the published views and of the base tables of departments the
actor may read, harmless functions and a few read pragmas; a confidential column is refused
without its permission wherever it is read (its table, a view, a subquery, a predicate). A
progress handler stops a query that runs past the time limit.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bo_console.core.errors import PermissionDenied, RuleViolation, UsageProblem, ValidationFailed
from bo_console.core.security import DEPARTMENT_READ, Actor
from bo_console.data.catalogue import (
    BASE_CONFIDENTIAL,
    SCHEMA_TABLES,
    VIEW_BY_NAME,
    table_department,
)
from bo_console.data.models import ResultSet

DEFAULT_TIME_LIMIT = 5.0
"""Seconds a console query may run (setting ``data.query_seconds``)."""
DEFAULT_ROW_LIMIT = 100_000
"""Rows a console query returns at most (setting ``data.query_rows``)."""

SAFE_FUNCTIONS = frozenset(
    """
    abs avg char coalesce count date datetime julianday strftime time unixepoch glob hex
    ifnull iif instr group_concat string_agg length like lower ltrim max min nullif printf
    format quote replace round rtrim sign substr substring sum total trim typeof unicode upper
    zeroblob cast row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value
    last_value nth_value concat concat_ws ceil ceiling floor trunc exp ln log log10 log2 mod pi
    pow power sqrt
    """.split()
)
"""Built-in functions a query may call: SQLite's scalar, aggregate, date and window ones.
Anything else (load_extension, readfile, fts3_tokenizer, ...) is refused."""

READ_PRAGMAS = frozenset({"table_info", "table_xinfo", "table_list"})
"""Pragmas that only describe the schema, allowed without an argument that sets anything."""

_ACTION_NAMES = {
    sqlite3.SQLITE_INSERT: "INSERT",
    sqlite3.SQLITE_UPDATE: "UPDATE",
    sqlite3.SQLITE_DELETE: "DELETE",
    sqlite3.SQLITE_ATTACH: "ATTACH",
    sqlite3.SQLITE_DETACH: "DETACH",
    sqlite3.SQLITE_TRANSACTION: "a transaction statement",
    sqlite3.SQLITE_SAVEPOINT: "SAVEPOINT",
    sqlite3.SQLITE_ANALYZE: "ANALYZE",
    sqlite3.SQLITE_REINDEX: "REINDEX",
    sqlite3.SQLITE_ALTER_TABLE: "ALTER TABLE",
}


@dataclass
class _Guard:
    """The authorizer's state for one query: who asks, and the first refusal."""

    actor: Actor
    schema: frozenset[str]
    """Tables and views of the database; any other name read is a CTE of the query itself."""
    refusal: str | None = None
    permission: bool = False
    """Whether the refusal is for want of a permission (else the console refuses it to all)."""
    revealed: set[str] = field(default_factory=set)
    """Confidential columns the query itself reads (by an actor allowed to)."""
    bodies: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    """Per view (or CTE) whose body SQLite compiled into the query: the columns it read."""
    hidden: dict[str, set[str]] = field(default_factory=dict)
    """Per view (or CTE): the confidential columns among those."""

    def audited(self, body_of: Callable[[str], set[tuple[str, str]]]) -> list[str]:
        """The confidential columns to audit: those the query reads, not those a view's body
        reads to build the view (SQLite reads every column the body names, whichever of the
        view's columns the query uses; the view's own confidential columns the query reads
        are audited by the view's name). A body that is not exactly the database's view of
        that name, ``body_of(name)`` (a CTE, even one named like a view), counts as the
        query's own."""
        found = set(self.revealed)
        for name, hidden in self.hidden.items():
            if name not in VIEW_BY_NAME or self.bodies.get(name) != body_of(name):
                found |= hidden
        return sorted(found)

    def deny(self, reason: str, *, permission: bool = False) -> int:
        if self.refusal is None:
            self.refusal, self.permission = reason, permission
        return sqlite3.SQLITE_DENY

    def __call__(
        self, action: int, arg1: str | None, arg2: str | None, db: str | None, src: str | None
    ) -> int:
        if action == sqlite3.SQLITE_SELECT or action == sqlite3.SQLITE_RECURSIVE:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            return self._read(arg1 or "", arg2 or "", db, inside=src)
        if action == sqlite3.SQLITE_FUNCTION:
            name = (arg2 or "").lower()
            if name in SAFE_FUNCTIONS:
                return sqlite3.SQLITE_OK
            return self.deny(f"function {name}() is not allowed in the query console")
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if name in READ_PRAGMAS and (name != "table_list" or arg2 is None):
                return sqlite3.SQLITE_OK
            return self.deny(f"PRAGMA {name} is not allowed: the query console changes nothing")
        what = _ACTION_NAMES.get(action, "a statement that changes the database")
        return self.deny(f"{what} is not allowed: the query console only reads")

    def _read(self, table: str, column: str, db: str | None, *, inside: str | None) -> int:
        """Allow or refuse reading ``table.column``; ``inside``: the view whose body reads it
        (None: the query itself)."""
        if inside is not None:
            self.bodies.setdefault(inside, set()).add((table, column))
        if db not in (None, "main"):
            return self.deny(f"reading from database {db!r} is not allowed")
        if table in SCHEMA_TABLES or table not in self.schema:
            return sqlite3.SQLITE_OK
        dept = table_department(table)
        if dept is None:
            return self.deny(f"table {table} is not open to the query console")
        if not self.actor.can(DEPARTMENT_READ[dept]):
            return self.deny(
                f"{table} belongs to {dept}: it needs {DEPARTMENT_READ[dept]}", permission=True
            )
        needs = BASE_CONFIDENTIAL.get((table, column))
        view = VIEW_BY_NAME.get(table)
        if view is not None:
            needs = next((c.confidential for c in view.columns if c.name == column), None)
        if needs is not None and not self.actor.can(needs):
            return self.deny(
                f"{table}.{column} is confidential: reading it needs {needs}", permission=True
            )
        if needs is not None and inside is None:
            self.revealed.add(f"{table}.{column}")
        elif needs is not None:
            self.hidden.setdefault(inside or "", set()).add(f"{table}.{column}")
        return sqlite3.SQLITE_OK


def _progress(deadline: float) -> Callable[[], int]:
    def check() -> int:
        return 1 if time.monotonic() > deadline else 0

    return check


def _view_body(conn: sqlite3.Connection, view: str) -> set[tuple[str, str]]:
    """The columns (table, column) SQLite reads to build the database's ``view``."""
    reads: set[tuple[str, str]] = set()

    def record(
        action: int, arg1: str | None, arg2: str | None, db: str | None, src: str | None
    ) -> int:
        if action == sqlite3.SQLITE_READ and src == view:
            reads.add((arg1 or "", arg2 or ""))
        return sqlite3.SQLITE_OK

    conn.set_authorizer(record)
    try:
        quoted = view.replace('"', '""')
        conn.execute(f'SELECT * FROM main."{quoted}" LIMIT 0').fetchall()
    finally:
        conn.set_authorizer(None)
    return reads


def open_readonly(path: str) -> sqlite3.Connection:
    """A connection to the database file that SQLite itself keeps from writing."""
    from pathlib import Path
    from urllib.parse import quote

    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def run_sql(
    path: str,
    actor: Actor,
    sql: str,
    params: Mapping[str, Any] | None = None,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    row_limit: int = DEFAULT_ROW_LIMIT,
) -> ResultSet:
    """Run one SELECT on a read-only, authorised connection and return its rows.

    Raises:
        PermissionDenied: the query reads a confidential column, a table of a department the
            actor may not read, or anything not open to the console.
        RuleViolation: the query tries to write, attach, change a setting or call a function
            the console refuses, or ran past ``time_limit`` seconds.
        ValidationFailed: SQLite could not compile or run it (its message).
    """
    actor.require("data.query", "run queries")
    text = sql.strip()
    if not text:
        raise UsageProblem("no SQL given")
    conn = open_readonly(path)
    names = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    guard = _Guard(actor, frozenset(r[0] for r in names))
    deadline = time.monotonic() + time_limit
    try:
        conn.set_authorizer(guard)
        conn.set_progress_handler(_progress(deadline), 10_000)
        try:
            cursor = conn.execute(text, dict(params or {}))
            rows = cursor.fetchmany(row_limit + 1)
        except sqlite3.Warning as exc:  # more than one statement
            raise ValidationFailed(f"one statement at a time: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            if guard.refusal is not None:
                if guard.permission:
                    raise PermissionDenied(guard.refusal) from exc
                raise RuleViolation(guard.refusal) from exc
            if time.monotonic() > deadline or "interrupted" in str(exc):
                raise RuleViolation(
                    f"the query ran longer than {time_limit:g} s and was stopped"
                ) from exc
            raise ValidationFailed(f"SQL error: {exc}") from exc
        if len(rows) > row_limit:
            raise RuleViolation(
                f"the query returns more than {row_limit} rows; narrow it (WHERE, LIMIT)"
            )
        columns = [d[0] for d in cursor.description or ()]
        conn.set_progress_handler(None, 0)
        revealed = guard.audited(lambda view: _view_body(conn, view))
        return ResultSet(columns=columns, rows=[tuple(r) for r in rows], revealed=revealed)
    finally:
        conn.close()
