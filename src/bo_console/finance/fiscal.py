"""The calendar of the books, read without the ORM: months, fiscal-year bounds, the sums of
the closing entries and entry references.

What the reports need of the fiscal year (:mod:`.ledger.year_end` closes it and re-exports
these), kept out of the ledger package so that a report command does not import the posting
code and its models. Each function takes a Reader or a session (:mod:`bo_console.core.reading`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

FISCAL_YEAR_START = "finance.fiscal_year_start"
"""Setting: the month (1-12) the fiscal year starts in."""


_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(text: str) -> str:
    """A ``YYYY-MM`` month, checked.

    Raises:
        ValidationFailed: the text is not a month.
    """
    value = text.strip()
    if not _PERIOD.match(value):
        raise ValidationFailed(f"{text!r} is not a month (use YYYY-MM, e.g. 2026-03)")
    return value


def start_month(db: Reads) -> int:
    """The month (1-12) the fiscal year starts in."""
    from bo_console.core import settings

    raw = settings.get(db, FISCAL_YEAR_START)
    return int(raw) if raw else 1


def year_bounds(db: Reads, day: date) -> tuple[date, date]:
    """The first and last day of the fiscal year holding ``day``."""
    month = start_month(db)
    year = day.year if day.month >= month else day.year - 1
    first = date(year, month, 1)
    nxt = date(year + 1, month, 1)
    return first, nxt - timedelta(days=1)


def closing_sums(db: Reads, start: date, end: date) -> dict[int, list[int]]:
    """Debits and credits per account of the live closing entries dated ``start``..``end``:
    what the income statement takes back out. A reversed closing entry and its reversal
    (dated the same day) cancel out in the sums already."""
    from bo_console.core.reading import reader_of

    out: dict[int, list[int]] = {}
    # The conditions of the partial index on (source, source_ref) let it find the few
    # closing entries, instead of a scan of the year's entries by date.
    rows = reader_of(db).rows(
        "SELECT l.account_id, SUM(l.debit), SUM(l.credit) FROM fin_line l "
        "WHERE l.entry_id IN (SELECT id FROM fin_entry WHERE source = 'closing' "
        "AND source_ref IS NOT NULL AND state IN ('draft', 'posted') AND state = 'posted' "
        "AND date >= :a AND date <= :b) GROUP BY l.account_id",
        {"a": start, "b": end},
    )
    for account_id, debit, credit in rows:
        out[int(account_id)] = [int(debit or 0), int(credit or 0)]
    return out


def entry_ref(year: int | None, number: int | None, entry_id: int | None) -> str:
    """``2026-000123`` for a posted entry, ``draft #7`` for a draft."""
    if year is None or number is None:
        return f"draft #{entry_id}"
    return f"{year}-{number:06d}"


@dataclass(frozen=True)
class FiscalYear:
    """The fiscal year's start month and, for a day, the year holding it."""

    start_month: int
    first: date
    last: date
    name: str


def fiscal_year(db: Reads, actor: Actor, day: date) -> FiscalYear:
    """The fiscal year holding ``day`` (``bo finance period fiscal-year``)."""
    actor.require("finance.read", "read the fiscal year")
    first, last = year_bounds(db, day)
    return FiscalYear(start_month(db), first, last, f"{last.year:04d}")
