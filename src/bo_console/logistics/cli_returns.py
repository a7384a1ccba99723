"""``bo logistics returns add | list``: customer returns against shipped sales orders."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    open_reader,
    open_store,
    resolve_format,
    say,
)
from bo_console.logistics.cli import DateOption, day, money
from bo_console.logistics.cli_orders import numbered_lines

returns_app = typer.Typer(
    help="Customer returns: take goods back against a shipped sales order, list returns.",
    no_args_is_help=True,
)


@returns_app.command("add")
def returns_add(
    ctx: typer.Context,
    order: Annotated[str, typer.Argument(help="SO-... the goods were shipped on.")],
    line: Annotated[
        list[str], typer.Option("--line", help="LINE:QTY[:LOT] (repeat); the order's line.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why the goods came back.")],
    location: Annotated[
        str | None,
        typer.Option(
            "--location", help="Into WAREHOUSE/BIN (default: the warehouse's RETURNS bin)."
        ),
    ] = None,
    on: DateOption = "t",
) -> None:
    """Take goods back: stock in at its original cost, and a credit-note request to finance
    for what was invoiced. Prints the return's number."""
    from bo_console.logistics import service

    lines = numbered_lines(line, service.ReturnLineCreate)
    store, actor = open_store(ctx)
    with store.write() as session:
        note = service.take_back(
            session,
            actor,
            service.ReturnCreate.model_construct(
                order=order, date=day(on), location=location, reason=reason, lines=lines
            ),
        )
        currency = money(session)
        value, credit = currency.format(note.value), currency.format(note.credit_value)
    asked = f", credit note of {credit} asked of finance" if note.credit_value else ""
    say(f"took back {note.number} worth {value} (entry {note.entry_ref or 'none'}){asked}")
    typer.echo(note.number)


@returns_app.command("list")
def returns_list(
    ctx: typer.Context,
    order: Annotated[str | None, typer.Option("--order", help="Only this sales order.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Customer returns, newest first."""
    # The returns list's own module: it reads through a plain sqlite3 Reader.
    from bo_console.core.lookups import base_currency_of
    from bo_console.logistics import return_list

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    currency = base_currency_of(reader)
    rows = []
    for r in return_list.list_returns(reader, actor, order=order):
        row = dataclasses.asdict(r)
        row["value"] = currency.from_minor(r.value)
        row["credit_value"] = currency.from_minor(r.credit_value)
        rows.append(row)
    emit(
        rows,
        [
            "number",
            "date",
            "order",
            "customer",
            "location",
            "quantity",
            "value",
            "credit_value",
            "invoice",
            "reason",
        ],
        value,
        output,
    )
