"""``bo hr units`` and ``bo hr positions``: HR's reference data."""

from __future__ import annotations

from typing import Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    open_reader,
    open_store,
    say,
)

units_app = typer.Typer(
    help="Org units (departments; payroll's cost centres).", no_args_is_help=True
)
positions_app = typer.Typer(help="Positions (job titles).", no_args_is_help=True)


# -- org units and positions ------------------------------------------------------------------


@units_app.command("list")
def units_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List org units with their head counts."""
    from bo_console.hr.service import org_lists

    reader, actor = open_reader(ctx)
    rows = org_lists.list_org_units(reader, actor)
    emit([r.record() for r in rows], org_lists.UNIT_COLUMNS, fmt, output)


@units_app.command("add")
def units_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. FIN (the cost centre).")],
    name: Annotated[str, typer.Argument(help="Name.")],
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
    parent: Annotated[str | None, typer.Option(help="Parent unit code.")] = None,
) -> None:
    """Add an org unit."""
    from bo_console.hr.service import people

    store, actor = open_store(ctx)
    with store.write() as session:
        unit = people.add_org_unit(
            session, actor, code=code, name=name, name_ar=name_ar, parent=parent
        )
    say(f"added org unit {unit.code}")


@positions_app.command("list")
def positions_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List positions."""
    from bo_console.hr.service import org_lists

    reader, actor = open_reader(ctx)
    rows = org_lists.list_positions(reader, actor)
    emit([r.record() for r in rows], org_lists.POSITION_COLUMNS, fmt, output)


@positions_app.command("add")
def positions_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. ACC.")],
    title: Annotated[str, typer.Argument(help="Job title.")],
    title_ar: Annotated[str, typer.Option("--title-ar", help="Arabic title.")] = "",
    unit: Annotated[str | None, typer.Option(help="Org unit code it belongs to.")] = None,
) -> None:
    """Add a position."""
    from bo_console.hr.service import people

    store, actor = open_store(ctx)
    with store.write() as session:
        row = people.add_position(
            session, actor, code=code, title=title, title_ar=title_ar, unit=unit
        )
    say(f"added position {row.code}")
