"""``bo it licences``: licences, seats, import, and the renewal reminder job."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bo_console.clikit import open_store, say
from bo_console.it.cli.common import (
    DryRunOption,
    Format,
    FormatOption,
    OutputOption,
    amount,
    as_row,
    day,
    out,
)

app = typer.Typer(
    help="Software licences: list, add, seats, import, expiring renewals.", no_args_is_help=True
)
ROW_COLUMNS = ["ref", "product", "vendor", "seats", "used", "free", "renewal_date", "cost", "key"]
Ref = Annotated[str, typer.Argument(help="Licence (L7, 7 or the product name).")]
Employee = Annotated[str | None, typer.Option("--employee", help="Employee number.")]
Asset = Annotated[str | None, typer.Option("--asset", help="Asset tag.")]


@app.command("list")
def list_(
    ctx: typer.Context,
    search: Annotated[str, typer.Option("--search", help="Part of the product name.")] = "",
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Licences with seats used and free (keys shown to it.manage only, audited)."""
    from bo_console.it import lists

    store, actor = open_store(ctx)
    if lists.licence_list_shows_keys(actor):
        with store.write() as session:  # showing keys writes an audit row
            rows = lists.list_licences(session, actor, text=search)
    else:
        # Without keys nothing is written: a plain sqlite3 Reader, no SQLAlchemy.
        with store.reading() as reader:
            rows = lists.list_licences(reader, actor, text=search)
    out([as_row(r) for r in rows], ROW_COLUMNS, fmt, output)


@app.command("show")
def show(
    ctx: typer.Context, ref: Ref, fmt: FormatOption = Format.table, output: OutputOption = None
) -> None:
    """One licence and who holds its seats."""
    from bo_console.it.licence_view import get_licence
    from bo_console.it.lists import licence_list_shows_keys

    store, actor = open_store(ctx)
    if licence_list_shows_keys(actor):
        with store.write() as session:  # showing the key writes an audit row
            view = get_licence(session, actor, ref)
    else:
        # Without the key nothing is written: a plain sqlite3 Reader, no SQLAlchemy.
        with store.reading() as reader:
            view = get_licence(reader, actor, ref)
    if fmt == Format.table:
        for name, value in as_row(view.row).items():
            typer.echo(f"{name + ':':<14}{'' if value is None else value}")
        for seat in view.holders:
            typer.echo(f"  seat: {seat.holder} {seat.name}")
        return
    row = as_row(view.row) | {"holders": [s.holder for s in view.holders]}
    out([row], [*ROW_COLUMNS, "holders"], fmt, output)


@app.command("add")
def add(
    ctx: typer.Context,
    product: Annotated[str, typer.Argument()],
    seats: Annotated[int, typer.Option("--seats", help="Seats bought.")],
    vendor: Annotated[str, typer.Option("--vendor")] = "",
    renewal: Annotated[str | None, typer.Option("--renewal", help="Renewal date.")] = None,
    cost: Annotated[str, typer.Option("--cost")] = "0",
    key: Annotated[str, typer.Option("--key", help="Licence key (confidential).")] = "",
) -> None:
    """Record a licence (it.write)."""
    from bo_console.it import service
    from bo_console.it.common import validated

    store, actor = open_store(ctx)
    with store.write() as session:
        data = validated(
            service.LicenceCreate,
            {
                "product": product,
                "vendor": vendor,
                "seats": seats,
                "key": key,
                "renewal_date": day(renewal, "--renewal") if renewal else None,
                "cost": amount(cost, session),
            },
        )
        view = service.add_licence(session, actor, data)
    say(f"recorded {view.row.ref} {view.row.product}")


@app.command("update")
def update(
    ctx: typer.Context,
    ref: Ref,
    seats: Annotated[int | None, typer.Option("--seats")] = None,
    renewal: Annotated[str | None, typer.Option("--renewal")] = None,
    cost: Annotated[str | None, typer.Option("--cost")] = None,
) -> None:
    """Change seats, renewal date or cost (never fewer seats than assigned)."""
    from bo_console.it import service
    from bo_console.it.common import validated

    store, actor = open_store(ctx)
    with store.write() as session:
        data = validated(
            service.LicenceUpdate,
            {
                "seats": seats,
                "renewal_date": day(renewal, "--renewal") if renewal else None,
                "cost": amount(cost, session) if cost is not None else None,
            },
        )
        view = service.update_licence(session, actor, ref, data)
    say(f"{view.row.ref}: {view.row.seats} seats, renewal {view.row.renewal_date}")


@app.command("assign")
def assign(ctx: typer.Context, ref: Ref, employee: Employee = None, asset: Asset = None) -> None:
    """Give a seat to an employee or an asset; refused when every seat is taken."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.assign_seat(session, actor, ref, employee_number=employee, asset_tag=asset)
    say(f"{view.row.ref}: {view.row.used} of {view.row.seats} seats used")


@app.command("release")
def release(ctx: typer.Context, ref: Ref, employee: Employee = None, asset: Asset = None) -> None:
    """Take a seat back."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.release_seat(session, actor, ref, employee_number=employee, asset_tag=asset)
    say(f"{view.row.ref}: {view.row.used} of {view.row.seats} seats used")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    dry_run: DryRunOption = False,
) -> None:
    """Record every licence of a CSV or XLSX file, or none."""
    from bo_console.clikit import progress_bar
    from bo_console.it import imports

    store, actor = open_store(ctx)
    with store.write() as session, progress_bar(f"reading {file.name}") as progress:
        count = imports.import_licences(session, actor, file, dry_run=dry_run, progress=progress)
        if dry_run:
            session.rollback()
    say(
        f"{file.name}: {count:,} licences are valid; nothing written (dry run)"
        if dry_run
        else f"imported {count:,} licences from {file.name}"
    )


@app.command("expiring")
def expiring(
    ctx: typer.Context,
    within: Annotated[str, typer.Option("--within", help="Window: 30d, 6w, 2m.")] = "30d",
    notify: Annotated[
        bool,
        typer.Option(
            "--notify", help="Cron: an IT inbox item per renewal (once each); prints nothing."
        ),
    ] = False,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Licences to renew within the window (or overdue)."""
    from bo_console.core.clock import today
    from bo_console.it.licence_view import parse_within, renewals
    from bo_console.it.lists import licence_list_shows_keys

    days = parse_within(within)
    store, actor = open_store(ctx)
    if notify:
        from bo_console.clikit import progress_bar
        from bo_console.it import service

        with progress_bar("renewal reminders") as progress:
            notice = service.run_renewal_notices(store, actor, within_days=days, progress=progress)
        say(notice.summary)
        return
    if licence_list_shows_keys(actor):
        with store.write() as session:  # showing keys writes an audit row
            rows = renewals(session, actor, within_days=days, on=today())
    else:
        with store.reading() as reader:
            rows = renewals(reader, actor, within_days=days, on=today())
    out([as_row(r) for r in rows], ROW_COLUMNS, fmt, output)
