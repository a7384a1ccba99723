"""``bo logistics po|receive|bill|so|shipments``: the order commands (counts and reorder
are in ``cli_counts``).

Lines are typed as colon-separated fields: a purchase or sales order line ``SKU:QTY[:PRICE]``
(on a purchase order ``SKU:QTY[:PRICE[:UNIT]]``, in the item's purchase unit),
a receipt line ``LINE:QTY[:LOT[:EXPIRY]]``, a bill line ``LINE:QTY:PRICE``, a delivery line
``LINE:QTY[:LOT]`` and a count line ``SKU[:LOT]=COUNTED``.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

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
from bo_console.logistics.cli import (
    DateOption,
    amount,
    day,
    money,
    quantity,
    show_record,
)
from bo_console.logistics.cli_serials import SerialOption, serials_app, with_serials

po_app = typer.Typer(
    help="Purchase orders: list, show, create, approve, send, cancel, close.", no_args_is_help=True
)
so_app = typer.Typer(
    help="Sales orders: list, create, confirm, deliver, invoice.", no_args_is_help=True
)
shipments_app = typer.Typer(
    help="Shipments: the dispatch list, delivery status by hand or from a carrier's CSV.",
    no_args_is_help=True,
)

LineOption = Annotated[list[str], typer.Option("--line", help="A line (repeat for more).")]


def _fields(text: str, least: int, most: int, shape: str) -> list[str]:
    parts = text.split(":")
    if not least <= len(parts) <= most:
        raise ValidationFailed(f"--line {text!r}: give {shape}")
    return parts


def _order_lines(session: Any, lines: list[str]) -> list[Any]:
    from bo_console.logistics import service

    out = []
    for text in lines:
        parts = _fields(text, 2, 4, "SKU:QTY[:PRICE[:UNIT]]")
        out.append(
            service.OrderLineCreate.model_construct(
                item=parts[0],
                quantity=quantity(parts[1], f"--line {text!r}"),
                unit_price=amount(session, parts[2], f"--line {text!r}")
                if len(parts) > 2 and parts[2]
                else None,
                unit=parts[3] or None if len(parts) > 3 else None,
            )
        )
    return out


def _order_rows(rows: list[Any], currency: Any) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        row = asdict(r)
        row["total"] = currency.from_minor(r.total)
        out.append(row)
    return out


def _list_command(app: typer.Typer, what: str, lister: str, party: str, done: str) -> None:
    """``list`` for purchase or sales orders: ``lister`` names the service function."""

    @app.command("list", help=f"{what}, newest first.")
    def command(
        ctx: typer.Context,
        status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
        fmt: FormatOption = OutputFormat.table,
        output: OutputOption = None,
    ) -> None:
        # The order lists' own module: it reads through a plain sqlite3 Reader.
        from bo_console.core.lookups import base_currency_of
        from bo_console.logistics import sales_lists

        value = resolve_format(fmt, output)
        reader, actor = open_reader(ctx)
        found = getattr(sales_lists, lister)(reader, actor, status=status)
        rows = _order_rows(found, base_currency_of(reader))
        emit(rows, ["number", "date", party, "status", "total", done], value, output)


_list_command(po_app, "Purchase orders", "list_orders", "supplier", "received")
_list_command(so_app, "Sales orders", "list_sales_orders", "customer", "delivered")


def _create(
    ctx: typer.Context,
    *,
    party: str,
    line: list[str],
    on: str,
    memo: str,
    location: str | None = None,
    confirm: bool = False,
) -> None:
    """Raise a purchase order (with the ``location`` it is received into) or a sales order
    (``location`` None), print its number."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        make: Any = service.create_sales_order
        model: Any = service.SalesOrderCreate
        fields: dict[str, Any] = {"customer": party, "requested": None, "external_ref": None}
        if location is not None:
            make, model = service.create_order, service.PurchaseOrderCreate
            fields = {"supplier": party, "expected": None, "location": location}
        data = model.model_construct(
            date=day(on), memo=memo, lines=_order_lines(session, line), **fields
        )
        order = make(session, actor, data)
        if confirm:
            service.confirm_sales_order(session, actor, order.number)
        total = money(session).format(order.total)
    say(f"created {order.number} for {total}{' (confirmed)' if confirm else ''}")
    typer.echo(order.number)


def numbered_lines(texts: list[str], model: Any, *, expiry: bool = False) -> list[Any]:
    """``--line LINE:QTY[:LOT]`` options (``[:EXPIRY]`` too with ``expiry``) as ``model``
    rows: the lines of a receipt, a delivery or a return, by their order line's number."""
    shape = "LINE:QTY[:LOT[:EXPIRY]]" if expiry else "LINE:QTY[:LOT]"
    out = []
    for text in texts:
        parts = _fields(text, 2, 4 if expiry else 3, shape)
        what = f"--line {text!r}"
        extra: dict[str, Any] = {}
        if expiry:
            extra["expiry"] = day(parts[3], what) if len(parts) > 3 and parts[3] else None
        out.append(
            model.model_construct(
                line=quantity(parts[0], what),
                quantity=quantity(parts[1], what),
                lot=(parts[2] or None) if len(parts) > 2 else None,
                **extra,
            )
        )
    return out


# -- purchase orders ----------------------------------------------------------------------------


@po_app.command("show")
def po_show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="PO-...")],
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """One purchase order and its lines."""
    # The order view's own module: it reads through a plain sqlite3 Reader.
    from bo_console.core.lookups import base_currency_of
    from bo_console.logistics import order_view

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    view = order_view.get_order(reader, actor, number)
    currency = base_currency_of(reader)
    lines = [{**asdict(x), "unit_price": currency.from_minor(x.unit_price)} for x in view.lines]
    if value == "json" and output is None:
        import json

        record = {**asdict(view.row), "total": str(currency.from_minor(view.row.total))}
        record |= {"location": view.location, "created_by": view.created_by}
        record |= {"approved_by": view.approved_by}
        record["lines"] = [
            {k: str(v) if k == "unit_price" else v for k, v in x.items()} for x in lines
        ]
        typer.echo(json.dumps(record, default=str, ensure_ascii=False, indent=2))
        return
    row = view.row
    say(f"{row.number} {row.date} {row.supplier}: {row.status}, {currency.format(row.total)}")
    emit(
        lines,
        ["line", "sku", "name", "quantity", "ordered", "unit_price", "received", "billed"],
        value,
        output,
    )


@po_app.command("create")
def po_create(
    ctx: typer.Context,
    supplier: Annotated[str, typer.Option("--supplier", help="Supplier code or name.")],
    location: Annotated[str, typer.Option("--location", help="Receive into WAREHOUSE/BIN.")],
    line: LineOption,
    on: DateOption = "t",
    memo: Annotated[str, typer.Option("--memo", help="A note.")] = "",
) -> None:
    """Raise a draft purchase order (lines SKU:QTY[:PRICE[:UNIT]], UNIT the item's purchase
    unit, PRICE per that unit). Prints its number."""
    _create(ctx, party=supplier, line=line, on=on, memo=memo, location=location)


def _po_step(name: str, doing: str) -> None:
    @po_app.command(name, help=f"{doing.capitalize()} a purchase order.")
    def step(ctx: typer.Context, number: Annotated[str, typer.Argument(help="PO-...")]) -> None:
        from bo_console.logistics import service

        call = {
            "approve": service.approve_order,
            "send": service.send_order,
            "cancel": service.cancel_order,
            "close": service.close_order,
        }[name]
        store, actor = open_store(ctx)
        with store.write() as session:
            order = call(session, actor, number)
        say(f"{order.number} is {order.status}")


for _name, _doing in (
    ("approve", "approve"),
    ("send", "mark as sent"),
    ("cancel", "cancel"),
    ("close", "close short"),
):
    _po_step(_name, _doing)


def receive(
    ctx: typer.Context,
    order: Annotated[str, typer.Argument(help="PO-...")],
    line: Annotated[list[str], typer.Option("--line", help="LINE:QTY[:LOT[:EXPIRY]] (repeat).")],
    location: Annotated[
        str | None, typer.Option("--location", help="Into WAREHOUSE/BIN (else the order's).")
    ] = None,
    on: DateOption = "t",
    serial: SerialOption = None,
) -> None:
    """Receive goods against an order (posts inventory against GRNI). Prints the receipt."""
    from bo_console.logistics import service

    lines = with_serials(numbered_lines(line, service.ReceiptLineCreate, expiry=True), serial)
    store, actor = open_store(ctx)
    with store.write() as session:
        receipt = service.receive(
            session,
            actor,
            service.ReceiptCreate.model_construct(
                order=order, date=day(on), location=location, lines=lines
            ),
        )
        value = money(session).format(receipt.value)
    say(f"received {receipt.number} worth {value} (entry {receipt.entry_ref or 'none'})")
    typer.echo(receipt.number)


def bill(
    ctx: typer.Context,
    receipt: Annotated[str, typer.Argument(help="GRN-...")],
    reference: Annotated[str, typer.Option("--reference", help="The supplier's invoice number.")],
    line: Annotated[list[str], typer.Option("--line", help="LINE:QTY:PRICE (repeat).")],
    tax_code: Annotated[str, typer.Option("--tax-code", help="VAT code.")] = "S15",
    on: DateOption = "t",
) -> None:
    """Enter the supplier's bill for a receipt (three-way match; finance.post). Prints it."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        lines = []
        for text in line:
            parts = _fields(text, 3, 3, "LINE:QTY:PRICE")
            lines.append(
                service.BillLine(
                    line=quantity(parts[0], f"--line {text!r}"),
                    quantity=quantity(parts[1], f"--line {text!r}"),
                    unit_price=amount(session, parts[2], f"--line {text!r}"),
                )
            )
        result = service.bill_receipt(
            session, actor, receipt, on=day(on), reference=reference, lines=lines, tax_code=tax_code
        )
        currency = money(session)
    variance = f", price variance {currency.format(result.variance)}" if result.variance else ""
    say(f"posted {result.bill} for {currency.format(result.total)}{variance}")
    typer.echo(result.bill)


# -- sales orders -------------------------------------------------------------------------------


@so_app.command("create")
def so_create(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", help="Customer code or name.")],
    line: LineOption,
    on: DateOption = "t",
    memo: Annotated[str, typer.Option("--memo", help="A note.")] = "",
    confirm: Annotated[
        bool, typer.Option("--confirm", help="Confirm it (reserve stock) at once.")
    ] = False,
) -> None:
    """Enter a sales order (lines SKU:QTY[:PRICE]). Prints its number."""
    _create(ctx, party=customer, line=line, on=on, memo=memo, confirm=confirm)


@so_app.command("confirm")
def so_confirm(ctx: typer.Context, number: Annotated[str, typer.Argument(help="SO-...")]) -> None:
    """Confirm a draft sales order, reserving its stock."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        order = service.confirm_sales_order(session, actor, number)
    say(f"{order.number} is confirmed")


@so_app.command("deliver")
def so_deliver(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="SO-...")],
    location: Annotated[str, typer.Option("--location", help="From WAREHOUSE/BIN.")],
    line: Annotated[
        list[str], typer.Option("--line", help="LINE:QTY[:LOT] (repeat); no lot: FEFO.")
    ],
    carrier: Annotated[str, typer.Option("--carrier", help="Carrier.")] = "",
    tracking: Annotated[str, typer.Option("--tracking", help="Tracking reference.")] = "",
    route: Annotated[str, typer.Option("--route", help="Route.")] = "",
    on: DateOption = "t",
    serial: SerialOption = None,
) -> None:
    """Pick, pack and ship: a delivery note posting cost of sales. Prints its number."""
    from bo_console.logistics import service

    lines = with_serials(numbered_lines(line, service.DeliveryLineCreate), serial)
    store, actor = open_store(ctx)
    with store.write() as session:
        delivery = service.deliver(
            session,
            actor,
            service.DeliveryCreate.model_construct(
                order=number,
                date=day(on),
                location=location,
                carrier=carrier,
                tracking=tracking,
                route=route,
                lines=lines,
            ),
        )
        cost = money(session).format(delivery.cost)
    say(f"shipped {delivery.number}, cost of sales {cost} (entry {delivery.entry_ref or 'none'})")
    typer.echo(delivery.number)


@so_app.command("invoice")
def so_invoice(
    ctx: typer.Context, number: Annotated[str, typer.Argument(help="SO-...")], on: DateOption = "t"
) -> None:
    """Invoice what was delivered and not yet invoiced (finance.post). Prints the invoice."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        invoice = service.invoice_order(session, actor, number, on=day(on))
    say(f"posted {invoice}")
    typer.echo(invoice)


# -- shipments ----------------------------------------------------------------------------------


@shipments_app.command("list")
def shipments_list(
    ctx: typer.Context,
    on: Annotated[str | None, typer.Option("--date", "-d", help="Only this day.")] = None,
    route: Annotated[str | None, typer.Option("--route", help="Only this route.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """The dispatch list: shipments per day and route."""
    from bo_console.logistics import sales_lists

    value = resolve_format(fmt, output)
    reader, actor = open_reader(ctx)
    found = sales_lists.dispatch_list(reader, actor, on=day(on) if on else None, route=route)
    rows = [asdict(r) for r in found]
    emit(
        rows,
        ["number", "date", "route", "order", "customer", "carrier", "tracking", "status"],
        value,
        output,
    )


@shipments_app.command("status")
def shipments_status(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="DN-...")],
    status: Annotated[str, typer.Argument(help="shipped, delivered or failed.")],
    tracking: Annotated[str | None, typer.Option("--tracking", help="Tracking reference.")] = None,
) -> None:
    """Set a shipment's delivery status by hand."""
    from bo_console.logistics import service

    store, actor = open_store(ctx)
    with store.write() as session:
        delivery = service.set_shipment_status(session, actor, number, status, tracking=tracking)
    say(f"{delivery.number} is {delivery.status}")


@shipments_app.command("import")
def shipments_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="FILE", help="The carrier's CSV.")],
) -> None:
    """Update statuses from a carrier's file (columns: delivery, status, tracking), all or
    nothing."""
    from bo_console.core.errors import BoError
    from bo_console.core.io import Column, read_validated
    from bo_console.logistics import service
    from bo_console.logistics.models import SHIPMENT_STATUSES

    store, actor = open_store(ctx)
    with store.write() as session:

        def parse(row: int, record: dict[str, str], report: Any) -> tuple[str, str, str] | None:
            status = record.get("status", "").strip().lower()
            if status not in SHIPMENT_STATUSES:
                report.add(row, "status", f"one of {', '.join(SHIPMENT_STATUSES)}")
                return None
            try:
                found = service.find_delivery(session, record.get("delivery", ""))
            except BoError as exc:
                report.add(row, "delivery", exc.message)
                return None
            return found.number, status, record.get("tracking", "").strip()

        updates = read_validated(
            path, [Column("delivery"), Column("status"), Column("tracking", required=False)], parse
        )
        for number, status, tracking_ref in updates:
            service.set_shipment_status(
                session, actor, number, status, tracking=tracking_ref or None
            )
    say(f"updated {len(updates)} shipments")


def register(app: typer.Typer) -> None:
    """Add the order commands to ``bo logistics``."""
    app.add_typer(po_app, name="po")
    app.command("receive")(receive)
    app.command("bill")(bill)
    app.add_typer(so_app, name="so")
    app.add_typer(shipments_app, name="shipments")
    from bo_console.logistics import cli_counts, cli_returns

    app.add_typer(cli_counts.counts_app, name="counts")
    app.command("reorder")(cli_counts.reorder)
    app.add_typer(cli_returns.returns_app, name="returns")
    app.add_typer(serials_app, name="serials")


__all__ = ["register", "show_record"]
