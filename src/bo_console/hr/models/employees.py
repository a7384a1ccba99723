"""Employees as people give them: :class:`EmployeeCreate` and :class:`EmployeeUpdate`.

Every rule a field alone can be checked by lives here, once, for the CLI, the HR screen, the
import and other services: codes and IBANs are normalised, amounts typed as text are read in
the base currency (its exponent is the validation context's ``exponent``), dates may be typed
as ``t``, ``+5`` or ISO, and implausible dates are refused. The service adds what needs the
store (unknown org units, taken numbers and logins, manager loops).

What a model refuses becomes one :class:`~bo_console.core.errors.ValidationFailed` naming
every field (:func:`refusal`); :func:`employee_create`, :func:`employee_update` and
:func:`form_changes` build the models from typed text and raise it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError, ValidationInfo, field_validator
from sqlmodel import SQLModel

from bo_console.core.errors import FieldError, ValidationFailed
from bo_console.hr.models import EMPLOYEE_STATUSES
from bo_console.hr.models.values import normalise_iban, parse_money

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

CONFIDENTIAL_FIELDS = ("base_salary", "allowances", "iban", "national_id", "birth_date")
"""Employee fields only ``hr.confidential`` may see or set; audit rows redact their values."""

CLEARED: dict[str, Any] = {
    "name_ar": "",
    "email": "",
    "phone": "",
    "position": None,
    "manager": None,
    "login": None,
    "base_salary": None,
    "allowances": None,
    "iban": None,
    "national_id": None,
    "birth_date": None,
    "si_joined_on": None,
    "contract_ends_on": None,
    "salary_from": None,
}
"""What an optional field becomes when it is left blank in a change."""

REQUIRED = ("name", "org_unit", "hire_date")

_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NATIONAL_ID = re.compile(r"^[A-Z0-9]{5,20}$")
_PHONE = re.compile(r"^[+0-9][0-9 ()-]{2,39}$")

_CODES = ("number", "org_unit", "position", "manager", "national_id")
_TEXTS = (
    "name",
    "name_ar",
    "email",
    "phone",
    "status",
    "login",
    "iban",
    "nationality",
    *_CODES,
)


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (later when negative); 29 February becomes 28."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_date_problem(birth: date, at: date, when: str) -> str | None:
    """Why ``birth`` is implausible for someone hired (or measured) on ``at``, if it is."""
    if birth > years_before(at, 15):
        return f"the employee would be younger than 15 {when}"
    if birth <= years_before(at, 101):
        return f"the employee would be older than 100 {when}"
    return None


def _context(info: ValidationInfo) -> Mapping[str, Any]:
    return info.context if isinstance(info.context, Mapping) else {}


class _EmployeeRules(SQLModel):
    """The field rules :class:`EmployeeCreate` and :class:`EmployeeUpdate` share."""

    model_config = {"extra": "forbid"}

    @field_validator(*_TEXTS, mode="before", check_fields=False)
    @classmethod
    def _clean_text(cls, value: object, info: ValidationInfo) -> object:
        from bo_console.core.text import clean

        if not isinstance(value, str):
            return value
        text = clean(value)
        name = info.field_name
        if name in _CODES:
            return text.upper().replace(" ", "")
        if name in ("status", "nationality"):
            return text.lower().replace(" ", "_").replace("-", "_") or None
        if name == "login":
            return text.lower() or None
        if name == "iban":
            return normalise_iban(text) if text else None
        return text

    @field_validator("base_salary", "allowances", mode="before", check_fields=False)
    @classmethod
    def _money(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            text = value.strip()
            return parse_money(text, int(_context(info).get("exponent", 2))) if text else None
        return value

    @field_validator("nationality", check_fields=False)
    @classmethod
    def _nationality(cls, value: str | None) -> str | None:
        from bo_console.hr.models import NATIONALITIES

        if value is not None and value not in NATIONALITIES:
            raise ValueError(f"one of: {', '.join(NATIONALITIES)}")
        return value

    @field_validator(
        "hire_date",
        "birth_date",
        "si_joined_on",
        "contract_ends_on",
        "salary_from",
        mode="before",
        check_fields=False,
    )
    @classmethod
    def _day(cls, value: object) -> object:
        from bo_console.core.dates import parse_date

        if isinstance(value, str):
            return parse_date(value) if value.strip() else None
        return value

    @field_validator("name", check_fields=False)
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not value:
            raise ValueError("a Latin-script name is required")
        if value is not None and len(value) > 120:
            raise ValueError("longer than 120 characters")
        return value

    @field_validator("name_ar", check_fields=False)
    @classmethod
    def _name_ar(cls, value: str | None) -> str | None:
        if value is not None and len(value) > 120:
            raise ValueError("longer than 120 characters")
        return value

    @field_validator("number", check_fields=False)
    @classmethod
    def _number(cls, value: str | None) -> str | None:
        if value and not _NUMBER.match(value):
            raise ValueError("up to 20 letters, digits or '-'")
        return value or None

    @field_validator("email", check_fields=False)
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value

    @field_validator("phone", check_fields=False)
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value and not _PHONE.match(value):
            raise ValueError(f"{value!r} is not a phone number")
        return value

    @field_validator("status", check_fields=False)
    @classmethod
    def _status(cls, value: str | None) -> str | None:
        if value is not None and value not in EMPLOYEE_STATUSES:
            raise ValueError(f"one of: {', '.join(EMPLOYEE_STATUSES)}")
        if value == "terminated":
            raise ValueError(
                "terminate an employee with `bo hr employees terminate` (it settles pay)"
            )
        return value

    @field_validator("base_salary", "allowances", check_fields=False)
    @classmethod
    def _amount(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError("cannot be negative")
        return value

    @field_validator("national_id", check_fields=False)
    @classmethod
    def _national_id(cls, value: str | None) -> str | None:
        if value is not None and not _NATIONAL_ID.match(value):
            raise ValueError("5 to 20 letters or digits")
        return value

    @field_validator("login", check_fields=False)
    @classmethod
    def _login(cls, value: str | None) -> str | None:
        from bo_console.core.security import validate_login

        if value:
            try:
                validate_login(value)
            except ValidationFailed as exc:
                raise ValueError(exc.message) from None
        return value or None

    @field_validator("hire_date", check_fields=False)
    @classmethod
    def _hired(cls, value: date | None) -> date | None:
        from bo_console.core import clock

        if value is not None and value > years_before(clock.today(), -1):
            raise ValueError("more than one year from today")
        return value

    @field_validator("birth_date", check_fields=False)
    @classmethod
    def _born(cls, value: date | None, info: ValidationInfo) -> date | None:
        from bo_console.core import clock

        if value is None:
            return value
        context = _context(info)
        hired = info.data.get("hire_date") or context.get("hired")
        if hired is not None:
            at, when = hired, "at hiring"
        elif issubclass(cls, EmployeeCreate) or context.get("today"):
            at, when = clock.today(), "today"
        else:
            return value  # a change alone: the service measures it at the hire date on file
        problem = birth_date_problem(value, at, when)
        if problem:
            raise ValueError(problem)
        return value

    def confidential_given(self) -> list[str]:
        """Names of the confidential fields that carry a value."""
        return [n for n in CONFIDENTIAL_FIELDS if getattr(self, n, None) is not None]


class EmployeeCreate(_EmployeeRules):
    """A new employee, as a form, the CLI, an import row or a hire gives it (amounts in minor
    units; codes for the org unit, position and manager)."""

    name: str
    org_unit: str
    hire_date: date
    name_ar: str = ""
    number: str | None = None
    position: str | None = None
    manager: str | None = None
    email: str = ""
    phone: str = ""
    login: str | None = None
    status: str = "active"
    base_salary: int | None = None
    allowances: int | None = None
    iban: str | None = None
    national_id: str | None = None
    birth_date: date | None = None
    nationality: str | None = None
    """``saudi``, ``gcc`` or ``other``; left out, a national ID starting with 1 (the Saudi
    citizen prefix) means ``saudi`` and any other ``other``."""
    si_joined_on: date | None = None
    contract_ends_on: date | None = None
    """The last day of a fixed-term contract; None: indefinite (art. 77 differs)."""

    def resolved_nationality(self) -> str:
        """The nationality given, else the one the national ID shows."""
        if self.nationality:
            return self.nationality
        return "saudi" if (self.national_id or "").startswith("1") else "other"


class EmployeeUpdate(_EmployeeRules):
    """Changes to an employee: only the fields given (``model_fields_set``) change; ``None``
    clears an optional one. Also the terms of a hire beyond the candidate's own details."""

    name: str | None = None
    org_unit: str | None = None
    hire_date: date | None = None
    name_ar: str | None = None
    position: str | None = None
    manager: str | None = None
    email: str | None = None
    phone: str | None = None
    login: str | None = None
    status: str | None = None
    base_salary: int | None = None
    allowances: int | None = None
    iban: str | None = None
    national_id: str | None = None
    birth_date: date | None = None
    nationality: str | None = None
    si_joined_on: date | None = None
    contract_ends_on: date | None = None
    salary_from: date | None = None
    """When a salary change takes effect (default: today)."""

    @field_validator("name", "org_unit", "hire_date", "status", "nationality")
    @classmethod
    def _kept(cls, value: object) -> object:
        if value is None:
            raise ValueError("required")
        return value

    def confidential_given(self) -> list[str]:
        """Names of the confidential fields given (a value, or ``None`` to clear it)."""
        return [n for n in CONFIDENTIAL_FIELDS if n in self.model_fields_set]

    def changes(self) -> dict[str, Any]:
        """The given fields with their new values (a cleared text field becomes "")."""
        out = self.model_dump(exclude_unset=True)
        return {k: CLEARED.get(k) if v is None and k in CLEARED else v for k, v in out.items()}


class HireTerms(EmployeeUpdate):
    """What a hire gives beyond the candidate's own details and the opening's unit and
    position (salary, IBAN, manager, login...); the employee number too, if not the next."""

    number: str | None = None


_U = TypeVar("_U", bound=EmployeeUpdate)


# -- from typed text -----------------------------------------------------------------------


def _message(error: ErrorDetails) -> str:
    if error["type"] == "missing":
        return "required"
    if error["type"] == "extra_forbidden":
        return "not an employee field"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"].startswith("date"):
        return "not a date (YYYY-MM-DD, t, +5, -1m)"
    return message


def field_errors(exc: ValidationError, hints: Mapping[str, str] | None = None) -> list[FieldError]:
    """Each problem of ``exc`` as (field, plain message); ``hints`` adds where a missing field
    is given (``required (--name)``)."""
    out = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "employee"
        message = _message(error)
        if message == "required" and hints and name in hints:
            message = f"required ({hints[name]})"
        out.append(FieldError(name, message))
    return out


def refusal(errors: list[FieldError]) -> ValidationFailed:
    """One refusal naming every field: ``name: required`` as its line."""
    first = errors[0]
    return ValidationFailed(f"{first.field}: {first.message}", errors)


def employee_create(
    values: Mapping[str, object], *, exponent: int = 2, hints: Mapping[str, str] | None = None
) -> EmployeeCreate:
    """A new employee from typed text or values (blank ones left out).

    Raises:
        ValidationFailed: a field is wrong or a required one is missing; ``errors`` names each.
    """
    given = {k: v for k, v in values.items() if not (isinstance(v, str) and not v.strip())}
    try:
        return EmployeeCreate.model_validate(given, context={"exponent": exponent})
    except ValidationError as exc:
        raise refusal(field_errors(exc, hints)) from None


def employee_update(
    values: Mapping[str, object], *, exponent: int = 2, hired: date | None = None
) -> EmployeeUpdate:
    """Changes from typed text or values; a blank optional field clears it, a blank required
    one is refused. ``hired`` is the hire date on file (ages are measured at hiring).

    Raises:
        ValidationFailed: a field is wrong; ``errors`` names each.
    """
    return _validated(EmployeeUpdate, values, exponent, hired)


def hire_terms(values: Mapping[str, object], *, exponent: int = 2) -> HireTerms:
    """The terms of a hire from typed text or values (blank ones left out).

    Raises:
        ValidationFailed: a field is wrong; ``errors`` names each.
    """
    given = {k: v for k, v in values.items() if not (isinstance(v, str) and not v.strip())}
    return _validated(HireTerms, given, exponent, None)


def _validated(
    model: type[_U], values: Mapping[str, object], exponent: int, hired: date | None
) -> _U:
    blank = {k for k, v in values.items() if isinstance(v, str) and not v.strip()}
    errors = [FieldError(k, "required") for k in values if k in blank and k not in CLEARED]
    given = {
        k: (CLEARED[k] if k in blank else v)
        for k, v in values.items()
        if not (k in blank and k not in CLEARED)
    }
    try:
        update = model.model_validate(given, context={"exponent": exponent, "hired": hired})
    except ValidationError as exc:
        errors += field_errors(exc)
        raise refusal(errors) from None
    if errors:
        raise refusal(errors)
    return update


def form_changes(
    before: Mapping[str, str], after: Mapping[str, str], *, exponent: int = 2
) -> EmployeeUpdate:
    """The changes between a form's first and last text: only fields whose text changed.

    Raises:
        ValidationFailed: a changed field is wrong, or a required one was blanked.
    """
    changed = {k: v.strip() for k, v in after.items() if v.strip() != before.get(k, "").strip()}
    return employee_update(changed, exponent=exponent)


def field_problem(name: str, text: str, exponent: int = 2) -> str | None:
    """What is wrong with ``text`` typed into the employee field ``name`` (None: nothing the
    field alone can tell). Forms call it as the person types."""
    if not text.strip():
        return None
    try:
        EmployeeUpdate.model_validate({name: text}, context={"exponent": exponent, "today": True})
    except ValidationError as exc:
        return next((e.message for e in field_errors(exc) if e.field == name), None)
    return None
