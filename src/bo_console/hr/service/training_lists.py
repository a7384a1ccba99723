"""Training's lists as plain SQL over a Reader or a session: courses, sessions with places
taken, and certifications.

``bo hr training courses``, ``sessions``, ``certs`` and ``expiring`` (without ``--notify``)
read through the standard library's ``sqlite3`` (:mod:`bo_console.core.reading`): this module
imports neither SQLAlchemy nor pydantic nor HR's table models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.core.lookups import day_of
from bo_console.core.reading import reader_of
from bo_console.hr.service.lists import ListRow

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


def _day(value: Any) -> date:
    found = day_of(value)
    assert found is not None  # NOT NULL columns
    return found


@dataclass(frozen=True)
class CourseRow(ListRow):
    code: str
    title: str
    title_ar: str
    hours: int
    cert_months: int | None


COURSE_COLUMNS = ["code", "title", "title_ar", "hours", "cert_months"]


def list_courses(db: Reads, actor: Actor) -> list[CourseRow]:
    """Every course."""
    actor.require("hr.read", "list courses")
    rows = reader_of(db).rows(
        "SELECT code, title, title_ar, hours, cert_months FROM hr_course ORDER BY code"
    )
    return [
        CourseRow(
            code=str(code),
            title=str(title),
            title_ar=str(title_ar),
            hours=int(hours),
            cert_months=None if months is None else int(months),
        )
        for code, title, title_ar, hours, months in rows
    ]


@dataclass(frozen=True)
class SessionRow(ListRow):
    id: int
    course: str
    title: str
    starts_on: date
    ends_on: date
    trainer: str
    location: str
    capacity: int | None
    enrolled: int
    status: str


SESSION_COLUMNS = [
    "id",
    "course",
    "title",
    "starts_on",
    "ends_on",
    "trainer",
    "location",
    "capacity",
    "enrolled",
    "status",
]


def list_sessions(
    db: Reads, actor: Actor, *, course: str | None = None, upcoming_from: date | None = None
) -> list[SessionRow]:
    """Sessions with their enrollment counts, by start date."""
    actor.require("hr.read", "list training sessions")
    where: list[str] = []
    params: dict[str, Any] = {}
    if course:
        where.append("c.code = :course")
        params["course"] = course.strip().upper()
    if upcoming_from:
        where.append("s.ends_on >= :from_day")
        params["from_day"] = upcoming_from
    rows = reader_of(db).rows(
        "SELECT s.id, c.code, c.title, s.starts_on, s.ends_on, s.trainer, s.location,"
        " s.capacity, (SELECT count(*) FROM hr_enrollment n"
        "  WHERE n.session_id = s.id AND n.status <> 'cancelled'), s.status"
        " FROM hr_training_session s JOIN hr_course c ON c.id = s.course_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY s.starts_on, s.id",
        params,
    )
    return [
        SessionRow(
            id=int(r[0]),
            course=str(r[1]),
            title=str(r[2]),
            starts_on=_day(r[3]),
            ends_on=_day(r[4]),
            trainer=str(r[5]),
            location=str(r[6]),
            capacity=None if r[7] is None else int(r[7]),
            enrolled=int(r[8]),
            status=str(r[9]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CertificationRow(ListRow):
    id: int
    employee: str
    name: str
    certification: str
    issued_on: date
    expires_on: date | None
    days_left: int | None
    reference: str


CERT_COLUMNS = [
    "id",
    "employee",
    "name",
    "certification",
    "issued_on",
    "expires_on",
    "days_left",
    "reference",
]


def list_certifications(
    db: Reads,
    actor: Actor,
    *,
    employee: str | None = None,
    expiring_by: date | None = None,
    include_expired: bool = True,
    today: date | None = None,
) -> list[CertificationRow]:
    """Certifications, soonest expiry first; ``expiring_by`` keeps those expiring by then.

    Raises:
        NotFound: ``employee`` is no employee's number.
    """
    actor.require("hr.read", "list certifications")
    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, Any] = {}
    if employee:
        found = reader.scalar(
            "SELECT id FROM hr_employee WHERE number = :number",
            {"number": employee.strip().upper()},
        )
        if found is None:
            raise NotFound(f"no employee {employee!r}")
        where.append("e.id = :employee")
        params["employee"] = int(found)
    if expiring_by is not None:
        where += [
            "c.expires_on IS NOT NULL",
            "c.expires_on <= :by",
            "e.status <> 'terminated'",
        ]
        params["by"] = expiring_by
        if not include_expired and today is not None:
            where.append("c.expires_on >= :today")
            params["today"] = today
    rows = reader.rows(
        "SELECT c.id, e.number, e.name, c.name, c.issued_on, c.expires_on, c.reference"
        " FROM hr_certification c JOIN hr_employee e ON e.id = c.employee_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY c.expires_on IS NULL, c.expires_on",
        params,
    )
    result: list[CertificationRow] = []
    for id_, number, name, certification, issued_on, expires_on, reference in rows:
        expires = day_of(expires_on)
        result.append(
            CertificationRow(
                id=int(id_),
                employee=str(number),
                name=str(name),
                certification=str(certification),
                issued_on=_day(issued_on),
                expires_on=expires,
                days_left=(expires - today).days if expires and today else None,
                reference=str(reference),
            )
        )
    return result


def expiring(db: Reads, actor: Actor, *, today: date, within_days: int) -> list[CertificationRow]:
    """Certifications of current staff that expire within ``within_days`` (or already have).

    A certification superseded by a later one of the same name for the same employee is left
    out: renewing it settles the matter.

    Raises:
        ValidationFailed: a negative window.
    """
    if within_days < 0:
        raise ValidationFailed("the window cannot be negative")
    rows = list_certifications(
        db, actor, expiring_by=today + timedelta(days=within_days), today=today
    )
    latest = {
        (str(number), str(name)): day_of(last)
        for number, name, last in reader_of(db).rows(
            "SELECT e.number, c.name, max(c.expires_on) FROM hr_certification c"
            " JOIN hr_employee e ON e.id = c.employee_id GROUP BY c.employee_id, e.number, c.name"
        )
    }
    return [r for r in rows if latest.get((r.employee, r.certification)) == r.expires_on]
