"""Time, in one place so tests can pin it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Now, as an aware UTC datetime (the store keeps times in UTC)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's local date (what a clerk means by "today")."""
    return date.today()
