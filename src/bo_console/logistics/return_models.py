"""Customer-return tables: goods a customer sends back against a shipped sales order line.

The ``0017`` migration makes the database refuse a return line that takes more back than the
order line shipped less what was already returned, and any change or removal of a return line.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow
from bo_console.logistics.models import one_of

DISPOSITIONS = ("restock", "quarantine")
"""Where returned goods go: back to a sellable bin, or to the warehouse's returns bin."""


class ReturnLineCreate(SQLModel):
    """What comes back for one sales order line (``line``: its number on the order); the lot
    may be left out when the line shipped from a single lot."""

    line: int = Field(ge=1)
    quantity: int = Field(gt=0, le=10**9)
    lot: str | None = Field(default=None, max_length=40)


class ReturnCreate(SQLModel):
    """A customer return: ``location`` None takes the goods into the quarantine bin
    (``WAREHOUSE/RETURNS``) of the warehouse they were shipped from."""

    order: str = Field(min_length=1, max_length=20)
    date: date
    location: str | None = Field(default=None, max_length=41)
    reason: str = Field(min_length=1, max_length=200)
    lines: list[ReturnLineCreate] = Field(min_length=1, max_length=500)


class CustomerReturn(SQLModel, table=True):
    """A return note: stock back in at its original cost (Dr inventory / Cr cost of sales),
    and, for what had been invoiced, a credit-note request in finance's inbox."""

    __tablename__ = "lg_return"
    __table_args__ = (
        CheckConstraint(one_of("disposition", DISPOSITIONS), name="ck_lg_return_disposition"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    order_id: int = Field(foreign_key="lg_sales_order.id", index=True)
    date: date
    location_id: int = Field(foreign_key="lg_location.id")
    disposition: str = Field(max_length=12)
    reason: str = Field(max_length=200)
    value: int = Field(default=0)
    credit_value: int = Field(default=0)
    """Net amount (before VAT) of the invoiced units returned, in minor units."""
    invoice: str | None = Field(default=None, max_length=20)
    entry_ref: str = Field(default="", max_length=20)
    work_item_id: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)


class CustomerReturnLine(SQLModel, table=True):
    __tablename__ = "lg_return_line"
    __table_args__ = (
        CheckConstraint(
            "quantity > 0 AND credit_qty >= 0 AND credit_qty <= quantity AND value >= 0",
            name="ck_lg_return_line_amounts",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="lg_return.id", index=True)
    so_line_id: int = Field(foreign_key="lg_so_line.id", index=True)
    item_id: int = Field(foreign_key="lg_item.id")
    lot_id: int | None = Field(default=None, foreign_key="lg_lot.id")
    quantity: int
    value: int
    credit_qty: int = Field(default=0)
    unit_price: int = Field(default=0)
