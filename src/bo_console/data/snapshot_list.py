"""The stored month-end snapshots as listed, as SQL text over a Reader or a session.

``bo data snapshot list`` reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bo_console.core.errors import ValidationFailed
from bo_console.core.reading import reader_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

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
