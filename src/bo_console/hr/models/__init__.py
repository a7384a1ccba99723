"""HR tables. Amounts are integer minor units of the base currency; leave days are hundredths.

Confidential fields live in ``hr_employee_private``, one row per employee, so a query that
does not join it cannot leak them. The database itself enforces what must never break: one
payslip per employee per period, one live pay run per period, an approver who is not the
preparer, a leave decision not taken by the requester, one accrual per employee, type and month.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow
from bo_console.core.schema import partial_index
from bo_console.hr.codes import CANDIDATE_STAGES as CANDIDATE_STAGES
from bo_console.hr.codes import EMPLOYEE_STATUSES as EMPLOYEE_STATUSES
from bo_console.hr.codes import ENROLLMENT_STATUSES as ENROLLMENT_STATUSES
from bo_console.hr.codes import LEAVE_ENTRY_KINDS as LEAVE_ENTRY_KINDS
from bo_console.hr.codes import LEAVE_REQUEST_STATUSES as LEAVE_REQUEST_STATUSES
from bo_console.hr.codes import OPENING_STATUSES as OPENING_STATUSES
from bo_console.hr.codes import PAY_INPUT_KINDS as PAY_INPUT_KINDS
from bo_console.hr.codes import PAY_RUN_STATUSES as PAY_RUN_STATUSES
from bo_console.hr.codes import SESSION_STATUSES as SESSION_STATUSES


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class OrgUnit(SQLModel, table=True):
    """A department or team; its code is the cost centre payroll posts salary expense to."""

    __tablename__ = "hr_org_unit"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=120)
    name_ar: str = Field(default="", max_length=120)
    parent_id: int | None = Field(default=None, foreign_key="hr_org_unit.id")
    active: bool = Field(default=True)


class Position(SQLModel, table=True):
    """A job title, optionally tied to an org unit."""

    __tablename__ = "hr_position"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    title: str = Field(max_length=120)
    title_ar: str = Field(default="", max_length=120)
    org_unit_id: int | None = Field(default=None, foreign_key="hr_org_unit.id")
    active: bool = Field(default=True)


class Employee(SQLModel, table=True):
    """The non-confidential part of an employee record (what every HR reader may see)."""

    __tablename__ = "hr_employee"
    __table_args__ = (
        CheckConstraint(_in("status", EMPLOYEE_STATUSES), name="ck_hr_employee_status"),
        Index("ix_hr_employee_sort_name", "sort_name", "id"),
        Index("ix_hr_employee_sort_name_ar", "sort_name_ar", "id"),
        Index("ix_hr_employee_hire_date", "hire_date", "id"),
        Index("ix_hr_employee_unit", "org_unit_id", "id"),
        Index("ix_hr_employee_status", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True, index=True)
    name: str = Field(max_length=120)
    name_ar: str = Field(default="", max_length=120)
    sort_name: str = Field(max_length=120)
    sort_name_ar: str = Field(default="", max_length=120)
    search_text: str = Field(sa_column=Column(Text, nullable=False, server_default=""))
    org_unit_id: int = Field(foreign_key="hr_org_unit.id")
    position_id: int | None = Field(default=None, foreign_key="hr_position.id")
    manager_id: int | None = Field(default=None, foreign_key="hr_employee.id", index=True)
    hire_date: date
    termination_date: date | None = None
    termination_reason: str = Field(default="", max_length=200)
    leaving_reason: str | None = Field(default=None, max_length=20)
    """Why employment ended (``LEAVING_REASONS``): the end-of-service award depends on it."""
    nationality: str = Field(default="other", max_length=8)
    """``saudi``, ``gcc`` or ``other``: social insurance depends on it."""
    si_joined_on: date | None = None
    """First registration with social insurance (the new-law cohort joined from July 2024);
    unknown means the hire date."""
    contract_ends_on: date | None = None
    """The end of a fixed-term contract (None: indefinite); art. 77 pays its remaining term."""
    status: str = Field(default="active", max_length=16)
    email: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=40)
    login: str | None = Field(default=None, max_length=64, unique=True)
    settled_run_id: int | None = Field(default=None, foreign_key="hr_pay_run.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EmployeePrivate(SQLModel, table=True):
    """Confidential fields, read only for ``hr.confidential`` (and every read is audited)."""

    __tablename__ = "hr_employee_private"
    __table_args__ = (
        CheckConstraint("base_salary >= 0 AND allowances >= 0", name="ck_hr_private_amounts"),
        Index("ix_hr_private_salary", "base_salary", "employee_id"),
    )

    employee_id: int = Field(foreign_key="hr_employee.id", primary_key=True)
    base_salary: int = Field(default=0)
    allowances: int = Field(default=0)
    iban: str | None = Field(default=None, max_length=34)
    national_id: str | None = Field(default=None, max_length=20, index=True)
    birth_date: date | None = None


# -- recruiting -------------------------------------------------------------------------------


class Opening(SQLModel, table=True):
    """A job opening: a position to fill in an org unit, ``headcount`` times."""

    __tablename__ = "hr_opening"
    __table_args__ = (
        CheckConstraint(_in("status", OPENING_STATUSES), name="ck_hr_opening_status"),
        CheckConstraint("headcount >= 1", name="ck_hr_opening_headcount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    position_id: int = Field(foreign_key="hr_position.id")
    org_unit_id: int = Field(foreign_key="hr_org_unit.id")
    headcount: int = Field(default=1)
    status: str = Field(default="open", max_length=16, index=True)
    opened_on: date
    closed_on: date | None = None
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Candidate(SQLModel, table=True):
    """Someone who applied to an opening, and where they are in the process."""

    __tablename__ = "hr_candidate"
    __table_args__ = (
        CheckConstraint(_in("stage", CANDIDATE_STAGES), name="ck_hr_candidate_stage"),
        Index("ix_hr_candidate_opening", "opening_id", "stage"),
    )

    id: int | None = Field(default=None, primary_key=True)
    opening_id: int = Field(foreign_key="hr_opening.id")
    name: str = Field(max_length=120)
    name_ar: str = Field(default="", max_length=120)
    search_text: str = Field(sa_column=Column(Text, nullable=False, server_default=""))
    email: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=40)
    stage: str = Field(default="applied", max_length=16)
    applied_on: date
    employee_id: int | None = Field(default=None, foreign_key="hr_employee.id")
    updated_at: datetime = Field(default_factory=utcnow)


class CandidateEvent(SQLModel, table=True):
    """A stage change or a note on a candidate."""

    __tablename__ = "hr_candidate_event"

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="hr_candidate.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    by_login: str = Field(max_length=64)
    from_stage: str | None = Field(default=None, max_length=16)
    to_stage: str | None = Field(default=None, max_length=16)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


# -- training ---------------------------------------------------------------------------------


class Course(SQLModel, table=True):
    """A training course; ``cert_months`` set means completing it certifies for that long."""

    __tablename__ = "hr_course"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    title: str = Field(max_length=120)
    title_ar: str = Field(default="", max_length=120)
    hours: int = Field(default=0)
    cert_months: int | None = None


class TrainingSession(SQLModel, table=True):
    """One delivery of a course: dates, trainer, capacity."""

    __tablename__ = "hr_training_session"
    __table_args__ = (
        CheckConstraint(_in("status", SESSION_STATUSES), name="ck_hr_session_status"),
        CheckConstraint("capacity >= 1", name="ck_hr_session_capacity"),
        CheckConstraint("ends_on >= starts_on", name="ck_hr_session_dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="hr_course.id", index=True)
    starts_on: date = Field(index=True)
    ends_on: date
    trainer: str = Field(default="", max_length=120)
    location: str = Field(default="", max_length=120)
    capacity: int = Field(default=10)
    status: str = Field(default="scheduled", max_length=16)


class Enrollment(SQLModel, table=True):
    """An employee's place in a training session."""

    __tablename__ = "hr_enrollment"
    __table_args__ = (
        UniqueConstraint("session_id", "employee_id", name="uq_hr_enrollment"),
        CheckConstraint(_in("status", ENROLLMENT_STATUSES), name="ck_hr_enrollment_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="hr_training_session.id")
    employee_id: int = Field(foreign_key="hr_employee.id", index=True)
    status: str = Field(default="enrolled", max_length=16)
    completed_on: date | None = None
    enrolled_at: datetime = Field(default_factory=utcnow)


class Certification(SQLModel, table=True):
    """A certification an employee holds, from a course or recorded by hand."""

    __tablename__ = "hr_certification"

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="hr_employee.id", index=True)
    name: str = Field(max_length=120)
    course_id: int | None = Field(default=None, foreign_key="hr_course.id")
    enrollment_id: int | None = Field(default=None, foreign_key="hr_enrollment.id")
    issued_on: date
    expires_on: date | None = Field(default=None, index=True)
    reference: str = Field(default="", max_length=60)


# -- benefits ---------------------------------------------------------------------------------


class BenefitPlan(SQLModel, table=True):
    """A monthly benefit. ``cash`` plans pay the employer part to the employee (an allowance);
    the others pay it to a provider (an insurer), with the employee part deducted from pay."""

    __tablename__ = "hr_benefit_plan"
    __table_args__ = (
        CheckConstraint(
            "employee_contribution >= 0 AND employer_contribution >= 0",
            name="ck_hr_benefit_amounts",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=120)
    name_ar: str = Field(default="", max_length=120)
    employee_contribution: int = Field(default=0)
    employer_contribution: int = Field(default=0)
    cash: bool = Field(default=False)
    active: bool = Field(default=True)


class BenefitEnrollment(SQLModel, table=True):
    """An employee in a benefit plan from ``starts_on`` until ``ends_on`` (open-ended if None)."""

    __tablename__ = "hr_benefit_enrollment"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ck_hr_benefit_dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="hr_benefit_plan.id", index=True)
    employee_id: int = Field(foreign_key="hr_employee.id", index=True)
    starts_on: date
    ends_on: date | None = None


# -- leave ------------------------------------------------------------------------------------


class LeaveType(SQLModel, table=True):
    """A kind of leave. A yearly entitlement above zero accrues monthly and keeps a balance."""

    __tablename__ = "hr_leave_type"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=120)
    name_ar: str = Field(default="", max_length=120)
    paid: bool = Field(default=True)
    yearly_days: int = Field(default=0)
    """Entitlement in hundredths of a day (0: no accrual and no balance)."""


class LeaveEntry(SQLModel, table=True):
    """One movement of a leave balance, in hundredths of a day (accrual +, taken -)."""

    __tablename__ = "hr_leave_entry"
    __table_args__ = (
        CheckConstraint(_in("kind", LEAVE_ENTRY_KINDS), name="ck_hr_leave_entry_kind"),
        Index("ix_hr_leave_entry_balance", "employee_id", "leave_type_id"),
        partial_index(
            "ux_hr_leave_accrual",
            "employee_id",
            "leave_type_id",
            "period",
            where="kind = 'accrual'",
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="hr_employee.id")
    leave_type_id: int = Field(foreign_key="hr_leave_type.id")
    kind: str = Field(max_length=16)
    period: str | None = Field(default=None, max_length=7)
    days: int
    request_id: int | None = Field(default=None, foreign_key="hr_leave_request.id")
    at: datetime = Field(default_factory=utcnow)
    by_login: str = Field(max_length=64)
    note: str = Field(default="", max_length=200)


class LeaveRequest(SQLModel, table=True):
    """A request for leave, decided by the employee's manager or HR, never by the requester."""

    __tablename__ = "hr_leave_request"
    __table_args__ = (
        CheckConstraint(_in("status", LEAVE_REQUEST_STATUSES), name="ck_hr_leave_request_status"),
        CheckConstraint("ends_on >= starts_on", name="ck_hr_leave_request_dates"),
        CheckConstraint(
            "decided_by IS NULL OR decided_by <> requested_by", name="ck_hr_leave_not_self"
        ),
        Index("ix_hr_leave_request_employee", "employee_id", "starts_on"),
        Index("ix_hr_leave_request_status", "status", "starts_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="hr_employee.id")
    leave_type_id: int = Field(foreign_key="hr_leave_type.id")
    starts_on: date
    ends_on: date
    days: int
    """Working days asked for, in hundredths."""
    reason: str = Field(default="", max_length=200)
    status: str = Field(default="pending", max_length=16)
    requested_by: str = Field(max_length=64)
    requested_at: datetime = Field(default_factory=utcnow)
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = None
    decision_note: str = Field(default="", max_length=200)


# -- payroll ----------------------------------------------------------------------------------


class PayRun(SQLModel, table=True):
    """The payroll of one month: draft -> approved -> posted -> paid (or discarded as a draft)."""

    __tablename__ = "hr_pay_run"
    __table_args__ = (
        CheckConstraint(_in("status", PAY_RUN_STATUSES), name="ck_hr_pay_run_status"),
        CheckConstraint(
            "approved_by IS NULL OR approved_by <> prepared_by", name="ck_hr_pay_run_sod"
        ),
        CheckConstraint(
            "status IN ('draft', 'discarded') OR approved_by IS NOT NULL",
            name="ck_hr_pay_run_approved",
        ),
        partial_index(
            "ux_hr_pay_run_period",
            "period",
            where="status <> 'discarded' AND kind = 'monthly'",
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=7)
    status: str = Field(default="draft", max_length=16)
    currency: str = Field(max_length=3)
    employees: int = Field(default=0)
    gross: int = Field(default=0)
    deductions: int = Field(default=0)
    net: int = Field(default=0)
    employer_cost: int = Field(default=0)
    prepared_by: str = Field(max_length=64)
    prepared_at: datetime = Field(default_factory=utcnow)
    approved_by: str | None = Field(default=None, max_length=64)
    approved_at: datetime | None = None
    posted_by: str | None = Field(default=None, max_length=64)
    posted_at: datetime | None = None
    entry_ref: str | None = Field(default=None, max_length=40)
    paid_by: str | None = Field(default=None, max_length=64)
    paid_at: datetime | None = None
    payment_ref: str | None = Field(default=None, max_length=40)
    kind: str = Field(default="monthly", max_length=16)
    """``monthly``, or ``settlement``: a leaver's final pay off-cycle."""


class Payslip(SQLModel, table=True):
    """One employee's pay for one period; every amount is already rounded to the minor unit."""

    __tablename__ = "hr_payslip"
    __table_args__ = (
        UniqueConstraint("employee_id", "period", name="uq_hr_payslip_employee_period"),
        CheckConstraint(
            "gross = base + allowances + overtime + other_earnings + benefit_cash + settlement"
            " - unpaid_deduction",
            name="ck_hr_payslip_gross",
        ),
        CheckConstraint(
            "net = gross - employee_si - benefit_employee - other_deductions",
            name="ck_hr_payslip_net",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="hr_pay_run.id", index=True)
    employee_id: int = Field(foreign_key="hr_employee.id")
    period: str = Field(max_length=7)
    org_unit: str = Field(max_length=16)
    days_in_period: int
    days_paid: int
    unpaid_days: int = Field(default=0)
    base: int = Field(default=0)
    allowances: int = Field(default=0)
    overtime: int = Field(default=0)
    other_earnings: int = Field(default=0)
    benefit_cash: int = Field(default=0)
    settlement: int = Field(default=0)
    unpaid_deduction: int = Field(default=0)
    gross: int = Field(default=0)
    employee_si: int = Field(default=0)
    employer_si: int = Field(default=0)
    benefit_employee: int = Field(default=0)
    benefit_employer: int = Field(default=0)
    other_deductions: int = Field(default=0)
    net: int = Field(default=0)
    iban: str | None = Field(default=None, max_length=34)
    note: str = Field(default="", max_length=200)
    housing: int = Field(default=0)
    """The housing part of ``allowances`` (the bank file splits basic, housing and other)."""
    leave_encashment: int = Field(default=0)
    eos_award: int = Field(default=0)
    compensation: int = Field(default=0)
    """Art. 77 compensation; with the award and the encashment it makes ``settlement``."""
    eos_accrual: int = Field(default=0)
    """Change of this employee's end-of-service provision this month (negative: released)."""
    leave_accrual: int = Field(default=0)
    """Change of this employee's accrued-leave provision this month."""
    advance_recovery: int = Field(default=0)
    """The part of ``other_deductions`` that recovers a salary advance."""
    art_wage: int = Field(default=0)
    """The monthly wage in force (all components): the base of this slip's provisions."""


class PayInput(SQLModel, table=True):
    """A variable pay item for one employee and month (overtime hours, a bonus, a deduction)."""

    __tablename__ = "hr_pay_input"
    __table_args__ = (
        CheckConstraint(_in("kind", PAY_INPUT_KINDS), name="ck_hr_pay_input_kind"),
        Index("ix_hr_pay_input_period", "period", "employee_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=7)
    employee_id: int = Field(foreign_key="hr_employee.id")
    kind: str = Field(max_length=16)
    hours: int | None = None
    """Overtime hours in hundredths (the amount is computed by the pay run)."""
    amount: int | None = None
    advance: bool = Field(default=False)
    """A deduction that recovers a salary advance (credited to employee advances)."""
    note: str = Field(default="", max_length=200)
    batch: str = Field(max_length=64, index=True)
    """SHA-256 of the imported file, so the same file is not imported twice."""
    imported_by: str = Field(max_length=64)
    imported_at: datetime = Field(default_factory=utcnow)


from bo_console.hr.models.salary import (  # noqa: E402 (the tables above come first)
    LEAVING_REASONS,
    NATIONALITIES,
    PayComponent,
    ProvisionOpening,
    SalaryLine,
)

__all__ = [
    "LEAVING_REASONS",
    "NATIONALITIES",
    "PayComponent",
    "ProvisionOpening",
    "SalaryLine",
    "BenefitEnrollment",
    "BenefitPlan",
    "Candidate",
    "CandidateEvent",
    "Certification",
    "Course",
    "Employee",
    "EmployeePrivate",
    "Enrollment",
    "LeaveEntry",
    "LeaveRequest",
    "LeaveType",
    "OrgUnit",
    "PayInput",
    "PayRun",
    "Payslip",
    "Position",
    "TrainingSession",
]
