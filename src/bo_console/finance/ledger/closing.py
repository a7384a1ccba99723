"""Closing a month: in order, after a checklist a finance manager may override item by item.

The checklist is a registry. Finance brings its own items (drafts left in the month, bank
accounts not reconciled, the VAT return of a period that ends with the month); other
parts of the console add theirs without finance knowing them: either in process with
:func:`register_close_check`, or as an entry point in the ``bo_console.close_checks`` group
(``name = "package.module:function"``), loaded the first time a checklist is drawn up. HR
adds pay runs not posted that way. A check is called with the session and the month
(``YYYY-MM``) and returns what is wrong (empty when all is well); it reads, never writes.

Months close in order: the previous month must be closed first, unless this is the books'
first month. That rule is not an item and cannot be overridden.

After a month closes, the after-close hooks run in the same transaction, registered the same
two ways (:func:`register_after_close`, or the ``bo_console.after_close`` entry-point group):
data management writes the month-end snapshot that way. A hook may write; if it fails, the
close fails with it. A hook may return a note for the person who closed the month (a step it
left to someone else), which the close shows.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

CloseCheckFn = Callable[["Session", "Actor", str], list[str]]
"""A checklist item's check: (session, who asks, month) -> the problems found (empty: all is
well)."""

ENTRY_POINT_GROUP = "bo_console.close_checks"
AFTER_CLOSE_GROUP = "bo_console.after_close"

AfterCloseFn = Callable[["Session", "Actor", str], "str | None"]
"""A hook run once a month has closed: (session, who closed it, month) -> a note for the
person who closed it, or None."""


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


_AFTER_CLOSE: dict[str, AfterCloseFn] = {}
_after_loaded = False


def register_after_close(key: str, hook: AfterCloseFn) -> None:
    """Add (or replace) a hook run after a month closes."""
    _AFTER_CLOSE[key] = hook


def after_close_hooks() -> dict[str, AfterCloseFn]:
    """Every after-close hook by key: those registered in process, then the entry points."""
    global _after_loaded
    if not _after_loaded:
        _after_loaded = True
        from importlib.metadata import entry_points

        for point in entry_points(group=AFTER_CLOSE_GROUP):
            try:
                found = point.load()
            except ImportError:  # a part not installed in this build
                continue
            _AFTER_CLOSE.setdefault(point.name, found)
    return dict(_AFTER_CLOSE)


def run_after_close(session: Session, actor: Actor, period: str) -> list[str]:
    """Run every after-close hook for ``period``, in registration order; their notes."""
    notes = []
    for hook in after_close_hooks().values():
        note = hook(session, actor, period)
        if note:
            notes.append(note)
    return notes


def month_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a ``YYYY-MM`` month."""
    year, month = int(period[:4]), int(period[5:])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def previous_month(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def _drafts(session: Session, actor: Actor, period: str) -> list[str]:
    from sqlalchemy import text

    first, last = month_bounds(period)
    count = session.execute(
        text("SELECT count(*) FROM fin_entry WHERE state = 'draft' AND date BETWEEN :a AND :b"),
        {"a": first, "b": last},
    ).scalar_one()
    if not count:
        return []
    return [
        f"{count} draft entr{'y' if count == 1 else 'ies'} dated in {period}; post or delete "
        "them (bo finance journal list --state draft)"
    ]


def _banks(session: Session, actor: Actor, period: str) -> list[str]:
    from bo_console.finance.bank import bank_accounts_reconciled

    return [
        f"bank account {status.bank}: {status.reason} (bo finance bank month {period})"
        for status in bank_accounts_reconciled(session, actor, period)
        if not status.reconciled
    ]


def _vat(session: Session, actor: Actor, period: str) -> list[str]:
    from bo_console.finance.vat.filing import vat_return_unfiled

    return vat_return_unfiled(session, period)


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


def order_problem(session: Session, period: str) -> str | None:
    """Why ``period`` may not close yet because an earlier month is open, or None."""
    from bo_console.finance.ledger.locks import books_start
    from bo_console.finance.ledger.rules import is_closed

    start = books_start(session)
    if start is None:
        from sqlalchemy import text

        first = session.execute(
            text("SELECT MIN(date) FROM fin_entry WHERE state <> 'draft'")
        ).scalar_one()
        start = min(period, str(first)[:7]) if first is not None else period
    if period <= start:
        return None
    before = previous_month(period)
    if is_closed(session, before):
        return None
    return f"{before} is still open; months close in order (close {before} first)"


def checklist(session: Session, actor: Actor, period: str) -> Checklist:
    """What stands between ``period`` and its close (``bo finance period checklist``)."""
    from bo_console.finance.ledger.rules import is_closed, parse_period

    actor.require("finance.read", "see the month-end checklist")
    period = parse_period(period)
    if is_closed(session, period):
        return Checklist(period, "closed", None, ())
    items = tuple(
        ChecklistItem(c.key, c.label, tuple(c.check(session, actor, period)))
        for c in registered_checks()
    )
    return Checklist(period, "open", order_problem(session, period), items)


def refuse_unready(
    session: Session, actor: Actor, period: str, overrides: dict[str, str]
) -> dict[str, tuple[object, object]]:
    """Check the month may close; returns the audit changes for the overridden items.

    Raises:
        RuleViolation: an earlier month is open, or an item fails without an override.
        ValidationFailed: an override names no item or gives no reason.
    """
    from bo_console.core.text import clean

    found = checklist(session, actor, period)
    if found.order_problem is not None:
        raise RuleViolation(found.order_problem)
    keys = {i.key for i in found.items}
    for key, reason in overrides.items():
        if key not in keys:
            raise ValidationFailed(f"no checklist item {key!r} (items: {', '.join(sorted(keys))})")
        if not clean(reason):
            raise ValidationFailed(f"overriding {key!r} needs a reason")
    failing = [i for i in found.items if not i.ok and i.key not in overrides]
    if failing:
        first = failing[0]
        more = f" (and {len(failing) - 1} more item(s))" if len(failing) > 1 else ""
        raise RuleViolation(
            f"{period}: {first.problems[0]}{more}; fix it or override with a reason "
            f"(--override {first.key}=REASON)"
        )
    return {
        f"override {i.key}": ("; ".join(i.problems), clean(overrides[i.key])[:200])
        for i in found.items
        if not i.ok and i.key in overrides
    }
