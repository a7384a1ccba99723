"""``bo it assets``: the register, custody, import, capitalisation, depreciation, disposal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bo_console.clikit import YesOption, confirm, open_reader, open_store, say
from bo_console.it.cli.common import (
    DryRunOption,
    Format,
    FormatOption,
    OutputOption,
    amount,
    as_row,
    cell,
    day,
    out,
)

if TYPE_CHECKING:
    from bo_console.it.asset_view import AssetView

app = typer.Typer(
    help="The asset register: list, add, check out and in, import, depreciate, dispose.",
    no_args_is_help=True,
)

ROW_COLUMNS = [
    "tag",
    "serial",
    "model",
    "category",
    "status",
    "location",
    "custodian",
    "cost",
    "warranty_end",
]
SHOW_COLUMNS = [
    *ROW_COLUMNS,
    "supplier",
    "purchase_date",
    "in_service",
    "capitalised_by",
    "accumulated_depreciation",
    "book_value",
    "disposed_on",
    "proceeds",
    "custody",
]
Tag = Annotated[str, typer.Argument(help="Asset tag (what the scanner reads).")]


def _show(view: AssetView, fmt: Format, output: Any) -> None:
    row = as_row(view.row) | {k: getattr(view, k) for k in SHOW_COLUMNS[len(ROW_COLUMNS) : -1]}
    row["custody"] = [
        f"{c.employee} {c.name} from {c.out_at:%Y-%m-%d %H:%M}"
        + (f" to {c.returned_at:%Y-%m-%d %H:%M}" if c.returned_at else " (holds it)")
        for c in view.custody
    ]
    if fmt == Format.table:
        for name in SHOW_COLUMNS:
            value = row[name]
            if isinstance(value, list):
                typer.echo(f"{name}:")
                for line in value:
                    typer.echo(f"  {line}")
            else:
                typer.echo(f"{name + ':':<26}{cell(value)}")
        return
    out([row], SHOW_COLUMNS, fmt, output)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        str,
        typer.Option(
            "--status",
            help="active (default: all but disposed), "
            "all, in_stock, assigned, in_repair, retired, disposed.",
        ),
    ] = "active",
    category: Annotated[str | None, typer.Option("--category")] = None,
    search: Annotated[str, typer.Option("--search", help="Part of tag, serial or model.")] = "",
    holder: Annotated[str | None, typer.Option("--holder", help="Employee number.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1_000_000)] = 200,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Assets in the register (it.read)."""
    # IT's list queries, not the register's service module: they read through a plain
    # sqlite3 Reader, so the command loads neither SQLAlchemy nor the table models.
    from bo_console.it import lists

    reader, actor = open_reader(ctx)
    flt = lists.AssetFilter(
        status=status, category=category, text=search, holder=holder, limit=limit
    )
    rows = lists.list_assets(reader, actor, flt)
    out([as_row(r) for r in rows], ROW_COLUMNS, fmt, output)


@app.command("show")
def show(
    ctx: typer.Context, tag: Tag, fmt: FormatOption = Format.table, output: OutputOption = None
) -> None:
    """One asset with its custodians and book value."""
    from bo_console.it.asset_view import get_asset

    reader, actor = open_reader(ctx)
    _show(get_asset(reader, actor, tag), fmt, output)


@app.command("add")
def add(
    ctx: typer.Context,
    tag: Tag,
    serial: Annotated[str, typer.Option("--serial", help="Maker's serial number.")],
    model: Annotated[str, typer.Option("--model")],
    category: Annotated[str, typer.Option("--category", help="LAPTOP, DESKTOP, MONITOR, ...")],
    location: Annotated[str, typer.Option("--location")] = "",
    purchased: Annotated[str | None, typer.Option("--purchased", help="Purchase date.")] = None,
    cost: Annotated[str, typer.Option("--cost", help="Purchase cost.")] = "0",
    warranty: Annotated[str | None, typer.Option("--warranty-end")] = None,
    supplier: Annotated[str, typer.Option("--supplier")] = "",
) -> None:
    """Register an asset, in stock (it.write)."""
    from bo_console.it import service
    from bo_console.it.common import validated

    store, actor = open_store(ctx)
    with store.write() as session:
        data = validated(
            service.AssetCreate,
            {
                "tag": tag,
                "serial": serial,
                "model": model,
                "category": category,
                "location": location,
                "cost": amount(cost, session),
                "supplier": supplier,
                "purchase_date": day(purchased, "--purchased") if purchased else None,
                "warranty_end": day(warranty, "--warranty-end") if warranty else None,
            },
        )
        view = service.add_asset(session, actor, data)
    say(f"registered {view.row.tag}")


@app.command("check-out")
def check_out(
    ctx: typer.Context,
    tag: Tag,
    to: Annotated[str, typer.Option("--to", help="Employee number of the custodian.")],
    note: Annotated[str, typer.Option("--note")] = "",
) -> None:
    """Hand an asset in stock to an employee (it.write)."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.check_out(session, actor, tag, to, note=note)
    say(f"{view.row.tag} checked out to {view.row.custodian}")


@app.command("check-in")
def check_in(
    ctx: typer.Context,
    tag: Tag,
    location: Annotated[str | None, typer.Option("--location", help="Where it goes.")] = None,
) -> None:
    """Take an asset back into stock (it.write)."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.check_in(session, actor, tag, location=location)
    say(f"{view.row.tag} is back in stock")


@app.command("status")
def status_(
    ctx: typer.Context,
    tag: Tag,
    status: Annotated[str, typer.Argument(help="in_stock, in_repair or retired.")],
) -> None:
    """Send an asset to repair, back to stock, or retire it (it.write)."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.set_status(session, actor, tag, status)
    say(f"{view.row.tag} is {view.row.status.replace('_', ' ')}")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="CSV or XLSX in the template's columns.", exists=True, dir_okay=False),
    ],
    dry_run: DryRunOption = False,
) -> None:
    """Register every asset of a file, or none (each problem by row and column)."""
    from bo_console.clikit import progress_bar
    from bo_console.it import imports

    store, actor = open_store(ctx)
    with store.write() as session, progress_bar(f"reading {file.name}") as progress:
        count = imports.import_assets(session, actor, file, dry_run=dry_run, progress=progress)
        if dry_run:
            session.rollback()
    say(
        f"{file.name}: {count:,} assets are valid; nothing written (dry run)"
        if dry_run
        else f"imported {count:,} assets from {file.name}"
    )


@app.command("capitalise")
def capitalise(
    ctx: typer.Context,
    tag: Tag,
    bill: Annotated[str, typer.Option("--bill", help="The supplier bill (BILL-2026-00012).")],
    line: Annotated[int, typer.Option("--line", help="Its line on the IT equipment account.")],
    in_service: Annotated[str, typer.Option("--in-service", help="Date put in service.")],
) -> None:
    """Give an asset its cost from a posted bill line (it.manage)."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.capitalise(
            session, actor, tag, bill=bill, line=line, in_service=day(in_service, "--in-service")
        )
    say(f"{view.row.tag} capitalised at {view.row.cost} from {view.capitalised_by}")


@app.command("depreciate")
def depreciate(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="The month, YYYY-MM.")],
    dry_run: DryRunOption = False,
) -> None:
    """Cron: post a month's depreciation of the register, once (it.manage)."""
    from bo_console.clikit import progress_bar
    from bo_console.it import service

    store, actor = open_store(ctx)
    if dry_run:
        with store.read() as session, progress_bar(f"depreciation {period}") as progress:
            run = service.depreciate(session, actor, period, dry_run=True, progress=progress)
        say(f"{run.period}: {run.assets:,} assets, {run.total:,} to depreciate; nothing posted")
        return
    with progress_bar(f"depreciation {period}") as progress:
        run = service.run_depreciation(store, actor, period, progress=progress)
    say(run.summary)


@app.command("dispose")
def dispose(
    ctx: typer.Context,
    tag: Tag,
    on: Annotated[str, typer.Option("--on", help="Disposal date.")] = "t",
    proceeds: Annotated[str, typer.Option("--proceeds", help="What it was sold for.")] = "0",
    method: Annotated[str, typer.Option("--method", help="sold, scrapped, donated ...")] = "sold",
    tax_code: Annotated[
        str, typer.Option("--tax-code", help="VAT on the proceeds: S15 (default), Z, E ...")
    ] = "S15",
    yes: YesOption = False,
) -> None:
    """Dispose of an asset: it leaves the register and its gain or loss is posted (it.manage).
    Proceeds are net of VAT; the buyer pays them plus the tax code's VAT. It can never be
    checked out again."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    when = day(on, "--on")
    confirm(f"Dispose of {tag} on {when} ({method}, proceeds {proceeds})?", yes=yes)
    with store.write() as session:
        view = service.dispose(
            session,
            actor,
            tag,
            on=when,
            proceeds=amount(proceeds, session),
            method=method,
            tax_code=tax_code,
        )
    say(f"{view.row.tag} disposed; book value was {view.book_value}")
