"""Per-database settings (company name, base currency), audited when changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

DEFAULTS = {"company_name": "", "base_currency": "SAR"}


_CACHE = "core.settings"
"""``session.info`` key of the values read in this unit of work (a session is one unit)."""


def get(session: Session, key: str) -> str:
    """A setting's value, or its default.

    Read through SQLAlchemy Core: every command and the console read the base currency at
    start, and the ORM models would cost them ~20 ms of imports. Each key is read once per
    unit of work (posting an entry reads several settings; a bulk load posts thousands):
    :func:`put` keeps the remembered value current, and code that writes a setting row
    another way calls :func:`forget`.
    """
    cache: dict[str, str] = session.info.setdefault(_CACHE, {})
    if key in cache:
        return cache[key]
    from sqlalchemy import column, select, table

    if session.autoflush:
        session.flush()
    setting = table("setting", column("key"), column("value"))
    value = session.execute(select(setting.c.value).where(setting.c.key == key)).scalar()
    cache[key] = str(value) if value is not None else DEFAULTS.get(key, "")
    return cache[key]


def forget(session: Session) -> None:
    """Drop the values :func:`get` remembered in this unit of work."""
    session.info.pop(_CACHE, None)


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
    session.info.setdefault(_CACHE, {})[key] = value
    if actor is not None:
        audit.record(
            session,
            actor,
            action="set",
            entity="setting",
            entity_id=key,
            changes={"value": (before, value)},
        )
