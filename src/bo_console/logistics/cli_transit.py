"""``bo logistics stock dispatch | arrive | in-transit``: transfers between warehouses through
goods in transit."""

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
    resolve_format,
    say,
)
from bo_console.logistics.cli import DateOption, day


def register(stock_app: typer.Typer) -> None:
    """Add the transit commands to ``bo logistics stock``."""
    stock_app.command("dispatch")(dispatch)
    stock_app.command("arrive")(arrive)
    stock_app.command("in-transit")(in_transit)


def dispatch(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(metavar="SKU", help="SKU or barcode.")],
    qty: Annotated[int, typer.Argument(metavar="QTY", help="Quantity.")],
    source: Annotated[str, typer.Argument(metavar="FROM", help="WAREHOUSE/BIN it leaves.")],
    warehouse: Annotated[str, typer.Argument(metavar="TO", help="The destination warehouse.")],
    lot: Annotated[
        str | None, typer.Option("--lot", help="The lot, for lot-tracked items.")
    ] = None,
    on: DateOption = "t",
) -> None:
    """Send stock to another warehouse: it leaves the bin and waits in transit until it
    arrives. Prints the transfer's number."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        number = service.dispatch(
            session,
            actor,
            item=item,
            quantity=qty,
            source=source,
            warehouse=warehouse,
            on=day(on),
            lot=lot,
        )
    say(f"{qty} {item} in transit to {warehouse.upper()} ({number})")
    typer.echo(number)


def arrive(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The transfer's number (TRF-...).")],
    target: Annotated[str, typer.Argument(metavar="BIN", help="WAREHOUSE/BIN it goes into.")],
    qty: Annotated[
        int | None, typer.Option("--qty", help="Part of it (default: all still in transit).")
    ] = None,
    on: DateOption = "t",
) -> None:
    """Take a transfer out of transit into a bin of its destination warehouse."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        got = service.arrive(session, actor, number=number, target=target, on=day(on), quantity=qty)
    say(f"{got.quantity} {got.sku} of {got.number} arrived in {target.upper()}")


def in_transit(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """Transfers still on the road, oldest first."""
    # The transit list's own module: it reads through a plain sqlite3 Reader.
    from dataclasses import asdict

    from bo_console.logistics import place_lists

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    rows = [asdict(r) for r in place_lists.in_transit(reader, actor)]
    emit(
        rows,
        ["number", "sku", "lot", "quantity", "value", "destination", "dispatched"],
        value,
        output,
    )
