"""Salary components and the dated salary history (confidential, ``hr.confidential``).

A change of salary is a set of component lines taking effect on a day; what was in force
before stays, so a pay run for an earlier month pays what was in force then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import FieldError, NotFound, ValidationFailed
from bo_console.core.security import Actor
from bo_console.hr.service.common import employee_by_number
from bo_console.hr.service.lists import ComponentView as ComponentView
from bo_console.hr.service.lists import list_components as list_components

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import PayComponent


@dataclass(frozen=True)
class SalaryLineView:
    """One dated component of an employee's salary (amount in minor units)."""

    component: str
    amount: int
    effective_from: date
    set_by: str


def _components(session: Session) -> dict[str, PayComponent]:
    from sqlmodel import select

    from bo_console.hr.models import PayComponent

    return {c.code: c for c in session.exec(select(PayComponent)).all()}


def add_component(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    in_gosi: bool = False,
    in_eos: bool = True,
    in_leave_pay: bool = True,
    in_overtime: bool = True,
) -> ComponentView:
    """Add a custom salary component. Needs ``payroll.approve`` (it changes pay rules)."""
    from bo_console.hr.models import PayComponent

    actor.require("payroll.approve", "add salary components")
    code = code.strip().upper()
    if not code or len(code) > 16 or not code.replace("_", "").isalnum():
        raise ValidationFailed(f"{code!r} is not a component code (up to 16 letters or digits)")
    if code in _components(session):
        raise ValidationFailed(f"salary component {code} exists")
    if not name.strip():
        raise ValidationFailed("a component needs a name")
    row = PayComponent(
        code=code,
        name=name.strip()[:120],
        in_gosi=in_gosi,
        in_eos=in_eos,
        in_leave_pay=in_leave_pay,
        in_overtime=in_overtime,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="pay_component",
        entity_id=code,
        changes={
            "name": (None, row.name),
            "in_gosi": (None, in_gosi),
            "in_eos": (None, in_eos),
            "in_leave_pay": (None, in_leave_pay),
            "in_overtime": (None, in_overtime),
        },
    )
    return ComponentView(code, row.name, in_gosi, in_eos, in_leave_pay, in_overtime, False)


def write_lines(
    session: Session,
    actor: Actor,
    employee_id: int,
    amounts: dict[str, int],
    effective_from: date,
    *,
    skip_zero: bool = False,
    replace: bool = True,
) -> None:
    """Store component lines taking effect on ``effective_from`` (a line already dated that day
    is replaced; ``replace`` False: the employee is new and has none). Callers check
    permissions and audit."""
    from sqlalchemy import Date, bindparam, text

    from bo_console.core.engine import insert_all
    from bo_console.hr.models import SalaryLine

    components = _components(session)
    errors = [
        FieldError(code, "no such salary component") for code in amounts if code not in components
    ] + [FieldError(code, "cannot be negative") for code, amount in amounts.items() if amount < 0]
    if errors:
        raise ValidationFailed(f"{errors[0].field}: {errors[0].message}", errors)
    lines = []
    for code, amount in amounts.items():
        if skip_zero and not amount:
            continue
        component_id = components[code].id
        if replace:
            # A plain statement: the ORM's delete would first look through every salary line
            # the session holds for ones to drop (a whole department's, in a bulk load).
            session.execute(
                text(
                    "DELETE FROM hr_salary_line WHERE employee_id = :e AND component_id = :c "
                    "AND effective_from = :d"
                ).bindparams(bindparam("d", type_=Date)),
                {"e": employee_id, "c": component_id, "d": effective_from},
            )
        lines.append(
            SalaryLine(
                employee_id=employee_id,
                component_id=component_id or 0,
                amount=amount,
                effective_from=effective_from,
                set_by=actor.login,
            )
        )
    insert_all(session, lines)


def set_salary(
    session: Session, actor: Actor, number: str, amounts: dict[str, int], effective_from: date
) -> list[SalaryLineView]:
    """Change an employee's salary components from ``effective_from`` (0 ends a component);
    returns the whole salary history. Audited with the amounts redacted.

    Raises:
        ValidationFailed: an unknown component, a negative amount, or a day before the hire.
    """
    from bo_console.core import clock
    from bo_console.hr.service.payroll.compute import salary_in_force

    actor.require("hr.write", "change salaries")
    actor.require("hr.confidential", "change salaries")
    employee = employee_by_number(session, number)
    assert employee.id is not None
    if not amounts:
        raise ValidationFailed("give at least one component and amount")
    if effective_from < employee.hire_date:
        raise ValidationFailed(
            f"a salary cannot take effect before the hire date ({employee.hire_date})"
        )
    write_lines(session, actor, employee.id, amounts, effective_from)
    now = salary_in_force(session, clock.today()).get(employee.id)
    from bo_console.hr.service.people.employees import _private

    private = _private(session, employee.id)
    private.base_salary = now.basic if now else 0
    private.allowances = now.allowances if now else 0
    session.add(private)
    session.flush()
    audit.record(
        session,
        actor,
        action="set_salary",
        entity="employee",
        entity_id=employee.number,
        changes={
            "effective_from": (None, effective_from),
            **{f"salary.{code}": (None, amount) for code, amount in amounts.items()},
        },
        confidential=tuple(f"salary.{code}" for code in amounts),
    )
    return salary_history(session, actor, number, audit_view=False)


def salary_history(
    session: Session, actor: Actor, number: str, *, audit_view: bool = True
) -> list[SalaryLineView]:
    """Every dated component line of an employee's salary, oldest first (an audited view)."""
    from sqlmodel import col, select

    from bo_console.hr.models import PayComponent, SalaryLine

    actor.require("hr.confidential", "see salaries")
    employee = employee_by_number(session, number)
    rows = session.exec(
        select(SalaryLine, PayComponent)
        .join(PayComponent, col(PayComponent.id) == col(SalaryLine.component_id))
        .where(col(SalaryLine.employee_id) == employee.id)
        .order_by(col(SalaryLine.effective_from), col(PayComponent.id))
    ).all()
    if audit_view:
        audit.record(
            session,
            actor,
            action="view",
            entity="employee",
            entity_id=employee.number,
            changes={"fields": (None, "salary history")},
        )
    return [
        SalaryLineView(c.code, line.amount, line.effective_from, line.set_by) for line, c in rows
    ]


def component(session: Session, code: str) -> PayComponent:
    """The component with this code.

    Raises:
        NotFound: there is none.
    """
    found = _components(session).get(code.strip().upper())
    if found is None:
        raise NotFound(f"no salary component {code!r}")
    return found
