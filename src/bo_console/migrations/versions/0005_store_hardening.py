"""store hardening: ISO dates only, a record of period changes, payroll periods and preparers

Revision ID: 0005
Revises: 0004

What a raw ``sqlite3`` session could do without the console noticing, refused here:

- every DATE column takes only a real ``YYYY-MM-DD`` date (an integer ``20260510`` or
  ``'2026-5-10'`` slipped past the closed-period check and then broke the journal list);
- every change of a month's status (closing, reopening) is written to ``fin_period_change``,
  an append-only table, with the audit row id reached at that moment; ``bo db check`` pairs
  each change with the audit row the service writes right after it, so a period reopened in
  raw SQL (to post into it and close it again) is found;
- a pay run's period is ``YYYY-MM``, each payslip's period is its run's (``'2026-11 '`` made
  a second payslip for the same month), and a run's preparer never changes (a rewritten
  ``prepared_by`` let the preparer approve their own run).

PostgreSQL keeps dates typed itself; the rest is the same rules in PL/pgSQL
(:data:`POSTGRES_TRIGGERS`, written with :func:`bo_console.core.guards.pg_guard`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import (
    iso_date_trigger_names,
    iso_date_triggers,
    pg_guard,
    pg_guard_drop,
    pg_trigger,
)

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_PERIOD_GLOB = "[0-9][0-9][0-9][0-9]-[0-1][0-9]"
_LOG_CHANGE = """INSERT INTO fin_period_change (period, status, at, audit_before)
            VALUES (NEW.period, NEW.status, strftime('%Y-%m-%d %H:%M:%f', 'now'),
                    (SELECT COALESCE(MAX(id), 0) FROM audit_event))"""

_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER fin_period_status_insert AFTER INSERT ON fin_period
    WHEN NEW.status = 'closed'
    BEGIN {_LOG_CHANGE}; END""",
    f"""CREATE TRIGGER fin_period_status_update AFTER UPDATE OF status ON fin_period
    WHEN NEW.status IS NOT OLD.status
    BEGIN {_LOG_CHANGE}; END""",
    """CREATE TRIGGER fin_period_period_frozen BEFORE UPDATE OF period ON fin_period
    WHEN NEW.period IS NOT OLD.period
    BEGIN SELECT RAISE(ABORT, 'fin_period: a month cannot be renamed'); END""",
    """CREATE TRIGGER fin_period_change_no_update BEFORE UPDATE ON fin_period_change
    BEGIN SELECT RAISE(ABORT, 'fin_period_change is append-only'); END""",
    """CREATE TRIGGER fin_period_change_no_delete BEFORE DELETE ON fin_period_change
    BEGIN SELECT RAISE(ABORT, 'fin_period_change is append-only'); END""",
    f"""CREATE TRIGGER hr_pay_run_period_insert BEFORE INSERT ON hr_pay_run
    WHEN NOT (typeof(NEW.period) = 'text' AND NEW.period GLOB '{_PERIOD_GLOB}')
    BEGIN SELECT RAISE(ABORT, 'hr_pay_run.period must be a month written YYYY-MM'); END""",
    """CREATE TRIGGER hr_pay_run_period_frozen BEFORE UPDATE OF period ON hr_pay_run
    WHEN NEW.period IS NOT OLD.period
    BEGIN SELECT RAISE(ABORT, 'hr_pay_run: the period of a pay run cannot change'); END""",
    """CREATE TRIGGER hr_pay_run_preparer_frozen BEFORE UPDATE OF prepared_by ON hr_pay_run
    WHEN NEW.prepared_by IS NOT OLD.prepared_by
    BEGIN SELECT RAISE(ABORT, 'hr_pay_run: who prepared a pay run cannot change'); END""",
    """CREATE TRIGGER hr_payslip_period_insert BEFORE INSERT ON hr_payslip
    WHEN NEW.period IS NOT (SELECT period FROM hr_pay_run WHERE id = NEW.run_id)
    BEGIN SELECT RAISE(ABORT, 'hr_payslip.period must be its pay run''s period'); END""",
    """CREATE TRIGGER hr_payslip_period_update BEFORE UPDATE OF period, run_id ON hr_payslip
    WHEN NEW.period IS NOT (SELECT period FROM hr_pay_run WHERE id = NEW.run_id)
    BEGIN SELECT RAISE(ABORT, 'hr_payslip.period must be its pay run''s period'); END""",
]


_PG_LOG_CHANGE = """INSERT INTO fin_period_change (period, status, at, audit_before)
    VALUES (NEW.period, NEW.status,
            to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS'),
            (SELECT COALESCE(MAX(id), 0) FROM audit_event));"""
_M_APPEND_ONLY = "fin_period_change is append-only"
_M_RUN_PERIOD = "hr_pay_run.period must be a month written YYYY-MM"
_M_SLIP_PERIOD = "hr_payslip.period must be its pay run's period"
_SLIP_PERIOD_DIFFERS = (
    "NEW.period IS DISTINCT FROM (SELECT period FROM hr_pay_run WHERE id = NEW.run_id)"
)

POSTGRES_TRIGGERS: list[tuple[str, str, list[str]]] = [
    (
        "fin_period_status_log",
        "fin_period",
        pg_trigger(
            "fin_period_status_log",
            "fin_period",
            "INSERT OR UPDATE OF status",
            "IF (TG_OP = 'INSERT' AND NEW.status = 'closed') OR (TG_OP = 'UPDATE'"
            f" AND NEW.status IS DISTINCT FROM OLD.status) THEN\n    {_PG_LOG_CHANGE}\n  END IF;",
            timing="AFTER",
        ),
    ),
    (
        "fin_period_period_frozen",
        "fin_period",
        pg_guard(
            "fin_period_period_frozen",
            "fin_period",
            "UPDATE OF period",
            "NEW.period IS DISTINCT FROM OLD.period",
            "fin_period: a month cannot be renamed",
        ),
    ),
    (
        "fin_period_change_append_only",
        "fin_period_change",
        pg_guard(
            "fin_period_change_append_only",
            "fin_period_change",
            "UPDATE OR DELETE",
            "true",
            _M_APPEND_ONLY,
        ),
    ),
    (
        "hr_pay_run_period_month",
        "hr_pay_run",
        pg_guard(
            "hr_pay_run_period_month",
            "hr_pay_run",
            "INSERT",
            "NEW.period IS NULL OR NEW.period !~ '^[0-9]{4}-[0-1][0-9]$'",
            _M_RUN_PERIOD,
        ),
    ),
    (
        "hr_pay_run_period_frozen",
        "hr_pay_run",
        pg_guard(
            "hr_pay_run_period_frozen",
            "hr_pay_run",
            "UPDATE OF period",
            "NEW.period IS DISTINCT FROM OLD.period",
            "hr_pay_run: the period of a pay run cannot change",
        ),
    ),
    (
        "hr_pay_run_preparer_frozen",
        "hr_pay_run",
        pg_guard(
            "hr_pay_run_preparer_frozen",
            "hr_pay_run",
            "UPDATE OF prepared_by",
            "NEW.prepared_by IS DISTINCT FROM OLD.prepared_by",
            "hr_pay_run: who prepared a pay run cannot change",
        ),
    ),
    (
        "hr_payslip_period_run",
        "hr_payslip",
        pg_guard(
            "hr_payslip_period_run",
            "hr_payslip",
            "INSERT OR UPDATE OF period, run_id",
            _SLIP_PERIOD_DIFFERS,
            _M_SLIP_PERIOD,
        ),
    ),
]
"""(name, table, statements) of each PostgreSQL guard; ``TRUNCATE`` of the append-only
table is refused by :data:`POSTGRES_STATEMENTS`."""

POSTGRES_STATEMENTS = [
    f"""CREATE FUNCTION fin_period_change_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '{_M_APPEND_ONLY}'; END $$""",
    """CREATE TRIGGER fin_period_change_no_truncate BEFORE TRUNCATE ON fin_period_change
    FOR EACH STATEMENT EXECUTE FUNCTION fin_period_change_no_truncate()""",
]


def _date_columns() -> list[tuple[str, str]]:
    """Every (table, column) declared DATE in the schema this revision upgrades."""
    rows = op.get_bind().exec_driver_sql(
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
        "WHERE m.type = 'table' AND upper(p.type) = 'DATE' ORDER BY m.name, p.cid"
    )
    return [(str(table), str(column)) for table, column in rows]


def upgrade() -> None:
    op.create_table(
        "fin_period_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("at", sa.String(length=26), nullable=False),
        sa.Column("audit_before", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for _name, _table, statements in POSTGRES_TRIGGERS:
            for statement in statements:
                op.execute(statement)
        for statement in POSTGRES_STATEMENTS:
            op.execute(statement)
        return
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, column in _date_columns():
        for statement in iso_date_triggers(table, column):
            op.execute(statement)
    for statement in _SQLITE_TRIGGERS:
        op.execute(statement)


def _trigger_name(statement: str) -> str:
    return statement.split()[2]


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _statements in POSTGRES_TRIGGERS:
            for statement in pg_guard_drop(name, table):
                op.execute(statement)
        op.execute("DROP TRIGGER IF EXISTS fin_period_change_no_truncate ON fin_period_change")
        op.execute("DROP FUNCTION IF EXISTS fin_period_change_no_truncate()")
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(statement)}")
        for table, column in _date_columns():
            for name in iso_date_trigger_names(table, column):
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("fin_period_change")
