"""Forms: the modal form screen and the field checks and conversions forms share.

:class:`FormScreen` and :class:`FormField` (from ``ui.widgets.form``) ask; the helpers here turn a
field's text into a value or into an error shown beside that field (a
:class:`~bo_console.core.errors.ValidationFailed` naming it), so a form's ``on_submit`` reads::

    def submit(values: dict[str, str]) -> VoidRequest:
        return VoidRequest(day_or_error(values["date"]), values["reason"])
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import FieldError, ValidationFailed
from bo_console.ui.widgets.form import Check, FormField, FormScreen, date_check, one_of

if TYPE_CHECKING:
    from bo_console.core.money import Currency

__all__ = [
    "Check",
    "FormField",
    "FormScreen",
    "amount_check",
    "amount_or_error",
    "date_check",
    "day_or_error",
    "field_error",
    "one_of",
    "whole_number",
]


def field_error(name: str, message: str) -> ValidationFailed:
    """A refusal the form shows beside field ``name``."""
    return ValidationFailed("", [FieldError(name, message)])


def day_or_error(text: str, name: str = "date") -> date:
    """A date from a form field (t, +5, -1m, ISO), or an error shown beside the field."""
    from bo_console.core.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise field_error(name, str(exc)) from None


def amount_or_error(currency: Currency, text: str, name: str) -> int:
    """A positive amount in minor units, or an error shown beside field ``name``."""
    try:
        value = currency.parse(text)
    except ValueError as exc:
        raise field_error(name, str(exc)) from None
    if value <= 0:
        raise field_error(name, "give an amount above zero")
    return value


def amount_check(currency: Currency) -> Check:
    """A check as you type for a positive amount in ``currency``."""

    def check(text: str) -> str | None:
        try:
            value = currency.parse(text)
        except ValueError as exc:
            return str(exc)
        return None if value > 0 else "give an amount above zero"

    return check


def whole_number(what: str, *, low: int = 0, high: int = 100_000) -> Callable[[str], str | None]:
    """A check as you type for a whole number between ``low`` and ``high``."""

    def check(text: str) -> str | None:
        try:
            value = int(text.strip())
        except ValueError:
            return f"{what} is a whole number"
        return None if low <= value <= high else f"{what} is {low} to {high}"

    return check
