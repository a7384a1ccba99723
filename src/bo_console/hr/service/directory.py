"""HR's employee directory for other departments: who works here, by number or id.

Other departments (IT's custody and seats, logistics' requesters) read employees through these
functions, never through HR's tables or its other services. Nothing here is confidential.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound
from bo_console.core.reading import reader_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.hr.models import Employee


@dataclass(frozen=True)
class Person:
    """One employee as another department sees them."""

    id: int
    number: str
    name: str
    terminated: bool


_PEOPLE = "SELECT id, number, name, status FROM hr_employee"
"""The directory's columns of the employee table (plain SQL: a list command reads them without
loading SQLAlchemy or the table models)."""


def _person(row: tuple[object, ...]) -> Person:
    id_, number, name, status = row
    return Person(int(str(id_)), str(number), str(name), status == "terminated")


def person(db: Reads, number: str) -> Person:
    """The employee with this number (a Reader or a session).

    Raises:
        NotFound: no such employee.
    """
    row = reader_of(db).first(
        f"{_PEOPLE} WHERE number = :number", {"number": number.strip().upper()}
    )
    if row is None:
        raise NotFound(f"no employee {number!r}")
    return _person(row)


def people_by_id(db: Reads, ids: set[int]) -> dict[int, Person]:
    """Employees by id (for lists that show who holds what; a Reader or a session)."""
    if not ids:
        return {}
    rows = reader_of(db).rows(f"{_PEOPLE} WHERE id IN :ids", {"ids": sorted(ids)})
    return {int(r[0]): _person(r) for r in rows}


def employee_table() -> type[Employee]:
    """The employee table, for a list query that joins employees to show their number (its
    ``id``, ``number``, ``name`` and ``status`` columns are the directory's; read no others)."""
    from bo_console.hr.models import Employee

    return Employee
