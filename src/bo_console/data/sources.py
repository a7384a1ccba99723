"""A query's result as a virtual-table source (the screen pages, filters and exports it)."""

from __future__ import annotations

from bo_console.core.paging import Column, RowsSource
from bo_console.data.models import ResultSet

MAX_WIDTH = 40


class ResultSource(RowsSource):
    """Rows already fetched, paged by the virtual table like any list; ``/`` keeps rows whose
    text holds every word typed, ``o`` flips the order."""

    order_name = "row"


def result_source(result: ResultSet) -> ResultSource:
    """A source over ``result``: numbers right-aligned, each column as wide as its widest
    value (up to 40 cells)."""
    rows = result.as_dicts()
    columns: list[Column] = []
    for name in result.columns:
        values = [r[name] for r in rows]
        numeric = bool(values) and all(isinstance(v, int | float) for v in values if v is not None)
        width = max([len(name), *(len(str(v)) for v in values if v is not None)])
        columns.append(Column(name, name, min(width, MAX_WIDTH), "right" if numeric else "left"))
    return ResultSource(rows, columns)
