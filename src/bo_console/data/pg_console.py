"""The SQL console and saved queries on PostgreSQL: the server keeps them safe, never a reading
of the SQL text.

Every published view has a twin in schema ``bo_query`` (the same query) that reads its tables
with the schema owner's privileges. A query runs on its own connection (closed afterwards, so
nothing it takes, such as a lock, outlives it) in a read-only transaction with a statement
timeout, as a *reader role*: a role with no privilege on any table, only SELECT on the twins of
the views its console roles may read, and there on the columns they may read (a confidential
column only with its permission, as the catalogue says). So the server itself refuses a base
table, a confidential column, any write and any DDL, whatever the SQL. A query that switches
role (``set_config('role', ...)``) is refused after the fact, its rows never shown.

Reader roles are named after what they may read (``bo_q_fin_hr_hrconfidential``); :func:`sync`
(run by ``bo db migrate``, ``bo init`` and ``bo db roles``) creates one per console role and
per combination of roles a console user holds, and makes each database login a member of
its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import PermissionDenied, RuleViolation, UsageProblem, ValidationFailed
from bo_console.core.security import DEPARTMENT_READ, DEPARTMENTS, ROLES, Actor
from bo_console.data.catalogue import VIEWS, ViewInfo
from bo_console.data.models import ResultSet

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.engine import URL

SCHEMA = "bo_query"
READER_PREFIX = "bo_q_"
_CODES = {"finance": "fin", "hr": "hr", "it": "it", "logistics": "log", "data": "dat"}
CONFIDENTIAL_PERMISSIONS = tuple(
    sorted({c.confidential for v in VIEWS for c in v.columns if c.confidential})
)
"""The permissions some published column needs (``hr.confidential``, ``it.manage``)."""


def reader_role(can: Callable[[str], bool]) -> str:
    """The reader role of someone with these permissions: the departments they read and the
    confidential permissions they hold, spelled out (``bo_q_fin_hr_hrconfidential``)."""
    parts = [_CODES[d] for d in DEPARTMENTS if can(DEPARTMENT_READ[d])]
    parts += [p.replace(".", "") for p in CONFIDENTIAL_PERMISSIONS if can(p)]
    return READER_PREFIX + ("_".join(parts) or "none")


def readable_columns(view: ViewInfo, can: Callable[[str], bool]) -> list[str]:
    """The columns of ``view`` someone with these permissions may read (none: not the view)."""
    if not can(DEPARTMENT_READ[view.dept]):
        return []
    return [c.name for c in view.columns if c.confidential is None or can(c.confidential)]


def _held(conn: Connection) -> dict[str, frozenset[str]]:
    """Each active console user's permissions (their roles together)."""
    from sqlalchemy import text

    held: dict[str, set[str]] = {}
    for login, role in conn.execute(
        text(
            "SELECT u.login, r.role FROM console_user u JOIN user_role r ON r.user_id = u.id"
            " WHERE u.active"
        )
    ):
        if role in ROLES:
            held.setdefault(str(login), set()).update(ROLES[str(role)].permissions)
    return {login: frozenset(p) for login, p in held.items()}


def sync(conn: Connection) -> None:
    """Create schema ``bo_query`` with a twin of every published view, the reader roles and
    their grants, and each database login's membership of its own reader role. Run as the
    schema owner inside the caller's transaction (after the group roles' sync)."""
    from sqlalchemy import text

    from bo_console.core.pg_access import create_group

    bodies = {
        str(name): str(body)
        for name, body in conn.execute(
            text(
                "SELECT viewname, pg_get_viewdef(format('%I.%I', schemaname, viewname)::regclass)"
                " FROM pg_views WHERE schemaname = current_schema()"
            )
        )
    }
    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    views = [v for v in VIEWS if v.name in bodies]
    for view in views:
        # The published view's own query, not a view over it: a security invoker's view
        # read through another view checks the reader's privileges, and the reader role has
        # none on the tables. Dropped and made again: its columns may have changed.
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {SCHEMA}.{view.name}")
        conn.exec_driver_sql(f"CREATE VIEW {SCHEMA}.{view.name} AS {bodies[view.name]}")
    held = _held(conn)
    readers = {
        reader_role(permissions.__contains__): permissions
        for permissions in [role.permissions for role in ROLES.values()] + list(held.values())
        if "data.query" in permissions
    }
    for reader, permissions in readers.items():
        create_group(conn, reader)
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {reader}")
        for view in views:
            columns = readable_columns(view, permissions.__contains__)
            if not columns:
                continue
            if len(columns) == len(view.columns):
                conn.exec_driver_sql(f"GRANT SELECT ON {SCHEMA}.{view.name} TO {reader}")
            else:
                listed = ", ".join(columns)
                conn.exec_driver_sql(f"GRANT SELECT ({listed}) ON {SCHEMA}.{view.name} TO {reader}")
    _sync_members(
        conn,
        {
            login: reader_role(permissions.__contains__)
            for login, permissions in held.items()
            if "data.query" in permissions
        },
    )


def _sync_members(conn: Connection, wanted: Mapping[str, str]) -> None:
    from sqlalchemy import text

    from bo_console.core.pg_access import quote_role

    owner = str(conn.execute(text("SELECT current_user")).scalar_one())
    logins = {
        str(name): bool(superuser)
        for name, superuser in conn.execute(text("SELECT rolname, rolsuper FROM pg_roles"))
    }
    readers = sorted(name for name in logins if name.startswith(READER_PREFIX))
    for (login,) in conn.execute(text("SELECT login FROM console_user")):
        login = str(login)
        if login not in logins or login == owner or logins[login]:
            continue
        for reader in readers:
            if wanted.get(login) == reader:
                conn.exec_driver_sql(f"GRANT {reader} TO {quote_role(login)}")
            else:
                conn.exec_driver_sql(f"REVOKE {reader} FROM {quote_role(login)}")


def _confidential_named(actor: Actor, sql: str) -> str | None:
    """The first confidential column the actor may not read that ``sql`` names, as a
    refusal (the server's own message names only the view)."""
    words = set(re.findall(r"[a-z_][a-z0-9_]*", sql.lower()))
    for view in VIEWS:
        for column in view.columns:
            needs = column.confidential
            if needs and not actor.can(needs) and column.name in words and view.name in words:
                return f"{view.name}.{column.name} is confidential: reading it needs {needs}"
    return None


_COUNT_ALL = re.compile(r"\(\s*\*\s*\)")
"""``(*)``, as in ``count(*)``: a ``*`` that reads no column."""


def _revealed(actor: Actor, sql: str) -> list[str]:
    """Confidential columns the query reads: of the views it names, those it names, or all
    of them when it has a ``*`` (but ``count(*)``). The server inlines views, so this is read
    from the text, which never names one too few: where it cannot tell (a word in a comment or
    a string, an alias spelt like a confidential column, a product) it names one too many."""
    text = sql.lower()
    words = set(re.findall(r"[a-z_][a-z0-9_]*", text))
    star = "*" in _COUNT_ALL.sub(" ", text)
    found = []
    for view in VIEWS:
        if view.name not in words:
            continue
        for column in view.columns:
            if column.confidential and (column.name in words or star):
                found.append(f"{view.name}.{column.name}")
    return sorted(found)


def run_sql(
    url: URL,
    actor: Actor,
    sql: str,
    params: Mapping[str, Any] | None = None,
    *,
    time_limit: float,
    row_limit: int,
) -> ResultSet:
    """Run one SELECT over the published views, as the actor's reader role, in a read-only
    transaction that the server stops after ``time_limit`` seconds.

    Raises:
        PermissionDenied: the query reads a view or column the actor's roles may not.
        RuleViolation: it tries to write or change the console's role, or ran too long.
        ValidationFailed: the server could not run it (its message), such as a name that is
            not a published view.
        UsageProblem: the reader role is missing (``bo db roles`` makes it).
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import NullPool

    actor.require("data.query", "run queries")
    statement = sql.strip().rstrip(";").strip()
    if not statement:
        raise UsageProblem("no SQL given")
    role = reader_role(actor.can)
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(time_limit * 1000))}")
            try:
                conn.exec_driver_sql(f"SET LOCAL ROLE {role}")
            except DBAPIError as exc:
                raise UsageProblem(
                    f"the query role {role} is missing on the server; an admin runs `bo db roles`"
                ) from exc
            conn.exec_driver_sql(f"SET LOCAL search_path = {SCHEMA}")
            result = conn.execute(text(statement), dict(params or {}))
            rows = result.fetchmany(row_limit + 1) if result.returns_rows else []
            columns = list(result.keys()) if result.returns_rows else []
            who = conn.exec_driver_sql("SELECT current_user").scalar_one()
            conn.rollback()
    except DBAPIError as exc:
        raise _refusal(exc, actor, statement, time_limit) from exc
    finally:
        engine.dispose()
    if who != role:
        raise RuleViolation("the query changed the console's role: it is refused")
    if len(rows) > row_limit:
        raise RuleViolation(
            f"the query returns more than {row_limit} rows; narrow it (WHERE, LIMIT)"
        )
    return ResultSet(
        columns=columns, rows=[tuple(r) for r in rows], revealed=_revealed(actor, statement)
    )


def _refusal(exc: Exception, actor: Actor, sql: str, time_limit: float) -> Exception:
    """The console's error for what the server refused."""
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or ""
    message = (str(orig) if orig is not None else str(exc)).strip().splitlines()[0]
    if state == "42501":  # insufficient privilege
        return PermissionDenied(
            _confidential_named(actor, sql)
            or f"{message}: the console reads the published views your roles may read"
        )
    if state == "25006":  # read-only transaction
        return RuleViolation(f"{message}: the query console only reads")
    if state == "57014":  # query canceled: the statement timeout
        return RuleViolation(f"the query ran longer than {time_limit:g} s and was stopped")
    if state == "42P01":  # undefined table: not a published view
        return ValidationFailed(
            f"SQL error: {message} (the console reads the published views: bo data views)"
        )
    return ValidationFailed(f"SQL error: {message}")
