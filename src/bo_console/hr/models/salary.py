"""Salary components and their history, and the statutory choices stored on an employee.

A salary is a set of components (basic, housing, transport, other, and custom ones). Each
component type says which legal bases it counts in: the social-insurance contributory wage,
the end-of-service wage, leave pay and the overtime hourly wage. An employee's amount for a
component is a dated line (``effective_from``): a pay run uses, for each component, the line
in force on the month's last day, so a month run again later gives the same payslips.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow

NATIONALITIES = ("saudi", "gcc", "other")
"""Saudi, a national of another GCC state, anyone else: social insurance depends on it."""

LEAVING_REASONS = (
    "resignation",
    "termination",
    "contract_end",
    "unfair_termination",
    "dismissal",
    "force_majeure",
)
"""Why employment ended; the end-of-service award depends on it (``docs/payroll-rules.md``)."""

BUILTIN_COMPONENTS = (
    # code, name, Arabic name, in GOSI wage, in end of service, in leave pay, in overtime
    ("BASIC", "Basic salary", "الراتب الأساسي", True, True, True, True),
    ("HOUSING", "Housing allowance", "بدل السكن", True, True, True, True),
    ("TRANSPORT", "Transport allowance", "بدل النقل", False, True, True, True),
    ("OTHER", "Other allowances", "بدلات أخرى", False, True, True, True),
)
"""The components every store has. The GOSI contributory wage is basic plus housing
(Social Insurance Law, art. 2 definition of the contributory wage); the Labour Law's "wage"
(art. 2: basic plus allowances) is the base of end of service (art. 84), leave pay (art. 109)
and the hourly wage of overtime (art. 107)."""


class PayComponent(SQLModel, table=True):
    """A kind of salary component and the bases it counts in."""

    __tablename__ = "hr_pay_component"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)
    name: str = Field(max_length=120)
    name_ar: str = Field(default="", max_length=120)
    in_gosi: bool = Field(default=False)
    in_eos: bool = Field(default=True)
    in_leave_pay: bool = Field(default=True)
    in_overtime: bool = Field(default=True)
    builtin: bool = Field(default=False)


class SalaryLine(SQLModel, table=True):
    """One component of an employee's monthly salary from ``effective_from`` until the next
    line of the same component (confidential: read with ``hr.confidential``)."""

    __tablename__ = "hr_salary_line"
    __table_args__ = (
        UniqueConstraint("employee_id", "component_id", "effective_from", name="uq_hr_salary_line"),
        CheckConstraint("amount >= 0", name="ck_hr_salary_line_amount"),
        Index("ix_hr_salary_line_lookup", "employee_id", "effective_from"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="hr_employee.id")
    component_id: int = Field(foreign_key="hr_pay_component.id")
    amount: int
    effective_from: date
    set_by: str = Field(max_length=64)
    set_at: datetime = Field(default_factory=utcnow)


class ProvisionOpening(SQLModel, table=True):
    """An employee's end-of-service and leave provisions for service before the first pay run
    that accrues them (booked once against retained earnings, not as that month's expense)."""

    __tablename__ = "hr_provision_opening"
    __table_args__ = (
        UniqueConstraint("employee_id", name="uq_hr_provision_opening_employee"),
        CheckConstraint("eos >= 0 AND leave >= 0", name="ck_hr_provision_opening_amounts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="hr_employee.id")
    as_of: date
    eos: int
    leave: int
    entry_ref: str | None = Field(default=None, max_length=40)
    set_by: str = Field(max_length=64)
    set_at: datetime = Field(default_factory=utcnow)


__all__ = [
    "BUILTIN_COMPONENTS",
    "ProvisionOpening",
    "LEAVING_REASONS",
    "NATIONALITIES",
    "PayComponent",
    "SalaryLine",
]
