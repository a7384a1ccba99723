"""Dates as clerks type them: ISO dates, ``t`` for today, ``+5``/``-3`` days, ``+1m``/``-1y``."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from bo_console.core.clock import today

_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dwmy]?)$")


def parse_date(text: str, *, base: date | None = None) -> date:
    """Parse a date typed by a person.

    Raises:
        ValueError: with a message that says what is accepted.
    """
    value = text.strip().lower()
    start = base or today()
    if value in ("t", "today"):
        return start
    match = _RELATIVE.match(value)
    if match:
        from dateutil.relativedelta import relativedelta

        sign = 1 if match.group(1) == "+" else -1
        amount = int(match.group(2)) * sign
        unit = match.group(3) or "d"
        if unit == "d":
            return start + timedelta(days=amount)
        if unit == "w":
            return start + timedelta(weeks=amount)
        if unit == "m":
            return start + relativedelta(months=amount)
        return start + relativedelta(years=amount)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date (use YYYY-MM-DD, t for today, +5, -1m, +1y)"
        ) from None


def parse_moment(text: str) -> datetime:
    """A UTC date or date-time from the command line (a date means its midnight)."""
    value = text.strip()
    try:
        day = parse_date(value)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date or time (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
