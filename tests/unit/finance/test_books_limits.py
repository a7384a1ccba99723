"""F1: the books' first month and the forward limit, in the service and in the database."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from bo_console.core.clock import today
from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation
from bo_console.finance import service
from tests.unit.finance.conftest import Poster, Team, entry, sale

DEC = date(2025, 12, 10)


def _close_first_month(store: Store, team: Team, post: Poster) -> None:
    post(DEC, *sale(1000))
    with store.write() as session:
        service.close_period(session, team.manager, "2025-12")


def test_months_before_the_first_close_are_closed(store: Store, team: Team, post: Poster) -> None:
    _close_first_month(store, team, post)
    with pytest.raises(RuleViolation, match="books start in 2025-12"):
        post(date(2019, 6, 15), *sale(100))
    with store.read() as session:
        assert service.is_closed(session, "2019-06")
        periods = service.list_periods(session, team.clerk, year=2025)
        limits = service.book_limits(session, team.clerk)
    assert limits.books_start == "2025-12"
    assert [p.status for p in periods[:11]] == ["closed"] * 11
    assert periods[0].before_books and not periods[11].before_books
    with store.reading() as reader:
        assert service.list_periods(reader, team.clerk, year=2025) == periods
        assert service.book_limits(reader, team.clerk) == limits
    with store.write() as session:
        draft = service.create_draft(session, team.clerk, entry(date(2026, 1, 5), *sale(100)))
    assert draft.state == "draft"


def test_the_database_refuses_a_posting_before_the_books(
    store: Store, team: Team, post: Poster
) -> None:
    _close_first_month(store, team, post)
    assert store.path is not None
    conn = sqlite3.connect(store.path, isolation_level=None)
    bank = conn.execute("SELECT id FROM fin_account WHERE code = '1110'").fetchone()[0]
    equity = conn.execute("SELECT id FROM fin_account WHERE code = '3100'").fetchone()[0]
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
        "VALUES (9901, 1, ?, '2019-06-15', 100, 0, ''), (9901, 2, ?, '2019-06-15', 0, 100, '')",
        (bank, equity),
    )
    with pytest.raises(sqlite3.IntegrityError, match="books' first month"):
        conn.execute(
            "INSERT INTO fin_entry (id, year, number, date, memo, source, state, total, "
            "created_at, created_by) VALUES (9901, 2019, 1, '2019-06-15', 'x', 'manual', "
            "'posted', 100, '2026-01-01 00:00:00', 'x')"
        )
    conn.execute("ROLLBACK")
    # a draft dated before the books, posted by an UPDATE
    conn.execute(
        "INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by) "
        "VALUES (9902, '2019-06-15', 'x', 'manual', 'draft', 100, '2026-01-01 00:00:00', 'x')"
    )
    conn.execute(
        "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
        "VALUES (9902, 1, ?, '2019-06-15', 100, 0, ''), (9902, 2, ?, '2019-06-15', 0, 100, '')",
        (bank, equity),
    )
    with pytest.raises(sqlite3.IntegrityError, match="books' first month"):
        conn.execute(
            "UPDATE fin_entry SET state = 'posted', year = 2019, number = 1 WHERE id = 9902"
        )
    conn.close()


def test_far_future_needs_a_finance_manager(store: Store, team: Team, post: Poster) -> None:
    far = today() + timedelta(days=40)
    with pytest.raises(PermissionDenied, match="finance manager"):
        post(far, *sale(100))
    post(today() + timedelta(days=20), *sale(100))
    with store.write() as session:
        posted = service.post_entry(session, team.manager, entry(far, *sale(100)))
    assert posted.state == "posted"
    with store.write() as session:
        service.set_book_limits(session, team.manager, days=60)
    post(far, *sale(100))


def test_only_an_admin_moves_the_books_start(store: Store, team: Team, post: Poster) -> None:
    _close_first_month(store, team, post)
    with pytest.raises(PermissionDenied, match="admin"), store.write() as session:
        service.set_book_limits(session, team.manager, start="2025-01")
    with pytest.raises(RuleViolation, match="cannot start after"), store.write() as session:
        service.set_book_limits(session, team.admin, start="2026-01")
    with store.write() as session:
        service.set_book_limits(session, team.admin, start="2019-01", reason="history")
    post(date(2019, 6, 15), *sale(100))
