"""Org units, positions and employees: the service behind ``bo hr employees`` and the HR screen.

Confidential fields are read from ``hr_employee_private`` only when the caller asks to reveal
them and holds ``hr.confidential``; each reveal writes an audit row naming whose records were
seen (never the values). Everyone else gets :data:`~bo_console.hr.common.MASK` in their place,
cannot sort or filter by them, and a text search never looks at them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import (
    FieldError,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.money import from_minor
from bo_console.core.security import Actor, validate_login
from bo_console.core.text import clean, fold
from bo_console.hr.common import (
    CONFIDENTIAL_FIELDS,
    MASK,
    currency_of,
    employee_by_number,
    normalise_iban,
    parse_money,
)
from bo_console.hr.models import EMPLOYEE_STATUSES

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement, Select
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.paging import QuerySource
    from bo_console.hr.models import Employee, EmployeePrivate, OrgUnit, Position

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")
_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NATIONAL_ID = re.compile(r"^[A-Z0-9]{5,20}$")
_PHONE = re.compile(r"^[+0-9][0-9 ()-]{2,39}$")


def _code(value: str, what: str) -> str:
    code = clean(value).upper()
    if not _CODE.match(code):
        raise ValidationFailed(
            f"invalid {what} code {value!r}: up to 16 letters, digits, '-' or '_'"
        )
    return code


def _name(value: str, what: str, *, required: bool = True) -> str:
    text = clean(value)
    if required and not text:
        raise ValidationFailed(f"{what} is required")
    if len(text) > 120:
        raise ValidationFailed(f"{what} is longer than 120 characters")
    return text


# -- org units and positions ------------------------------------------------------------------


def add_org_unit(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    name_ar: str = "",
    parent: str | None = None,
) -> OrgUnit:
    """Create an org unit (department); its code is the cost centre payroll posts to."""
    from sqlmodel import select

    from bo_console.hr.models import OrgUnit

    actor.require("hr.manage", "create org units")
    unit_code = _code(code, "org unit")
    if session.exec(select(OrgUnit).where(OrgUnit.code == unit_code)).first() is not None:
        raise RuleViolation(f"org unit {unit_code} already exists")
    parent_id = org_unit(session, parent).id if parent else None
    unit = OrgUnit(
        code=unit_code,
        name=_name(name, "name"),
        name_ar=_name(name_ar, "Arabic name", required=False),
        parent_id=parent_id,
    )
    session.add(unit)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="org_unit",
        entity_id=unit_code,
        changes={
            "name": (None, unit.name),
            "name_ar": (None, unit.name_ar),
            "parent": (None, parent),
        },
    )
    return unit


def org_unit(session: Session, code: str) -> OrgUnit:
    """The org unit with this code.

    Raises:
        NotFound: there is none.
    """
    from sqlmodel import select

    from bo_console.hr.models import OrgUnit

    unit = session.exec(select(OrgUnit).where(OrgUnit.code == code.strip().upper())).first()
    if unit is None:
        raise NotFound(f"no org unit {code!r} (see `bo hr units list`)")
    return unit


def list_org_units(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Every org unit with its head count (active and on leave)."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, OrgUnit

    actor.require("hr.read", "list org units")
    counts = dict(
        session.exec(
            select(Employee.org_unit_id, func.count())
            .where(col(Employee.status) != "terminated")
            .group_by(col(Employee.org_unit_id))
        ).all()
    )
    units = session.exec(select(OrgUnit).order_by(col(OrgUnit.code))).all()
    by_id = {u.id: u.code for u in units}
    return [
        {
            "code": u.code,
            "name": u.name,
            "name_ar": u.name_ar,
            "parent": by_id.get(u.parent_id) if u.parent_id else "",
            "headcount": counts.get(u.id or 0, 0),
            "active": u.active,
        }
        for u in units
    ]


def add_position(
    session: Session,
    actor: Actor,
    *,
    code: str,
    title: str,
    title_ar: str = "",
    unit: str | None = None,
) -> Position:
    """Create a position (job title)."""
    from sqlmodel import select

    from bo_console.hr.models import Position

    actor.require("hr.manage", "create positions")
    pos_code = _code(code, "position")
    if session.exec(select(Position).where(Position.code == pos_code)).first() is not None:
        raise RuleViolation(f"position {pos_code} already exists")
    position_row = Position(
        code=pos_code,
        title=_name(title, "title"),
        title_ar=_name(title_ar, "Arabic title", required=False),
        org_unit_id=org_unit(session, unit).id if unit else None,
    )
    session.add(position_row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="position",
        entity_id=pos_code,
        changes={"title": (None, position_row.title), "unit": (None, unit)},
    )
    return position_row


def position(session: Session, code: str) -> Position:
    """The position with this code.

    Raises:
        NotFound: there is none.
    """
    from sqlmodel import select

    from bo_console.hr.models import Position

    row = session.exec(select(Position).where(Position.code == code.strip().upper())).first()
    if row is None:
        raise NotFound(f"no position {code!r} (see `bo hr positions list`)")
    return row


def list_positions(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Every position."""
    from sqlmodel import col, select

    from bo_console.hr.models import OrgUnit, Position

    actor.require("hr.read", "list positions")
    units = {u.id: u.code for u in session.exec(select(OrgUnit)).all()}
    return [
        {
            "code": p.code,
            "title": p.title,
            "title_ar": p.title_ar,
            "unit": units.get(p.org_unit_id, "") if p.org_unit_id else "",
            "active": p.active,
        }
        for p in session.exec(select(Position).order_by(col(Position.code))).all()
    ]


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


# -- creating and changing employees ----------------------------------------------------------


def _next_number(session: Session) -> str:
    from sqlalchemy import func
    from sqlmodel import select

    from bo_console.hr.models import Employee

    last = session.exec(select(func.max(Employee.id))).one() or 0
    candidate = int(last) + 1
    while True:
        number = f"E{candidate:05d}"
        if session.exec(select(Employee.id).where(Employee.number == number)).first() is None:
            return number
        candidate += 1


def _search_text(employee: Employee) -> str:
    parts = [employee.number, employee.name, employee.name_ar, employee.email, employee.phone]
    return fold(" ".join(p for p in parts if p))


def _refresh_keys(employee: Employee) -> None:
    employee.sort_name = fold(employee.name)[:120]
    employee.sort_name_ar = fold(employee.name_ar)[:120]
    employee.search_text = _search_text(employee)


def _check_login_free(session: Session, login: str, employee_id: int | None) -> None:
    from sqlmodel import select

    from bo_console.hr.models import Employee

    other = session.exec(select(Employee).where(Employee.login == login)).first()
    if other is not None and other.id != employee_id:
        raise ValidationFailed(
            f"login {login!r} already belongs to employee {other.number}",
            [FieldError("login", f"already belongs to employee {other.number}")],
        )


def _raise_errors(errors: list[FieldError]) -> None:
    if errors:
        first = errors[0]
        raise ValidationFailed(f"{first.field}: {first.message}", errors)


def create_employee(
    session: Session, actor: Actor, data: EmployeeInput, *, notify_it: bool = True
) -> Employee:
    """Add an employee (and their confidential record), audited with values redacted.

    A new hire (hired within the last 30 days, or later) gets an IT onboarding work item
    unless ``notify_it`` is False (hiring a candidate sends its own).

    Raises:
        PermissionDenied: without ``hr.write``, or confidential values without ``hr.confidential``.
        ValidationFailed: a field is wrong; ``errors`` names each one.
    """
    from sqlmodel import select

    from bo_console.hr.models import Employee, EmployeePrivate

    actor.require("hr.write", "add employees")
    if data.confidential_given():
        actor.require("hr.confidential", "set salaries, IBANs, national IDs or birth dates")
    data = replace(data, name=clean(data.name), name_ar=clean(data.name_ar))
    values = {f.name: getattr(data, f.name) for f in fields(EmployeeInput)}
    errors = _validate_plain(values)
    _raise_errors(errors)
    number = data.number or _next_number(session)
    if session.exec(select(Employee.id).where(Employee.number == number)).first() is not None:
        raise ValidationFailed(
            f"employee number {number} is taken", [FieldError("number", "already taken")]
        )
    unit = org_unit(session, data.org_unit)
    if not unit.active:
        raise ValidationFailed(f"org unit {unit.code} is inactive")
    position_id = position(session, data.position).id if data.position else None
    manager_id = employee_by_number(session, data.manager).id if data.manager else None
    if data.login:
        _check_login_free(session, data.login, None)
    employee = Employee(
        number=number,
        name=data.name,
        name_ar=data.name_ar,
        sort_name="",
        search_text="",
        org_unit_id=unit.id or 0,
        position_id=position_id,
        manager_id=manager_id,
        hire_date=data.hire_date,
        status=data.status,
        email=data.email,
        phone=data.phone,
        login=data.login or None,
    )
    _refresh_keys(employee)
    session.add(employee)
    session.flush()
    assert employee.id is not None
    private = EmployeePrivate(
        employee_id=employee.id,
        base_salary=data.base_salary or 0,
        allowances=data.allowances or 0,
        iban=data.iban,
        national_id=data.national_id,
        birth_date=data.birth_date,
    )
    session.add(private)
    session.flush()
    changes: dict[str, tuple[Any, Any]] = {
        name: (None, value) for name, value in values.items() if value not in (None, "")
    }
    changes["number"] = (None, number)
    changes["org_unit"] = (None, unit.code)
    if data.position:
        changes["position"] = (None, data.position.upper())
    if data.manager:
        changes["manager"] = (None, data.manager.upper())
    audit.record(
        session,
        actor,
        action="create",
        entity="employee",
        entity_id=number,
        changes=changes,
        confidential=CONFIDENTIAL_FIELDS,
    )
    if notify_it and employee.status != "terminated":
        _onboarding_item(session, actor, employee, unit.name)
    return employee


ONBOARDING_WINDOW_DAYS = 30
"""An employee added with a hire date older than this is a record of someone already at work
(a back-loaded history), not a new hire IT must prepare for."""


def _onboarding_item(session: Session, actor: Actor, employee: Employee, unit: str) -> None:
    from datetime import timedelta

    from bo_console.core import inbox
    from bo_console.core.clock import today

    if employee.hire_date < today() - timedelta(days=ONBOARDING_WINDOW_DAYS):
        return
    inbox.create_item(
        session,
        actor,
        from_dept="hr",
        item=inbox.NewWorkItem(
            to_dept="it",
            kind="onboarding",
            subject=f"Onboarding: {employee.name} ({employee.number}) starts {employee.hire_date}",
            body=(
                f"New employee in {unit} starting {employee.hire_date}.\n"
                "Create accounts (e-mail, systems, console login if needed), prepare equipment "
                "and licences."
            ),
            ref_entity="employee",
            ref_id=employee.number,
            due_date=employee.hire_date,
        ),
    )


def _private(session: Session, employee_id: int) -> EmployeePrivate:
    from bo_console.hr.models import EmployeePrivate

    row = session.get(EmployeePrivate, employee_id)
    if row is None:  # employees created by raw inserts (bulk loads) may lack one
        row = EmployeePrivate(employee_id=employee_id)
        session.add(row)
    return row


def update_employee(
    session: Session, actor: Actor, number: str, changes: Mapping[str, Any]
) -> Employee:
    """Change fields of an employee (typed values, as :func:`parse_fields` returns them).

    Only fields that really change are written and audited; confidential ones need
    ``hr.confidential`` and are redacted in the audit row.
    """
    from bo_console.hr.models import Employee, OrgUnit, Position

    actor.require("hr.write", "change employees")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationFailed(f"cannot change {', '.join(unknown)}")
    if any(name in CONFIDENTIAL_FIELDS for name in changes):
        actor.require("hr.confidential", "change salaries, IBANs, national IDs or birth dates")
    employee = employee_by_number(session, number)
    assert employee.id is not None
    if employee.status == "terminated":
        raise RuleViolation(f"employee {employee.number} is terminated; their record is closed")
    values = dict(changes)
    for text_field in ("name", "name_ar", "email", "phone"):
        if text_field in values:
            values[text_field] = clean(values[text_field] or "")
    checked = dict(values)
    if checked.get("birth_date") is not None:
        checked.setdefault("hire_date", employee.hire_date)  # age is measured at hiring
    _raise_errors(_validate_plain(checked))
    private = _private(session, employee.id)
    diff: dict[str, tuple[Any, Any]] = {}
    for name, value in values.items():
        if name in CONFIDENTIAL_FIELDS:
            before = getattr(private, name)
            if name in ("base_salary", "allowances") and value is None:
                value = 0
            if before != value:
                setattr(private, name, value)
                diff[name] = (before, value)
            continue
        if name == "org_unit":
            unit = org_unit(session, value)
            if unit.id != employee.org_unit_id:
                old_unit = session.get(OrgUnit, employee.org_unit_id)
                diff[name] = (old_unit.code if old_unit else None, unit.code)
                employee.org_unit_id = unit.id or 0
            continue
        if name == "position":
            pos = position(session, value) if value else None
            new_id = pos.id if pos else None
            if new_id != employee.position_id:
                old_pos = (
                    session.get(Position, employee.position_id) if employee.position_id else None
                )
                diff[name] = (old_pos.code if old_pos else None, pos.code if pos else None)
                employee.position_id = new_id
            continue
        if name == "manager":
            boss = employee_by_number(session, value) if value else None
            if boss is not None and boss.id == employee.id:
                raise ValidationFailed("an employee cannot be their own manager")
            if boss is not None and _reports_to(session, boss, employee.id):
                raise ValidationFailed(
                    f"{boss.number} reports to {employee.number}; that would make a loop"
                )
            new_id = boss.id if boss else None
            if new_id != employee.manager_id:
                old = session.get(Employee, employee.manager_id) if employee.manager_id else None
                diff[name] = (old.number if old else None, boss.number if boss else None)
                employee.manager_id = new_id
            continue
        if name == "login" and value:
            _check_login_free(session, value, employee.id)
        if name == "login":
            value = value or None
        before = getattr(employee, name)
        if before != value:
            setattr(employee, name, value)
            diff[name] = (before, value)
    if not diff:
        return employee
    _refresh_keys(employee)
    employee.updated_at = utcnow()
    session.add(employee)
    session.add(private)
    session.flush()
    audit.record(
        session,
        actor,
        action="update",
        entity="employee",
        entity_id=employee.number,
        changes=diff,
        confidential=CONFIDENTIAL_FIELDS,
    )
    return employee


def _reports_to(session: Session, employee: Employee, ancestor_id: int | None) -> bool:
    """Whether ``employee``'s chain of managers includes ``ancestor_id``."""
    from bo_console.hr.models import Employee

    seen: set[int] = set()
    current: Employee | None = employee
    while current is not None and current.manager_id is not None:
        if current.manager_id == ancestor_id:
            return True
        if current.manager_id in seen:
            return False
        seen.add(current.manager_id)
        current = session.get(Employee, current.manager_id)
    return False


def terminate_employee(
    session: Session, actor: Actor, number: str, *, on: date, reason: str = ""
) -> Employee:
    """Terminate employment on ``on`` (the last day worked).

    The next pay run pays the final settlement (pay to that day, unused annual leave and the
    end-of-service award); benefit enrollments end that day; IT gets an offboarding work item.
    """
    from sqlmodel import col, select

    from bo_console.core import inbox
    from bo_console.hr.models import BenefitEnrollment

    actor.require("hr.manage", "terminate employees")
    employee = employee_by_number(session, number)
    if employee.status == "terminated":
        raise RuleViolation(f"employee {employee.number} is already terminated")
    if on < employee.hire_date:
        raise ValidationFailed(
            f"the last day cannot be before the hire date ({employee.hire_date})"
        )
    reason = clean(reason)
    if len(reason) > 200:
        raise ValidationFailed("the reason is longer than 200 characters")
    before_status = employee.status
    employee.status = "terminated"
    employee.termination_date = on
    employee.termination_reason = reason
    employee.updated_at = utcnow()
    session.add(employee)
    for enrollment in session.exec(
        select(BenefitEnrollment).where(
            BenefitEnrollment.employee_id == employee.id,
            (col(BenefitEnrollment.ends_on).is_(None)) | (col(BenefitEnrollment.ends_on) > on),
        )
    ).all():
        enrollment.ends_on = max(on, enrollment.starts_on)
        session.add(enrollment)
    session.flush()
    audit.record(
        session,
        actor,
        action="terminate",
        entity="employee",
        entity_id=employee.number,
        changes={
            "status": (before_status, "terminated"),
            "termination_date": (None, on),
            "termination_reason": (None, reason),
        },
    )
    inbox.create_item(
        session,
        actor,
        from_dept="hr",
        item=inbox.NewWorkItem(
            to_dept="it",
            kind="offboarding",
            subject=f"Offboarding: {employee.name} ({employee.number}), last day {on}",
            body=(
                "Revoke system access and collect equipment (laptop, badge, phone) on or "
                f"before {on}." + (f"\nLogin: {employee.login}" if employee.login else "")
            ),
            ref_entity="employee",
            ref_id=employee.number,
            due_date=on,
        ),
    )
    return employee


# -- reading ----------------------------------------------------------------------------------

SORTS = ("number", "name", "name_ar", "hire_date", "unit", "status", "salary")
"""What employee lists sort by; ``salary`` needs ``hr.confidential`` and counts as a view."""


@dataclass(frozen=True)
class EmployeeRow:
    """An employee as lists show them; confidential fields are None unless ``revealed``."""

    id: int
    number: str
    name: str
    name_ar: str
    org_unit: str
    org_unit_name: str
    position: str | None
    manager: str | None
    hire_date: date
    termination_date: date | None
    status: str
    email: str
    phone: str
    login: str | None
    revealed: bool = False
    base_salary: int | None = None
    allowances: int | None = None
    iban: str | None = None
    national_id: str | None = None
    birth_date: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EmployeeQuery:
    """What an employee list filters and sorts on."""

    search: str = ""
    org_unit: str | None = None
    status: str | None = None
    include_terminated: bool = True
    sort: str = "name"
    descending: bool = False
    limit: int | None = None
    min_salary: int | None = None
    max_salary: int | None = None


def _needs_confidential(query: EmployeeQuery) -> list[str]:
    why = []
    if query.sort == "salary":
        why.append("sort by salary")
    if query.min_salary is not None or query.max_salary is not None:
        why.append("filter by salary")
    return why


def search_condition(text: str) -> ColumnElement[bool] | None:
    """The WHERE condition of a text search: the folded search column contains the folded text.

    Matches Arabic names whatever the alef form, ta marbuta or diacritics, Latin names in any
    case, numbers, e-mail and phone; never a confidential field.
    """
    from sqlmodel import col

    from bo_console.hr.models import Employee

    needle = fold(text)
    if not needle:
        return None
    return col(Employee.search_text).contains(needle, autoescape=True)


def employees_select(reveal: bool = False) -> Select[Any]:
    """The base query of employee lists: one row per employee with unit, position, manager.

    Confidential columns are added only when ``reveal`` (the caller has checked the permission).
    """
    from sqlalchemy import select
    from sqlalchemy.orm import aliased
    from sqlmodel import col

    from bo_console.hr.models import Employee, EmployeePrivate, OrgUnit, Position

    boss: Any = aliased(Employee)
    columns: list[Any] = [
        col(Employee.id).label("id"),
        col(Employee.number).label("number"),
        col(Employee.name).label("name"),
        col(Employee.name_ar).label("name_ar"),
        col(OrgUnit.code).label("org_unit"),
        col(OrgUnit.name).label("org_unit_name"),
        col(Position.title).label("position"),
        boss.number.label("manager"),
        col(Employee.hire_date).label("hire_date"),
        col(Employee.termination_date).label("termination_date"),
        col(Employee.status).label("status"),
        col(Employee.email).label("email"),
        col(Employee.phone).label("phone"),
        col(Employee.login).label("login"),
    ]
    if reveal:
        columns += [
            col(EmployeePrivate.base_salary).label("base_salary"),
            col(EmployeePrivate.allowances).label("allowances"),
            col(EmployeePrivate.iban).label("iban"),
            col(EmployeePrivate.national_id).label("national_id"),
            col(EmployeePrivate.birth_date).label("birth_date"),
        ]
    stmt = (
        select(*columns)
        .select_from(Employee)
        .join(OrgUnit, col(OrgUnit.id) == col(Employee.org_unit_id))
        .outerjoin(Position, col(Position.id) == col(Employee.position_id))
        .outerjoin(boss, boss.id == col(Employee.manager_id))
    )
    if reveal:
        stmt = stmt.outerjoin(EmployeePrivate, col(EmployeePrivate.employee_id) == col(Employee.id))
    return stmt


def sort_expression(sort: str) -> Any:
    """The indexed expression an employee list sorts by (``salary`` only in revealed lists)."""
    from sqlmodel import col

    from bo_console.hr.models import Employee, EmployeePrivate

    expressions = {
        "number": col(Employee.number),
        "name": col(Employee.sort_name),
        "name_ar": col(Employee.sort_name_ar),
        "hire_date": col(Employee.hire_date),
        "unit": col(Employee.org_unit_id),
        "status": col(Employee.status),
        "salary": col(EmployeePrivate.base_salary),
    }
    if sort not in expressions:
        raise ValidationFailed(f"cannot sort by {sort!r} (one of: {', '.join(SORTS)})")
    return expressions[sort]


def _list_select(*extra: Any) -> Select[Any]:
    """The Employees list's query: one row per employee, unit and position as correlated
    lookups rather than joins, so that counting the rows (which a virtual table does on every
    open and filter) reads the employee table alone."""
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.hr.models import Employee, OrgUnit, Position

    unit = select(col(OrgUnit.code)).where(col(OrgUnit.id) == col(Employee.org_unit_id))
    title = select(col(Position.title)).where(col(Position.id) == col(Employee.position_id))
    return select(
        col(Employee.id).label("id"),
        col(Employee.number).label("number"),
        col(Employee.name).label("name"),
        col(Employee.name_ar).label("name_ar"),
        unit.scalar_subquery().label("org_unit"),
        title.scalar_subquery().label("position"),
        col(Employee.hire_date).label("hire_date"),
        col(Employee.status).label("status"),
        *extra,
    ).select_from(Employee)


LIST_SALARY_FIELDS = ("base_salary", "allowances")
"""Confidential fields a revealed employee list shows."""


def employees_source(
    store: Store,
    actor: Actor,
    *,
    sort: str = "name",
    descending: bool = False,
    reveal: bool = False,
) -> QuerySource:
    """The Employees list as a virtual table reads it: keyset-paged, filtered by the folded
    search, sortable on indexed columns only (never by salary).

    Without ``reveal`` it has no confidential column at all. With ``reveal`` (needs
    ``hr.confidential``) it adds base salary and allowances, and every block of rows it reads
    is recorded in the audit trail as a view of those employees' pay.

    Raises:
        PermissionDenied: without ``hr.read``, or ``reveal`` without ``hr.confidential``.
    """
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.core.money import format_amount
    from bo_console.core.paging import Column, QuerySource
    from bo_console.hr.models import Employee, EmployeePrivate

    actor.require("hr.read", "list employees")
    if reveal:
        actor.require("hr.confidential", "see salaries in the employee list")
    columns = [
        Column("number", "No.", 8, sort=col(Employee.number)),
        Column("name", "Name", 28, sort=col(Employee.sort_name)),
        Column("name_ar", "الاسم", 22, sort=col(Employee.sort_name_ar)),
        Column("org_unit", "Unit", 6),
        Column("position", "Position", 20),
        Column("hire_date", "Hired", 10, sort=col(Employee.hire_date)),
        Column("status", "Status", 10, sort=col(Employee.status)),
    ]
    if not reveal:
        return QuerySource(
            store,
            _list_select(),
            col(Employee.id),
            columns,
            filter_fn=search_condition,
            sort_key=sort,
            descending=descending,
        )
    with store.read() as session:
        _, exponent = currency_of(session)

    def amount(value: Any) -> str:
        return format_amount(int(value), exponent)

    columns[2:2] = [
        Column("base_salary", "Salary", 12, "right", fmt=amount),
        Column("allowances", "Allowances", 11, "right", fmt=amount),
    ]
    base = _list_select(
        *(
            select(getattr(EmployeePrivate, name))
            .where(col(EmployeePrivate.employee_id) == col(Employee.id))
            .scalar_subquery()
            .label(name)
            for name in LIST_SALARY_FIELDS
        )
    )

    class RevealedSource(QuerySource):
        """Records each fetch of rows as a view of those employees' pay."""

        def _fetch(
            self, forward: bool, after: tuple[Any, Any] | None, limit: int, offset: int = 0
        ) -> list[dict[str, Any]]:
            rows = super()._fetch(forward, after, limit, offset)
            if rows:
                with store.write() as session:
                    audit.record_view(
                        session,
                        actor,
                        entity="employee",
                        entity_ids=[r["number"] for r in rows],
                        fields=LIST_SALARY_FIELDS,
                    )
            return rows

    return RevealedSource(
        store,
        base,
        col(Employee.id),
        columns,
        filter_fn=search_condition,
        sort_key=sort,
        descending=descending,
    )


def list_employees(
    session: Session,
    actor: Actor,
    query: EmployeeQuery | None = None,
    *,
    reveal: bool = False,
    purpose: str = "view",
) -> list[EmployeeRow]:
    """Employees matching ``query``.

    Args:
        reveal: include confidential fields (needs ``hr.confidential``; audited as a view).
            Sorting or filtering by salary also needs the permission and counts as a view.

    Raises:
        PermissionDenied: without ``hr.read``; or revealing, sorting or filtering by a
            confidential field without ``hr.confidential``.
    """
    from sqlmodel import col

    from bo_console.hr.models import Employee, EmployeePrivate

    actor.require("hr.read", "list employees")
    query = query or EmployeeQuery()
    needs = _needs_confidential(query)
    if needs:
        actor.require("hr.confidential", " and ".join(needs))
        reveal = True
    if reveal:
        actor.require("hr.confidential", "see salaries, IBANs, national IDs and birth dates")
    stmt = employees_select(reveal)
    condition = search_condition(query.search) if query.search else None
    if condition is not None:
        stmt = stmt.where(condition)
    if query.org_unit:
        stmt = stmt.where(col(Employee.org_unit_id) == org_unit(session, query.org_unit).id)
    if query.status:
        if query.status not in EMPLOYEE_STATUSES:
            raise ValidationFailed(
                f"unknown status {query.status!r} (one of: {', '.join(EMPLOYEE_STATUSES)})"
            )
        stmt = stmt.where(col(Employee.status) == query.status)
    elif not query.include_terminated:
        stmt = stmt.where(col(Employee.status) != "terminated")
    if query.min_salary is not None:
        stmt = stmt.where(col(EmployeePrivate.base_salary) >= query.min_salary)
    if query.max_salary is not None:
        stmt = stmt.where(col(EmployeePrivate.base_salary) <= query.max_salary)
    order = sort_expression(query.sort)
    key = col(Employee.id)
    if query.descending:
        stmt = stmt.order_by(order.desc(), key.desc())
    else:
        stmt = stmt.order_by(order.asc(), key.asc())
    if query.limit is not None:
        stmt = stmt.limit(query.limit)
    rows = [EmployeeRow(revealed=reveal, **dict(r._mapping)) for r in session.execute(stmt).all()]
    if reveal and rows:
        audit.record_view(
            session,
            actor,
            entity="employee",
            entity_ids=[r.number for r in rows],
            fields=CONFIDENTIAL_FIELDS,
            purpose=purpose,
        )
    return rows


def employee_record(row: EmployeeRow, exponent: int) -> dict[str, Any]:
    """A row as output shows it: amounts as exact decimals, confidential fields masked unless
    revealed."""
    out: dict[str, Any] = {
        "number": row.number,
        "name": row.name,
        "name_ar": row.name_ar,
        "org_unit": row.org_unit,
        "position": row.position or "",
        "manager": row.manager or "",
        "hire_date": row.hire_date,
        "termination_date": row.termination_date,
        "status": row.status,
        "email": row.email,
        "phone": row.phone,
        "login": row.login or "",
    }
    if row.revealed:
        out["base_salary"] = from_minor(row.base_salary or 0, exponent)
        out["allowances"] = from_minor(row.allowances or 0, exponent)
        out["iban"] = row.iban or ""
        out["national_id"] = row.national_id or ""
        out["birth_date"] = row.birth_date
    else:
        for name in CONFIDENTIAL_FIELDS:
            out[name] = MASK
    return out


def get_employee(
    session: Session, actor: Actor, number: str, *, reveal: bool | None = None
) -> EmployeeRow:
    """One employee. ``reveal`` None reveals when the actor may (and audits the view)."""
    from sqlmodel import col

    from bo_console.hr.models import Employee

    actor.require("hr.read", "read employees")
    if reveal is None:
        reveal = actor.can("hr.confidential")
    if reveal:
        actor.require("hr.confidential", "see salaries, IBANs, national IDs and birth dates")
    employee = employee_by_number(session, number)
    row = session.execute(employees_select(reveal).where(col(Employee.id) == employee.id)).one()
    result = EmployeeRow(revealed=reveal, **dict(row._mapping))
    if reveal:
        audit.record_view(
            session,
            actor,
            entity="employee",
            entity_ids=[result.number],
            fields=CONFIDENTIAL_FIELDS,
        )
    return result


def headcount_report(
    session: Session, actor: Actor, *, reveal: bool = False
) -> list[dict[str, Any]]:
    """Head count per org unit; with ``reveal``, the monthly salary cost too (confidential:
    an average over a small team is as good as a salary)."""
    from sqlalchemy import case, func, select
    from sqlmodel import col

    from bo_console.hr.models import Employee, EmployeePrivate, OrgUnit

    actor.require("hr.read", "read HR reports")
    if reveal:
        actor.require("hr.confidential", "see salary totals")
    _, exponent = currency_of(session)
    live = col(Employee.status) != "terminated"
    stmt = (
        select(
            col(OrgUnit.code),
            col(OrgUnit.name),
            func.sum(case((live, 1), else_=0)),
            func.sum(case((col(Employee.status) == "on_leave", 1), else_=0)),
            func.sum(case((live, col(EmployeePrivate.base_salary)), else_=0)),
            func.sum(case((live, col(EmployeePrivate.allowances)), else_=0)),
        )
        .select_from(OrgUnit)
        .outerjoin(Employee, col(Employee.org_unit_id) == col(OrgUnit.id))
        .outerjoin(EmployeePrivate, col(EmployeePrivate.employee_id) == col(Employee.id))
        .group_by(col(OrgUnit.id))
        .order_by(col(OrgUnit.code))
    )
    rows = []
    for code, name, headcount, on_leave, base, allowances in session.execute(stmt).all():
        row: dict[str, Any] = {
            "org_unit": code,
            "name": name,
            "headcount": int(headcount or 0),
            "on_leave": int(on_leave or 0),
        }
        if reveal:
            row["monthly_base"] = from_minor(int(base or 0), exponent)
            row["monthly_allowances"] = from_minor(int(allowances or 0), exponent)
        else:
            row["monthly_base"] = MASK
            row["monthly_allowances"] = MASK
        rows.append(row)
    if reveal:
        audit.record(
            session,
            actor,
            action="view",
            entity="hr_report",
            entity_id="headcount",
            changes={"fields": (None, "monthly_base,monthly_allowances")},
        )
    return rows


REPORT_COLUMNS = ["org_unit", "name", "headcount", "on_leave", "monthly_base", "monthly_allowances"]


# -- import and export ------------------------------------------------------------------------


def import_columns() -> list[Any]:
    """The columns ``bo hr employees import`` reads (template: data/hr-employees-template.csv)."""
    from bo_console.core import io

    required = {"name", "org_unit", "hire_date"}
    return [io.Column(name, required=name in required) for name in TEXT_COLUMNS]


def import_employees(session: Session, actor: Actor, path: Path, *, dry_run: bool = False) -> int:
    """Validate a whole CSV/XLSX file, then add every employee in the caller's transaction.

    Managers may be employees already on file or rows of the same file. Confidential columns
    with values need ``hr.confidential``.

    Raises:
        ImportRejected: any row is wrong (nothing is written); the report names row and column.
    """
    from sqlmodel import select

    from bo_console.core import io
    from bo_console.hr.models import Employee, OrgUnit, Position

    actor.require("hr.write", "import employees")
    _, exponent = currency_of(session)
    units = {u.code: u for u in session.exec(select(OrgUnit)).all()}
    positions = set(session.exec(select(Position.code)).all())
    numbers = set(session.exec(select(Employee.number)).all())
    logins = {str(x) for x in session.exec(select(Employee.login)).all() if x}
    seen_numbers: dict[str, int] = {}
    seen_logins: dict[str, int] = {}
    confidential_rows: list[int] = []
    parsed_rows: list[tuple[int, EmployeeInput]] = []

    def parse(number: int, record: dict[str, str], report: io.ImportReport) -> EmployeeInput | None:
        values, errors = parse_fields(record, exponent, columns=TEXT_COLUMNS)
        errors += _validate_plain(values)
        for name in ("name", "org_unit", "hire_date"):
            if name not in values and not any(e.field == name for e in errors):
                errors.append(FieldError(name, "required"))
        unit = values.get("org_unit")
        if unit and unit not in units:
            errors.append(FieldError("org_unit", f"no org unit {unit}"))
        elif unit and not units[unit].active:
            errors.append(FieldError("org_unit", f"org unit {unit} is inactive"))
        pos = values.get("position")
        if pos and pos not in positions:
            errors.append(FieldError("position", f"no position {pos}"))
        emp_number = values.get("number")
        if emp_number:
            if emp_number in numbers:
                errors.append(FieldError("number", f"{emp_number} is already an employee"))
            elif emp_number in seen_numbers:
                errors.append(
                    FieldError(
                        "number", f"{emp_number} also appears in row {seen_numbers[emp_number]}"
                    )
                )
            else:
                seen_numbers[emp_number] = number
        login = values.get("login")
        if login:
            if login in logins:
                errors.append(FieldError("login", f"{login} already belongs to an employee"))
            elif login in seen_logins:
                errors.append(
                    FieldError("login", f"{login} also appears in row {seen_logins[login]}")
                )
            else:
                seen_logins[login] = number
        for error in errors:
            report.add(number, error.field, error.message)
        if errors:
            return None
        data = input_from_values(values)
        if data.confidential_given():
            confidential_rows.append(number)
        parsed_rows.append((number, data))
        return data

    io.read_validated(path, import_columns(), parse)
    # Managers: on file already, or an earlier/later row of this file that has a number.
    report = io.ImportReport(rows=len(parsed_rows))
    file_numbers = {d.number for _, d in parsed_rows if d.number}
    for row_number, data in parsed_rows:
        if data.manager and data.manager not in numbers and data.manager not in file_numbers:
            report.add(row_number, "manager", f"no employee {data.manager}")
        if data.manager and data.manager == data.number:
            report.add(row_number, "manager", "an employee cannot be their own manager")
    # Only rows of the file can report to each other in a loop (people on file already have
    # their managers), so a loop is found here, by row, before anything is written.
    rows_of = {d.number: n for n, d in parsed_rows if d.number}
    managers = {d.number: d.manager for _, d in parsed_rows if d.number and d.manager}
    for emp_number, row_number in rows_of.items():
        seen = [emp_number]
        boss = managers.get(emp_number)
        while boss in managers and boss not in seen:
            seen.append(boss)
            boss = managers[boss]
        if boss == emp_number and len(seen) > 1:
            chain = " -> ".join([*seen, emp_number])
            report.add(row_number, "manager", f"reporting would make a loop ({chain})")
    if report.errors:
        raise io.ImportRejected(path, report)
    if confidential_rows and not actor.can("hr.confidential"):
        shown = ", ".join(map(str, confidential_rows[:5]))
        more = "..." if len(confidential_rows) > 5 else ""
        raise PermissionDenied(
            f"{path.name} has salaries, IBANs, national IDs or birth dates (rows {shown}{more}); "
            f"{actor.login} lacks hr.confidential to import them"
        )
    if dry_run:
        return len(parsed_rows)
    later: list[tuple[str, str]] = []
    for _, data in parsed_rows:
        manager = data.manager
        deferred = bool(manager) and manager not in numbers
        created = create_employee(session, actor, replace(data, manager=None) if deferred else data)
        numbers.add(created.number)
        if deferred and manager:
            later.append((created.number, manager))
    for emp_number, manager in later:
        update_employee(session, actor, emp_number, {"manager": manager})
    return len(parsed_rows)


def export_employees(
    session: Session,
    actor: Actor,
    path: Path,
    fmt: str | None = None,
    *,
    reveal: bool = False,
    query: EmployeeQuery | None = None,
) -> int:
    """Write employees to CSV, XLSX or JSON in the import template's columns.

    Without ``reveal`` confidential columns hold the mask; with it (``hr.confidential``) they
    hold the values and the export is audited as such.
    """
    from bo_console.core import io

    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx", "json"):
        raise ValidationFailed(f"cannot tell the format of {path.name}; use --format csv|xlsx|json")
    _, exponent = currency_of(session)
    listed = list_employees(
        session, actor, query or EmployeeQuery(sort="number"), reveal=reveal, purpose="export"
    )
    io.write_file([employee_record(r, exponent) for r in listed], list(TEXT_COLUMNS), path, fmt)
    return len(listed)
