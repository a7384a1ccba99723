"""``bo front``: the front office's commands (register a customer, quote, turn a quotation
into an order, order status, requests to the back office, my requests)."""

from __future__ import annotations

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
    progress_bar,
    say,
    warn,
)
from bo_console.core.errors import ValidationFailed

app = typer.Typer(
    help="The front office: customers, quotations and orders, requests to the back office.",
    no_args_is_help=True,
)
request_app = typer.Typer(
    help="Ask finance for an invoice copy or a statement.", no_args_is_help=True
)
app.add_typer(request_app, name="request")
intake_app = typer.Typer(
    help="Orders from outside (a web shop, a partner) as CSV or JSON files.", no_args_is_help=True
)

REQUEST_COLUMNS = ["id", "kind", "to", "subject", "status", "due", "links"]
LINE_COLUMNS = ["line", "sku", "name", "ordered", "shipped", "invoiced", "unit_price"]


def _model(model: Any, what: str, **data: Any) -> Any:
    """``data`` as ``model``, or a one-line refusal naming the field."""
    from pydantic import ValidationError

    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err.get("loc", ())) or what
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        raise ValidationFailed(f"{what}: {field.replace('_', '-')}: {message}") from None


def _day(text: str | None, what: str) -> Any:
    from bo_console.core.dates import parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValidationFailed(f"{what}: {exc}") from None


@app.command("register")
def register_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="The customer's name.")],
    cr: Annotated[str, typer.Option("--cr", help="Commercial registration (10 digits).")],
    vat: Annotated[str, typer.Option("--vat", help="VAT number (15 digits, 3...3).")],
    name_ar: Annotated[str, typer.Option("--name-ar", help="Name in Arabic.")] = "",
    contact: Annotated[str, typer.Option(help="Contact person.")] = "",
    email: Annotated[str, typer.Option(help="E-mail.")] = "",
    phone: Annotated[str, typer.Option(help="Phone.")] = "",
    address: Annotated[str, typer.Option(help="National address.")] = "",
) -> None:
    """Register a new customer; finance approves it before anything is sold to it. Prints its
    code."""
    from bo_console.front_office import service

    data = _model(
        service.CustomerRegistration,
        "customer",
        name=name,
        name_ar=name_ar,
        cr_number=cr,
        tax_number=vat,
        contact_name=contact,
        email=email,
        phone=phone,
        address=address,
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        view, item = service.register_customer(session, actor, data)
    say(f"{view.code} {view.name} waits for finance's approval (work item {item})")
    typer.echo(view.code)


@app.command("quote")
def quote_cmd(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option("--customer", "-c", help="Customer code or name.")],
    line: Annotated[
        list[str], typer.Option("--line", help="SKU:QTY[:PRICE] (repeat for more lines).")
    ],
    on: Annotated[str, typer.Option("--date", help="Date of the quotation.")] = "t",
    requested: Annotated[str | None, typer.Option(help="Delivery date asked for.")] = None,
    memo: Annotated[str, typer.Option(help="A note on the quotation.")] = "",
) -> None:
    """Enter a quotation (a draft sales order; nothing is reserved). Prints its number."""
    from bo_console.front_office import service
    from bo_console.front_office.models import parse_lines

    try:
        lines = parse_lines(",".join(line))
    except ValueError as exc:
        raise ValidationFailed(f"--line: {exc}") from None
    data = _model(
        service.QuotationCreate,
        "quotation",
        customer=customer,
        date=_day(on, "--date"),
        requested=_day(requested, "--requested"),
        memo=memo,
        lines=lines,
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        status = service.enter_quotation(session, actor, data)
    typer.echo(status.number)


@app.command("order")
def order_cmd(
    ctx: typer.Context, number: Annotated[str, typer.Argument(help="The quotation, SO-...")]
) -> None:
    """The customer accepts a quotation: it becomes a sales order and its stock is reserved."""
    from bo_console.front_office import service

    store, actor = open_store(ctx)
    with store.write() as session:
        status = service.convert_quotation(session, actor, number)
    say(f"{status.number} is an order now; its stock is reserved")


@app.command("status")
def status_cmd(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="SO-...")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Where an order stands (quotation, reserved, picked, shipped, invoiced, paid), its
    lines and shipments."""
    from dataclasses import asdict

    # The status's own module: it reads through a plain sqlite3 Reader.
    from bo_console.front_office.status import order_status

    reader, actor = open_reader(ctx)
    status = order_status(reader, actor, number)
    if fmt is not OutputFormat.table:
        import json

        # Lines and shipments are nested: their dates as ISO text, like the top level's.
        row = json.loads(json.dumps(asdict(status), default=str))
        emit([row], list(row), fmt)
        return
    typer.echo(f"{status.number}  {status.stage}")
    typer.echo(f"customer  {status.customer} {status.customer_name}")
    typer.echo(f"date      {status.date}   requested {status.requested or '-'}")
    for s in status.shipments:
        state = status.invoices.get(s.invoice or "", "")
        invoice = f"  invoice {s.invoice} {state}" if s.invoice else ""
        tracking = f" {s.carrier} {s.tracking}".rstrip()
        typer.echo(f"shipment  {s.number} {s.date} {s.status}{tracking}{invoice}")
    emit([asdict(x) for x in status.lines], LINE_COLUMNS, fmt)


def _request(ctx: typer.Context, kind: str, customer: str, document: str, note: str) -> None:
    from bo_console.front_office import service

    data = _model(
        service.CustomerRequest, "request", customer=customer, document=document, note=note
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        if kind == "invoice-copy":
            item = service.request_invoice_copy(session, actor, data)
        else:
            item = service.request_statement(session, actor, data)
    say(f"work item {item.id} sent to {item.to_dept}, due {item.due_date}")
    typer.echo(item.id)


CustomerOption = Annotated[str, typer.Option("--customer", "-c", help="Customer code.")]
NoteOption = Annotated[str, typer.Option("--note", "-m", help="What the customer said.")]


@request_app.command("invoice-copy")
def invoice_copy_cmd(
    ctx: typer.Context,
    customer: CustomerOption,
    invoice: Annotated[str, typer.Option("--invoice", help="INV-...")],
    note: NoteOption = "",
) -> None:
    """Ask finance to send a copy of an invoice. Prints the work item's id."""
    _request(ctx, "invoice-copy", customer, invoice, note)


@request_app.command("statement")
def statement_cmd(ctx: typer.Context, customer: CustomerOption, note: NoteOption = "") -> None:
    """Ask finance to send a statement of account. Prints the work item's id."""
    _request(ctx, "customer-statement", customer, "", note)


@app.command("ticket")
def ticket_cmd(
    ctx: typer.Context,
    subject: Annotated[str, typer.Option("--subject", "-s", help="What is wrong.")],
    description: Annotated[str, typer.Option(help="Details.")] = "",
    priority: Annotated[str, typer.Option(help="P1 (urgent) to P4.")] = "P3",
) -> None:
    """Raise an IT ticket. Prints its reference."""
    from bo_console.front_office import service

    data = _model(
        service.TicketRequest,
        "ticket",
        subject=subject,
        description=description,
        priority=priority.upper(),
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        view = service.raise_ticket(session, actor, data)
    typer.echo(view.row.ref)


@app.command("cv")
def cv_cmd(
    ctx: typer.Context,
    opening: Annotated[
        int, typer.Option("--opening", help="The opening's id (bo front openings).")
    ],
    name: Annotated[str, typer.Option("--name", help="The candidate's name.")],
    email: Annotated[str, typer.Option(help="E-mail.")] = "",
    phone: Annotated[str, typer.Option(help="Phone.")] = "",
    note: NoteOption = "",
) -> None:
    """Hand in a walk-in CV: a candidate for the opening, and an item for HR to review it."""
    from bo_console.front_office import service

    data = _model(
        service.WalkInCV, "CV", opening=opening, name=name, email=email, phone=phone, note=note
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        candidate = service.hand_in_cv(session, actor, data)
    say(f"candidate {candidate} handed to HR")
    typer.echo(candidate)


@app.command("openings")
def openings_cmd(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """Openings that take applications (for walk-in CVs)."""
    from bo_console.hr.service.recruiting_lists import openings_taking_applications

    reader, actor = open_reader(ctx)
    rows = openings_taking_applications(reader, actor)
    emit([{"id": i, "title": t} for i, t in rows], ["id", "title"], fmt, output)


@app.command("gate")
def gate_cmd(
    ctx: typer.Context,
    order: Annotated[str, typer.Option("--po", help="The purchase order, PO-...")],
    delivery_note: Annotated[str, typer.Option("--delivery-note", help="Its number.")] = "",
    packages: Annotated[int, typer.Option(help="Packages or pallets.")] = 1,
    note: NoteOption = "",
) -> None:
    """A supplier's truck at the gate: logistics receives it against the purchase order.
    Prints the work item's id."""
    from bo_console.front_office import service

    data = _model(
        service.GateDelivery,
        "delivery",
        order=order,
        delivery_note=delivery_note,
        packages=packages,
        note=note,
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        item = service.record_gate_delivery(session, actor, data)
    say(f"work item {item.id} sent to logistics")
    typer.echo(item.id)


@app.command("requests")
def requests_cmd(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="all (default), open or closed.")] = "all",
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """My requests: the items I raised, in any department, and where each stands."""
    from bo_console.core.inbox_list import item_rows, link_refs

    reader, actor = open_reader(ctx)
    items = item_rows(reader, actor, raised=True, status=status)
    links = link_refs(reader, [i.id for i in items])
    rows = [
        {
            "id": i.id,
            "kind": i.kind,
            "to": i.to_dept,
            "subject": i.subject,
            "status": i.status,
            "due": i.due_date,
            "links": " ".join(links[i.id]),
        }
        for i in items
    ]
    emit(rows, REQUEST_COLUMNS, fmt, output)


@intake_app.command("orders")
def intake_orders_cmd(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="A CSV or JSON file of orders (data/intake-orders-*).")
    ] = None,
    drop_folder: Annotated[
        Path | None,
        typer.Option(
            "--drop-folder",
            help="Take in every waiting file of this folder (cron): done files go to processed/, "
            "a failed one stays with NAME.errors.txt beside it.",
        ),
    ] = None,
) -> None:
    """Create sales orders from a file, all or nothing, once per sender's reference."""
    from bo_console.core.errors import UsageProblem
    from bo_console.front_office import intake

    if (file is None) == (drop_folder is None):
        raise UsageProblem("give a FILE or --drop-folder DIR")
    store, actor = open_store(ctx)
    if file is not None:
        with store.write() as session:
            result = intake.intake_orders(session, actor, file)
        _said(result)
        return
    assert drop_folder is not None
    with progress_bar(f"intake {drop_folder.name}") as progress:
        outcomes = intake.take_drop_folder(store, actor, drop_folder, progress=progress)
    failed = [o for o in outcomes if o.result is None]
    for o in failed:
        where = f"; see {o.report}" if o.report else "; left for the next run"
        warn(f"{o.file}: {o.error}{where}")  # cron mails it: a file was left undone
    if failed:
        raise typer.Exit(1)
    say(intake.drop_summary(outcomes))


def _said(result: Any) -> None:
    if result.created:
        for reference, number in result.created.items():
            typer.echo(f"{reference}\t{number}")
    if result.already and not result.created:
        say(f"{result.file}: already received ({len(result.already)} orders); nothing created")
