"""``bo finance note`` and ``bo finance writeoff``: credit and debit notes on part of a posted
invoice or bill, their application and refund, and write-offs of what an invoice owes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

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
    PartyOption,
    _exponent,
    _show_record,
    option_amount,
    option_date,
)

if TYPE_CHECKING:
    from bo_console.finance.note_models import NoteLineCreate

note_app = typer.Typer(
    help="Credit and debit notes on part of a posted invoice or bill: issue, apply, refund, "
    "settle, list, show.",
    no_args_is_help=True,
)
writeoff_app = typer.Typer(
    help="Write off what an invoice still owes (a small residual or a bad debt): add, list.",
    no_args_is_help=True,
)

NOTE_COLUMNS = [
    "number",
    "kind",
    "date",
    "party",
    "original",
    "net",
    "tax",
    "total",
    "applied",
    "left",
]
NOTE_LINE_COLUMNS = ["line", "original_line", "description", "quantity", "tax_code", "net", "tax"]
WRITEOFF_COLUMNS = [
    "number",
    "kind",
    "date",
    "invoice",
    "party",
    "amount",
    "vat_relief",
    "account",
    "reason",
]

OriginalArg = Annotated[str, typer.Argument(help="The posted invoice or bill (INV-2026-00001).")]
NoteArg = Annotated[str, typer.Argument(help="The note's number (CRN-2026-00001).")]
NoteLineOption = Annotated[
    list[str],
    typer.Option(
        "--line",
        "-l",
        help="LINE|QUANTITY[|AMOUNT], repeated: the original's line number, the quantity "
        "returned (or added; 0 for a price correction) and the net amount (default: quantity "
        "times the line's unit price). E.g. '1|2' or '2|0|15.00'.",
    ),
]
NoteDateOption = Annotated[str, typer.Option("--date", "-d", help="Date (default: today).")]
NoteReasonOption = Annotated[str, typer.Option("--reason", help="Why (printed on the note).")]
AmountOption = Annotated[
    str | None, typer.Option("--amount", "-a", help="Amount (default: all that is left).")
]
CashOption = Annotated[
    str | None,
    typer.Option("--account", help="Bank or cash account the money moves through (default: bank)."),
]


def _parse_line(text: str, exponent: int, number: int) -> NoteLineCreate:
    from pydantic import ValidationError

    from bo_console.finance.cli.options import invalid_fields
    from bo_console.finance.documents import parse_quantity
    from bo_console.finance.note_models import NoteLineCreate

    where = f"line {number}"
    parts = [p.strip() for p in text.split("|")]
    if len(parts) not in (2, 3) or not parts[0].isdigit():
        raise ValidationFailed(f"{where}: {text!r}: use LINE|QUANTITY[|AMOUNT], e.g. '1|2'")
    quantity = 0
    if parts[1] not in ("", "0"):
        try:
            quantity = parse_quantity(parts[1])
        except ValueError as exc:
            raise ValidationFailed(f"{where}: {exc}") from None
    amount = option_amount(parts[2], exponent, where) if len(parts) == 3 and parts[2] else None
    try:
        return NoteLineCreate(line=int(parts[0]), quantity=quantity, amount=amount)
    except ValidationError as exc:
        raise invalid_fields(exc, where) from None


def _issue(
    ctx: typer.Context, kind: str, original: str, on: str, reason: str, line: list[str], yes: bool
) -> None:
    from bo_console.core.money import base_currency
    from bo_console.finance import notes

    if not line:
        raise UsageProblem("give at least one --line LINE|QUANTITY[|AMOUNT]")
    store, actor, exponent = _exponent(ctx)
    data = notes.validate_note(
        {
            "kind": kind,
            "original": original,
            "date": option_date(on, "--date"),
            "reason": reason,
            "lines": [_parse_line(text, exponent, n) for n, text in enumerate(line, start=1)],
        }
    )
    confirm(f"Issue a {kind} note on {original} dated {data.date}? It is posted at once", yes=yes)
    with store.write() as session:
        note = notes.issue_note(session, actor, data)
        number, total, applied = note.number, note.total, note.applied
        money = base_currency(session).format
    left = f"; {money(total - applied)} on account" if kind == "credit" and total > applied else ""
    say(f"issued {number} for {money(total)}{left}")
    typer.echo(number)


@note_app.command("credit")
def credit(
    ctx: typer.Context,
    original: OriginalArg,
    line: NoteLineOption = [],  # noqa: B006  (Typer reads the default; never mutated)
    on: NoteDateOption = "t",
    reason: NoteReasonOption = "",
    yes: YesOption = False,
) -> None:
    """Issue a credit note on part of a posted invoice or bill (returns, price corrections):
    applied first to what the original still owes, the rest on the party's account."""
    _issue(ctx, "credit", original, on, reason, line, yes)


@note_app.command("debit")
def debit(
    ctx: typer.Context,
    original: OriginalArg,
    line: NoteLineOption = [],  # noqa: B006
    on: NoteDateOption = "t",
    reason: NoteReasonOption = "",
    yes: YesOption = False,
) -> None:
    """Issue a debit note on a posted invoice or bill (more quantity, a higher price)."""
    _issue(ctx, "debit", original, on, reason, line, yes)


@note_app.command("apply")
def apply(
    ctx: typer.Context,
    note: NoteArg,
    document: Annotated[str, typer.Argument(help="The open invoice or bill to apply it to.")],
    amount: AmountOption = None,
    on: NoteDateOption = "t",
    yes: YesOption = False,
) -> None:
    """Apply what is left of a credit note to another open invoice (bill) of the party."""
    from bo_console.core.money import base_currency
    from bo_console.finance import notes

    store, actor, exponent = _exponent(ctx)
    value = option_amount(amount, exponent, "--amount") if amount else None
    day = option_date(on, "--date")
    confirm(f"Apply {note} to {document} on {day}? Applications cannot be undone", yes=yes)
    with store.write() as session:
        applied = notes.apply_note(session, actor, note, document, on=day, amount=value)
        shown = base_currency(session).format(applied.amount)
    say(f"applied {shown} of {note.upper()} to {document.upper()}")


def _money_move(
    ctx: typer.Context, note: str, amount: str | None, on: str, account: str | None, yes: bool
) -> None:
    from bo_console.core.money import base_currency
    from bo_console.finance import notes

    store, actor, exponent = _exponent(ctx)
    value = option_amount(amount, exponent, "--amount") if amount else None
    day = option_date(on, "--date")
    confirm(f"Move money for {note} on {day}? Its entry is posted at once", yes=yes)
    with store.write() as session:
        applied = notes.settle_note(session, actor, note, on=day, amount=value, account=account)
        shown = base_currency(session).format(applied.amount)
    say(f"{note.upper()}: {shown} moved")


@note_app.command("refund")
def refund(
    ctx: typer.Context,
    note: NoteArg,
    amount: AmountOption = None,
    account: CashOption = None,
    on: NoteDateOption = "t",
    yes: YesOption = False,
) -> None:
    """Refund what is left of a credit note (to the customer, or from the supplier)."""
    _money_move(ctx, note, amount, on, account, yes)


@note_app.command("settle")
def settle(
    ctx: typer.Context,
    note: NoteArg,
    amount: AmountOption = None,
    account: CashOption = None,
    on: NoteDateOption = "t",
    yes: YesOption = False,
) -> None:
    """Record money received for a customer's debit note (or paid on a supplier's)."""
    _money_move(ctx, note, amount, on, account, yes)


@note_app.command("list")
def list_(
    ctx: typer.Context,
    side: Annotated[
        str | None, typer.Option("--side", help="sales or purchases (default: both).")
    ] = None,
    party: PartyOption = None,
    original: Annotated[
        str | None, typer.Option("--original", help="Notes on this document.")
    ] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only notes with something left.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """List credit and debit notes, newest first."""
    from bo_console.finance import notes

    reader, actor = open_reader(ctx)
    rows = notes.list_notes(
        reader, actor, side=side, party=party, original=original, open_only=open_only
    )
    emit([r.__dict__ for r in rows], NOTE_COLUMNS, fmt, output)


@note_app.command("show")
def show(ctx: typer.Context, note: NoteArg, fmt: FormatOption = OutputFormat.table) -> None:
    """Show one note with its lines and what it was applied to."""
    from bo_console.finance.notes.queries import get_note

    reader, actor = open_reader(ctx)
    view = get_note(reader, actor, note)
    header: dict[str, Any] = {
        **view.row.__dict__,
        "entry": view.entry,
        "created_by": view.created_by,
    }
    lines = [
        {
            "line": x.line_no,
            "original_line": x.original_line,
            "description": x.description,
            "quantity": x.quantity,
            "tax_code": x.tax_code,
            "net": x.net,
            "tax": x.tax,
        }
        for x in view.lines
    ]
    applications = [a.__dict__ for a in view.applications]
    _show_record(
        header,
        [
            ("lines", lines, NOTE_LINE_COLUMNS),
            ("applications", applications, ["date", "to", "amount", "entry"]),
        ],
        fmt,
    )


@writeoff_app.command("add")
def writeoff_add(
    ctx: typer.Context,
    invoice: Annotated[str, typer.Argument(help="The posted invoice (INV-2026-00001).")],
    kind: Annotated[
        str, typer.Option("--kind", help="bad_debt (takes back its VAT) or residual.")
    ] = "bad_debt",
    account: Annotated[
        str | None, typer.Option("--account", help="Expense account (default: the setting, 6440).")
    ] = None,
    insolvent: Annotated[
        bool,
        typer.Option("--insolvent", help="The customer is bankrupt: VAT relief before 12 months."),
    ] = False,
    on: NoteDateOption = "t",
    reason: NoteReasonOption = "",
    yes: YesOption = False,
) -> None:
    """Write off what a posted invoice still owes (finance managers)."""
    from bo_console.core.money import base_currency
    from bo_console.finance import notes

    day = option_date(on, "--date")
    store, actor = open_store(ctx)
    confirm(f"Write off what {invoice} still owes on {day}? This cannot be undone", yes=yes)
    with store.write() as session:
        row = notes.write_off(
            session,
            actor,
            invoice,
            on=day,
            kind=kind,
            account=account,
            reason=reason,
            insolvent=insolvent,
        )
        number, amount = row.number, base_currency(session).format(row.amount)
    say(f"wrote off {amount} of {invoice.upper()} ({number})")
    typer.echo(number)


@writeoff_app.command("list")
def writeoff_list(
    ctx: typer.Context, fmt: FormatOption = OutputFormat.table, output: OutputOption = None
) -> None:
    """List write-offs, newest first."""
    from bo_console.finance import notes

    reader, actor = open_reader(ctx)
    rows = notes.list_writeoffs(reader, actor)
    emit([r.__dict__ for r in rows], WRITEOFF_COLUMNS, fmt, output)
