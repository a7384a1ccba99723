"""Computing payslips: pure arithmetic over the month's staff, inputs, leave and benefits.

**Salary.** The components in force on the month's last day (``hr_salary_line``); each counts
in the bases its type names (social insurance, end of service, leave pay, overtime).

**Proration.** By calendar days: a joiner or leaver is paid ``days employed / days in month``
of each component (and of each benefit, for the days enrolled). Unpaid leave deducts
``wage * days / days in month``.
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
from bo_console.hr.service.payroll import statutory
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
    nationality: str = "saudi"
    si_joined_on: date | None = None
    leaving_reason: str | None = None
    contract_ends_on: date | None = None
    """The end of a fixed-term contract (None: indefinite)."""
    housing: int = 0
    gosi_wage: int | None = None
    """Monthly contributory wage before the cap (None: basic plus allowances)."""
    eos_wage: int | None = None
    leave_wage: int | None = None
    overtime_wage: int | None = None
    excluded_days: int = 0
    """Days of unpaid leave beyond the grace that do not count as service (art. 116)."""
    eos_provided: int = 0
    """This employee's end-of-service provision so far (accruals less awards)."""
    leave_provided: int = 0
    leave_days: int = 0
    """Unused paid leave in hundredths of a day (for the leave provision)."""

    @property
    def wage(self) -> int:
        return self.base_salary + self.allowances


@dataclass
class _Inputs:
    overtime_hours: int = 0
    earnings: int = 0
    deductions: int = 0
    advances: int = 0


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
    housing: int = 0
    leave_encashment: int = 0
    eos_award: int = 0
    compensation: int = 0
    eos_accrual: int = 0
    leave_accrual: int = 0
    advance_recovery: int = 0
    art_wage: int = 0
    settles: bool = False
    notes: list[str] = field(default_factory=list)


def _staff_for(session: Session, period: Period, *, only: int | None = None) -> list[_Staff]:
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.hr.models import Employee, EmployeePrivate, OrgUnit, Payslip

    employed = col(Employee.hire_date) <= period.end
    in_period = col(Employee.termination_date).is_(None) | (
        col(Employee.termination_date) >= period.start
    )
    unsettled_leaver = (
        (col(Employee.status) == "terminated")
        & col(Employee.settled_run_id).is_(None)
        & (col(Employee.termination_date) <= period.end)
    )
    # Someone already paid for this month (a final settlement off-cycle) is not paid again.
    paid_already = select(col(Payslip.employee_id)).where(col(Payslip.period) == period.key)
    stmt = (
        select(
            col(Employee.id),
            col(Employee.number),
            col(Employee.name),
            col(OrgUnit.code),
            col(Employee.hire_date),
            col(Employee.termination_date),
            col(Employee.settled_run_id),
            col(EmployeePrivate.iban),
            col(Employee.nationality),
            col(Employee.si_joined_on),
            col(Employee.leaving_reason),
            col(Employee.contract_ends_on),
        )
        .select_from(Employee)
        .join(OrgUnit, col(OrgUnit.id) == col(Employee.org_unit_id))
        .outerjoin(EmployeePrivate, col(EmployeePrivate.employee_id) == col(Employee.id))
        .where(employed & (in_period | unsettled_leaver))
        .where(col(Employee.id).not_in(paid_already))
        .order_by(col(Employee.id))
    )
    if only is not None:
        stmt = stmt.where(col(Employee.id) == only)
    salaries = salary_in_force(session, period.end)
    staff = []
    for r in session.execute(stmt).all():
        pay = salaries.get(r[0], _NO_PAY)
        staff.append(
            _Staff(
                id=r[0],
                number=r[1],
                name=r[2],
                org_unit=r[3],
                hire_date=r[4],
                termination_date=r[5],
                settled=r[6] is not None,
                base_salary=pay.basic,
                allowances=pay.allowances,
                iban=r[7],
                nationality=r[8],
                si_joined_on=r[9],
                leaving_reason=r[10],
                contract_ends_on=r[11],
                housing=pay.housing,
                gosi_wage=pay.gosi,
                eos_wage=pay.eos,
                leave_wage=pay.leave,
                overtime_wage=pay.overtime,
            )
        )
    return staff


@dataclass(frozen=True)
class _Pay:
    basic: int = 0
    housing: int = 0
    allowances: int = 0
    gosi: int = 0
    eos: int = 0
    leave: int = 0
    overtime: int = 0


_NO_PAY = _Pay()


def salary_in_force(session: Session, on: date) -> dict[int, _Pay]:
    """Per employee id: the salary components in force on ``on``, summed per base."""
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.hr.models import PayComponent, SalaryLine

    kinds = {
        int(r[0]): (r[1], bool(r[2]), bool(r[3]), bool(r[4]), bool(r[5]))
        for r in session.execute(
            select(
                col(PayComponent.id),
                col(PayComponent.code),
                col(PayComponent.in_gosi),
                col(PayComponent.in_eos),
                col(PayComponent.in_leave_pay),
                col(PayComponent.in_overtime),
            )
        ).all()
    }
    latest: dict[tuple[int, int], int] = {}
    for employee_id, component_id, amount in session.execute(
        select(col(SalaryLine.employee_id), col(SalaryLine.component_id), col(SalaryLine.amount))
        .where(col(SalaryLine.effective_from) <= on)
        .order_by(col(SalaryLine.effective_from), col(SalaryLine.id))
    ).all():
        latest[(int(employee_id), int(component_id))] = int(amount)
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
    for (employee_id, component_id), amount in latest.items():
        code, gosi, eos, leave, overtime = kinds[component_id]
        row = sums[employee_id]
        if code == "BASIC":
            row[0] += amount
        else:
            row[2] += amount
        if code == "HOUSING":
            row[1] += amount
        row[3] += amount if gosi else 0
        row[4] += amount if eos else 0
        row[5] += amount if leave else 0
        row[6] += amount if overtime else 0
    return {k: _Pay(*v) for k, v in sums.items()}


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
            if row.advance:
                item.advances += row.amount or 0
        else:
            item.earnings += row.amount or 0
    return out


def _benefits_for(
    session: Session, period: Period
) -> dict[int, list[tuple[date, date, int, int, bool]]]:
    """Per employee: (from, to, employee part, employer part, cash) of plans in the period."""
    from sqlalchemy import select as sa_select
    from sqlmodel import col

    from bo_console.hr.models import BenefitEnrollment, BenefitPlan

    out: dict[int, list[tuple[date, date, int, int, bool]]] = defaultdict(list)
    rows = session.execute(
        sa_select(
            col(BenefitEnrollment.employee_id),
            col(BenefitEnrollment.starts_on),
            col(BenefitEnrollment.ends_on),
            col(BenefitPlan.employee_contribution),
            col(BenefitPlan.employer_contribution),
            col(BenefitPlan.cash),
        )
        .join(BenefitPlan, col(BenefitPlan.id) == col(BenefitEnrollment.plan_id))
        .where(
            col(BenefitEnrollment.starts_on) <= period.end,
            col(BenefitEnrollment.ends_on).is_(None)
            | (col(BenefitEnrollment.ends_on) >= period.start),
        )
    ).all()
    for employee_id, starts, ends, employee_part, employer_part, cash in rows:
        out[employee_id].append(
            (starts, ends or period.end, employee_part, employer_part, bool(cash))
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
    sick: tuple[int, int] = (0, 0),
) -> Slip:
    """One employee's payslip for ``period`` (pure: everything it needs is passed in).

    ``sick`` is (sick days earlier in the year, sick days this month): art. 117 pays the first
    ``sick_full_days`` of a year in full, the next ``sick_reduced_days`` at
    ``sick_reduced_pay``, and nothing after; the shortfall is deducted like unpaid leave.
    """
    days = period.days
    p_start, p_end = period.start, period.end
    start = max(person.hire_date, p_start)
    end = min(person.termination_date or p_end, p_end)
    worked = overlap_days(start, end, p_start, p_end)
    slip = Slip(
        employee_id=person.id,
        number=person.number,
        name=person.name,
        org_unit=person.org_unit,
        days_in_period=days,
        days_paid=worked,
        iban=person.iban,
    )
    wage = person.wage
    slip.art_wage = wage
    gosi_wage = wage if person.gosi_wage is None else person.gosi_wage
    eos_wage = wage if person.eos_wage is None else person.eos_wage
    leave_wage = wage if person.leave_wage is None else person.leave_wage
    ot_wage = wage if person.overtime_wage is None else person.overtime_wage
    slip.base = _ratio(person.base_salary * worked, days)
    slip.allowances = _ratio(person.allowances * worked, days)
    slip.housing = _ratio(person.housing * worked, days)
    if worked < days:
        slip.notes.append(f"paid {worked} of {days} days")
    unpaid = min(unpaid, worked * 100)
    if unpaid:
        slip.unpaid_days = unpaid
        slip.unpaid_deduction = min(_ratio(wage * unpaid, 100 * days), slip.base + slip.allowances)
        slip.notes.append(f"unpaid leave {format_days(unpaid)} days")
    earlier, now = sick
    if now:
        full_days = rules.sick_full_days
        reduced_end = full_days + rules.sick_reduced_days
        full = min(now, max(0, full_days - earlier))
        reduced = min(now - full, max(0, reduced_end - max(earlier, full_days)))
        unpaid_sick = now - full - reduced
        short = Fraction(reduced) * (1 - Fraction(rules.sick_reduced_pay)) + unpaid_sick
        if short:
            cut = round_minor(wage * short / days)
            cut = min(cut, slip.base + slip.allowances - slip.unpaid_deduction)
            slip.unpaid_deduction += cut
            slip.notes.append(
                f"sick leave: {reduced} days at {rules.sick_reduced_pay * 100:.0f}%, "
                f"{unpaid_sick} unpaid (art. 117)"
            )
    if inputs is not None:
        if inputs.overtime_hours:
            # Art. 107: the hourly wage plus a premium share of the hourly basic wage.
            per_hour = Fraction(ot_wage) + Fraction(person.base_salary) * Fraction(
                rules.overtime_premium
            )
            slip.overtime = round_minor(
                per_hour * inputs.overtime_hours / (100 * rules.hours_per_month)
            )
            slip.notes.append(f"overtime {format_days(inputs.overtime_hours)} h")
        slip.other_earnings = inputs.earnings
        slip.other_deductions = inputs.deductions
        slip.advance_recovery = inputs.advances
    for b_start, b_end, employee_part, employer_part, cash in benefits or []:
        covered = overlap_days(max(b_start, start), min(b_end, end), p_start, p_end)
        if covered <= 0:
            continue
        ee = _ratio(employee_part * covered, days)
        er = _ratio(employer_part * covered, days)
        if cash:
            slip.benefit_cash += er
        else:
            slip.benefit_employee += ee
            slip.benefit_employer += er
    leaving = person.termination_date is not None and person.termination_date <= p_end
    leave_liability = _ratio(leave_wage * encash_days, 100 * 30)
    if leaving and not person.settled:
        assert person.termination_date is not None
        slip.settles = True
        slip.leave_encashment = leave_liability
        years = statutory.service_years(
            person.hire_date, person.termination_date, person.excluded_days
        )
        reason = person.leaving_reason
        slip.eos_award = round_minor(statutory.eos_award(rules, reason, eos_wage, years))
        remaining = None
        if person.contract_ends_on is not None:
            remaining = (person.contract_ends_on - person.termination_date).days
        slip.compensation = round_minor(
            statutory.art77_compensation(rules, reason, eos_wage, years, remaining)
        )
        slip.settlement = slip.leave_encashment + slip.eos_award + slip.compensation
        slip.notes.append(
            f"final settlement ({reason or 'termination'}, {float(years):.2f} years): leave "
            f"{format_days(encash_days)} days {from_minor(slip.leave_encashment, exponent)}, "
            f"end of service {from_minor(slip.eos_award, exponent)}"
            + (
                f", art. 77 compensation {from_minor(slip.compensation, exponent)}"
                if slip.compensation
                else ""
            )
        )
        slip.eos_accrual = slip.eos_award - person.eos_provided
        slip.leave_accrual = slip.leave_encashment - person.leave_provided
    else:
        # The provisions follow the liability at the month's end: the full award earned so
        # far (art. 84 basis) and the unused leave at the leave-pay wage.
        liability = eos_liability(rules, eos_wage, person.hire_date, end, person.excluded_days)
        slip.eos_accrual = liability - person.eos_provided
        slip.leave_accrual = leave_liability - person.leave_provided
    slip.gross = (
        slip.base
        + slip.allowances
        + slip.overtime
        + slip.other_earnings
        + slip.benefit_cash
        + slip.settlement
        - slip.unpaid_deduction
    )
    # The contributory wage: the components that count for social insurance, for the days
    # paid, less their share of unpaid leave; capped.
    si_base = _ratio(gosi_wage * worked, days)
    if slip.unpaid_days:
        si_base -= _ratio(gosi_wage * slip.unpaid_days, 100 * days)
    si_base = max(si_base, 0)
    cap = to_minor(rules.si_wage_cap, exponent)
    if cap:
        si_base = min(si_base, cap)
    joined = person.si_joined_on or person.hire_date
    ee_rate, er_rate = statutory.si_rates(rules, person.nationality, joined, p_start)
    slip.employee_si = round_minor(si_base * ee_rate)
    slip.employer_si = round_minor(si_base * er_rate)
    slip.net = slip.gross - slip.employee_si - slip.benefit_employee - slip.other_deductions
    slip.note = "; ".join(slip.notes)[:200]
    return slip


def eos_liability(rules: PayRules, eos_wage: int, hired: date, on: date, excluded: int) -> int:
    """The full art. 84 award earned by the end of ``on`` (the provision it needs), in minor
    units: wage * served / 730 for five years (1,825 days) or less, wage * (2 * served - 1825)
    / 730 after (see statutory.full_award_months), service less ``excluded`` days."""
    if not rules.end_of_service:
        return 0
    served = max((on - hired).days + 1 - excluded, 0)
    factor = served if served <= 1825 else 2 * served - 1825
    return _ratio(eos_wage * factor, 730)


def _ratio(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded by :func:`round_minor`'s rule, in integers."""
    whole, rest = divmod(abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return whole if numerator >= 0 else -whole


Progress = Callable[[int, int], None]
"""Told ``(done, total)`` as a pay run advances (a screen's progress bar); called often enough
to move a bar, not once per employee."""

PROGRESS_STEP = 250
"""Employees between two progress reports."""


def compute_period(
    session: Session,
    period: Period,
    *,
    progress: Progress | None = None,
    only: int | None = None,
) -> list[Slip]:
    """Payslips for everyone paid in ``period``, from the data as it stands (nothing stored);
    ``only`` computes one employee's (a final settlement off-cycle).

    ``progress`` hears ``(computed, employees)`` as the slips are worked out.
    """
    from bo_console.hr.service import leave

    _, exponent = currency_of(session)
    rules = load_rules(session)
    staff = _staff_for(session, period, only=only)
    inputs = _inputs_for(session, period)
    benefits = _benefits_for(session, period)
    unpaid = leave.unpaid_days(session, period)
    sick = leave.sick_days(session, period)
    encash = leave.encashable(session, [p.id for p in staff])
    excluded = leave.excluded_service_days(session, rules.unpaid_leave_grace, period.end)
    provided = _provided(session, period)
    for person in staff:
        person.excluded_days = excluded.get(person.id, 0)
        person.eos_provided, person.leave_provided = provided.get(person.id, (0, 0))
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
                sick=sick.get(person.id, (0, 0)),
            )
        )
        if progress is not None and (done % PROGRESS_STEP == 0 or done == len(staff)):
            progress(done, len(staff))
    return slips


def _provided(session: Session, period: Period) -> dict[int, tuple[int, int]]:
    """Per employee: (end-of-service, leave) provision built by earlier runs, less what was
    paid out of it."""
    from sqlalchemy import func, select
    from sqlmodel import col

    from bo_console.hr.models import PayRun, Payslip, ProvisionOpening

    rows = session.execute(
        select(
            col(Payslip.employee_id),
            func.sum(col(Payslip.eos_accrual) - col(Payslip.eos_award)),
            func.sum(col(Payslip.leave_accrual) - col(Payslip.leave_encashment)),
        )
        .join(PayRun, col(PayRun.id) == col(Payslip.run_id))
        .where(col(PayRun.status) != "discarded", col(Payslip.period) < period.key)
        .group_by(col(Payslip.employee_id))
    ).all()
    out = {int(r[0]): (int(r[1] or 0), int(r[2] or 0)) for r in rows}
    # The opening provisions (service before the first run that accrued them).
    for employee_id, eos, leave in session.execute(
        select(
            col(ProvisionOpening.employee_id),
            col(ProvisionOpening.eos),
            col(ProvisionOpening.leave),
        ).where(col(ProvisionOpening.as_of) < period.start)
    ).all():
        before = out.get(int(employee_id), (0, 0))
        out[int(employee_id)] = (before[0] + int(eos), before[1] + int(leave))
    return out
