"""Rows held in memory, as a virtual-table source."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from bo_console.core.paging import Column, QuerySource, Row
from bo_console.finance.journal import (
    ENTRY_STATES as ENTRY_STATES,
)
from bo_console.finance.journal import (
    NUMBER_SCALE as NUMBER_SCALE,
)
from bo_console.finance.journal import (
    JournalFilter as JournalFilter,
)
from bo_console.finance.journal import (
    entry_number_text as entry_number_text,
)
from bo_console.finance.journal import (
    journal_columns as journal_columns,
)
from bo_console.finance.journal import (
    journal_select as journal_select,
)
from bo_console.finance.journal import (
    journal_text_filter as journal_text_filter,
)

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement

    from bo_console.core.db import Store


# -- rows held in memory ------------------------------------------------------------------------


class ListSource(QuerySource):
    """A virtual-table source over rows already in memory (a report, a general ledger).

    The rows come from a service call; the table pages through them like any other list,
    ``/`` keeps rows whose text contains the words typed, and ``o`` flips the order.
    """

    order_name = "line"
    """How status lines name the rows' own order (``by line ↑``)."""

    def __init__(self, rows: Sequence[Row], columns: Sequence[Column]) -> None:
        from sqlalchemy import literal_column, select

        key: ColumnElement[Any] = literal_column("0")
        # No store: every method a table calls is answered from ``rows``.
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
