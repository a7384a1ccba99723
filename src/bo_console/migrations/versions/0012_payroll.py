"""payroll: nationality and leaving reason, salary components with history, provisions

Revision ID: 0012
Revises: 0007

Employees get a nationality (``saudi``, ``gcc``, ``other``; existing ones are Saudi when their
national ID starts with 1, the Saudi citizen prefix, else ``other``), the date they joined
social insurance and a leaving reason (a past leaver whose free-text reason names a
resignation becomes ``resignation``, any other ``termination``). Salaries become dated
component lines: each employee's base salary becomes a ``BASIC`` line and the former
allowances a ``HOUSING`` line, both from the hire date, so every past month still pays what
it paid. Payslips get the split of the settlement, the provision movements and the advance
recovery; a pay run gets its kind (``monthly`` or an off-cycle ``settlement``), and the one
live run per month applies to monthly runs.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_COMPONENTS = (
    ("BASIC", "Basic salary", "الراتب الأساسي", True, True, True, True),
    ("HOUSING", "Housing allowance", "بدل السكن", True, True, True, True),
    ("TRANSPORT", "Transport allowance", "بدل النقل", False, True, True, True),
    ("OTHER", "Other allowances", "بدلات أخرى", False, True, True, True),
)

_PAYSLIP_COLUMNS = (
    "housing",
    "leave_encashment",
    "eos_award",
    "compensation",
    "eos_accrual",
    "leave_accrual",
    "advance_recovery",
    "art_wage",
)


def upgrade() -> None:
    op.create_table(
        "hr_pay_component",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("in_gosi", sa.Boolean(), nullable=False),
        sa.Column("in_eos", sa.Boolean(), nullable=False),
        sa.Column("in_leave_pay", sa.Boolean(), nullable=False),
        sa.Column("in_overtime", sa.Boolean(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_hr_pay_component_code", "hr_pay_component", ["code"], unique=True)
    op.create_table(
        "hr_salary_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount >= 0", name="ck_hr_salary_line_amount"),
        sa.ForeignKeyConstraint(["component_id"], ["hr_pay_component.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["hr_employee.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "employee_id", "component_id", "effective_from", name="uq_hr_salary_line"
        ),
    )
    op.create_index("ix_hr_salary_line_lookup", "hr_salary_line", ["employee_id", "effective_from"])
    component = sa.table(
        "hr_pay_component",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("name_ar", sa.String),
        sa.column("in_gosi", sa.Boolean),
        sa.column("in_eos", sa.Boolean),
        sa.column("in_leave_pay", sa.Boolean),
        sa.column("in_overtime", sa.Boolean),
        sa.column("builtin", sa.Boolean),
    )
    op.bulk_insert(
        component,
        [
            {
                "code": code,
                "name": name,
                "name_ar": name_ar,
                "in_gosi": gosi,
                "in_eos": eos,
                "in_leave_pay": leave,
                "in_overtime": overtime,
                "builtin": True,
            }
            for code, name, name_ar, gosi, eos, leave, overtime in _COMPONENTS
        ],
    )

    op.add_column("hr_employee", sa.Column("leaving_reason", sa.String(length=20), nullable=True))
    op.add_column(
        "hr_employee",
        sa.Column("nationality", sa.String(length=8), nullable=False, server_default="other"),
    )
    op.add_column("hr_employee", sa.Column("si_joined_on", sa.Date(), nullable=True))
    for name in _PAYSLIP_COLUMNS:
        op.add_column(
            "hr_payslip", sa.Column(name, sa.Integer(), nullable=False, server_default="0")
        )
    op.add_column(
        "hr_pay_input",
        sa.Column("advance", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "hr_pay_run",
        sa.Column("kind", sa.String(length=16), nullable=False, server_default="monthly"),
    )
    op.drop_index("ux_hr_pay_run_period", table_name="hr_pay_run")
    op.create_index(
        "ux_hr_pay_run_period",
        "hr_pay_run",
        ["period"],
        unique=True,
        sqlite_where=sa.text("status <> 'discarded' AND kind = 'monthly'"),
        postgresql_where=sa.text("status <> 'discarded' AND kind = 'monthly'"),
    )

    # Existing data: nationality from the national ID, reasons from the free text, salaries
    # as component lines from the hire date.
    op.execute(
        "UPDATE hr_employee SET nationality = 'saudi' WHERE id IN"
        " (SELECT employee_id FROM hr_employee_private WHERE national_id LIKE '1%')"
    )
    op.execute(
        "UPDATE hr_employee SET leaving_reason = CASE WHEN lower(termination_reason)"
        " LIKE '%resign%' THEN 'resignation' ELSE 'termination' END"
        " WHERE termination_date IS NOT NULL"
    )
    for code, column in (("BASIC", "base_salary"), ("HOUSING", "allowances")):
        op.execute(
            "INSERT INTO hr_salary_line (employee_id, component_id, amount, effective_from,"
            " set_by, set_at)"
            f" SELECT p.employee_id, (SELECT id FROM hr_pay_component WHERE code = '{code}'),"
            f" p.{column}, e.hire_date, 'migration', CURRENT_TIMESTAMP"
            " FROM hr_employee_private p JOIN hr_employee e ON e.id = p.employee_id"
            f" WHERE p.{column} > 0"
        )


def downgrade() -> None:
    op.drop_index("ux_hr_pay_run_period", table_name="hr_pay_run")
    op.create_index(
        "ux_hr_pay_run_period",
        "hr_pay_run",
        ["period"],
        unique=True,
        sqlite_where=sa.text("status <> 'discarded'"),
        postgresql_where=sa.text("status <> 'discarded'"),
    )
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of these tables would drop their triggers.
    op.drop_column("hr_pay_run", "kind")
    op.drop_column("hr_pay_input", "advance")
    for name in _PAYSLIP_COLUMNS:
        op.drop_column("hr_payslip", name)
    for name in ("si_joined_on", "nationality", "leaving_reason"):
        op.drop_column("hr_employee", name)
    op.drop_index("ix_hr_salary_line_lookup", table_name="hr_salary_line")
    op.drop_table("hr_salary_line")
    op.drop_index("ix_hr_pay_component_code", table_name="hr_pay_component")
    op.drop_table("hr_pay_component")
