"""Paying a posted run: the payment entry and the bank transfer lines."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import (
    RuleViolation,
)
from bo_console.core.money import from_minor
from bo_console.core.security import Actor
from bo_console.hr.models.views import TransferView
from bo_console.hr.service.common import (
    currency_of,
)
from bo_console.hr.service.payroll.posting import LedgerLine, account_codes, post_to_ledger
from bo_console.hr.service.payroll.runs import _not_preparer, get_run

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import PayRun


TRANSFER_COLUMNS = ["employee", "name", "iban", "amount", "currency", "reference"]


def transfer_rows(session: Session, actor: Actor, run: PayRun) -> list[TransferView]:
    """The bank transfer lines of a run (IBAN and net pay of each payslip with pay), audited
    as an export of confidential data."""
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, Payslip

    actor.require("hr.confidential", "export IBANs and pay")
    _, exponent = currency_of(session)
    rows: list[TransferView] = []
    for slip, number, name in session.exec(
        select(Payslip, Employee.number, Employee.name)
        .join(Employee, col(Employee.id) == col(Payslip.employee_id))
        .where(col(Payslip.run_id) == run.id, col(Payslip.net) > 0)
        .order_by(col(Employee.number))
    ).all():
        rows.append(
            TransferView(
                employee=number,
                name=name,
                iban=slip.iban or "",
                amount=from_minor(slip.net, exponent),
                currency=run.currency,
                reference=f"SALARY {run.period} {number}",
            )
        )
    audit.record_view(
        session,
        actor,
        entity="employee",
        entity_ids=[r["employee"] for r in rows],
        fields=("iban", "net_pay"),
        purpose="export",
    )
    return rows


def pay_run(
    session: Session, actor: Actor, run_id: int, *, paid_on: date
) -> tuple[bool, list[TransferView]]:
    """Pay a posted run: the payment entry (salaries payable against the bank) and the bank
    transfer lines. Returns (changed, transfer rows); a paid run is not paid again."""
    actor.require("payroll.approve", "pay pay runs")
    run = get_run(session, run_id)
    if run.status == "paid":
        return False, []
    if run.status != "posted":
        raise RuleViolation(f"pay run {run_id} is {run.status}; post it before paying")
    _not_preparer(actor, run, "pay")
    rows = transfer_rows(session, actor, run)
    codes = account_codes(session)
    memo = f"Salaries {run.period} (pay run {run_id})"
    reference = post_to_ledger(
        session,
        actor,
        on=paid_on,
        memo=memo,
        reference=f"pay_run:{run_id}:payment",
        lines=[
            LedgerLine("net_payable", codes["net_payable"], run.net, 0, None, memo),
            LedgerLine("bank", codes["bank"], 0, run.net, None, memo),
        ],
    )
    run.status = "paid"
    run.paid_by = actor.login
    run.paid_at = utcnow()
    run.payment_ref = reference
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor,
        action="pay",
        entity="pay_run",
        entity_id=run_id,
        changes={"status": ("posted", "paid"), "payment": (None, reference)},
    )
    return True, rows
