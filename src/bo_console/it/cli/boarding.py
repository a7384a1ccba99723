"""``bo it boarding``: onboarding and offboarding items HR hands to IT, and their checklists."""

from __future__ import annotations

from typing import Annotated

import typer

from bo_console.clikit import open_reader, open_store, say
from bo_console.it.cli.common import Format, FormatOption, OutputOption, out

app = typer.Typer(help="Onboarding and offboarding checklists.", no_args_is_help=True)
COLUMNS = ["item", "kind", "employee", "status", "due_date", "steps", "holds", "subject"]
Item = Annotated[int, typer.Argument(help="The work item number.")]


def _row(view: object) -> dict[str, object]:
    from bo_console.it.work_lists import BoardingView

    assert isinstance(view, BoardingView)
    return {
        "item": view.item_id,
        "kind": view.kind,
        "employee": view.employee,
        "status": view.status,
        "due_date": view.due_date,
        "steps": [f"{step} {'done' if done else 'open'}" for step, done in view.steps],
        "holds": view.holds,
        "subject": view.subject,
    }


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str, typer.Option("--status", help="open (default), all, done.")] = "open",
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Onboarding and offboarding items, with their steps and what leavers still hold."""
    from bo_console.it.work_lists import list_boarding

    reader, actor = open_reader(ctx)
    rows = list_boarding(reader, actor, status=status)
    out([_row(r) for r in rows], COLUMNS, fmt, output)


@app.command("tick")
def tick(
    ctx: typer.Context,
    item: Item,
    step: Annotated[str, typer.Argument(help="account, equipment, licences; access.")],
) -> None:
    """Tick a checklist step off."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        service.tick(session, actor, item, step)
    say(f"item {item}: {step} done")


@app.command("complete")
def complete(ctx: typer.Context, item: Item) -> None:
    """Complete an item (an offboarding only once the leaver holds nothing)."""
    from bo_console.it import service

    store, actor = open_store(ctx)
    with store.write() as session:
        service.complete(session, actor, item)
    say(f"item {item} is done")
