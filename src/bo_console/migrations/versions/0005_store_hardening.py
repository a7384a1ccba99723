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

SQLite only: PostgreSQL keeps dates typed itself; the rest is checked there by ``bo db check``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import iso_date_trigger_names, iso_date_triggers

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
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(statement)}")
        for table, column in _date_columns():
            for name in iso_date_trigger_names(table, column):
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("fin_period_change")
