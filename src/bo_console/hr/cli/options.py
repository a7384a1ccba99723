"""Option types and parsers shared by the ``bo hr`` commands."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bo_console.clikit import ExportFormat
from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from bo_console.hr.models.views import RowView
    from bo_console.hr.service.common import Period


# -- helpers ----------------------------------------------------------------------------------


def today() -> date:
    from bo_console.core.clock import today

    return today()


def month_option(text: str) -> Period:
    from bo_console.hr.service.common import parse_period

    return parse_period(text)


def amount_option(session: Any, text: str, what: str) -> int:
    from bo_console.hr.models.values import parse_money
    from bo_console.hr.service.common import currency_of

    _, exponent = currency_of(session)
    try:
        return parse_money(text, exponent)
    except ValueError as exc:
        raise ValidationFailed(f"{what}: {exc}") from None


def window_days(text: str) -> int:
    """``30d``, ``4w``, ``2m`` or a bare number of days, as days."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*([dwm]?)\s*", text.lower())
    if not match:
        raise ValidationFailed(f"{text!r} is not a window (use 30d, 4w, 2m or a number of days)")
    number, unit = int(match.group(1)), match.group(2) or "d"
    return number * {"d": 1, "w": 7, "m": 30}[unit]


ExportFormatOption = Annotated[
    ExportFormat | None,
    typer.Option("--format", "-f", help="csv, xlsx or json (default: from the file name)."),
]
RevealOption = Annotated[
    bool,
    typer.Option(
        "--reveal",
        help="Show salaries, allowances, IBANs, national IDs and birth dates (needs "
        "hr.confidential; the view is audited).",
    ),
]


def records(rows: Sequence[RowView]) -> list[dict[str, Any]]:
    """A service's typed rows as the plain mappings the output writers take."""
    return [row.record() for row in rows]
