"""``bo db copy``: move a store to an empty PostgreSQL database, all or nothing, verified.

One transaction on the target: the schema is built by the migrations (so its triggers are
the ones ``bo db migrate`` creates), every row is copied table by table with the store's own
triggers switched off for the copy (they would refuse, say, inserting an entry already
posted), the sequences are moved past the copied ids, the triggers are switched back on, and
the copy is compared with the source: row counts of every table, the trial balance (debits
and credits per account) and the audit chain (intact, same head). Only then does it commit;
any difference rolls everything back, leaving the target empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, MetaData, Table, func, select, text, update
from sqlalchemy.orm import Session as OrmSession

from bo_console.core.db import Store, is_postgres_url
from bo_console.core.errors import IntegrityProblem, RuleViolation
from bo_console.core.security import Actor

BATCH = 2000


@dataclass(frozen=True)
class CopyResult:
    """What was copied and checked."""

    tables: int
    rows: int
    audit_rows: int
    audit_head: str


def _deferred_columns(tables: list[Table]) -> dict[str, list[str]]:
    """Per table, the foreign-key columns that point at itself or at a table copied later
    (written NULL first, then set once every row is in)."""
    position = {t.name: i for i, t in enumerate(tables)}
    deferred: dict[str, list[str]] = {}
    for i, table in enumerate(tables):
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if position.get(target, -1) >= i:
                deferred.setdefault(table.name, []).append(fk.parent.name)
    return deferred


def _checks_on(conn: Connection, table: str, columns: list[str]) -> list[tuple[str, str]]:
    """The CHECK constraints of ``table`` that read one of ``columns`` (name, definition):
    a row whose deferred columns are still NULL may break them until they are set."""
    found = []
    for name, definition in conn.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'c' AND conrelid = CAST(:table AS regclass)"
        ),
        {"table": table},
    ):
        words = set(re.findall(r"[a-z_][a-z0-9_]*", str(definition)))
        if words & set(columns):
            found.append((str(name), str(definition)))
    return found


def _trial_balance(conn: Connection) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in conn.execute(
            text(
                "SELECT l.account_id, SUM(l.debit), SUM(l.credit) FROM fin_line l"
                " JOIN fin_entry e ON e.id = l.entry_id WHERE e.state <> 'draft'"
                " GROUP BY l.account_id ORDER BY l.account_id"
            )
        )
    ]


def _counts(conn: Connection, tables: list[Table]) -> dict[str, int]:
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables
    }


def copy_store(source: Store, target_url: str, actor: Actor, metadata: MetaData) -> CopyResult:
    """Copy ``source`` into the empty PostgreSQL database at ``target_url`` (see the module).

    Raises:
        PermissionDenied: ``actor`` lacks ``db.admin``.
        RuleViolation: the target is not PostgreSQL, or already holds a schema.
        IntegrityProblem: the copy differs from the source (nothing was committed).
    """
    from alembic import command

    from bo_console.core import audit, migrate

    actor.require("db.admin", "copy the database")
    if not is_postgres_url(target_url):
        raise RuleViolation("bo db copy --to takes a postgresql:// URL")
    target = Store(target_url)
    if target.exists():
        raise RuleViolation(
            f"{target.label} already holds a bo-console schema; copy into an empty database"
        )
    tables = [t for t in metadata.sorted_tables if t.name != "alembic_version"]
    deferred = _deferred_columns(tables)
    with source.engine.connect() as src, target.engine.begin() as dst:
        cfg = migrate.alembic_config(target.url)
        cfg.attributes["connection"] = dst
        command.upgrade(cfg, "head")
        owned = [t.name for t in tables]
        for name in owned:
            dst.exec_driver_sql(f"ALTER TABLE {name} DISABLE TRIGGER USER")
            # Reference rows the migrations wrote come over with the rest.
            dst.exec_driver_sql(f"DELETE FROM {name}")
        rows = 0
        for table in tables:
            later = deferred.get(table.name, [])
            # Dropped while the deferred columns are NULL, added again (so checked on every
            # row) once they are set.
            checks = _checks_on(dst, table.name, later) if later else []
            for name, _definition in checks:
                dst.exec_driver_sql(f'ALTER TABLE {table.name} DROP CONSTRAINT "{name}"')
            pending: list[dict[str, Any]] = []
            result = src.execute(select(table))
            while batch := result.mappings().fetchmany(BATCH):
                records = [dict(r) for r in batch]
                if later:
                    pending += [r for r in records if any(r[c] is not None for c in later)]
                    records = [{**r, **dict.fromkeys(later)} for r in records]
                dst.execute(table.insert(), records)
                rows += len(records)
            keys = [c.name for c in table.primary_key.columns]
            for record in pending:
                dst.execute(
                    update(table)
                    .where(*(table.c[k] == record[k] for k in keys))
                    .values({c: record[c] for c in later})
                )
            for name, definition in checks:
                dst.exec_driver_sql(
                    f'ALTER TABLE {table.name} ADD CONSTRAINT "{name}" {definition}'
                )
            if "id" in table.c and len(keys) == 1 and keys[0] == "id":
                dst.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                        f" COALESCE((SELECT MAX(id) FROM {table.name}), 1),"
                        f" (SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
                    )
                ).first()
        for name in owned:
            dst.exec_driver_sql(f"ALTER TABLE {name} ENABLE TRIGGER USER")
        _verify(src, dst, tables)
        report = audit.verify(OrmSession(bind=dst))  # type: ignore[arg-type]
        expected = audit.verify(OrmSession(bind=src))  # type: ignore[arg-type]
        if not report.ok or (report.head_id, report.head_hash) != (
            expected.head_id,
            expected.head_hash,
        ):
            raise IntegrityProblem(
                f"the copied audit chain does not match the source ({report.problem or 'head'})"
                "; nothing was copied"
            )
        src.rollback()
    return CopyResult(len(tables), rows, report.rows, report.head_hash)


def _verify(src: Connection, dst: Connection, tables: list[Table]) -> None:
    before, after = _counts(src, tables), _counts(dst, tables)
    differ = [
        f"{name} {before[name]} -> {after[name]}" for name in before if before[name] != after[name]
    ]
    if differ:
        raise IntegrityProblem(f"row counts differ ({', '.join(differ[:5])}); nothing was copied")
    if _trial_balance(src) != _trial_balance(dst):
        raise IntegrityProblem(
            "the copied trial balance differs from the source; nothing was copied"
        )
