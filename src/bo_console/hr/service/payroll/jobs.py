"""The payroll use cases both faces run: a month's run, approval, posting and payment.

Each is one job (``hr.payroll.run``, ``.approve``, ``.post``, ``.pay``): it takes the job's
lock (a second copy is refused as busy), does its work in one write transaction, and records
the run of the job with a one-line summary. The CLI and the HR screen only collect the input,
call these and show the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.security import Actor
from bo_console.hr.models.views import records
from bo_console.hr.service.common import Period, currency_of

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from bo_console.core.db import Store
    from bo_console.hr.service.payroll.compute import Progress


@dataclass(frozen=True)
class MonthOutcome:
    """What :func:`run_month` did. ``net`` is None for someone who may not read pay."""

    run_id: int
    period: str
    status: str
    employees: int
    created: bool
    currency: str
    net: Decimal | None


@dataclass(frozen=True)
class StepOutcome:
    """What approving, posting or paying a run did; ``changed`` is False when it was done
    before (the run's ``status`` says how far it is)."""

    run_id: int
    period: str
    status: str
    changed: bool
    entry_ref: str | None = None
    transfers: int = 0


def preview_month(store: Store, actor: Actor, period: Period) -> MonthOutcome:
    """What running ``period`` would pay, computed and not written (``run_id`` 0)."""
    from bo_console.core.money import from_minor
    from bo_console.hr.service.payroll.compute import compute_period

    actor.require("payroll.prepare", "run payroll")
    with store.read() as session:
        slips = compute_period(session, period)
        currency, exponent = currency_of(session)
    net = from_minor(sum(s.net for s in slips), exponent)
    return MonthOutcome(
        run_id=0,
        period=period.key,
        status="",
        employees=len(slips),
        created=False,
        currency=currency,
        net=net if actor.can("hr.confidential") else None,
    )


def run_month(
    store: Store, actor: Actor, period: Period, *, progress: Progress | None = None
) -> MonthOutcome:
    """Run payroll for ``period`` as the job ``hr.payroll.run``: the draft run and its
    payslips in one transaction; a month that has a run is left as it is.

    Raises:
        Busy: another copy of the job is running.
        PermissionDenied, ValidationFailed, RuleViolation: as :func:`run_payroll`.
    """
    from bo_console.core.jobs import run_job
    from bo_console.core.money import from_minor
    from bo_console.hr.service.payroll.runs import run_payroll

    with run_job(store, actor, "hr.payroll.run", key=period.key, force=True) as job:
        with store.write() as session:
            result = run_payroll(session, actor, period, progress=progress)
            run = result.run
            assert run.id is not None
            job.complete(
                session,
                f"pay run {run.id}: {run.employees} payslips"
                if result.created
                else f"pay run {run.id} ({run.status}) already exists; nothing changed",
            )
            currency, exponent = currency_of(session)
            outcome = MonthOutcome(
                run_id=run.id,
                period=run.period,
                status=run.status,
                employees=run.employees,
                created=result.created,
                currency=currency,
                net=from_minor(run.net, exponent) if actor.can("hr.confidential") else None,
            )
    return outcome


def _step(store: Store, actor: Actor, run_id: int, step: str) -> StepOutcome:
    from bo_console.core.jobs import run_job
    from bo_console.hr.service.payroll.posting import post_run
    from bo_console.hr.service.payroll.runs import approve_run, get_run

    work = {"approve": approve_run, "post": post_run}[step]
    done = {"approve": "approved", "post": "posted"}[step]
    with run_job(store, actor, f"hr.payroll.{step}", key=str(run_id), force=True) as job:
        with store.write() as session:
            changed = work(session, actor, run_id)
            run = get_run(session, run_id)
            job.complete(
                session,
                f"pay run {run_id} {done}" if changed else f"pay run {run_id} already {run.status}",
            )
            return StepOutcome(run_id, run.period, run.status, changed, run.entry_ref)


def approve(store: Store, actor: Actor, run_id: int) -> StepOutcome:
    """Approve a draft run as the job ``hr.payroll.approve`` (someone other than its preparer).

    Raises:
        Busy, PermissionDenied, RuleViolation, NotFound: as :func:`approve_run`.
    """
    return _step(store, actor, run_id, "approve")


def post(store: Store, actor: Actor, run_id: int) -> StepOutcome:
    """Post an approved run to the ledger as the job ``hr.payroll.post``; ``entry_ref`` is the
    journal entry.

    Raises:
        Busy, PermissionDenied, RuleViolation, NotFound: as :func:`post_run`.
    """
    return _step(store, actor, run_id, "post")


def pay_to_file(
    store: Store, actor: Actor, run_id: int, path: Path, *, paid_on: date
) -> StepOutcome:
    """Pay a posted run as the job ``hr.payroll.pay``: post the payment and write the bank
    transfer file (CSV, one line per payslip with pay) at ``path``.

    The file is written before the commit and removed if the commit fails, so a file exists
    exactly when the run is paid. A run paid before is not paid again and no file is written.

    Raises:
        Busy, PermissionDenied, RuleViolation, NotFound: as :func:`pay_run`;
        ValidationFailed: ``path`` cannot be written.
    """
    from bo_console.core import io
    from bo_console.core.jobs import run_job
    from bo_console.hr.service.payroll.payment import TRANSFER_COLUMNS, pay_run
    from bo_console.hr.service.payroll.runs import get_run

    io.check_output_path(path)
    with run_job(store, actor, "hr.payroll.pay", key=str(run_id), force=True) as job:
        written = False
        try:
            with store.write() as session:
                changed, rows = pay_run(session, actor, run_id, paid_on=paid_on)
                if changed:
                    io.write_file(records(rows), TRANSFER_COLUMNS, path, "csv")
                    written = True
                run = get_run(session, run_id)
                job.complete(
                    session,
                    f"pay run {run_id} paid, {len(rows)} transfers" if changed else "already paid",
                )
                outcome = StepOutcome(
                    run_id, run.period, run.status, changed, run.payment_ref, len(rows)
                )
        except BaseException:
            if written:
                path.unlink(missing_ok=True)
            raise
    return outcome


def write_wps_file(store: Store, actor: Actor, run_id: int, path: Path, *, value_date: date) -> int:
    """Write a posted or paid run's wage-protection (WPS) bank file; the number of employees.

    Raises:
        ValidationFailed, RuleViolation: as :func:`wps.wps_records`.
    """
    from bo_console.core import io
    from bo_console.hr.service.payroll.wps import wps_records, write_wps

    io.check_output_path(path)
    with store.write() as session:
        records = wps_records(session, actor, run_id, value_date=value_date)
        write_wps(records, path)
    return len(records) - 2


def write_transfers(store: Store, actor: Actor, run_id: int, path: Path) -> int:
    """Write a paid run's bank transfer file again (audited as an export); the number of
    transfers.

    Raises:
        ValidationFailed: the run is not paid.
    """
    from bo_console.core import io
    from bo_console.core.errors import ValidationFailed
    from bo_console.hr.service.payroll.payment import TRANSFER_COLUMNS, transfer_rows
    from bo_console.hr.service.payroll.runs import get_run

    with store.write() as session:
        actor.require("payroll.approve", "export bank transfers")
        run = get_run(session, run_id)
        if run.status != "paid":
            raise ValidationFailed(f"pay run {run_id} is {run.status}; pay it first")
        rows = transfer_rows(session, actor, run)
        io.write_file(records(rows), TRANSFER_COLUMNS, path, "csv")
    return len(rows)
