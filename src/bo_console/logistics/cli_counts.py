"""``bo logistics counts`` (count sheets, scanned or typed) and ``bo logistics reorder``."""

from __future__ import annotations

from dataclasses import asdict
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
from bo_console.core.errors import ValidationFailed
from bo_console.logistics.cli import DateOption, day, money, quantity

counts_app = typer.Typer(help="Stock counts: open, enter, show, post.", no_args_is_help=True)


# -- counts -------------------------------------------------------------------------------------


@counts_app.command("open")
def counts_open(
    ctx: typer.Context,
    location: Annotated[str, typer.Argument(help="WAREHOUSE/BIN.")],
    on: DateOption = "t",
) -> None:
    """Open a count sheet for a location. Prints its number."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        count = service.open_count(session, actor, location=location, on=day(on))
    say(f"opened {count.number}")
    typer.echo(count.number)


@counts_app.command("enter")
def counts_enter(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="CNT-...")],
    line: Annotated[list[str], typer.Option("--line", help="SKU[:LOT]=COUNTED (repeat).")],
) -> None:
    """Enter counted quantities (scanned or typed)."""
    from bo_console.logistics import service

    lines = []
    for text in line:
        left, sep, counted = text.partition("=")
        if not sep:
            raise ValidationFailed(f"--line {text!r}: give SKU[:LOT]=COUNTED")
        sku, _, lot = left.partition(":")
        lines.append(
            service.CountLineCreate.model_construct(
                item=sku, lot=lot or None, counted=quantity(counted, f"--line {text!r}")
            )
        )
    store, actor = open_store(ctx)
    with store.write() as session:
        total = service.record_counts(session, actor, number, lines)
    say(f"{number.upper()} has {total} counted lines")


@counts_app.command("show")
def counts_show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="CNT-...")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """What posting the count would change: system quantity, count, difference, value."""
    # The count preview's own module: it reads through a plain sqlite3 Reader.
    from bo_console.core.lookups import base_currency_of
    from bo_console.logistics import count_list

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    currency = base_currency_of(reader)
    rows = [
        {**asdict(d), "value": currency.from_minor(d.value)}
        for d in count_list.differences(reader, actor, number)
    ]
    emit(rows, ["sku", "lot", "system", "counted", "difference", "value"], value, output)


@counts_app.command("post")
def counts_post(ctx: typer.Context, number: Annotated[str, typer.Argument(help="CNT-...")]) -> None:
    """Post a count's differences as adjustments (a manager above the approval limit)."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        count = service.post_count(session, actor, number)
        value = money(session).format(count.difference_value)
    say(f"posted {count.number}: {value} (entry {count.entry_ref or 'none'})")


# -- reorder ------------------------------------------------------------------------------------


def reorder(
    ctx: typer.Context,
    location: Annotated[str, typer.Option("--location", help="Receive into WAREHOUSE/BIN.")],
    notify: Annotated[
        bool, typer.Option("--notify", help="Leave a note in the logistics inbox.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the suggestions; change nothing.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Run again today.")] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Items below their reorder point get draft purchase orders per preferred supplier, once
    a day (for cron)."""
    from bo_console.clikit import progress_bar
    from bo_console.core.clock import today

    value = resolve_format(fmt, output)
    if dry_run:
        # The suggestions' own module: a dry run reads through a plain sqlite3 Reader.
        from bo_console.logistics import reorder_list

        reader, actor = open_reader(ctx)
        rows = [asdict(s) for s in reorder_list.reorder_suggestions(reader, actor)]
        columns = [
            "sku",
            "supplier",
            "on_hand",
            "on_order",
            "reserved",
            "reorder_point",
            "quantity",
        ]
        emit(rows, columns, value, output)
        return
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with progress_bar("reorder") as progress:
        done = service.run_reorder(
            store,
            actor,
            on=today(),
            location=location,
            notify=notify,
            force=force,
            progress=progress,
        )
    say(done.summary)
