"""The employee list and one employee's record as plain SQL over a Reader or a session.

``bo hr employees list``, ``bo hr employees show`` and ``bo hr employees export`` (without
revealing) read through the standard library's ``sqlite3`` (:mod:`bo_console.core.reading`):
this module imports neither SQLAlchemy nor pydantic nor HR's table models. Confidential fields
are read from ``hr_employee_private`` only when the caller asks to reveal them and holds
``hr.confidential``; such a read is audited, so it needs the session of a unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.core.lookups import day_of
from bo_console.core.money import from_minor
from bo_console.core.reading import reader_of
from bo_console.core.text import fold
from bo_console.hr.codes import EMPLOYEE_STATUSES
from bo_console.hr.service.common import CONFIDENTIAL_FIELDS, MASK

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor

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
    position_code: str | None = None
    nationality: str = "other"
    contract_ends_on: date | None = None
    leaving_reason: str | None = None
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


_COLUMNS = """e.id, e.number, e.name, e.name_ar, u.code, u.name, p.title, p.code, boss.number,
       e.hire_date, e.termination_date, e.status, e.email, e.phone, e.login, e.nationality,
       e.contract_ends_on, e.leaving_reason"""
_PRIVATE_COLUMNS = "pv.base_salary, pv.allowances, pv.iban, pv.national_id, pv.birth_date"
_FROM = """hr_employee e
JOIN hr_org_unit u ON u.id = e.org_unit_id
LEFT JOIN hr_position p ON p.id = e.position_id
LEFT JOIN hr_employee boss ON boss.id = e.manager_id"""
_PRIVATE_JOIN = "LEFT JOIN hr_employee_private pv ON pv.employee_id = e.id"

_SORT_COLUMNS = {
    "number": "e.number",
    "name": "e.sort_name",
    "name_ar": "e.sort_name_ar",
    "hire_date": "e.hire_date",
    "unit": "e.org_unit_id",
    "status": "e.status",
    "salary": "pv.base_salary",
}
"""The indexed column each sort reads (``salary`` only in revealed lists)."""


def _needs_confidential(query: EmployeeQuery) -> list[str]:
    why = []
    if query.sort == "salary":
        why.append("sort by salary")
    if query.min_salary is not None or query.max_salary is not None:
        why.append("filter by salary")
    return why


def like_contains(text: str) -> str:
    """``text`` escaped for ``LIKE '%' || :x || '%' ESCAPE '/'`` (its ``%`` and ``_`` match
    themselves)."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _org_unit_id(reader: Reader, code: str) -> int:
    found = reader.scalar(
        "SELECT id FROM hr_org_unit WHERE code = :code", {"code": code.strip().upper()}
    )
    if found is None:
        raise NotFound(f"no org unit {code!r} (see `bo hr units list`)")
    return int(found)


def _row(values: tuple[Any, ...], reveal: bool) -> EmployeeRow:
    (
        id_,
        number,
        name,
        name_ar,
        unit,
        unit_name,
        title,
        position_code,
        manager,
        hire_date,
        termination_date,
        status,
        email,
        phone,
        login,
        nationality,
        contract_ends_on,
        leaving_reason,
        *private,
    ) = values
    hired = day_of(hire_date)
    assert hired is not None  # the column is NOT NULL
    secrets: dict[str, Any] = {}
    if reveal:
        base_salary, allowances, iban, national_id, birth_date = private
        secrets = {
            "base_salary": base_salary,
            "allowances": allowances,
            "iban": iban,
            "national_id": national_id,
            "birth_date": day_of(birth_date),
        }
    return EmployeeRow(
        id=int(id_),
        number=number,
        name=name,
        name_ar=name_ar,
        org_unit=unit,
        org_unit_name=unit_name,
        position=title,
        position_code=position_code,
        manager=manager,
        hire_date=hired,
        termination_date=day_of(termination_date),
        status=status,
        email=email,
        phone=phone,
        login=login,
        nationality=nationality,
        contract_ends_on=day_of(contract_ends_on),
        leaving_reason=leaving_reason,
        revealed=reveal,
        **secrets,
    )


def list_employees(
    db: Reads,
    actor: Actor,
    query: EmployeeQuery | None = None,
    *,
    reveal: bool = False,
    purpose: str = "view",
) -> list[EmployeeRow]:
    """Employees matching ``query`` (a Reader or a session; a session when revealing).

    Args:
        reveal: include confidential fields (needs ``hr.confidential``; audited as a view).
            Sorting or filtering by salary also needs the permission and counts as a view.

    Raises:
        PermissionDenied: without ``hr.read``; or revealing, sorting or filtering by a
            confidential field without ``hr.confidential``.
    """
    actor.require("hr.read", "list employees")
    query = query or EmployeeQuery()
    needs = _needs_confidential(query)
    if needs:
        actor.require("hr.confidential", " and ".join(needs))
        reveal = True
    if reveal:
        actor.require("hr.confidential", "see salaries, IBANs, national IDs and birth dates")
    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, Any] = {}
    needle = fold(query.search) if query.search else ""
    if needle:
        # The folded search column (never a confidential field): any alef form, ta marbuta
        # or diacritics, any case.
        where.append("e.search_text LIKE '%' || :needle || '%' ESCAPE '/'")
        params["needle"] = like_contains(needle)
    if query.org_unit:
        where.append("e.org_unit_id = :unit")
        params["unit"] = _org_unit_id(reader, query.org_unit)
    if query.status:
        if query.status not in EMPLOYEE_STATUSES:
            raise ValidationFailed(
                f"unknown status {query.status!r} (one of: {', '.join(EMPLOYEE_STATUSES)})"
            )
        where.append("e.status = :status")
        params["status"] = query.status
    elif not query.include_terminated:
        where.append("e.status <> 'terminated'")
    if query.min_salary is not None:
        where.append("pv.base_salary >= :min_salary")
        params["min_salary"] = query.min_salary
    if query.max_salary is not None:
        where.append("pv.base_salary <= :max_salary")
        params["max_salary"] = query.max_salary
    if query.sort not in _SORT_COLUMNS:
        raise ValidationFailed(f"cannot sort by {query.sort!r} (one of: {', '.join(SORTS)})")
    direction = "DESC" if query.descending else "ASC"
    columns = f"{_COLUMNS}, {_PRIVATE_COLUMNS}" if reveal else _COLUMNS
    sql = f"SELECT {columns}\nFROM {_FROM}"
    if reveal:
        sql += f"\n{_PRIVATE_JOIN}"
    if where:
        sql += "\nWHERE " + " AND ".join(where)
    sql += f"\nORDER BY {_SORT_COLUMNS[query.sort]} {direction}, e.id {direction}"
    if query.limit is not None:
        sql += "\nLIMIT :limit"
        params["limit"] = query.limit
    rows = [_row(values, reveal) for values in reader.rows(sql, params)]
    if reveal and rows:
        from bo_console.core import audit

        if not hasattr(db, "get_bind"):
            raise TypeError("a revealed list is audited: pass the unit of work's session")
        audit.record_view(
            cast("Session", db),
            actor,
            entity="employee",
            entity_ids=[r.number for r in rows],
            fields=CONFIDENTIAL_FIELDS,
            purpose=purpose,
        )
    return rows


def get_employee(
    db: Reads, actor: Actor, number: str, *, reveal: bool | None = None
) -> EmployeeRow:
    """One employee by number (a Reader or a session; the session of a unit of work when
    revealing). ``reveal`` None reveals when the actor may, and audits the view.

    Raises:
        PermissionDenied: without ``hr.read``, or revealing without ``hr.confidential``.
        NotFound: no employee has the number.
    """
    actor.require("hr.read", "read employees")
    if reveal is None:
        reveal = actor.can("hr.confidential")
    if reveal:
        actor.require("hr.confidential", "see salaries, IBANs, national IDs and birth dates")
    columns = f"{_COLUMNS}, {_PRIVATE_COLUMNS}" if reveal else _COLUMNS
    sql = f"SELECT {columns}\nFROM {_FROM}"
    if reveal:
        sql += f"\n{_PRIVATE_JOIN}"
    found = reader_of(db).first(
        f"{sql}\nWHERE e.number = :number", {"number": number.strip().upper()}
    )
    if found is None:
        raise NotFound(f"no employee {number!r}")
    row = _row(found, reveal)
    if reveal:
        from bo_console.core import audit

        if not hasattr(db, "get_bind"):
            raise TypeError("a revealed employee is audited: pass the unit of work's session")
        audit.record_view(
            cast("Session", db),
            actor,
            entity="employee",
            entity_ids=[row.number],
            fields=CONFIDENTIAL_FIELDS,
        )
    return row


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
