"""Pydantic's refusals in plain words, for every face of finance.

The finance models are pydantic models; what they refuse reaches people through the services,
the CLI and the Finance screen. Pydantic's own wording (``Input should be greater than or equal
to 0``, ``Value error, ...``, ``lines.1.debit``) is not for them: :func:`plain_errors` turns each
problem into a :class:`FieldError` named the way the forms and options name it (``line 2
debit``) with a message such as ``the debit cannot be negative``, and :func:`invalid` makes the
one-line :class:`ValidationFailed` the services raise. No UI imports here; pydantic is only
needed for the type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bo_console.core.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

# Model field names as the forms, options and columns call them.
_LABELS = {
    "name_ar": "Arabic name",
    "contact_name": "contact",
    "payment_terms": "payment terms",
    "parent_id": "parent account",
    "party_id": "party",
    "due_date": "due date",
    "unit_price": "unit price",
    "tax_code": "tax code",
    "tax_number": "tax number",
    "cost_centre": "cost centre",
    "source_ref": "source reference",
    "is_customer": "customer",
    "is_supplier": "supplier",
}

# Above this a "less than or equal" limit is a guard against overflow, not a rule to quote.
_QUOTED_LIMIT = 100_000


def label(name: str) -> str:
    """``unit_price`` as ``unit price``; ``name_ar`` as ``Arabic name``."""
    return _LABELS.get(name, name.replace("_", " "))


def _place(loc: Sequence[int | str]) -> tuple[str, str]:
    """(``line 2``, ``debit``) for ``("lines", 1, "debit")``; ("", ``name``) for ``("name",)``.

    A line's own problem (``("lines", 1)``) has no field: (``line 2``, "").
    """
    where = ""
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "lines" and isinstance(parts[1], int):
        where = f"line {parts[1] + 1}"
        parts = parts[2:]
    field = label(str(parts[-1])) if parts else ""
    return where, field


def plain_message(error: ErrorDetails) -> str:
    """One pydantic problem in plain words: ``the debit cannot be negative``, ``the name cannot
    be empty``; a validator's own message as it is."""
    _, name = _place(error["loc"])
    kind = str(error["type"])
    limits: dict[str, Any] = dict(error.get("ctx") or {})
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in ("value_error", "assertion_error") or not name:
        return message
    the = f"the {name}"
    if kind == "missing":
        return f"{the} is missing"
    if kind == "string_too_short":
        least = limits.get("min_length", 1)
        return f"{the} cannot be empty" if least <= 1 else f"{the} needs {least} characters"
    if kind == "string_too_long":
        return f"{the} is too long (at most {limits.get('max_length')} characters)"
    if kind == "too_short":
        return f"give at least {limits.get('min_length', 1)} {name}"
    if kind == "too_long":
        return f"too many {name} (at most {limits.get('max_length')})"
    if kind == "greater_than_equal":
        least = limits.get("ge", 0)
        return f"{the} cannot be negative" if least == 0 else f"{the} is at least {least}"
    if kind == "greater_than":
        above = limits.get("gt", 0)
        return f"{the} must be more than {'zero' if above == 0 else above}"
    if kind in ("less_than_equal", "less_than"):
        most = limits.get("le", limits.get("lt"))
        if isinstance(most, int) and most < _QUOTED_LIMIT:
            return f"{the} cannot be more than {most if kind == 'less_than_equal' else most - 1}"
        return f"{the} is too large"
    if kind.startswith(("int_", "float_", "decimal_")):
        return f"{the} must be a number"
    if kind.startswith("bool_"):
        return f"{the} must be yes or no"
    if kind.startswith(("date_", "datetime_")):
        return f"{the} must be a date (YYYY-MM-DD)"
    return f"{the} is not valid"


def plain_errors(
    exc: ValidationError, where: str = "", fallback: str = "input"
) -> list[FieldError]:
    """Every problem of ``exc`` as a :class:`FieldError`: field ``line 2 debit`` (``where``, or
    the line the location names, then the field), message in plain words."""
    out = []
    for error in exc.errors():
        line, field = _place(error["loc"])
        place = " ".join(p for p in (where or line, field) if p)
        out.append(FieldError(place or fallback, plain_message(error)))
    return out


def field_problem(exc: ValidationError) -> tuple[str, str]:
    """The field (``debit``, ``line 2 debit``) and the plain message of the first problem."""
    first = plain_errors(exc, fallback="")[0]
    return first.field, first.message


def headline(exc: ValidationError, where: str = "") -> str:
    """The first problem as one line: ``line 2: the debit cannot be negative``."""
    error = exc.errors()[0]
    where = where or _place(error["loc"])[0]
    message = plain_message(error)
    return f"{where}: {message}" if where else message


def invalid(
    exc: ValidationError, where: str = "", *, fallback: str = "input", every: bool = True
) -> ValidationFailed:
    """``exc`` as our refusal: its first problem in plain words (``where``, such as ``line 2``,
    before it) as the one-line message; each problem (or only the first) in ``errors``."""
    errors = plain_errors(exc, where, fallback)
    return ValidationFailed(headline(exc, where), errors if every else errors[:1])
