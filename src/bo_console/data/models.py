"""Data management's table (data-quality findings) and the views its services return."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow


class DqFinding(SQLModel, table=True):
    """One data-quality finding, open until the next check no longer finds it."""

    __tablename__ = "dq_finding"

    id: int | None = Field(default=None, primary_key=True)
    rule: str = Field(max_length=40, index=True)
    key: str = Field(max_length=200)
    dept: str = Field(max_length=20)
    subject: str = Field(max_length=200)
    work_item_id: int | None = Field(default=None, foreign_key="work_item.id")
    found_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None


class ResultSet(BaseModel):
    """Rows of a query: column names and one tuple per row."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    revealed: list[str] = []
    """Confidential columns the query read (``table.column``), for the audit trail."""

    def as_dicts(self) -> list[dict[str, Any]]:
        """Each row as a dict keyed by column name (for clikit's emit and io)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]
