"""Stock-count tables: a count sheet per location and its counted lines (``0007``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow
from bo_console.logistics.models import one_of

COUNT_STATUSES = ("open", "posted", "cancelled")


class CountLineCreate(SQLModel):
    item: str = Field(min_length=1, max_length=64)
    lot: str | None = Field(default=None, max_length=40)
    counted: int = Field(ge=0, le=10**9)


class StockCount(SQLModel, table=True):
    """A count sheet for one location; posting turns its differences into adjustments."""

    __tablename__ = "lg_count"
    __table_args__ = (CheckConstraint(one_of("status", COUNT_STATUSES), name="ck_lg_count_status"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    location_id: int = Field(foreign_key="lg_location.id")
    date: date
    status: str = Field(default="open", max_length=10)
    difference_value: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)
    posted_by: str | None = Field(default=None, max_length=64)
    entry_ref: str = Field(default="", max_length=20)


class StockCountLine(SQLModel, table=True):
    __tablename__ = "lg_count_line"
    __table_args__ = (
        UniqueConstraint("count_id", "item_id", "lot_key", name="uq_lg_count_line"),
        CheckConstraint("counted >= 0", name="ck_lg_count_line_counted"),
    )

    id: int | None = Field(default=None, primary_key=True)
    count_id: int = Field(foreign_key="lg_count.id", index=True)
    item_id: int = Field(foreign_key="lg_item.id")
    lot_id: int | None = Field(default=None, foreign_key="lg_lot.id")
    lot_key: int = Field(default=0)
    counted: int
    system_qty: int | None = None
