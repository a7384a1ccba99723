"""The company's working calendar for SLA clocks: working days, daily hours, public holidays
and the time zone they are in.

Set with ``bo it sla calendar`` (settings ``it.calendar.days``, ``it.calendar.hours``,
``it.calendar.timezone``; holidays in ``it_holiday``). The default is the Saudi work week,
Sunday to Thursday, 08:00-16:00 Asia/Riyadh. Times given and returned are aware UTC
(naive ones are taken as UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from bo_console.core.reading import Reads

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_DAYS = "sun,mon,tue,wed,thu"
DEFAULT_HOURS = "08:00-16:00"
DEFAULT_TIMEZONE = "Asia/Riyadh"
_UTC = ZoneInfo("UTC")


def parse_days(text: str) -> frozenset[int]:
    """``sun,mon,tue`` as Python weekday numbers (Monday 0)."""
    days = set()
    for part in text.replace(" ", "").lower().split(","):
        if part[:3] not in DAY_NAMES:
            raise ValidationFailed(f"unknown day {part!r}; days are {', '.join(DAY_NAMES)}")
        days.add(DAY_NAMES.index(part[:3]))
    if not days:
        raise ValidationFailed("the work week needs at least one day")
    return frozenset(days)


def parse_hours(text: str) -> tuple[time, time]:
    """``08:00-16:00`` as (start, end) of the working day."""
    try:
        start_text, end_text = text.replace(" ", "").split("-")
        start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    except ValueError:
        raise ValidationFailed(f"hours must look like 08:00-16:00, not {text!r}") from None
    if end <= start:
        raise ValidationFailed("the working day must end after it starts")
    return start, end


def parse_zone(text: str) -> ZoneInfo:
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(f"unknown time zone {text!r}") from None


@dataclass(frozen=True)
class WorkCalendar:
    """Working days (weekday numbers), the working day's hours, holidays and the zone."""

    days: frozenset[int] = field(default_factory=lambda: parse_days(DEFAULT_DAYS))
    start: time = time(8, 0)
    end: time = time(16, 0)
    holidays: frozenset[date] = frozenset()
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_UTC)
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def _utc(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.zone).astimezone(_UTC)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def _window(self, day: date) -> tuple[datetime, datetime]:
        return datetime.combine(day, self.start), datetime.combine(day, self.end)

    def add(self, moment: datetime, minutes: int) -> datetime:
        """The UTC time ``minutes`` working minutes after ``moment`` (UTC)."""
        local = self._local(moment)
        remaining = timedelta(minutes=minutes)
        day = local.date()
        for _ in range(3660):  # ten years of days: a calendar with no working day stops here
            if self.is_working_day(day):
                opens, closes = self._window(day)
                begin = max(local, opens)
                if begin < closes:
                    if begin + remaining <= closes:
                        return self._utc(begin + remaining)
                    remaining -= closes - begin
            day += timedelta(days=1)
            local = datetime.combine(day, time(0))
        raise ValidationFailed("the working calendar has no working hours")

    def between(self, first: datetime, second: datetime) -> int:
        """Working minutes from ``first`` to ``second`` (UTC); negative when second is earlier."""
        if second < first:
            return -self.between(second, first)
        a, b = self._local(first), self._local(second)
        total = timedelta()
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                opens, closes = self._window(day)
                lo, hi = max(a, opens), min(b, closes)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return int(total.total_seconds() // 60)


def load(db: Reads) -> WorkCalendar:
    """The calendar in force in this database (through a Reader or a session)."""
    from bo_console.core.lookups import day_of, setting_of
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    days = parse_days(setting_of(reader, "it.calendar.days") or DEFAULT_DAYS)
    start, end = parse_hours(setting_of(reader, "it.calendar.hours") or DEFAULT_HOURS)
    zone = parse_zone(setting_of(reader, "it.calendar.timezone") or DEFAULT_TIMEZONE)
    days_off = (day_of(d) for (d,) in reader.rows("SELECT day FROM it_holiday"))
    holidays = frozenset(d for d in days_off if d is not None)
    return WorkCalendar(days=days, start=start, end=end, holidays=holidays, zone=zone)
