"""Pay runs: run a month as a draft, approve, discard.

The whole run is written in the caller's single transaction: killed at any point, it leaves
all of it or none. ``payroll.prepare`` runs a month; someone else with ``payroll.approve``
approves, posts and pays it (the database refuses an approval by the preparer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import (
    FieldError,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.security import Actor
from bo_console.hr.service.common import (
    Period,
    currency_of,
)
from bo_console.hr.service.payroll.compute import PROGRESS_STEP, Progress, Slip, compute_period
from bo_console.hr.service.payroll.rules import PAY_AMOUNTS, RUN_AMOUNTS, SLIP_DETAIL

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import PayRun


# -- runs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_payroll` did: the run, and whether this call created it."""

    run: PayRun
    created: bool


def live_run(session: Session, period: Period) -> PayRun | None:
    """The month's run that is not discarded, if any."""
    from sqlmodel import col, select

    from bo_console.hr.models import PayRun

    return session.exec(
        select(PayRun).where(
            PayRun.period == period.key,
            col(PayRun.status) != "discarded",
            col(PayRun.kind) == "monthly",
        )
    ).first()


def month_order_problem(session: Session, period: Period) -> str | None:
    """Why a monthly run for ``period`` may not be made now, if it may not: its month is closed
    in the books, or it is not the month after the last monthly run (runs go in month order),
    or, for the first run, its month is covered by the opening provisions."""
    from sqlmodel import col, func, select

    from bo_console.finance import service as finance
    from bo_console.hr.models import PayRun
    from bo_console.hr.service.common import parse_period

    if finance.is_closed(session, period.key):
        return f"{period} is closed in the books; payroll cannot run for it"
    last = session.exec(
        select(func.max(col(PayRun.period))).where(
            col(PayRun.status) != "discarded", col(PayRun.kind) == "monthly"
        )
    ).one()
    if last is None:
        from bo_console.hr.models import ProvisionOpening

        opened = session.exec(select(func.max(col(ProvisionOpening.as_of)))).one()
        if opened is not None and period.start <= opened:
            # Those months' provisions are in the opening already.
            return f"the payroll provisions were opened at {opened}; the first run comes after"
        return None
    previous = parse_period(str(last))
    if period.key < previous.key:
        return f"pay runs go in month order: {previous} is already run, {period} comes before it"
    following = parse_period(
        f"{previous.start.year + previous.start.month // 12}-{previous.start.month % 12 + 1:02d}"
    )
    if period.key > following.key:
        return f"pay runs go in month order: run {following} before {period}"
    return None


def get_run(session: Session, run_id: int) -> PayRun:
    """The pay run with this id.

    Raises:
        NotFound: there is none.
    """
    from bo_console.hr.models import PayRun

    run = session.get(PayRun, run_id)
    if run is None:
        raise NotFound(f"no pay run {run_id}")
    return run


def _slip_row(slip: Slip, run_id: int, period: Period) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(slip, name) for name in (*PAY_AMOUNTS, *SLIP_DETAIL)}
    row.update(
        run_id=run_id,
        employee_id=slip.employee_id,
        period=period.key,
        org_unit=slip.org_unit,
        days_in_period=slip.days_in_period,
        days_paid=slip.days_paid,
        unpaid_days=slip.unpaid_days,
        iban=slip.iban,
        note=slip.note,
    )
    return row


def run_payroll(
    session: Session, actor: Actor, period: Period, *, progress: Progress | None = None
) -> RunResult:
    """Compute and store the month's pay run as a draft, in the caller's transaction.

    A month that already has a live run is left as it is (``created`` is False).
    ``progress`` hears ``(done, total)``: computing counts the first half, storing the second.

    Raises:
        ValidationFailed: a payslip would be negative, or someone to be paid has no IBAN.
    """
    actor.require("payroll.prepare", "run payroll")
    existing = live_run(session, period)
    if existing is not None:
        return RunResult(existing, False)
    problem = month_order_problem(session, period)
    if problem:
        raise RuleViolation(problem)

    def computing(done: int, total: int) -> None:
        if progress is not None:
            progress(done, 2 * total)

    slips = compute_period(session, period, progress=computing)
    return RunResult(_store_run(session, actor, period, slips, "monthly", progress), True)


def settle_off_cycle(session: Session, actor: Actor, number: str) -> RunResult:
    """Pay a leaver's final settlement now, in a run of its own (kind ``settlement``) for the
    month of their last day: pay to that day, unused leave, the end-of-service award. It is
    approved, posted and paid like a monthly run, and that month's monthly run leaves them out
    (the law gives a week, two for a resignation: art. 88).

    Raises:
        RuleViolation: they have not left, or are already settled or paid for that month.
    """
    from bo_console.hr.service.common import employee_by_number, parse_period

    actor.require("payroll.prepare", "pay final settlements")
    employee = employee_by_number(session, number)
    if employee.status != "terminated" or employee.termination_date is None:
        raise RuleViolation(f"{employee.number} has not left; terminate them first")
    if employee.settled_run_id is not None:
        raise RuleViolation(
            f"{employee.number} is settled in pay run {employee.settled_run_id} already"
        )
    period = parse_period(employee.termination_date.strftime("%Y-%m"))
    slips = compute_period(session, period, only=employee.id)
    if not slips or not slips[0].settles:
        raise RuleViolation(f"{employee.number} is already paid for {period}")
    return RunResult(_store_run(session, actor, period, slips, "settlement", None), True)


def _store_run(
    session: Session,
    actor: Actor,
    period: Period,
    slips: list[Slip],
    kind: str,
    progress: Progress | None,
) -> PayRun:
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import col

    from bo_console.hr.models import Employee, PayRun, Payslip
    from bo_console.hr.service import leave

    currency, _ = currency_of(session)
    problems = [
        FieldError(s.number, f"net pay would be negative ({s.net} minor units)")
        for s in slips
        if s.net < 0
    ] + [
        FieldError(s.number, "has no IBAN to be paid to (set it with `bo hr employees update`)")
        for s in slips
        if s.net > 0 and not s.iban
    ]
    if problems:
        raise ValidationFailed(
            f"payroll for {period} cannot run: {len(problems)} employee(s) need attention",
            problems,
        )
    run = PayRun(
        period=period.key,
        currency=currency,
        employees=len(slips),
        gross=sum(s.gross for s in slips),
        deductions=sum(s.employee_si + s.benefit_employee + s.other_deductions for s in slips),
        net=sum(s.net for s in slips),
        employer_cost=sum(s.gross + s.employer_si + s.benefit_employer for s in slips),
        prepared_by=actor.login,
        kind=kind,
    )
    session.add(run)
    try:
        session.flush()
    except IntegrityError:
        raise RuleViolation(f"another pay run for {period} was created meanwhile") from None
    assert run.id is not None
    # Stored in chunks only so that progress can be told; it is still one transaction.
    chunk = 4 * PROGRESS_STEP
    for start in range(0, len(slips), chunk):
        part = slips[start : start + chunk]
        # Core insert (an executemany), not the ORM's bulk path: a tenth of the time.
        session.execute(
            Payslip.__table__.insert(),  # type: ignore[attr-defined]
            [_slip_row(s, run.id, period) for s in part],
        )
        if progress is not None:
            progress(len(slips) + start + len(part), 2 * len(slips))
    leavers = [s.employee_id for s in slips if s.settles]
    if leavers:
        session.execute(
            update(Employee).where(col(Employee.id).in_(leavers)).values(settled_run_id=run.id)
        )
        for employee_id in leavers:
            leave.settle_balances(session, actor, employee_id, period, run.id)
    audit.record(
        session,
        actor,
        action="run",
        entity="pay_run",
        entity_id=run.id,
        changes={
            "period": (None, period.key),
            "kind": (None, kind),
            "employees": (None, len(slips)),
            "settlements": (None, len(leavers)),
            **{name: (None, getattr(run, name)) for name in RUN_AMOUNTS},
        },
        confidential=RUN_AMOUNTS,
    )
    return run


def _not_preparer(actor: Actor, run: PayRun, doing: str) -> None:
    if actor.login == run.prepared_by:
        raise PermissionDenied(
            f"{actor.login} prepared pay run {run.id}; someone else must {doing} it"
        )


def approve_run(session: Session, actor: Actor, run_id: int) -> bool:
    """Approve a draft run (someone other than its preparer); False if already approved."""
    actor.require("payroll.approve", "approve pay runs")
    run = get_run(session, run_id)
    if run.status in ("approved", "posted", "paid"):
        return False
    if run.status != "draft":
        raise RuleViolation(f"pay run {run_id} is {run.status}")
    _not_preparer(actor, run, "approve")
    changed = iban_changes_by(session, actor.login, run)
    if changed:
        shown = ", ".join(changed[:5]) + (
            f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        )
        raise PermissionDenied(
            f"{actor.login} changed the IBAN of {shown} since the last approved run; "
            f"someone else must approve pay run {run_id}"
        )
    run.status = "approved"
    run.approved_by = actor.login
    run.approved_at = utcnow()
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor,
        action="approve",
        entity="pay_run",
        entity_id=run_id,
        changes={"status": ("draft", "approved")},
    )
    return True


def iban_changes_by(session: Session, login: str, run: PayRun) -> list[str]:
    """Numbers of the employees paid by ``run`` whose bank account ``login`` set: an IBAN
    changed after the last approved run, or given when ``login`` created an employee whom no
    approved run has paid yet (whoever decides where pay goes must not also release it:
    review P11)."""
    from sqlalchemy import func, select
    from sqlmodel import col

    from bo_console.core.models import AuditEvent
    from bo_console.hr.models import Employee, PayRun, Payslip

    since = session.execute(
        select(func.max(col(PayRun.approved_at))).where(
            col(PayRun.id) != run.id, col(PayRun.approved_at).is_not(None)
        )
    ).scalar_one()
    paid = (
        select(col(Employee.number))
        .join(Payslip, col(Payslip.employee_id) == col(Employee.id))
        .where(col(Payslip.run_id) == run.id)
    )
    paid_before = (
        select(col(Employee.number))
        .join(Payslip, col(Payslip.employee_id) == col(Employee.id))
        .join(PayRun, col(PayRun.id) == col(Payslip.run_id))
        .where(col(PayRun.id) != run.id, col(PayRun.approved_at).is_not(None))
    )
    mine = (
        col(AuditEvent.entity) == "employee",
        col(AuditEvent.user_login) == login,
        col(AuditEvent.changes).contains('"iban"'),
        col(AuditEvent.entity_id).in_(paid),
    )
    changed = select(col(AuditEvent.entity_id)).where(*mine, col(AuditEvent.action) == "update")
    if since is not None:
        changed = changed.where(col(AuditEvent.at) > since)
    created = select(col(AuditEvent.entity_id)).where(
        *mine,
        col(AuditEvent.action) == "create",
        col(AuditEvent.entity_id).not_in(paid_before),
    )
    numbers = {str(r[0]) for r in session.execute(changed.union(created)).all()}
    return sorted(numbers)


def discard_run(session: Session, actor: Actor, run_id: int) -> None:
    """Throw away a draft run so the month can be run again (after fixing its inputs)."""
    from sqlalchemy import delete, update
    from sqlmodel import col

    from bo_console.hr.models import Employee, LeaveEntry, Payslip

    actor.require("payroll.prepare", "discard pay runs")
    run = get_run(session, run_id)
    if run.status != "draft":
        raise RuleViolation(f"pay run {run_id} is {run.status}; only a draft can be discarded")
    session.execute(delete(Payslip).where(col(Payslip.run_id) == run_id))
    session.execute(
        delete(LeaveEntry).where(
            col(LeaveEntry.kind) == "settled",
            col(LeaveEntry.period) == run.period,
            col(LeaveEntry.note) == f"pay run {run_id}",
        )
    )
    session.execute(
        update(Employee).where(col(Employee.settled_run_id) == run_id).values(settled_run_id=None)
    )
    run.status = "discarded"
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor,
        action="discard",
        entity="pay_run",
        entity_id=run_id,
        changes={"status": ("draft", "discarded")},
    )
