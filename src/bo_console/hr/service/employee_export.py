"""Employees written to a file in the import template's columns, over a Reader or a session.

``bo hr employees export`` without ``--reveal`` reads through the standard library's
``sqlite3`` (:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor
pydantic nor HR's table models. A revealed export is audited, so it takes the session of a
unit of work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.core.errors import ValidationFailed
from bo_console.core.lookups import base_currency_of
from bo_console.hr.service.employee_list import EmployeeQuery, employee_record, list_employees

if TYPE_CHECKING:
    from pathlib import Path

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

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


def export_employees(
    db: Reads,
    actor: Actor,
    path: Path,
    fmt: str | None = None,
    *,
    reveal: bool = False,
    query: EmployeeQuery | None = None,
) -> int:
    """Write employees to CSV, XLSX or JSON in the import template's columns; returns how
    many were written.

    Without ``reveal`` confidential columns hold the mask; with it (``hr.confidential``, and
    the unit of work's session) they hold the values and the export is audited as such.
    """
    from bo_console.core import io

    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx", "json"):
        raise ValidationFailed(f"cannot tell the format of {path.name}; use --format csv|xlsx|json")
    exponent = base_currency_of(db).exponent
    listed = list_employees(
        db, actor, query or EmployeeQuery(sort="number"), reveal=reveal, purpose="export"
    )
    io.write_file([employee_record(r, exponent) for r in listed], list(TEXT_COLUMNS), path, fmt)
    return len(listed)
