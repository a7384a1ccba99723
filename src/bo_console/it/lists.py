"""IT's lists as plain SQL over a Reader or a session: the asset register, helpdesk
tickets and licences.

A list command reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor IT's
table models, and its rows are frozen dataclasses. Screens and other services call the same
functions with their sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from bo_console.core.errors import ValidationFailed
from bo_console.core.lookups import base_currency_of, day_of, moment_of, moment_param
from bo_console.core.money import from_minor
from bo_console.core.reading import reader_of
from bo_console.it.codes import ASSET_STATUSES, OPEN_TICKET_STATUSES, TICKET_STATUSES

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reader, Reads, Row
    from bo_console.core.security import Actor


# -- the asset register -------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetRow:
    """An asset as lists show it (amounts in major units)."""

    id: int
    tag: str
    serial: str
    model: str
    category: str
    status: str
    location: str
    custodian: str
    cost: Decimal
    warranty_end: date | None


@dataclass(frozen=True)
class AssetFilter:
    """``status``: one status, ``active`` (everything but disposed, the default) or ``all``;
    ``text``: part of the tag, serial or model; ``holder``: an employee number."""

    status: str = "active"
    category: str | None = None
    text: str = ""
    holder: str | None = None
    after_id: int | None = None
    limit: int = 200


_ASSET_ROWS = """
SELECT a.id, a.tag, a.serial, a.model, a.category, a.status, a.location, a.cost,
       a.warranty_end, e.number, e.name
FROM it_asset a
LEFT JOIN it_assignment h ON h.asset_id = a.id AND h.returned_at IS NULL
LEFT JOIN hr_employee e ON e.id = h.employee_id
"""
"""An asset with its custodian: the open assignment (at most one, an index sees to it) and
the employee's number and name (the directory's columns of HR's employee table)."""


def _asset_rows(reader: Reader, where: list[str], params: dict[str, Any]) -> list[AssetRow]:
    exponent = base_currency_of(reader).exponent
    sql = _ASSET_ROWS
    if where:
        sql += "WHERE " + " AND ".join(where) + "\n"
    sql += "ORDER BY a.id"
    if "limit" in params:
        sql += " LIMIT :limit"
    return [
        AssetRow(
            id=int(id_),
            tag=tag,
            serial=serial,
            model=model,
            category=category,
            status=status,
            location=location,
            custodian=f"{number} {name}" if number is not None else "",
            cost=from_minor(int(cost), exponent),
            warranty_end=day_of(warranty_end),
        )
        for (
            id_,
            tag,
            serial,
            model,
            category,
            status,
            location,
            cost,
            warranty_end,
            number,
            name,
        ) in reader.rows(sql, params)
    ]


def asset_row(db: Reads, asset_id: int) -> AssetRow:
    """One asset as lists show it (for a record view)."""
    return _asset_rows(reader_of(db), ["a.id = :id"], {"id": asset_id})[0]


def list_assets(db: Reads, actor: Actor, flt: AssetFilter) -> list[AssetRow]:
    """Assets in order of registration (keyset paging on ``after_id``), for it.read.

    Raises:
        PermissionDenied: without it.read. ValidationFailed: an unknown status.
        NotFound: ``holder`` is no employee's number.
    """
    from bo_console.hr.service import directory

    actor.require("it.read", "read the asset register")
    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, Any] = {"limit": flt.limit}
    if flt.status == "active":
        where.append("a.status <> 'disposed'")
    elif flt.status != "all":
        if flt.status not in ASSET_STATUSES:
            raise ValidationFailed(
                f"unknown status {flt.status!r} (active, all, {', '.join(ASSET_STATUSES)})"
            )
        where.append("a.status = :status")
        params["status"] = flt.status
    if flt.category:
        where.append("a.category = :category")
        params["category"] = flt.category.upper()
    text = flt.text.strip()
    if text:
        # Part of the tag, serial or model in any case (as SQL's lower() folds it).
        where.append(
            "(lower(a.tag) LIKE '%' || lower(:text) || '%'"
            " OR lower(a.serial) LIKE '%' || lower(:text) || '%'"
            " OR lower(a.model) LIKE '%' || lower(:text) || '%')"
        )
        params["text"] = text
    if flt.holder:
        person = directory.person(reader, flt.holder)
        where.append(
            "a.id IN (SELECT asset_id FROM it_assignment"
            " WHERE employee_id = :holder AND returned_at IS NULL)"
        )
        params["holder"] = person.id
    if flt.after_id is not None:
        where.append("a.id > :after_id")
        params["after_id"] = flt.after_id
    return _asset_rows(reader, where, params)


# -- helpdesk tickets ---------------------------------------------------------------------------


def ticket_ref(ticket_id: int) -> str:
    return f"T{ticket_id:06d}"


@dataclass(frozen=True)
class TicketRow:
    """A ticket as lists show it; ``sla`` is ok, near, breached, paused (waiting on the
    requester) or met/missed once resolved."""

    id: int
    ref: str
    status: str
    priority: str
    category: str
    subject: str
    requester: str
    assignee: str
    opened_at: datetime
    resolution_due: datetime
    sla: str


@dataclass(frozen=True)
class TicketFilter:
    """What ticket lists filter on. ``status``: open (default), all, or one status; ``mine``:
    tickets the actor raised; ``assignee``: a login or ``me``; ``sla``: breached or near."""

    status: str = "open"
    mine: bool = False
    assignee: str | None = None
    priority: str | None = None
    sla: str | None = None
    text: str = ""
    after_id: int | None = None
    limit: int = 200


OPEN_STATUS = "status IN ({})".format(", ".join(f"'{s}'" for s in OPEN_TICKET_STATUSES))
"""The statuses written out as the partial indexes on open tickets say them: SQLite uses a
partial index only for a condition it can match to the index's, never for bound values."""

_TICKETS = """
SELECT id, category, subject, requester, assignee, opened_at, status, priority, response_due,
       resolution_due, first_response_at, resolved_at, closed_at, paused_at
FROM it_ticket
"""


def _at(value: Any) -> datetime:
    """A time of a NOT NULL column."""
    moment = moment_of(value)
    assert moment is not None
    return moment


def list_tickets(db: Reads, actor: Actor, flt: TicketFilter) -> list[TicketRow]:
    """Tickets, newest first (keyset paging on ``after_id``); without it.read only the
    actor's own.

    Raises:
        ValidationFailed: an unknown status or SLA filter.
    """
    from bo_console.it.moment import now
    from bo_console.it.sla_state import TicketTimes, clock_of

    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, Any] = {}
    if flt.mine or not actor.can("it.read"):
        where.append("requester = :login")
        params["login"] = actor.login
    if flt.status == "open":
        where.append(OPEN_STATUS)
    elif flt.status != "all":
        if flt.status not in TICKET_STATUSES:
            raise ValidationFailed(
                f"unknown status {flt.status!r} (open, all, {', '.join(TICKET_STATUSES)})"
            )
        where.append("status = :status")
        params["status"] = flt.status
    if flt.assignee:
        where.append("assignee = :assignee")
        params["assignee"] = actor.login if flt.assignee == "me" else flt.assignee
    if flt.priority:
        where.append("priority = :priority")
        params["priority"] = flt.priority.upper()
    if flt.text.strip():
        where.append("lower(subject) LIKE '%' || lower(:text) || '%'")
        params["text"] = flt.text.strip()
    if flt.sla == "breached":
        where += [
            OPEN_STATUS,
            "resolution_due < :moment",
            "(paused_at IS NULL OR paused_at > resolution_due)",
        ]
        params["moment"] = moment_param(reader, now())
    elif flt.sla not in (None, "", "near"):
        raise ValidationFailed(f"unknown SLA filter {flt.sla!r} (breached or near)")
    if flt.after_id is not None:
        where.append("id < :after_id")
        params["after_id"] = flt.after_id
    sql = _TICKETS
    if where:
        sql += "WHERE " + " AND ".join(where) + "\n"
    sql += "ORDER BY id DESC LIMIT :fetch"
    params["fetch"] = flt.limit if flt.sla != "near" else flt.limit * 20
    clock = clock_of(reader)
    rows = []
    for id_, category, subject, requester, assignee, opened_at, *times in reader.rows(sql, params):
        status, priority, response_due, resolution_due, *done = times
        first_response_at, resolved_at, closed_at, paused_at = (moment_of(m) for m in done)
        due = _at(resolution_due)
        state = clock.state(
            TicketTimes(
                status,
                priority,
                _at(response_due),
                due,
                first_response_at,
                resolved_at,
                closed_at,
                paused_at,
            )
        )
        if flt.sla == "near" and state != "near":
            continue
        rows.append(
            TicketRow(
                id=int(id_),
                ref=ticket_ref(int(id_)),
                status=status,
                priority=priority,
                category=category,
                subject=subject,
                requester=requester,
                assignee=assignee or "",
                opened_at=_at(opened_at),
                resolution_due=due,
                sla=state,
            )
        )
    return rows[: flt.limit]


# -- licences -----------------------------------------------------------------------------------

MASK = "********"
"""A licence key as those without it.manage see it."""


@dataclass(frozen=True)
class LicenceRow:
    id: int
    ref: str
    product: str
    vendor: str
    seats: int
    used: int
    free: int
    renewal_date: date | None
    cost: Decimal
    key: str


def licence_list_shows_keys(actor: Actor) -> bool:
    """Whether a licence list shows ``actor`` the keys: it then writes an audit row, so it is
    read in the session of a unit of work (it.manage sees keys)."""
    return actor.can("it.manage")


LICENCE_COLUMNS = "id, product, vendor, seats, renewal_date, cost, key"
"""The columns of ``it_licence`` :func:`licence_rows` takes, in its order."""


def list_licences(db: Reads, actor: Actor, *, text: str = "") -> list[LicenceRow]:
    """Every licence with seats used and free, by product (it.read; keys for it.manage, each
    showing audited, so a manager's list takes the session of a unit of work).

    Raises:
        PermissionDenied: without it.read.
    """
    actor.require("it.read", "read licences")
    sql = f"SELECT {LICENCE_COLUMNS} FROM it_licence"
    params: dict[str, Any] = {}
    if text.strip():
        sql += " WHERE lower(product) LIKE '%' || lower(:text) || '%'"
        params["text"] = text.strip()
    return licence_rows(db, actor, reader_of(db).rows(sql + " ORDER BY product", params))


def licence_rows(db: Reads, actor: Actor, licences: list[Row]) -> list[LicenceRow]:
    """Licences read as :data:`LICENCE_COLUMNS` as rows with their seats counted, the keys
    masked unless the actor has it.manage (then each key shown is audited, so ``db`` is the
    session of a unit of work)."""
    reader = reader_of(db)
    exponent = base_currency_of(reader).exponent
    used = {
        int(licence): int(n)
        for licence, n in reader.rows(
            "SELECT licence_id, count(*) FROM it_seat"
            " WHERE licence_id IN :ids AND released_at IS NULL GROUP BY licence_id",
            {"ids": [int(x[0]) for x in licences]},
        )
    }
    show_keys = licence_list_shows_keys(actor)
    shown = [int(x[0]) for x in licences if x[6] and show_keys]
    if shown:
        from bo_console.core import audit

        if not hasattr(db, "get_bind"):
            raise TypeError("showing licence keys is audited: pass the unit of work's session")
        audit.record_view(
            cast("Session", db), actor, entity="licence", entity_ids=shown, fields=["key"]
        )
    return [
        LicenceRow(
            id=int(id_),
            ref=f"L{id_}",
            product=product,
            vendor=vendor,
            seats=int(seats),
            used=used.get(int(id_), 0),
            free=int(seats) - used.get(int(id_), 0),
            renewal_date=day_of(renewal),
            cost=from_minor(int(cost), exponent),
            key=(key if show_keys else MASK) if key else "",
        )
        for id_, product, vendor, seats, renewal, cost, key in licences
    ]
