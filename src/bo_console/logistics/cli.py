"""``bo logistics``: items, warehouses and bins, stock, and (in ``cli_orders``) purchasing,
selling, shipments, counts and reorder.

Thin: each command parses its options, calls one service in one transaction and prints the
result. Only typer and the light core modules are imported at the top.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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

if TYPE_CHECKING:
    from datetime import date

app = typer.Typer(
    help="Logistics: items, stock by location and lot, purchase and sales orders, shipments.",
    no_args_is_help=True,
)
items_app = typer.Typer(
    help="The item master: list, show, add, change, import.", no_args_is_help=True
)
warehouses_app = typer.Typer(help="Warehouses.", no_args_is_help=True)
locations_app = typer.Typer(help="Bins in warehouses (WAREHOUSE/BIN).", no_args_is_help=True)
stock_app = typer.Typer(
    help="Stock: on hand, moves, valuation, adjustments, transfers.", no_args_is_help=True
)
app.add_typer(items_app, name="items")
app.add_typer(warehouses_app, name="warehouses")
app.add_typer(locations_app, name="locations")
app.add_typer(stock_app, name="stock")

DateOption = Annotated[str, typer.Option("--date", "-d", help="Date (ISO, t for today, +5, -1m).")]


# -- helpers shared with cli_orders -------------------------------------------------------------


def day(text: str, what: str = "--date") -> date:
    from bo_console.core.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValidationFailed(f"{what}: {exc}") from None


def amount(session: Any, text: str, what: str) -> int:
    from bo_console.core.money import base_currency, parse_amount

    try:
        return parse_amount(text, base_currency(session).exponent)
    except ValueError as exc:
        raise ValidationFailed(f"{what}: {exc}") from None


def quantity(text: str, what: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValidationFailed(f"{what}: {text!r} is not a whole number") from None
    return value


def money(session: Any) -> Any:
    from bo_console.core.money import base_currency

    return base_currency(session)


def show_record(record: dict[str, Any], fmt: str, output: Path | None) -> None:
    """One record: ``key  value`` lines (table) or one row (csv, json, xlsx)."""
    if fmt == "table" and output is None:
        width = max(len(k) for k in record)
        for key, value in record.items():
            typer.echo(f"{key:<{width}}  {'' if value is None else value}")
        return
    emit([record], list(record), fmt, output)


# -- items --------------------------------------------------------------------------------------

ITEM_COLUMNS = [
    "sku",
    "name",
    "name_ar",
    "unit",
    "on_hand",
    "average_cost",
    "stock_value",
    "reorder_point",
    "supplier",
    "lot_tracked",
]


@items_app.command("list")
def items_list(
    ctx: typer.Context,
    search: Annotated[
        str, typer.Option("--search", "-s", help="SKU, name or barcode contains.")
    ] = "",
    below_reorder: Annotated[
        bool, typer.Option("--below-reorder", help="Only items below their reorder point.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.")] = 500,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Items in SKU order."""
    # The list's own module, not the logistics service facade: it reads through a plain
    # sqlite3 Reader, so the command loads neither SQLAlchemy nor the table models.
    from bo_console.core.lookups import base_currency_of
    from bo_console.logistics import item_list

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    rows = item_list.list_items(
        reader, actor, item_list.ItemFilter(text=search, below_reorder=below_reorder, limit=limit)
    )
    currency = base_currency_of(reader)
    emit([item_list.item_record(r, currency) for r in rows], ITEM_COLUMNS, value, output)


@items_app.command("show")
def items_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="SKU", help="SKU, barcode or #id.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """One item with its stock per location and lot."""
    # The item list's and stock lists' own modules: they read through a plain sqlite3 Reader.
    from bo_console.core.lookups import base_currency_of
    from bo_console.logistics import item_list, stock_lists

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    item = item_list.get_item(reader, actor, ref)
    stock = stock_lists.on_hand(reader, actor, item.sku)
    row = item_list.item_record(item, base_currency_of(reader))
    row.pop("id")
    row["stock"] = "; ".join(
        f"{b.location}{f' {b.lot}' if b.lot else ''}: {b.quantity}" for b in stock
    )
    show_record(row, value, output)


@items_app.command("add")
def items_add(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="The item's SKU (one word).")],
    name: Annotated[str, typer.Option("--name", help="Name.")],
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
    unit: Annotated[str, typer.Option("--unit", help="Base unit.")] = "each",
    purchase_unit: Annotated[
        str, typer.Option("--purchase-unit", help="The unit it is bought in (box).")
    ] = "",
    purchase_factor: Annotated[
        int, typer.Option("--purchase-factor", help="Base units in one purchase unit.")
    ] = 1,
    barcode: Annotated[
        list[str] | None, typer.Option("--barcode", help="A barcode (repeat for more).")
    ] = None,
    lot_tracked: Annotated[
        bool, typer.Option("--lot-tracked", help="Track by lot and expiry.")
    ] = False,
    serial_tracked: Annotated[
        bool, typer.Option("--serial-tracked", help="One serial number per unit.")
    ] = False,
    allow_negative: Annotated[
        bool, typer.Option("--allow-negative", help="Stock may go below zero.")
    ] = False,
    reorder_point: Annotated[int, typer.Option("--reorder-point", help="Reorder below this.")] = 0,
    reorder_qty: Annotated[int, typer.Option("--reorder-qty", help="Quantity to reorder.")] = 0,
    supplier: Annotated[
        str | None, typer.Option("--supplier", help="Preferred supplier (code).")
    ] = None,
    standard_cost: Annotated[
        str | None, typer.Option("--standard-cost", help="Cost at standard (else moving average).")
    ] = None,
    sale_price: Annotated[str, typer.Option("--sale-price", help="Default sale price.")] = "0",
    tax_code: Annotated[str, typer.Option("--tax-code", help="VAT code on sales.")] = "S15",
) -> None:
    """Add an item; prints its SKU."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        item = service.add_item(
            session,
            actor,
            service.ItemCreate.model_construct(
                sku=sku,
                name=name,
                name_ar=name_ar,
                unit=unit,
                purchase_unit=purchase_unit,
                purchase_factor=purchase_factor,
                barcodes=list(barcode or []),
                lot_tracked=lot_tracked,
                serial_tracked=serial_tracked,
                allow_negative=allow_negative,
                reorder_point=reorder_point,
                reorder_qty=reorder_qty,
                supplier=supplier,
                costing="standard" if standard_cost is not None else "average",
                standard_cost=amount(session, standard_cost, "--standard-cost")
                if standard_cost
                else 0,
                sale_price=amount(session, sale_price, "--sale-price"),
                tax_code=tax_code,
            ),
        )
    say(f"added item {item.sku}")
    typer.echo(item.sku)


@items_app.command("update")
def items_update(
    ctx: typer.Context,
    sku: Annotated[str, typer.Argument(help="SKU, barcode or #id.")],
    name: Annotated[str | None, typer.Option("--name", help="Name.")] = None,
    name_ar: Annotated[str | None, typer.Option("--name-ar", help="Arabic name.")] = None,
    reorder_point: Annotated[
        int | None, typer.Option("--reorder-point", help="Reorder below this.")
    ] = None,
    reorder_qty: Annotated[
        int | None, typer.Option("--reorder-qty", help="Quantity to reorder.")
    ] = None,
    supplier: Annotated[
        str | None, typer.Option("--supplier", help="Preferred supplier (code).")
    ] = None,
    sale_price: Annotated[
        str | None, typer.Option("--sale-price", help="Default sale price.")
    ] = None,
    active: Annotated[
        bool | None, typer.Option("--active/--inactive", help="In use or not.")
    ] = None,
) -> None:
    """Change an item's names, reorder levels, supplier, price or activity (managers)."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        fields: dict[str, Any] = {
            k: v
            for k, v in {
                "name": name,
                "name_ar": name_ar,
                "reorder_point": reorder_point,
                "reorder_qty": reorder_qty,
                "supplier": supplier,
                "active": active,
            }.items()
            if v is not None
        }
        if sale_price is not None:
            fields["sale_price"] = amount(session, sale_price, "--sale-price")
        item = service.update_item(
            session, actor, sku, service.ItemUpdate.model_construct(**fields)
        )
    say(f"updated item {item.sku}")


@items_app.command("import")
def items_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="FILE", help="CSV or XLSX file.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file; change nothing.")
    ] = False,
) -> None:
    """Import items (all or nothing; a row-by-row report of what is wrong)."""
    from bo_console.clikit import progress_bar
    from bo_console.logistics import imports

    store, actor = open_store(ctx)
    with store.write() as session, progress_bar(f"reading {path.name}") as progress:
        count = imports.import_items(session, actor, path, progress=progress)
        if dry_run:
            session.rollback()
    say(f"{'would import' if dry_run else 'imported'} {count:,} items")


@items_app.command("import-stock")
def items_import_stock(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="FILE", help="CSV or XLSX file.")],
    on: DateOption = "t",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file; change nothing.")
    ] = False,
) -> None:
    """Import opening stock (sku, location, quantity, unit_cost, lot, expiry), all or nothing,
    posted against opening balances."""
    from bo_console.clikit import progress_bar
    from bo_console.logistics import imports

    store, actor = open_store(ctx)
    with store.write() as session, progress_bar(f"reading {path.name}") as progress:
        number, count = imports.import_opening_stock(
            session, actor, path, on=day(on), progress=progress
        )
        if dry_run:
            session.rollback()
    done = f"would import {count:,} stock lines" if dry_run else f"imported {count:,} stock lines"
    say(done if dry_run else f"{done} as {number}")


# -- warehouses and bins ------------------------------------------------------------------------


@warehouses_app.command("add")
def warehouses_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code (DMM).")],
    name: Annotated[str, typer.Argument(help="Name.")],
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
) -> None:
    """Add a warehouse (then its bins with `locations add`)."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        added = service.add_warehouse(session, actor, code, name, name_ar)
    say(f"added warehouse {added}")


@locations_app.command("add")
def locations_add(
    ctx: typer.Context,
    warehouse: Annotated[str, typer.Argument(help="Warehouse code.")],
    bins: Annotated[list[str], typer.Argument(metavar="BIN...", help="Bin codes.")],
) -> None:
    """Add bins to a warehouse."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        labels = [service.add_location(session, actor, warehouse, b).label for b in bins]
    say(f"added {', '.join(labels)}")


@locations_app.command("list")
def locations_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """Every bin with the items and units it holds."""
    # The bins list's own module: it reads through a plain sqlite3 Reader.
    from dataclasses import asdict

    from bo_console.logistics import place_lists

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    rows = [asdict(r) for r in place_lists.list_locations(reader, actor)]
    emit(rows, ["label", "warehouse", "items", "quantity"], value, output)


# -- stock --------------------------------------------------------------------------------------


@stock_app.command("on-hand")
def stock_on_hand(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="SKU", help="SKU, barcode or #id.")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """On hand of one item per location and lot (with expiry)."""
    # The stock lists' own module: it reads through a plain sqlite3 Reader.
    import dataclasses

    from bo_console.logistics import stock_lists

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    rows = [dataclasses.asdict(b) for b in stock_lists.on_hand(reader, actor, ref)]
    emit(rows, ["sku", "location", "lot", "expiry", "quantity"], value, output)


@stock_app.command("moves")
def stock_moves(
    ctx: typer.Context,
    item: Annotated[str | None, typer.Option("--item", help="SKU or barcode.")] = None,
    location: Annotated[str | None, typer.Option("--location", help="WAREHOUSE/BIN.")] = None,
    ref: Annotated[
        str | None, typer.Option("--ref", help="Document number (GRN-, DN-, ADJ-...).")
    ] = None,
    since: Annotated[str | None, typer.Option("--from", help="From this date.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Up to this date.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows.")] = 200,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The stock ledger, newest first."""
    import dataclasses

    from bo_console.core.lookups import base_currency_of
    from bo_console.logistics import stock_lists

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    flt = stock_lists.MoveFilter(
        sku=item,
        location=location,
        source_ref=ref,
        since=day(since, "--from") if since else None,
        until=day(until, "--to") if until else None,
        limit=limit,
    )
    currency = base_currency_of(reader)
    rows = []
    for m in stock_lists.list_moves(reader, actor, flt):
        row = dataclasses.asdict(m)
        row["value"] = currency.from_minor(m.value)
        rows.append(row)
    columns = [
        "id",
        "date",
        "kind",
        "sku",
        "location",
        "lot",
        "quantity",
        "value",
        "source_ref",
        "created_by",
    ]
    emit(rows, columns, value, output)


@stock_app.command("valuation")
def stock_valuation(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As at this date (else now).")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Quantity and value per item (moving-average cost); the total equals the inventory
    account."""
    from bo_console.core.lookups import base_currency_of
    from bo_console.logistics import stock_lists

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    currency = base_currency_of(reader)
    found = stock_lists.valuation(reader, actor, as_of=day(as_of, "--as-of") if as_of else None)
    rows = []
    for r in found:
        row: dict[str, object] = r._asdict()
        row["value"] = currency.from_minor(r.value)
        row["average_cost"] = currency.from_minor(r.average_cost)
        rows.append(row)
    if value == "table" and output is None:
        say(f"{len(rows)} items, total {currency.format(sum(r.value for r in found))}")
    emit(rows, ["sku", "name", "quantity", "average_cost", "value"], value, output)


def _adjust_line(session: Any, text: str) -> Any:
    """``SKU:QTY[:LOT[:EXPIRY[:UNIT_COST]]]``."""
    from bo_console.logistics import service

    parts = text.split(":")
    if len(parts) < 2 or len(parts) > 5:
        raise ValidationFailed(f"--line {text!r}: give SKU:QTY[:LOT[:EXPIRY[:UNIT_COST]]]")
    return service.AdjustmentLine(
        item=parts[0],
        quantity=quantity(parts[1], f"--line {text!r}"),
        lot=parts[2] or None if len(parts) > 2 else None,
        expiry=day(parts[3], f"--line {text!r}") if len(parts) > 3 and parts[3] else None,
        unit_cost=amount(session, parts[4], f"--line {text!r}") if len(parts) > 4 else None,
    )


@stock_app.command("adjust")
def stock_adjust(
    ctx: typer.Context,
    location: Annotated[str, typer.Argument(help="WAREHOUSE/BIN.")],
    line: Annotated[
        list[str], typer.Option("--line", help="SKU:QTY[:LOT[:EXPIRY[:UNIT_COST]]], QTY signed.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (found, damaged, ...).")],
    on: DateOption = "t",
) -> None:
    """Adjust stock by hand (managers); posts to the adjustment account. Prints its number."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        number = service.adjust(
            session,
            actor,
            location=location,
            on=day(on),
            reason=reason,
            lines=[_adjust_line(session, x) for x in line],
        )
    say(f"posted adjustment {number}")
    typer.echo(number)


@stock_app.command("reverse")
def stock_reverse(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The adjustment (ADJ-...).")],
    reason: Annotated[str, typer.Option("--reason", help="Why.")],
    on: DateOption = "t",
) -> None:
    """Reverse a wrong adjustment with opposite moves. Prints the reversal's number."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        ref = service.reverse_adjustment(session, actor, number, on=day(on), reason=reason)
    say(f"reversed {number.upper()} with {ref}")
    typer.echo(ref)


@stock_app.command("transfer")
def stock_transfer(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(metavar="SKU", help="SKU or barcode.")],
    qty: Annotated[int, typer.Argument(metavar="QTY", help="Quantity.")],
    source: Annotated[str, typer.Argument(metavar="FROM", help="WAREHOUSE/BIN.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="WAREHOUSE/BIN.")],
    lot: Annotated[
        str | None, typer.Option("--lot", help="The lot, for lot-tracked items.")
    ] = None,
    on: DateOption = "t",
) -> None:
    """Move stock between bins at its cost. Prints the transfer's number."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        number = service.transfer(
            session,
            actor,
            item=item,
            quantity=qty,
            source=source,
            target=target,
            on=day(on),
            lot=lot,
        )
    say(f"transferred {qty} {item} ({number})")
    typer.echo(number)


def _register_orders() -> None:
    from bo_console.logistics import cli_orders, cli_transit

    cli_orders.register(app)
    cli_transit.register(stock_app)


_register_orders()
