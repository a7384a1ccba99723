"""One entry's lines read from a small CSV (``bo finance journal add --csv``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.io import ImportReport
    from bo_console.core.money import Currency
    from bo_console.finance.models import LineCreate


def read_entry_lines(path: Path, currency: Currency) -> list[LineCreate]:
    """The lines of one entry from a small CSV: account, debit, credit, memo, cost_centre,
    tax_code (``bo finance journal add --csv``)."""
    from pydantic import ValidationError

    from bo_console.core import io
    from bo_console.finance.models import LineCreate

    columns = [
        io.Column("account"),
        io.Column("debit", required=False),
        io.Column("credit", required=False),
        io.Column("memo", required=False),
        io.Column("cost_centre", required=False),
        io.Column("tax_code", required=False),
    ]

    def parse(number: int, record: dict[str, str], report: ImportReport) -> LineCreate | None:
        amounts = []
        for name in ("debit", "credit"):
            text = record.get(name, "").strip()
            try:
                amounts.append(currency.parse(text) if text else 0)
            except ValueError as exc:
                report.add(number, name, str(exc))
                return None
        try:
            return LineCreate(
                account=record.get("account", ""),
                debit=amounts[0],
                credit=amounts[1],
                memo=record.get("memo", ""),
                cost_centre=record.get("cost_centre") or None,
                tax_code=record.get("tax_code") or None,
            )
        except ValidationError as exc:
            from bo_console.finance.messages import plain_message

            error = exc.errors()[0]
            column = str(error["loc"][0]) if error["loc"] else "debit"
            report.add(number, column, plain_message(error))
            return None

    return io.read_validated(path, columns, parse)
