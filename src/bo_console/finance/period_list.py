"""The list of fiscal periods (``bo finance period list``) and the books' limits (``period
limits``), read through a Reader or a session without the ORM; :mod:`bo_console.finance.ledger`
re-exports them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

BOOKS_START = "finance.books_start"
"""Setting: the books' first month (``YYYY-MM``); unset until the first posting."""

FUTURE_DAYS = "finance.future_days"
"""Setting: how many days ahead of today a clerk may post; further needs finance.manage."""

DEFAULT_FUTURE_DAYS = 31


@dataclass(frozen=True)
class BookLimits:
    """The books' first month (None before anything is posted) and the forward limit."""

    books_start: str | None
    future_days: int


def books_start(db: Reads) -> str | None:
    """The books' first month, or None while nothing has fixed it."""
    from bo_console.core import settings

    return settings.get(db, BOOKS_START) or None


def period_closed(db: Reads, period: str) -> bool:
    """Whether ``period`` takes no postings: closed, or before the books' first month
    (through a Reader or a session; ``ledger.is_closed`` is this)."""
    from bo_console.core.reading import reader_of

    start = books_start(db)
    if start is not None and period < start:
        return True
    status = reader_of(db).scalar("SELECT status FROM fin_period WHERE period = :p", {"p": period})
    return bool(status == "closed")


def future_days(db: Reads) -> int:
    """How many days ahead of today a posting may be dated without a finance manager."""
    from bo_console.core import settings

    raw = settings.get(db, FUTURE_DAYS)
    return int(raw) if raw else DEFAULT_FUTURE_DAYS


def closed_periods(db: Reads) -> set[str]:
    """Every closed month (``YYYY-MM``), through a Reader or a session."""
    from bo_console.core.reading import reader_of

    rows = reader_of(db).rows("SELECT period FROM fin_period WHERE status = 'closed'")
    return {str(r[0]) for r in rows}


def book_limits(db: Reads, actor: Actor) -> BookLimits:
    """The books' first month and the forward limit (``bo finance period limits``)."""
    actor.require("finance.read", "read the books' limits")
    return BookLimits(books_start(db), future_days(db))


@dataclass(frozen=True)
class PeriodView:
    """A month of the books with its state and what is in it."""

    period: str
    status: str
    posted: int
    drafts: int
    changed_by: str
    changed_at: datetime | None
    before_books: bool = False
    """The month lies before the books' first month, so it counts as closed."""


def list_periods(db: Reads, actor: Actor, *, year: int) -> list[PeriodView]:
    """The twelve months of ``year`` with their status and entry counts."""
    from bo_console.core.reading import dialect_of, reader_of

    actor.require("finance.read", "list periods")
    reader = reader_of(db)
    start = books_start(reader)
    month = "to_char(date, 'YYYY-MM')" if dialect_of(db) == "postgresql" else "substr(date, 1, 7)"
    counts: dict[tuple[str, str], int] = {}
    for period, state, count in reader.rows(
        f"SELECT {month}, state = 'draft', count(*) FROM fin_entry "
        "WHERE date >= :a AND date <= :b GROUP BY 1, 2",
        {"a": date(year, 1, 1), "b": date(year, 12, 31)},
    ):
        counts[(str(period), "draft" if state else "posted")] = int(count)
    rows = {
        str(r[0]): r
        for r in reader.rows(
            "SELECT period, status, changed_by, changed_at FROM fin_period WHERE period LIKE :y",
            {"y": f"{year:04d}-%"},
        )
    }
    out = []
    for number in range(1, 13):
        key = f"{year:04d}-{number:02d}"
        row = rows.get(key)
        changed_at = None
        if row is not None and row[3] is not None:
            changed_at = row[3] if isinstance(row[3], datetime) else datetime.fromisoformat(row[3])
        early = start is not None and key < start
        out.append(
            PeriodView(
                period=key,
                status="closed" if early else str(row[1]) if row else "open",
                posted=counts.get((key, "posted"), 0),
                drafts=counts.get((key, "draft"), 0),
                changed_by="" if early else str(row[2]) if row else "",
                changed_at=None if early else changed_at,
                before_books=early,
            )
        )
    return out
