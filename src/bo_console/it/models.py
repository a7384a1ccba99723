"""IT tables: helpdesk tickets (with comments, history and SLA breaches), the asset register
(with custodians and depreciation), software licences (with seats) and the SLA calendar.

Times are aware UTC. Amounts are integer minor units of the base currency. The ``0006``
migration makes the database itself refuse a second open assignment of an asset, a check-out
to a terminated employee or of a retired or disposed asset, more open seats than a licence
has, any change to a closed assignment or seat, and closing an offboarding item while the
leaver still holds an asset or a seat.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator
from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

import bo_console.core.models  # noqa: F401  (work_item, which checklists refer to)
import bo_console.hr.models  # noqa: F401  (hr_employee, which custody and seats refer to)
from bo_console.core.schema import partial_index
from bo_console.it.codes import ASSET_STATUSES as ASSET_STATUSES
from bo_console.it.codes import BREACH_KINDS as BREACH_KINDS
from bo_console.it.codes import OPEN_TICKET_STATUSES as OPEN_TICKET_STATUSES
from bo_console.it.codes import PRIORITIES as PRIORITIES
from bo_console.it.codes import TICKET_CATEGORIES as TICKET_CATEGORIES
from bo_console.it.codes import TICKET_STATUSES as TICKET_STATUSES


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _clean(value: str) -> str:
    from bo_console.core.text import clean

    return clean(value)


# -- helpdesk -----------------------------------------------------------------------------------


class TicketBase(SQLModel):
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)
    category: str = Field(default="other", max_length=20)
    priority: str = Field(default="P3", max_length=2)


class TicketCreate(TicketBase):
    """What anyone gives to raise a ticket (``for_employee``: raised on an employee's behalf,
    by employee number; ``asset``: the linked asset's tag)."""

    for_employee: str | None = Field(default=None, max_length=20)
    asset: str | None = Field(default=None, max_length=40)

    @field_validator("subject", "description")
    @classmethod
    def _text(cls, value: str) -> str:
        return _clean(value)

    @field_validator("subject")
    @classmethod
    def _subject(cls, value: str) -> str:
        if not value:
            raise ValueError("a ticket needs a subject")
        return value

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in TICKET_CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(TICKET_CATEGORIES)}")
        return value

    @field_validator("priority")
    @classmethod
    def _priority(cls, value: str) -> str:
        value = value.strip().upper()
        if value not in PRIORITIES:
            raise ValueError(f"priority must be one of {', '.join(PRIORITIES)}")
        return value


class TicketUpdate(SQLModel):
    """Changes IT makes to a ticket's classification; every field optional."""

    category: str | None = None
    priority: str | None = None
    asset: str | None = None

    @field_validator("category")
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        return None if value is None else TicketCreate._category(value)

    @field_validator("priority")
    @classmethod
    def _priority(cls, value: str | None) -> str | None:
        return None if value is None else TicketCreate._priority(value)


class Ticket(TicketBase, table=True):
    """A helpdesk ticket. Its SLA due times are fixed when it is raised (and when its priority
    changes), so the escalation job only compares stored times."""

    __tablename__ = "it_ticket"
    __table_args__ = (
        CheckConstraint(_in("status", TICKET_STATUSES), name="ck_it_ticket_status"),
        CheckConstraint(_in("priority", PRIORITIES), name="ck_it_ticket_priority"),
        CheckConstraint(
            "status NOT IN ('resolved', 'closed') OR resolution_note <> ''",
            name="ck_it_ticket_resolution_note",
        ),
        CheckConstraint("resolution_due >= opened_at", name="ck_it_ticket_due"),
        Index("ix_it_ticket_requester", "requester", "id"),
        Index("ix_it_ticket_assignee", "assignee", "status", "id"),
        Index("ix_it_ticket_status", "status", "id"),
        # The open tickets by number (the Tickets tab's list, from either end).
        partial_index(
            "ix_it_ticket_open",
            "id",
            where="status IN ('new', 'assigned', 'in_progress', 'waiting', 'reopened')",
        ),
        partial_index(
            "ix_it_ticket_open_due",
            "resolution_due",
            where="status IN ('new', 'assigned', 'in_progress', 'waiting', 'reopened')",
        ),
        partial_index(
            "ix_it_ticket_unanswered",
            "response_due",
            where="first_response_at IS NULL AND status <> 'closed'",
        ),
        partial_index("ix_it_ticket_resolved", "resolved_at", where="status = 'resolved'"),
    )

    id: int | None = Field(default=None, primary_key=True)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    requester: str = Field(max_length=64)
    employee_id: int | None = Field(default=None, foreign_key="hr_employee.id")
    asset_id: int | None = Field(default=None, foreign_key="it_asset.id", index=True)
    assignee: str | None = Field(default=None, max_length=64)
    status: str = Field(default="new", max_length=16)
    opened_at: datetime
    response_due: datetime
    resolution_due: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    resolution_note: str = Field(default="", max_length=2000)
    reopened: int = Field(default=0)
    paused_at: datetime | None = None
    """Since when the ticket waits on its requester (its resolution clock is stopped)."""
    paused_minutes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Working minutes spent waiting on the requester, added to the resolution due time."""


class TicketComment(SQLModel, table=True):
    """A comment on a ticket; internal comments are seen by IT only."""

    __tablename__ = "it_ticket_comment"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="it_ticket.id", index=True)
    at: datetime
    author: str = Field(max_length=64)
    internal: bool = Field(default=False)
    text: str = Field(sa_column=Column(Text, nullable=False))


class TicketEvent(SQLModel, table=True):
    """One step of a ticket's history (a status or assignee change)."""

    __tablename__ = "it_ticket_event"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="it_ticket.id", index=True)
    at: datetime
    actor: str = Field(max_length=64)
    action: str = Field(max_length=20)
    detail: str = Field(default="", max_length=400)


class SlaBreach(SQLModel, table=True):
    """A breach the escalation job has reported (once per ticket and kind)."""

    __tablename__ = "it_sla_breach"
    __table_args__ = (
        CheckConstraint(_in("kind", BREACH_KINDS), name="ck_it_sla_breach_kind"),
        UniqueConstraint("ticket_id", "kind", name="uq_it_sla_breach"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="it_ticket.id")
    kind: str = Field(max_length=12)
    due: datetime
    reported_at: datetime
    work_item_id: int | None = Field(default=None, foreign_key="work_item.id")


class SlaTarget(SQLModel, table=True):
    """Response and resolution targets of a priority, in working minutes."""

    __tablename__ = "it_sla_target"
    __table_args__ = (
        CheckConstraint(
            "response_minutes > 0 AND resolution_minutes >= response_minutes",
            name="ck_it_sla_target_minutes",
        ),
    )

    priority: str = Field(primary_key=True, max_length=2)
    response_minutes: int
    resolution_minutes: int


class Holiday(SQLModel, table=True):
    """A public holiday: no working hours that day."""

    __tablename__ = "it_holiday"

    day: date = Field(primary_key=True)
    name: str = Field(max_length=120)


# -- assets -------------------------------------------------------------------------------------


class AssetCategory(SQLModel, table=True):
    """A kind of asset and its straight-line depreciation life."""

    __tablename__ = "it_asset_category"
    __table_args__ = (CheckConstraint("life_months > 0", name="ck_it_asset_category_life"),)

    code: str = Field(primary_key=True, max_length=20)
    name: str = Field(max_length=80)
    life_months: int


class AssetBase(SQLModel):
    tag: str = Field(min_length=1, max_length=40)
    serial: str = Field(min_length=1, max_length=80)
    model: str = Field(min_length=1, max_length=120)
    category: str = Field(max_length=20)
    location: str = Field(default="", max_length=80)
    purchase_date: date | None = None
    cost: int = Field(default=0, ge=0)
    warranty_end: date | None = None
    supplier: str = Field(default="", max_length=120)


class AssetCreate(AssetBase):
    """What IT gives to register an asset (``cost`` in minor units)."""

    @field_validator("tag", "serial")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.strip()
        if not value or any(c.isspace() for c in value):
            raise ValueError("is letters, digits and punctuation, without spaces")
        return value.upper()

    @field_validator("model", "location", "supplier")
    @classmethod
    def _text(cls, value: str) -> str:
        return _clean(value)

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return value.strip().upper()


class AssetUpdate(SQLModel):
    """Changes to an asset's descriptive fields; every field optional."""

    model: str | None = Field(default=None, min_length=1, max_length=120)
    location: str | None = Field(default=None, max_length=80)
    warranty_end: date | None = None
    supplier: str | None = Field(default=None, max_length=120)


class Asset(AssetBase, table=True):
    """A hardware asset. ``capitalised_by`` says where its cost is in the ledger (a bill line,
    or ``opening`` for one brought in with the opening balances, with the depreciation charged
    before in ``opening_depreciation``); only capitalised assets are depreciated."""

    __tablename__ = "it_asset"
    __table_args__ = (
        CheckConstraint(_in("status", ASSET_STATUSES), name="ck_it_asset_status"),
        CheckConstraint("residual >= 0 AND residual <= cost", name="ck_it_asset_residual"),
        CheckConstraint(
            "status <> 'disposed' OR disposed_on IS NOT NULL", name="ck_it_asset_disposal"
        ),
        Index("ix_it_asset_status", "status", "id"),
        Index("ix_it_asset_category", "category", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tag: str = Field(max_length=40, unique=True)
    serial: str = Field(max_length=80, unique=True)
    category: str = Field(max_length=20, foreign_key="it_asset_category.code")
    status: str = Field(default="in_stock", max_length=12)
    residual: int = Field(default=0)
    opening_depreciation: int = Field(default=0, ge=0)
    capitalised_by: str | None = Field(default=None, max_length=120)
    in_service: date | None = None
    disposed_on: date | None = None
    disposal_method: str = Field(default="", max_length=40)
    proceeds: int = Field(default=0)
    created_at: datetime


class Assignment(SQLModel, table=True):
    """One custody of an asset by an employee (open while ``returned_at`` is null)."""

    __tablename__ = "it_assignment"
    __table_args__ = (
        partial_index(
            "uq_it_assignment_open", "asset_id", where="returned_at IS NULL", unique=True
        ),
        Index("ix_it_assignment_asset", "asset_id", "id"),
        partial_index("ix_it_assignment_holder", "employee_id", where="returned_at IS NULL"),
    )

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="it_asset.id")
    employee_id: int = Field(foreign_key="hr_employee.id")
    out_at: datetime
    out_by: str = Field(max_length=64)
    returned_at: datetime | None = None
    returned_by: str | None = Field(default=None, max_length=64)
    note: str = Field(default="", max_length=200)


class Depreciation(SQLModel, table=True):
    """One month's depreciation of one asset, posted in that month's entry."""

    __tablename__ = "it_depreciation"
    __table_args__ = (
        UniqueConstraint("asset_id", "period", name="uq_it_depreciation"),
        CheckConstraint("amount > 0", name="ck_it_depreciation_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="it_asset.id", index=True)
    period: str = Field(max_length=7, index=True)
    amount: int
    entry_ref: str = Field(max_length=20)


# -- licences -----------------------------------------------------------------------------------


class LicenceBase(SQLModel):
    product: str = Field(min_length=1, max_length=120)
    vendor: str = Field(default="", max_length=120)
    seats: int = Field(ge=1, le=1_000_000)
    renewal_date: date | None = None
    cost: int = Field(default=0, ge=0)


class LicenceCreate(LicenceBase):
    """What IT gives to record a licence (``key`` is confidential)."""

    key: str = Field(default="", max_length=400)

    @field_validator("product", "vendor")
    @classmethod
    def _text(cls, value: str) -> str:
        return _clean(value)


class LicenceUpdate(SQLModel):
    """Changes to a licence; every field optional (seats never below those assigned)."""

    seats: int | None = Field(default=None, ge=1, le=1_000_000)
    renewal_date: date | None = None
    cost: int | None = Field(default=None, ge=0)
    key: str | None = Field(default=None, max_length=400)


class Licence(LicenceBase, table=True):
    """A software licence with a number of seats."""

    __tablename__ = "it_licence"
    __table_args__ = (
        UniqueConstraint("product", "vendor", name="uq_it_licence_product"),
        Index("ix_it_licence_renewal", "renewal_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(default="", max_length=400)
    notified_renewal: date | None = None
    created_at: datetime


class Seat(SQLModel, table=True):
    """One seat of a licence held by an employee or an asset (open while ``released_at`` is
    null)."""

    __tablename__ = "it_seat"
    __table_args__ = (
        CheckConstraint("(employee_id IS NULL) <> (asset_id IS NULL)", name="ck_it_seat_holder"),
        partial_index("ix_it_seat_open", "licence_id", where="released_at IS NULL"),
        partial_index("ix_it_seat_employee", "employee_id", where="released_at IS NULL"),
    )

    id: int | None = Field(default=None, primary_key=True)
    licence_id: int = Field(foreign_key="it_licence.id")
    employee_id: int | None = Field(default=None, foreign_key="hr_employee.id")
    asset_id: int | None = Field(default=None, foreign_key="it_asset.id")
    assigned_at: datetime
    assigned_by: str = Field(max_length=64)
    released_at: datetime | None = None
    released_by: str | None = Field(default=None, max_length=64)


# -- on/offboarding -----------------------------------------------------------------------------


class ChecklistStep(SQLModel, table=True):
    """A step of an onboarding or offboarding work item that IT has ticked off."""

    __tablename__ = "it_checklist_step"
    __table_args__ = (UniqueConstraint("work_item_id", "step", name="uq_it_checklist_step"),)

    id: int | None = Field(default=None, primary_key=True)
    work_item_id: int = Field(foreign_key="work_item.id")
    step: str = Field(max_length=40)
    done_at: datetime
    done_by: str = Field(max_length=64)


# -- stock-takes --------------------------------------------------------------------------------

STOCKTAKE_STATUSES = ("open", "closed")


class Stocktake(SQLModel, table=True):
    """A physical check of the assets at a location (every location when empty) against the
    register: tags are scanned while it is open; closing it fixes what was missing."""

    __tablename__ = "it_stocktake"
    __table_args__ = (
        CheckConstraint(_in("status", STOCKTAKE_STATUSES), name="ck_it_stocktake_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    location: str = Field(default="", max_length=80)
    status: str = Field(default="open", max_length=8)
    started_at: datetime
    started_by: str = Field(max_length=64)
    closed_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=64)
    expected: int = Field(default=0)
    found: int = Field(default=0)


class StocktakeScan(SQLModel, table=True):
    """An asset seen during a stock-take (once per stock-take; the database refuses a scan
    into a closed one)."""

    __tablename__ = "it_stocktake_scan"
    __table_args__ = (UniqueConstraint("stocktake_id", "asset_id", name="uq_it_stocktake_scan"),)

    id: int | None = Field(default=None, primary_key=True)
    stocktake_id: int = Field(foreign_key="it_stocktake.id")
    asset_id: int = Field(foreign_key="it_asset.id")
    scanned_at: datetime
    scanned_by: str = Field(max_length=64)
