"""Reading pay runs and payslips (confidential; each view of pay is audited)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo_console.core import audit
from bo_console.core.errors import (
    ValidationFailed,
)
from bo_console.core.money import from_minor
from bo_console.core.security import Actor
from bo_console.hr.models.views import PayslipView, records
from bo_console.hr.service.common import (
    currency_of,
    format_days,
)
from bo_console.hr.service.lists import RUN_COLUMNS as RUN_COLUMNS
from bo_console.hr.service.lists import list_runs as list_runs
from bo_console.hr.service.lists import may_read_pay
from bo_console.hr.service.lists import runs_overview as runs_overview
from bo_console.hr.service.payroll.rules import PAY_AMOUNTS, SLIP_DETAIL
from bo_console.hr.service.payroll.runs import get_run

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.paging import QuerySource


# -- reading ----------------------------------------------------------------------------------


def payslips(
    session: Session, actor: Actor, run_id: int, *, purpose: str = "view"
) -> list[PayslipView]:
    """The payslips of a run (confidential: audited as a view of each employee's pay)."""
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, Payslip

    may_read_pay(actor)
    run = get_run(session, run_id)
    _, exponent = currency_of(session)
    rows = []
    for slip, number, name in session.exec(
        select(Payslip, Employee.number, Employee.name)
        .join(Employee, col(Employee.id) == col(Payslip.employee_id))
        .where(col(Payslip.run_id) == run.id)
        .order_by(col(Employee.number))
    ).all():
        row: dict[str, Any] = {
            "employee": number,
            "name": name,
            "org_unit": slip.org_unit,
            "days_paid": slip.days_paid,
            "unpaid_days": format_days(slip.unpaid_days),
        }
        for amount in (*PAY_AMOUNTS, *SLIP_DETAIL):
            row[amount] = from_minor(getattr(slip, amount), exponent)
        row["note"] = slip.note
        rows.append(PayslipView.model_validate(row))
    if rows:
        audit.record_view(
            session,
            actor,
            entity="employee",
            entity_ids=[r.employee for r in rows],
            fields=("payslip",),
            purpose=purpose,
        )
    return rows


PAYSLIP_COLUMNS = ["employee", "name", "org_unit", "days_paid", "unpaid_days", *PAY_AMOUNTS, "note"]


def export_payslips(session: Session, actor: Actor, run_id: int, path: Path, fmt: str) -> int:
    """Write a run's payslips to CSV, XLSX or JSON (audited as an export); returns the count."""
    from bo_console.core import io

    if fmt not in ("csv", "xlsx", "json"):
        raise ValidationFailed(f"cannot write {fmt!r}; use csv, xlsx or json")
    rows = payslips(session, actor, run_id, purpose="export")
    io.write_file(records(rows), PAYSLIP_COLUMNS, path, fmt)
    return len(rows)


def payslips_source(store: Store, actor: Actor, run_id: int) -> QuerySource:
    """A run's payslips as a virtual table reads them (by employee record order, filtered by
    the folded search on number and name). Opening it is a view of every payslip in the run,
    audited at once, as :func:`payslips` does.

    Raises:
        PermissionDenied: without the permissions to read pay.
        NotFound: no such run.
    """
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.core.money import format_amount
    from bo_console.core.paging import Column, QuerySource
    from bo_console.hr.models import Employee, Payslip
    from bo_console.hr.service import people

    may_read_pay(actor)
    with store.write() as session:
        run = get_run(session, run_id)
        _, exponent = currency_of(session)
        numbers = session.execute(
            select(col(Employee.number))
            .join(Payslip, col(Payslip.employee_id) == col(Employee.id))
            .where(col(Payslip.run_id) == run.id)
            .order_by(col(Employee.number))
        ).scalars()
        audit.record_view(
            session,
            actor,
            entity="employee",
            entity_ids=[str(n) for n in numbers],
            fields=("payslip",),
        )

    def amount(value: Any) -> str:
        return format_amount(int(value), exponent)

    deductions = (
        col(Payslip.employee_si) + col(Payslip.benefit_employee) + col(Payslip.other_deductions)
    )
    base = (
        select(
            col(Payslip.id).label("id"),
            col(Employee.number).label("employee"),
            col(Employee.name).label("name"),
            col(Payslip.org_unit).label("org_unit"),
            col(Payslip.days_paid).label("days_paid"),
            col(Payslip.unpaid_days).label("unpaid_days"),
            *(getattr(Payslip, name).label(name) for name in PAY_AMOUNTS),
            deductions.label("deductions"),
            col(Payslip.note).label("note"),
        )
        .select_from(Payslip)
        .join(Employee, col(Employee.id) == col(Payslip.employee_id))
        .where(col(Payslip.run_id) == run_id)
    )
    columns = [
        Column("employee", "No.", 7),
        Column("name", "Name", 18),
        Column("org_unit", "Unit", 5),
        Column("days_paid", "Days", 4, "right"),
        Column("gross", "Gross", 12, "right", fmt=amount),
        Column("deductions", "Deductions", 10, "right", fmt=amount),
        Column("net", "Net", 12, "right", fmt=amount),
        Column("base", "Base", 12, "right", fmt=amount),
        Column("allowances", "Allowances", 11, "right", fmt=amount),
        Column("overtime", "Overtime", 10, "right", fmt=amount),
        Column("unpaid_deduction", "Unpaid leave", 12, "right", fmt=amount),
        Column("employee_si", "SI employee", 11, "right", fmt=amount),
        Column("employer_si", "SI employer", 11, "right", fmt=amount),
        Column("note", "Note", 30),
    ]
    return QuerySource(
        store,
        base,
        col(Payslip.id),
        columns,
        filter_fn=people.search_condition,
    )
