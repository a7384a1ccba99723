"""Creating, changing and terminating employees (audited; confidential values redacted)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import (
    FieldError,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.security import Actor
from bo_console.core.text import clean, fold
from bo_console.hr.models.employees import (
    EmployeeCreate,
    EmployeeUpdate,
    birth_date_problem,
)
from bo_console.hr.service.common import (
    CONFIDENTIAL_FIELDS,
    employee_by_number,
)
from bo_console.hr.service.people.org import org_unit, position

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import Employee, EmployeePrivate


# -- creating and changing employees ----------------------------------------------------------


def _next_number(session: Session) -> str:
    from sqlalchemy import func
    from sqlmodel import select

    from bo_console.core.db import lock_numbering
    from bo_console.hr.models import Employee

    lock_numbering(session, "hr_employee")
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


def _check_contract_end(ends: date | None, hired: date) -> None:
    if ends is not None and ends <= hired:
        message = "a fixed-term contract ends after the hire date"
        raise ValidationFailed(message, [FieldError("contract_ends_on", message)])


def create_employee(
    session: Session, actor: Actor, data: EmployeeCreate, *, notify_it: bool = True
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
    values = data.model_dump()
    # A number _next_number gives is already checked free (under the numbering lock).
    number = data.number or _next_number(session)
    if (
        data.number
        and session.exec(select(Employee.id).where(Employee.number == number)).first() is not None
    ):
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
    _check_contract_end(data.contract_ends_on, data.hire_date)
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
        nationality=data.resolved_nationality(),
        si_joined_on=data.si_joined_on,
        contract_ends_on=data.contract_ends_on,
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
    from bo_console.hr.service.people import salary

    salary.write_lines(
        session,
        actor,
        employee.id,
        {"BASIC": data.base_salary or 0, "HOUSING": data.allowances or 0},
        data.hire_date,
        skip_zero=True,
        replace=False,
    )
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
    session: Session, actor: Actor, number: str, changes: EmployeeUpdate
) -> Employee:
    """Change the fields ``changes`` gives (``None`` clears an optional one).

    Only fields that really change are written and audited; confidential ones need
    ``hr.confidential`` and are redacted in the audit row; the manager and the console login
    need ``hr.manage``.
    """
    actor.require("hr.write", "change employees")
    if {"manager", "login"} & changes.model_fields_set:
        # Who manages whom, and who an employee is, decide who may approve their leave.
        actor.require("hr.manage", "change an employee's manager or console login")
    if changes.confidential_given():
        actor.require("hr.confidential", "change salaries, IBANs, national IDs or birth dates")
    return apply_changes(session, actor, number, changes)


def apply_changes(session: Session, actor: Actor, number: str, changes: EmployeeUpdate) -> Employee:
    """:func:`update_employee` after its permission checks. Only for this package: an import
    gives an employee added from the file their manager once that row is added too."""
    from bo_console.hr.models import Employee, OrgUnit, Position

    employee = employee_by_number(session, number)
    assert employee.id is not None
    if employee.status == "terminated":
        raise RuleViolation(f"employee {employee.number} is terminated; their record is closed")
    values = changes.changes()
    birth = values.get("birth_date")
    if birth is not None and "hire_date" not in values:
        problem = birth_date_problem(birth, employee.hire_date, "at hiring")
        if problem:
            raise ValidationFailed(f"birth_date: {problem}", [FieldError("birth_date", problem)])
    if values.get("contract_ends_on") is not None or "hire_date" in values:
        _check_contract_end(
            values.get("contract_ends_on", employee.contract_ends_on),
            values.get("hire_date") or employee.hire_date,
        )
    private = _private(session, employee.id)
    diff: dict[str, tuple[Any, Any]] = {}
    salary_from = values.pop("salary_from", None)
    for name, value in values.items():
        if name in ("base_salary", "allowances"):
            from bo_console.core import clock
            from bo_console.hr.service.people import salary

            before = getattr(private, name)
            value = value or 0
            if before != value:
                code = "BASIC" if name == "base_salary" else "HOUSING"
                effective = max(salary_from or clock.today(), employee.hire_date)
                salary.write_lines(session, actor, employee.id, {code: value}, effective)
                setattr(private, name, value)
                diff[name] = (before, value)
            continue
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
    session: Session,
    actor: Actor,
    number: str,
    *,
    on: date,
    reason: str = "",
    leaving: str | None = None,
) -> Employee:
    """Terminate employment on ``on`` (the last day worked).

    ``leaving`` is why, one of ``LEAVING_REASONS`` (the end-of-service award depends on it);
    left out, a ``reason`` that names a resignation means ``resignation``, else
    ``termination``.

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
    from bo_console.hr.models import LEAVING_REASONS

    if leaving is None:
        leaving = "resignation" if "resign" in reason.lower() else "termination"
    leaving = leaving.strip().lower().replace("-", "_").replace(" ", "_")
    if leaving not in LEAVING_REASONS:
        raise ValidationFailed(
            f"{leaving!r} is not a leaving reason (one of: {', '.join(LEAVING_REASONS)})"
        )
    before_status = employee.status
    employee.status = "terminated"
    employee.termination_date = on
    employee.termination_reason = reason
    employee.leaving_reason = leaving
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
            "leaving_reason": (None, leaving),
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
