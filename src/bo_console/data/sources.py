"""A query's result as a virtual-table source (the screen pages, filters and exports it)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from bo_console.core.paging import Column, QuerySource, Row
from bo_console.data.models import ResultSet

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement

    from bo_console.core.db import Store

MAX_WIDTH = 40


class ResultSource(QuerySource):
    """Rows already fetched, paged by the virtual table like any list; ``/`` keeps rows whose
    text holds every word typed, ``o`` flips the order."""

    order_name = "row"

    def __init__(self, rows: Sequence[Row], columns: Sequence[Column]) -> None:
        from sqlalchemy import literal_column, select

        key: ColumnElement[Any] = literal_column("0")
        # No store: every method the table calls is answered from ``rows``.
        super().__init__(cast("Store", None), select(key), key, columns)
        self.all_rows = [{**row, "_row_key": index} for index, row in enumerate(rows)]
        self._shown: list[Row] | None = None

    def invalidate(self) -> None:
        super().invalidate()
        self._shown = None

    def _visible(self) -> list[Row]:
        if self._shown is None:
            from bo_console.core.text import fold

            rows = self.all_rows
            words = fold(self.filter_text).split()
            if words:
                keys = [c.key for c in self.columns]
                rows = [
                    r
                    for r in rows
                    if all(w in fold(" ".join(str(r.get(k) or "") for k in keys)) for w in words)
                ]
            self._shown = list(reversed(rows)) if self.descending else list(rows)
        return self._shown

    def count(self) -> int:
        return len(self._visible())

    def block(self, index: int) -> list[Row]:
        start = index * self.block_size
        return self._visible()[start : start + self.block_size]

    def iter_rows(self, batch: int = 1000) -> Iterator[Row]:
        yield from self._visible()


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
