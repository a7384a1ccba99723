"""One helpdesk ticket with its comments and history, as plain SQL over a Reader or a session.

``bo it tickets show`` reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor IT's
table models. The helpdesk's services return the same view after each change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import NotFound, PermissionDenied, ValidationFailed
from bo_console.core.lookups import moment_of
from bo_console.core.reading import reader_of
from bo_console.it.lists import TicketRow, ticket_ref

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


def parse_ref(ref: str | int) -> int:
    """``T000042``, ``42`` or 42 as a ticket id."""
    if isinstance(ref, int):
        return ref
    text = ref.strip().upper().removeprefix("T")
    if not text.isdigit():
        raise ValidationFailed(f"{ref!r} is not a ticket number (T000042 or 42)")
    return int(text)


@dataclass(frozen=True)
class CommentView:
    at: datetime
    author: str
    internal: bool
    text: str


@dataclass(frozen=True)
class EventView:
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class TicketView:
    """One ticket with its comments (internal ones only for IT) and history."""

    row: TicketRow
    description: str
    employee: str
    asset: str
    response_due: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution_note: str
    comments: list[CommentView]
    history: list[EventView]


def may_see(actor: Actor, ticket_id: int, requester: str) -> None:
    """Refuse someone else's ticket to anyone without it.read.

    Raises:
        PermissionDenied: the ticket is not the actor's and they lack it.read.
    """
    if requester != actor.login and not actor.can("it.read"):
        raise PermissionDenied(
            f"ticket {ticket_ref(ticket_id)} is not yours; other people's tickets "
            "need it.read (roles that have it: it-clerk, it-manager, admin, auditor, analyst)"
        )


def _at(value: Any) -> datetime:
    """A time of a NOT NULL column."""
    moment = moment_of(value)
    assert moment is not None
    return moment


def get_ticket(db: Reads, actor: Actor, ref: str | int) -> TicketView:
    """One ticket, for its requester or IT; internal comments only for IT.

    Raises:
        ValidationFailed: ``ref`` is no ticket number.
        NotFound: no such ticket.
        PermissionDenied: someone else's ticket without it.read.
    """
    from bo_console.hr.service import directory
    from bo_console.it.sla_state import TicketTimes, clock_of

    reader = reader_of(db)
    found = reader.first(
        "SELECT id, category, subject, requester, assignee, opened_at, status, priority,"
        " response_due, resolution_due, first_response_at, resolved_at, closed_at, paused_at,"
        " description, employee_id, asset_id, resolution_note"
        " FROM it_ticket WHERE id = :id",
        {"id": parse_ref(ref)},
    )
    if found is None:
        raise NotFound(f"no ticket {ref}")
    id_, category, subject, requester, assignee, opened_at, status, priority, *rest = found
    response_due, resolution_due, *done = rest[:6]
    first_response_at, resolved_at, closed_at, paused_at = (moment_of(m) for m in done)
    description, employee_id, asset_id, resolution_note = rest[6:]
    ticket_id = int(id_)
    may_see(actor, ticket_id, str(requester))
    comments = reader.rows(
        "SELECT at, author, internal, text FROM it_ticket_comment"
        " WHERE ticket_id = :id ORDER BY id",
        {"id": ticket_id},
    )
    events = reader.rows(
        "SELECT at, actor, action, detail FROM it_ticket_event WHERE ticket_id = :id ORDER BY id",
        {"id": ticket_id},
    )
    person = None
    if employee_id is not None:
        person = directory.people_by_id(reader, {int(employee_id)}).get(int(employee_id))
    asset = ""
    if asset_id is not None:
        tag = reader.scalar("SELECT tag FROM it_asset WHERE id = :id", {"id": int(asset_id)})
        asset = "" if tag is None else str(tag)
    times = TicketTimes(
        str(status),
        str(priority),
        _at(response_due),
        _at(resolution_due),
        first_response_at,
        resolved_at,
        closed_at,
        paused_at,
    )
    sees_internal = actor.can("it.read")
    return TicketView(
        row=TicketRow(
            id=ticket_id,
            ref=ticket_ref(ticket_id),
            status=str(status),
            priority=str(priority),
            category=str(category),
            subject=str(subject),
            requester=str(requester),
            assignee=str(assignee or ""),
            opened_at=_at(opened_at),
            resolution_due=times.resolution_due,
            sla=clock_of(reader).state(times),
        ),
        description=str(description),
        employee=f"{person.number} {person.name}" if person else "",
        asset=asset,
        response_due=times.response_due,
        first_response_at=first_response_at,
        resolved_at=resolved_at,
        closed_at=closed_at,
        resolution_note=str(resolution_note),
        comments=[
            CommentView(_at(at), str(author), bool(internal), str(text))
            for at, author, internal, text in comments
            if not internal or sees_internal
        ],
        history=[
            EventView(_at(at), str(who), str(action), str(detail))
            for at, who, action, detail in events
        ],
    )
