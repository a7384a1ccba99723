"""XLSX output: one sheet of rows with a bold, frozen header row, columns as wide as their
contents and number formats, so a file opens in a spreadsheet ready to read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from bo_console.core.io import _XLSX_ILLEGAL, _cell_text, _table_text, neutralise


def _xlsx_format(values: Sequence[Any]) -> str | None:
    """The number format of a column of values: amounts with thousands separators and their
    decimals, whole numbers grouped, dates and times as ISO; None for text."""
    kinds = [v for v in values if v is not None and not isinstance(v, bool)]
    if not kinds:
        return None
    if all(isinstance(v, Decimal) for v in kinds):
        places = max(-min(0, int(v.as_tuple().exponent)) for v in kinds)
        return "#,##0" + ("." + "0" * places if places else "")
    if all(isinstance(v, int) for v in kinds):
        return "0"
    if all(isinstance(v, datetime) for v in kinds):
        return "yyyy-mm-dd hh:mm:ss"
    if all(isinstance(v, date) for v in kinds):
        return "yyyy-mm-dd"
    return None


PROGRESS_EVERY = 2_000
"""Rows between two progress reports while a sheet is written."""


def write_xlsx(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """One sheet ``data``: a bold, frozen header row, columns as wide as their contents, and
    number formats (amounts grouped with their decimals, dates as dates). ``progress(done,
    total)`` hears of the rows written, every :data:`PROGRESS_EVERY` and at the end."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.freeze_panes = "A2"
    formats = [_xlsx_format([row.get(c) for row in rows]) for c in columns]
    widths = [len(c) for c in columns]
    out_rows: list[list[Any]] = []
    for row in rows:
        out: list[Any] = []
        for i, c in enumerate(columns):
            value = row.get(c)
            if isinstance(value, bool) or value is None:
                value = _cell_text(value)
            elif not isinstance(value, int | float | Decimal | date | datetime):
                value = neutralise(_XLSX_ILLEGAL.sub("", _cell_text(value)))
            shown = _table_text(value) if not isinstance(value, str) else value
            widths[i] = max(widths[i], min(60, len(shown)))
            out.append(value)
        out_rows.append(out)
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    bold = Font(bold=True)
    header = []
    for c in columns:
        cell = WriteOnlyCell(sheet, value=c)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    total = len(out_rows)
    for done, out in enumerate(out_rows, start=1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
        cells: list[Any] = []
        for value, number_format in zip(out, formats, strict=True):
            if number_format is None or isinstance(value, str):
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    book.save(path)
    if progress is not None:
        progress(total, total)
