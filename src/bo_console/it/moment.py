"""The moment IT's services see as now: the clock, or the one the demo sets.

No imports beyond the core's clock, so the list services that read through a Reader can ask
for it without loading pydantic.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from bo_console.core.clock import utcnow

_SET_TIMES: list[datetime] = []


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Let IT's services see ``moment`` as now (the demo lays a year of tickets out)."""
    _SET_TIMES.append(moment)
    try:
        yield
    finally:
        _SET_TIMES.pop()


def now() -> datetime:
    """The current time (aware UTC), or the one :func:`clock_at` set."""
    return _SET_TIMES[-1] if _SET_TIMES else utcnow()
