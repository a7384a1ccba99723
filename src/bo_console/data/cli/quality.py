"""``bo data quality``: the data-quality rules and the check cron runs."""

from __future__ import annotations

from typing import Annotated

import typer

from bo_console.clikit import open_reader, open_store, progress_bar, say
from bo_console.clikit import verbose as said_verbose
from bo_console.core.errors import ExitCode
from bo_console.data.cli.common import Format, FormatOption, OutputOption, out

app = typer.Typer(help="Data-quality rules and checks.", no_args_is_help=True)

FINDING_COLUMNS = ["rule", "department", "key", "subject"]


@app.command("rules")
def rules(
    ctx: typer.Context, fmt: FormatOption = Format.table, output: OutputOption = None
) -> None:
    """The rules a check runs and the department each reports to."""
    # The rules' own module: signing in through a plain sqlite3 Reader.
    from bo_console.data import quality

    _reader, actor = open_reader(ctx)
    actor.require("data.read", "read the data-quality rules")
    rows = [{"rule": r.name, "department": r.dept, "finds": r.description} for r in quality.RULES]
    out(rows, ["rule", "department", "finds"], fmt, output)


@app.command("check")
def check(
    ctx: typer.Context,
    notify: Annotated[
        bool,
        typer.Option(
            "--notify",
            help="Raise one inbox item per new finding to the owning department and close "
            "the items of findings now fixed (data.manage).",
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say what was checked even when all is well.")
    ] = False,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Run every data-quality rule. Quiet when nothing is found (exit 0); findings are
    printed and the exit status is 5 (for cron)."""
    from bo_console.data import quality

    with progress_bar("data-quality rules") as progress:
        if notify:
            # Cron's run: recorded as a job, with what it found and did.
            from bo_console.data import service

            store, actor = open_store(ctx)
            report = service.run_check(store, actor, progress=progress)
        else:
            # A plain check writes nothing: its rules read through a plain sqlite3 Reader.
            reader, actor = open_reader(ctx)
            report = quality.check_only(reader, actor, progress=progress)
    rows = [
        {"rule": f.rule, "department": f.dept, "key": f.key, "subject": f.subject}
        for f in report.findings
    ]
    if rows or output is not None:
        out(rows, FINDING_COLUMNS, fmt, output)
    verbose = verbose or said_verbose()  # bo -v as well as the command's own -v
    if verbose or (notify and (report.opened or report.closed)):
        summary = f"{len(quality.RULES)} rules checked, {len(rows)} findings"
        if notify:
            summary += f"; {report.opened} inbox items opened, {report.closed} closed"
            if report.left_open:
                summary += f", {report.left_open} fixed but left for their department to close"
        if verbose or rows:
            say(summary)
    if rows:
        raise typer.Exit(ExitCode.INTEGRITY)
