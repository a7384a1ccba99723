"""Rows of a query by position, without loading them all: the engine behind virtual tables.

A :class:`QuerySource` wraps a SQLAlchemy ``select()``, a primary-key column and the columns to
show. It answers "what is row N" by fetching blocks of rows with keyset paging (fetch after the
last row of the block before, or before the first row of the block after, as Datasette does);
only a jump to a far position uses OFFSET, and the last block is read in reverse order. A few
blocks are kept in an LRU cache. Each fetch is its own short read transaction, so an idle
screen never pins the SQLite WAL.

Sorting is offered only on columns that declare an index-backed expression; the primary key is
always the tie-breaker, so the order is total and keyset paging is exact. NULLs in a sort column
come before every value (``NULLS FIRST`` ascending, ``NULLS LAST`` descending, on every database),
and keyset steps across them with a second query instead of an ``OR`` that would defeat the index.

Every fetched row also carries the primary key as ``_row_key`` and the sort expression's value as
``_sort_value``: the keyset resumes from those, so a column may show one thing and sort by
another (a name shown as typed, sorted by its folded, indexed form).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    from sqlalchemy.orm import Mapped
    from sqlalchemy.sql import ColumnElement, Select

    from bo_console.core.db import Store

    Expr = ColumnElement[Any] | Mapped[Any]
    """A column of a table or a model attribute (``sqlmodel.col(Model.field)``)."""

Align = Literal["left", "right"]
Row = dict[str, Any]

ROW_KEY = "_row_key"
"""Name under which every fetched row carries its primary key."""
SORT_VALUE = "_sort_value"
"""Name under which every fetched row carries the value of the sort expression."""


def _sql(expr: Expr) -> ColumnElement[Any]:
    # Model attributes support every operator used here; only their static type differs.
    return cast("ColumnElement[Any]", expr)


@dataclass(frozen=True)
class Column:
    """A column a virtual table shows.

    Attributes:
        key: name of the column in the query's result.
        title: header text.
        width: cells to give it on screen.
        align: ``right`` for numbers and amounts.
        sort: the indexed expression to order by, or None when the column cannot be sorted.
            It need not be the shown column (a folded form of a name sorts the name). For a
            :class:`~bo_console.core.sql_paging.SqlSource`, the name of a column of its query.
        fmt: turns the value into text (default ``str``; None shows as empty).
        compute: works the value out from the row's other columns when the query cannot (a
            ticket's SLA state on the working calendar). It runs only for rows that are drawn
            or exported, once per fetched row (the result is kept in the row).
        flex: False for a code read whole (never cut, never widened), True for text that
            grows and shrinks with the table, None to let the table guess (text of 12 cells
            or more).
        optional: left out of a table too narrow for it.
    """

    key: str
    title: str
    width: int
    align: Align = "left"
    sort: Expr | str | None = None
    fmt: Callable[[Any], str] | None = None
    compute: Callable[[Row], Any] | None = None
    flex: bool | None = None
    optional: bool = False

    def value(self, row: Row) -> Any:
        """The column's value in ``row`` (computed and kept there the first time)."""
        if self.compute is None:
            return row.get(self.key)
        if self.key not in row:
            row[self.key] = self.compute(row)
        return row[self.key]

    def text(self, value: Any) -> str:
        if value is None:
            return ""
        return self.fmt(value) if self.fmt else str(value)


FilterFn = Callable[[str], "ColumnElement[bool] | None"]


def _after_prefix(prefix: str) -> str | None:
    """The least string above every string that starts with ``prefix`` (None: there is none)."""
    stripped = prefix.rstrip("\U0010ffff")
    if not stripped:
        return None
    following = ord(stripped[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates are not characters; skip to the next one
        following = 0xE000
    return stripped[:-1] + chr(following)


def text_filter(
    *columns: Expr, prefix: bool = False, transform: Callable[[str], str] | None = None
) -> FilterFn:
    """A filter that keeps rows where any of ``columns`` contains the text, or starts with it.

    ``%`` and ``_`` in the text match themselves; ``transform`` prepares the text first (e.g.
    ``core.text.fold`` when the columns hold folded search forms).

    A contains match (``LIKE '%text%'``, case-insensitive for ASCII on SQLite) reads every
    row: about 60 ms per million. A prefix match is exact and case-sensitive and is also put
    as a range (``col >= text AND col < next``), so an index on the column answers it at
    once; pair it with a folded, indexed column for a search that ignores case and accents.
    """

    from sqlalchemy import and_, or_

    def one(column: Expr, needle: str) -> ColumnElement[bool]:
        col = _sql(column)
        if not prefix:
            return col.contains(needle, autoescape=True)
        parts = [col >= needle, col.startswith(needle, autoescape=True)]
        upper = _after_prefix(needle)
        if upper is not None:
            parts.insert(1, col < upper)
        return and_(*parts)

    def condition(text: str) -> ColumnElement[bool] | None:
        needle = transform(text) if transform else text
        if not needle:
            return None
        return or_(*(one(c, needle) for c in columns))

    return condition


class QuerySource:
    """Positional, cached, keyset-paged access to the rows of ``base``.

    Args:
        store: where to read.
        base: a ``select()`` whose result has every column's ``key``.
        key: the primary-key column, the tie-breaker. For SQLite use the rowid (an ``INTEGER
            PRIMARY KEY``): every index ends with it, so (sort column, key) is one index range.
        columns: what to show.
        filter_fn: turns filter text into a WHERE condition (None: no condition).
        sort_key: the column ``key`` to sort by at first (None: by the primary key).
        descending: start in descending order.
        block_size: rows per fetch.
        cache_blocks: blocks kept in memory.
        count_base: a cheaper ``select()`` with exactly the rows of ``base`` (``base`` less
            joins that never drop or repeat a row), counted instead of it; the filter's
            conditions must name only its columns. Counting millions of joined rows costs
            seconds where the bare table's count costs a fraction.
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
        count_base: Select[Any] | None = None,
    ) -> None:
        self.store = store
        self.base = base
        self.count_base = count_base
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

    def _filtered(self, stmt: Select[Any] | None = None) -> Select[Any]:
        stmt = self.base if stmt is None else stmt
        if self.filter_text and self.filter_fn is not None:
            condition = self.filter_fn(self.filter_text)
            if condition is not None:
                stmt = stmt.where(condition)
        return stmt

    def _sort_expr(self) -> ColumnElement[Any] | None:
        if self.sort_key is None:
            return None
        column = next(c for c in self.columns if c.key == self.sort_key)
        assert column.sort is not None and not isinstance(column.sort, str)
        return _sql(column.sort)

    @staticmethod
    def _position(row: Row) -> tuple[Any, Any]:
        """Where a row sits in the order: (sort value, primary key)."""
        return row.get(SORT_VALUE), row[ROW_KEY]

    def count(self) -> int:
        """How many rows match (counted once per filter/order, then cached)."""
        if self._count is None:
            from sqlalchemy import func, select

            counted = self._filtered(self.count_base).order_by(None)
            stmt = select(func.count()).select_from(counted.subquery())
            with self.store.read() as session:
                self._count = int(session.execute(stmt).scalar_one())
        return self._count

    def _beyond(
        self, sort: ColumnElement[Any] | None, position: tuple[Any, Any], ascending: bool
    ) -> list[ColumnElement[bool]]:
        """Conditions for the rows past ``position``, in order: run each until the block is full.

        NULLs sort first, so ascending from a NULL the rest of the NULLs come before every
        value, and descending from a value the NULLs come after the smallest one. Each part is
        an index range on its own; one ``OR`` of them would make SQLite scan the index.
        """
        from sqlalchemy import and_, tuple_

        key = _sql(self.key)
        value, key_value = position
        if sort is None:
            return [key > key_value if ascending else key < key_value]
        if ascending:
            if value is None:
                return [and_(sort.is_(None), key > key_value), sort.is_not(None)]
            return [tuple_(sort, key) > tuple_(value, key_value)]
        if value is None:
            return [and_(sort.is_(None), key < key_value)]
        return [tuple_(sort, key) < tuple_(value, key_value), sort.is_(None)]

    def _fetch(
        self, forward: bool, after: tuple[Any, Any] | None, limit: int, offset: int = 0
    ) -> list[Row]:
        """Up to ``limit`` rows in display order (``forward``) or reversed, past ``after``."""
        from sqlalchemy import label

        ascending = forward != self.descending
        key = _sql(self.key)
        sort = self._sort_expr()
        stmt = self._filtered().add_columns(label(ROW_KEY, key))
        order = [key.asc() if ascending else key.desc()]
        if sort is not None:
            stmt = stmt.add_columns(label(SORT_VALUE, sort))
            order.insert(0, sort.asc().nulls_first() if ascending else sort.desc().nulls_last())
        stmt = stmt.order_by(*order)
        conditions = [None] if after is None else self._beyond(sort, after, ascending)
        rows: list[Row] = []
        # One read transaction for all parts, so they see the same data. The rows are plain
        # values: the session's connection runs the statement without the ORM's result
        # handling, and each row becomes a dict by its column names (half the time of a
        # block read through the session).
        with self.store.read() as session:
            connection = session.connection()
            for condition in conditions:
                part = stmt if condition is None else stmt.where(condition)
                part = part.limit(limit - len(rows))
                if offset:
                    part = part.offset(offset)
                result = connection.execute(part)
                names = list(result.keys())
                rows += [dict(zip(names, values, strict=True)) for values in result]
                if len(rows) >= limit:
                    break
        return rows

    def _load_block(self, index: int) -> list[Row]:
        size = self.block_size
        total = self.count()
        last = max(0, (total - 1) // size)
        before = self._blocks.get(index - 1)
        after = self._blocks.get(index + 1)
        if index == 0:
            rows = self._fetch(True, None, size)
        elif before:
            rows = self._fetch(True, self._position(before[-1]), size)
        elif after:
            rows = list(reversed(self._fetch(False, self._position(after[0]), size)))
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

    def iter_rows(self, batch: int = 1000) -> Iterator[Row]:
        """Every matching row in display order, a keyset batch at a time (for exports).

        Each batch is its own short read; the cache is left alone, so a large export neither
        holds every row in memory nor evicts what the screen shows.
        """
        after: tuple[Any, Any] | None = None
        while True:
            rows = self._fetch(True, after, batch)
            yield from rows
            if len(rows) < batch:
                return
            after = self._position(rows[-1])

    def key_of(self, row: Row) -> Any:
        """The primary-key value of a row."""
        return row[ROW_KEY]


class RowsSource(QuerySource):
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
