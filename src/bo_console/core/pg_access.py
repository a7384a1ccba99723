"""PostgreSQL privileges: each console role is a database group role, and the server itself
keeps confidential columns and the audit trail out of reach of roles that should not have them.

A person's database login (the OS account over the local socket with peer authentication) is
made a member of the group roles of the console roles they hold, so ``psql`` under their own
login shows them no more than the console does:

- every group reads every table, except confidential ones (:func:`sync` is given them:
  HR's salaries, allowances, IBANs, national IDs and birth dates), which only groups of roles
  with ``hr.confidential`` may read; for the others only the listed key columns are readable;
- groups of roles that change something may also insert, update and delete in the tables of
  the departments their permissions write (:func:`sync` is given which tables each permission
  writes: a finance clerk writes finance's tables, not HR's) and in the shared tables no
  permission claims (work items, job runs), except in the append-only tables (the audit
  trail, the record of period changes): insert only, and in the users and their roles, which
  only ``users.admin`` may change; every group may add audit rows (a read can be audited);
- settings are namespaced by department (``finance.*``, ``hr.*``): row-level security on
  ``setting`` lets ``db.admin`` change any key and other groups only the key prefixes their
  permissions own (:func:`sync` is given them: a finance manager fixes the books' first month
  when closing one, an HR clerk changes no ``finance.*`` key);
- settings whose values are confidential (the company's bank account) are rows of
  ``setting`` that row-level security hides from groups without ``hr.confidential``, for
  reading and for writing;
- every group reads the reporting views that check the reader's privileges (so the
  confidential columns stay closed through them too);
- nobody but the schema owner (who runs ``bo db migrate``) owns a table, so nobody else can
  drop or disable a trigger.

:func:`sync` is idempotent: ``bo db migrate``, ``bo init`` and ``bo db roles`` run it as the
schema owner, so tables added by later migrations are covered without writing grants for them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, text

from bo_console.core.security import ROLES, Role

GROUP_PREFIX = "bo_"
APPEND_ONLY_TABLES = ("audit_event", "fin_period_change")
ADMIN_TABLES = {"console_user": "users.admin", "user_role": "users.admin"}
"""Tables only roles with the permission may change: whoever could write ``user_role`` could
make themselves an admin of the console."""
SETTINGS_ADMIN = "db.admin"
"""The permission that changes every setting; other roles change only the keys of their
department (``setting_writes`` of :func:`sync`)."""
CONFIDENTIAL_PERMISSION = "hr.confidential"
_READ_ONLY_PERMISSIONS = (".read", ".query", CONFIDENTIAL_PERMISSION)


@dataclass(frozen=True)
class Confidential:
    """A table whose rows hold confidential values: only ``visible`` columns may be read
    without ``hr.confidential`` (none: the whole table is closed), and ``insert`` says
    whether writers without it may still add rows (the service writes a blank row)."""

    visible: tuple[str, ...] = ()
    insert: bool = False


def group_role(console_role: str) -> str:
    """The database group role of a console role (``finance-clerk`` -> ``bo_finance_clerk``)."""
    return GROUP_PREFIX + console_role.replace("-", "_")


def _writes(role: Role) -> bool:
    return any(not p.endswith(_READ_ONLY_PERMISSIONS) for p in role.permissions)


def _may_write(
    role: Role, table: str, writes: Mapping[str, tuple[str, ...]], claimed: bool
) -> bool:
    """Whether ``role`` may change ``table``: a table some permission writes (by name prefix)
    only for roles holding one such permission, a table none claims for every writer."""
    if not claimed:
        return _writes(role)
    return any(
        table.startswith(prefix)
        for permission in role.permissions
        for prefix in writes.get(permission, ())
    )


def _ident(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_$]*", name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def quote_role(name: str) -> str:
    """A role name as a quoted SQL identifier (a login may hold a dot or a dash)."""
    return '"' + name.replace('"', '""') + '"'


def create_group(conn: Connection, name: str) -> None:
    """Create NOLOGIN role ``name`` unless the server has it."""
    # Roles are shared by every database of the server; another database may create it first.
    conn.exec_driver_sql(
        f"""DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN
            CREATE ROLE {name} NOLOGIN;
          END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$"""
    )


_INVOKER_VIEWS = """SELECT c.relname FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'v'
      AND 'security_invoker=true' = ANY(COALESCE(c.reloptions, '{}'))"""
"""Views every group may read: those that check the reader's privileges on their tables (the
reporting views, PostgreSQL 15 and later); a view reading with its owner's privileges would
show anyone what its owner may read, so it is granted to no group."""


def sync(
    conn: Connection,
    confidential: Mapping[str, Confidential],
    writes: Mapping[str, tuple[str, ...]] | None = None,
    hidden_settings: tuple[str, ...] = (),
    setting_writes: Mapping[str, tuple[str, ...]] | None = None,
) -> None:
    """Create the group roles, grant each its privileges on every table, and make each
    active console user whose login is a database role a member of exactly its roles' groups.

    ``writes`` maps a permission to the name prefixes of the tables it changes (none given:
    every writer writes every table); ``hidden_settings`` are the keys of ``setting`` only
    groups with ``hr.confidential`` may read; ``setting_writes`` maps a permission to the
    setting key prefixes it may change (``db.admin`` changes any). Run as the schema owner (or
    a superuser) inside the caller's transaction.
    """
    writes = writes or {}
    setting_writes = setting_writes or {}
    prefixes = [prefix for names in writes.values() for prefix in names]
    tables = [
        str(name)
        for (name,) in conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        )
    ]
    schema = _ident(str(conn.execute(text("SELECT current_schema()")).scalar_one()))
    views = [_ident(str(name)) for (name,) in conn.execute(text(_INVOKER_VIEWS))]
    for role in ROLES.values():
        group = _ident(group_role(role.name))
        create_group(conn, group)
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {group}")
        conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {group}")
        conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {group}")
        sees_all = CONFIDENTIAL_PERMISSION in role.permissions
        writes_any = _writes(role)
        readable: list[str] = []
        insert_only: list[str] = []
        writable: list[str] = []
        for table in map(_ident, tables):
            closed = confidential.get(table)
            claimed = any(table.startswith(prefix) for prefix in prefixes)
            may_write = _may_write(role, table, writes, claimed) if writes else writes_any
            if closed is not None and not sees_all:
                if closed.visible:
                    columns = ", ".join(map(_ident, closed.visible))
                    conn.exec_driver_sql(f"GRANT SELECT ({columns}) ON {table} TO {group}")
                if may_write and closed.insert:
                    insert_only.append(table)
                continue
            readable.append(table)
            if table == "audit_event":
                insert_only.append(table)
                continue
            if table == "setting":
                if _setting_prefixes(role, setting_writes):
                    writable.append(table)
                continue
            guard = ADMIN_TABLES.get(table)
            if (
                not may_write
                or table == "alembic_version"
                or (guard is not None and guard not in role.permissions)
            ):
                continue
            (insert_only if table in APPEND_ONLY_TABLES else writable).append(table)
        for privileges, names in (
            ("SELECT", readable),
            ("INSERT", insert_only),
            ("INSERT, UPDATE, DELETE", writable),
        ):
            if names:
                conn.exec_driver_sql(f"GRANT {privileges} ON {', '.join(names)} TO {group}")
        if views:
            # A security invoker's view reads with the reader's privileges: what a group may
            # not read in the tables stays unreadable through the view.
            conn.exec_driver_sql(f"GRANT SELECT ON {', '.join(views)} TO {group}")
    if "setting" in tables:
        _setting_policies(conn, hidden_settings, setting_writes)
    _sync_members(conn)


def _setting_prefixes(role: Role, setting_writes: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The setting key prefixes ``role`` may change (``""``: every key)."""
    if SETTINGS_ADMIN in role.permissions:
        return [""]
    return sorted({prefix for p in role.permissions for prefix in setting_writes.get(p, ())})


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _setting_policies(
    conn: Connection, keys: tuple[str, ...], setting_writes: Mapping[str, tuple[str, ...]]
) -> None:
    """Row-level security on ``setting`` (the owner, who runs migrations, is not subject to
    it): every group reads every row but those of ``keys``, which only the groups of roles
    with ``hr.confidential`` read; each group that changes settings inserts, updates and
    deletes only the rows of its key prefixes (and of ``keys`` only with ``hr.confidential``)."""
    hidden = ", ".join(map(_literal, keys)) or "''"
    conn.exec_driver_sql("ALTER TABLE setting ENABLE ROW LEVEL SECURITY")
    # Every policy is rebuilt: a role's permissions or the prefixes may have changed.
    for (policy,) in conn.execute(
        text(
            "SELECT policyname FROM pg_policies"
            " WHERE schemaname = current_schema() AND tablename = 'setting'"
        )
    ):
        conn.exec_driver_sql(f"DROP POLICY {_ident(str(policy))} ON setting")
    conn.exec_driver_sql(
        f"CREATE POLICY setting_read ON setting FOR SELECT USING (key NOT IN ({hidden}))"
    )
    for role in ROLES.values():
        group = _ident(group_role(role.name))
        trusted = CONFIDENTIAL_PERMISSION in role.permissions
        if trusted:
            conn.exec_driver_sql(
                f"CREATE POLICY {group}_read ON setting FOR SELECT TO {group} USING (true)"
            )
        prefixes = _setting_prefixes(role, setting_writes)
        if not prefixes:
            continue
        owned = " OR ".join(
            f"left(key, {len(prefix)}) = {_literal(prefix)}" if prefix else "true"
            for prefix in prefixes
        )
        rule = f"({owned})" if trusted else f"({owned}) AND key NOT IN ({hidden})"
        for command, clauses in (
            ("INSERT", f"WITH CHECK ({rule})"),
            ("UPDATE", f"USING ({rule}) WITH CHECK ({rule})"),
            ("DELETE", f"USING ({rule})"),
        ):
            conn.exec_driver_sql(
                f"CREATE POLICY {group}_{command.lower()} ON setting FOR {command}"
                f" TO {group} {clauses}"
            )


def _sync_members(conn: Connection) -> None:
    """Console users whose login is a database role: members of their roles' groups and of no
    other (none once disabled). Other roles of the server are left alone."""
    owner = str(conn.execute(text("SELECT current_user")).scalar_one())
    held: dict[str, set[str]] = {}
    for login, active, role in conn.execute(
        text(
            "SELECT u.login, u.active, r.role FROM console_user u"
            " LEFT JOIN user_role r ON r.user_id = u.id"
        )
    ):
        roles = held.setdefault(str(login), set())
        if active and role in ROLES:
            roles.add(group_role(str(role)))
    logins = {
        str(name): bool(superuser)
        for name, superuser in conn.execute(text("SELECT rolname, rolsuper FROM pg_roles"))
    }
    groups = sorted(group_role(name) for name in ROLES)
    for login, wanted in held.items():
        if login not in logins or login == owner or logins[login] or login in groups:
            continue
        for group in groups:
            if group in wanted:
                conn.exec_driver_sql(f"GRANT {group} TO {quote_role(login)}")
            else:
                conn.exec_driver_sql(f"REVOKE {group} FROM {quote_role(login)}")
