"""What payroll needs of leave: unpaid days, encashable balances, settling a leaver's balance."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bo_console.core.security import Actor
from bo_console.hr.service.common import (
    Period,
    overlap_days,
)

if TYPE_CHECKING:
    from sqlmodel import Session


# -- what payroll needs -----------------------------------------------------------------------


def unpaid_days(session: Session, period: Period) -> dict[int, int]:
    """Approved unpaid leave in ``period`` per employee id, in hundredths of a day.

    Calendar days count (pay is by calendar day); a half-day request counts as half a day.
    """
    from sqlmodel import col, select

    from bo_console.hr.models import LeaveRequest, LeaveType

    rows = session.exec(
        select(LeaveRequest)
        .join(LeaveType, col(LeaveType.id) == col(LeaveRequest.leave_type_id))
        .where(
            col(LeaveType.paid).is_(False),
            col(LeaveRequest.status) == "approved",
            col(LeaveRequest.starts_on) <= period.end,
            col(LeaveRequest.ends_on) >= period.start,
        )
    ).all()
    out: dict[int, int] = {}
    for r in rows:
        days = overlap_days(r.starts_on, r.ends_on, period.start, period.end) * 100
        if r.days < 100:
            days = r.days
        out[r.employee_id] = out.get(r.employee_id, 0) + days
    return out


SICK_CODE = "SICK"
"""The leave type whose days follow the sick-pay tiers of art. 117."""


def sick_days(session: Session, period: Period) -> dict[int, tuple[int, int]]:
    """Per employee id: (calendar days of approved sick leave earlier in the period's calendar
    year, calendar days of it in the period). The tiers of art. 117 count per calendar year."""
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.hr.models import LeaveRequest, LeaveType

    year_start = date(period.start.year, 1, 1)
    rows = session.execute(
        select(
            col(LeaveRequest.employee_id), col(LeaveRequest.starts_on), col(LeaveRequest.ends_on)
        )
        .join(LeaveType, col(LeaveType.id) == col(LeaveRequest.leave_type_id))
        .where(
            col(LeaveType.code) == SICK_CODE,
            col(LeaveRequest.status) == "approved",
            col(LeaveRequest.starts_on) <= period.end,
            col(LeaveRequest.ends_on) >= year_start,
        )
    ).all()
    out: dict[int, tuple[int, int]] = {}
    before_start = period.start.replace(day=1)
    for employee_id, starts, ends in rows:
        earlier = 0
        if starts < before_start:
            earlier = overlap_days(starts, ends, year_start, before_start - timedelta(days=1))
        now = overlap_days(starts, ends, period.start, period.end)
        had = out.get(employee_id, (0, 0))
        out[employee_id] = (had[0] + max(earlier, 0), had[1] + max(now, 0))
    return out


def excluded_service_days(session: Session, grace: int, until: date) -> dict[int, int]:
    """Per employee id: calendar days of approved unpaid leave up to ``until`` that do not
    count as service, that is the days of each leave beyond its first ``grace`` (Labour Law,
    art. 116)."""
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.hr.models import LeaveRequest, LeaveType

    rows = session.execute(
        select(
            col(LeaveRequest.employee_id), col(LeaveRequest.starts_on), col(LeaveRequest.ends_on)
        )
        .join(LeaveType, col(LeaveType.id) == col(LeaveRequest.leave_type_id))
        .where(
            col(LeaveType.paid).is_(False),
            col(LeaveRequest.status) == "approved",
            col(LeaveRequest.starts_on) <= until,
        )
    ).all()
    out: dict[int, int] = {}
    for employee_id, starts, ends in rows:
        days = (min(ends, until) - starts).days + 1 - grace
        if days > 0:
            out[employee_id] = out.get(employee_id, 0) + days
    return out


def encashable(session: Session, employee_ids: list[int]) -> dict[int, int]:
    """Unused paid leave with a balance per employee id, in hundredths: the positive balances
    of each paid type, which :func:`settle_balances` clears (a type overdrawn counts as none
    and stays as it is)."""
    from sqlmodel import col, func, select

    from bo_console.hr.models import LeaveEntry, LeaveType

    if not employee_ids:
        return {}
    rows = session.exec(
        select(LeaveEntry.employee_id, func.sum(col(LeaveEntry.days)))
        .join(LeaveType, col(LeaveType.id) == col(LeaveEntry.leave_type_id))
        .where(col(LeaveType.paid).is_(True), col(LeaveEntry.employee_id).in_(employee_ids))
        .group_by(col(LeaveEntry.employee_id), col(LeaveEntry.leave_type_id))
    ).all()
    out: dict[int, int] = {}
    for employee_id, days in rows:
        out[int(employee_id)] = out.get(int(employee_id), 0) + max(0, int(days or 0))
    return out


def settle_balances(
    session: Session, actor: Actor, employee_id: int, period: Period, run_id: int
) -> None:
    """Zero the paid leave balances of a leaver whose unused days the pay run pays out."""
    from sqlmodel import col, func, select

    from bo_console.hr.models import LeaveEntry, LeaveType

    for type_id, days in session.exec(
        select(LeaveEntry.leave_type_id, func.sum(col(LeaveEntry.days)))
        .join(LeaveType, col(LeaveType.id) == col(LeaveEntry.leave_type_id))
        .where(col(LeaveType.paid).is_(True), col(LeaveEntry.employee_id) == employee_id)
        .group_by(col(LeaveEntry.leave_type_id))
    ).all():
        if days and int(days) > 0:
            session.add(
                LeaveEntry(
                    employee_id=employee_id,
                    leave_type_id=int(type_id),
                    kind="settled",
                    period=period.key,
                    days=-int(days),
                    by_login=actor.login,
                    note=f"pay run {run_id}",
                )
            )
