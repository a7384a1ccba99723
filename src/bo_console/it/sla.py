"""Service levels: due times per priority on the working calendar, the state a list shows
(ok, near, breached; met or missed once resolved), the working calendar's settings, and the
cron job that escalates breaches once each and closes resolved tickets nobody reopened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bo_console.core import audit, settings
from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.it.calendar import WorkCalendar, load, parse_days, parse_hours, parse_zone
from bo_console.it.common import now
from bo_console.it.models import OPEN_TICKET_STATUSES, PRIORITIES, Ticket
from bo_console.it.sla_state import NEAR_SHARE as NEAR_SHARE
from bo_console.it.sla_state import TIMES_FIELDS as TIMES_FIELDS
from bo_console.it.sla_state import Clock as Clock
from bo_console.it.sla_state import Target as Target
from bo_console.it.sla_state import TicketTimes as TicketTimes
from bo_console.it.work_lists import CalendarView as CalendarView
from bo_console.it.work_lists import show_calendar as show_calendar

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.jobs import Progress
    from bo_console.core.security import Actor

_CACHE = "it.sla"


def _settings(session: Session) -> tuple[WorkCalendar, dict[str, Target]]:
    """The calendar and targets, read once per session (a change clears them)."""
    from sqlmodel import select

    from bo_console.it.models import SlaTarget

    cached = session.info.get(_CACHE)
    if cached is None:
        found = {
            t.priority: Target(t.priority, t.response_minutes, t.resolution_minutes)
            for t in session.exec(select(SlaTarget)).all()
        }
        cached = session.info[_CACHE] = (load(session), found)
    return cached


def _forget(session: Session) -> None:
    session.info.pop(_CACHE, None)


def targets(session: Session) -> dict[str, Target]:
    """The SLA targets by priority (working minutes)."""
    return _settings(session)[1]


def due_times(session: Session, priority: str, opened: datetime) -> tuple[datetime, datetime]:
    """(response due, resolution due) of a ticket of ``priority`` opened at ``opened``."""
    calendar, found = _settings(session)
    target = found.get(priority)
    if target is None:
        raise NotFound(f"no SLA target for priority {priority}")
    return (
        calendar.add(opened, target.response_minutes),
        calendar.add(opened, target.resolution_minutes),
    )


def pause(ticket: Ticket) -> None:
    """Stop the resolution clock: the ticket waits on its requester from now."""
    if ticket.paused_at is None:
        ticket.paused_at = now()


def resume(session: Session, ticket: Ticket) -> int:
    """Restart the resolution clock; the working minutes it was stopped move the resolution
    due time on by as much (none when it had already breached when paused). Returns them."""
    paused = ticket.paused_at
    if paused is None:
        return 0
    ticket.paused_at = None
    calendar = _settings(session)[0]
    minutes = max(0, calendar.between(paused, now()))
    ticket.paused_minutes += minutes
    if minutes and paused < ticket.resolution_due:
        ticket.resolution_due = calendar.add(ticket.resolution_due, minutes)
    return minutes


def clock(session: Session) -> Clock:
    calendar, found = _settings(session)
    return Clock(calendar, found, now())


# -- settings -----------------------------------------------------------------------------------


def _put(session: Session, actor: Actor, key: str, value: str) -> None:
    from bo_console.core.models import Setting

    _forget(session)
    row = session.get(Setting, key)
    before = row.value if row is not None else None
    if before == value:
        return
    session.add(Setting(key=key, value=value) if row is None else row)
    if row is not None:
        row.value = value
    session.flush()
    settings.forget(session)
    audit.record(
        session,
        actor,
        action="update",
        entity="setting",
        entity_id=key,
        changes={"value": (before, value)},
    )


def set_calendar(
    session: Session,
    actor: Actor,
    *,
    days: str | None = None,
    hours: str | None = None,
    timezone: str | None = None,
) -> CalendarView:
    """Change the work week, the working hours or the time zone (it.manage). Tickets keep the
    due times they have; new ones use the new calendar."""
    actor.require("it.manage", "change the SLA calendar")
    if days is not None:
        parsed = parse_days(days)
        from bo_console.it.calendar import DAY_NAMES

        _put(session, actor, "it.calendar.days", ",".join(DAY_NAMES[d] for d in sorted(parsed)))
    if hours is not None:
        start, end = parse_hours(hours)
        _put(session, actor, "it.calendar.hours", f"{start:%H:%M}-{end:%H:%M}")
    if timezone is not None:
        _put(session, actor, "it.calendar.timezone", parse_zone(timezone).key)
    return show_calendar(session, actor)


def add_holiday(session: Session, actor: Actor, day: date, name: str) -> None:
    """Add a public holiday (it.manage)."""
    from bo_console.core.text import clean
    from bo_console.it.models import Holiday

    actor.require("it.manage", "change the SLA calendar")
    name = clean(name)
    if not name:
        raise ValidationFailed("a holiday needs a name")
    if session.get(Holiday, day) is not None:
        raise ValidationFailed(f"{day} is already a holiday")
    _forget(session)
    session.add(Holiday(day=day, name=name[:120]))
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="holiday",
        entity_id=day.isoformat(),
        changes={"name": (None, name)},
    )


def set_target(
    session: Session, actor: Actor, priority: str, *, response_minutes: int, resolution_minutes: int
) -> None:
    """Set a priority's response and resolution targets in working minutes (it.manage)."""
    from bo_console.it.models import SlaTarget

    actor.require("it.manage", "change SLA targets")
    priority = priority.upper()
    if priority not in PRIORITIES:
        raise ValidationFailed(f"priority must be one of {', '.join(PRIORITIES)}")
    if response_minutes <= 0 or resolution_minutes < response_minutes:
        raise ValidationFailed("targets are positive and resolution is not before response")
    _forget(session)
    row = session.get(SlaTarget, priority) or SlaTarget(
        priority=priority, response_minutes=0, resolution_minutes=0
    )
    before = (row.response_minutes, row.resolution_minutes)
    row.response_minutes, row.resolution_minutes = response_minutes, resolution_minutes
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="update",
        entity="sla_target",
        entity_id=priority,
        changes={"targets": (before, (response_minutes, resolution_minutes))},
    )


# -- the cron job -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EscalationResult:
    breaches: list[str]  # "T000042 resolution"
    closed: list[str]

    @property
    def summary(self) -> str:
        """The run's one line (its job record, and what the faces say)."""
        return f"{len(self.breaches):,} breaches escalated, {len(self.closed):,} closed"


ESCALATION_CHUNK = 200
"""Breaches written (in bulk) between two progress reports."""


def _manager(session: Session) -> str | None:
    """The login of the first active IT manager (who gets breaches assigned)."""
    from sqlmodel import col, select

    from bo_console.core.models import User, UserRole

    row = session.exec(
        select(User.login)
        .join(UserRole, col(UserRole.user_id) == col(User.id))
        .where(UserRole.role == "it-manager", col(User.active).is_(True))
        .order_by(col(User.login))
    ).first()
    return row


def _write_breaches(
    session: Session,
    actor: Actor,
    found: list[tuple[Ticket, str, datetime]],
    manager: str | None,
    moment: datetime,
) -> None:
    """Each breach as an inbox item for the IT manager, a breach row and a ticket event."""
    from sqlalchemy import insert

    from bo_console.core import inbox
    from bo_console.it.models import SlaBreach, TicketEvent
    from bo_console.it.tickets import ticket_ref

    items = inbox.create_items(
        session,
        actor,
        from_dept="it",
        items=[
            inbox.NewWorkItem(
                to_dept="it",
                kind="sla-breach",
                subject=f"SLA breach: {ticket_ref(int(ticket.id or 0))} {ticket.priority} "
                f"{kind} was due {due:%Y-%m-%d %H:%M} UTC",
                body=f"{ticket.subject}\nRequester: {ticket.requester}; "
                f"assignee: {ticket.assignee or 'nobody'}; status: {ticket.status}.",
                ref_entity="ticket",
                ref_id=ticket_ref(int(ticket.id or 0)),
            )
            for ticket, kind, due in found
        ],
        assignee=manager,
    )
    session.execute(
        insert(SlaBreach),
        [
            {
                "ticket_id": int(ticket.id or 0),
                "kind": kind,
                "due": due,
                "reported_at": moment,
                "work_item_id": item.id,
            }
            for (ticket, kind, due), item in zip(found, items, strict=True)
        ],
    )
    session.execute(
        insert(TicketEvent),
        [
            {
                "ticket_id": int(ticket.id or 0),
                "at": moment,
                "actor": actor.login,
                "action": "escalated",
                "detail": f"{kind} breach",
            }
            for ticket, kind, _ in found
        ],
    )


def escalate(
    session: Session, actor: Actor, *, limit: int = 1000, progress: Progress | None = None
) -> EscalationResult:
    """Escalate each new SLA breach once to the IT inbox (assigned to the IT manager), and
    close resolved tickets not reopened within the reopen window (it.manage).
    ``progress`` hears ``(breaches and closings done, all of them)`` (at least one step)."""
    from sqlalchemy import and_, exists, insert, or_, update
    from sqlmodel import col, select

    from bo_console.core.jobs import tell
    from bo_console.it.models import SlaBreach, TicketEvent
    from bo_console.it.tickets import reopen_days, ticket_ref

    actor.require("it.manage", "escalate SLA breaches")
    moment = now()
    manager = _manager(session)
    found: list[tuple[Ticket, str, datetime]] = []
    for kind, due_col, extra in (
        ("response", Ticket.response_due, col(Ticket.first_response_at).is_(None)),
        (
            "resolution",
            Ticket.resolution_due,
            # A paused clock does not breach (the partial index needs the whole IN list).
            and_(
                col(Ticket.status).in_(OPEN_TICKET_STATUSES),
                or_(col(Ticket.paused_at).is_(None), col(Ticket.paused_at) > Ticket.resolution_due),
            ),
        ),
    ):
        already = exists().where(
            and_(col(SlaBreach.ticket_id) == col(Ticket.id), col(SlaBreach.kind) == kind)
        )
        stmt = select(Ticket).where(extra, col(due_col) < moment, ~already)
        if kind == "response":
            stmt = stmt.where(col(Ticket.status) != "closed")
        for ticket in session.exec(stmt.order_by(col(due_col)).limit(limit)).all():
            found.append(
                (ticket, kind, ticket.response_due if kind == "response" else ticket.resolution_due)
            )
    cutoff = moment - timedelta(days=reopen_days(session))
    ids = list(
        session.exec(
            select(Ticket.id)
            .where(Ticket.status == "resolved", col(Ticket.resolved_at) < cutoff)
            .order_by(col(Ticket.resolved_at))
            .limit(limit)
        ).all()
    )
    steps = max(len(found) + len(ids), 1)
    reported = [f"{ticket_ref(int(t.id or 0))} {kind}" for t, kind, _ in found]
    # Written in bulk, a chunk at a time: a queue left alone over a holiday can breach
    # hundreds at once, and the chunks let a progress bar move.
    for start in range(0, len(found), ESCALATION_CHUNK):
        chunk = found[start : start + ESCALATION_CHUNK]
        _write_breaches(session, actor, chunk, manager, moment)
        tell(progress, start + len(chunk), steps)
    closed = [ticket_ref(int(i or 0)) for i in ids]
    if ids:
        session.flush()
        session.execute(
            update(Ticket)
            .where(col(Ticket.id).in_(ids), col(Ticket.status) == "resolved")
            .values(status="closed", closed_at=moment)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            insert(TicketEvent),
            [
                {
                    "ticket_id": i,
                    "at": moment,
                    "actor": actor.login,
                    "action": "closed",
                    "detail": "not reopened; closed automatically",
                }
                for i in ids
            ],
        )
        session.expire_all()
    audit.record_many(
        session,
        [
            audit.Entry(actor, "closed", "ticket", ref, {"status": ("resolved", "closed")})
            for ref in closed
        ],
    )
    session.flush()
    tell(progress, steps, steps)
    return EscalationResult(reported, closed)


def run_escalation(
    store: Store, actor: Actor, *, progress: Progress | None = None
) -> EscalationResult:
    """:func:`escalate` as the job ``it.tickets.escalate`` (locked, recorded with its
    summary; any number of times a day): what cron and the console run.

    Raises:
        Busy: another copy is running.
        PermissionDenied: the actor lacks it.manage.
    """
    from bo_console.core.clock import today
    from bo_console.core.jobs import run_job

    with run_job(store, actor, "it.tickets.escalate", key=str(today()), force=True) as job:
        with store.write() as session:
            result = escalate(session, actor, progress=progress)
            job.complete(session, result.summary)
    return result
