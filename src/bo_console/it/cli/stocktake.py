"""``bo it stocktake``: a physical check of assets against the register (start, scan tags,
show what is missing, close)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bo_console.clikit import YesOption, confirm, open_reader, open_store, say
from bo_console.it.cli.common import Format, FormatOption, OutputOption, as_row, out

app = typer.Typer(help="Stock-takes: scan assets against the register.", no_args_is_help=True)
Ref = Annotated[str, typer.Argument(help="The stock-take: ST00001 or 1.")]
LINES = ["tag", "model", "location", "status", "result"]
TAKES = ["ref", "location", "status", "started_at", "started_by", "closed_at", "expected", "found"]


@app.command("start")
def start(
    ctx: typer.Context,
    location: Annotated[
        str, typer.Option("--location", "-l", help="The location checked (default: every one).")
    ] = "",
) -> None:
    """Start a stock-take (or carry on with the one open for that location); prints its ref."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.start_stocktake(session, actor, location)
    typer.echo(view.ref)
    say(f"{view.ref}: {view.expected} assets expected at {view.location or 'every location'}")


@app.command("scan")
def scan(
    ctx: typer.Context,
    ref: Ref,
    tags: Annotated[
        list[str] | None, typer.Argument(help="Tags seen; none or -: one per line on stdin.")
    ] = None,
) -> None:
    """Count assets as seen, each in its own transaction (a scanner on a terminal types a tag
    and Enter per line); an unknown tag is reported and the rest go on. Exit 1 if any was
    unknown."""
    from bo_console.core.errors import NotFound
    from bo_console.it import service

    store, actor = open_store(ctx)
    given = [t for t in tags or [] if t != "-"]
    stream = given or (line.strip() for line in sys.stdin)
    unknown = 0
    for tag in stream:
        if not tag:
            continue
        try:
            with store.write() as session:
                result = service.scan_asset(session, actor, ref, tag)
        except NotFound as exc:
            unknown += 1
            say(f"{tag}: {exc}")
            continue
        typer.echo(f"{result.tag}\t{result.outcome}")
    if unknown:
        raise typer.Exit(1)


@app.command("show")
def show(
    ctx: typer.Context, ref: Ref, fmt: FormatOption = Format.table, output: OutputOption = None
) -> None:
    """What a stock-take found, found elsewhere, and is missing."""
    from bo_console.it.work_lists import get_stocktake

    reader, actor = open_reader(ctx)
    view = get_stocktake(reader, actor, ref)
    say(f"{view.ref} {view.status}: {view.found} of {view.expected} found")
    out([as_row(line) for line in view.lines], LINES, fmt, output)


@app.command("close")
def close(ctx: typer.Context, ref: Ref, yes: YesOption = False) -> None:
    """Close a stock-take: no more scans; what was missing is recorded."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    confirm(f"Close stock-take {ref}? No more tags can be scanned into it.", yes=yes)
    with store.write() as session:
        view = service.close_stocktake(session, actor, ref)
    say(f"{view.ref} closed: {view.found} of {view.expected} found, {len(view.missing)} missing")


@app.command("list")
def list_(
    ctx: typer.Context, fmt: FormatOption = Format.table, output: OutputOption = None
) -> None:
    """Stock-takes, newest first (counts once closed)."""
    from bo_console.it.work_lists import list_stocktakes

    reader, actor = open_reader(ctx)
    rows = list_stocktakes(reader, actor)
    out([{k: getattr(r, k) for k in TAKES} for r in rows], TAKES, fmt, output)
