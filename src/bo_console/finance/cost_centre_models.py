"""The cost-centre list journal lines pick from.

A line's ``cost_centre`` names a row of ``fin_cost_centre`` by its code; the database refuses a
line with a code the list does not hold (triggers in the ``0015`` migration), and a cost
centre used by a line is never deleted or renamed, only deactivated.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow


class CostCentreBase(SQLModel):
    code: str = Field(min_length=1, max_length=16)
    name: str = Field(min_length=1, max_length=120)
    department: str = Field(default="", max_length=40)
    """The part of the business it belongs to (an HR organisation unit, a branch)."""


class CostCentreCreate(CostCentreBase):
    """What a finance manager gives to add a cost centre."""

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.strip()
        if not value or any(c.isspace() or c in ":;,'\"" for c in value):
            raise ValueError("a cost-centre code is letters, digits, '.', '-' or '_', no spaces")
        return value

    @field_validator("name", "department")
    @classmethod
    def _text(cls, value: str) -> str:
        from bo_console.core.text import clean

        return clean(value)


class CostCentre(CostCentreBase, table=True):
    """A cost centre: lines carry its code."""

    __tablename__ = "fin_cost_centre"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=64)


__all__ = ["CostCentre", "CostCentreBase", "CostCentreCreate"]
