"""Per-database settings (company name, base currency), audited when changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor

DEFAULTS = {"company_name": "", "base_currency": "SAR"}


_CACHE = "core.settings"
"""``session.info`` key of the values read in this session's transaction (with the
transaction they were read in)."""


def _remembered(session: Session) -> dict[str, str]:
    """The values remembered for the innermost transaction in progress (none once it ends:
    a rollback may have undone a change, and another writer may change them in between)."""
    current = session.get_nested_transaction() or session.get_transaction()
    cached = session.info.get(_CACHE)
    if current is None or cached is None or cached[0] is not current:
        cached = (current, {})
        if current is not None:
            session.info[_CACHE] = cached
    values: dict[str, str] = cached[1]
    return values


def get(db: Reads, key: str) -> str:
    """A setting's value, or its default, read through a session or a Reader.

    Plain SQL: every command and the console read the base currency at start, and the ORM
    models would cost them ~20 ms of imports (on SQLite a Reader costs no SQLAlchemy at all).
    Each key is read once per transaction (posting an entry reads several settings; a bulk
    load posts thousands): :func:`put` keeps the remembered value current, and code that
    writes a setting row another way calls :func:`forget`. A Reader is one read transaction:
    it remembers what it read for its life.
    """
    from bo_console.core.reading import SessionReader, reader_of

    if isinstance(db, SessionReader):
        db = db.session  # remembered with its session's transaction, which put() updates
    if hasattr(db, "get_bind"):
        session = cast("Session", db)
        remembered = _remembered(session)
        if key in remembered:
            return remembered[key]
        value = _read(reader_of(session), key)
        _remembered(session)[key] = value
        return value
    reader = reader_of(db)
    info = getattr(reader, "info", None)
    kept: dict[str, str] = info.setdefault(_CACHE, {}) if isinstance(info, dict) else {}
    if key not in kept:
        kept[key] = _read(reader, key)
    return kept[key]


def _read(reader: Reader, key: str) -> str:
    found = reader.scalar("SELECT value FROM setting WHERE key = :key", {"key": key})
    return str(found) if found is not None else DEFAULTS.get(key, "")


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
    _remembered(session)[key] = value
    if actor is not None:
        audit.record(
            session,
            actor,
            action="set",
            entity="setting",
            entity_id=key,
            changes={"value": (before, value)},
        )
