"""``bo data dashboard``: the management dashboard's figures as text or JSON."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import open_reader, open_store, say
from bo_console.data.cli.common import OutputOption


class BoardFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def dashboard(
    ctx: typer.Context,
    fmt: Annotated[
        BoardFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (text with charts), csv, json or xlsx (one figure a row; xlsx needs -o). "
            "Default: from -o's extension.",
            case_sensitive=False,
        ),
    ] = BoardFormat.table,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date of the figures (default today).")
    ] = None,
    output: OutputOption = None,
) -> None:
    """The management dashboard: revenue and expenses by month, cash, aged balances,
    headcount and payroll cost by unit, tickets, stock, data quality, overdue inbox items."""
    import json

    from bo_console.clikit import emit, resolve_format
    from bo_console.core import io
    from bo_console.core.dates import parse_date
    from bo_console.core.errors import UsageProblem
    from bo_console.data import board
    from bo_console.data.dashboard import dashboard as figures_of

    day = None
    if as_of is not None:
        try:
            day = parse_date(as_of)
        except ValueError as exc:
            raise UsageProblem(f"--as-of {as_of!r}: {exc}") from exc
    chosen = resolve_format(fmt, output)
    # The dashboard's own module: it reads through a plain sqlite3 Reader.
    reader, actor = open_reader(ctx)
    figures = figures_of(reader, actor, day)
    if chosen in ("csv", "xlsx"):
        emit(board.as_rows(figures), board.ROW_COLUMNS, chosen, output)
        return
    if chosen == "json":
        text = json.dumps(board.as_json(figures), ensure_ascii=False, indent=2) + "\n"
    else:
        text = board.text(figures)
    if output is None:
        typer.echo(text, nl=False)
    else:
        io.check_output_path(output)
        io.write_text_file(output, text)


def pack(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="A closed month, YYYY-MM.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx file to write.")],
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Say what was written.")] = False,
) -> None:
    """The month-end management pack of a closed month as one workbook (statements, control
    accounts, headcount, payroll by unit, tickets, stock, data quality). Quiet on success, for
    cron; the same month gives the same file."""
    from bo_console.clikit import progress_bar
    from bo_console.data import service

    store, actor = open_store(ctx)
    with progress_bar(f"pack {period}") as progress:
        summary = service.run_pack(store, actor, period, output, progress=progress)
    if verbose:
        typer.echo(summary, err=True)
    else:
        say(summary)  # on a terminal, or with bo -v
