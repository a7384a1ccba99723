"""HR's employee directory for other departments: who works here, by number or id.

Other departments (IT's custody and seats, logistics' requesters) read employees through these
functions, never through HR's tables or its other services. Nothing here is confidential.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import Employee


@dataclass(frozen=True)
class Person:
    """One employee as another department sees them."""

    id: int
    number: str
    name: str
    terminated: bool


def _person(row: Employee) -> Person:
    return Person(int(row.id or 0), row.number, row.name, row.status == "terminated")


def person(session: Session, number: str) -> Person:
    """The employee with this number.

    Raises:
        NotFound: no such employee.
    """
    from bo_console.hr.service.common import employee_by_number

    return _person(employee_by_number(session, number))


def people_by_id(session: Session, ids: set[int]) -> dict[int, Person]:
    """Employees by id (for lists that show who holds what)."""
    from sqlmodel import col, select

    from bo_console.hr.models import Employee

    if not ids:
        return {}
    rows = session.exec(select(Employee).where(col(Employee.id).in_(ids))).all()
    return {int(r.id or 0): _person(r) for r in rows}


def employee_table() -> type[Employee]:
    """The employee table, for a list query that joins employees to show their number (its
    ``id``, ``number``, ``name`` and ``status`` columns are the directory's; read no others)."""
    from bo_console.hr.models import Employee

    return Employee
