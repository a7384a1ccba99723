"""``bo data views``, ``bo data query list|run`` and ``bo data sql``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bo_console.clikit import open_reader, open_store, say
from bo_console.data.cli.common import Format, FormatOption, OutputOption, out

app = typer.Typer(help="Saved, parameterised queries: list and run.", no_args_is_help=True)

ParamOption = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A parameter, NAME=VALUE (repeatable).", metavar="K=V"),
]


def views(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="One view: list its columns.")] = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """The published views (or one view's columns): owner, description, confidentiality."""
    # The catalogue itself, not the data service: signing in through a plain sqlite3 Reader
    # keeps SQLAlchemy and pydantic out of the command.
    from bo_console.data import catalogue

    _reader, actor = open_reader(ctx)
    if name is not None:
        view = catalogue.get_view(actor, name)
        rows: list[dict[str, Any]] = [
            {"column": c.name, "description": c.description, "confidential": c.confidential or ""}
            for c in view.columns
        ]
        out(rows, ["column", "description", "confidential"], fmt, output)
        return
    rows = [
        {
            "view": v.name,
            "department": v.dept,
            "confidential": "yes" if v.confidential else "",
            "description": v.description,
        }
        for v in catalogue.list_views(actor)
    ]
    out(rows, ["view", "department", "confidential", "description"], fmt, output)


@app.command("list")
def list_(
    ctx: typer.Context, fmt: FormatOption = Format.table, output: OutputOption = None
) -> None:
    """The saved queries and their parameters."""
    from bo_console.data import queries

    _reader, actor = open_reader(ctx)
    rows = [
        {
            "name": q.name,
            "department": q.dept,
            "params": " ".join(f"{p.name}({p.kind})" for p in q.params),
            "title": q.title,
        }
        for q in queries.saved_queries(actor)
    ]
    out(rows, ["name", "department", "params", "title"], fmt, output)


@app.command("run")
def run(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Saved query (bo data query list).")],
    param: ParamOption = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Run a saved query; parameters not given take their defaults (this year)."""
    from bo_console.data import service

    store, actor = open_store(ctx)
    given = service.parse_params(param or [])
    with store.write() as session:  # a query that reveals confidential columns is audited
        result = service.run_query(session, actor, name, given)
    out(result.as_dicts(), result.columns, fmt, output)


def sql(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="One SELECT (use - to read it from stdin).")],
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Run read-only SQL over the published views and the tables you may read.

    Writes, ATTACH, setting changes, unknown functions and confidential columns (without the
    permission) are refused by the database itself; a query past the time limit is stopped.
    """
    import sys

    from bo_console.data import service

    if text == "-":
        text = sys.stdin.read()
    store, actor = open_store(ctx)
    with store.write() as session:
        result = service.run_sql(session, actor, text)
    out(result.as_dicts(), result.columns, fmt, output)


RowsOption = Annotated[str, typer.Option("--rows", help="Column whose values become rows.")]
ColumnsOption = Annotated[
    str, typer.Option("--columns", help="Column whose values become columns.")
]
ValuesOption = Annotated[str, typer.Option("--values", help="Column to aggregate.")]
AggOption = Annotated[
    str, typer.Option("--agg", help="sum, count, mean, min or max.", case_sensitive=False)
]
MonthOption = Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")]


@app.command("pivot")
def pivot(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Saved query (bo data query list).")],
    rows: RowsOption,
    columns: ColumnsOption,
    values: ValuesOption,
    agg: AggOption = "sum",
    param: ParamOption = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """A saved query pivoted by two of its columns (with a total column for sum and count)."""
    from bo_console.data import service

    store, actor = open_store(ctx)
    given = service.parse_params(param or [])
    with store.write() as session:
        result = service.pivot_query(
            session, actor, name, given, rows=rows, columns=columns, values=values, agg=agg
        )
    out(result.as_dicts(), result.columns, fmt, output)


@app.command("compare")
def compare(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Saved query taking from_month and to_month.")],
    month: MonthOption,
    param: ParamOption = None,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """A month against the same month last year: each figure, last year's and the change."""
    from bo_console.data import service

    store, actor = open_store(ctx)
    given = service.parse_params(param or [])
    with store.write() as session:
        result = service.month_against_last_year(session, actor, name, month, given)
    out(result.as_dicts(), result.columns, fmt, output)


@app.command("workbook")
def workbook(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Saved query (bo data query list).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx file to write.")],
    param: ParamOption = None,
    rows: Annotated[str | None, typer.Option("--rows", help="Pivot: rows column.")] = None,
    columns: Annotated[str | None, typer.Option("--columns", help="Pivot: columns column.")] = None,
    values: Annotated[str | None, typer.Option("--values", help="Pivot: values column.")] = None,
    agg: AggOption = "sum",
    month: Annotated[
        str | None, typer.Option("--month", help="Add the month against last year.")
    ] = None,
) -> None:
    """An XLSX workbook of a saved query: one sheet for the result, one for its pivot
    (--rows/--columns/--values) and one for a month against last year (--month)."""
    from bo_console.core.errors import UsageProblem
    from bo_console.data import analysis, service

    pivot_given = [x is not None for x in (rows, columns, values)]
    if any(pivot_given) and not all(pivot_given):
        raise UsageProblem("a pivot needs --rows, --columns and --values")
    store, actor = open_store(ctx)
    given = service.parse_params(param or [])
    with store.write() as session:
        result = service.run_query(session, actor, name, given)
        sheets = [("result", result)]
        if rows and columns and values:
            sheets.append(("pivot", analysis.pivot(result, rows, columns, values, agg)))
        if month:
            sheets.append(
                (
                    "vs last year",
                    service.month_against_last_year(session, actor, name, month, given),
                )
            )
    analysis.write_workbook(sheets, output)
    say(f"wrote {len(sheets)} sheets to {output}")
