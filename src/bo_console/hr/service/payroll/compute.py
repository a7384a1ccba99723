"""Computing payslips: pure arithmetic over the month's staff, inputs, leave and benefits.

**Proration.** By calendar days: a joiner or leaver is paid ``days employed / days in month``
of base and allowances (and of each benefit, for the days enrolled). Unpaid leave deducts
``(base + allowances) * days / days in month``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from bo_console.core.money import from_minor, to_minor
from bo_console.hr.service.common import (
    Period,
    currency_of,
    format_days,
    overlap_days,
)
from bo_console.hr.service.payroll.rules import PayRules, load_rules, round_minor

if TYPE_CHECKING:
    from sqlmodel import Session


# -- computing payslips -----------------------------------------------------------------------


@dataclass
class _Staff:
    id: int
    number: str
    name: str
    org_unit: str
    hire_date: date
    termination_date: date | None
    settled: bool
    base_salary: int
    allowances: int
    iban: str | None


@dataclass
class _Inputs:
    overtime_hours: int = 0
    earnings: int = 0
    deductions: int = 0


@dataclass
class Slip:
    """One computed payslip before it is stored (amounts in minor units)."""

    employee_id: int
    number: str
    name: str
    org_unit: str
    days_in_period: int
    days_paid: int
    unpaid_days: int = 0
    base: int = 0
    allowances: int = 0
    overtime: int = 0
    other_earnings: int = 0
    benefit_cash: int = 0
    settlement: int = 0
    unpaid_deduction: int = 0
    gross: int = 0
    employee_si: int = 0
    employer_si: int = 0
    benefit_employee: int = 0
    benefit_employer: int = 0
    other_deductions: int = 0
    net: int = 0
    iban: str | None = None
    note: str = ""
    settles: bool = False
    notes: list[str] = field(default_factory=list)


def _staff_for(session: Session, period: Period) -> list[_Staff]:
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.hr.models import Employee, EmployeePrivate, OrgUnit

    employed = col(Employee.hire_date) <= period.end
    in_period = col(Employee.termination_date).is_(None) | (
        col(Employee.termination_date) >= period.start
    )
    unsettled_leaver = (
        (col(Employee.status) == "terminated")
        & col(Employee.settled_run_id).is_(None)
        & (col(Employee.termination_date) <= period.end)
    )
    stmt = (
        select(
            col(Employee.id),
            col(Employee.number),
            col(Employee.name),
            col(OrgUnit.code),
            col(Employee.hire_date),
            col(Employee.termination_date),
            col(Employee.settled_run_id),
            col(EmployeePrivate.base_salary),
            col(EmployeePrivate.allowances),
            col(EmployeePrivate.iban),
        )
        .select_from(Employee)
        .join(OrgUnit, col(OrgUnit.id) == col(Employee.org_unit_id))
        .outerjoin(EmployeePrivate, col(EmployeePrivate.employee_id) == col(Employee.id))
        .where(employed & (in_period | unsettled_leaver))
        .order_by(col(Employee.id))
    )
    return [
        _Staff(
            id=r[0],
            number=r[1],
            name=r[2],
            org_unit=r[3],
            hire_date=r[4],
            termination_date=r[5],
            settled=r[6] is not None,
            base_salary=int(r[7] or 0),
            allowances=int(r[8] or 0),
            iban=r[9],
        )
        for r in session.execute(stmt).all()
    ]


def _inputs_for(session: Session, period: Period) -> dict[int, _Inputs]:
    from sqlmodel import select

    from bo_console.hr.models import PayInput

    out: dict[int, _Inputs] = defaultdict(_Inputs)
    for row in session.exec(select(PayInput).where(PayInput.period == period.key)).all():
        item = out[row.employee_id]
        if row.kind == "overtime":
            item.overtime_hours += row.hours or 0
        elif row.kind == "deduction":
            item.deductions += row.amount or 0
        else:
            item.earnings += row.amount or 0
    return out


def _benefits_for(
    session: Session, period: Period
) -> dict[int, list[tuple[date, date, int, int, bool]]]:
    """Per employee: (from, to, employee part, employer part, cash) of plans in the period."""
    from sqlmodel import col, select

    from bo_console.hr.models import BenefitEnrollment, BenefitPlan

    out: dict[int, list[tuple[date, date, int, int, bool]]] = defaultdict(list)
    rows = session.exec(
        select(BenefitEnrollment, BenefitPlan)
        .join(BenefitPlan, col(BenefitPlan.id) == col(BenefitEnrollment.plan_id))
        .where(
            col(BenefitEnrollment.starts_on) <= period.end,
            col(BenefitEnrollment.ends_on).is_(None)
            | (col(BenefitEnrollment.ends_on) >= period.start),
        )
    ).all()
    for enrollment, plan in rows:
        out[enrollment.employee_id].append(
            (
                enrollment.starts_on,
                enrollment.ends_on or period.end,
                plan.employee_contribution,
                plan.employer_contribution,
                plan.cash,
            )
        )
    return out


def compute_slip(
    person: _Staff,
    period: Period,
    rules: PayRules,
    exponent: int,
    *,
    inputs: _Inputs | None = None,
    benefits: list[tuple[date, date, int, int, bool]] | None = None,
    unpaid: int = 0,
    encash_days: int = 0,
) -> Slip:
    """One employee's payslip for ``period`` (pure: everything it needs is passed in)."""
    days = period.days
    start = max(person.hire_date, period.start)
    end = min(person.termination_date or period.end, period.end)
    worked = overlap_days(start, end, period.start, period.end)
    slip = Slip(
        employee_id=person.id,
        number=person.number,
        name=person.name,
        org_unit=person.org_unit,
        days_in_period=days,
        days_paid=worked,
        iban=person.iban,
    )
    wage = person.base_salary + person.allowances
    slip.base = round_minor(Fraction(person.base_salary * worked, days))
    slip.allowances = round_minor(Fraction(person.allowances * worked, days))
    if worked < days:
        slip.notes.append(f"paid {worked} of {days} days")
    unpaid = min(unpaid, worked * 100)
    if unpaid:
        slip.unpaid_days = unpaid
        slip.unpaid_deduction = min(
            round_minor(Fraction(wage * unpaid, 100 * days)), slip.base + slip.allowances
        )
        slip.notes.append(f"unpaid leave {format_days(unpaid)} days")
    if inputs is not None:
        if inputs.overtime_hours:
            slip.overtime = round_minor(
                Fraction(person.base_salary * inputs.overtime_hours, 100 * rules.hours_per_month)
                * Fraction(rules.overtime_multiplier)
            )
            slip.notes.append(f"overtime {format_days(inputs.overtime_hours)} h")
        slip.other_earnings = inputs.earnings
        slip.other_deductions = inputs.deductions
    for b_start, b_end, employee_part, employer_part, cash in benefits or []:
        covered = overlap_days(max(b_start, start), min(b_end, end), period.start, period.end)
        if covered <= 0:
            continue
        ee = round_minor(Fraction(employee_part * covered, days))
        er = round_minor(Fraction(employer_part * covered, days))
        if cash:
            slip.benefit_cash += er
        else:
            slip.benefit_employee += ee
            slip.benefit_employer += er
    leaving = person.termination_date is not None and person.termination_date <= period.end
    if leaving and not person.settled:
        assert person.termination_date is not None
        slip.settles = True
        encash = round_minor(Fraction(wage * encash_days, 100 * 30))
        award = 0
        if rules.end_of_service:
            served = Fraction((person.termination_date - person.hire_date).days + 1, 365)
            first_five = served if served < 5 else Fraction(5)
            later = served - 5 if served > 5 else Fraction(0)
            months = first_five / 2 + later
            award = round_minor(wage * months)
        slip.settlement = encash + award
        slip.notes.append(
            f"final settlement: leave {format_days(encash_days)} days "
            f"{from_minor(encash, exponent)}, end of service {from_minor(award, exponent)}"
        )
    slip.gross = (
        slip.base
        + slip.allowances
        + slip.overtime
        + slip.other_earnings
        + slip.benefit_cash
        + slip.settlement
        - slip.unpaid_deduction
    )
    si_base = slip.base + slip.allowances - slip.unpaid_deduction
    cap = to_minor(rules.si_wage_cap, exponent)
    if cap:
        si_base = min(si_base, cap)
    slip.employee_si = round_minor(si_base * Fraction(rules.si_employee_rate))
    slip.employer_si = round_minor(si_base * Fraction(rules.si_employer_rate))
    slip.net = slip.gross - slip.employee_si - slip.benefit_employee - slip.other_deductions
    slip.note = "; ".join(slip.notes)[:200]
    return slip


Progress = Callable[[int, int], None]
"""Told ``(done, total)`` as a pay run advances (a screen's progress bar); called often enough
to move a bar, not once per employee."""

PROGRESS_STEP = 250
"""Employees between two progress reports."""


def compute_period(
    session: Session, period: Period, *, progress: Progress | None = None
) -> list[Slip]:
    """Payslips for everyone paid in ``period``, from the data as it stands (nothing stored).

    ``progress`` hears ``(computed, employees)`` as the slips are worked out.
    """
    from bo_console.hr.service import leave

    _, exponent = currency_of(session)
    rules = load_rules(session)
    staff = _staff_for(session, period)
    inputs = _inputs_for(session, period)
    benefits = _benefits_for(session, period)
    unpaid = leave.unpaid_days(session, period)
    leavers = [
        p.id
        for p in staff
        if p.termination_date is not None and p.termination_date <= period.end and not p.settled
    ]
    encash = leave.encashable(session, leavers)
    slips: list[Slip] = []
    for done, person in enumerate(staff, start=1):
        slips.append(
            compute_slip(
                person,
                period,
                rules,
                exponent,
                inputs=inputs.get(person.id),
                benefits=benefits.get(person.id),
                unpaid=unpaid.get(person.id, 0),
                encash_days=encash.get(person.id, 0),
            )
        )
        if progress is not None and (done % PROGRESS_STEP == 0 or done == len(staff)):
            progress(done, len(staff))
    return slips
