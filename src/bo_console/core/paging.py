"""Rows of a query by position, without loading them all: the engine behind virtual tables.

A :class:`QuerySource` wraps a SQLAlchemy ``select()``, a primary-key column and the columns to
show. It answers "what is row N" by fetching blocks of rows with keyset paging (fetch after the
last row of the block before, or before the first row of the block after, as Datasette does);
only a jump to a far position uses OFFSET, and the last block is read in reverse order. A few
blocks are kept in an LRU cache. Each fetch is its own short read transaction, so an idle
screen never pins the SQLite WAL.

Sorting is offered only on columns that declare an index-backed expression; the primary key is
always the tie-breaker, so the order is total and keyset paging is exact.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import func, select, tuple_

if TYPE_CHECKING:
    from sqlalchemy.orm import Mapped
    from sqlalchemy.sql import ColumnElement, Select

    from bo_console.core.db import Store

    Expr = ColumnElement[Any] | Mapped[Any]
    """A column of a table or a model attribute (``sqlmodel.col(Model.field)``)."""

Align = Literal["left", "right"]
Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """A column a virtual table shows.

    Attributes:
        key: name of the column in the query's result.
        title: header text.
        width: cells to give it on screen.
        align: ``right`` for numbers and amounts.
        sort: the indexed expression to order by, or None when the column cannot be sorted.
        fmt: turns the value into text (default ``str``; None shows as empty).
    """

    key: str
    title: str
    width: int
    align: Align = "left"
    sort: Expr | None = None
    fmt: Callable[[Any], str] | None = None

    def text(self, value: Any) -> str:
        if value is None:
            return ""
        return self.fmt(value) if self.fmt else str(value)


FilterFn = Callable[[str], "ColumnElement[bool] | None"]


class QuerySource:
    """Positional, cached, keyset-paged access to the rows of ``base``.

    Args:
        store: where to read.
        base: a ``select()`` whose result has every column's ``key`` and the key column.
        key: the primary-key column (unique, indexed) used as the tie-breaker.
        columns: what to show.
        filter_fn: turns filter text into a WHERE condition (None: no condition).
        sort_key: the column ``key`` to sort by at first (None: by the primary key).
        descending: start in descending order.
        block_size: rows per fetch.
        cache_blocks: blocks kept in memory.
    """

    def __init__(
        self,
        store: Store,
        base: Select[Any],
        key: Expr,
        columns: Sequence[Column],
        *,
        filter_fn: FilterFn | None = None,
        sort_key: str | None = None,
        descending: bool = False,
        block_size: int = 100,
        cache_blocks: int = 32,
    ) -> None:
        self.store = store
        self.base = base
        self.key = key
        self.columns = list(columns)
        self.filter_fn = filter_fn
        self.block_size = block_size
        self.cache_blocks = cache_blocks
        self.filter_text = ""
        self.sort_key: str | None = None
        self.descending = descending
        self._blocks: OrderedDict[int, list[Row]] = OrderedDict()
        self._count: int | None = None
        self._key_name = str(getattr(key, "key", None) or "id")
        self.set_sort(sort_key, descending)

    # -- configuration -----------------------------------------------------------------------

    @property
    def sortable(self) -> list[str]:
        """Keys of the columns that can be sorted (those backed by an index)."""
        return [c.key for c in self.columns if c.sort is not None]

    def set_filter(self, text: str) -> None:
        """Filter on the server; the next read counts and fetches afresh."""
        self.filter_text = text.strip()
        self.invalidate()

    def set_sort(self, column_key: str | None, descending: bool = False) -> None:
        """Sort by an indexed column (None: by the primary key).

        Raises:
            ValueError: the column is unknown or has no index-backed order.
        """
        if column_key is not None and column_key not in self.sortable:
            raise ValueError(f"cannot sort by {column_key!r}; sortable: {self.sortable}")
        self.sort_key = column_key
        self.descending = descending
        self.invalidate()

    def invalidate(self) -> None:
        """Forget cached rows and the count (after a change to the data, filter or order)."""
        self._blocks.clear()
        self._count = None

    # -- queries -----------------------------------------------------------------------------

    def _filtered(self) -> Select[Any]:
        stmt = self.base
        if self.filter_text and self.filter_fn is not None:
            condition = self.filter_fn(self.filter_text)
            if condition is not None:
                stmt = stmt.where(condition)
        return stmt

    def _order_parts(self) -> list[Expr]:
        parts: list[Expr] = []
        if self.sort_key is not None:
            column = next(c for c in self.columns if c.key == self.sort_key)
            assert column.sort is not None
            parts.append(column.sort)
        parts.append(self.key)
        return parts

    def _sort_values(self, row: Row) -> list[Any]:
        values = []
        if self.sort_key is not None:
            values.append(row[self.sort_key])
        values.append(row[self._key_name])
        return values

    def _run(self, stmt: Select[Any]) -> list[Row]:
        with self.store.read() as session:
            result = session.execute(stmt)
            return [dict(r._mapping) for r in result]

    def count(self) -> int:
        """How many rows match (counted once per filter/order, then cached)."""
        if self._count is None:
            stmt = select(func.count()).select_from(self._filtered().order_by(None).subquery())
            with self.store.read() as session:
                self._count = int(session.execute(stmt).scalar_one())
        return self._count

    def _fetch(
        self, forward: bool, after: list[Any] | None, limit: int, offset: int = 0
    ) -> list[Row]:
        """Rows in display order (``forward``) or reversed, after/before a keyset position."""
        parts = self._order_parts()
        ascending = forward != self.descending
        stmt = self._filtered()
        if after is not None:
            lhs = tuple_(*parts) if len(parts) > 1 else parts[0]
            rhs = tuple_(*after) if len(parts) > 1 else after[0]
            stmt = stmt.where(lhs > rhs if ascending else lhs < rhs)
        stmt = stmt.order_by(*(p.asc() if ascending else p.desc() for p in parts))
        stmt = stmt.limit(limit)
        if offset:
            stmt = stmt.offset(offset)
        return self._run(stmt)

    def _load_block(self, index: int) -> list[Row]:
        size = self.block_size
        total = self.count()
        last = max(0, (total - 1) // size)
        before = self._blocks.get(index - 1)
        after = self._blocks.get(index + 1)
        if index == 0:
            rows = self._fetch(True, None, size)
        elif before:
            rows = self._fetch(True, self._sort_values(before[-1]), size)
        elif after:
            rows = list(reversed(self._fetch(False, self._sort_values(after[0]), size)))
        elif index == last:
            rows = list(reversed(self._fetch(False, None, total - index * size)))
        else:
            rows = self._fetch(True, None, size, offset=index * size)
        return rows

    def block(self, index: int) -> list[Row]:
        """Block ``index`` (rows ``index*block_size`` onwards), from the cache when it can."""
        cached = self._blocks.get(index)
        if cached is not None:
            self._blocks.move_to_end(index)
            return cached
        rows = self._load_block(index)
        self._blocks[index] = rows
        while len(self._blocks) > self.cache_blocks:
            self._blocks.popitem(last=False)
        return rows

    def row(self, position: int) -> Row | None:
        """The row at ``position`` (0-based), or None past the end."""
        if position < 0 or position >= self.count():
            return None
        index, within = divmod(position, self.block_size)
        rows = self.block(index)
        return rows[within] if within < len(rows) else None

    def rows(self, start: int, stop: int) -> list[Row]:
        """Rows ``start`` to ``stop`` (exclusive), fewer at the end."""
        out: list[Row] = []
        for position in range(max(0, start), min(stop, self.count())):
            row = self.row(position)
            if row is not None:
                out.append(row)
        return out

    def key_of(self, row: Row) -> Any:
        """The primary-key value of a row."""
        return row[self._key_name]
