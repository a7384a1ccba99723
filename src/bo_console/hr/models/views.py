"""What HR's services return for lists and reports: one typed row model per list.

Amounts are exact decimals of the base currency, or the mask (``***``) where the reader may
not see pay. A row is also read by column name (``row["net"]``), which is how the CLI's
writers and the screens' short tables take columns; :meth:`RowView.record` gives the plain
mapping the file writers need.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

Amount = Decimal | str
"""An amount, or the mask for a reader without ``hr.confidential``."""


class RowView(BaseModel):
    """A row of a list or report: typed fields, also readable by column name."""

    model_config = ConfigDict(frozen=True)

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        """The column ``name``, or ``default`` when the row has no such column."""
        return getattr(self, name, default)

    def record(self) -> dict[str, Any]:
        """The row as a plain mapping of column to value (for files and JSON)."""
        return self.model_dump()


def records(rows: list[RowView] | list[Any]) -> list[dict[str, Any]]:
    """Rows as plain mappings, for the CLI's and the exports' writers."""
    return [row.record() for row in rows]


# -- organisation -----------------------------------------------------------------------------


class OrgUnitView(RowView):
    code: str
    name: str
    name_ar: str
    parent: str
    headcount: int
    active: bool


class PositionView(RowView):
    code: str
    title: str
    title_ar: str
    unit: str
    active: bool


class HeadcountView(RowView):
    org_unit: str
    name: str
    headcount: int
    on_leave: int
    monthly_base: Amount
    monthly_allowances: Amount


# -- recruiting, training, benefits -----------------------------------------------------------


class OpeningView(RowView):
    id: int
    title: str
    position: str
    org_unit: str
    headcount: int
    status: str
    opened_on: date
    candidates: int
    in_process: int
    hired: int


class CandidateView(RowView):
    id: int
    opening: int
    name: str
    name_ar: str
    email: str
    phone: str
    stage: str
    applied_on: date
    employee: str


class CourseView(RowView):
    code: str
    title: str
    title_ar: str
    hours: int
    cert_months: int | None


class SessionView(RowView):
    id: int
    course: str
    title: str
    starts_on: date
    ends_on: date
    trainer: str
    location: str
    capacity: int | None
    enrolled: int
    status: str


class EnrollmentView(RowView):
    employee: str
    name: str
    status: str
    completed_on: date | None


class CertificationView(RowView):
    id: int
    employee: str
    name: str
    certification: str
    issued_on: date
    expires_on: date | None
    days_left: int | None
    reference: str


class PlanView(RowView):
    code: str
    name: str
    name_ar: str
    employee_contribution: Decimal
    employer_contribution: Decimal
    cash: bool
    enrolled: int
    active: bool


class BenefitEnrollmentView(RowView):
    plan: str
    employee: str
    name: str
    starts_on: date
    ends_on: date | None


# -- leave ------------------------------------------------------------------------------------


class LeaveTypeView(RowView):
    code: str
    name: str
    name_ar: str
    paid: bool
    yearly_days: str


class LeaveBalanceView(RowView):
    """Days as people write them (``1.75``)."""

    employee: str
    name: str
    type: str
    accrued: str
    taken: str
    adjusted: str
    pending: str
    balance: str


class LeaveRequestView(RowView):
    id: int
    employee: str
    name: str
    type: str
    starts_on: date
    ends_on: date
    days: str
    status: str
    requested_by: str
    decided_by: str
    reason: str


# -- payroll ----------------------------------------------------------------------------------


class RunView(RowView):
    """A pay run with who did each step; totals masked unless the reader may read pay."""

    id: int
    period: str
    status: str
    employees: int
    gross: Amount
    net: Amount
    employer_cost: Amount
    prepared_by: str
    approved_by: str
    posted_by: str
    entry: str
    paid_by: str


class PayslipView(RowView):
    """A payslip: every amount of ``payroll.PAY_AMOUNTS`` as an exact decimal."""

    employee: str
    name: str
    org_unit: str
    days_paid: int
    unpaid_days: str
    base: Decimal
    allowances: Decimal
    overtime: Decimal
    other_earnings: Decimal
    benefit_cash: Decimal
    settlement: Decimal
    unpaid_deduction: Decimal
    gross: Decimal
    employee_si: Decimal
    employer_si: Decimal
    benefit_employee: Decimal
    benefit_employer: Decimal
    other_deductions: Decimal
    net: Decimal
    note: str
    housing: Decimal = Decimal(0)
    leave_encashment: Decimal = Decimal(0)
    eos_award: Decimal = Decimal(0)
    compensation: Decimal = Decimal(0)
    eos_accrual: Decimal = Decimal(0)
    leave_accrual: Decimal = Decimal(0)
    advance_recovery: Decimal = Decimal(0)
    art_wage: Decimal = Decimal(0)


class PayInputView(RowView):
    """A variable input of a month: overtime hours or an amount (the other is blank)."""

    employee: str
    kind: str
    hours: str
    amount: Amount
    note: str
    imported_by: str


class TransferView(RowView):
    """One line of the bank transfer file."""

    employee: str
    name: str
    iban: str
    amount: Decimal
    currency: str
    reference: str
