"""``bo finance invoices`` and ``bo finance bills``: sales invoices and supplier bills."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    emit,
    open_reader,
    open_store,
    say,
)
from bo_console.core.errors import UsageProblem, ValidationFailed
from bo_console.finance.cli.options import (
    DateOption,
    DocArg,
    DocLineOption,
    DocPartyOption,
    DueOption,
    FromOption,
    LimitOption,
    MemoOption,
    OverdueOption,
    PartyOption,
    PostOption,
    ReasonOption,
    RefOption,
    SearchOption,
    StatusOption,
    ToOption,
    VoidDateOption,
    _exponent,
    _show_record,
    invalid_fields,
    option_amount,
    option_date,
)

if TYPE_CHECKING:
    from bo_console.finance.document_models import DocumentLineCreate
    from bo_console.finance.document_view import DocumentView

invoices_app = typer.Typer(
    help="Sales invoices (and the credit notes that void them): list, show, add, post, void.",
    no_args_is_help=True,
)
bills_app = typer.Typer(
    help="Supplier bills (and supplier credit notes): list, show, add, post, void.",
    no_args_is_help=True,
)

# -- invoices and bills -------------------------------------------------------------------------

DOCUMENT_COLUMNS = [
    "number",
    "kind",
    "date",
    "due_date",
    "party",
    "party_name",
    "reference",
    "status",
    "net",
    "tax",
    "total",
    "paid",
    "open",
]
DOC_LINE_COLUMNS = [
    "line",
    "description",
    "quantity",
    "unit_price",
    "account",
    "tax_code",
    "net",
    "tax",
]


def _parse_doc_line(text: str, exponent: int, kind: str, number: int) -> DocumentLineCreate:
    """``DESCRIPTION|QUANTITY|UNIT PRICE|TAX CODE[|ACCOUNT]``, the document's line ``number``."""
    from pydantic import ValidationError

    from bo_console.finance.document_models import DocumentLineCreate
    from bo_console.finance.documents import parse_quantity

    where = f"line {number}"
    parts = [p.strip() for p in text.split("|")]
    if len(parts) not in (4, 5):
        example = (
            "'Nitrile gloves|10|45.50|S15'" if kind == "invoice" else "'Boxes|100|3.20|S15|1310'"
        )
        raise ValidationFailed(
            f"{where}: {text!r}: use DESCRIPTION|QUANTITY|UNIT PRICE|TAX CODE[|ACCOUNT], "
            f"e.g. {example}"
        )
    try:
        quantity = parse_quantity(parts[1])
    except ValueError as exc:
        raise ValidationFailed(f"{where}: {exc}") from None
    price = option_amount(parts[2], exponent, where)
    try:
        return DocumentLineCreate(
            description=parts[0],
            quantity=quantity,
            unit_price=price,
            tax_code=parts[3],
            account=parts[4] if len(parts) == 5 and parts[4] else None,
        )
    except ValidationError as exc:
        raise invalid_fields(exc, where) from None


def _doc_rows(view: DocumentView) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    r = view.row
    header = {
        "number": r.ref,
        "kind": r.kind,
        "status": r.status,
        "party": r.party,
        "party_name": r.party_name,
        "date": r.date,
        "due_date": r.due_date,
        "reference": r.reference,
        "memo": view.memo,
        "net": r.net,
        "tax": r.tax,
        "total": r.total,
        "paid": r.paid,
        "open": r.open,
        "entry": view.entry,
        "voids": view.voids,
        "voided_by": view.voided_by,
        "created_by": view.created_by,
        "posted_by": view.posted_by,
        "posted_at": view.posted_at,
    }
    lines = [
        {
            "line": line.line_no,
            "description": line.description,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "account": line.account,
            "tax_code": line.tax_code,
            "net": line.net,
            "tax": line.tax,
        }
        for line in view.lines
    ]
    return header, lines


def _list(
    ctx: typer.Context,
    side: str,
    status: str | None,
    party: str | None,
    date_from: str | None,
    date_to: str | None,
    overdue: bool,
    search: str | None,
    limit: int,
    fmt: OutputFormat,
    output: Path | None,
) -> None:
    from bo_console.core.clock import today
    from bo_console.finance import documents

    flt = documents.DocumentFilter(
        side=side,
        status=status,
        party=party,
        date_from=option_date(date_from, "--from") if date_from else None,
        date_to=option_date(date_to, "--to") if date_to else None,
        overdue_on=today() if overdue else None,
        search=search,
        limit=limit,
    )
    reader, actor = open_reader(ctx)
    rows = documents.list_documents(reader, actor, flt)
    out = [{**r.__dict__, "number": r.ref} for r in rows]
    emit(out, DOCUMENT_COLUMNS, fmt, output)


def _show(ctx: typer.Context, ref: str, kinds: tuple[str, ...], fmt: OutputFormat) -> None:
    from bo_console.finance.document_view import read_document

    reader, actor = open_reader(ctx)
    view = read_document(reader, actor, ref, kinds)
    header, lines = _doc_rows(view)
    allocations = [
        {"payment": a.payment, "date": a.date, "amount": a.amount, "status": a.payment_status}
        for a in view.allocations
    ]
    if fmt == OutputFormat.csv:
        emit(
            [{"number": view.row.ref, **line} for line in lines], ["number", *DOC_LINE_COLUMNS], fmt
        )
        return
    _show_record(
        header,
        [
            ("lines", lines, DOC_LINE_COLUMNS),
            ("allocations", allocations, ["payment", "date", "amount", "status"]),
        ],
        fmt,
    )


def _add(
    ctx: typer.Context,
    kind: str,
    party: str,
    on: str,
    due: str | None,
    reference: str,
    memo: str,
    line: list[str],
    post: bool,
    yes: bool,
) -> None:
    from bo_console.finance import documents

    if not line:
        raise UsageProblem("give at least one --line DESCRIPTION|QUANTITY|UNIT PRICE|TAX CODE")
    store, actor, exponent = _exponent(ctx)
    data = documents.validate_document(
        {
            "kind": kind,
            "party": party,
            "date": option_date(on, "--date"),
            "due_date": option_date(due, "--due") if due else None,
            "reference": reference,
            "memo": memo,
            "lines": [
                _parse_doc_line(text, exponent, kind, number)
                for number, text in enumerate(line, start=1)
            ],
        }
    )
    if post:
        confirm(f"Post this {kind} dated {data.date}? Posted documents cannot be changed", yes=yes)
    with store.write() as session:
        document = documents.create_document(session, actor, data)
        if post:
            document = documents.post_document(session, actor, document.id or 0)
        ref, doc_id = document.ref, document.id
    if post:
        say(f"posted {ref}")
    else:
        group = "invoices" if kind == "invoice" else "bills"
        say(f"saved {kind} draft #{doc_id}; post it with: bo finance {group} post {doc_id}")
    typer.echo(ref)


def _post(ctx: typer.Context, ref: str, yes: bool) -> None:
    from bo_console.finance import documents

    store, actor = open_store(ctx)
    confirm(f"Post {ref}? Posted documents cannot be changed", yes=yes)
    with store.write() as session:
        number = documents.post_document(session, actor, ref).ref
    say(f"posted {number}")
    typer.echo(number)


def _void(ctx: typer.Context, ref: str, on: str, reason: str, yes: bool) -> None:
    from bo_console.finance import documents

    day = option_date(on, "--date")
    store, actor = open_store(ctx)
    confirm(f"Void {ref} with a credit note dated {day}? Its entry is reversed", yes=yes)
    with store.write() as session:
        note = documents.void_document(session, actor, ref, on=day, reason=reason)
        number = note.ref
    say(f"voided {ref} with {number}")
    typer.echo(number)


def _delete(ctx: typer.Context, ref: str, yes: bool) -> None:
    from bo_console.finance import documents

    store, actor = open_store(ctx)
    confirm(f"Delete draft {ref}?", yes=yes)
    with store.write() as session:
        documents.delete_draft(session, actor, ref)
    say(f"deleted draft {ref}")


def _document_commands(app: typer.Typer, kind: str, label: str) -> None:
    side = "sales" if kind == "invoice" else "purchases"
    kinds = ("invoice", "credit_note") if kind == "invoice" else ("bill", "supplier_credit")

    @app.command("list")
    def list_(
        ctx: typer.Context,
        status: StatusOption = None,
        party: PartyOption = None,
        date_from: FromOption = None,
        date_to: ToOption = None,
        overdue: OverdueOption = False,
        search: SearchOption = None,
        limit: LimitOption = 100,
        fmt: FormatOption = OutputFormat.table,
        output: OutputOption = None,
    ) -> None:
        _list(ctx, side, status, party, date_from, date_to, overdue, search, limit, fmt, output)

    list_.__doc__ = f"List {label}s and their credit notes, newest first."

    @app.command("show")
    def show(ctx: typer.Context, document: DocArg, fmt: FormatOption = OutputFormat.table) -> None:
        _show(ctx, document, kinds, fmt)

    show.__doc__ = f"Show one {label} (or credit note) with its lines and payments."

    @app.command("add")
    def add(
        ctx: typer.Context,
        party: DocPartyOption,
        on: DateOption,
        line: DocLineOption = [],  # noqa: B006  (Typer reads the default; never mutated)
        due: DueOption = None,
        reference: RefOption = "",
        memo: MemoOption = "",
        post: PostOption = False,
        yes: YesOption = False,
    ) -> None:
        _add(ctx, kind, party, on, due, reference, memo, line, post, yes)

    article = "an" if label[0] in "aeiou" else "a"
    add.__doc__ = f"Enter {article} {label}: saved as a draft, or posted at once with --post."

    @app.command("post")
    def post(ctx: typer.Context, document: DocArg, yes: YesOption = False) -> None:
        _post(ctx, document, yes)

    post.__doc__ = f"Post a draft {label}: it is numbered and its journal entry posted."

    @app.command("void")
    def void(
        ctx: typer.Context,
        document: DocArg,
        on: VoidDateOption = "t",
        reason: ReasonOption = "",
        yes: YesOption = False,
    ) -> None:
        _void(ctx, document, on, reason, yes)

    void.__doc__ = (
        f"Void a posted {label} with a credit note that reverses its entry (finance managers)."
    )

    @app.command("delete")
    def delete(ctx: typer.Context, document: DocArg, yes: YesOption = False) -> None:
        _delete(ctx, document, yes)

    delete.__doc__ = f"Delete a draft {label} (posted ones are voided instead)."


_document_commands(invoices_app, "invoice", "invoice")
_document_commands(bills_app, "bill", "bill")
