"""What the front office takes down: the Create models of its forms and commands."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, field_validator

from bo_console.core.text import clean


def _line(text: str) -> str:
    return clean(text)


class QuoteLine(BaseModel):
    """One line of a quotation: an item (SKU or barcode), a quantity and, optionally, a unit
    price as written (``125.50``; the item's sale price when left out)."""

    item: str = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=10**9)
    price: str = Field(default="", max_length=24)


def parse_lines(text: str) -> list[QuoteLine]:
    """``SKU:QTY[:PRICE]`` lines, separated by commas or new lines.

    Raises:
        ValueError: a line of another shape (named).
    """
    lines = []
    for n, part in enumerate([p.strip() for p in text.replace("\n", ",").split(",")], start=1):
        if not part:
            continue
        fields = [f.strip() for f in part.split(":")]
        if len(fields) not in (2, 3) or not fields[0] or not fields[1].isdigit():
            raise ValueError(f"line {n} {part!r} is not SKU:QTY[:PRICE]")
        lines.append(
            QuoteLine(
                item=fields[0], quantity=int(fields[1]), price=fields[2] if len(fields) > 2 else ""
            )
        )
    if not lines:
        raise ValueError("give at least one line SKU:QTY[:PRICE]")
    return lines


class QuotationCreate(BaseModel):
    """A customer's quotation: it becomes a sales order when the customer accepts it."""

    customer: str = Field(min_length=1, max_length=160)
    date: dt.date
    requested: dt.date | None = None
    memo: str = Field(default="", max_length=200)
    lines: list[QuoteLine] = Field(min_length=1, max_length=500)


class CustomerRequest(BaseModel):
    """A customer asks finance for a copy of an invoice (``document``) or a statement."""

    customer: str = Field(min_length=1, max_length=160)
    document: str = Field(default="", max_length=20)
    note: str = Field(default="", max_length=500)

    @field_validator("customer", "document", "note")
    @classmethod
    def _text(cls, value: str) -> str:
        return _line(value)


class TicketRequest(BaseModel):
    """Something IT must fix for the front desk or a customer's portal access."""

    subject: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=4000)
    priority: str = Field(default="P3", pattern=r"^P[1-4]$")

    @field_validator("subject", "description")
    @classmethod
    def _text(cls, value: str) -> str:
        return _line(value)


class WalkInCV(BaseModel):
    """A CV handed in at the desk, for an opening."""

    opening: int = Field(gt=0)
    name: str = Field(min_length=1, max_length=120)
    email: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=500)

    @field_validator("name", "email", "phone", "note")
    @classmethod
    def _text(cls, value: str) -> str:
        return _line(value)


class GateDelivery(BaseModel):
    """A supplier's truck at the gate, for a purchase order: logistics receives it."""

    order: str = Field(min_length=1, max_length=20)
    delivery_note: str = Field(default="", max_length=60)
    packages: int = Field(default=1, gt=0, le=100_000)
    note: str = Field(default="", max_length=500)

    @field_validator("delivery_note", "note")
    @classmethod
    def _text(cls, value: str) -> str:
        return _line(value)

    @field_validator("order")
    @classmethod
    def _order(cls, value: str) -> str:
        return _line(value).upper()
