"""What every ``bo finance`` command shares: dates, amounts and pydantic errors as one-line
invalid input, reports written from their ``report_tables`` rows, a record shown as
key/value lines and tables."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bo_console.clikit import (
    OutputFormat,
    emit,
    open_store,
    resolve_format,
    say,
    warn,
)
from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from pydantic import ValidationError

    from bo_console.finance.report_tables import ReportTable


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
    """Refuse xlsx without a file, or a ``--format`` the ``-o`` file's name contradicts
    (before anything is read or said)."""
    resolve_format(fmt, output)


def emit_report(table: ReportTable, fmt: ReportFormat, output: Path | None) -> None:
    """Write a report's rows in ``fmt`` (or the format the ``-o`` file's name says): csv, json
    and xlsx have exactly ``table.rows``; the table form adds the totals and, on the terminal,
    says the title and note on stderr. A note that warns (books that do not balance, a VAT
    return that does not tie) is said whatever the format, and the command still succeeds."""
    value = resolve_format(fmt, output)
    rows = table.rows
    if value == "table":
        rows = table.shown
        if output is None:
            say(table.title)
            if table.note and not table.warning:
                say(table.note)
    if table.warning:
        warn(f"warning: {table.note}")
    emit(rows, table.columns, value, output)


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


# -- options the document and payment groups share -----------------------------------------------

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
