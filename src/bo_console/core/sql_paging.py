"""Rows of a SQL text query by position, read through a :class:`~bo_console.core.reading.Reader`.

:class:`SqlSource` is the :class:`~bo_console.core.paging.QuerySource` of a query written as
SQL text: the same blocks, cache, keyset paging, order and ``/`` filter, but every read goes
through :meth:`Store.reading() <bo_console.core.db.Store.reading>`, so on SQLite a screen
shows its rows with the standard library's ``sqlite3`` and without importing SQLAlchemy
(about 300 ms of CPU before the console's first frame). The console's Journal, its first tab,
reads this way.

The query is a function of the ``/`` filter text that returns a ``SELECT`` (with named
parameters) whose result has the columns ``names``; the pager wraps it as ``SELECT ... FROM
(query) AS q`` to order it, page it and count it (SQLite and PostgreSQL fold such a
subquery into the outer query, so an index on the sort column still answers a block). Values
come back as the database stores them (on SQLite dates as ISO text); ``convert`` turns the
shown columns' values into what the SQLAlchemy sources give (a ``date``), so rows, exports and
formats are the same either way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, cast

from bo_console.core.paging import ROW_KEY, SORT_VALUE, Column, QuerySource, Row

if TYPE_CHECKING:
    from sqlalchemy.sql import Select

    from bo_console.core.db import Store
    from bo_console.core.paging import Expr
    from bo_console.core.reading import Reader, SqliteReader

SqlQuery = tuple[str, dict[str, Any]]
"""SQL text with named parameters (``:name``), and their values."""

QueryFn = Callable[[str], SqlQuery]
"""The query for a ``/`` filter text (empty: no filter)."""

Condition = tuple[str, dict[str, Any]]


class KeptReading:
    """:meth:`Store.reading` for a source that reads again and again: on a SQLite file, one
    read-only connection per thread, kept between reads, each read its own transaction.

    Opening a connection costs SQLite a parse of the whole schema (6-8 ms of CPU over the
    demo's 500 tables, indexes and triggers), as much as reading a block of rows; the
    SQLAlchemy sources keep their connections in the engine's pool, and so does this. Between
    reads no transaction is open, so an idle screen does not pin the WAL. Elsewhere (no file:
    PostgreSQL) each read is the store's own.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._local = threading.local()

    def __call__(self) -> AbstractContextManager[Reader]:
        return self.reading()

    def _connection(self) -> SqliteReader:
        kept: tuple[AbstractContextManager[SqliteReader], SqliteReader] | None = getattr(
            self._local, "kept", None
        )
        if kept is None:
            from bo_console.core.db import wait_ms
            from bo_console.core.reading import sqlite_reader

            assert self.store.path is not None
            # Entered and never left while the thread lives: the connection closes with it.
            opened = sqlite_reader(self.store.path, wait_ms())
            kept = (opened, opened.__enter__())
            self._local.kept = kept
            return kept[1]  # sqlite_reader has begun its transaction
        kept[1].connection.execute("BEGIN DEFERRED")
        return kept[1]

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """A Reader in one read transaction (see the class)."""
        if self.store.path is None:
            with self.reading() as reader:
                yield reader
            return
        import sqlite3

        from bo_console.core.db import is_locked
        from bo_console.core.errors import StoreLocked

        self.store._check_file()
        try:
            reader = self._connection()
        except sqlite3.OperationalError as exc:
            if is_locked(exc):
                raise StoreLocked(self.store.busy_message()) from exc
            raise
        try:
            yield reader
        finally:
            if reader.connection.in_transaction:
                reader.connection.execute("ROLLBACK")


class SqlSource(QuerySource):
    """Positional, cached, keyset-paged access to the rows of a SQL text query.

    Args:
        store: where to read (through :meth:`Store.reading`, one short read per fetch, on a
            connection kept between them: :class:`KeptReading`).
        query: the query for a filter text; its result has the columns ``names``.
        names: the query's result columns, in order (every shown column's ``key`` among them).
        key: the name of the primary-key column, the tie-breaker (on SQLite the rowid).
        columns: what to show; a sortable column's ``sort`` names a column of the query.
        sort_key, descending, block_size, cache_blocks: as for a ``QuerySource``.
        convert: per column name, what turns a stored value into the shown one.
    """

    def __init__(
        self,
        store: Store,
        query: QueryFn,
        names: Sequence[str],
        key: str,
        columns: Sequence[Column],
        *,
        sort_key: str | None = None,
        descending: bool = False,
        block_size: int = 100,
        cache_blocks: int = 32,
        convert: Mapping[str, Callable[[Any], Any]] | None = None,
    ) -> None:
        self.query = query
        self.names = list(names)
        self.key_name = key
        self.convert = dict(convert or {})
        for column in columns:
            if column.sort is not None and column.sort not in self.names:
                raise ValueError(f"column {column.key!r} sorts by {column.sort!r}, not a result")
        self.reading = KeptReading(store)
        """Where the source reads (one kept connection per thread on SQLite)."""
        # The SQLAlchemy ``base`` is never built: every read below is SQL text.
        super().__init__(
            store,
            cast("Select[Any]", None),
            cast("Expr", key),
            columns,
            sort_key=sort_key,
            descending=descending,
            block_size=block_size,
            cache_blocks=cache_blocks,
        )

    def _sort_name(self) -> str | None:
        if self.sort_key is None:
            return None
        column = next(c for c in self.columns if c.key == self.sort_key)
        return cast("str", column.sort)

    def count(self) -> int:
        """How many rows match (counted once per filter/order, then cached)."""
        if self._count is None:
            sql, params = self.query(self.filter_text)
            with self.reading() as reader:
                self._count = int(reader.scalar(f"SELECT count(*) FROM ({sql}) AS q", params))
        return self._count

    def _keyset(
        self, sort: str | None, position: tuple[Any, Any], ascending: bool
    ) -> list[Condition]:
        """The rows past ``position`` as conditions to run in turn (as
        :meth:`QuerySource._beyond`: NULLs sort first, each part one index range)."""
        key = f"q.{self.key_name}"
        value, key_value = position
        at = {"_pk": key_value}
        if sort is None:
            return [(f"{key} {'>' if ascending else '<'} :_pk", at)]
        column = f"q.{sort}"
        both = {"_sv": value, **at}
        if ascending:
            if value is None:
                return [(f"{column} IS NULL AND {key} > :_pk", at), (f"{column} IS NOT NULL", {})]
            return [(f"({column}, {key}) > (:_sv, :_pk)", both)]
        if value is None:
            return [(f"{column} IS NULL AND {key} < :_pk", at)]
        return [(f"({column}, {key}) < (:_sv, :_pk)", both), (f"{column} IS NULL", {})]

    def _fetch(
        self, forward: bool, after: tuple[Any, Any] | None, limit: int, offset: int = 0
    ) -> list[Row]:
        """Up to ``limit`` rows in display order (``forward``) or reversed, past ``after``."""
        ascending = forward != self.descending
        sql, params = self.query(self.filter_text)
        key = f"q.{self.key_name}"
        sort = self._sort_name()
        shown = [*(f"q.{name}" for name in self.names), f"{key} AS {ROW_KEY}"]
        names = [*self.names, ROW_KEY]
        order = [f"{key} {'ASC' if ascending else 'DESC'}"]
        if sort is not None:
            shown.append(f"q.{sort} AS {SORT_VALUE}")
            names.append(SORT_VALUE)
            order.insert(
                0, f"q.{sort} ASC NULLS FIRST" if ascending else f"q.{sort} DESC NULLS LAST"
            )
        head = f"SELECT {', '.join(shown)} FROM ({sql}) AS q"
        tail = f" ORDER BY {', '.join(order)} LIMIT :_limit" + (
            " OFFSET :_offset" if offset else ""
        )
        conditions: list[Condition | None] = (
            [None] if after is None else list(self._keyset(sort, after, ascending))
        )
        rows: list[Row] = []
        # One read transaction for all parts, so they see the same data.
        with self.reading() as reader:
            for condition in conditions:
                where, extra = condition if condition is not None else ("", {})
                text = head + (f" WHERE {where}" if where else "") + tail
                values = {**params, **extra, "_limit": limit - len(rows)}
                if offset:
                    values["_offset"] = offset
                rows += [self._row(names, found) for found in reader.rows(text, values)]
                if len(rows) >= limit:
                    break
        return rows

    def _row(self, names: Sequence[str], values: Sequence[Any]) -> Row:
        row = dict(zip(names, values, strict=True))
        for name, convert in self.convert.items():
            value = row.get(name)
            if value is not None:
                row[name] = convert(value)
        return row
