"""Benefit plans and enrollments; a pay run charges each month's contributions.

A plan has a monthly employee contribution (deducted from pay) and a monthly employer
contribution. For a ``cash`` plan (a transport allowance, say) the employer part is paid to the
employee with their salary; for the others (medical insurance) it is owed to the provider.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.core.security import Actor
from bo_console.core.text import clean
from bo_console.hr.models.views import BenefitEnrollmentView, PlanView
from bo_console.hr.service import benefit_lists
from bo_console.hr.service.benefit_lists import ENROLLMENT_COLUMNS as ENROLLMENT_COLUMNS
from bo_console.hr.service.benefit_lists import PLAN_COLUMNS as PLAN_COLUMNS
from bo_console.hr.service.common import employee_by_number

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel import Session

    from bo_console.hr.models import BenefitEnrollment, BenefitPlan

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")


def add_plan(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    name_ar: str = "",
    employee_contribution: int = 0,
    employer_contribution: int = 0,
    cash: bool = False,
) -> BenefitPlan:
    """Create a benefit plan (monthly amounts in minor units)."""
    from sqlmodel import select

    from bo_console.hr.models import BenefitPlan

    actor.require("hr.manage", "create benefit plans")
    code = clean(code).upper()
    if not _CODE.match(code):
        raise ValidationFailed(f"invalid plan code {code!r}: up to 16 letters, digits, '-', '_'")
    if session.exec(select(BenefitPlan).where(BenefitPlan.code == code)).first() is not None:
        raise RuleViolation(f"benefit plan {code} already exists")
    name = clean(name)
    if not name or len(name) > 120:
        raise ValidationFailed("a plan needs a name of up to 120 characters")
    if employee_contribution < 0 or employer_contribution < 0:
        raise ValidationFailed("contributions cannot be negative")
    if cash and employee_contribution:
        raise ValidationFailed("a cash allowance has no employee contribution")
    plan = BenefitPlan(
        code=code,
        name=name,
        name_ar=clean(name_ar),
        employee_contribution=employee_contribution,
        employer_contribution=employer_contribution,
        cash=cash,
    )
    session.add(plan)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="benefit_plan",
        entity_id=code,
        changes={
            "name": (None, name),
            "employee_contribution": (None, employee_contribution),
            "employer_contribution": (None, employer_contribution),
            "cash": (None, cash),
        },
    )
    return plan


def plan_by_code(session: Session, code: str) -> BenefitPlan:
    """The plan with this code.

    Raises:
        NotFound: there is none.
    """
    from sqlmodel import select

    from bo_console.hr.models import BenefitPlan

    plan = session.exec(select(BenefitPlan).where(BenefitPlan.code == code.strip().upper())).first()
    if plan is None:
        raise NotFound(f"no benefit plan {code!r}")
    return plan


def list_plans(session: Session, actor: Actor) -> list[PlanView]:
    """Every plan, with how many employees are enrolled today-or-later."""
    return [PlanView(**r.record()) for r in benefit_lists.list_plans(session, actor)]


def enroll(
    session: Session, actor: Actor, *, plan: str, employee: str, starts_on: date
) -> BenefitEnrollment:
    """Enroll an employee in a plan from ``starts_on`` (no overlapping enrollment in it)."""
    from sqlmodel import col, select

    from bo_console.hr.models import BenefitEnrollment

    actor.require("hr.write", "enroll employees in benefits")
    plan_row = plan_by_code(session, plan)
    if not plan_row.active:
        raise RuleViolation(f"benefit plan {plan_row.code} is closed")
    person = employee_by_number(session, employee)
    if person.termination_date is not None and person.termination_date < starts_on:
        raise RuleViolation(f"employee {person.number} leaves on {person.termination_date}")
    overlapping = session.exec(
        select(BenefitEnrollment).where(
            BenefitEnrollment.plan_id == plan_row.id,
            BenefitEnrollment.employee_id == person.id,
            col(BenefitEnrollment.ends_on).is_(None)
            | (col(BenefitEnrollment.ends_on) >= starts_on),
        )
    ).first()
    if overlapping is not None:
        raise RuleViolation(
            f"{person.number} is already in {plan_row.code} from {overlapping.starts_on}"
        )
    enrollment = BenefitEnrollment(
        plan_id=plan_row.id or 0, employee_id=person.id or 0, starts_on=starts_on
    )
    session.add(enrollment)
    session.flush()
    audit.record(
        session,
        actor,
        action="enroll",
        entity="benefit_plan",
        entity_id=plan_row.code,
        changes={"employee": (None, person.number), "starts_on": (None, starts_on)},
    )
    return enrollment


def enroll_many(session: Session, actor: Actor, wanted: Sequence[tuple[str, str, date]]) -> int:
    """:func:`enroll` for many (plan, employee, starts on) at once, in order, with the same
    checks (also between the enrollments given): the plans, the employees and their open
    enrollments read once, the enrollments and their audit rows written with one statement
    each. All or none. Returns how many were enrolled."""
    from sqlmodel import col, select

    from bo_console.core.engine import insert_all
    from bo_console.hr.models import BenefitEnrollment, Employee

    actor.require("hr.write", "enroll employees in benefits")
    if not wanted:
        return 0
    plans = {code.strip().upper(): None for code, _, _ in wanted}
    found_plans = {p: plan_by_code(session, p) for p in plans}
    numbers = {number.strip().upper() for _, number, _ in wanted}
    people = {
        e.number: e
        for e in session.exec(select(Employee).where(col(Employee.number).in_(numbers))).all()
    }
    taken: dict[tuple[int, int], list[BenefitEnrollment]] = {}
    for row in session.exec(
        select(BenefitEnrollment).where(
            col(BenefitEnrollment.plan_id).in_([p.id for p in found_plans.values()]),
            col(BenefitEnrollment.employee_id).in_([e.id for e in people.values()]),
        )
    ).all():
        taken.setdefault((row.plan_id, row.employee_id), []).append(row)
    new: list[BenefitEnrollment] = []
    entries: list[audit.Entry] = []
    for code, number, starts_on in wanted:
        plan_row = found_plans[code.strip().upper()]
        if not plan_row.active:
            raise RuleViolation(f"benefit plan {plan_row.code} is closed")
        person = people.get(number.strip().upper())
        if person is None:
            raise NotFound(f"no employee {number!r}")
        if person.termination_date is not None and person.termination_date < starts_on:
            raise RuleViolation(f"employee {person.number} leaves on {person.termination_date}")
        key = (plan_row.id or 0, person.id or 0)
        for other in taken.get(key, []):
            if other.ends_on is None or other.ends_on >= starts_on:
                raise RuleViolation(
                    f"{person.number} is already in {plan_row.code} from {other.starts_on}"
                )
        enrollment = BenefitEnrollment(plan_id=key[0], employee_id=key[1], starts_on=starts_on)
        taken.setdefault(key, []).append(enrollment)
        new.append(enrollment)
        entries.append(
            audit.Entry(
                actor,
                "enroll",
                "benefit_plan",
                plan_row.code,
                {"employee": (None, person.number), "starts_on": (None, starts_on)},
            )
        )
    insert_all(session, new)
    audit.record_many(session, entries)
    return len(new)


def end_enrollment(
    session: Session, actor: Actor, *, plan: str, employee: str, ends_on: date
) -> BenefitEnrollment:
    """End an employee's open enrollment in a plan on ``ends_on`` (inclusive)."""
    from sqlmodel import col, select

    from bo_console.hr.models import BenefitEnrollment

    actor.require("hr.write", "end benefit enrollments")
    plan_row = plan_by_code(session, plan)
    person = employee_by_number(session, employee)
    enrollment = session.exec(
        select(BenefitEnrollment).where(
            BenefitEnrollment.plan_id == plan_row.id,
            BenefitEnrollment.employee_id == person.id,
            col(BenefitEnrollment.ends_on).is_(None),
        )
    ).first()
    if enrollment is None:
        raise NotFound(f"{person.number} has no open enrollment in {plan_row.code}")
    if ends_on < enrollment.starts_on:
        raise ValidationFailed(f"the enrollment starts on {enrollment.starts_on}")
    enrollment.ends_on = ends_on
    session.add(enrollment)
    audit.record(
        session,
        actor,
        action="unenroll",
        entity="benefit_plan",
        entity_id=plan_row.code,
        changes={"employee": (None, person.number), "ends_on": (None, ends_on)},
    )
    return enrollment


def list_enrollments(
    session: Session, actor: Actor, *, plan: str | None = None, employee: str | None = None
) -> list[BenefitEnrollmentView]:
    """Enrollments, by plan then employee."""
    rows = benefit_lists.list_enrollments(session, actor, plan=plan, employee=employee)
    return [BenefitEnrollmentView(**r.record()) for r in rows]
