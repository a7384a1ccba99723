"""``bo jobs``: runs of batch jobs."""

from __future__ import annotations

from typing import Annotated

import typer

from bo_console.clikit import FormatOption, OutputFormat, OutputOption, emit, open_reader

app = typer.Typer(
    help="Batch job runs (who ran what, when, and how it ended).", no_args_is_help=True
)

JOB_COLUMNS = ["id", "name", "key", "user", "started_at", "ended_at", "outcome", "summary"]


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Only runs of this job.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many runs.", min=1)] = 50,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List recent job runs, newest first."""
    from bo_console.core import jobs

    reader, actor = open_reader(ctx)
    runs = jobs.run_rows(reader, actor, name=name, limit=limit)
    rows = [
        {
            "id": r.id,
            "name": r.name,
            "key": r.key,
            "user": r.user_login,
            "started_at": r.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            "ended_at": r.ended_at.strftime("%Y-%m-%d %H:%M:%S") if r.ended_at else "",
            "outcome": r.outcome,
            "summary": r.summary,
        }
        for r in runs
    ]
    emit(rows, JOB_COLUMNS, fmt, output)
