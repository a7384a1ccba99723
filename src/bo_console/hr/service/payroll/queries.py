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
from bo_console.hr.models.views import PayslipView, RunView, records
from bo_console.hr.service.common import (
    currency_of,
    format_days,
)
from bo_console.hr.service.payroll.rules import PAY_AMOUNTS, SLIP_DETAIL
from bo_console.hr.service.payroll.runs import get_run

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.paging import QuerySource


# -- reading ----------------------------------------------------------------------------------


def _may_read_pay(actor: Actor) -> None:
    if not (actor.can("payroll.prepare") or actor.can("payroll.approve")):
        actor.require("payroll.prepare", "read pay runs")
    actor.require("hr.confidential", "read pay amounts")


def list_runs(session: Session, actor: Actor) -> list[RunView]:
    """Every pay run, newest month first (totals need ``hr.confidential``)."""
    from sqlmodel import col, select

    from bo_console.hr.models import PayRun

    _may_read_pay(actor)
    _, exponent = currency_of(session)
    return [
        RunView(
            id=r.id,
            period=r.period,
            status=r.status,
            employees=r.employees,
            gross=from_minor(r.gross, exponent),
            net=from_minor(r.net, exponent),
            employer_cost=from_minor(r.employer_cost, exponent),
            prepared_by=r.prepared_by,
            approved_by=r.approved_by or "",
            posted_by=r.posted_by or "",
            entry=r.entry_ref or "",
            paid_by=r.paid_by or "",
        )
        for r in session.exec(
            select(PayRun).order_by(col(PayRun.period).desc(), col(PayRun.id).desc())
        ).all()
    ]


RUN_COLUMNS = [
    "id",
    "period",
    "status",
    "employees",
    "gross",
    "net",
    "employer_cost",
    "prepared_by",
    "approved_by",
    "posted_by",
    "entry",
    "paid_by",
]


def payslips(
    session: Session, actor: Actor, run_id: int, *, purpose: str = "view"
) -> list[PayslipView]:
    """The payslips of a run (confidential: audited as a view of each employee's pay)."""
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, Payslip

    _may_read_pay(actor)
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


def runs_overview(session: Session, actor: Actor) -> tuple[list[RunView], bool]:
    """Every pay run, newest month first, for anyone who reads HR: who prepared, approved,
    posted and paid it. The totals are there only for those who may read pay (the second
    value says so); everyone else gets the mask in their place."""
    from bo_console.hr.service.common import MASK

    actor.require("hr.read", "list pay runs")
    revealed = actor.can("hr.confidential") and (
        actor.can("payroll.prepare") or actor.can("payroll.approve")
    )
    if revealed:
        return list_runs(session, actor), True
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.hr.models import PayRun

    # Only the columns a reader without hr.confidential may read (on PostgreSQL the server
    # refuses the totals' columns to them).
    rows = [
        RunView(
            id=run_id,
            period=period,
            status=status,
            employees=employees,
            gross=MASK,
            net=MASK,
            employer_cost=MASK,
            prepared_by=prepared_by,
            approved_by=approved_by or "",
            posted_by=posted_by or "",
            entry=entry_ref or "",
            paid_by=paid_by or "",
        )
        for run_id, period, status, employees, prepared_by, approved_by, posted_by, entry_ref, (
            paid_by
        ) in session.execute(
            select(
                col(PayRun.id),
                col(PayRun.period),
                col(PayRun.status),
                col(PayRun.employees),
                col(PayRun.prepared_by),
                col(PayRun.approved_by),
                col(PayRun.posted_by),
                col(PayRun.entry_ref),
                col(PayRun.paid_by),
            ).order_by(col(PayRun.period).desc(), col(PayRun.id).desc())
        ).all()
    ]
    return rows, False


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

    _may_read_pay(actor)
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
