"""The journal as the journal tab's virtual-table source (its query is
:func:`bo_console.finance.journal.journal_select`, the one ``bo finance journal list`` runs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bo_console.core.paging import Column, QuerySource
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
    from bo_console.core.db import Store
    from bo_console.core.money import Currency
    from bo_console.core.security import Actor


def journal_source(
    store: Store, actor: Actor, flt: JournalFilter | None = None
) -> tuple[QuerySource, Currency]:
    """The journal as a virtual-table source, newest first, and the books' currency.

    Raises:
        PermissionDenied: the actor may not read the journal.
    """
    from bo_console.core.money import base_currency

    actor.require("finance.read", "read journal entries")
    with store.read() as session:
        currency = base_currency(session)
        base = journal_select(session, flt or JournalFilter())
    e = journal_columns()

    def money(value: Any) -> str:
        return currency.format(int(value))

    columns = [
        Column("number", "Number", 11, fmt=entry_number_text),
        Column("date", "Date", 10, sort=e.date, fmt=lambda d: str(d)[:10]),
        Column("state", "State", 8),
        Column("source", "Source", 8),
        Column("total", "Total", 14, "right", fmt=money),
        Column("memo", "Memo", 40),
    ]
    source = QuerySource(
        store,
        base,
        e.id,
        columns,
        filter_fn=journal_text_filter,
        sort_key="date",
        descending=True,
    )
    return source, currency


def refilter_journal(store: Store, source: QuerySource, flt: JournalFilter) -> None:
    """Point an existing journal source at a new filter form (the ``/`` text is kept).

    Raises:
        NotFound: the filter's account does not exist.
    """
    with store.read() as session:
        source.base = journal_select(session, flt)
    source.invalidate()
