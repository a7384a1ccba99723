"""The helpdesk: raising, working, resolving and closing tickets, with comments and history.

Anyone signed in may raise a ticket and follow their own; IT (``it.read``) sees every ticket,
``it.write`` works them, ``it.manage`` assigns them to others. SLA due times come from the
priority's targets on the working calendar (:mod:`bo_console.it.sla`). The view of one ticket
is read in :mod:`bo_console.it.ticket_view`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.core.text import clean
from bo_console.it import ticket_view
from bo_console.it.common import employee, now, validated
from bo_console.it.lists import TicketFilter as TicketFilter
from bo_console.it.lists import TicketRow as TicketRow
from bo_console.it.lists import list_tickets as list_tickets
from bo_console.it.lists import ticket_ref as ticket_ref
from bo_console.it.models import (
    OPEN_TICKET_STATUSES,
    Ticket,
    TicketComment,
    TicketCreate,
    TicketEvent,
    TicketUpdate,
)
from bo_console.it.ticket_view import CommentView as CommentView
from bo_console.it.ticket_view import EventView as EventView
from bo_console.it.ticket_view import TicketView as TicketView
from bo_console.it.ticket_view import may_see
from bo_console.it.ticket_view import parse_ref as parse_ref

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement
    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"assigned", "in_progress", "waiting", "resolved"}),
    "assigned": frozenset({"assigned", "in_progress", "waiting", "resolved"}),
    "in_progress": frozenset({"assigned", "waiting", "resolved"}),
    "waiting": frozenset({"assigned", "in_progress", "resolved"}),
    "reopened": frozenset({"assigned", "in_progress", "waiting", "resolved"}),
    "resolved": frozenset({"closed", "reopened"}),
    "closed": frozenset(),
}
"""Status -> the statuses a ticket may move to from it."""

DEFAULT_REOPEN_DAYS = 7


def reopen_days(session: Session) -> int:
    """Days after resolution in which a ticket may be reopened (then it closes itself)."""
    from bo_console.core import settings

    raw = settings.get(session, "it.reopen_days")
    return int(raw) if raw.isdigit() else DEFAULT_REOPEN_DAYS


# -- helpers ------------------------------------------------------------------------------------


def _get(session: Session, ref: str | int) -> Ticket:
    ticket = session.get(Ticket, parse_ref(ref))
    if ticket is None:
        raise NotFound(f"no ticket {ref}")
    return ticket


def _may_see(actor: Actor, ticket: Ticket) -> None:
    may_see(actor, int(ticket.id or 0), ticket.requester)


def _event(session: Session, actor: Actor, ticket: Ticket, action: str, detail: str = "") -> None:
    session.add(
        TicketEvent(
            ticket_id=int(ticket.id or 0),
            at=now(),
            actor=actor.login,
            action=action,
            detail=detail[:400],
        )
    )


def _move(session: Session, actor: Actor, ticket: Ticket, to: str, *, detail: str = "") -> None:
    """Change status (checked against :data:`TRANSITIONS`), with history and audit."""
    before = ticket.status
    if to not in TRANSITIONS[before]:
        raise RuleViolation(
            f"ticket {ticket_ref(int(ticket.id or 0))} is {before}; it cannot become {to}"
        )
    from bo_console.it import sla

    if to == "waiting":
        sla.pause(ticket)
    elif before == "waiting":
        minutes = sla.resume(session, ticket)
        if minutes:
            detail = f"{detail}; " if detail else ""
            detail += f"SLA clock paused {minutes} working minutes"
    ticket.status = to
    session.add(ticket)
    _event(session, actor, ticket, to, detail)
    audit.record(
        session,
        actor,
        action=to,
        entity="ticket",
        entity_id=ticket_ref(int(ticket.id or 0)),
        changes={"status": (before, to)},
    )


def _responded(ticket: Ticket, actor: Actor) -> None:
    """The first thing IT does on a ticket stops its response clock."""
    if ticket.first_response_at is None and actor.can("it.write"):
        ticket.first_response_at = now()


# -- raising and reading ------------------------------------------------------------------------


def ticket_actions(view: TicketView, actor: Actor) -> frozenset[str]:
    """What ``actor`` may do to the ticket now (``take``, ``start``, ``resolve``, ``comment``,
    ``close``, ``reopen``): IT staff work open tickets; they and the requester comment until
    it closes, and close or reopen it once resolved. The functions that do them check again."""
    status, mine = view.row.status, view.row.requester == actor.login
    works = actor.can("it.write")
    allowed = set()
    if works and status not in ("resolved", "closed"):
        allowed |= {"take", "resolve"} | ({"start"} if status != "in_progress" else set())
    if status != "closed" and (works or mine):
        allowed.add("comment")
    if status == "resolved" and (works or mine):
        allowed |= {"close", "reopen"}
    return frozenset(allowed)


def raise_ticket(session: Session, actor: Actor, data: TicketCreate) -> TicketView:
    """Raise a ticket as the actor (anyone signed in); on an employee's behalf needs it.write.

    Raises:
        ValidationFailed: a field is wrong.
        NotFound: the employee or asset does not exist.
    """
    from bo_console.it import sla
    from bo_console.it.assets import asset_by_tag

    data = validated(TicketCreate, data)
    employee_id = None
    if data.for_employee:
        actor.require("it.write", "raise tickets on an employee's behalf")
        employee_id = employee(session, data.for_employee).id
    asset_id = asset_by_tag(session, data.asset).id if data.asset else None
    opened = now()
    response_due, resolution_due = sla.due_times(session, data.priority, opened)
    ticket = Ticket(
        subject=data.subject,
        description=data.description,
        category=data.category,
        priority=data.priority,
        requester=actor.login,
        employee_id=employee_id,
        asset_id=asset_id,
        opened_at=opened,
        response_due=response_due,
        resolution_due=resolution_due,
    )
    session.add(ticket)
    session.flush()
    _event(session, actor, ticket, "new", data.subject)
    audit.record(
        session,
        actor,
        action="create",
        entity="ticket",
        entity_id=ticket_ref(int(ticket.id or 0)),
        changes={
            "subject": (None, ticket.subject),
            "category": (None, ticket.category),
            "priority": (None, ticket.priority),
            "employee": (None, data.for_employee),
            "asset": (None, data.asset),
        },
    )
    return get_ticket(session, actor, int(ticket.id or 0))


def get_ticket(db: Reads, actor: Actor, ref: str | int) -> TicketView:
    """One ticket, for its requester or IT; internal comments only for IT (through a session
    or a Reader)."""
    return ticket_view.get_ticket(db, actor, ref)


def open_status() -> ColumnElement[bool]:
    """``status IN ('new', ...)`` with the statuses written out as the partial indexes on open
    tickets say it: SQLite uses a partial index only for a condition it can match to the
    index's, never for bound values (with them, the far end of the open list read every
    closed ticket: a second over 1,000,000)."""
    from sqlalchemy import literal_column
    from sqlmodel import col

    return col(Ticket.status).in_([literal_column(f"'{s}'") for s in OPEN_TICKET_STATUSES])


# -- working ------------------------------------------------------------------------------------


def assign(session: Session, actor: Actor, ref: str | int, login: str | None = None) -> TicketView:
    """Give a ticket to ``login`` (it.manage), or take it (``login`` None: it.write)."""
    from sqlmodel import select

    from bo_console.core.models import User
    from bo_console.core.security import permissions_of, user_roles

    ticket = _get(session, ref)
    if login is None or login == actor.login:
        actor.require("it.write", "take tickets")
        login = actor.login
    else:
        actor.require("it.manage", "assign tickets to others")
        user = session.exec(select(User).where(User.login == login)).first()
        if user is None:
            raise NotFound(f"no console user {login!r}")
        if not user.active or "it.write" not in permissions_of(user_roles(session, user)):
            raise RuleViolation(f"{login} cannot work tickets (needs an active it-clerk role)")
    if ticket.status not in OPEN_TICKET_STATUSES:
        raise RuleViolation(f"ticket {ticket_ref(int(ticket.id or 0))} is {ticket.status}")
    before = ticket.assignee
    ticket.assignee = login
    _responded(ticket, actor)
    if ticket.status in ("new", "reopened"):
        _move(session, actor, ticket, "assigned", detail=f"to {login}")
    else:
        _event(session, actor, ticket, "assigned", f"to {login}")
    audit.record(
        session,
        actor,
        action="assign",
        entity="ticket",
        entity_id=ticket_ref(int(ticket.id or 0)),
        changes={"assignee": (before, login)},
    )
    session.add(ticket)
    return get_ticket(session, actor, int(ticket.id or 0))


def start(session: Session, actor: Actor, ref: str | int) -> TicketView:
    """Start work on a ticket (it.write); an unassigned ticket becomes the actor's."""
    actor.require("it.write", "work tickets")
    ticket = _get(session, ref)
    if ticket.assignee is None:
        ticket.assignee = actor.login
    _responded(ticket, actor)
    _move(session, actor, ticket, "in_progress")
    return get_ticket(session, actor, int(ticket.id or 0))


def wait(session: Session, actor: Actor, ref: str | int, question: str) -> TicketView:
    """Put a ticket on the requester, with the question asked (a public comment)."""
    actor.require("it.write", "work tickets")
    ticket = _get(session, ref)
    question = clean(question)
    if not question:
        raise ValidationFailed("say what the requester should answer")
    _responded(ticket, actor)
    _move(session, actor, ticket, "waiting")
    _comment(session, actor, ticket, question, internal=False)
    return get_ticket(session, actor, int(ticket.id or 0))


def resolve(session: Session, actor: Actor, ref: str | int, note: str) -> TicketView:
    """Resolve a ticket with a resolution note (it.write)."""
    actor.require("it.write", "resolve tickets")
    ticket = _get(session, ref)
    note = clean(note)
    if not note:
        raise ValidationFailed("a ticket is resolved with a note saying what was done")
    if len(note) > 2000:
        raise ValidationFailed("the resolution note is longer than 2000 characters")
    _responded(ticket, actor)
    ticket.resolution_note = note
    ticket.resolved_at = now()
    if ticket.assignee is None:
        ticket.assignee = actor.login
    _move(session, actor, ticket, "resolved", detail=note)
    return get_ticket(session, actor, int(ticket.id or 0))


def close(session: Session, actor: Actor, ref: str | int) -> TicketView:
    """Confirm a resolved ticket and close it (its requester, or IT)."""
    ticket = _get(session, ref)
    if ticket.requester != actor.login:
        actor.require("it.write", "close other people's tickets")
    ticket.closed_at = now()
    _move(session, actor, ticket, "closed")
    return get_ticket(session, actor, int(ticket.id or 0))


def reopen(session: Session, actor: Actor, ref: str | int, reason: str) -> TicketView:
    """Reopen a resolved ticket within the reopen window (its requester, or IT)."""
    ticket = _get(session, ref)
    if ticket.requester != actor.login:
        actor.require("it.write", "reopen other people's tickets")
    reason = clean(reason)
    if not reason:
        raise ValidationFailed("say why the ticket is reopened")
    if ticket.status == "resolved" and ticket.resolved_at is not None:
        days = reopen_days(session)
        if now() - ticket.resolved_at > timedelta(days=days):
            raise RuleViolation(f"tickets are reopened within {days} days of their resolution")
    _move(session, actor, ticket, "reopened", detail=reason)
    ticket.reopened += 1
    ticket.resolved_at = None
    ticket.resolution_note = ""
    session.add(ticket)
    _comment(session, actor, ticket, reason, internal=False)
    return get_ticket(session, actor, int(ticket.id or 0))


def update(session: Session, actor: Actor, ref: str | int, data: TicketUpdate) -> TicketView:
    """Reclassify a ticket (it.write); a new priority moves its SLA due times."""
    from bo_console.it import sla
    from bo_console.it.assets import asset_by_tag

    actor.require("it.write", "reclassify tickets")
    data = validated(TicketUpdate, data)
    ticket = _get(session, ref)
    if ticket.status == "closed":
        raise RuleViolation(f"ticket {ticket_ref(int(ticket.id or 0))} is closed")
    changes: dict[str, tuple[object, object]] = {}
    if data.category is not None and data.category != ticket.category:
        changes["category"] = (ticket.category, data.category)
        ticket.category = data.category
    if data.priority is not None and data.priority != ticket.priority:
        changes["priority"] = (ticket.priority, data.priority)
        ticket.priority = data.priority
        ticket.response_due, ticket.resolution_due = sla.due_times(
            session, data.priority, ticket.opened_at
        )
    if data.asset is not None:
        asset_id = asset_by_tag(session, data.asset).id if data.asset else None
        if asset_id != ticket.asset_id:
            changes["asset"] = (ticket.asset_id, data.asset)
            ticket.asset_id = asset_id
    if changes:
        session.add(ticket)
        _event(
            session, actor, ticket, "changed", ", ".join(f"{k} {v[1]}" for k, v in changes.items())
        )
        audit.record(
            session,
            actor,
            action="update",
            entity="ticket",
            entity_id=ticket_ref(int(ticket.id or 0)),
            changes=changes,
        )
    return get_ticket(session, actor, int(ticket.id or 0))


def _comment(session: Session, actor: Actor, ticket: Ticket, text: str, *, internal: bool) -> None:
    session.add(
        TicketComment(
            ticket_id=int(ticket.id or 0),
            at=now(),
            author=actor.login,
            internal=internal,
            text=text,
        )
    )
    audit.record(
        session,
        actor,
        action="comment",
        entity="ticket",
        entity_id=ticket_ref(int(ticket.id or 0)),
        changes={"comment": (None, text), "internal": (None, internal)},
    )


def comment(
    session: Session, actor: Actor, ref: str | int, text: str, *, internal: bool = False
) -> TicketView:
    """Comment on a ticket: its requester (public only) or IT (``it.write``, may be internal).
    A requester's answer puts a waiting ticket back in progress."""
    ticket = _get(session, ref)
    if ticket.requester != actor.login or internal:
        actor.require("it.write", "comment on other people's tickets or internally")
    text = clean(text)
    if not text:
        raise ValidationFailed("a comment cannot be empty")
    if len(text) > 4000:
        raise ValidationFailed("a comment is at most 4000 characters")
    if ticket.status == "closed":
        raise RuleViolation(f"ticket {ticket_ref(int(ticket.id or 0))} is closed")
    if not internal:
        _responded(ticket, actor)
        session.add(ticket)
    _comment(session, actor, ticket, text, internal=internal)
    if ticket.status == "waiting" and ticket.requester == actor.login:
        _move(session, actor, ticket, "in_progress", detail="requester answered")
    return get_ticket(session, actor, int(ticket.id or 0))
