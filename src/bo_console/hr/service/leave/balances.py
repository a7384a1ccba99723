"""Leave balances: a ledger in hundredths of a day; adjustments and the monthly accrual.

A type with a yearly entitlement accrues a twelfth of it each month, rounded half up to a
hundredth, and December takes whatever makes the year exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import (
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.security import Actor
from bo_console.core.text import clean
from bo_console.hr.service.common import (
    Period,
    employee_by_number,
    format_days,
)
from bo_console.hr.service.leave.kinds import leave_type, monthly_accrual
from bo_console.hr.service.lists import BALANCE_COLUMNS as BALANCE_COLUMNS
from bo_console.hr.service.lists import balances as balances

if TYPE_CHECKING:
    from sqlmodel import Session


# -- balances ---------------------------------------------------------------------------------


def balance(session: Session, employee_id: int, leave_type_id: int) -> int:
    """The balance in hundredths of a day."""
    from sqlmodel import col, func, select

    from bo_console.hr.models import LeaveEntry

    total = session.exec(
        select(func.coalesce(func.sum(col(LeaveEntry.days)), 0)).where(
            LeaveEntry.employee_id == employee_id, LeaveEntry.leave_type_id == leave_type_id
        )
    ).one()
    return int(total)


def _pending(session: Session, employee_id: int, leave_type_id: int, exclude: int | None) -> int:
    from sqlmodel import col, func, select

    from bo_console.hr.models import LeaveRequest

    stmt = select(func.coalesce(func.sum(col(LeaveRequest.days)), 0)).where(
        LeaveRequest.employee_id == employee_id,
        LeaveRequest.leave_type_id == leave_type_id,
        LeaveRequest.status == "pending",
    )
    if exclude is not None:
        stmt = stmt.where(col(LeaveRequest.id) != exclude)
    return int(session.exec(stmt).one())


def adjust(
    session: Session,
    actor: Actor,
    *,
    employee: str,
    type_code: str,
    days: int,
    note: str,
) -> None:
    """Add (or, negative, remove) days from a balance, with a reason (opening balances...)."""
    from bo_console.hr.models import LeaveEntry

    actor.require("hr.manage", "adjust leave balances")
    person = employee_by_number(session, employee)
    kind = leave_type(session, type_code)
    if not kind.yearly_days:
        raise RuleViolation(f"{kind.code} keeps no balance")
    note = clean(note)
    if not note:
        raise ValidationFailed("say why the balance changes (--note)")
    if days == 0:
        raise ValidationFailed("an adjustment of zero days changes nothing")
    session.add(
        LeaveEntry(
            employee_id=person.id or 0,
            leave_type_id=kind.id or 0,
            kind="adjustment",
            days=days,
            by_login=actor.login,
            note=note[:200],
        )
    )
    audit.record(
        session,
        actor,
        action="adjust",
        entity="leave_balance",
        entity_id=f"{person.number}/{kind.code}",
        changes={"days": (None, format_days(days)), "note": (None, note)},
    )


# -- accrual ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccrualResult:
    """What one accrual run did."""

    period: str
    added: int
    already: int


def accrue(session: Session, actor: Actor, period: Period) -> AccrualResult:
    """Accrue one month of every entitlement for everyone employed in the month.

    A joiner or leaver accrues for the calendar days employed (days employed / days in the
    month of the monthly accrual); a leaver already settled accrues nothing more. Annual leave
    is ``annual_leave_long_days`` a year once service reaches ``annual_leave_long_after_years``
    (art. 109), else the type's own entitlement.

    Idempotent: an employee, type and month accrues once (the database holds a unique index);
    running again adds only what is missing (an employee entered since, say).

    Raises:
        RuleViolation: the month is not over yet (its joiners, leavers and leave are not
            known until it is).
    """
    from sqlalchemy import select as sa_select
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, LeaveEntry, LeaveType
    from bo_console.hr.models.employees import years_before
    from bo_console.hr.service.common import overlap_days
    from bo_console.hr.service.payroll.rules import load_rules, round_minor

    actor.require("hr.write", "accrue leave")
    from bo_console.core import clock

    if period.end >= clock.today():
        raise RuleViolation(
            f"{period.key} is not over yet: accrue it from {period.end + timedelta(days=1)}"
        )
    types = session.exec(select(LeaveType).where(col(LeaveType.yearly_days) > 0)).all()
    if not types:
        return AccrualResult(period.key, 0, 0)
    rules = load_rules(session)
    start, end, days = period.start, period.end, period.days
    employed = session.execute(
        sa_select(col(Employee.id), col(Employee.hire_date), col(Employee.termination_date)).where(
            col(Employee.hire_date) <= end,
            col(Employee.termination_date).is_(None) | (col(Employee.termination_date) >= start),
            col(Employee.settled_run_id).is_(None),
        )
    ).all()
    staff = [int(r[0]) for r in employed]
    worked: dict[int, int] = {}
    long_served: set[int] = set()
    for emp_id, hired, left in employed:
        last = min(left or end, end)
        worked[int(emp_id)] = overlap_days(max(hired, start), last, start, end)
        if years_before(last, rules.annual_leave_long_after_years) >= hired:
            long_served.add(int(emp_id))
    done = {
        (int(e), int(t))
        for e, t in session.exec(
            select(LeaveEntry.employee_id, LeaveEntry.leave_type_id).where(
                LeaveEntry.kind == "accrual", LeaveEntry.period == period.key
            )
        ).all()
    }
    rows = []
    already = 0
    for kind in types:
        amount = monthly_accrual(kind.yearly_days, period.month)
        long_amount = amount
        if kind.code == "ANNUAL":
            long_yearly = max(kind.yearly_days, rules.annual_leave_long_days * 100)
            long_amount = monthly_accrual(long_yearly, period.month)
        for emp_id in staff:
            if (emp_id, kind.id) in done:
                already += 1
                continue
            accrued = long_amount if emp_id in long_served else amount
            if worked[emp_id] < days:
                accrued = round_minor(Fraction(accrued * worked[emp_id], days))
            rows.append(
                {
                    "employee_id": emp_id,
                    "leave_type_id": kind.id,
                    "kind": "accrual",
                    "period": period.key,
                    "days": accrued,
                    "at": utcnow(),
                    "by_login": actor.login,
                    "note": "",
                }
            )
    if rows:
        from sqlalchemy import insert

        session.execute(insert(LeaveEntry), rows)
    audit.record(
        session,
        actor,
        action="accrue",
        entity="leave",
        entity_id=period.key,
        changes={"entries": (None, len(rows)), "already": (None, already)},
    )
    return AccrualResult(period.key, len(rows), already)
