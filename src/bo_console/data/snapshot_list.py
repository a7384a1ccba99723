"""The stored month-end snapshots as listed, and the month totals the dashboard reads from
them, as SQL text over a Reader or a session.

``bo data snapshot list`` and ``bo data dashboard`` read through the standard library's
``sqlite3`` (:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor
pydantic. :mod:`bo_console.data.snapshots` takes and reads whole snapshots.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.core.reading import reader_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

FORMAT = 1
"""The layout of ``figures``; a reader refuses a snapshot of a layout it does not know."""

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def checked_period(text: str) -> str:
    """A ``YYYY-MM`` month, checked as finance checks its periods.

    Raises:
        ValidationFailed: the text is not a month.
    """
    value = text.strip()
    if not _PERIOD.match(value):
        raise ValidationFailed(f"{text!r} is not a month (use YYYY-MM, e.g. 2026-03)")
    return value


@dataclass(frozen=True)
class SnapshotRow:
    """One stored snapshot as listed: which month, which version, when and by whom."""

    period: str
    version: int
    taken_at: datetime
    taken_by: str
    digest: str
    current: bool


def list_snapshots(db: Reads, actor: Actor, period: str | None = None) -> list[SnapshotRow]:
    """Every snapshot (of ``period`` only, if given), latest month first; ``current`` marks
    the version the pack and the dashboard read."""
    actor.require("data.read", "list month-end snapshots")
    where = "WHERE period = :p" if period else ""
    rows = reader_of(db).rows(
        "SELECT period, version, taken_at, taken_by, digest FROM dm_month_snapshot "  # noqa: S608
        f"{where} ORDER BY period DESC, version DESC",
        {"p": period} if period else {},
    )
    seen: set[str] = set()
    out = []
    for p, version, taken_at, by, digest in rows:
        when = taken_at if isinstance(taken_at, datetime) else datetime.fromisoformat(taken_at)
        out.append(SnapshotRow(str(p), int(version), when, str(by), str(digest), p not in seen))
        seen.add(str(p))
    return out


@dataclass(frozen=True)
class MonthTotals:
    """One closed month's dashboard figures, in minor units."""

    revenue: int
    expenses: int
    cash: int
    receivables: dict[str, int]
    payables: dict[str, int]
    headcount: int
    payroll_cost: int | None
    """The month's payroll cost in all (None when fewer than three payslips: one's pay)."""
    stock_value: int
    tickets_opened: int
    tickets_breached: int


def figures_of(period: str, version: int, payload: str) -> dict[str, Any]:
    """A snapshot's stored figures (its JSON), refused when of a layout this version does
    not know.

    Raises:
        RuleViolation: the snapshot's layout is not :data:`FORMAT`.
    """
    figures: dict[str, Any] = json.loads(payload)
    if figures.get("format") != FORMAT:
        raise RuleViolation(
            f"the snapshot of {period} (version {version}) has layout {figures.get('format')}, "
            "which this version of the console cannot read"
        )
    return figures


LATEST = """
    SELECT s.id, s.period, s.version, s.taken_at, s.taken_by, s.figures FROM dm_month_snapshot s
    WHERE s.period IN :periods AND s.version = (
        SELECT max(v.version) FROM dm_month_snapshot v WHERE v.period = s.period)
"""
"""The latest version of each of ``:periods``'s snapshots (id, period, version, taken_at,
taken_by, figures)."""


def latest_totals(db: Reads, periods: Iterable[str]) -> dict[str, tuple[int, MonthTotals]]:
    """The month totals of the latest snapshot of each of ``periods`` that has one, with that
    snapshot's version: what the dashboard shows of a closed month.

    Raises:
        RuleViolation: a snapshot of a layout this version does not know.
    """
    wanted = sorted(set(periods))
    if not wanted:
        return {}
    out: dict[str, tuple[int, MonthTotals]] = {}
    for row in reader_of(db).rows(LATEST, {"periods": wanted}):
        period, version = str(row[1]), int(row[2])
        figures = figures_of(period, version, str(row[5]))
        out[period] = (version, MonthTotals(**figures["month"]))
    return out
