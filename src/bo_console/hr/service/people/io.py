"""Employees from and to files: the import (all rows or none); the export is
:mod:`bo_console.hr.service.employee_export`, re-exported here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import (
    FieldError,
    PermissionDenied,
    ValidationFailed,
)
from bo_console.core.security import Actor
from bo_console.hr.models.employees import (
    EmployeeCreate,
    EmployeeUpdate,
    employee_create,
)
from bo_console.hr.service.common import (
    currency_of,
)
from bo_console.hr.service.employee_export import TEXT_COLUMNS as TEXT_COLUMNS
from bo_console.hr.service.employee_export import export_employees as export_employees
from bo_console.hr.service.people.employees import apply_changes, create_employee

if TYPE_CHECKING:
    from sqlmodel import Session


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
    parsed_rows: list[tuple[int, EmployeeCreate]] = []

    def parse(
        number: int, record: dict[str, str], report: io.ImportReport
    ) -> EmployeeCreate | None:
        values: dict[str, object] = {}
        errors: list[FieldError] = []
        try:
            data = employee_create(
                {k: v for k, v in record.items() if k in TEXT_COLUMNS}, exponent=exponent
            )
            values = data.model_dump()
        except ValidationFailed as exc:
            errors += exc.errors
            bad = {e.field for e in exc.errors}
            # The references are still checked, so one pass reports every problem of the row.
            values = {
                k: (record.get(k) or "").strip().upper().replace(" ", "")
                for k in ("org_unit", "position", "number")
                if k not in bad
            }
            if "login" not in bad:
                values["login"] = (record.get("login") or "").strip().lower()
        unit = str(values.get("org_unit") or "")
        if unit and unit not in units:
            errors.append(FieldError("org_unit", f"no org unit {unit}"))
        elif unit and not units[unit].active:
            errors.append(FieldError("org_unit", f"org unit {unit} is inactive"))
        pos = values.get("position")
        if pos and pos not in positions:
            errors.append(FieldError("position", f"no position {pos}"))
        emp_number = str(values.get("number") or "")
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
        login = str(values.get("login") or "")
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
        data = EmployeeCreate.model_validate(values)
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
        created = create_employee(
            session, actor, data.model_copy(update={"manager": None}) if deferred else data
        )
        numbers.add(created.number)
        if deferred and manager:
            later.append((created.number, manager))
    for emp_number, manager in later:
        # Setting the manager is part of adding the employee, as for a row with its manager.
        apply_changes(session, actor, emp_number, EmployeeUpdate(manager=manager))
    return len(parsed_rows)
