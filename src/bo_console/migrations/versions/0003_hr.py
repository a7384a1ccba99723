"""hr: people, recruiting, training, benefits, leave and payroll

Revision ID: 0003
Revises: 0002

Besides the tables, triggers make the database itself refuse what payroll must never do: move
a pay run backwards or skip a state, change a run's totals after approval, or add, change or
delete a payslip of a run that is no longer a draft.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hr_benefit_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("employee_contribution", sa.Integer(), nullable=False),
        sa.Column("employer_contribution", sa.Integer(), nullable=False),
        sa.Column("cash", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "employee_contribution >= 0 AND employer_contribution >= 0",
            name="ck_hr_benefit_amounts",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_benefit_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_benefit_plan_code"), ["code"], unique=True)

    op.create_table(
        "hr_course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("title_ar", sa.String(length=120), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("cert_months", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_course", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_course_code"), ["code"], unique=True)

    op.create_table(
        "hr_leave_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("yearly_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_leave_type", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_leave_type_code"), ["code"], unique=True)

    op.create_table(
        "hr_org_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["hr_org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_org_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_org_unit_code"), ["code"], unique=True)

    op.create_table(
        "hr_pay_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("gross", sa.Integer(), nullable=False),
        sa.Column("deductions", sa.Integer(), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.Column("employer_cost", sa.Integer(), nullable=False),
        sa.Column("prepared_by", sa.String(length=64), nullable=False),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_by", sa.String(length=64), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("entry_ref", sa.String(length=40), nullable=True),
        sa.Column("paid_by", sa.String(length=64), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_ref", sa.String(length=40), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'approved', 'posted', 'paid', 'discarded')",
            name="ck_hr_pay_run_status",
        ),
        sa.CheckConstraint(
            "approved_by IS NULL OR approved_by <> prepared_by", name="ck_hr_pay_run_sod"
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'discarded') OR approved_by IS NOT NULL",
            name="ck_hr_pay_run_approved",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_pay_run", schema=None) as batch_op:
        batch_op.create_index(
            "ux_hr_pay_run_period",
            ["period"],
            unique=True,
            sqlite_where=sa.text("status <> 'discarded'"),
            postgresql_where=sa.text("status <> 'discarded'"),
        )

    op.create_table(
        "hr_position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("title_ar", sa.String(length=120), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["hr_org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_position", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_position_code"), ["code"], unique=True)

    op.create_table(
        "hr_training_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("trainer", sa.String(length=120), nullable=False),
        sa.Column("location", sa.String(length=120), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "status IN ('scheduled', 'completed', 'cancelled')", name="ck_hr_session_status"
        ),
        sa.CheckConstraint("capacity >= 1", name="ck_hr_session_capacity"),
        sa.CheckConstraint("ends_on >= starts_on", name="ck_hr_session_dates"),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["hr_course.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_training_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hr_training_session_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hr_training_session_starts_on"), ["starts_on"], unique=False
        )

    op.create_table(
        "hr_employee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("sort_name", sa.String(length=120), nullable=False),
        sa.Column("sort_name_ar", sa.String(length=120), nullable=False),
        sa.Column("search_text", sa.Text(), server_default="", nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("hire_date", sa.Date(), nullable=False),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=True),
        sa.Column("settled_run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'on_leave', 'terminated')", name="ck_hr_employee_status"
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["hr_employee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["hr_org_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["hr_position.id"],
        ),
        sa.ForeignKeyConstraint(
            ["settled_run_id"],
            ["hr_pay_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login"),
    )
    with op.batch_alter_table("hr_employee", schema=None) as batch_op:
        batch_op.create_index("ix_hr_employee_hire_date", ["hire_date", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hr_employee_manager_id"), ["manager_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hr_employee_number"), ["number"], unique=True)
        batch_op.create_index("ix_hr_employee_sort_name", ["sort_name", "id"], unique=False)
        batch_op.create_index("ix_hr_employee_sort_name_ar", ["sort_name_ar", "id"], unique=False)
        batch_op.create_index("ix_hr_employee_status", ["status", "id"], unique=False)
        batch_op.create_index("ix_hr_employee_unit", ["org_unit_id", "id"], unique=False)

    op.create_table(
        "hr_opening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'on_hold', 'filled', 'closed')", name="ck_hr_opening_status"
        ),
        sa.CheckConstraint("headcount >= 1", name="ck_hr_opening_headcount"),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["hr_org_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["hr_position.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_opening", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_opening_status"), ["status"], unique=False)

    op.create_table(
        "hr_benefit_enrollment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ck_hr_benefit_dates"),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["hr_benefit_plan.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_benefit_enrollment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hr_benefit_enrollment_employee_id"), ["employee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hr_benefit_enrollment_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "hr_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opening_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("search_text", sa.Text(), server_default="", nullable=False),
        sa.Column("email", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "stage IN ('applied', 'screening', 'interview', 'offer', 'hired', 'rejected')",
            name="ck_hr_candidate_stage",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["opening_id"],
            ["hr_opening.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_candidate", schema=None) as batch_op:
        batch_op.create_index("ix_hr_candidate_opening", ["opening_id", "stage"], unique=False)

    op.create_table(
        "hr_employee_private",
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("base_salary", sa.Integer(), nullable=False),
        sa.Column("allowances", sa.Integer(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=True),
        sa.Column("national_id", sa.String(length=20), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.CheckConstraint("base_salary >= 0 AND allowances >= 0", name="ck_hr_private_amounts"),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.PrimaryKeyConstraint("employee_id"),
    )
    with op.batch_alter_table("hr_employee_private", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hr_employee_private_national_id"), ["national_id"], unique=False
        )
        batch_op.create_index("ix_hr_private_salary", ["base_salary", "employee_id"], unique=False)

    op.create_table(
        "hr_enrollment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('enrolled', 'completed', 'no_show', 'cancelled')",
            name="ck_hr_enrollment_status",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["hr_training_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "employee_id", name="uq_hr_enrollment"),
    )
    with op.batch_alter_table("hr_enrollment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hr_enrollment_employee_id"), ["employee_id"], unique=False
        )

    op.create_table(
        "hr_leave_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("leave_type_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'cancelled')",
            name="ck_hr_leave_request_status",
        ),
        sa.CheckConstraint(
            "decided_by IS NULL OR decided_by <> requested_by", name="ck_hr_leave_not_self"
        ),
        sa.CheckConstraint("ends_on >= starts_on", name="ck_hr_leave_request_dates"),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["leave_type_id"],
            ["hr_leave_type.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_leave_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hr_leave_request_employee", ["employee_id", "starts_on"], unique=False
        )
        batch_op.create_index("ix_hr_leave_request_status", ["status", "starts_on"], unique=False)

    op.create_table(
        "hr_pay_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("batch", sa.String(length=64), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('overtime', 'bonus', 'commission', 'deduction')", name="ck_hr_pay_input_kind"
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_pay_input", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_pay_input_batch"), ["batch"], unique=False)
        batch_op.create_index("ix_hr_pay_input_period", ["period", "employee_id"], unique=False)

    op.create_table(
        "hr_payslip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("org_unit", sa.String(length=16), nullable=False),
        sa.Column("days_in_period", sa.Integer(), nullable=False),
        sa.Column("days_paid", sa.Integer(), nullable=False),
        sa.Column("unpaid_days", sa.Integer(), nullable=False),
        sa.Column("base", sa.Integer(), nullable=False),
        sa.Column("allowances", sa.Integer(), nullable=False),
        sa.Column("overtime", sa.Integer(), nullable=False),
        sa.Column("other_earnings", sa.Integer(), nullable=False),
        sa.Column("benefit_cash", sa.Integer(), nullable=False),
        sa.Column("settlement", sa.Integer(), nullable=False),
        sa.Column("unpaid_deduction", sa.Integer(), nullable=False),
        sa.Column("gross", sa.Integer(), nullable=False),
        sa.Column("employee_si", sa.Integer(), nullable=False),
        sa.Column("employer_si", sa.Integer(), nullable=False),
        sa.Column("benefit_employee", sa.Integer(), nullable=False),
        sa.Column("benefit_employer", sa.Integer(), nullable=False),
        sa.Column("other_deductions", sa.Integer(), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "gross = base + allowances + overtime + other_earnings + benefit_cash + settlement"
            " - unpaid_deduction",
            name="ck_hr_payslip_gross",
        ),
        sa.CheckConstraint(
            "net = gross - employee_si - benefit_employee - other_deductions",
            name="ck_hr_payslip_net",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["hr_pay_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id", "period", name="uq_hr_payslip_employee_period"),
    )
    with op.batch_alter_table("hr_payslip", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hr_payslip_run_id"), ["run_id"], unique=False)

    op.create_table(
        "hr_candidate_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_login", sa.String(length=64), nullable=False),
        sa.Column("from_stage", sa.String(length=16), nullable=True),
        sa.Column("to_stage", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["hr_candidate.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_candidate_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hr_candidate_event_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "hr_certification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("enrollment_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["hr_course.id"],
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["hr_enrollment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_certification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hr_certification_employee_id"), ["employee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hr_certification_expires_on"), ["expires_on"], unique=False
        )

    op.create_table(
        "hr_leave_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("leave_type_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_login", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "kind IN ('accrual', 'taken', 'adjustment', 'settled')", name="ck_hr_leave_entry_kind"
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["hr_employee.id"],
        ),
        sa.ForeignKeyConstraint(
            ["leave_type_id"],
            ["hr_leave_type.id"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["hr_leave_request.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hr_leave_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hr_leave_entry_balance", ["employee_id", "leave_type_id"], unique=False
        )
        batch_op.create_index(
            "ux_hr_leave_accrual",
            ["employee_id", "leave_type_id", "period"],
            unique=True,
            sqlite_where=sa.text("kind = 'accrual'"),
            postgresql_where=sa.text("kind = 'accrual'"),
        )

    for statement in PAYROLL_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


_ALLOWED_MOVES = (
    "(OLD.status = 'draft' AND NEW.status IN ('approved', 'discarded'))"
    " OR (OLD.status = 'approved' AND NEW.status = 'posted')"
    " OR (OLD.status = 'posted' AND NEW.status = 'paid')"
)
_FROZEN_COLUMNS = (
    "period",
    "currency",
    "employees",
    "gross",
    "deductions",
    "net",
    "employer_cost",
    "prepared_by",
)

_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FROZEN_COLUMNS)
_CHANGED_PG = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _FROZEN_COLUMNS)
_MOVES_MESSAGE = "a pay run moves only draft -> approved -> posted -> paid"
_FROZEN_RUN = "an approved pay run cannot change"
_FROZEN_SLIP = "payslips of an approved pay run cannot change"

PAYROLL_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER hr_pay_run_moves BEFORE UPDATE OF status ON hr_pay_run
        WHEN NEW.status <> OLD.status AND NOT ({_ALLOWED_MOVES})
        BEGIN SELECT RAISE(ABORT, '{_MOVES_MESSAGE}'); END""",
        f"""CREATE TRIGGER hr_pay_run_frozen
        BEFORE UPDATE OF {", ".join(_FROZEN_COLUMNS)} ON hr_pay_run
        WHEN OLD.status <> 'draft' AND ({_CHANGED})
        BEGIN SELECT RAISE(ABORT, '{_FROZEN_RUN}'); END""",
        f"""CREATE TRIGGER hr_payslip_frozen_insert BEFORE INSERT ON hr_payslip
        WHEN (SELECT status FROM hr_pay_run WHERE id = NEW.run_id) <> 'draft'
        BEGIN SELECT RAISE(ABORT, '{_FROZEN_SLIP}'); END""",
        f"""CREATE TRIGGER hr_payslip_frozen_update BEFORE UPDATE ON hr_payslip
        WHEN (SELECT status FROM hr_pay_run WHERE id = OLD.run_id) <> 'draft'
        BEGIN SELECT RAISE(ABORT, '{_FROZEN_SLIP}'); END""",
        f"""CREATE TRIGGER hr_payslip_frozen_delete BEFORE DELETE ON hr_payslip
        WHEN (SELECT status FROM hr_pay_run WHERE id = OLD.run_id) <> 'draft'
        BEGIN SELECT RAISE(ABORT, '{_FROZEN_SLIP}'); END""",
    ],
    "postgresql": [
        f"""CREATE FUNCTION hr_pay_run_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.status <> OLD.status AND NOT ({_ALLOWED_MOVES}) THEN
            RAISE EXCEPTION '{_MOVES_MESSAGE}';
          END IF;
          IF OLD.status <> 'draft' AND ({_CHANGED_PG}) THEN
            RAISE EXCEPTION '{_FROZEN_RUN}';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER hr_pay_run_guard BEFORE UPDATE ON hr_pay_run
        FOR EACH ROW EXECUTE FUNCTION hr_pay_run_guard()""",
        f"""CREATE FUNCTION hr_payslip_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE run_status text;
        BEGIN
          IF TG_OP = 'INSERT' THEN
            SELECT status INTO run_status FROM hr_pay_run WHERE id = NEW.run_id;
          ELSE
            SELECT status INTO run_status FROM hr_pay_run WHERE id = OLD.run_id;
          END IF;
          IF run_status <> 'draft' THEN
            RAISE EXCEPTION '{_FROZEN_SLIP}';
          END IF;
          IF TG_OP = 'DELETE' THEN
            RETURN OLD;
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER hr_payslip_guard BEFORE INSERT OR UPDATE OR DELETE ON hr_payslip
        FOR EACH ROW EXECUTE FUNCTION hr_payslip_guard()""",
    ],
}


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in (
            "hr_pay_run_moves",
            "hr_pay_run_frozen",
            "hr_payslip_frozen_insert",
            "hr_payslip_frozen_update",
            "hr_payslip_frozen_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS hr_payslip_guard ON hr_payslip")
        op.execute("DROP FUNCTION IF EXISTS hr_payslip_guard()")
        op.execute("DROP TRIGGER IF EXISTS hr_pay_run_guard ON hr_pay_run")
        op.execute("DROP FUNCTION IF EXISTS hr_pay_run_guard()")
    with op.batch_alter_table("hr_leave_entry", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_hr_leave_accrual",
            sqlite_where=sa.text("kind = 'accrual'"),
            postgresql_where=sa.text("kind = 'accrual'"),
        )
        batch_op.drop_index("ix_hr_leave_entry_balance")

    op.drop_table("hr_leave_entry")
    with op.batch_alter_table("hr_certification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_certification_expires_on"))
        batch_op.drop_index(batch_op.f("ix_hr_certification_employee_id"))

    op.drop_table("hr_certification")
    with op.batch_alter_table("hr_candidate_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_candidate_event_candidate_id"))

    op.drop_table("hr_candidate_event")
    with op.batch_alter_table("hr_payslip", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_payslip_run_id"))

    op.drop_table("hr_payslip")
    with op.batch_alter_table("hr_pay_input", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_pay_input_period")
        batch_op.drop_index(batch_op.f("ix_hr_pay_input_batch"))

    op.drop_table("hr_pay_input")
    with op.batch_alter_table("hr_leave_request", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_leave_request_status")
        batch_op.drop_index("ix_hr_leave_request_employee")

    op.drop_table("hr_leave_request")
    with op.batch_alter_table("hr_enrollment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_enrollment_employee_id"))

    op.drop_table("hr_enrollment")
    with op.batch_alter_table("hr_employee_private", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_private_salary")
        batch_op.drop_index(batch_op.f("ix_hr_employee_private_national_id"))

    op.drop_table("hr_employee_private")
    with op.batch_alter_table("hr_candidate", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_candidate_opening")

    op.drop_table("hr_candidate")
    with op.batch_alter_table("hr_benefit_enrollment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_benefit_enrollment_plan_id"))
        batch_op.drop_index(batch_op.f("ix_hr_benefit_enrollment_employee_id"))

    op.drop_table("hr_benefit_enrollment")
    with op.batch_alter_table("hr_opening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_opening_status"))

    op.drop_table("hr_opening")
    with op.batch_alter_table("hr_employee", schema=None) as batch_op:
        batch_op.drop_index("ix_hr_employee_unit")
        batch_op.drop_index("ix_hr_employee_status")
        batch_op.drop_index("ix_hr_employee_sort_name_ar")
        batch_op.drop_index("ix_hr_employee_sort_name")
        batch_op.drop_index(batch_op.f("ix_hr_employee_number"))
        batch_op.drop_index(batch_op.f("ix_hr_employee_manager_id"))
        batch_op.drop_index("ix_hr_employee_hire_date")

    op.drop_table("hr_employee")
    with op.batch_alter_table("hr_training_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_training_session_starts_on"))
        batch_op.drop_index(batch_op.f("ix_hr_training_session_course_id"))

    op.drop_table("hr_training_session")
    with op.batch_alter_table("hr_position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_position_code"))

    op.drop_table("hr_position")
    with op.batch_alter_table("hr_pay_run", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_hr_pay_run_period",
            sqlite_where=sa.text("status <> 'discarded'"),
            postgresql_where=sa.text("status <> 'discarded'"),
        )

    op.drop_table("hr_pay_run")
    with op.batch_alter_table("hr_org_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_org_unit_code"))

    op.drop_table("hr_org_unit")
    with op.batch_alter_table("hr_leave_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_leave_type_code"))

    op.drop_table("hr_leave_type")
    with op.batch_alter_table("hr_course", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_course_code"))

    op.drop_table("hr_course")
    with op.batch_alter_table("hr_benefit_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hr_benefit_plan_code"))

    op.drop_table("hr_benefit_plan")
