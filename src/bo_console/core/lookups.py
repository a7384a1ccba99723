"""Small reads the departments' list services share, through a Reader or a session.

Light imports only: a list command reads these without SQLAlchemy (see
:mod:`bo_console.core.reading`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bo_console.core.money import Currency
from bo_console.core.reading import reader_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reads

DEFAULT_CURRENCY = "SAR"
"""The base currency of books that never chose one (as :mod:`bo_console.core.settings`)."""


def base_currency_of(db: Reads) -> Currency:
    """The currency the books are kept in, as :func:`bo_console.core.money.base_currency`
    reads it, through a Reader or a session."""
    value = reader_of(db).scalar(
        "SELECT value FROM setting WHERE key = :key", {"key": "base_currency"}
    )
    return Currency.of(str(value) if value else DEFAULT_CURRENCY)


def day_of(value: Any) -> date | None:
    """A date column as a Reader returns it (ISO text on SQLite, a ``date`` on PostgreSQL)
    as a ``date``, as the ORM would have typed it."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
