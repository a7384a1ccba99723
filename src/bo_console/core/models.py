"""Tables of the core: settings, users and roles, the audit trail, job runs, the inbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow


class Setting(SQLModel, table=True):
    """A key/value setting of this database (base currency, company name, ...)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))


class UserBase(SQLModel):
    login: str = Field(min_length=1, max_length=64)
    full_name: str = Field(default="", max_length=120)


class UserCreate(UserBase):
    """What an admin gives to add a console user."""


class User(UserBase, table=True):
    """A console user, mapped one-to-one to an OS account by login."""

    __tablename__ = "console_user"

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=64, unique=True, index=True)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class UserRole(SQLModel, table=True):
    """A role granted to a user."""

    __tablename__ = "user_role"

    user_id: int = Field(foreign_key="console_user.id", primary_key=True)
    role: str = Field(primary_key=True, max_length=40)
    granted_at: datetime = Field(default_factory=utcnow)
    granted_by: str = Field(max_length=64)


class AuditEvent(SQLModel, table=True):
    """One row of the append-only, hash-chained audit trail."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_user_at", "user_login", "at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    user_login: str = Field(max_length=64)
    os_user: str = Field(max_length=64)
    origin: str = Field(max_length=120)
    action: str = Field(max_length=40, index=True)
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=64)
    changes: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class JobRun(SQLModel, table=True):
    """One run (or refused attempt) of a batch job."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_name_key", "name", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)
    key: str = Field(default="", max_length=120)
    user_login: str = Field(max_length=64)
    os_user: str = Field(max_length=64)
    pid: int
    started_at: datetime = Field(default_factory=utcnow, index=True)
    ended_at: datetime | None = None
    outcome: str = Field(default="running", max_length=16)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class WorkItem(SQLModel, table=True):
    """A piece of work one department (or the front office) hands to another."""

    __tablename__ = "work_item"
    __table_args__ = (Index("ix_work_item_inbox", "to_dept", "status", "due_date"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    subject: str = Field(max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    from_dept: str = Field(max_length=20)
    to_dept: str = Field(max_length=20)
    ref_entity: str | None = Field(default=None, max_length=40)
    ref_id: str | None = Field(default=None, max_length=64)
    status: str = Field(default="open", max_length=16)
    assignee_id: int | None = Field(default=None, foreign_key="console_user.id", index=True)
    due_date: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)
    closed_at: datetime | None = None
    escalated_at: datetime | None = None
    escalated_to: str | None = Field(default=None, max_length=64)


class WorkItemLink(SQLModel, table=True):
    """A record a work item concerns (a party, an employee, a document, an order, ...)."""

    __tablename__ = "work_item_link"
    __table_args__ = (
        Index("ix_work_item_link_record", "entity", "ref"),
        Index("ux_work_item_link", "item_id", "entity", "ref", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="work_item.id")
    entity: str = Field(max_length=40)
    ref: str = Field(max_length=64)
    label: str = Field(default="", max_length=120)


class WorkItemComment(SQLModel, table=True):
    """A comment on a work item."""

    __tablename__ = "work_item_comment"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="work_item.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    author: str = Field(max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))


__all__ = [
    "AuditEvent",
    "JobRun",
    "Setting",
    "User",
    "UserCreate",
    "UserRole",
    "WorkItem",
    "WorkItemComment",
    "WorkItemLink",
]
