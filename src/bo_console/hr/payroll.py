"""Pay runs: compute, approve, post to the ledger, pay.

A pay run covers one month and holds one payslip per employee paid in it; the database keeps
one live run per month and one payslip per employee and month, so running a month again finds
the run that exists and changes nothing. The whole run is written in the caller's single
transaction: killed at any point, it leaves all of it or none.

**Rounding rule.** Every amount is integer minor units. Each component of a payslip (base,
allowances, overtime, each benefit contribution, unpaid-leave deduction, each social insurance
share, leave encashment, end-of-service award) is computed exactly as a fraction and rounded
once, to the nearest minor unit, halves away from zero. Gross, deductions and net are sums and
differences of those rounded components (the database checks both equations), and the ledger
entry sums the payslips, so payslips, run totals and the ledger agree to the minor unit.

**Proration.** By calendar days: a joiner or leaver is paid ``days employed / days in month``
of base and allowances (and of each benefit, for the days enrolled). Unpaid leave deducts
``(base + allowances) * days / days in month``.

**Separation of duties.** ``payroll.prepare`` runs a month; someone else with
``payroll.approve`` approves, posts and pays it (the database refuses an approval by the
preparer).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import (
    FieldError,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.money import from_minor, to_minor
from bo_console.core.security import Actor
from bo_console.hr.common import (
    Period,
    currency_of,
    format_days,
    overlap_days,
    parse_days,
    parse_money,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.paging import QuerySource
    from bo_console.hr.models import PayInput, PayRun

PAY_AMOUNTS = (
    "base",
    "allowances",
    "overtime",
    "other_earnings",
    "benefit_cash",
    "settlement",
    "unpaid_deduction",
    "gross",
    "employee_si",
    "employer_si",
    "benefit_employee",
    "benefit_employer",
    "other_deductions",
    "net",
)
"""Amount columns of a payslip, in the order payslip listings show them."""

RUN_AMOUNTS = ("gross", "deductions", "net", "employer_cost")


def round_minor(value: Fraction) -> int:
    """An exact amount in minor units rounded by the project's one rule (``core.money``):
    to the nearest minor unit, halves away from zero.

    Pay components are ratios such as ``salary * 21 / 30``, kept exact as fractions until this
    single rounding. A ratio whose denominator is a day or hour count cannot fall within
    Decimal's 28 digits of a half without being one, so the Decimal division decides as the
    exact fraction would.
    """
    from bo_console.core import money

    return money.round_minor(Decimal(value.numerator) / Decimal(value.denominator), 0)


# -- rules (settings) -------------------------------------------------------------------------


@dataclass(frozen=True)
class PayRules:
    """The configurable parts of the pay calculation (``bo hr payroll config``)."""

    si_employee_rate: Decimal = Decimal("0.0975")
    """Social insurance, employee share of the contributory wage."""
    si_employer_rate: Decimal = Decimal("0.1175")
    """Social insurance, employer share."""
    si_wage_cap: Decimal = Decimal("45000")
    """Monthly contributory wage above which nothing more is charged (0: no cap)."""
    overtime_multiplier: Decimal = Decimal("1.5")
    """An overtime hour pays the hourly base wage times this."""
    hours_per_month: int = 240
    """Hours in a month, for the hourly base wage."""
    end_of_service: bool = True
    """Pay leavers an end-of-service award: half a month's wage per year for the first five
    years of service, a full month per year after that (pro rata for part years)."""


RULE_KEYS = {
    "si_employee_rate": "hr.si_employee_rate",
    "si_employer_rate": "hr.si_employer_rate",
    "si_wage_cap": "hr.si_wage_cap",
    "overtime_multiplier": "hr.overtime_multiplier",
    "hours_per_month": "hr.hours_per_month",
    "end_of_service": "hr.end_of_service",
}


def load_rules(session: Session) -> PayRules:
    """The rules in force in this database (defaults where nothing is set)."""
    from bo_console.core import settings

    default = PayRules()
    values: dict[str, Any] = {}
    for name, key in RULE_KEYS.items():
        text = settings.get(session, key)
        if not text:
            continue
        current = getattr(default, name)
        if isinstance(current, bool):
            values[name] = text.lower() in ("on", "yes", "true", "1")
        elif isinstance(current, int):
            values[name] = int(text)
        else:
            values[name] = Decimal(text)
    return PayRules(**values)


def set_rule(session: Session, actor: Actor, name: str, value: str) -> tuple[str, str]:
    """Change one pay rule; returns (before, after) as text. Needs ``payroll.approve``."""
    from bo_console.core import settings

    actor.require("payroll.approve", "change pay rules")
    if name not in RULE_KEYS:
        raise ValidationFailed(f"unknown pay rule {name!r} (one of: {', '.join(RULE_KEYS)})")
    current = getattr(load_rules(session), name)
    text = value.strip()
    try:
        if isinstance(current, bool):
            if text.lower() not in ("on", "off", "yes", "no", "true", "false", "1", "0"):
                raise ValueError
            text = "on" if text.lower() in ("on", "yes", "true", "1") else "off"
        elif isinstance(current, int):
            if not text.isdigit() or not 1 <= int(text) <= 744:  # hours in a 31-day month
                raise ValueError
            text = str(int(text))
        elif name == "si_wage_cap":
            # An amount of the base currency: more decimals than it has would make every
            # later pay run fail.
            _, exponent = currency_of(session)
            cap = parse_money(text, exponent)
            if cap < 0:
                raise ValueError
            text = str(from_minor(cap, exponent).normalize())
            if "E" in text:
                text = str(from_minor(cap, exponent).quantize(Decimal(1)))
        else:
            number = Decimal(text)
            if not number.is_finite() or number < 0:
                raise ValueError
            if name.endswith("_rate") and number >= 1:
                raise ValueError
            if name == "overtime_multiplier" and not 1 <= number <= 10:
                raise ValueError
            text = str(number)
    except (ValueError, InvalidOperation):
        raise ValidationFailed(f"{value!r} is not a valid {name.replace('_', ' ')}") from None
    before = _rule_text(current)
    settings.put(session, None, RULE_KEYS[name], text)
    audit.record(
        session,
        actor,
        action="set",
        entity="setting",
        entity_id=RULE_KEYS[name],
        changes={"value": (before, text)},
    )
    return before, text


def _rule_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def rules_rows(session: Session, actor: Actor) -> list[dict[str, str]]:
    """The pay rules as (rule, value) rows."""
    actor.require("hr.read", "read pay rules")
    rules = load_rules(session)
    return [{"rule": name, "value": _rule_text(getattr(rules, name))} for name in RULE_KEYS]


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
    from bo_console.hr import leave

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


# -- runs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_payroll` did: the run, and whether this call created it."""

    run: PayRun
    created: bool


def live_run(session: Session, period: Period) -> PayRun | None:
    """The month's run that is not discarded, if any."""
    from sqlmodel import col, select

    from bo_console.hr.models import PayRun

    return session.exec(
        select(PayRun).where(PayRun.period == period.key, col(PayRun.status) != "discarded")
    ).first()


def get_run(session: Session, run_id: int) -> PayRun:
    """The pay run with this id.

    Raises:
        NotFound: there is none.
    """
    from bo_console.hr.models import PayRun

    run = session.get(PayRun, run_id)
    if run is None:
        raise NotFound(f"no pay run {run_id}")
    return run


def _slip_row(slip: Slip, run_id: int, period: Period) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(slip, name) for name in PAY_AMOUNTS}
    row.update(
        run_id=run_id,
        employee_id=slip.employee_id,
        period=period.key,
        org_unit=slip.org_unit,
        days_in_period=slip.days_in_period,
        days_paid=slip.days_paid,
        unpaid_days=slip.unpaid_days,
        iban=slip.iban,
        note=slip.note,
    )
    return row


def run_payroll(
    session: Session, actor: Actor, period: Period, *, progress: Progress | None = None
) -> RunResult:
    """Compute and store the month's pay run as a draft, in the caller's transaction.

    A month that already has a live run is left as it is (``created`` is False).
    ``progress`` hears ``(done, total)``: computing counts the first half, storing the second.

    Raises:
        ValidationFailed: a payslip would be negative, or someone to be paid has no IBAN.
    """
    from sqlalchemy import insert, update
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import col

    from bo_console.hr import leave
    from bo_console.hr.models import Employee, PayRun, Payslip

    actor.require("payroll.prepare", "run payroll")
    existing = live_run(session, period)
    if existing is not None:
        return RunResult(existing, False)
    currency, _ = currency_of(session)

    def computing(done: int, total: int) -> None:
        if progress is not None:
            progress(done, 2 * total)

    slips = compute_period(session, period, progress=computing)
    problems = [
        FieldError(s.number, f"net pay would be negative ({s.net} minor units)")
        for s in slips
        if s.net < 0
    ] + [
        FieldError(s.number, "has no IBAN to be paid to (set it with `bo hr employees update`)")
        for s in slips
        if s.net > 0 and not s.iban
    ]
    if problems:
        raise ValidationFailed(
            f"payroll for {period} cannot run: {len(problems)} employee(s) need attention",
            problems,
        )
    run = PayRun(
        period=period.key,
        currency=currency,
        employees=len(slips),
        gross=sum(s.gross for s in slips),
        deductions=sum(s.employee_si + s.benefit_employee + s.other_deductions for s in slips),
        net=sum(s.net for s in slips),
        employer_cost=sum(s.gross + s.employer_si + s.benefit_employer for s in slips),
        prepared_by=actor.login,
    )
    session.add(run)
    try:
        session.flush()
    except IntegrityError:
        raise RuleViolation(f"another pay run for {period} was created meanwhile") from None
    assert run.id is not None
    # Stored in chunks only so that progress can be told; it is still one transaction.
    chunk = 4 * PROGRESS_STEP
    for start in range(0, len(slips), chunk):
        part = slips[start : start + chunk]
        session.execute(insert(Payslip), [_slip_row(s, run.id, period) for s in part])
        if progress is not None:
            progress(len(slips) + start + len(part), 2 * len(slips))
    leavers = [s.employee_id for s in slips if s.settles]
    if leavers:
        session.execute(
            update(Employee).where(col(Employee.id).in_(leavers)).values(settled_run_id=run.id)
        )
        for employee_id in leavers:
            leave.settle_balances(session, actor, employee_id, period, run.id)
    audit.record(
        session,
        actor,
        action="run",
        entity="pay_run",
        entity_id=run.id,
        changes={
            "period": (None, period.key),
            "employees": (None, len(slips)),
            "settlements": (None, len(leavers)),
            **{name: (None, getattr(run, name)) for name in RUN_AMOUNTS},
        },
        confidential=RUN_AMOUNTS,
    )
    return RunResult(run, True)


def _not_preparer(actor: Actor, run: PayRun, doing: str) -> None:
    if actor.login == run.prepared_by:
        raise PermissionDenied(
            f"{actor.login} prepared pay run {run.id}; someone else must {doing} it"
        )


def approve_run(session: Session, actor: Actor, run_id: int) -> bool:
    """Approve a draft run (someone other than its preparer); False if already approved."""
    actor.require("payroll.approve", "approve pay runs")
    run = get_run(session, run_id)
    if run.status in ("approved", "posted", "paid"):
        return False
    if run.status != "draft":
        raise RuleViolation(f"pay run {run_id} is {run.status}")
    _not_preparer(actor, run, "approve")
    run.status = "approved"
    run.approved_by = actor.login
    run.approved_at = utcnow()
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor,
        action="approve",
        entity="pay_run",
        entity_id=run_id,
        changes={"status": ("draft", "approved")},
    )
    return True


def discard_run(session: Session, actor: Actor, run_id: int) -> None:
    """Throw away a draft run so the month can be run again (after fixing its inputs)."""
    from sqlalchemy import delete, update
    from sqlmodel import col

    from bo_console.hr.models import Employee, LeaveEntry, Payslip

    actor.require("payroll.prepare", "discard pay runs")
    run = get_run(session, run_id)
    if run.status != "draft":
        raise RuleViolation(f"pay run {run_id} is {run.status}; only a draft can be discarded")
    session.execute(delete(Payslip).where(col(Payslip.run_id) == run_id))
    session.execute(
        delete(LeaveEntry).where(
            col(LeaveEntry.kind) == "settled",
            col(LeaveEntry.period) == run.period,
            col(LeaveEntry.note) == f"pay run {run_id}",
        )
    )
    session.execute(
        update(Employee).where(col(Employee.settled_run_id) == run_id).values(settled_run_id=None)
    )
    run.status = "discarded"
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor,
        action="discard",
        entity="pay_run",
        entity_id=run_id,
        changes={"status": ("draft", "discarded")},
    )


# -- posting to the ledger --------------------------------------------------------------------


ACCOUNTS: dict[str, tuple[str, str]] = {
    "salary_expense": ("6100", "Salaries and wages (expense, by department)"),
    "si_expense": ("6110", "Social insurance, employer share (expense, by department)"),
    "benefit_expense": ("6120", "Employee benefits (expense, by department)"),
    "si_payable": ("2310", "Social insurance payable"),
    "benefit_payable": ("2320", "Employee benefits payable"),
    "deductions_payable": ("2330", "Other payroll deductions payable"),
    "net_payable": ("2300", "Salaries payable"),
    "bank": ("1110", "Bank (salary payments)"),
}
"""The ledger accounts payroll posts to: role -> (default code, what it is). The code in force
is the setting ``hr.account.<role>``."""


@dataclass(frozen=True)
class LedgerLine:
    """One line of the payroll journal entry (amounts in minor units)."""

    role: str
    account: str
    debit: int
    credit: int
    department: str | None = None
    memo: str = ""


def account_codes(session: Session) -> dict[str, str]:
    """Account code per role: the ``hr.account.<role>`` setting, else the default; salaries
    are paid from the ledger's own ``bank`` account unless HR names another."""
    from bo_console.core import settings

    codes = {
        role: settings.get(session, f"hr.account.{role}") or code
        for role, (code, _) in ACCOUNTS.items()
    }
    if not settings.get(session, "hr.account.bank") and ledger_available():
        codes["bank"] = _finance_service().account_for_role(session, "bank")
    return codes


def posting_lines(session: Session, run: PayRun) -> list[LedgerLine]:
    """The balanced journal lines of a run: expenses by department, liabilities, net pay."""
    from sqlalchemy import func, select
    from sqlmodel import col

    from bo_console.hr.models import Payslip

    codes = account_codes(session)
    stmt = (
        select(
            col(Payslip.org_unit),
            func.sum(col(Payslip.gross)),
            func.sum(col(Payslip.employer_si)),
            func.sum(col(Payslip.benefit_employer)),
            func.sum(col(Payslip.employee_si)),
            func.sum(col(Payslip.benefit_employee)),
            func.sum(col(Payslip.other_deductions)),
            func.sum(col(Payslip.net)),
        )
        .where(col(Payslip.run_id) == run.id)
        .group_by(col(Payslip.org_unit))
        .order_by(col(Payslip.org_unit))
    )
    lines: list[LedgerLine] = []
    si_payable = benefit_payable = deductions = net = 0
    memo = f"Payroll {run.period}"
    for unit, gross, er_si, er_ben, ee_si, ee_ben, other, unit_net in session.execute(stmt).all():
        for role, amount in (
            ("salary_expense", gross),
            ("si_expense", er_si),
            ("benefit_expense", er_ben),
        ):
            if amount:
                lines.append(LedgerLine(role, codes[role], int(amount), 0, unit, memo))
        si_payable += int(er_si) + int(ee_si)
        benefit_payable += int(er_ben) + int(ee_ben)
        deductions += int(other)
        net += int(unit_net)
    for role, amount in (
        ("si_payable", si_payable),
        ("benefit_payable", benefit_payable),
        ("deductions_payable", deductions),
        ("net_payable", net),
    ):
        if amount:
            lines.append(LedgerLine(role, codes[role], 0, amount, None, memo))
    return lines


def journal_preview(session: Session, actor: Actor, run_id: int) -> list[LedgerLine]:
    """The lines a run posts (or would post), for people to check: department totals of pay,
    so confidential and audited as a view of the run."""
    _may_read_pay(actor)
    run = get_run(session, run_id)
    lines = posting_lines(session, run)
    audit.record(
        session,
        actor,
        action="view",
        entity="pay_run",
        entity_id=run_id,
        changes={"fields": (None, "journal lines")},
    )
    return lines


def _finance_service() -> Any:
    """The finance ledger's service module, or a clear refusal when this build has none."""
    import importlib

    try:
        service = importlib.import_module("bo_console.finance.service")
    except ImportError:
        raise RuleViolation(
            "the finance ledger is not part of this build; pay runs can be computed and "
            "approved but not posted or paid"
        ) from None
    return service


def ledger_available() -> bool:
    """Whether this build can post pay runs (the finance ledger's service is present)."""
    try:
        _finance_service()
    except RuleViolation:
        return False
    return True


def post_to_ledger(
    session: Session,
    actor: Actor,
    *,
    on: date,
    memo: str,
    reference: str,
    lines: list[LedgerLine],
) -> str:
    """Post one balanced entry through the finance service; returns the entry's number.

    This is the only place payroll touches the ledger. The ledger refuses a second entry for
    the same ``reference``, a closed period and an unbalanced entry on its own.
    """
    debit = sum(line.debit for line in lines)
    credit = sum(line.credit for line in lines)
    if debit != credit:
        raise RuleViolation(f"payroll entry does not balance ({debit} against {credit})")
    service = _finance_service()
    entry = service.post_entry(
        session,
        actor,
        service.EntryCreate(
            date=on,
            memo=memo[:200],
            source="payroll",
            source_ref=reference,
            lines=[
                service.LineCreate(
                    account=line.account,
                    debit=line.debit,
                    credit=line.credit,
                    memo=line.memo[:200],
                    cost_centre=line.department,
                )
                for line in lines
            ],
        ),
        permission="payroll.approve",
    )
    return str(entry.ref)


def post_run(session: Session, actor: Actor, run_id: int) -> bool:
    """Post an approved run to the ledger as one entry dated the month's last day.

    Returns False when it is already posted (or paid).
    """
    from bo_console.hr.common import parse_period

    actor.require("payroll.approve", "post pay runs")
    run = get_run(session, run_id)
    if run.status in ("posted", "paid"):
        return False
    if run.status != "approved":
        raise RuleViolation(f"pay run {run_id} is {run.status}; approve it before posting")
    _not_preparer(actor, run, "post")
    period = parse_period(run.period)
    lines = posting_lines(session, run)
    reference = post_to_ledger(
        session,
        actor,
        on=period.end,
        memo=f"Payroll {run.period} (pay run {run_id})",
        reference=f"pay_run:{run_id}",
        lines=lines,
    )
    run.status = "posted"
    run.posted_by = actor.login
    run.posted_at = utcnow()
    run.entry_ref = reference
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor,
        action="post",
        entity="pay_run",
        entity_id=run_id,
        changes={"status": ("approved", "posted"), "entry": (None, reference)},
    )
    return True


TRANSFER_COLUMNS = ["employee", "name", "iban", "amount", "currency", "reference"]


def transfer_rows(session: Session, actor: Actor, run: PayRun) -> list[dict[str, Any]]:
    """The bank transfer lines of a run (IBAN and net pay of each payslip with pay), audited
    as an export of confidential data."""
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, Payslip

    actor.require("hr.confidential", "export IBANs and pay")
    _, exponent = currency_of(session)
    rows: list[dict[str, Any]] = []
    for slip, number, name in session.exec(
        select(Payslip, Employee.number, Employee.name)
        .join(Employee, col(Employee.id) == col(Payslip.employee_id))
        .where(col(Payslip.run_id) == run.id, col(Payslip.net) > 0)
        .order_by(col(Employee.number))
    ).all():
        rows.append(
            {
                "employee": number,
                "name": name,
                "iban": slip.iban or "",
                "amount": from_minor(slip.net, exponent),
                "currency": run.currency,
                "reference": f"SALARY {run.period} {number}",
            }
        )
    audit.record_view(
        session,
        actor,
        entity="employee",
        entity_ids=[r["employee"] for r in rows],
        fields=("iban", "net_pay"),
        purpose="export",
    )
    return rows


def pay_run(
    session: Session, actor: Actor, run_id: int, *, paid_on: date
) -> tuple[bool, list[dict[str, Any]]]:
    """Pay a posted run: the payment entry (salaries payable against the bank) and the bank
    transfer lines. Returns (changed, transfer rows); a paid run is not paid again."""
    actor.require("payroll.approve", "pay pay runs")
    run = get_run(session, run_id)
    if run.status == "paid":
        return False, []
    if run.status != "posted":
        raise RuleViolation(f"pay run {run_id} is {run.status}; post it before paying")
    _not_preparer(actor, run, "pay")
    rows = transfer_rows(session, actor, run)
    codes = account_codes(session)
    memo = f"Salaries {run.period} (pay run {run_id})"
    reference = post_to_ledger(
        session,
        actor,
        on=paid_on,
        memo=memo,
        reference=f"pay_run:{run_id}:payment",
        lines=[
            LedgerLine("net_payable", codes["net_payable"], run.net, 0, None, memo),
            LedgerLine("bank", codes["bank"], 0, run.net, None, memo),
        ],
    )
    run.status = "paid"
    run.paid_by = actor.login
    run.paid_at = utcnow()
    run.payment_ref = reference
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor,
        action="pay",
        entity="pay_run",
        entity_id=run_id,
        changes={"status": ("posted", "paid"), "payment": (None, reference)},
    )
    return True, rows


# -- reading ----------------------------------------------------------------------------------


def _may_read_pay(actor: Actor) -> None:
    if not (actor.can("payroll.prepare") or actor.can("payroll.approve")):
        actor.require("payroll.prepare", "read pay runs")
    actor.require("hr.confidential", "read pay amounts")


def list_runs(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Every pay run, newest month first (totals need ``hr.confidential``)."""
    from sqlmodel import col, select

    from bo_console.hr.models import PayRun

    _may_read_pay(actor)
    _, exponent = currency_of(session)
    return [
        {
            "id": r.id,
            "period": r.period,
            "status": r.status,
            "employees": r.employees,
            "gross": from_minor(r.gross, exponent),
            "net": from_minor(r.net, exponent),
            "employer_cost": from_minor(r.employer_cost, exponent),
            "prepared_by": r.prepared_by,
            "approved_by": r.approved_by or "",
            "posted_by": r.posted_by or "",
            "entry": r.entry_ref or "",
            "paid_by": r.paid_by or "",
        }
        for r in session.exec(
            select(PayRun).order_by(col(PayRun.period).desc(), col(PayRun.id).desc())
        ).all()
    ]


RUN_COLUMNS = [
    "id",
    "period",
    "status",
    "employees",
    "gross",
    "net",
    "employer_cost",
    "prepared_by",
    "approved_by",
    "posted_by",
    "entry",
    "paid_by",
]


def payslips(
    session: Session, actor: Actor, run_id: int, *, purpose: str = "view"
) -> list[dict[str, Any]]:
    """The payslips of a run (confidential: audited as a view of each employee's pay)."""
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, Payslip

    _may_read_pay(actor)
    run = get_run(session, run_id)
    _, exponent = currency_of(session)
    rows = []
    for slip, number, name in session.exec(
        select(Payslip, Employee.number, Employee.name)
        .join(Employee, col(Employee.id) == col(Payslip.employee_id))
        .where(col(Payslip.run_id) == run.id)
        .order_by(col(Employee.number))
    ).all():
        row: dict[str, Any] = {
            "employee": number,
            "name": name,
            "org_unit": slip.org_unit,
            "days_paid": slip.days_paid,
            "unpaid_days": format_days(slip.unpaid_days),
        }
        for amount in PAY_AMOUNTS:
            row[amount] = from_minor(getattr(slip, amount), exponent)
        row["note"] = slip.note
        rows.append(row)
    if rows:
        audit.record_view(
            session,
            actor,
            entity="employee",
            entity_ids=[r["employee"] for r in rows],
            fields=("payslip",),
            purpose=purpose,
        )
    return rows


PAYSLIP_COLUMNS = ["employee", "name", "org_unit", "days_paid", "unpaid_days", *PAY_AMOUNTS, "note"]


def export_payslips(session: Session, actor: Actor, run_id: int, path: Path, fmt: str) -> int:
    """Write a run's payslips to CSV, XLSX or JSON (audited as an export); returns the count."""
    from bo_console.core import io

    if fmt not in ("csv", "xlsx", "json"):
        raise ValidationFailed(f"cannot write {fmt!r}; use csv, xlsx or json")
    rows = payslips(session, actor, run_id, purpose="export")
    io.write_file(rows, PAYSLIP_COLUMNS, path, fmt)
    return len(rows)


def runs_overview(session: Session, actor: Actor) -> tuple[list[dict[str, Any]], bool]:
    """Every pay run, newest month first, for anyone who reads HR: who prepared, approved,
    posted and paid it. The totals are there only for those who may read pay (the second
    value says so); everyone else gets the mask in their place."""
    from bo_console.hr.common import MASK

    actor.require("hr.read", "list pay runs")
    revealed = actor.can("hr.confidential") and (
        actor.can("payroll.prepare") or actor.can("payroll.approve")
    )
    if revealed:
        return list_runs(session, actor), True
    from sqlmodel import col, select

    from bo_console.hr.models import PayRun

    rows = [
        {
            "id": r.id,
            "period": r.period,
            "status": r.status,
            "employees": r.employees,
            "gross": MASK,
            "net": MASK,
            "employer_cost": MASK,
            "prepared_by": r.prepared_by,
            "approved_by": r.approved_by or "",
            "posted_by": r.posted_by or "",
            "entry": r.entry_ref or "",
            "paid_by": r.paid_by or "",
        }
        for r in session.exec(
            select(PayRun).order_by(col(PayRun.period).desc(), col(PayRun.id).desc())
        ).all()
    ]
    return rows, False


def payslips_source(store: Store, actor: Actor, run_id: int) -> QuerySource:
    """A run's payslips as a virtual table reads them (by employee record order, filtered by
    the folded search on number and name). Opening it is a view of every payslip in the run,
    audited at once, as :func:`payslips` does.

    Raises:
        PermissionDenied: without the permissions to read pay.
        NotFound: no such run.
    """
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.core.money import format_amount
    from bo_console.core.paging import Column, QuerySource
    from bo_console.hr import people
    from bo_console.hr.models import Employee, Payslip

    _may_read_pay(actor)
    with store.write() as session:
        run = get_run(session, run_id)
        _, exponent = currency_of(session)
        numbers = session.execute(
            select(col(Employee.number))
            .join(Payslip, col(Payslip.employee_id) == col(Employee.id))
            .where(col(Payslip.run_id) == run.id)
            .order_by(col(Employee.number))
        ).scalars()
        audit.record_view(
            session,
            actor,
            entity="employee",
            entity_ids=[str(n) for n in numbers],
            fields=("payslip",),
        )

    def amount(value: Any) -> str:
        return format_amount(int(value), exponent)

    deductions = (
        col(Payslip.employee_si) + col(Payslip.benefit_employee) + col(Payslip.other_deductions)
    )
    base = (
        select(
            col(Payslip.id).label("id"),
            col(Employee.number).label("employee"),
            col(Employee.name).label("name"),
            col(Payslip.org_unit).label("org_unit"),
            col(Payslip.days_paid).label("days_paid"),
            col(Payslip.unpaid_days).label("unpaid_days"),
            *(getattr(Payslip, name).label(name) for name in PAY_AMOUNTS),
            deductions.label("deductions"),
            col(Payslip.note).label("note"),
        )
        .select_from(Payslip)
        .join(Employee, col(Employee.id) == col(Payslip.employee_id))
        .where(col(Payslip.run_id) == run_id)
    )
    columns = [
        Column("employee", "No.", 7),
        Column("name", "Name", 18),
        Column("org_unit", "Unit", 5),
        Column("days_paid", "Days", 4, "right"),
        Column("gross", "Gross", 12, "right", fmt=amount),
        Column("deductions", "Deductions", 10, "right", fmt=amount),
        Column("net", "Net", 12, "right", fmt=amount),
        Column("base", "Base", 12, "right", fmt=amount),
        Column("allowances", "Allowances", 11, "right", fmt=amount),
        Column("overtime", "Overtime", 10, "right", fmt=amount),
        Column("unpaid_deduction", "Unpaid leave", 12, "right", fmt=amount),
        Column("employee_si", "SI employee", 11, "right", fmt=amount),
        Column("employer_si", "SI employer", 11, "right", fmt=amount),
        Column("note", "Note", 30),
    ]
    return QuerySource(
        store,
        base,
        col(Payslip.id),
        columns,
        filter_fn=people.search_condition,
    )


# -- variable inputs --------------------------------------------------------------------------


def input_columns() -> list[Any]:
    """Columns of the pay inputs file (template: data/hr-pay-inputs-template.csv)."""
    from bo_console.core import io

    return [
        io.Column("employee", help="employee number"),
        io.Column("kind", help="overtime, bonus, commission or deduction"),
        io.Column("hours", required=False, help="overtime hours (overtime only)"),
        io.Column("amount", required=False, help="amount (bonus, commission, deduction)"),
        io.Column("note", required=False),
    ]


def import_inputs(
    session: Session, actor: Actor, path: Path, period: Period, *, dry_run: bool = False
) -> int:
    """Add a month's variable pay items from CSV/XLSX: all rows or none.

    The same file cannot be imported twice for a month; a month that has a run takes no more
    inputs (discard the draft first).
    """
    from sqlalchemy import insert
    from sqlmodel import select

    from bo_console.core import io
    from bo_console.hr.models import PAY_INPUT_KINDS, Employee, PayInput

    actor.require("payroll.prepare", "import pay inputs")
    actor.require("hr.confidential", "import pay amounts")
    run = live_run(session, period)
    if run is not None:
        raise RuleViolation(
            f"{period} already has pay run {run.id} ({run.status}); inputs can only change "
            "before the month is run"
            + (" (discard the draft first)" if run.status == "draft" else "")
        )
    if not path.is_file():
        raise ValidationFailed(f"{path} is not a file")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if session.exec(
        select(PayInput.id).where(PayInput.batch == digest, PayInput.period == period.key)
    ).first():
        raise RuleViolation(f"{path.name} was already imported for {period}; nothing changed")
    _, exponent = currency_of(session)
    numbers = {n: i for i, n in session.exec(select(Employee.id, Employee.number)).all()}

    def parse(
        number: int, record: dict[str, str], report: io.ImportReport
    ) -> dict[str, Any] | None:
        ok = True
        emp = (record.get("employee") or "").strip().upper()
        if emp not in numbers:
            report.add(number, "employee", f"no employee {emp!r}")
            ok = False
        kind = (record.get("kind") or "").strip().lower()
        if kind not in PAY_INPUT_KINDS:
            report.add(number, "kind", f"one of: {', '.join(PAY_INPUT_KINDS)}")
            ok = False
        hours_text = (record.get("hours") or "").strip()
        amount_text = (record.get("amount") or "").strip()
        hours: int | None = None
        amount: int | None = None
        if kind == "overtime":
            if amount_text:
                report.add(number, "amount", "overtime is given in hours; leave amount empty")
                ok = False
            try:
                hours = parse_days(hours_text) if hours_text else None
            except ValueError as exc:
                report.add(number, "hours", str(exc).replace("days", "hours"))
                ok = False
            else:
                if hours is None or not 0 < hours <= 300 * 100:
                    report.add(number, "hours", "overtime needs 0.01 to 300 hours")
                    ok = False
        elif kind:
            if hours_text:
                report.add(number, "hours", f"{kind} is an amount; leave hours empty")
                ok = False
            try:
                amount = parse_money(amount_text, exponent) if amount_text else None
            except ValueError as exc:
                report.add(number, "amount", str(exc))
                ok = False
            else:
                if amount is None or amount <= 0:
                    report.add(number, "amount", "a positive amount is needed")
                    ok = False
        note = (record.get("note") or "").strip()
        if len(note) > 200:
            report.add(number, "note", "longer than 200 characters")
            ok = False
        if not ok:
            return None
        return {
            "period": period.key,
            "employee_id": numbers[emp],
            "kind": kind,
            "hours": hours,
            "amount": amount,
            "note": note,
            "batch": digest,
            "imported_by": actor.login,
            "imported_at": utcnow(),
        }

    rows = io.read_validated(path, input_columns(), parse)
    if dry_run:
        return len(rows)
    session.execute(insert(PayInput), rows)
    audit.record(
        session,
        actor,
        action="import",
        entity="pay_input",
        entity_id=period.key,
        changes={"file": (None, path.name), "rows": (None, len(rows)), "sha256": (None, digest)},
    )
    return len(rows)


def add_input(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    employee: str,
    kind: str,
    hours: int | None = None,
    amount: int | None = None,
    note: str = "",
) -> PayInput:
    """Add one variable pay item by hand (hours in hundredths, amount in minor units)."""
    from bo_console.core.text import clean
    from bo_console.hr.common import employee_by_number
    from bo_console.hr.models import PAY_INPUT_KINDS, PayInput

    actor.require("payroll.prepare", "enter pay inputs")
    actor.require("hr.confidential", "enter pay amounts")
    run = live_run(session, period)
    if run is not None:
        raise RuleViolation(f"{period} already has pay run {run.id} ({run.status})")
    if kind not in PAY_INPUT_KINDS:
        raise ValidationFailed(f"kind is one of: {', '.join(PAY_INPUT_KINDS)}")
    if kind == "overtime":
        if amount is not None or hours is None or not 0 < hours <= 300 * 100:
            raise ValidationFailed("overtime is 0.01 to 300 hours, with no amount")
    elif hours is not None or amount is None or amount <= 0:
        raise ValidationFailed(f"{kind} is a positive amount, with no hours")
    person = employee_by_number(session, employee)
    row = PayInput(
        period=period.key,
        employee_id=person.id or 0,
        kind=kind,
        hours=hours,
        amount=amount,
        note=clean(note)[:200],
        batch="manual",
        imported_by=actor.login,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="pay_input",
        entity_id=row.id or 0,
        changes={
            "period": (None, period.key),
            "employee": (None, person.number),
            "kind": (None, kind),
            "hours": (None, hours),
            "amount": (None, amount),
        },
        confidential=("amount",),
    )
    return row


def list_inputs(session: Session, actor: Actor, period: Period) -> list[dict[str, Any]]:
    """A month's variable pay items."""
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, PayInput

    _may_read_pay(actor)
    _, exponent = currency_of(session)
    rows = [
        {
            "employee": number,
            "kind": row.kind,
            "hours": format_days(row.hours) if row.hours is not None else "",
            "amount": from_minor(row.amount, exponent) if row.amount is not None else "",
            "note": row.note,
            "imported_by": row.imported_by,
        }
        for row, number in session.exec(
            select(PayInput, Employee.number)
            .join(Employee, col(Employee.id) == col(PayInput.employee_id))
            .where(col(PayInput.period) == period.key)
            .order_by(col(Employee.number), col(PayInput.id))
        ).all()
    ]
    if rows:
        audit.record_view(
            session,
            actor,
            entity="employee",
            entity_ids=sorted({str(r["employee"]) for r in rows}),
            fields=("pay_inputs",),
        )
    return rows


INPUT_COLUMNS = ["employee", "kind", "hours", "amount", "note", "imported_by"]


def clear_inputs(session: Session, actor: Actor, period: Period) -> int:
    """Remove every input of a month that has no run yet; returns how many."""
    from sqlalchemy import delete
    from sqlmodel import col

    from bo_console.hr.models import PayInput

    actor.require("payroll.prepare", "clear pay inputs")
    run = live_run(session, period)
    if run is not None:
        raise RuleViolation(f"{period} already has pay run {run.id} ({run.status})")
    result = session.execute(delete(PayInput).where(col(PayInput.period) == period.key))
    count = int(getattr(result, "rowcount", 0) or 0)
    audit.record(
        session,
        actor,
        action="clear",
        entity="pay_input",
        entity_id=period.key,
        changes={"rows": (count, 0)},
    )
    return count
