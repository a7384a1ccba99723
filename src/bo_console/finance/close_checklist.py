"""The month-end checklist: what stands between a month and its close
(``bo finance period checklist``), read through a Reader or a session without the ORM;
:mod:`bo_console.finance.ledger.closing` re-exports it and closes the month.

The checklist is a registry. Finance brings its own items (drafts left in the month, bank
accounts not reconciled, the VAT return of a period that ends with the month); other parts of
the console add theirs without finance knowing them: either in process with
:func:`register_close_check`, or as an entry point in the ``bo_console.close_checks`` group
(``name = "package.module:function"``), loaded the first time a checklist is drawn up. HR adds
pay runs not posted that way. A check is called with a Reader or a session (it reads through
:func:`bo_console.core.reading.reader_of`, so the command loads no SQLAlchemy) and the month
(``YYYY-MM``), and returns what is wrong (empty when all is well); it reads, never writes.

Months close in order: the previous month must be closed first, unless this is the books'
first month. That rule is not an item and cannot be overridden.

This module imports neither SQLAlchemy nor pydantic.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

CloseCheckFn = Callable[["Reads", "Actor", str], list[str]]
"""A checklist item's check: (a Reader or a session, who asks, month) -> the problems found
(empty: all is well)."""

ENTRY_POINT_GROUP = "bo_console.close_checks"


@dataclass(frozen=True)
class CloseCheck:
    """One item of the month-end checklist."""

    key: str
    label: str
    check: CloseCheckFn


@dataclass(frozen=True)
class ChecklistItem:
    """An item as checked for one month: ``ok`` when nothing is wrong."""

    key: str
    label: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Checklist:
    """The month's checklist and whether the month may close in order."""

    period: str
    status: str
    order_problem: str | None
    items: tuple[ChecklistItem, ...]

    @property
    def ready(self) -> bool:
        return self.order_problem is None and all(i.ok for i in self.items)


_REGISTRY: dict[str, CloseCheck] = {}
_loaded = False


def register_close_check(key: str, label: str, check: CloseCheckFn) -> None:
    """Add (or replace) an item of the month-end checklist."""
    _REGISTRY[key] = CloseCheck(key, label, check)


def month_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a ``YYYY-MM`` month."""
    year, month = int(period[:4]), int(period[5:])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def previous_month(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def _drafts(db: Reads, actor: Actor, period: str) -> list[str]:
    from bo_console.core.reading import reader_of

    first, last = month_bounds(period)
    count = reader_of(db).scalar(
        "SELECT count(*) FROM fin_entry WHERE state = 'draft' AND date BETWEEN :a AND :b",
        {"a": first, "b": last},
    )
    if not count:
        return []
    return [
        f"{count} draft entr{'y' if count == 1 else 'ies'} dated in {period}; post or delete "
        "them (bo finance journal list --state draft)"
    ]


def _banks(db: Reads, actor: Actor, period: str) -> list[str]:
    from bo_console.finance.bank import bank_accounts_reconciled

    return [
        f"bank account {status.bank}: {status.reason} (bo finance bank month {period})"
        for status in bank_accounts_reconciled(db, actor, period)
        if not status.reconciled
    ]


def _vat(db: Reads, actor: Actor, period: str) -> list[str]:
    from bo_console.finance.vat.filing import vat_return_unfiled

    return vat_return_unfiled(db, period)


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    register_close_check("drafts", "Draft entries left in the month", _drafts)
    register_close_check("bank", "Bank accounts not reconciled", _banks)
    register_close_check("vat", "VAT return filed (last month of a VAT period)", _vat)
    from importlib.metadata import entry_points

    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found = point.load()
        except ImportError:  # a part not installed in this build
            continue
        label = getattr(found, "close_label", point.name.replace("_", " "))
        _REGISTRY.setdefault(point.name, CloseCheck(point.name, str(label), found))


def registered_checks() -> list[CloseCheck]:
    """Every checklist item, finance's first."""
    _load()
    return list(_REGISTRY.values())


def order_problem(db: Reads, period: str) -> str | None:
    """Why ``period`` may not close yet because an earlier month is open, or None (through a
    Reader or a session)."""
    from bo_console.core.reading import reader_of
    from bo_console.finance.period_list import books_start, period_closed

    reader = reader_of(db)
    start = books_start(reader)
    if start is None:
        first = reader.scalar("SELECT MIN(date) FROM fin_entry WHERE state <> 'draft'")
        start = min(period, str(first)[:7]) if first is not None else period
    if period <= start:
        return None
    before = previous_month(period)
    if period_closed(reader, before):
        return None
    return f"{before} is still open; months close in order (close {before} first)"


def checklist(db: Reads, actor: Actor, period: str) -> Checklist:
    """What stands between ``period`` and its close (``bo finance period checklist``), read
    through a Reader or a session."""
    from bo_console.finance.fiscal import parse_period
    from bo_console.finance.period_list import period_closed

    actor.require("finance.read", "see the month-end checklist")
    period = parse_period(period)
    if period_closed(db, period):
        return Checklist(period, "closed", None, ())
    items = tuple(
        ChecklistItem(c.key, c.label, tuple(c.check(db, actor, period)))
        for c in registered_checks()
    )
    return Checklist(period, "open", order_problem(db, period), items)
