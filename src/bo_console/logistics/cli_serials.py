"""``bo logistics serials list | history``, and the ``--serial`` lines of receipts and
deliveries of serial-tracked items."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    emit,
    open_reader,
)
from bo_console.core.errors import ValidationFailed
from bo_console.logistics.cli import quantity

serials_app = typer.Typer(
    help="Serial numbers: the serials of an item in stock, one serial's history.",
    no_args_is_help=True,
)

SerialOption = Annotated[
    list[str] | None,
    typer.Option("--serial", help="LINE=SERIAL[,SERIAL...]: serials of a line (repeat)."),
]


def with_serials(lines: list[Any], serials: list[str] | None) -> list[Any]:
    """``lines`` (receipt or delivery lines) with the serials of ``--serial LINE=S1,S2``."""
    named: dict[int, list[str]] = {}
    for text in serials or []:
        line, sep, names = text.partition("=")
        if not sep or not names.strip():
            raise ValidationFailed(f"--serial {text!r}: give LINE=SERIAL[,SERIAL...]")
        number = quantity(line, f"--serial {text!r}")
        named.setdefault(number, []).extend(n.strip() for n in names.split(",") if n.strip())
    unknown = sorted(set(named) - {x.line for x in lines})
    if unknown:
        raise ValidationFailed(f"--serial: no --line for line {unknown[0]}")
    for x in lines:
        x.serials = named.get(x.line, [])
    return lines


@serials_app.command("list")
def serials_list(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(metavar="SKU", help="SKU or barcode.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The serials of an item in stock now, and where."""
    # The serial lists' own module: it reads through a plain sqlite3 Reader.
    from bo_console.logistics import serial_list

    reader, actor = open_reader(ctx)
    found = serial_list.serials_in_stock(reader, actor, item)
    rows = [{"serial": s, "location": where} for s, where in found]
    emit(rows, ["serial", "location"], fmt, output)


@serials_app.command("history")
def serials_history(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(metavar="SKU", help="SKU or barcode.")],
    serial: Annotated[str, typer.Argument(help="The serial number.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Where one serial has been: each move in and out, oldest first."""
    from bo_console.logistics import serial_list

    reader, actor = open_reader(ctx)
    found = serial_list.serial_history(reader, actor, item, serial)
    emit(
        [dataclasses.asdict(e) for e in found],
        ["date", "direction", "location", "source", "source_ref", "created_by"],
        fmt,
        output,
    )
