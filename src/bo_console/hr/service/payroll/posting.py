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
from bo_console.hr.service.lists import may_read_pay as _may_read_pay
from bo_console.hr.service.payroll.runs import _not_preparer, get_run

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import PayRun


# -- posting to the ledger --------------------------------------------------------------------


ACCOUNTS: dict[str, tuple[str, str]] = {
    "salary_expense": ("6100", "Salaries and wages (expense, by department)"),
    "si_expense": ("6110", "Social insurance, employer share (expense, by department)"),
    "benefit_expense": ("6120", "Employee benefits (expense, by department)"),
    "eos_expense": ("6130", "End-of-service benefits (expense, by department)"),
    "leave_expense": ("6100", "Leave pay accrued (expense, by department)"),
    "eos_provision": ("2520", "End-of-service benefits provision"),
    "leave_provision": ("2340", "Accrued leave"),
    "advances": ("1230", "Employee advances (recovered from pay)"),
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
    """The balanced journal lines of a run: expenses by department, provisions, liabilities,
    net pay.

    A department gets its own expense lines only when it has at least
    ``journal_min_headcount`` payslips in the run; smaller ones are merged into lines without
    a cost centre, and when those merged units together are still below the threshold every
    expense is posted as one line, so no line of the entry is one person's pay.
    End-of-service awards and leave encashment are paid out of their provisions.
    """
    from sqlalchemy import func, select
    from sqlmodel import col

    from bo_console.hr.models import Payslip
    from bo_console.hr.service.payroll.rules import load_rules

    codes = account_codes(session)
    minimum = max(1, load_rules(session).journal_min_headcount)
    stmt = (
        select(
            col(Payslip.org_unit),
            func.count(),
            func.sum(col(Payslip.gross) - col(Payslip.eos_award) - col(Payslip.leave_encashment)),
            func.sum(col(Payslip.employer_si)),
            func.sum(col(Payslip.benefit_employer)),
            func.sum(col(Payslip.eos_accrual)),
            func.sum(col(Payslip.leave_accrual)),
            func.sum(col(Payslip.employee_si)),
            func.sum(col(Payslip.benefit_employee)),
            func.sum(col(Payslip.other_deductions) - col(Payslip.advance_recovery)),
            func.sum(col(Payslip.advance_recovery)),
            func.sum(col(Payslip.eos_award)),
            func.sum(col(Payslip.leave_encashment)),
            func.sum(col(Payslip.net)),
        )
        .where(col(Payslip.run_id) == run.id)
        .group_by(col(Payslip.org_unit))
        .order_by(col(Payslip.org_unit))
    )
    rows = [(r[0], int(r[1]), *(int(v or 0) for v in r[2:])) for r in session.execute(stmt).all()]
    small = [r for r in rows if r[1] < minimum]
    merged_people = sum(r[1] for r in small)
    groups: dict[str | None, list[int]] = {}
    for row in rows:
        unit: str | None = row[0]
        if row[1] < minimum or (small and merged_people < minimum):
            unit = None
        totals = groups.setdefault(unit, [0] * 5)
        for i in range(5):
            totals[i] += row[2 + i]
    lines: list[LedgerLine] = []
    memo = f"Payroll {run.period}"
    expense_roles = (
        "salary_expense",
        "si_expense",
        "benefit_expense",
        "eos_expense",
        "leave_expense",
    )
    for unit in sorted(groups, key=lambda u: (u is None, u or "")):
        for role, amount in zip(expense_roles, groups[unit], strict=True):
            if amount > 0:
                lines.append(LedgerLine(role, codes[role], amount, 0, unit, memo))
            elif amount < 0:  # a provision released by more than the month adds
                lines.append(LedgerLine(role, codes[role], 0, -amount, unit, memo))
    total = [sum(r[i] for r in rows) for i in range(2, len(rows[0]))] if rows else [0] * 12
    _, er_si, er_ben, eos_acc, leave_acc, ee_si, ee_ben, other, advance, award, encash, net = total
    for role, amount in (
        ("eos_provision", eos_acc - award),
        ("leave_provision", leave_acc - encash),
        ("si_payable", er_si + ee_si),
        ("benefit_payable", er_ben + ee_ben),
        ("deductions_payable", other),
        ("advances", advance),
        ("net_payable", net),
    ):
        if amount > 0:
            lines.append(LedgerLine(role, codes[role], 0, amount, None, memo))
        elif amount < 0:
            lines.append(LedgerLine(role, codes[role], -amount, 0, None, memo))
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
