"""The journal as the journal tab's virtual-table source: :func:`bo_console.finance.journal.
journal_sql`, the SQL text of the query ``bo finance journal list`` runs, paged through a
Reader (:class:`~bo_console.core.sql_paging.SqlSource`), so the Finance screen shows its first
rows without importing SQLAlchemy."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bo_console.core.paging import Column, QuerySource
from bo_console.core.sql_paging import SqlSource
from bo_console.finance.journal import (
    ENTRY_STATES as ENTRY_STATES,
)
from bo_console.finance.journal import (
    JOURNAL_NAMES,
    JournalFilter,
    entry_number_text,
    journal_sql,
)
from bo_console.finance.journal import (
    NUMBER_SCALE as NUMBER_SCALE,
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
    from bo_console.core.db import Store
    from bo_console.core.money import Currency
    from bo_console.core.security import Actor


def _day(value: Any) -> date:
    """An entry's date as the SQLAlchemy query gives it (SQLite stores ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _account_ids(store: Store, flt: JournalFilter) -> list[int]:
    """The accounts an account filter takes (none without one)."""
    if not flt.account:
        return []
    from bo_console.finance.journal import journal_account_ids

    with store.reading() as reader:
        return journal_account_ids(reader, flt.account)


def journal_source(
    store: Store, actor: Actor, flt: JournalFilter | None = None
) -> tuple[QuerySource, Currency]:
    """The journal as a virtual-table source, newest first, and the books' currency.

    Raises:
        PermissionDenied: the actor may not read the journal.
        NotFound: the filter's account does not exist.
    """
    from bo_console.core.money import base_currency

    actor.require("finance.read", "read journal entries")
    flt = flt or JournalFilter()
    ids = _account_ids(store, flt)

    def money(value: Any) -> str:
        return currency.format(int(value))

    columns = [
        Column("number", "Number", 11, fmt=entry_number_text),
        Column("date", "Date", 10, sort="date", fmt=lambda d: str(d)[:10]),
        Column("state", "State", 8),
        Column("source", "Source", 8),
        Column("total", "Total", 14, "right", fmt=money),
        Column("memo", "Memo", 40),
    ]
    source = SqlSource(
        store,
        lambda text: journal_sql(flt, ids, text),
        JOURNAL_NAMES,
        "id",
        columns,
        sort_key="date",
        descending=True,
        convert={"date": _day},
    )
    # On the connection the source keeps for its rows.
    with source.reading() as reader:
        currency = base_currency(reader)
    return source, currency


def refilter_journal(store: Store, source: QuerySource, flt: JournalFilter) -> None:
    """Point an existing journal source at a new filter form (the ``/`` text is kept).

    Raises:
        NotFound: the filter's account does not exist.
    """
    if not isinstance(source, SqlSource):
        raise TypeError("not a journal source (journal_source makes one)")
    ids = _account_ids(store, flt)
    source.query = lambda text: journal_sql(flt, ids, text)
    source.invalidate()
