"""The asset register and the tickets as virtual-table sources (keyset paged, for 100,000
assets, 1,000,000 tickets and more)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from bo_console.core.paging import Column, QuerySource, Row

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement, Select

    from bo_console.core.db import Store
    from bo_console.core.security import Actor
    from bo_console.it.sla import Clock


def _filter(text: str) -> ColumnElement[bool] | None:
    from sqlmodel import col, or_

    from bo_console.it.models import Asset

    text = text.strip()
    if not text:
        return None
    upper = text.upper()
    return or_(
        col(Asset.tag) == upper,
        col(Asset.serial) == upper,
        col(Asset.model).icontains(text),
        col(Asset.tag).startswith(upper),
    )


def asset_source(store: Store, actor: Actor, *, status: str | None = None) -> QuerySource:
    """Assets with their custodian, in registration order; ``/`` finds a tag, serial or model.

    Raises:
        PermissionDenied: without it.read.
    """
    from sqlalchemy import and_, select
    from sqlmodel import col

    from bo_console.core.money import base_currency
    from bo_console.hr.service import directory
    from bo_console.it.models import Asset, Assignment

    Employee = directory.employee_table()

    actor.require("it.read", "read the asset register")
    with store.read() as session:
        currency = base_currency(session)
    base = cast(
        "Select[Any]",
        select(
            col(Asset.id).label("id"),
            col(Asset.tag).label("tag"),
            col(Asset.category).label("category"),
            col(Asset.model).label("model"),
            col(Asset.status).label("status"),
            col(Employee.number).label("custodian"),
            col(Asset.location).label("location"),
            col(Asset.cost).label("cost"),
        )
        .select_from(Asset)
        .outerjoin(
            Assignment,
            and_(col(Assignment.asset_id) == col(Asset.id), col(Assignment.returned_at).is_(None)),
        )
        .outerjoin(Employee, col(Employee.id) == col(Assignment.employee_id)),
    )
    # At most one open assignment per asset (the database refuses a second): the joins
    # neither drop nor repeat an asset, so the count reads the bare table.
    count_base: Select[Any] = select(col(Asset.id))
    if status is not None:
        base = base.where(col(Asset.status) == status)
        count_base = count_base.where(col(Asset.status) == status)

    def money(value: Any) -> str:
        return currency.format(int(value))

    columns = [
        Column("tag", "Tag", 9),
        Column("category", "Kind", 7),
        Column("model", "Model", 17),
        Column("status", "Status", 9, fmt=lambda s: str(s).replace("_", " ")),
        Column("custodian", "Holder", 6),
        Column("location", "Location", 13, flex=True),
        Column("cost", "Cost", 11, "right", fmt=money),
    ]
    return QuerySource(
        store,
        base,
        col(Asset.id),
        columns,
        filter_fn=_filter,
        block_size=100,
        count_base=count_base,
    )


TICKET_VIEWS = ("open", "mine", "breached", "all")
"""What the Tickets tab shows: open tickets, open ones assigned to me, breached ones, all."""


def _ticket_filter(text: str) -> ColumnElement[bool] | None:
    from sqlmodel import col, or_

    from bo_console.it.models import Ticket

    text = text.strip()
    if not text:
        return None
    found = [col(Ticket.subject).icontains(text, autoescape=True)]
    number = text.upper().removeprefix("T")
    if number.isdigit():
        found.insert(0, col(Ticket.id) == int(number))
    return or_(*found)


def _ticket_select(actor: Actor, view: str) -> Select[Any]:
    from sqlalchemy import or_, select
    from sqlmodel import col

    from bo_console.it.common import now
    from bo_console.it.models import Ticket
    from bo_console.it.sla import TIMES_FIELDS
    from bo_console.it.tickets import open_status

    fields = dict.fromkeys(("id", "subject", "assignee", *TIMES_FIELDS))
    stmt = cast("Select[Any]", select(*(getattr(Ticket, name) for name in fields)))
    if not actor.can("it.read"):
        stmt = stmt.where(col(Ticket.requester) == actor.login)
    if view != "all":
        stmt = stmt.where(open_status())
    if view == "mine":
        stmt = stmt.where(col(Ticket.assignee) == actor.login)
    elif view == "breached":
        stmt = stmt.where(
            col(Ticket.resolution_due) < now(),
            or_(col(Ticket.paused_at).is_(None), col(Ticket.paused_at) > Ticket.resolution_due),
        )
    return stmt


CALENDAR_SECONDS = 60
"""How long the Tickets tab keeps the working calendar and SLA targets it read (they change
rarely; reading them again at each block would cost more than the block)."""


class TicketSource(QuerySource):
    """The Tickets tab's rows (without it.read, the actor's own): newest first (breached ones:
    most overdue first), a block at a time; each row's SLA state is worked out on the working
    calendar only when it is drawn.

    Ordering by due time is offered where an index answers it (the open views), not over
    every ticket.
    """

    order_name = "number"
    """How status lines name the tickets' own order (``by number ↓``)."""

    def __init__(self, store: Store, actor: Actor, view: str = "open") -> None:
        from sqlmodel import col

        from bo_console.it.models import Ticket

        self.actor = actor
        self.view = view
        self._clock: Clock | None = None
        self._fresh = False
        columns = [
            Column("id", "No.", 7, "right"),
            Column("priority", "Pr", 2),
            Column("sla", "SLA", 8, compute=self._sla),
            Column("status", "Status", 11, fmt=lambda s: str(s).replace("_", " ")),
            Column("subject", "Subject", 19),
            Column("assignee", "Assignee", 8),
            Column(
                "resolution_due",
                "Due (UTC)",
                11,
                sort=col(Ticket.resolution_due),
                fmt=lambda d: f"{d:%m-%d %H:%M}",
            ),
        ]
        super().__init__(
            store,
            _ticket_select(actor, view),
            col(Ticket.id),
            columns,
            filter_fn=_ticket_filter,
            descending=True,
            block_size=50,
        )
        self.show(view)

    @property
    def sortable(self) -> list[str]:
        return [] if self.view == "all" else super().sortable

    def show(self, view: str) -> None:
        """Show another view (``TICKET_VIEWS``); the ``/`` text is kept."""
        if view not in TICKET_VIEWS:
            raise ValueError(f"unknown ticket view {view!r}")
        self.view = view
        self.base = _ticket_select(self.actor, view)
        if view == "breached":
            self.set_sort("resolution_due")
        else:
            self.set_sort(None, descending=True)

    def invalidate(self) -> None:
        super().invalidate()
        self._fresh = False  # states as of the next read

    def _sla(self, row: Row) -> str:
        from dataclasses import replace

        from bo_console.it import sla
        from bo_console.it.common import now

        clock = self._clock
        if clock is None or (now() - clock.at).total_seconds() > CALENDAR_SECONDS:
            with self.store.read() as session:
                clock = self._clock = sla.clock(session)
        elif not self._fresh:
            clock = self._clock = replace(clock, at=now())
        self._fresh = True
        return clock.state(sla.TicketTimes.of(row))
