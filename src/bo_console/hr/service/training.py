"""Training: courses, sessions with a capacity, enrollments and completion, certifications.

Completing a course that certifies (``cert_months``) records a certification that expires that
many months after completion; :func:`expiring` lists the ones running out, for cron.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.core.security import Actor
from bo_console.core.text import clean
from bo_console.hr.models.views import CertificationView, CourseView, EnrollmentView, SessionView
from bo_console.hr.service import training_lists
from bo_console.hr.service.common import employee_by_number
from bo_console.hr.service.training_lists import CERT_COLUMNS as CERT_COLUMNS
from bo_console.hr.service.training_lists import SESSION_COLUMNS as SESSION_COLUMNS

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import Certification, Course, Enrollment, TrainingSession

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")


def add_course(
    session: Session,
    actor: Actor,
    *,
    code: str,
    title: str,
    title_ar: str = "",
    hours: int = 0,
    cert_months: int | None = None,
) -> Course:
    """Create a course; ``cert_months`` makes completing it a certification valid that long."""
    from sqlmodel import select

    from bo_console.hr.models import Course

    actor.require("hr.write", "create courses")
    code = clean(code).upper()
    if not _CODE.match(code):
        raise ValidationFailed(f"invalid course code {code!r}: up to 16 letters, digits, '-', '_'")
    if session.exec(select(Course).where(Course.code == code)).first() is not None:
        raise RuleViolation(f"course {code} already exists")
    title = clean(title)
    if not title or len(title) > 120:
        raise ValidationFailed("a course needs a title of up to 120 characters")
    if hours < 0 or (cert_months is not None and not 1 <= cert_months <= 240):
        raise ValidationFailed("hours cannot be negative; certification lasts 1 to 240 months")
    course = Course(
        code=code, title=title, title_ar=clean(title_ar), hours=hours, cert_months=cert_months
    )
    session.add(course)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="course",
        entity_id=code,
        changes={
            "title": (None, title),
            "hours": (None, hours),
            "cert_months": (None, cert_months),
        },
    )
    return course


def course_by_code(session: Session, code: str) -> Course:
    """The course with this code.

    Raises:
        NotFound: there is none.
    """
    from sqlmodel import select

    from bo_console.hr.models import Course

    course = session.exec(select(Course).where(Course.code == code.strip().upper())).first()
    if course is None:
        raise NotFound(f"no course {code!r}")
    return course


def list_courses(session: Session, actor: Actor) -> list[CourseView]:
    """Every course."""
    return [CourseView(**r.record()) for r in training_lists.list_courses(session, actor)]


def add_session(
    session: Session,
    actor: Actor,
    *,
    course: str,
    starts_on: date,
    ends_on: date | None = None,
    trainer: str = "",
    location: str = "",
    capacity: int = 10,
) -> TrainingSession:
    """Schedule a session of a course."""
    from bo_console.hr.models import TrainingSession

    actor.require("hr.write", "schedule training sessions")
    course_row = course_by_code(session, course)
    ends_on = ends_on or starts_on
    if ends_on < starts_on:
        raise ValidationFailed("a session cannot end before it starts")
    if capacity < 1:
        raise ValidationFailed("capacity must be at least 1")
    row = TrainingSession(
        course_id=course_row.id or 0,
        starts_on=starts_on,
        ends_on=ends_on,
        trainer=clean(trainer)[:120],
        location=clean(location)[:120],
        capacity=capacity,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="training_session",
        entity_id=row.id or 0,
        changes={
            "course": (None, course_row.code),
            "starts_on": (None, starts_on),
            "ends_on": (None, ends_on),
            "trainer": (None, row.trainer),
            "capacity": (None, capacity),
        },
    )
    return row


def get_session(session: Session, session_id: int) -> TrainingSession:
    """The training session with this id.

    Raises:
        NotFound: there is none.
    """
    from bo_console.hr.models import TrainingSession

    row = session.get(TrainingSession, session_id)
    if row is None:
        raise NotFound(f"no training session {session_id}")
    return row


def _taken(session: Session, session_id: int) -> int:
    from sqlmodel import col, func, select

    from bo_console.hr.models import Enrollment

    return int(
        session.exec(
            select(func.count())
            .select_from(Enrollment)
            .where(
                col(Enrollment.session_id) == session_id,
                col(Enrollment.status) != "cancelled",
            )
        ).one()
    )


def places_taken(session: Session, actor: Actor, session_id: int) -> tuple[int, int]:
    """(places taken, capacity) of a training session: every enrollment but a cancelled one
    holds a place, as :func:`enroll` counts them."""
    actor.require("hr.read", "list enrollments")
    return _taken(session, session_id), get_session(session, session_id).capacity


def list_sessions(
    session: Session, actor: Actor, *, course: str | None = None, upcoming_from: date | None = None
) -> list[SessionView]:
    """Sessions with their enrollment counts, by start date."""
    rows = training_lists.list_sessions(session, actor, course=course, upcoming_from=upcoming_from)
    return [SessionView(**r.record()) for r in rows]


def enroll(session: Session, actor: Actor, session_id: int, employee: str) -> Enrollment:
    """Give an employee a place in a session (refused when it is full)."""
    from sqlmodel import select

    from bo_console.hr.models import Enrollment

    actor.require("hr.write", "enroll employees in training")
    row = get_session(session, session_id)
    if row.status != "scheduled":
        raise RuleViolation(f"session {session_id} is {row.status}")
    person = employee_by_number(session, employee)
    if person.termination_date is not None and person.termination_date < row.starts_on:
        raise RuleViolation(f"employee {person.number} leaves on {person.termination_date}")
    existing = session.exec(
        select(Enrollment).where(
            Enrollment.session_id == session_id, Enrollment.employee_id == person.id
        )
    ).first()
    if existing is not None and existing.status != "cancelled":
        raise RuleViolation(f"{person.number} is already enrolled in session {session_id}")
    if _taken(session, session_id) >= row.capacity:
        raise RuleViolation(f"session {session_id} is full ({row.capacity} places)")
    if existing is not None:
        existing.status = "enrolled"
        enrollment = existing
    else:
        enrollment = Enrollment(session_id=session_id, employee_id=person.id or 0)
    session.add(enrollment)
    session.flush()
    audit.record(
        session,
        actor,
        action="enroll",
        entity="training_session",
        entity_id=session_id,
        changes={"employee": (None, person.number)},
    )
    return enrollment


def session_enrollments(session: Session, actor: Actor, session_id: int) -> list[EnrollmentView]:
    """Who is enrolled in a session (cancelled places too), by employee number."""
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, Enrollment

    actor.require("hr.read", "list enrollments")
    get_session(session, session_id)
    return [
        EnrollmentView(
            employee=number,
            name=name,
            status=e.status,
            completed_on=e.completed_on,
        )
        for e, number, name in session.exec(
            select(Enrollment, Employee.number, Employee.name)
            .join(Employee, col(Employee.id) == col(Enrollment.employee_id))
            .where(col(Enrollment.session_id) == session_id)
            .order_by(col(Employee.number))
        ).all()
    ]


ENROLLMENT_COLUMNS = ["employee", "name", "status", "completed_on"]


def _enrollment(session: Session, session_id: int, employee: str) -> tuple[Enrollment, str]:
    from sqlmodel import select

    from bo_console.hr.models import Enrollment

    person = employee_by_number(session, employee)
    enrollment = session.exec(
        select(Enrollment).where(
            Enrollment.session_id == session_id, Enrollment.employee_id == person.id
        )
    ).first()
    if enrollment is None:
        raise NotFound(f"{person.number} is not enrolled in session {session_id}")
    return enrollment, person.number


def complete(
    session: Session,
    actor: Actor,
    session_id: int,
    employee: str,
    *,
    on: date,
    outcome: str = "completed",
) -> Certification | None:
    """Record that an employee completed (or missed) a session.

    Completing a certifying course records a certification; returns it, else None.
    """
    from dateutil.relativedelta import relativedelta

    from bo_console.hr.models import Certification, Course

    actor.require("hr.write", "record training completion")
    if outcome not in ("completed", "no_show", "cancelled"):
        raise ValidationFailed("outcome is one of: completed, no_show, cancelled")
    row = get_session(session, session_id)
    enrollment, number = _enrollment(session, session_id, employee)
    if enrollment.status != "enrolled":
        raise RuleViolation(f"{number} is {enrollment.status} in session {session_id}")
    if outcome == "completed" and on < row.starts_on:
        raise ValidationFailed("completion cannot come before the session starts")
    enrollment.status = outcome
    enrollment.completed_on = on if outcome == "completed" else None
    session.add(enrollment)
    audit.record(
        session,
        actor,
        action=outcome,
        entity="training_session",
        entity_id=session_id,
        changes={"employee": (None, number), "status": ("enrolled", outcome)},
    )
    course = session.get(Course, row.course_id)
    if outcome != "completed" or course is None or course.cert_months is None:
        return None
    cert = Certification(
        employee_id=enrollment.employee_id,
        name=course.title,
        course_id=course.id,
        enrollment_id=enrollment.id,
        issued_on=on,
        expires_on=on + relativedelta(months=course.cert_months),
        reference=f"{course.code}-{session_id}",
    )
    session.add(cert)
    session.flush()
    audit.record(
        session,
        actor,
        action="certify",
        entity="certification",
        entity_id=cert.id or 0,
        changes={
            "employee": (None, number),
            "name": (None, cert.name),
            "expires_on": (None, cert.expires_on),
        },
    )
    return cert


def add_certification(
    session: Session,
    actor: Actor,
    *,
    employee: str,
    name: str,
    issued_on: date,
    expires_on: date | None = None,
    reference: str = "",
) -> Certification:
    """Record a certification obtained outside our courses."""
    from bo_console.hr.models import Certification

    actor.require("hr.write", "record certifications")
    person = employee_by_number(session, employee)
    name = clean(name)
    if not name or len(name) > 120:
        raise ValidationFailed("a certification needs a name of up to 120 characters")
    if expires_on is not None and expires_on < issued_on:
        raise ValidationFailed("a certification cannot expire before it is issued")
    cert = Certification(
        employee_id=person.id or 0,
        name=name,
        issued_on=issued_on,
        expires_on=expires_on,
        reference=clean(reference)[:60],
    )
    session.add(cert)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="certification",
        entity_id=cert.id or 0,
        changes={
            "employee": (None, person.number),
            "name": (None, name),
            "expires_on": (None, expires_on),
        },
    )
    return cert


def list_certifications(
    session: Session,
    actor: Actor,
    *,
    employee: str | None = None,
    expiring_by: date | None = None,
    include_expired: bool = True,
    today: date | None = None,
) -> list[CertificationView]:
    """Certifications, soonest expiry first; ``expiring_by`` keeps those expiring by then."""
    rows = training_lists.list_certifications(
        session,
        actor,
        employee=employee,
        expiring_by=expiring_by,
        include_expired=include_expired,
        today=today,
    )
    return [CertificationView(**r.record()) for r in rows]


def expiring(
    session: Session, actor: Actor, *, today: date, within_days: int
) -> list[CertificationView]:
    """Certifications of current staff that expire within ``within_days`` (or already have),
    leaving out those superseded by a later one of the same name."""
    rows = training_lists.expiring(session, actor, today=today, within_days=within_days)
    return [CertificationView(**r.record()) for r in rows]


def notify_expiring(session: Session, actor: Actor, rows: list[CertificationView]) -> int:
    """Put a work item in the HR inbox for each row that has no open one yet; returns how many."""
    from sqlmodel import col, select

    from bo_console.core import inbox
    from bo_console.core.models import WorkItem

    open_refs = set(
        session.exec(
            select(WorkItem.ref_id).where(
                WorkItem.ref_entity == "certification",
                col(WorkItem.status).in_(inbox.OPEN_STATUSES),
            )
        ).all()
    )
    made = 0
    for row in rows:
        ref = str(row["id"])
        if ref in open_refs:
            continue
        expires = row["expires_on"]
        inbox.create_item(
            session,
            actor,
            from_dept="hr",
            item=inbox.NewWorkItem(
                to_dept="hr",
                kind="certification",
                subject=f"{row['certification']} of {row['name']} ({row['employee']}) "
                f"expires {expires}",
                body="Schedule a renewal session or record the renewed certification.",
                ref_entity="certification",
                ref_id=ref,
                due_date=expires,
            ),
        )
        made += 1
    return made
