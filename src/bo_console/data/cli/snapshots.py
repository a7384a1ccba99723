"""``bo data snapshot``: the month-end snapshots the pack and the dashboard read."""

from __future__ import annotations

from typing import Annotated

import typer

from bo_console.clikit import open_reader, open_store, progress_bar, say
from bo_console.data.cli.common import Format, FormatOption, OutputOption, out

app = typer.Typer(help="Month-end snapshots of closed months.", no_args_is_help=True)

COLUMNS = ["period", "version", "taken_at", "taken_by", "current", "digest"]


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    period: Annotated[
        str | None, typer.Option("--period", help="Only this month, YYYY-MM.")
    ] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Every snapshot, latest month first; ``current`` is the version the pack and the
    dashboard read (a month closed again after a reopen has more than one)."""
    # The list's own module: it reads through a plain sqlite3 Reader.
    from bo_console.data import snapshot_list

    reader, actor = open_reader(ctx)
    month = snapshot_list.checked_period(period) if period is not None else None
    found = snapshot_list.list_snapshots(reader, actor, month)
    rows = [
        {
            "period": s.period,
            "version": s.version,
            "taken_at": s.taken_at.strftime("%Y-%m-%d %H:%M:%S"),
            "taken_by": s.taken_by,
            "current": "yes" if s.current else "",
            "digest": s.digest[:16],
        }
        for s in found
    ]
    out(rows, COLUMNS, fmt, output)


@app.command("backfill")
def backfill(ctx: typer.Context) -> None:
    """Take the snapshot of every closed month that has none (months closed before
    snapshots existed). Quiet on success, for cron (``bo -v`` says which months); run
    again it does nothing."""
    from bo_console.data import service

    store, actor = open_store(ctx)
    with progress_bar("month-end snapshots") as progress:
        months = service.run_backfill(store, actor, progress=progress)
    say(service.backfill_summary(months))
