"""An employee's fields as people type them: parsing and the checks that need no database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import (
    FieldError,
    ValidationFailed,
)
from bo_console.core.money import from_minor
from bo_console.core.security import Actor, validate_login
from bo_console.core.text import clean
from bo_console.hr.models import EMPLOYEE_STATUSES
from bo_console.hr.service.common import (
    CONFIDENTIAL_FIELDS,
    currency_of,
    employee_by_number,
    normalise_iban,
    parse_money,
)
from bo_console.hr.service.people.queries import get_employee

if TYPE_CHECKING:
    from sqlmodel import Session


_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NATIONAL_ID = re.compile(r"^[A-Z0-9]{5,20}$")
_PHONE = re.compile(r"^[+0-9][0-9 ()-]{2,39}$")


def _raise_errors(errors: list[FieldError]) -> None:
    if errors:
        first = errors[0]
        raise ValidationFailed(f"{first.field}: {first.message}", errors)


# -- employee input ---------------------------------------------------------------------------


@dataclass
class EmployeeInput:
    """A new employee, as a form, the CLI or an import row gives it (amounts in minor units)."""

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

    def confidential_given(self) -> list[str]:
        """Names of the confidential fields that carry a value."""
        return [name for name in CONFIDENTIAL_FIELDS if getattr(self, name) is not None]


EDITABLE = (
    "name",
    "name_ar",
    "org_unit",
    "position",
    "manager",
    "hire_date",
    "email",
    "phone",
    "login",
    "status",
    *CONFIDENTIAL_FIELDS,
)
"""Fields :func:`update_employee` accepts."""

TEXT_COLUMNS = (
    "number",
    "name",
    "name_ar",
    "org_unit",
    "position",
    "manager",
    "hire_date",
    "status",
    "email",
    "phone",
    "login",
    "base_salary",
    "allowances",
    "iban",
    "national_id",
    "birth_date",
)
"""Columns of the import template and of exports, in order."""


def _years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (later when negative); 29 February becomes 28."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _check_dates(values: Mapping[str, Any], bad: Callable[[str, str], None]) -> None:
    """Plausible dates: hired at most a year from today, aged 15 to 100 at hiring (or today,
    when there is no hire date)."""
    from bo_console.core import clock

    today = clock.today()
    hire, birth = values.get("hire_date"), values.get("birth_date")
    if hire is not None and hire > _years_before(today, -1):
        bad("hire_date", "more than one year from today")
    if birth is None:
        return
    at, when = (hire, "at hiring") if hire is not None else (today, "today")
    if birth > _years_before(at, 15):
        bad("birth_date", f"the employee would be younger than 15 {when}")
    elif birth <= _years_before(at, 101):
        bad("birth_date", f"the employee would be older than 100 {when}")


def _validate_plain(values: Mapping[str, Any]) -> list[FieldError]:
    """Checks that need no database: shapes, lengths, formats."""
    errors: list[FieldError] = []

    def bad(name: str, message: str) -> None:
        errors.append(FieldError(name, message))

    if "name" in values:
        if not values["name"]:
            bad("name", "a Latin-script name is required")
        elif len(values["name"]) > 120:
            bad("name", "longer than 120 characters")
    if len(values.get("name_ar") or "") > 120:
        bad("name_ar", "longer than 120 characters")
    number = values.get("number")
    if number is not None and not _NUMBER.match(number):
        bad("number", "up to 20 letters, digits or '-'")
    email = values.get("email")
    if email and not _EMAIL.match(email):
        bad("email", f"{email!r} is not an e-mail address")
    phone = values.get("phone")
    if phone and not _PHONE.match(phone):
        bad("phone", f"{phone!r} is not a phone number")
    status = values.get("status")
    if status is not None and status not in EMPLOYEE_STATUSES:
        bad("status", f"one of: {', '.join(EMPLOYEE_STATUSES)}")
    if values.get("status") == "terminated":
        bad("status", "terminate an employee with `bo hr employees terminate` (it settles pay)")
    for amount in ("base_salary", "allowances"):
        if values.get(amount) is not None and values[amount] < 0:
            bad(amount, "cannot be negative")
    national_id = values.get("national_id")
    if national_id is not None and not _NATIONAL_ID.match(national_id):
        bad("national_id", "5 to 20 letters or digits")
    _check_dates(values, bad)
    login = values.get("login")
    if login:
        try:
            validate_login(login)
        except ValidationFailed as exc:
            bad("login", exc.message)
    return errors


def parse_fields(
    raw: Mapping[str, str], exponent: int, *, columns: Iterable[str] | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """Turn typed text (CLI options, import cells, form inputs) into typed values.

    Blank cells are left out. Returns the values and the problems, by column.
    """
    from bo_console.core.dates import parse_date

    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    wanted = set(columns) if columns is not None else set(raw)
    for name in wanted:
        text = clean(raw.get(name) or "")
        if not text:
            continue
        try:
            if name in ("hire_date", "birth_date"):
                values[name] = parse_date(text)
            elif name in ("base_salary", "allowances"):
                values[name] = parse_money(text, exponent)
            elif name == "iban":
                values[name] = normalise_iban(text)
            elif name in ("number", "org_unit", "position", "manager", "national_id"):
                values[name] = text.upper().replace(" ", "")
            elif name == "status":
                values[name] = text.lower().replace(" ", "_").replace("-", "_")
            elif name == "login":
                values[name] = text.lower()
            else:
                values[name] = text
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
    return values, errors


def input_from_values(values: Mapping[str, Any]) -> EmployeeInput:
    """Build an :class:`EmployeeInput` from parsed values (the required ones must be there)."""
    known = {f.name for f in fields(EmployeeInput)}
    return EmployeeInput(**{k: v for k, v in values.items() if k in known})


# -- forms ------------------------------------------------------------------------------------

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
}
"""What an optional field becomes when a form or the CLI leaves it blank."""


def check_field(name: str, text: str, exponent: int) -> str | None:
    """What is wrong with ``text`` typed into the employee field ``name`` (None: nothing the
    field alone can tell). Forms call it as the person types."""
    values, errors = parse_fields({name: text}, exponent, columns=[name])
    errors += _validate_plain(values)
    return next((e.message for e in errors if e.field == name), None)


def input_from_form(raw: Mapping[str, str], exponent: int) -> EmployeeInput:
    """A new employee from a form's text (blank fields left out).

    Raises:
        ValidationFailed: a field is wrong or a required one is blank; ``errors`` names each.
    """
    values, errors = parse_fields(raw, exponent)
    errors += _validate_plain(values)
    for required in ("name", "org_unit", "hire_date"):
        if required not in values and not any(e.field == required for e in errors):
            errors.append(FieldError(required, "required"))
    _raise_errors(errors)
    return input_from_values(values)


def form_values(session: Session, actor: Actor, number: str) -> tuple[dict[str, str], bool]:
    """An employee's editable fields as a form shows them (codes, ISO dates, amounts), and
    whether the confidential ones are among them: only for ``hr.confidential``, and then the
    read is audited as a view, as :func:`get_employee` does."""
    from bo_console.hr.models import Position

    row = get_employee(session, actor, number)
    employee = employee_by_number(session, number)
    pos = session.get(Position, employee.position_id) if employee.position_id else None
    values: dict[str, str] = {
        "name": row.name,
        "name_ar": row.name_ar,
        "org_unit": row.org_unit,
        "position": pos.code if pos else "",
        "manager": row.manager or "",
        "hire_date": row.hire_date.isoformat(),
        "email": row.email,
        "phone": row.phone,
        "login": row.login or "",
        "status": row.status,
    }
    if row.revealed:
        _, exponent = currency_of(session)
        values["base_salary"] = str(from_minor(row.base_salary or 0, exponent))
        values["allowances"] = str(from_minor(row.allowances or 0, exponent))
        values["iban"] = row.iban or ""
        values["national_id"] = row.national_id or ""
        values["birth_date"] = row.birth_date.isoformat() if row.birth_date else ""
    return values, row.revealed


def changes_from_form(
    before: Mapping[str, str], after: Mapping[str, str], exponent: int
) -> dict[str, Any]:
    """The typed changes between a form's first and last text, for :func:`update_employee`:
    only fields whose text changed; a blank optional field clears it.

    Raises:
        ValidationFailed: a changed field is wrong, or a required one was blanked.
    """
    changed = {k: v.strip() for k, v in after.items() if v.strip() != before.get(k, "").strip()}
    cleared = {k: CLEARED[k] for k, v in changed.items() if not v and k in CLEARED}
    errors = [FieldError(k, "required") for k, v in changed.items() if not v and k not in CLEARED]
    values, parse_errors = parse_fields(
        {k: v for k, v in changed.items() if v},
        exponent,
        columns=[k for k, v in changed.items() if v],
    )
    errors += parse_errors + _validate_plain(values)
    _raise_errors(errors)
    return {**values, **cleared}
