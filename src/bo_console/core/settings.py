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
    # Kept for the rest of the transaction: services ask for the same few (the currency,
    # account roles) once per document. ``put`` forgets what it changes.
    transaction = session.get_transaction()
    cached = session.info.get(_CACHE)
    if cached is None or cached[0] is not transaction:
        cached = session.info[_CACHE] = (transaction, {})
    values: dict[str, str] = cached[1]
    if key in values:
        return values[key]
    setting = table("setting", column("key"), column("value"))
    value = session.execute(select(setting.c.value).where(setting.c.key == key)).scalar()
    values[key] = found = str(value) if value is not None else DEFAULTS.get(key, "")
    return found


_CACHE = "bo_console.settings"


def forget(session: Session) -> None:
    """Drop the settings read in this transaction (after a change not made by :func:`put`)."""
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
    forget(session)
    if actor is not None:
        audit.record(
            session,
            actor,
            action="set",
            entity="setting",
            entity_id=key,
            changes={"value": (before, value)},
        )
