"""Leave: types, monthly accrual, requests and their approval, balances.

Balances are a ledger (``hr_leave_entry``) in hundredths of a day: accruals add, approved
leave takes away. A type with a yearly entitlement accrues a twelfth of it each month, rounded
half up to a hundredth, and December takes whatever makes the year exact. A request is decided
by the employee's manager or by HR (``hr.manage``), never by the person who asked for it nor by
the employee it is for; the database refuses a decision recorded by the requester. Unpaid leave
reduces pay in the pay run of the month it falls in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import (
    AlreadyDone,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.security import Actor
from bo_console.core.text import clean
from bo_console.hr.common import (
    Period,
    days_text,
    employee_by_number,
    format_days,
    overlap_days,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import Employee, LeaveRequest, LeaveType

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WEEKEND = "fri,sat"


def weekend_days(session: Session) -> frozenset[int]:
    """Weekday numbers (Monday 0) of the weekend, from the ``hr.weekend`` setting."""
    from bo_console.core import settings

    text = settings.get(session, "hr.weekend") or DEFAULT_WEEKEND
    return frozenset(WEEKDAYS.index(d.strip()[:3].lower()) for d in text.split(",") if d.strip())


def working_days(start: date, end: date, weekend: frozenset[int]) -> int:
    """Days from ``start`` to ``end`` inclusive that are not weekend days."""
    total = 0
    day = start
    while day <= end:
        if day.weekday() not in weekend:
            total += 1
        day += timedelta(days=1)
    return total


def monthly_accrual(yearly: int, month: int) -> int:
    """Hundredths of a day accrued in ``month`` for a yearly entitlement (in hundredths).

    Eleven months get a twelfth rounded half up; December gets the rest, so a full year adds up
    to the entitlement exactly.
    """
    twelfth = int((Decimal(yearly) / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return yearly - 11 * twelfth if month == 12 else twelfth


# -- leave types ------------------------------------------------------------------------------


def add_leave_type(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    name_ar: str = "",
    paid: bool = True,
    yearly_days: int = 0,
) -> LeaveType:
    """Create a leave type; ``yearly_days`` (hundredths) above zero accrues and keeps a balance."""
    from sqlmodel import select

    from bo_console.hr.models import LeaveType

    actor.require("hr.manage", "create leave types")
    code = clean(code).upper()
    if not code or len(code) > 16 or not code.replace("-", "").replace("_", "").isalnum():
        raise ValidationFailed(f"invalid leave type code {code!r}")
    if session.exec(select(LeaveType).where(LeaveType.code == code)).first() is not None:
        raise RuleViolation(f"leave type {code} already exists")
    name = clean(name)
    if not name or len(name) > 120:
        raise ValidationFailed("a leave type needs a name of up to 120 characters")
    if not 0 <= yearly_days <= 366 * 100:
        raise ValidationFailed("the yearly entitlement is 0 to 366 days")
    if yearly_days and not paid:
        raise ValidationFailed("unpaid leave has no entitlement to accrue")
    row = LeaveType(
        code=code, name=name, name_ar=clean(name_ar), paid=paid, yearly_days=yearly_days
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="leave_type",
        entity_id=code,
        changes={"name": (None, name), "paid": (None, paid), "yearly_days": (None, yearly_days)},
    )
    return row


def leave_type(session: Session, code: str) -> LeaveType:
    """The leave type with this code.

    Raises:
        NotFound: there is none.
    """
    from sqlmodel import select

    from bo_console.hr.models import LeaveType

    row = session.exec(select(LeaveType).where(LeaveType.code == code.strip().upper())).first()
    if row is None:
        raise NotFound(f"no leave type {code!r} (see `bo hr leave types`)")
    return row


def list_leave_types(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Every leave type."""
    from sqlmodel import col, select

    from bo_console.hr.models import LeaveType

    actor.require("hr.read", "list leave types")
    return [
        {
            "code": t.code,
            "name": t.name,
            "name_ar": t.name_ar,
            "paid": t.paid,
            "yearly_days": format_days(t.yearly_days),
        }
        for t in session.exec(select(LeaveType).order_by(col(LeaveType.code))).all()
    ]


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


def balances(
    session: Session, actor: Actor, *, employee: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Balances of accruing leave types per employee: accrued, taken, adjusted, pending, left.

    Everyone may see their own; seeing others' needs ``hr.read``. ``limit`` keeps the first
    rows (by employee number), for screens that show a page.
    """
    from sqlalchemy import case, func, select
    from sqlmodel import col

    from bo_console.hr.models import Employee, LeaveEntry, LeaveRequest, LeaveType

    person = employee_by_number(session, employee) if employee else None
    if person is None or person.login != actor.login:
        actor.require("hr.read", "read leave balances")
    kind = col(LeaveEntry.kind)
    days = col(LeaveEntry.days)
    stmt = (
        select(
            col(Employee.id),
            col(Employee.number),
            col(Employee.name),
            col(LeaveType.id),
            col(LeaveType.code),
            func.sum(case((kind == "accrual", days), else_=0)),
            func.sum(case((kind == "taken", days), else_=0)),
            func.sum(case((kind.in_(("adjustment", "settled")), days), else_=0)),
            func.sum(days),
        )
        .select_from(LeaveEntry)
        .join(Employee, col(Employee.id) == col(LeaveEntry.employee_id))
        .join(LeaveType, col(LeaveType.id) == col(LeaveEntry.leave_type_id))
        .group_by(col(Employee.id), col(LeaveType.id))
        .order_by(col(Employee.number), col(LeaveType.code))
    )
    if person is not None:
        stmt = stmt.where(col(Employee.id) == person.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    pending_stmt = (
        select(
            col(LeaveRequest.employee_id),
            col(LeaveRequest.leave_type_id),
            func.sum(col(LeaveRequest.days)),
        )
        .where(col(LeaveRequest.status) == "pending")
        .group_by(col(LeaveRequest.employee_id), col(LeaveRequest.leave_type_id))
    )
    pending = {(int(e), int(t)): int(d) for e, t, d in session.execute(pending_stmt).all()}
    rows = []
    for emp_id, number, name, type_id, code, accrued, taken, adjusted, left in session.execute(
        stmt
    ).all():
        rows.append(
            {
                "employee": number,
                "name": name,
                "type": code,
                "accrued": format_days(int(accrued or 0)),
                "taken": format_days(-int(taken or 0)),
                "adjusted": format_days(int(adjusted or 0)),
                "pending": format_days(pending.get((emp_id, type_id), 0)),
                "balance": format_days(int(left or 0)),
            }
        )
    return rows


BALANCE_COLUMNS = ["employee", "name", "type", "accrued", "taken", "adjusted", "pending", "balance"]


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
    """Accrue one month of every entitlement for everyone employed on the month's last day.

    Idempotent: an employee, type and month accrues once (the database holds a unique index);
    running again adds only what is missing (an employee entered since, say).
    """
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, LeaveEntry, LeaveType

    actor.require("hr.write", "accrue leave")
    types = session.exec(select(LeaveType).where(col(LeaveType.yearly_days) > 0)).all()
    if not types:
        return AccrualResult(period.key, 0, 0)
    staff = session.exec(
        select(Employee.id).where(
            col(Employee.hire_date) <= period.end,
            col(Employee.termination_date).is_(None)
            | (col(Employee.termination_date) >= period.end),
        )
    ).all()
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
        for emp_id in staff:
            assert emp_id is not None
            if (emp_id, kind.id) in done:
                already += 1
                continue
            rows.append(
                {
                    "employee_id": emp_id,
                    "leave_type_id": kind.id,
                    "kind": "accrual",
                    "period": period.key,
                    "days": amount,
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


# -- requests ---------------------------------------------------------------------------------


def _may_act_for(actor: Actor, employee: Employee) -> bool:
    return actor.can("hr.write") or (employee.login is not None and employee.login == actor.login)


def request_leave(
    session: Session,
    actor: Actor,
    *,
    employee: str,
    type_code: str,
    starts_on: date,
    ends_on: date,
    reason: str = "",
    half_day: bool = False,
) -> LeaveRequest:
    """Ask for leave (for yourself, or for anyone with ``hr.write``).

    Counts working days; for a type with a balance, refuses what the balance less pending
    requests cannot cover.
    """
    from sqlmodel import col, select

    from bo_console.hr.models import LeaveRequest

    person = employee_by_number(session, employee)
    if not _may_act_for(actor, person):
        raise PermissionDenied(
            f"{actor.login} may request leave only for themselves (or needs hr.write)"
        )
    kind = leave_type(session, type_code)
    if ends_on < starts_on:
        raise ValidationFailed("leave cannot end before it starts")
    if half_day and ends_on != starts_on:
        raise ValidationFailed("a half day is one day")
    if person.status == "terminated" or (
        person.termination_date is not None and ends_on > person.termination_date
    ):
        raise RuleViolation(f"{person.number} is not employed for all of that leave")
    if starts_on < person.hire_date:
        raise RuleViolation(f"{person.number} starts on {person.hire_date}")
    weekend = weekend_days(session)
    days = working_days(starts_on, ends_on, weekend) * 100
    if half_day:
        days //= 2
    if days <= 0:
        raise ValidationFailed("those dates are all weekend days")
    clash = session.exec(
        select(LeaveRequest).where(
            LeaveRequest.employee_id == person.id,
            col(LeaveRequest.status).in_(("pending", "approved")),
            col(LeaveRequest.starts_on) <= ends_on,
            col(LeaveRequest.ends_on) >= starts_on,
        )
    ).first()
    if clash is not None:
        raise RuleViolation(
            f"{person.number} already has request {clash.id} ({clash.status}) "
            f"from {clash.starts_on} to {clash.ends_on}"
        )
    if kind.yearly_days:
        available = balance(session, person.id or 0, kind.id or 0) - _pending(
            session, person.id or 0, kind.id or 0, None
        )
        if days > available:
            raise RuleViolation(
                f"{person.number} has {days_text(available, kind.code + ' day')} available; "
                f"the request needs {format_days(days)}"
            )
    reason = clean(reason)
    if len(reason) > 200:
        raise ValidationFailed("the reason is longer than 200 characters")
    row = LeaveRequest(
        employee_id=person.id or 0,
        leave_type_id=kind.id or 0,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        reason=reason,
        requested_by=actor.login,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="request",
        entity="leave_request",
        entity_id=row.id or 0,
        changes={
            "employee": (None, person.number),
            "type": (None, kind.code),
            "starts_on": (None, starts_on),
            "ends_on": (None, ends_on),
            "days": (None, format_days(days)),
        },
    )
    return row


def get_request(session: Session, request_id: int) -> LeaveRequest:
    """The leave request with this id.

    Raises:
        NotFound: there is none.
    """
    from bo_console.hr.models import LeaveRequest

    row = session.get(LeaveRequest, request_id)
    if row is None:
        raise NotFound(f"no leave request {request_id}")
    return row


def _check_decider(session: Session, actor: Actor, request: LeaveRequest) -> Employee:
    """The employee the request is for, after checking ``actor`` may decide it."""
    from bo_console.hr.models import Employee

    person = session.get(Employee, request.employee_id)
    assert person is not None
    if actor.login == request.requested_by:
        raise PermissionDenied(
            f"{actor.login} asked for leave request {request.id}; someone else must decide it"
        )
    if person.login is not None and person.login == actor.login:
        raise PermissionDenied(f"{actor.login} cannot decide their own leave")
    manager = session.get(Employee, person.manager_id) if person.manager_id else None
    is_manager = manager is not None and manager.login is not None and manager.login == actor.login
    if not is_manager and not actor.can("hr.manage"):
        raise PermissionDenied(
            f"only {person.number}'s manager or HR (hr.manage) may decide leave request "
            f"{request.id}; {actor.login} is neither"
        )
    return person


def may_decide(session: Session, actor: Actor) -> bool:
    """Whether ``actor`` decides any leave at all: HR (``hr.manage``) or the manager of someone.

    Screens use it to offer approve and reject; each decision is still checked on its own.
    """
    from sqlalchemy.orm import aliased
    from sqlmodel import col, select

    from bo_console.hr.models import Employee

    if actor.can("hr.manage"):
        return True
    boss: Any = aliased(Employee)
    found = session.exec(
        select(col(Employee.id))
        .join(boss, boss.id == col(Employee.manager_id))
        .where(boss.login == actor.login)
        .limit(1)
    ).first()
    return found is not None


def approve(session: Session, actor: Actor, request_id: int, *, note: str = "") -> LeaveRequest:
    """Approve a pending request; a type with a balance is charged now."""
    from bo_console.hr.models import LeaveEntry, LeaveType

    request = get_request(session, request_id)
    person = _check_decider(session, actor, request)
    if request.status == "approved":
        raise AlreadyDone(f"leave request {request_id} is already approved; nothing changed")
    if request.status != "pending":
        raise RuleViolation(f"leave request {request_id} is {request.status}")
    kind = session.get(LeaveType, request.leave_type_id)
    assert kind is not None
    if kind.yearly_days:
        left = balance(session, person.id or 0, kind.id or 0)
        if request.days > left:
            raise RuleViolation(
                f"{person.number} has {days_text(left, kind.code + ' day')}; "
                f"the request needs {format_days(request.days)}"
            )
        session.add(
            LeaveEntry(
                employee_id=person.id or 0,
                leave_type_id=kind.id or 0,
                kind="taken",
                days=-request.days,
                request_id=request.id,
                by_login=actor.login,
            )
        )
    _decide(session, actor, request, "approved", note)
    return request


def reject(session: Session, actor: Actor, request_id: int, *, note: str = "") -> LeaveRequest:
    """Reject a pending request."""
    request = get_request(session, request_id)
    _check_decider(session, actor, request)
    if request.status != "pending":
        raise RuleViolation(f"leave request {request_id} is {request.status}")
    _decide(session, actor, request, "rejected", note)
    return request


def _decide(session: Session, actor: Actor, request: LeaveRequest, status: str, note: str) -> None:
    request.status = status
    request.decided_by = actor.login
    request.decided_at = utcnow()
    request.decision_note = clean(note)[:200]
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor,
        action={"approved": "approve", "rejected": "reject"}[status],
        entity="leave_request",
        entity_id=request.id or 0,
        changes={"status": ("pending", status), "note": (None, request.decision_note)},
    )


def cancel(session: Session, actor: Actor, request_id: int, *, today: date) -> LeaveRequest:
    """Withdraw a request: the requester or HR; approved leave only before it starts."""
    from bo_console.hr.models import Employee, LeaveEntry, LeaveType

    request = get_request(session, request_id)
    person = session.get(Employee, request.employee_id)
    assert person is not None
    if actor.login != request.requested_by and not actor.can("hr.manage"):
        raise PermissionDenied(f"only {request.requested_by} or HR may cancel request {request_id}")
    if request.status not in ("pending", "approved"):
        raise RuleViolation(f"leave request {request_id} is {request.status}")
    if request.status == "approved" and request.starts_on <= today:
        raise RuleViolation(f"leave request {request_id} has started; it cannot be withdrawn")
    before = request.status
    kind = session.get(LeaveType, request.leave_type_id)
    if before == "approved" and kind is not None and kind.yearly_days:
        session.add(
            LeaveEntry(
                employee_id=person.id or 0,
                leave_type_id=kind.id or 0,
                kind="adjustment",
                days=request.days,
                request_id=request.id,
                by_login=actor.login,
                note=f"request {request.id} cancelled",
            )
        )
    request.status = "cancelled"
    session.add(request)
    audit.record(
        session,
        actor,
        action="cancel",
        entity="leave_request",
        entity_id=request_id,
        changes={"status": (before, "cancelled")},
    )
    return request


def list_requests(
    session: Session,
    actor: Actor,
    *,
    status: str | None = None,
    employee: str | None = None,
    mine_to_decide: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Leave requests, newest first. ``mine_to_decide``: pending ones of the actor's reports;
    ``limit`` keeps the newest rows only."""
    from sqlalchemy.orm import aliased
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, LeaveRequest, LeaveType

    person = employee_by_number(session, employee) if employee else None
    if not mine_to_decide and (person is None or person.login != actor.login):
        actor.require("hr.read", "read leave requests")
    boss: Any = aliased(Employee)
    stmt = (
        select(LeaveRequest, Employee.number, Employee.name, LeaveType.code)
        .join(Employee, col(Employee.id) == col(LeaveRequest.employee_id))
        .join(LeaveType, col(LeaveType.id) == col(LeaveRequest.leave_type_id))
        .order_by(col(LeaveRequest.starts_on).desc(), col(LeaveRequest.id).desc())
    )
    if status:
        stmt = stmt.where(col(LeaveRequest.status) == status)
    if person is not None:
        stmt = stmt.where(col(LeaveRequest.employee_id) == person.id)
    if mine_to_decide:
        stmt = (
            stmt.join(boss, boss.id == col(Employee.manager_id))
            .where(boss.login == actor.login)
            .where(col(LeaveRequest.status) == "pending")
        )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        {
            "id": r.id,
            "employee": number,
            "name": name,
            "type": code,
            "starts_on": r.starts_on,
            "ends_on": r.ends_on,
            "days": format_days(r.days),
            "status": r.status,
            "requested_by": r.requested_by,
            "decided_by": r.decided_by or "",
            "reason": r.reason,
        }
        for r, number, name, code in session.exec(stmt).all()
    ]


REQUEST_COLUMNS = [
    "id",
    "employee",
    "name",
    "type",
    "starts_on",
    "ends_on",
    "days",
    "status",
    "requested_by",
    "decided_by",
    "reason",
]


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
