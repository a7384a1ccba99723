"""Small reads the departments' list services share, through a Reader or a session.

Light imports only: a list command reads these without SQLAlchemy (see
:mod:`bo_console.core.reading`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from bo_console.core.money import Currency
from bo_console.core.reading import dialect_of, reader_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reads

DEFAULT_CURRENCY = "SAR"
"""The base currency of books that never chose one (as :mod:`bo_console.core.settings`)."""


def setting_of(db: Reads, key: str) -> str:
    """A setting's stored value, or "" when it has none (the caller supplies the default, as
    with :func:`bo_console.core.settings.get`)."""
    value = reader_of(db).scalar("SELECT value FROM setting WHERE key = :key", {"key": key})
    return "" if value is None else str(value)


def base_currency_of(db: Reads) -> Currency:
    """The currency the books are kept in, as :func:`bo_console.core.money.base_currency`
    reads it, through a Reader or a session."""
    return Currency.of(setting_of(db, "base_currency") or DEFAULT_CURRENCY)


def day_of(value: Any) -> date | None:
    """A date column as a Reader returns it (ISO text on SQLite, a ``date`` on PostgreSQL)
    as a ``date``, as the ORM would have typed it."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def moment_of(value: Any) -> datetime | None:
    """A time column as a Reader returns it (naive ISO text in UTC on SQLite) as an aware UTC
    ``datetime``, as the ORM types it."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def moment_param(db: Reads, moment: datetime) -> Any:
    """``moment`` as a parameter compared with stored times: on SQLite the naive UTC text the
    ORM stores (``2026-11-03 08:00:00.000000``, so equal times compare equal), elsewhere the
    aware value."""
    if dialect_of(db) != "sqlite":
        return moment
    naive = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f")
