"""data management: month-end snapshots, frozen once written

Revision ID: 0018
Revises: 0017

``dm_month_snapshot`` holds the figures of a closed month as they stood when finance closed
it (the management pack's sheets and the dashboard's month figures, as JSON), one row per
close: a month reopened and closed again gets a new ``version`` and keeps the old one. The
database refuses any update or delete of a snapshot, on SQLite and PostgreSQL alike, and
``(period, version)`` is unique.

``dm_month_snapshot_private`` holds, beside a snapshot, what only ``hr.confidential`` may
read: the payroll by unit unmasked (a unit of one or two payslips is one person's pay); the
public figures carry those units masked. It is frozen the same way, and closed to other
roles on PostgreSQL (``departments.confidential_tables``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import pg_guard, pg_guard_drop

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

M_FROZEN = "dm_month_snapshot: a month-end snapshot is never changed or deleted"

TABLES = ("dm_month_snapshot", "dm_month_snapshot_private")

SQLITE_TRIGGERS = [
    statement
    for table in TABLES
    for statement in (
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{M_FROZEN}'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{M_FROZEN}'); END""",
    )
]


def upgrade() -> None:
    op.create_table(
        "dm_month_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.String(length=64), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_dm_month_snapshot_version"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period", "version", name="uq_dm_month_snapshot_version"),
    )
    op.create_table(
        "dm_month_snapshot_private",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["snapshot_id"], ["dm_month_snapshot.id"]),
        sa.PrimaryKeyConstraint("snapshot_id"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    elif dialect == "postgresql":
        for table in TABLES:
            name = f"{table}_frozen"
            # Any update or delete is refused: the condition is always true.
            for statement in pg_guard(name, table, "UPDATE OR DELETE", "TRUE", M_FROZEN):
                op.execute(statement)
            # TRUNCATE skips row triggers; the same function refuses it per statement.
            op.execute(
                f"CREATE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in reversed(TABLES):
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_frozen_truncate ON {table}")
            for statement in pg_guard_drop(f"{table}_frozen", table):
                op.execute(statement)
        op.drop_table(table)
