"""The SLA state a list shows (ok, near, breached, paused; met or missed once resolved), worked
out from a ticket's stored times on the working calendar.

Light: no SQLAlchemy, pydantic or table models, so a list command reads the calendar and the
targets through a Reader (:func:`clock_of`) and states its rows here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bo_console.it.calendar import WorkCalendar, load
from bo_console.it.codes import OPEN_TICKET_STATUSES
from bo_console.it.moment import now

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.it.models import Ticket

NEAR_SHARE = 4
"""A clock is near breach when at most 1/NEAR_SHARE of its target is left."""


@dataclass(frozen=True)
class Target:
    priority: str
    response_minutes: int
    resolution_minutes: int


@dataclass(frozen=True)
class TicketTimes:
    """What a ticket's SLA state depends on, as a list's row carries it (the list reads these
    columns, not whole tickets)."""

    status: str
    priority: str
    response_due: datetime
    resolution_due: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    paused_at: datetime | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> TicketTimes:
        """From a row holding a column of each field's name."""
        return cls(*(row[name] for name in TIMES_FIELDS))


TIMES_FIELDS = tuple(TicketTimes.__dataclass_fields__)


@dataclass(frozen=True)
class Clock:
    """The calendar, targets and the moment a list is drawn at."""

    calendar: WorkCalendar
    targets: dict[str, Target]
    at: datetime

    def state(self, ticket: Ticket | TicketTimes) -> str:
        """ok, near or breached for an open ticket, paused while it waits on its requester
        (unless it breached before); met or missed for a resolved one."""
        if ticket.status not in OPEN_TICKET_STATUSES:
            done = ticket.resolved_at or ticket.closed_at or self.at
            return "met" if done <= ticket.resolution_due else "missed"
        if ticket.paused_at is not None:
            return "breached" if ticket.paused_at > ticket.resolution_due else "paused"
        if self.at > ticket.resolution_due:
            return "breached"
        unanswered = ticket.first_response_at is None
        if unanswered and self.at > ticket.response_due:
            return "breached"
        target = self.targets.get(ticket.priority)
        if target is None:
            return "ok"
        left = self.calendar.between(self.at, ticket.resolution_due)
        if left * NEAR_SHARE <= target.resolution_minutes:
            return "near"
        if unanswered:
            left = self.calendar.between(self.at, ticket.response_due)
            if left * NEAR_SHARE <= target.response_minutes:
                return "near"
        return "ok"


def clock_of(db: Reads) -> Clock:
    """The calendar and targets in force, as of now (through a Reader or a session)."""
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    targets = {
        priority: Target(priority, int(response), int(resolution))
        for priority, response, resolution in reader.rows(
            "SELECT priority, response_minutes, resolution_minutes FROM it_sla_target"
        )
    }
    return Clock(load(reader), targets, now())
