"""``bo hr payroll``: pay runs, payslips, variable inputs and pay rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bo_console.clikit import (
    DryRunOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    day_option,
    emit,
    open_reader,
    open_store,
    progress_bar,
    say,
)
from bo_console.core.errors import ValidationFailed
from bo_console.hr.cli.options import month_option, records, today

if TYPE_CHECKING:
    from bo_console.hr.service import payroll

payroll_app = typer.Typer(
    help="Pay runs: run, approve, post, pay; payslips and variable inputs.", no_args_is_help=True
)


# -- payroll ----------------------------------------------------------------------------------


def _net(outcome: payroll.MonthOutcome) -> str:
    return "***" if outcome.net is None else f"{outcome.currency} {outcome.net:,}"


@payroll_app.command("run")
def payroll_run(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    dry_run: DryRunOption = False,
) -> None:
    """Compute the month's payslips as a draft pay run (once per month; cron-safe)."""
    from bo_console.hr.service import payroll

    month = month_option(period)
    store, actor = open_store(ctx)
    if dry_run:
        preview = payroll.preview_month(store, actor, month)
        say(
            f"{month}: would pay {preview.employees} employees, net {_net(preview)}; nothing "
            "written (dry run)"
        )
        return
    with progress_bar(f"payroll {month}") as progress:
        outcome = payroll.run_month(store, actor, month, progress=progress)
    if outcome.created:
        say(
            f"pay run {outcome.run_id} for {month}: {outcome.employees} payslips, net "
            f"{_net(outcome)} (draft; someone other than {actor.login} approves it with "
            f"`bo hr payroll approve {outcome.run_id}`)"
        )
    else:
        say(f"{month} already has pay run {outcome.run_id} ({outcome.status}); nothing changed")
    typer.echo(outcome.run_id)


def _say_step(outcome: payroll.StepOutcome, done: str) -> None:
    if outcome.changed:
        extra = f" as entry {outcome.entry_ref}" if done == "posted" else ""
        say(f"pay run {outcome.run_id} ({outcome.period}) {done}{extra}")
    else:
        say(f"pay run {outcome.run_id} is already {outcome.status}; nothing changed")


@payroll_app.command("settle")
def payroll_settle(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(help="The leaver's employee number.")],
) -> None:
    """Pay a leaver's final settlement now, off-cycle: a run of its own to approve, post, pay."""
    from bo_console.hr.service import payroll

    store, actor = open_store(ctx)
    with store.write() as session:
        result = payroll.settle_off_cycle(session, actor, employee)
        run_id = result.run.id
    typer.echo(run_id)
    say(f"final settlement of {employee.upper()} is pay run {run_id}; approve, post and pay it")


@payroll_app.command("open-provisions")
def payroll_open_provisions(
    ctx: typer.Context,
    as_of: Annotated[
        str, typer.Option("--as-of", help="The last day of the month before the first pay run.")
    ],
    yes: YesOption = False,
) -> None:
    """Book the end-of-service and leave provisions earned before the first pay run against
    retained earnings (once, before any run; payroll.approve)."""
    from bo_console.hr.service import payroll

    day = day_option(as_of, "--as-of")
    store, actor = open_store(ctx)
    confirm(f"Book the opening payroll provisions at {day} against retained earnings?", yes=yes)
    with store.write() as session:
        done = payroll.open_provisions(session, actor, day)
    entry = f"entry {done.entry}" if done.entry else "the ledger already held them"
    say(
        f"opening provisions at {done.as_of} for {done.employees} employees: end of service "
        f"{done.eos:,.2f}, leave {done.leave:,.2f} ({entry})"
    )


@payroll_app.command("approve")
def payroll_approve(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    yes: YesOption = False,
) -> None:
    """Approve a draft pay run (someone other than its preparer, with payroll.approve)."""
    from bo_console.hr.service import payroll

    store, actor = open_store(ctx)
    confirm(f"Approve pay run {run_id}?", yes=yes)
    _say_step(payroll.approve(store, actor, run_id), "approved")


@payroll_app.command("post")
def payroll_post(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    yes: YesOption = False,
) -> None:
    """Post an approved pay run to the ledger (one balanced entry; irreversible)."""
    from bo_console.hr.service import payroll

    store, actor = open_store(ctx)
    confirm(f"Post pay run {run_id} to the ledger?", yes=yes)
    _say_step(payroll.post(store, actor, run_id), "posted")


@payroll_app.command("pay")
def payroll_pay(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Bank transfer file to write (CSV).")
    ],
    paid_on: Annotated[str, typer.Option("--date", help="Payment date.")] = "t",
    yes: YesOption = False,
) -> None:
    """Pay a posted run: write the bank transfer CSV (IBAN, amount) and post the payment."""
    from bo_console.core import io
    from bo_console.hr.service import payroll

    day = day_option(paid_on, "--date")
    io.check_output_path(output)
    store, actor = open_store(ctx)
    confirm(f"Pay pay run {run_id} and write {output}?", yes=yes)
    outcome = payroll.pay_to_file(store, actor, run_id, output, paid_on=day)
    if outcome.changed:
        say(f"pay run {run_id} paid: {outcome.transfers} transfers written to {output}")
    else:
        say(
            f"pay run {run_id} is already {outcome.status}; nothing changed (write the transfer "
            f"file again with `bo hr payroll transfers {run_id} -o FILE`)"
        )


@payroll_app.command("transfers")
def payroll_transfers(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (CSV).")],
    wps: Annotated[
        bool,
        typer.Option(
            "--wps", help="The wage-protection bank file (header, employees, trailer) instead."
        ),
    ] = False,
    value_date: Annotated[
        str | None,
        typer.Option("--value-date", help="With --wps: the payment day (default: today)."),
    ] = None,
) -> None:
    """Write a paid run's bank transfer file again, or its wage-protection (WPS) file."""
    from bo_console.hr.service import payroll

    store, actor = open_store(ctx)
    if wps:
        day = day_option(value_date, "--value-date") if value_date else today()
        count = payroll.write_wps_file(store, actor, run_id, output, value_date=day)
        say(f"wrote the wage-protection file for {count} employees to {output}")
        return
    count = payroll.write_transfers(store, actor, run_id, output)
    say(f"wrote {count} transfers to {output}")


@payroll_app.command("discard")
def payroll_discard(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    yes: YesOption = False,
) -> None:
    """Discard a draft pay run so the month can be run again."""
    from bo_console.hr.service import payroll

    store, actor = open_store(ctx)
    confirm(f"Discard draft pay run {run_id}?", yes=yes)
    with store.write() as session:
        payroll.discard_run(session, actor, run_id)
    say(f"discarded pay run {run_id}")


@payroll_app.command("list")
def payroll_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List pay runs (totals masked unless you may read pay, as on the HR screen)."""
    # HR's list queries read through a plain sqlite3 Reader: no SQLAlchemy, no table models.
    from bo_console.hr.service import lists

    reader, actor = open_reader(ctx)
    rows, _ = lists.runs_overview(reader, actor)
    emit([r.record() for r in rows], lists.RUN_COLUMNS, fmt, output)


@payroll_app.command("payslips")
def payroll_payslips(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, json or xlsx (xlsx needs -o).")
    ] = "table",
    output: OutputOption = None,
    pdf: Annotated[
        Path | None,
        typer.Option(
            "--pdf",
            metavar="DIR",
            help="Write each employee's bilingual payslip PDF into DIR instead of listing.",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="With --pdf: worker processes drawing (default: one per CPU).",
        ),
    ] = None,
) -> None:
    """A run's payslips (confidential; the view is audited), or their PDFs with --pdf DIR."""
    from bo_console.hr.service import payroll

    if pdf is not None:
        if pdf.suffix.lower() == ".pdf":
            raise ValidationFailed("--pdf takes a directory (a file per employee)")
        from bo_console.hr.cli.payslip import write_pdfs

        write_pdfs(ctx, run_id, pdf, jobs=jobs)
        return
    value = fmt.lower()
    if value not in ("table", "csv", "json", "xlsx"):
        raise ValidationFailed(f"--format: {fmt!r} is not one of table, csv, json, xlsx")
    if value == "xlsx" and output is None:
        raise ValidationFailed("xlsx goes to a file; give -o FILE")
    store, actor = open_store(ctx)
    with store.write() as session:
        rows = payroll.payslips(
            session, actor, run_id, purpose="export" if output is not None else "view"
        )
    emit(records(rows), payroll.PAYSLIP_COLUMNS, value, output)


@payroll_app.command("lines")
def payroll_lines(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="Pay run id.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The journal lines a run posts (or would post): expenses by department, liabilities."""
    from bo_console.core.money import from_minor
    from bo_console.hr.service import payroll
    from bo_console.hr.service.common import currency_of

    store, actor = open_store(ctx)
    with store.write() as session:
        lines = payroll.journal_preview(session, actor, run_id)
        _, exponent = currency_of(session)
    rows = [
        {
            "account": line.account,
            "role": line.role,
            "department": line.department or "",
            "debit": from_minor(line.debit, exponent),
            "credit": from_minor(line.credit, exponent),
        }
        for line in lines
    ]
    emit(rows, ["account", "role", "department", "debit", "credit"], fmt, output)


@payroll_app.command("import-inputs")
def payroll_import_inputs(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX: employee, kind, hours, amount, note.")],
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    dry_run: DryRunOption = False,
) -> None:
    """Import a month's overtime, bonuses and deductions: all rows or none.

    Template: data/hr-pay-inputs-template.csv. Overtime is given in hours and priced by the run.
    """
    from bo_console.hr.service import payroll

    month = month_option(period)
    store, actor = open_store(ctx)
    with store.write() as session:
        count = payroll.import_inputs(session, actor, file, month, dry_run=dry_run)
        if dry_run:
            session.rollback()
    say(
        f"{file.name}: {count} inputs are valid; nothing written (dry run)"
        if dry_run
        else f"imported {count} pay inputs for {month} from {file.name}"
    )


@payroll_app.command("inputs")
def payroll_inputs(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List a month's variable pay inputs."""
    from bo_console.hr.service import payroll

    month = month_option(period)
    store, actor = open_store(ctx)
    with store.write() as session:
        rows = payroll.list_inputs(session, actor, month)
    emit(records(rows), payroll.INPUT_COLUMNS, fmt, output)


@payroll_app.command("clear-inputs")
def payroll_clear_inputs(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="Month, YYYY-MM.")],
    yes: YesOption = False,
) -> None:
    """Remove every variable input of a month that has not been run."""
    from bo_console.hr.service import payroll

    month = month_option(period)
    store, actor = open_store(ctx)
    confirm(f"Remove every pay input of {month}?", yes=yes)
    with store.write() as session:
        count = payroll.clear_inputs(session, actor, month)
    say(f"removed {count} pay inputs of {month}")


@payroll_app.command("config")
def payroll_config(
    ctx: typer.Context,
    rule: Annotated[str | None, typer.Argument(help="Rule to change (omit to list).")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show the pay rules, or change one (statutory defaults: docs/payroll-rules.md)."""
    if rule is None:
        # Listing reads through a plain sqlite3 Reader: no SQLAlchemy, no payroll package.
        from bo_console.hr.service import pay_rules

        reader, actor = open_reader(ctx)
        emit(pay_rules.rules_rows(reader, actor), ["rule", "value"], fmt)
        return
    from bo_console.hr.service import payroll

    store, actor = open_store(ctx)
    if value is None:
        raise ValidationFailed(f"give the new value of {rule}")
    with store.write() as session:
        before, after = payroll.set_rule(session, actor, rule, value)
    say(f"{rule}: {before} -> {after}")
