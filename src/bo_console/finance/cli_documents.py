"""``bo finance parties|invoices|bills|payments|tax-codes`` and the VAT and aged reports.

Thin, like the rest of ``bo finance``: each command parses its input, calls the service and
renders the result. Only typer and the light core modules are imported at the top.
:func:`register` hooks these commands into the ``finance`` app and its ``report`` group. The
helpers every finance command shares (dates, amounts and pydantic errors as one-line invalid
input; reports written from their ``report_tables`` rows) are here too.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bo_console.clikit import (
    FormatOption,
    OutputFormat,
    OutputOption,
    YesOption,
    confirm,
    emit,
    open_store,
    say,
)
from bo_console.core.errors import UsageProblem, ValidationFailed

if TYPE_CHECKING:
    from pydantic import ValidationError

    from bo_console.finance.document_models import DocumentLineCreate
    from bo_console.finance.documents import DocumentView
    from bo_console.finance.payments import PaymentView
    from bo_console.finance.report_tables import ReportTable

parties_app = typer.Typer(
    help="Customers and suppliers: list, show, add, edit, import, export.", no_args_is_help=True
)
invoices_app = typer.Typer(
    help="Sales invoices (and the credit notes that void them): list, show, add, post, void.",
    no_args_is_help=True,
)
bills_app = typer.Typer(
    help="Supplier bills (and supplier credit notes): list, show, add, post, void.",
    no_args_is_help=True,
)
payments_app = typer.Typer(
    help="Payments received and made, allocated to invoices and bills.", no_args_is_help=True
)
tax_app = typer.Typer(help="VAT codes: rates and the accounts they post to.", no_args_is_help=True)


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    """Add the document groups to ``bo finance`` and the reports to ``bo finance report``."""
    app.add_typer(parties_app, name="parties")
    app.add_typer(invoices_app, name="invoices")
    app.add_typer(bills_app, name="bills")
    app.add_typer(payments_app, name="payments")
    app.add_typer(tax_app, name="tax-codes")
    report_app.command("vat-return")(report_vat_return)
    report_app.command("aged-receivables")(report_aged_receivables)
    report_app.command("aged-payables")(report_aged_payables)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


# -- what every finance command shares ----------------------------------------------------------
# A value an option or argument cannot be is invalid input (exit 1, one line naming the
# option), like a business rule's refusal: it is parsed in the command, where a BoError
# reaches ``bo``'s own handler. Click's usage errors (exit 2) are for the command line's shape.


def option_date(value: str, option: str) -> date:
    """``value`` as a date (``YYYY-MM-DD``, ``t``, ``+5``, ``-1m``...).

    Raises:
        ValidationFailed: ``--as-of: '2026-13-01' is not a date (use ...)``.
    """
    from bo_console.core.dates import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise ValidationFailed(f"{option}: {exc}") from None


def option_amount(text: str, exponent: int, option: str) -> int:
    """``text`` as an amount in minor units (``exponent`` decimals at most).

    Raises:
        ValidationFailed: ``--amount: '1.234' has more than 2 decimals``.
    """
    from bo_console.core.money import parse_amount

    try:
        return parse_amount(text, exponent)
    except ValueError as exc:
        raise ValidationFailed(f"{option}: {exc}") from None


def invalid_fields(exc: ValidationError, where: str = "") -> ValidationFailed:
    """A pydantic error as our one-line refusal, ``where`` (``line 2``) before the message."""
    from bo_console.finance.messages import invalid

    return invalid(exc, where, fallback=where or "input", every=False)


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format", "-f", help="Output format (xlsx needs -o FILE).", case_sensitive=False
    ),
]


def check_output(fmt: str, output: Path | None) -> None:
    """Refuse xlsx without a file (before anything is read or said)."""
    if fmt == "xlsx" and output is None:
        raise UsageProblem("--format xlsx writes a file: give -o FILE.xlsx")


def emit_report(table: ReportTable, fmt: ReportFormat, output: Path | None) -> None:
    """Write a report's rows in ``fmt``: csv, json and xlsx have exactly ``table.rows``; the
    table form adds the totals and, on the terminal, says the title and note on stderr. A note
    that warns (books that do not balance, a VAT return that does not tie) is said whatever
    the format, and the command still succeeds."""
    check_output(fmt.value, output)
    rows = table.rows
    if fmt == ReportFormat.table:
        rows = table.shown
        if output is None:
            say(table.title)
            if table.note and not table.warning:
                say(table.note)
    if table.warning:
        say(f"warning: {table.note}")
    emit(rows, table.columns, fmt.value, output)


def _exponent(ctx: typer.Context) -> tuple[Any, Any, int]:
    from bo_console.core.money import base_currency

    store, actor = open_store(ctx)
    with store.read() as session:
        exponent = base_currency(session).exponent
    return store, actor, exponent


def _show_record(
    header: dict[str, Any],
    parts: list[tuple[str, list[dict[str, Any]], list[str]]],
    fmt: OutputFormat | str,
) -> None:
    """A record as key/value lines then its tables (table), or one JSON object."""
    import json

    from bo_console.core.io import _plain

    if fmt == OutputFormat.json:
        data: dict[str, Any] = {k: _plain(v) for k, v in header.items()}
        for name, rows, _ in parts:
            data[name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == OutputFormat.csv:
        name, rows, columns = parts[0]
        emit(rows, columns, fmt)
        return
    width = max(len(k) for k in header)
    for key, value in header.items():
        if value not in ("", None):
            typer.echo(f"{key:<{width}}  {_plain(value)}")
    for name, rows, columns in parts:
        if rows:
            typer.echo(f"\n{name}:")
            emit(rows, columns, fmt)


# -- parties ------------------------------------------------------------------------------------

PARTY_COLUMNS = [
    "code",
    "name",
    "role",
    "tax_number",
    "payment_terms",
    "receivable",
    "payable",
    "active",
    "name_ar",
]


@parties_app.command("list")
def parties_list(
    ctx: typer.Context,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Text in the code, names or tax number.")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="customer or supplier.")] = None,
    active_only: Annotated[bool, typer.Option("--active-only", help="Hide inactive.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most.")] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List parties with what is open on their invoices (receivable) and bills (payable)."""
    from bo_console.finance import parties

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = parties.list_parties(
            session,
            actor,
            search=search,
            role=role,
            include_inactive=not active_only,
            limit=limit,
        )
    emit([r.as_dict() for r in rows], PARTY_COLUMNS, fmt, output)


@parties_app.command("show")
def parties_show(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="Party code, #id or name.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show one party with its open receivable and payable."""
    from bo_console.finance import parties

    store, actor = open_store(ctx)
    with store.read() as session:
        row = parties.get_party(session, actor, party)
    data = row.as_dict()
    data.pop("id")
    if fmt == OutputFormat.csv:
        emit([data], list(data), fmt)
    else:
        _show_record(data, [], fmt)


RoleOption = Annotated[
    str, typer.Option("--role", "-r", help="customer, supplier or both.", case_sensitive=False)
]


@parties_app.command("add")
def parties_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name as it appears on documents.")],
    role: RoleOption = "customer",
    code: Annotated[str, typer.Option("--code", help="Party code (default: next P00001).")] = "",
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
    tax_number: Annotated[str, typer.Option("--tax-number", help="VAT number.")] = "",
    contact: Annotated[str, typer.Option("--contact", help="Person to contact.")] = "",
    email: Annotated[str, typer.Option("--email", help="Email address.")] = "",
    phone: Annotated[str, typer.Option("--phone", help="Phone number.")] = "",
    address: Annotated[str, typer.Option("--address", help="Postal address.")] = "",
    terms: Annotated[
        int, typer.Option("--terms", min=0, max=365, help="Days from document date to due date.")
    ] = 30,
) -> None:
    """Add a customer or supplier (finance clerks). Prints the new party's code."""
    from bo_console.finance import parties

    try:
        is_customer, is_supplier = parties.role_flags(role)
    except ValueError as exc:
        raise ValidationFailed(f"--role: {exc}") from None
    data = parties.validate_party(
        {
            "code": code,
            "name": name,
            "name_ar": name_ar,
            "is_customer": is_customer,
            "is_supplier": is_supplier,
            "tax_number": tax_number,
            "contact_name": contact,
            "email": email,
            "phone": phone,
            "address": address,
            "payment_terms": terms,
        }
    )
    store, actor = open_store(ctx)
    with store.write() as session:
        party = parties.add_party(session, actor, data)
        new_code = party.code
    say(f"added party {new_code} {data.name}")
    typer.echo(new_code)


@parties_app.command("edit")
def parties_edit(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="Party code, #id or name.")],
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    role: Annotated[
        str | None, typer.Option("--role", "-r", help="customer, supplier or both.")
    ] = None,
    name_ar: Annotated[str | None, typer.Option("--name-ar", help="Arabic name.")] = None,
    tax_number: Annotated[str | None, typer.Option("--tax-number", help="VAT number.")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Person to contact.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Email address.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Phone number.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Postal address.")] = None,
    terms: Annotated[
        int | None, typer.Option("--terms", min=0, max=365, help="Payment terms in days.")
    ] = None,
) -> None:
    """Change a party's details (its code never changes)."""
    from pydantic import ValidationError

    from bo_console.finance import parties
    from bo_console.finance.document_models import PartyUpdate

    values: dict[str, Any] = {
        "name": name,
        "name_ar": name_ar,
        "tax_number": tax_number,
        "contact_name": contact,
        "email": email,
        "phone": phone,
        "address": address,
        "payment_terms": terms,
    }
    if role is not None:
        try:
            values["is_customer"], values["is_supplier"] = parties.role_flags(role)
        except ValueError as exc:
            raise ValidationFailed(f"--role: {exc}") from None
    try:
        data = PartyUpdate.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        raise invalid_fields(exc) from None
    store, actor = open_store(ctx)
    with store.write() as session:
        updated = parties.update_party(session, actor, party, data)
        code = updated.code
    say(f"updated party {code}")


@parties_app.command("deactivate")
def parties_deactivate(ctx: typer.Context, party: str) -> None:
    """Deactivate a party: no new documents or payments (its history stays)."""
    from bo_console.finance import parties

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = parties.set_active(session, actor, party, active=False)
    say(f"deactivated {party}" if changed else f"{party} is already inactive; nothing changed")


@parties_app.command("activate")
def parties_activate(ctx: typer.Context, party: str) -> None:
    """Reactivate an inactive party."""
    from bo_console.finance import parties

    store, actor = open_store(ctx)
    with store.write() as session:
        changed = parties.set_active(session, actor, party, active=True)
    say(f"activated {party}" if changed else f"{party} is already active; nothing changed")


@parties_app.command("import")
def parties_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV or XLSX (see data/finance-parties-template.csv).")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the file, write nothing.")] = (
        False
    ),
) -> None:
    """Add parties from a file: every row valid, or nothing written."""
    from bo_console.finance import parties

    store, actor = open_store(ctx)
    with store.write() as session:
        count = parties.import_parties(session, actor, file, dry_run=dry_run)
    say(
        f"{file.name}: {count} parties checked; nothing written (dry run)"
        if dry_run
        else f"{file.name}: imported {count} parties"
    )


@parties_app.command("export")
def parties_export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="File format.", case_sensitive=False)
    ] = ExportFormat.csv,
    output: OutputOption = None,
) -> None:
    """Export every party in the import file's columns (so it imports back)."""
    from bo_console.finance import parties

    if fmt == ExportFormat.xlsx and output is None:
        raise UsageProblem("--format xlsx writes a file: give -o FILE.xlsx")
    store, actor = open_store(ctx)
    with store.read() as session:
        rows = parties.export_rows(session, actor)
    emit(rows, parties.EXPORT_COLUMNS, fmt.value, output)


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
    store, actor = open_store(ctx)
    with store.read() as session:
        rows = documents.list_documents(session, actor, flt)
    out = [{**r.__dict__, "number": r.ref} for r in rows]
    emit(out, DOCUMENT_COLUMNS, fmt, output)


def _show(ctx: typer.Context, ref: str, kinds: tuple[str, ...], fmt: OutputFormat) -> None:
    from bo_console.finance import documents

    store, actor = open_store(ctx)
    with store.read() as session:
        documents.find_document(session, ref, kinds)
        view = documents.get_document(session, actor, ref)
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


StatusOption = Annotated[
    str | None,
    typer.Option("--status", help="draft, open, posted, partly_paid, paid or void."),
]
PartyOption = Annotated[str | None, typer.Option("--party", "-p", help="Party code or name.")]
FromOption = Annotated[str | None, typer.Option("--from", help="First date.")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last date.")]
OverdueOption = Annotated[bool, typer.Option("--overdue", help="Only those past due today.")]
SearchOption = Annotated[
    str | None, typer.Option("--search", "-s", help="Text in the number, reference, memo, party.")
]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many.")]
DocArg = Annotated[str, typer.Argument(help="Number (INV-2026-00001) or draft id (#7).")]
DocLineOption = Annotated[
    list[str],
    typer.Option(
        "--line",
        "-l",
        help="DESCRIPTION|QUANTITY|UNIT PRICE|TAX CODE[|ACCOUNT], repeated; tax codes: "
        "bo finance tax-codes list.",
    ),
]
DateOption = Annotated[str, typer.Option("--date", "-d", help="Document date (YYYY-MM-DD, t).")]
DocPartyOption = Annotated[
    str,
    typer.Option(
        "--party", "-p", help="The customer (invoices) or supplier (bills): code or name."
    ),
]
DueOption = Annotated[
    str | None, typer.Option("--due", help="Due date (default: the party's payment terms).")
]
RefOption = Annotated[str, typer.Option("--ref", help="Customer PO or supplier's bill number.")]
MemoOption = Annotated[str, typer.Option("--memo", "-m", help="A note on the document.")]
PostOption = Annotated[bool, typer.Option("--post", help="Post it now instead of a draft.")]
VoidDateOption = Annotated[
    str, typer.Option("--date", "-d", help="Date of the credit note (default: today).")
]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (on the credit note).")]


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


# -- payments -----------------------------------------------------------------------------------

PAYMENT_COLUMNS = [
    "number",
    "direction",
    "date",
    "party",
    "party_name",
    "account",
    "reference",
    "status",
    "amount",
    "allocated",
    "unallocated",
]

ApplyOption = Annotated[
    list[str],
    typer.Option(
        "--apply",
        "-a",
        help="DOCUMENT[=AMOUNT], repeated: allocate to this invoice or bill (all it owes, up "
        "to what is left, without an amount).",
    ),
]
AutoOption = Annotated[
    bool, typer.Option("--auto", help="Allocate to the party's oldest open documents first.")
]


def _apply(values: list[str], exponent: int) -> tuple[tuple[str, int | None], ...]:
    out = []
    for value in values:
        ref, sep, amount = value.partition("=")
        if not ref.strip():
            raise ValidationFailed(f"--apply: {value!r}: use DOCUMENT[=AMOUNT]")
        out.append((ref.strip(), option_amount(amount, exponent, "--apply") if sep else None))
    return tuple(out)


def _enter(
    ctx: typer.Context,
    direction: str,
    party: str,
    amount: str,
    on: str,
    account: str | None,
    reference: str,
    memo: str,
    apply: list[str],
    auto: bool,
    yes: bool,
) -> None:
    from bo_console.core.money import format_amount
    from bo_console.finance import payments

    store, actor, exponent = _exponent(ctx)
    data = payments.PaymentCreate(
        direction=direction,
        party=party,
        date=option_date(on, "--date"),
        amount=option_amount(amount, exponent, "--amount"),
        account=account,
        reference=reference,
        memo=memo,
        apply=_apply(apply, exponent),
        auto=auto,
    )
    what = "received from" if direction == "received" else "paid to"
    confirm(f"Post {amount} {what} {party} on {data.date}?", yes=yes)
    with store.write() as session:
        payment = payments.enter_payment(session, actor, data)
        number = payment.number
        assert payment.id is not None
        left = payment.amount - payments.allocated_of(session, payment.id)
    on_account = f" ({format_amount(left, exponent)} on account)" if left else ""
    say(f"posted {number}{on_account}")
    typer.echo(number)


PaymentPartyOption = Annotated[str, typer.Option("--party", "-p", help="Party code or name.")]
AmountOption = Annotated[str, typer.Option("--amount", help="Amount, e.g. 1150.00.")]
PayDateOption = Annotated[str, typer.Option("--date", "-d", help="Payment date (default today).")]
AccountOption = Annotated[
    str | None, typer.Option("--account", help="Bank or cash account (default: the main bank).")
]
PayRefOption = Annotated[str, typer.Option("--ref", help="Bank reference or cheque number.")]
PaymentArg = Annotated[str, typer.Argument(help="Payment number (RCPT-2026-00001) or #id.")]


@payments_app.command("receive")
def payments_receive(
    ctx: typer.Context,
    party: PaymentPartyOption,
    amount: AmountOption,
    on: PayDateOption = "t",
    account: AccountOption = None,
    reference: PayRefOption = "",
    memo: MemoOption = "",
    apply: ApplyOption = [],  # noqa: B006
    auto: AutoOption = False,
    yes: YesOption = False,
) -> None:
    """Post money received from a customer and allocate it to invoices."""
    _enter(ctx, "received", party, amount, on, account, reference, memo, apply, auto, yes)


@payments_app.command("pay")
def payments_pay(
    ctx: typer.Context,
    party: PaymentPartyOption,
    amount: AmountOption,
    on: PayDateOption = "t",
    account: AccountOption = None,
    reference: PayRefOption = "",
    memo: MemoOption = "",
    apply: ApplyOption = [],  # noqa: B006
    auto: AutoOption = False,
    yes: YesOption = False,
) -> None:
    """Post money paid to a supplier and allocate it to bills."""
    _enter(ctx, "made", party, amount, on, account, reference, memo, apply, auto, yes)


@payments_app.command("allocate")
def payments_allocate(
    ctx: typer.Context,
    payment: PaymentArg,
    apply: ApplyOption = [],  # noqa: B006
    auto: AutoOption = False,
    on: Annotated[str, typer.Option("--date", "-d", help="Allocation date.")] = "t",
) -> None:
    """Allocate what a payment still holds on account to invoices or bills."""
    from bo_console.finance import payments

    store, actor, exponent = _exponent(ctx)
    requests = _apply(apply, exponent)
    with store.write() as session:
        done = payments.allocate_payment(
            session, actor, payment, apply=requests, auto=auto, on=option_date(on, "--date")
        )
        text = ", ".join(d.ref for d, _ in done)
    say(f"allocated {payment} to {text}")


@payments_app.command("void")
def payments_void(
    ctx: typer.Context,
    payment: PaymentArg,
    on: Annotated[str, typer.Option("--date", "-d", help="Date of the void.")] = "t",
    reason: ReasonOption = "",
    yes: YesOption = False,
) -> None:
    """Void a payment: reverse its entry and release its allocations (finance managers)."""
    from bo_console.finance import payments

    day = option_date(on, "--date")
    store, actor = open_store(ctx)
    confirm(f"Void {payment} on {day}? Its entry is reversed", yes=yes)
    with store.write() as session:
        payments.void_payment(session, actor, payment, on=day, reason=reason)
    say(f"voided {payment}")


@payments_app.command("list")
def payments_list(
    ctx: typer.Context,
    direction: Annotated[str | None, typer.Option("--direction", help="received or made.")] = None,
    party: PartyOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    status: Annotated[str | None, typer.Option("--status", help="posted or void.")] = None,
    limit: LimitOption = 100,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List payments, newest first, with what each has allocated."""
    from bo_console.finance import payments

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = payments.list_payments(
            session,
            actor,
            direction=direction,
            party=party,
            date_from=option_date(date_from, "--from") if date_from else None,
            date_to=option_date(date_to, "--to") if date_to else None,
            status=status,
            limit=limit,
        )
    emit([r.__dict__ for r in rows], PAYMENT_COLUMNS, fmt, output)


def _payment_rows(view: PaymentView) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    header = {k: v for k, v in view.row.__dict__.items() if k != "id"}
    header.update(
        memo=view.memo,
        entry=view.entry,
        void_date=view.void_date,
        void_entry=view.void_entry,
        created_by=view.created_by,
        voided_by=view.voided_by,
    )
    allocations = [
        {
            "document": a.document,
            "document_date": a.document_date,
            "date": a.date,
            "amount": a.amount,
        }
        for a in view.allocations
    ]
    return header, allocations


@payments_app.command("show")
def payments_show(
    ctx: typer.Context, payment: PaymentArg, fmt: FormatOption = OutputFormat.table
) -> None:
    """Show one payment with its allocations."""
    from bo_console.finance import payments

    store, actor = open_store(ctx)
    with store.read() as session:
        view = payments.get_payment(session, actor, payment)
    header, allocations = _payment_rows(view)
    columns = ["document", "document_date", "date", "amount"]
    if fmt == OutputFormat.csv:
        emit([{"payment": view.row.number, **a} for a in allocations], ["payment", *columns], fmt)
        return
    _show_record(header, [("allocations", allocations, columns)], fmt)


# -- tax codes ----------------------------------------------------------------------------------


@tax_app.command("list")
def tax_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List the tax codes with their rates (percent) and VAT accounts."""
    from bo_console.finance import tax

    store, actor = open_store(ctx)
    with store.read() as session:
        rows = tax.list_tax_codes(session, actor)
    columns = ["code", "name", "category", "rate", "output_account", "input_account", "active"]
    emit([r.__dict__ for r in rows], [*columns, "name_ar"], fmt, output)


@tax_app.command("add")
def tax_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Code, e.g. R5.")],
    name: Annotated[str, typer.Argument(help="What it is.")],
    category: Annotated[
        str, typer.Option("--category", help="standard, reduced, zero, exempt or out_of_scope.")
    ],
    rate: Annotated[str, typer.Option("--rate", help="Percent, e.g. 5 or 2.5.")] = "0",
    output_account: Annotated[
        str | None, typer.Option("--output-account", help="VAT output account (sales).")
    ] = None,
    input_account: Annotated[
        str | None, typer.Option("--input-account", help="VAT input account (purchases).")
    ] = None,
    name_ar: Annotated[str, typer.Option("--name-ar", help="Arabic name.")] = "",
) -> None:
    """Add a tax code (finance managers)."""
    from bo_console.finance import tax

    rate_bp = option_amount(rate, 2, "--rate")
    store, actor = open_store(ctx)
    with store.write() as session:
        tax.add_tax_code(
            session,
            actor,
            code=code,
            name=name,
            category=category.strip().lower(),
            rate_bp=rate_bp,
            output_account=output_account,
            input_account=input_account,
            name_ar=name_ar,
        )
    say(f"added tax code {code.upper()}")


# -- reports ------------------------------------------------------------------------------------


def report_vat_return(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="The month, YYYY-MM.")],
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """VAT return for a month: output tax on sales, input tax on purchases, net payable; with
    what the VAT accounts moved in the ledger beside it, what settlement transfers moved out of
    them, and the differences (a warning on stderr when they are not zero)."""
    from bo_console.finance import tax
    from bo_console.finance.ledger import parse_period
    from bo_console.finance.report_tables import vat_return_table

    try:
        period = parse_period(period)
    except ValidationFailed as exc:
        raise ValidationFailed(f"--period: {exc.message}") from None
    check_output(fmt.value, output)
    store, actor = open_store(ctx)
    with store.read() as session:
        vat = tax.vat_return(session, actor, period)
    emit_report(vat_return_table(vat), fmt, output)


def _aged(
    ctx: typer.Context, side: str, as_of: str, detail: bool, fmt: ReportFormat, output: Path | None
) -> None:
    from bo_console.finance import aging
    from bo_console.finance.report_tables import aged_table

    day = option_date(as_of, "--as-of")
    check_output(fmt.value, output)
    store, actor = open_store(ctx)
    with store.read() as session:
        report = aging.aged(session, actor, side, day, detail=detail)
    emit_report(aged_table(report, detail), fmt, output)


AsOfOption = Annotated[str, typer.Option("--as-of", help="As at the end of this date.")]
DetailOption = Annotated[bool, typer.Option("--detail", help="One row per document.")]


def report_aged_receivables(
    ctx: typer.Context,
    as_of: AsOfOption = "t",
    detail: DetailOption = False,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Aged receivables: what customers owed on the date, by days past due."""
    _aged(ctx, "receivables", as_of, detail, fmt, output)


def report_aged_payables(
    ctx: typer.Context,
    as_of: AsOfOption = "t",
    detail: DetailOption = False,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
) -> None:
    """Aged payables: what was owed to suppliers on the date, by days past due."""
    _aged(ctx, "payables", as_of, detail, fmt, output)
