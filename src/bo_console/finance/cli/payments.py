"""``bo finance payments``: payments received and made."""

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
from bo_console.core.errors import ValidationFailed
from bo_console.finance.cli.options import (
    FromOption,
    LimitOption,
    MemoOption,
    PartyOption,
    ReasonOption,
    ToOption,
    _exponent,
    _show_record,
    option_amount,
    option_date,
)

if TYPE_CHECKING:
    from bo_console.finance.payment_view import PaymentView

payments_app = typer.Typer(
    help="Payments received and made, allocated to invoices and bills.", no_args_is_help=True
)

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

    start = option_date(date_from, "--from") if date_from else None
    end = option_date(date_to, "--to") if date_to else None
    reader, actor = open_reader(ctx)
    rows = payments.list_payments(
        reader,
        actor,
        direction=direction,
        party=party,
        date_from=start,
        date_to=end,
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
    from bo_console.finance.payment_view import read_payment

    reader, actor = open_reader(ctx)
    view = read_payment(reader, actor, payment)
    header, allocations = _payment_rows(view)
    columns = ["document", "document_date", "date", "amount"]
    if fmt == OutputFormat.csv:
        emit([{"payment": view.row.number, **a} for a in allocations], ["payment", *columns], fmt)
        return
    _show_record(header, [("allocations", allocations, columns)], fmt)
