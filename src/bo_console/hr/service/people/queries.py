"""Reading employees: one employee's record, the Employees tab's source, the headcount report
(the list itself is :mod:`bo_console.hr.service.employee_list`, re-exported here).

Confidential fields are read from ``hr_employee_private`` only when the caller asks to reveal
them and holds ``hr.confidential``; each reveal writes an audit row naming whose records were
seen (never the values). Everyone else gets :data:`~bo_console.hr.service.common.MASK` in their
place, cannot sort or filter by them, and a text search never looks at them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bo_console.core import audit
from bo_console.core.errors import (
    ValidationFailed,
)
from bo_console.core.security import Actor
from bo_console.core.text import fold
from bo_console.hr.models.views import HeadcountView
from bo_console.hr.service import employee_list
from bo_console.hr.service.common import (
    currency_of,
)
from bo_console.hr.service.employee_list import SORTS as SORTS
from bo_console.hr.service.employee_list import EmployeeQuery as EmployeeQuery
from bo_console.hr.service.employee_list import EmployeeRow as EmployeeRow
from bo_console.hr.service.employee_list import employee_record as employee_record
from bo_console.hr.service.employee_list import list_employees as list_employees
from bo_console.hr.service.org_lists import REPORT_COLUMNS as REPORT_COLUMNS

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement, Select
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.paging import QuerySource
    from bo_console.core.reading import Reads


# -- reading ----------------------------------------------------------------------------------


def search_condition(text: str) -> ColumnElement[bool] | None:
    """The WHERE condition of a text search: the folded search column contains the folded text.

    Matches Arabic names whatever the alef form, ta marbuta or diacritics, Latin names in any
    case, numbers, e-mail and phone; never a confidential field.
    """
    from sqlmodel import col

    from bo_console.hr.models import Employee

    needle = fold(text)
    if not needle:
        return None
    return col(Employee.search_text).contains(needle, autoescape=True)


def employees_select(reveal: bool = False) -> Select[Any]:
    """The base query of employee lists: one row per employee with unit, position, manager.

    Confidential columns are added only when ``reveal`` (the caller has checked the permission).
    """
    from sqlalchemy import select
    from sqlalchemy.orm import aliased
    from sqlmodel import col

    from bo_console.hr.models import Employee, EmployeePrivate, OrgUnit, Position

    boss: Any = aliased(Employee)
    columns: list[Any] = [
        col(Employee.id).label("id"),
        col(Employee.number).label("number"),
        col(Employee.name).label("name"),
        col(Employee.name_ar).label("name_ar"),
        col(OrgUnit.code).label("org_unit"),
        col(OrgUnit.name).label("org_unit_name"),
        col(Position.title).label("position"),
        col(Position.code).label("position_code"),
        boss.number.label("manager"),
        col(Employee.hire_date).label("hire_date"),
        col(Employee.termination_date).label("termination_date"),
        col(Employee.status).label("status"),
        col(Employee.email).label("email"),
        col(Employee.phone).label("phone"),
        col(Employee.login).label("login"),
        col(Employee.nationality).label("nationality"),
        col(Employee.contract_ends_on).label("contract_ends_on"),
        col(Employee.leaving_reason).label("leaving_reason"),
    ]
    if reveal:
        columns += [
            col(EmployeePrivate.base_salary).label("base_salary"),
            col(EmployeePrivate.allowances).label("allowances"),
            col(EmployeePrivate.iban).label("iban"),
            col(EmployeePrivate.national_id).label("national_id"),
            col(EmployeePrivate.birth_date).label("birth_date"),
        ]
    stmt = (
        select(*columns)
        .select_from(Employee)
        .join(OrgUnit, col(OrgUnit.id) == col(Employee.org_unit_id))
        .outerjoin(Position, col(Position.id) == col(Employee.position_id))
        .outerjoin(boss, boss.id == col(Employee.manager_id))
    )
    if reveal:
        stmt = stmt.outerjoin(EmployeePrivate, col(EmployeePrivate.employee_id) == col(Employee.id))
    return stmt


def sort_expression(sort: str) -> Any:
    """The indexed expression an employee list sorts by (``salary`` only in revealed lists)."""
    from sqlmodel import col

    from bo_console.hr.models import Employee, EmployeePrivate

    expressions = {
        "number": col(Employee.number),
        "name": col(Employee.sort_name),
        "name_ar": col(Employee.sort_name_ar),
        "hire_date": col(Employee.hire_date),
        "unit": col(Employee.org_unit_id),
        "status": col(Employee.status),
        "salary": col(EmployeePrivate.base_salary),
    }
    if sort not in expressions:
        raise ValidationFailed(f"cannot sort by {sort!r} (one of: {', '.join(SORTS)})")
    return expressions[sort]


def _list_select(*extra: Any) -> Select[Any]:
    """The Employees list's query: one row per employee, unit and position as correlated
    lookups rather than joins, so that counting the rows (which a virtual table does on every
    open and filter) reads the employee table alone."""
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.hr.models import Employee, OrgUnit, Position

    unit = select(col(OrgUnit.code)).where(col(OrgUnit.id) == col(Employee.org_unit_id))
    title = select(col(Position.title)).where(col(Position.id) == col(Employee.position_id))
    return select(
        col(Employee.id).label("id"),
        col(Employee.number).label("number"),
        col(Employee.name).label("name"),
        col(Employee.name_ar).label("name_ar"),
        unit.scalar_subquery().label("org_unit"),
        title.scalar_subquery().label("position"),
        col(Employee.hire_date).label("hire_date"),
        col(Employee.status).label("status"),
        *extra,
    ).select_from(Employee)


LIST_SALARY_FIELDS = ("base_salary", "allowances")
"""Confidential fields a revealed employee list shows."""


def employees_source(
    store: Store,
    actor: Actor,
    *,
    sort: str = "name",
    descending: bool = False,
    reveal: bool = False,
) -> QuerySource:
    """The Employees list as a virtual table reads it: keyset-paged, filtered by the folded
    search, sortable on indexed columns only (never by salary).

    Without ``reveal`` it has no confidential column at all. With ``reveal`` (needs
    ``hr.confidential``) it adds base salary and allowances, and every block of rows it reads
    is recorded in the audit trail as a view of those employees' pay.

    Raises:
        PermissionDenied: without ``hr.read``, or ``reveal`` without ``hr.confidential``.
    """
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.core.money import format_amount
    from bo_console.core.paging import Column, QuerySource
    from bo_console.hr.models import Employee, EmployeePrivate

    actor.require("hr.read", "list employees")
    if reveal:
        actor.require("hr.confidential", "see salaries in the employee list")
    columns = [
        Column("number", "No.", 8, sort=col(Employee.number)),
        Column("name", "Name", 28, sort=col(Employee.sort_name)),
        Column("name_ar", "الاسم", 22, sort=col(Employee.sort_name_ar)),
        Column("org_unit", "Unit", 6),
        Column("position", "Position", 20),
        Column("hire_date", "Hired", 10, sort=col(Employee.hire_date)),
        Column("status", "Status", 10, sort=col(Employee.status)),
    ]
    if not reveal:
        return QuerySource(
            store,
            _list_select(),
            col(Employee.id),
            columns,
            filter_fn=search_condition,
            sort_key=sort,
            descending=descending,
        )
    with store.read() as session:
        _, exponent = currency_of(session)

    def amount(value: Any) -> str:
        return format_amount(int(value), exponent)

    columns[2:2] = [
        Column("base_salary", "Salary", 12, "right", fmt=amount),
        Column("allowances", "Allowances", 11, "right", fmt=amount),
    ]
    base = _list_select(
        *(
            select(getattr(EmployeePrivate, name))
            .where(col(EmployeePrivate.employee_id) == col(Employee.id))
            .scalar_subquery()
            .label(name)
            for name in LIST_SALARY_FIELDS
        )
    )

    class RevealedSource(QuerySource):
        """Records each fetch of rows as a view of those employees' pay."""

        def _fetch(
            self, forward: bool, after: tuple[Any, Any] | None, limit: int, offset: int = 0
        ) -> list[dict[str, Any]]:
            rows = super()._fetch(forward, after, limit, offset)
            if rows:
                with store.write() as session:
                    audit.record_view(
                        session,
                        actor,
                        entity="employee",
                        entity_ids=[r["number"] for r in rows],
                        fields=LIST_SALARY_FIELDS,
                    )
            return rows

    return RevealedSource(
        store,
        base,
        col(Employee.id),
        columns,
        filter_fn=search_condition,
        sort_key=sort,
        descending=descending,
    )


def get_employee(
    db: Reads, actor: Actor, number: str, *, reveal: bool | None = None
) -> EmployeeRow:
    """One employee. ``reveal`` None reveals when the actor may (and audits the view)."""
    return employee_list.get_employee(db, actor, number, reveal=reveal)


def employee_actions(actor: Actor, row: EmployeeRow) -> frozenset[str]:
    """What ``actor`` may do with this employee's record: ``edit`` (``hr.write``) and
    ``terminate`` (``hr.manage``), ``salary`` (a dated component change: ``hr.write`` and
    ``hr.confidential``), none once the record is closed."""
    if row.status == "terminated":
        return frozenset()
    allowed = {"edit"} if actor.can("hr.write") else set()
    if actor.can("hr.manage"):
        allowed.add("terminate")
    if actor.can("hr.write") and actor.can("hr.confidential"):
        allowed.add("salary")
    return frozenset(allowed)


def headcount_report(
    session: Session, actor: Actor, *, reveal: bool = False
) -> list[HeadcountView]:
    """Head count per org unit; with ``reveal``, the monthly salary cost too (confidential:
    an average over a small team is as good as a salary)."""
    from bo_console.hr.service.org_lists import headcount_rows

    actor.require("hr.read", "read HR reports")
    if reveal:
        actor.require("hr.confidential", "see salary totals")
    rows = [HeadcountView(**r.record()) for r in headcount_rows(session, reveal=reveal)]
    if reveal:
        audit.record(
            session,
            actor,
            action="view",
            entity="hr_report",
            entity_id="headcount",
            changes={"fields": (None, "monthly_base,monthly_allowances")},
        )
    return rows
