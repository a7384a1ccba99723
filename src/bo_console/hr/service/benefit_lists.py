"""Benefits' lists as plain SQL over a Reader or a session: plans and enrollments.

``bo hr benefits plans`` and ``enrollments`` read through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor HR's
table models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import NotFound
from bo_console.core.lookups import base_currency_of, day_of
from bo_console.core.money import from_minor
from bo_console.core.reading import reader_of
from bo_console.hr.service.lists import ListRow

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class PlanRow(ListRow):
    code: str
    name: str
    name_ar: str
    employee_contribution: Decimal
    employer_contribution: Decimal
    cash: bool
    enrolled: int
    active: bool


PLAN_COLUMNS = [
    "code",
    "name",
    "name_ar",
    "employee_contribution",
    "employer_contribution",
    "cash",
    "enrolled",
    "active",
]


def list_plans(db: Reads, actor: Actor) -> list[PlanRow]:
    """Every plan, with how many employees are enrolled today-or-later."""
    actor.require("hr.read", "list benefit plans")
    reader = reader_of(db)
    exponent = base_currency_of(reader).exponent
    rows = reader.rows(
        "SELECT p.code, p.name, p.name_ar, p.employee_contribution, p.employer_contribution,"
        " p.cash, (SELECT count(*) FROM hr_benefit_enrollment e"
        "  WHERE e.plan_id = p.id AND e.ends_on IS NULL), p.active"
        " FROM hr_benefit_plan p ORDER BY p.code"
    )
    return [
        PlanRow(
            code=str(code),
            name=str(name),
            name_ar=str(name_ar),
            employee_contribution=from_minor(int(employee), exponent),
            employer_contribution=from_minor(int(employer), exponent),
            cash=bool(cash),
            enrolled=int(enrolled),
            active=bool(active),
        )
        for code, name, name_ar, employee, employer, cash, enrolled, active in rows
    ]


@dataclass(frozen=True)
class BenefitEnrollmentRow(ListRow):
    plan: str
    employee: str
    name: str
    starts_on: date
    ends_on: date | None


ENROLLMENT_COLUMNS = ["plan", "employee", "name", "starts_on", "ends_on"]


def _id(reader: Reader, sql: str, key: str, missing: str) -> int:
    found = reader.scalar(sql, {"key": key.strip().upper()})
    if found is None:
        raise NotFound(missing)
    return int(found)


def list_enrollments(
    db: Reads, actor: Actor, *, plan: str | None = None, employee: str | None = None
) -> list[BenefitEnrollmentRow]:
    """Enrollments, by plan then employee.

    Raises:
        NotFound: no such plan or employee.
    """
    actor.require("hr.read", "list benefit enrollments")
    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, Any] = {}
    if plan:
        params["plan"] = _id(
            reader,
            "SELECT id FROM hr_benefit_plan WHERE code = :key",
            plan,
            f"no benefit plan {plan!r}",
        )
        where.append("p.id = :plan")
    if employee:
        params["employee"] = _id(
            reader,
            "SELECT id FROM hr_employee WHERE number = :key",
            employee,
            f"no employee {employee!r}",
        )
        where.append("m.id = :employee")
    rows = reader.rows(
        "SELECT p.code, m.number, m.name, e.starts_on, e.ends_on FROM hr_benefit_enrollment e"
        " JOIN hr_benefit_plan p ON p.id = e.plan_id JOIN hr_employee m ON m.id = e.employee_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY p.code, m.number, e.starts_on",
        params,
    )
    result: list[BenefitEnrollmentRow] = []
    for code, number, name, starts_on, ends_on in rows:
        starts = day_of(starts_on)
        assert starts is not None  # NOT NULL column
        result.append(
            BenefitEnrollmentRow(
                plan=str(code),
                employee=str(number),
                name=str(name),
                starts_on=starts,
                ends_on=day_of(ends_on),
            )
        )
    return result
