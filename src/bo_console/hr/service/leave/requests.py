"""Leave requests and their decision.

A request is decided by the employee's manager or by HR (``hr.manage``), never by the person
who asked for it nor by the employee it is for; the database refuses a decision recorded by
the requester.
"""

from __future__ import annotations

from datetime import date
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
from bo_console.hr.service.common import (
    days_text,
    employee_by_number,
    format_days,
)
from bo_console.hr.service.leave.balances import _pending, balance
from bo_console.hr.service.leave.kinds import leave_type, weekend_days, working_days
from bo_console.hr.service.lists import REQUEST_COLUMNS as REQUEST_COLUMNS
from bo_console.hr.service.lists import list_requests as list_requests

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import Employee, LeaveRequest


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
    if not actor.can("hr.manage") and manager is not None:
        _not_own_link(session, actor, person, manager, request.id or 0)
    return person


def _not_own_link(
    session: Session, actor: Actor, person: Employee, manager: Employee, request_id: int
) -> None:
    """Refuse a manager's decision when the manager link is the manager's own doing: they
    recorded who ``person`` reports to, or linked the manager's record to a login."""
    from sqlmodel import col, select

    from bo_console.core.models import AuditEvent

    made = session.exec(
        select(AuditEvent.id).where(
            AuditEvent.entity == "employee",
            AuditEvent.user_login == actor.login,
            (
                (col(AuditEvent.entity_id) == person.number)
                & col(AuditEvent.changes).contains('"manager"')
            )
            | (
                (col(AuditEvent.entity_id) == manager.number)
                & col(AuditEvent.changes).contains('"login"')
            ),
        )
    ).first()
    if made is not None:
        raise PermissionDenied(
            f"{actor.login} set up the link that makes them {person.number}'s manager; only "
            f"HR (hr.manage) may decide leave request {request_id}"
        )


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
