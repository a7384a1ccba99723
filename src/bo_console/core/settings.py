"""Per-database settings (company name, base currency), audited when changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

DEFAULTS = {"company_name": "", "base_currency": "SAR"}


def get(session: Session, key: str) -> str:
    """A setting's value, or its default.

    Read through SQLAlchemy Core: every command and the console read the base currency at
    start, and the ORM models would cost them ~20 ms of imports. Changes not yet flushed are
    flushed first, as an ORM query would.
    """
    from sqlalchemy import column, select, table

    if session.autoflush:
        session.flush()
    setting = table("setting", column("key"), column("value"))
    value = session.execute(select(setting.c.value).where(setting.c.key == key)).scalar()
    return str(value) if value is not None else DEFAULTS.get(key, "")


def put(session: Session, actor: Actor | None, key: str, value: str) -> None:
    """Set a value (``actor`` None only while ``bo init`` seeds a new database)."""
    from bo_console.core import audit
    from bo_console.core.models import Setting

    row = session.get(Setting, key)
    before = row.value if row is not None else None
    if before == value:
        return
    if actor is not None:
        actor.require("users.admin", "change settings")
    if row is None:
        row = Setting(key=key, value=value)
    else:
        row.value = value
    session.add(row)
    session.flush()
    if actor is not None:
        audit.record(
            session,
            actor,
            action="set",
            entity="setting",
            entity_id=key,
            changes={"value": (before, value)},
        )
