"""The Journal tab's source (SQL text through a Reader) shows the rows, in the order, that the
journal's SQLAlchemy query gives, under every filter."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bo_console.core.db import Store
from bo_console.core.paging import Column, QuerySource
from bo_console.core.sql_paging import SqlSource
from bo_console.finance import service
from bo_console.finance.journal import JournalFilter, journal_columns, journal_select
from bo_console.finance.sources.journal import journal_source, refilter_journal
from tests.conftest import SeedOnce
from tests.unit.finance.conftest import Poster, Team, entry


@pytest.fixture
def books(store: Store, team: Team, post: Poster, seed_once: SeedOnce) -> Store:
    """Posted, draft and reversed entries over two months, memos with wildcards in them."""
    seed_once("unit/finance/journal_source:books", lambda: _seed_books(store, team, post))
    return store


def _seed_books(store: Store, team: Team, post: Poster) -> None:
    post(date(2026, 1, 5), ("6110", 100, 0), ("1110", 0, 100), memo="Rent 50% off")
    post(date(2026, 1, 5), ("6110", 200, 0), ("1110", 0, 200), memo="Rent 500 off")
    post(date(2026, 2, 1), ("1110", 300, 0), ("4100", 0, 300), memo="cash_sale")
    third = post(date(2026, 2, 3), ("6110", 400, 0), ("1110", 0, 400), memo="Supplies")
    with store.write() as session:
        service.reverse_entry(session, team.clerk, third.ref, on=date(2026, 2, 4))
        for day in (date(2026, 1, 20), date(2026, 2, 3)):
            service.create_draft(
                session,
                team.clerk,
                entry(day, ("6110", 50, 0), ("1110", 0, 50), memo="draft axb"),
            )


def _reference(store: Store, flt: JournalFilter, text: str = "") -> list[dict[str, Any]]:
    """The rows of the SQLAlchemy query, paged as the tab paged them before."""
    e = journal_columns()
    with store.read() as session:
        base = journal_select(session, flt)
    from bo_console.finance.journal import journal_text_filter

    source = QuerySource(
        store,
        base,
        e.id,
        [Column("date", "Date", 10, sort=e.date)],
        filter_fn=journal_text_filter,
        sort_key="date",
        descending=True,
        block_size=3,
    )
    source.set_filter(text)
    return [_plain(r) for r in source.rows(0, 100)]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    # The sort value is the keyset's own (a date object or its ISO text); the rest must match.
    return {k: v for k, v in row.items() if k != "_sort_value"}


FILTERS = [
    JournalFilter(),
    JournalFilter(date_from=date(2026, 1, 20)),
    JournalFilter(date_to=date(2026, 2, 1), state="posted"),
    JournalFilter(state="draft"),
    JournalFilter(state="reversed"),
    JournalFilter(source="manual"),
    JournalFilter(account="4100"),
    JournalFilter(account="1100"),
    JournalFilter(text="50%"),
]


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f.describe() or "all")
@pytest.mark.parametrize("text", ["", "rent", "0%", "_", "2026-000002", "#5", "draft #6", "x"])
def test_same_rows_in_the_same_order(
    books: Store, team: Team, flt: JournalFilter, text: str
) -> None:
    expected = _reference(books, flt, text)
    source, _ = journal_source(books, team.clerk, flt)
    assert isinstance(source, SqlSource)
    source.block_size = 3  # every block edge a keyset step
    source.set_filter(text)
    assert source.count() == len(expected)
    assert [_plain(r) for r in source.rows(0, 100)] == expected
    source.invalidate()
    backwards = [source.row(p) for p in range(len(expected) - 1, -1, -1)]
    assert [_plain(r or {}) for r in backwards] == expected[::-1]
    assert [_plain(r) for r in source.iter_rows(batch=2)] == expected


def test_the_books_have_every_kind(books: Store, team: Team) -> None:
    source, currency = journal_source(books, team.clerk)
    rows = source.rows(0, 100)
    assert {r["state"] for r in rows} == {"posted", "draft", "reversed"}
    assert isinstance(rows[0]["date"], date) and currency.code == "SAR"
    # Newest first; a draft shows by its id (a negative number).
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)
    assert any(r["number"] < 0 for r in rows)


def test_refilter_keeps_the_find_text(books: Store, team: Team) -> None:
    source, _ = journal_source(books, team.clerk)
    source.set_filter("rent")
    refilter_journal(books, source, JournalFilter(date_to=date(2026, 1, 31)))
    assert source.filter_text == "rent"
    assert [r["memo"] for r in source.rows(0, 10)] == ["Rent 500 off", "Rent 50% off"]
