"""Posting pay runs to the ledger, through finance's public service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import (
    RuleViolation,
)
from bo_console.core.security import Actor
from bo_console.hr.service.payroll.queries import _may_read_pay
from bo_console.hr.service.payroll.runs import _not_preparer, get_run

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import PayRun


# -- posting to the ledger --------------------------------------------------------------------


ACCOUNTS: dict[str, tuple[str, str]] = {
    "salary_expense": ("6100", "Salaries and wages (expense, by department)"),
    "si_expense": ("6110", "Social insurance, employer share (expense, by department)"),
    "benefit_expense": ("6120", "Employee benefits (expense, by department)"),
    "si_payable": ("2310", "Social insurance payable"),
    "benefit_payable": ("2320", "Employee benefits payable"),
    "deductions_payable": ("2330", "Other payroll deductions payable"),
    "net_payable": ("2300", "Salaries payable"),
    "bank": ("1110", "Bank (salary payments)"),
}
"""The ledger accounts payroll posts to: role -> (default code, what it is). The code in force
is the setting ``hr.account.<role>``."""


@dataclass(frozen=True)
class LedgerLine:
    """One line of the payroll journal entry (amounts in minor units)."""

    role: str
    account: str
    debit: int
    credit: int
    department: str | None = None
    memo: str = ""


def account_codes(session: Session) -> dict[str, str]:
    """Account code per role: the ``hr.account.<role>`` setting, else the default; salaries
    are paid from the ledger's own ``bank`` account unless HR names another."""
    from bo_console.core import settings

    codes = {
        role: settings.get(session, f"hr.account.{role}") or code
        for role, (code, _) in ACCOUNTS.items()
    }
    if not settings.get(session, "hr.account.bank"):
        from bo_console.finance import service as finance

        codes["bank"] = finance.account_for_role(session, "bank")
    return codes


def posting_lines(session: Session, run: PayRun) -> list[LedgerLine]:
    """The balanced journal lines of a run: expenses by department, liabilities, net pay."""
    from sqlalchemy import func, select
    from sqlmodel import col

    from bo_console.hr.models import Payslip

    codes = account_codes(session)
    stmt = (
        select(
            col(Payslip.org_unit),
            func.sum(col(Payslip.gross)),
            func.sum(col(Payslip.employer_si)),
            func.sum(col(Payslip.benefit_employer)),
            func.sum(col(Payslip.employee_si)),
            func.sum(col(Payslip.benefit_employee)),
            func.sum(col(Payslip.other_deductions)),
            func.sum(col(Payslip.net)),
        )
        .where(col(Payslip.run_id) == run.id)
        .group_by(col(Payslip.org_unit))
        .order_by(col(Payslip.org_unit))
    )
    lines: list[LedgerLine] = []
    si_payable = benefit_payable = deductions = net = 0
    memo = f"Payroll {run.period}"
    for unit, gross, er_si, er_ben, ee_si, ee_ben, other, unit_net in session.execute(stmt).all():
        for role, amount in (
            ("salary_expense", gross),
            ("si_expense", er_si),
            ("benefit_expense", er_ben),
        ):
            if amount:
                lines.append(LedgerLine(role, codes[role], int(amount), 0, unit, memo))
        si_payable += int(er_si) + int(ee_si)
        benefit_payable += int(er_ben) + int(ee_ben)
        deductions += int(other)
        net += int(unit_net)
    for role, amount in (
        ("si_payable", si_payable),
        ("benefit_payable", benefit_payable),
        ("deductions_payable", deductions),
        ("net_payable", net),
    ):
        if amount:
            lines.append(LedgerLine(role, codes[role], 0, amount, None, memo))
    return lines


def journal_preview(session: Session, actor: Actor, run_id: int) -> list[LedgerLine]:
    """The lines a run posts (or would post), for people to check: department totals of pay,
    so confidential and audited as a view of the run."""
    _may_read_pay(actor)
    run = get_run(session, run_id)
    lines = posting_lines(session, run)
    audit.record(
        session,
        actor,
        action="view",
        entity="pay_run",
        entity_id=run_id,
        changes={"fields": (None, "journal lines")},
    )
    return lines


def post_to_ledger(
    session: Session,
    actor: Actor,
    *,
    on: date,
    memo: str,
    reference: str,
    lines: list[LedgerLine],
) -> str:
    """Post one balanced entry through the finance service; returns the entry's number.

    This is the only place payroll touches the ledger. The ledger refuses a second entry for
    the same ``reference``, a closed period and an unbalanced entry on its own.
    """
    debit = sum(line.debit for line in lines)
    credit = sum(line.credit for line in lines)
    if debit != credit:
        raise RuleViolation(f"payroll entry does not balance ({debit} against {credit})")
    from bo_console.finance import service as finance

    entry = finance.post_entry(
        session,
        actor,
        finance.EntryCreate(
            date=on,
            memo=memo[:200],
            source="payroll",
            source_ref=reference,
            lines=[
                finance.LineCreate(
                    account=line.account,
                    debit=line.debit,
                    credit=line.credit,
                    memo=line.memo[:200],
                    cost_centre=line.department,
                )
                for line in lines
            ],
        ),
        permission="payroll.approve",
    )
    return entry.ref


def post_run(session: Session, actor: Actor, run_id: int) -> bool:
    """Post an approved run to the ledger as one entry dated the month's last day.

    Returns False when it is already posted (or paid).
    """
    from bo_console.hr.service.common import parse_period

    actor.require("payroll.approve", "post pay runs")
    run = get_run(session, run_id)
    if run.status in ("posted", "paid"):
        return False
    if run.status != "approved":
        raise RuleViolation(f"pay run {run_id} is {run.status}; approve it before posting")
    _not_preparer(actor, run, "post")
    period = parse_period(run.period)
    lines = posting_lines(session, run)
    reference = post_to_ledger(
        session,
        actor,
        on=period.end,
        memo=f"Payroll {run.period} (pay run {run_id})",
        reference=f"pay_run:{run_id}",
        lines=lines,
    )
    run.status = "posted"
    run.posted_by = actor.login
    run.posted_at = utcnow()
    run.entry_ref = reference
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor,
        action="post",
        entity="pay_run",
        entity_id=run_id,
        changes={"status": ("approved", "posted"), "entry": (None, reference)},
    )
    return True
