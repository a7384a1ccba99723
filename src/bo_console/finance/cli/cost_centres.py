"""``bo finance cost-centres``: the list journal lines pick their cost centre from."""

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
from bo_console.finance.cli.options import invalid_fields

cost_centres_app = typer.Typer(
    help="Cost centres: the list journal lines pick from.", no_args_is_help=True
)

COLUMNS = ["code", "name", "department", "active"]


@cost_centres_app.command("list")
def cost_centres_list(
    ctx: typer.Context,
    active_only: Annotated[bool, typer.Option("--active-only", help="Hide inactive.")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List the cost centres by code."""
    from bo_console.finance import cost_centres

    reader, actor = open_reader(ctx)
    views = cost_centres.list_cost_centres(reader, actor, include_inactive=not active_only)
    rows = [
        {"code": v.code, "name": v.name, "department": v.department, "active": v.active}
        for v in views
    ]
    emit(rows, COLUMNS, fmt, output)


@cost_centres_app.command("add")
def cost_centres_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Code lines carry, e.g. OPS (at most 16).")],
    name: Annotated[str, typer.Argument(help="Its name.")],
    department: Annotated[
        str, typer.Option("--department", help="The part of the business it belongs to.")
    ] = "",
) -> None:
    """Add a cost centre (finance managers)."""
    from pydantic import ValidationError

    from bo_console.finance import cost_centres
    from bo_console.finance.cost_centre_models import CostCentreCreate

    store, actor = open_store(ctx)
    try:
        data = CostCentreCreate(code=code, name=name, department=department)
    except ValidationError as exc:
        raise invalid_fields(exc) from None
    with store.write() as session:
        found = cost_centres.add_cost_centre(session, actor, data)
    say(f"added cost centre {found.code} {found.name}")


@cost_centres_app.command("edit")
def cost_centres_edit(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The cost centre's code (it never changes).")],
    name: Annotated[str | None, typer.Option("--name", help="A new name.")] = None,
    department: Annotated[str | None, typer.Option("--department", help="A new one.")] = None,
) -> None:
    """Rename a cost centre or move it to another department (finance managers)."""
    from bo_console.finance import cost_centres

    store, actor = open_store(ctx)
    with store.write() as session:
        cost_centres.update_cost_centre(session, actor, code, name=name, department=department)
    say(f"updated cost centre {code}")


def _set_active(ctx: typer.Context, code: str, active: bool) -> None:
    from bo_console.finance import cost_centres

    store, actor = open_store(ctx)
    with store.write() as session:
        before = cost_centres.get_cost_centre(session, actor, code).active
        cost_centres.update_cost_centre(session, actor, code, active=active)
    if before == active:
        say(f"{code} is already {'active' if active else 'inactive'}; nothing changed")
    else:
        say(f"{'activated' if active else 'deactivated'} {code}")


@cost_centres_app.command("deactivate")
def cost_centres_deactivate(ctx: typer.Context, code: str) -> None:
    """Deactivate a cost centre: its lines stay, it takes no new postings."""
    _set_active(ctx, code, False)


@cost_centres_app.command("activate")
def cost_centres_activate(ctx: typer.Context, code: str) -> None:
    """Reactivate an inactive cost centre."""
    _set_active(ctx, code, True)
