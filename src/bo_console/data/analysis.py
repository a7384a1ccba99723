"""Pivots and period comparisons of saved queries (pandas), and workbooks of several sheets.

pandas is imported inside the functions that use it: the CLI and the console start without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from bo_console.core.errors import UsageProblem
from bo_console.data.models import ResultSet

AGGREGATES = ("sum", "count", "mean", "min", "max")
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""The time stamped on every member of a workbook's zip, so two builds are byte for byte the
same."""


def _frame(result: ResultSet) -> Any:
    import pandas as pd

    return pd.DataFrame.from_records(result.rows, columns=result.columns)


def _result(frame: Any) -> ResultSet:
    columns = [str(c) for c in frame.columns]
    rows = [
        tuple(None if _missing(v) else _plain(v) for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]
    return ResultSet(columns=columns, rows=rows)


def _missing(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value)) if not isinstance(value, list | tuple) else False


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers; a float that is whole as an int."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _need(result: ResultSet, *names: str) -> None:
    for name in names:
        if name not in result.columns:
            raise UsageProblem(f"no column {name!r} (columns: {', '.join(result.columns)})")


def pivot(result: ResultSet, rows: str, columns: str, values: str, agg: str = "sum") -> ResultSet:
    """``result`` pivoted: one row per value of ``rows``, one column per value of
    ``columns``, cells ``agg`` of ``values`` (empty cells 0), with a total column.

    Raises:
        UsageProblem: an unknown column or aggregate.
    """
    _need(result, rows, columns, values)
    if agg not in AGGREGATES:
        raise UsageProblem(f"aggregate {agg!r}: one of {', '.join(AGGREGATES)}")
    frame = _frame(result)
    table = frame.pivot_table(
        index=rows, columns=columns, values=values, aggfunc=agg, fill_value=0, sort=True
    )
    table.columns = [str(c) for c in table.columns]
    if agg in ("sum", "count"):
        table["total"] = table.sum(axis=1)
    return _result(table.reset_index())


def previous_year(month: str) -> str:
    """The same month a year before: ``2026-10`` -> ``2025-10``."""
    year, mm = month.split("-")
    return f"{int(year) - 1}-{mm}"


def compare(this: ResultSet, last: ResultSet, keys: Sequence[str]) -> ResultSet:
    """Two runs of one query side by side, joined on ``keys``: each other numeric column as
    ``<name>``, ``<name>_last_year`` and ``<name>_change`` (missing rows count 0)."""
    rows = this.rows + last.rows
    numeric = [
        c
        for i, c in enumerate(this.columns)
        if c not in keys
        and all(isinstance(r[i], int | float) or r[i] is None for r in rows)
        and not all(r[i] is None for r in rows)
    ]
    now, before = _frame(this), _frame(last)
    picked = [*keys, *numeric]
    merged = now[picked].merge(
        before[picked], on=list(keys), how="outer", suffixes=("", "_last_year"), sort=True
    )
    ordered: list[str] = list(keys)
    for name in numeric:
        last_name = f"{name}_last_year"
        merged[name] = merged[name].fillna(0)
        merged[last_name] = merged[last_name].fillna(0)
        merged[f"{name}_change"] = merged[name] - merged[last_name]
        ordered += [name, last_name, f"{name}_change"]
    return _result(merged[ordered])


def relabel(result: ResultSet, column: str, value: str) -> ResultSet:
    i = result.columns.index(column)
    return ResultSet(
        columns=result.columns, rows=[(*r[:i], value, *r[i + 1 :]) for r in result.rows]
    )


def drop(result: ResultSet, column: str, keys: Sequence[str]) -> ResultSet:
    if column not in result.columns or column in keys:
        return result
    i = result.columns.index(column)
    return ResultSet(
        columns=[c for c in result.columns if c != column],
        rows=[(*r[:i], *r[i + 1 :]) for r in result.rows],
    )


def _cell(value: Any) -> Any:
    from bo_console.core.io import neutralise

    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    return neutralise(_XLSX_ILLEGAL.sub("", str(value)))


def write_workbook(
    sheets: Sequence[tuple[str, ResultSet]],
    path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """One sheet per part, in order, written so that the same parts give the same bytes
    (fixed document times and zip member times); formulas neutralised as in every export.
    ``progress`` hears ``(sheets filled, sheets + 1)``; the last step is the saving."""
    import io
    import zipfile

    from openpyxl import Workbook

    from bo_console.core.io import check_output_path, private_output
    from bo_console.core.jobs import tell

    check_output_path(path)
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    steps = len(sheets) + 1
    for done, (title, result) in enumerate(sheets, 1):
        sheet = book.create_sheet(title[:31])
        sheet.append(list(result.columns))
        for row in result.rows:
            sheet.append([_cell(v) for v in row])
        tell(progress, done, steps)
    book.properties.created = datetime(2000, 1, 1)
    book.properties.creator = "bo-console"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with private_output(path) as partial:
        with (
            zipfile.ZipFile(buffer) as source,
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for member in source.infolist():
                info = zipfile.ZipInfo(member.filename, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                data = source.read(member.filename)
                if member.filename == "docProps/core.xml":
                    # openpyxl stamps the time of saving, whatever the properties say.
                    data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
                target.writestr(info, data)
    tell(progress, steps, steps)
