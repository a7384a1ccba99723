"""What the ``bo it`` commands share: the output format option (with xlsx), dates, amounts
and rows from the service's views."""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bo_console.clikit import emit
from bo_console.core.errors import ValidationFailed


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="table, csv, json or xlsx (xlsx needs -o).", case_sensitive=False
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Check everything, write nothing.")]


def out(rows: list[dict[str, Any]], columns: list[str], fmt: Format, output: Path | None) -> None:
    """Print or write rows; xlsx only to a file; the format follows the ``-o`` file's name
    unless ``--format`` says otherwise."""
    emit(rows, columns, fmt.value, output)


def record(view: Any, fmt: Format, output: Path | None, columns: list[str]) -> None:
    """One record as a one-row table or JSON object list."""
    out([as_row(view)], columns, fmt, output)


def cell(value: Any) -> str:
    """A value as a line of ``show`` prints it (times to the minute, in UTC)."""
    from datetime import datetime

    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    return str(value)


def as_row(view: Any) -> dict[str, Any]:
    return {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}


def day(text: str, what: str) -> date:
    from bo_console.core.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValidationFailed(f"{what}: {exc}") from None


def amount(text: str, session: Any) -> int:
    """A money amount in the base currency as minor units."""
    from bo_console.core.money import base_currency, parse_amount

    try:
        return parse_amount(text, base_currency(session).exponent)
    except ValueError as exc:
        raise ValidationFailed(f"amount {text!r}: {exc}") from None
