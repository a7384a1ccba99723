"""``bo hr leave``: types, requests, approvals, balances, accrual."""

from __future__ import annotations

from typing import Annotated

import typer

from bo_console.clikit import (
    DryRunOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    day_option,
    emit,
    open_reader,
    open_store,
    say,
)
from bo_console.core.errors import ValidationFailed
from bo_console.hr.cli.options import month_option, today

leave_app = typer.Typer(
    help="Leave types, requests, approvals, balances, accrual.", no_args_is_help=True
)


# -- leave ------------------------------------------------------------------------------------


@leave_app.command("types")
def leave_types(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List leave types."""
    from bo_console.hr.service import lists

    reader, actor = open_reader(ctx)
    rows = lists.list_leave_types(reader, actor)
    emit([r.record() for r in rows], lists.TYPE_COLUMNS, fmt, output)


@leave_app.command("add-type")
def leave_add_type(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Type code.")],
    name: Annotated[str, typer.Argument(help="Name.")],
    name_ar: Annotated[str, typer.Option("--name-ar")] = "",
    unpaid: Annotated[bool, typer.Option("--unpaid", help="Unpaid leave (reduces pay).")] = False,
    yearly: Annotated[
        str, typer.Option("--yearly", help="Yearly entitlement in days (accrued monthly).")
    ] = "0",
) -> None:
    """Add a leave type."""
    from bo_console.hr.service import leave
    from bo_console.hr.service.common import parse_days

    try:
        days = parse_days(yearly)
    except ValueError as exc:
        raise ValidationFailed(f"--yearly: {exc}") from None
    store, actor = open_store(ctx)
    with store.write() as session:
        row = leave.add_leave_type(
            session, actor, code=code, name=name, name_ar=name_ar, paid=not unpaid, yearly_days=days
        )
    say(f"added leave type {row.code}")


@leave_app.command("request")
def leave_request(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    type_code: Annotated[str, typer.Argument(help="Leave type code.")],
    starts: Annotated[str, typer.Option("--from", help="First day.")],
    ends: Annotated[str | None, typer.Option("--to", help="Last day (default: same).")] = None,
    half_day: Annotated[bool, typer.Option("--half-day", help="Half a day.")] = False,
    reason: Annotated[str, typer.Option("--reason")] = "",
) -> None:
    """Ask for leave (for yourself, or for anyone with hr.write)."""
    from bo_console.hr.service import leave
    from bo_console.hr.service.common import days_text

    first = day_option(starts, "--from")
    last = day_option(ends, "--to") if ends else first
    store, actor = open_store(ctx)
    with store.write() as session:
        row = leave.request_leave(
            session,
            actor,
            employee=employee,
            type_code=type_code,
            starts_on=first,
            ends_on=last,
            reason=reason,
            half_day=half_day,
        )
    typer.echo(row.id)
    say(f"leave request {row.id}: {days_text(row.days, 'working day')}, pending a decision")


@leave_app.command("approve")
def leave_approve(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(help="Request id.")],
    note: Annotated[str, typer.Option("--note", "-m")] = "",
) -> None:
    """Approve a leave request (the employee's manager or HR; never the requester)."""
    from bo_console.hr.service import leave

    store, actor = open_store(ctx)
    with store.write() as session:
        leave.approve(session, actor, request_id, note=note)
    say(f"approved leave request {request_id}")


@leave_app.command("reject")
def leave_reject(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(help="Request id.")],
    note: Annotated[str, typer.Option("--note", "-m")] = "",
) -> None:
    """Reject a leave request."""
    from bo_console.hr.service import leave

    store, actor = open_store(ctx)
    with store.write() as session:
        leave.reject(session, actor, request_id, note=note)
    say(f"rejected leave request {request_id}")


@leave_app.command("cancel")
def leave_cancel(
    ctx: typer.Context, request_id: Annotated[int, typer.Argument(help="Request id.")]
) -> None:
    """Withdraw a leave request (approved leave only before it starts)."""
    from bo_console.hr.service import leave

    store, actor = open_store(ctx)
    with store.write() as session:
        leave.cancel(session, actor, request_id, today=today())
    say(f"cancelled leave request {request_id}")


@leave_app.command("requests")
def leave_requests(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option("--status", help="pending, approved...")] = None,
    employee: Annotated[str | None, typer.Option("--employee")] = None,
    to_decide: Annotated[
        bool, typer.Option("--to-decide", help="Pending requests of people who report to me.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List leave requests."""
    # HR's list queries read through a plain sqlite3 Reader: no SQLAlchemy, no table models.
    from bo_console.hr.service import lists

    reader, actor = open_reader(ctx)
    rows = lists.list_requests(
        reader, actor, status=status, employee=employee, mine_to_decide=to_decide
    )
    emit([r.record() for r in rows], lists.REQUEST_COLUMNS, fmt, output)


@leave_app.command("balances")
def leave_balances(
    ctx: typer.Context,
    employee: Annotated[str | None, typer.Argument(help="Employee number (default: all).")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Leave balances: accrued, taken, adjusted, pending, left."""
    from bo_console.hr.service import lists

    reader, actor = open_reader(ctx)
    rows = lists.balances(reader, actor, employee=employee)
    emit([r.record() for r in rows], lists.BALANCE_COLUMNS, fmt, output)


@leave_app.command("adjust")
def leave_adjust(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="Employee number.")],
    type_code: Annotated[str, typer.Argument(help="Leave type code.")],
    days: Annotated[str, typer.Argument(help="Days to add (negative to remove).")],
    note: Annotated[str, typer.Option("--note", "-m", help="Why (required).")] = "",
) -> None:
    """Adjust a leave balance (opening balances, corrections)."""
    from bo_console.hr.service import leave
    from bo_console.hr.service.common import parse_days

    try:
        amount = parse_days(days)
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    store, actor = open_store(ctx)
    with store.write() as session:
        leave.adjust(session, actor, employee=employee, type_code=type_code, days=amount, note=note)
    say(f"adjusted {employee.upper()} {type_code.upper()} by {days} days")


@leave_app.command("accrue")
def leave_accrue(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    force: Annotated[
        bool, typer.Option("--force", help="Run again (adds only what is missing).")
    ] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Accrue a month of leave entitlements (cron-safe: locked, recorded, once per month)."""
    from bo_console.core.jobs import run_job
    from bo_console.hr.service import leave

    month = month_option(period)
    store, actor = open_store(ctx)
    if dry_run:
        with store.write() as session:
            result = leave.accrue(session, actor, month)
            session.rollback()
        say(f"{month}: would add {result.added} accruals ({result.already} already there)")
        return
    with run_job(store, actor, "hr.leave.accrue", key=month.key, force=force) as job:
        with store.write() as session:
            result = leave.accrue(session, actor, month)
            job.complete(session, f"{result.added} accruals added, {result.already} already there")
    say(f"{month}: added {result.added} accruals ({result.already} already there)")
