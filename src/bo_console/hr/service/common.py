"""Helpers every HR service shares: periods, day counts, IBANs, masking, currency, lookups."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import Employee

MASK = "***"
"""What a confidential value shows as to someone without ``hr.confidential``."""

CONFIDENTIAL_FIELDS = ("base_salary", "allowances", "iban", "national_id", "birth_date")
"""Employee fields only ``hr.confidential`` may see; audit rows redact their values."""

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Period:
    """A calendar month, as payroll and leave accrual use it."""

    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, self.days)

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def __str__(self) -> str:
        return self.key


def parse_period(text: str) -> Period:
    """A ``YYYY-MM`` month.

    Raises:
        ValidationFailed: the text is not a month.
    """
    match = _PERIOD.match(text.strip())
    if not match:
        raise ValidationFailed(f"{text!r} is not a month (use YYYY-MM, e.g. 2026-11)")
    return Period(int(match.group(1)), int(match.group(2)))


def overlap_days(a_start: date, a_end: date, b_start: date, b_end: date) -> int:
    """Calendar days that two inclusive date ranges share."""
    first, last = max(a_start, b_start), min(a_end, b_end)
    return max(0, (last - first).days + 1)


# -- days in hundredths -----------------------------------------------------------------------


def parse_days(text: str) -> int:
    """Days as typed (``2.5``) to hundredths of a day.

    Raises:
        ValueError: not a number with at most two decimals.
    """
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number of days") from None
    hundredths = value * 100
    if hundredths != hundredths.to_integral_value() or not value.is_finite():
        raise ValueError(f"{text!r}: days have at most two decimals")
    return int(hundredths)


def format_days(hundredths: int) -> str:
    """Hundredths of a day as text (``250`` -> ``2.5``)."""
    value = Decimal(hundredths) / 100
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def days_text(hundredths: int, noun: str = "day") -> str:
    """A number of days with its noun (``100`` -> ``1 day``, ``250`` -> ``2.5 days``)."""
    return f"{format_days(hundredths)} {noun if hundredths == 100 else noun + 's'}"


# -- money ------------------------------------------------------------------------------------


def currency_of(session: Session) -> tuple[str, int]:
    """The base currency and its minor-unit exponent (amounts go through ``core.money``)."""
    from bo_console.core.money import base_currency

    currency = base_currency(session)
    return currency.code, currency.exponent


# -- lookups ----------------------------------------------------------------------------------


def employee_by_number(session: Session, number: str) -> Employee:
    """The employee with this number.

    Raises:
        NotFound: no such employee.
    """
    from sqlmodel import select

    from bo_console.hr.models import Employee

    key = number.strip().upper()
    employee = session.exec(select(Employee).where(Employee.number == key)).first()
    if employee is None:
        raise NotFound(f"no employee {number!r}")
    return employee


def employee_of_login(session: Session, login: str) -> Employee | None:
    """The employee record linked to a console login, if any."""
    from sqlmodel import select

    from bo_console.hr.models import Employee

    return session.exec(select(Employee).where(Employee.login == login)).first()
