"""What a raw ``sqlite3`` session could do to a closed month, refused by the database or found by
``bo db check``: dates in other formats, and a month reopened, posted into and closed again."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.departments import check_store as check
from bo_console.finance import service
from tests.unit.finance.conftest import Poster, Team, sale

MAY = date(2026, 5, 10)


def _db(store: Store) -> sqlite3.Connection:
    assert store.path is not None
    return sqlite3.connect(store.path, isolation_level=None)


def _failed(store: Store, team: Team) -> dict[str, str]:
    return {r.name: r.detail for r in check(store, team.admin) if not r.ok}


def _ids(conn: sqlite3.Connection) -> tuple[int, int, int]:
    bank, equity = (
        conn.execute("SELECT id FROM fin_account WHERE code = ?", (code,)).fetchone()[0]
        for code in ("1110", "3100")
    )
    last = conn.execute("SELECT COALESCE(MAX(number), 0) FROM fin_entry").fetchone()[0]
    return bank, equity, last + 1


def _forge_posting(conn: sqlite3.Connection, day: object) -> None:
    """The reviewer's backdated posting: lines, then the entry born posted."""
    bank, equity, number = _ids(conn)
    conn.execute(
        "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
        "VALUES (99103, 1, ?, ?, 777700, 0, ''), (99103, 2, ?, ?, 0, 777700, '')",
        (bank, day, equity, day),
    )
    conn.execute(
        "INSERT INTO fin_entry (id, year, number, date, memo, source, state, total, created_at,"
        " created_by, posted_at, posted_by) VALUES (99103, 2026, ?, ?, 'backdated', 'manual',"
        " 'posted', 777700, '2026-11-27 10:00:00.000000', 'layla',"
        " '2026-11-27 10:00:00.000000', 'layla')",
        (number, day),
    )


def test_a_legitimate_close_and_reopen_pass_the_check(
    store: Store, team: Team, post: Poster
) -> None:
    post(MAY, *sale(100))
    with store.write() as session:
        service.close_period(session, team.manager, "2026-05")
    with store.write() as session:
        service.reopen_period(session, team.admin, "2026-05", reason="late invoice")
    post(MAY, *sale(50))
    with store.write() as session:
        service.close_period(session, team.manager, "2026-05")
    assert _failed(store, team) == {}


def test_reopening_a_month_in_raw_sql_to_post_into_it_is_found(
    store: Store, team: Team, post: Poster
) -> None:
    post(MAY, *sale(100))
    with store.write() as session:
        service.close_period(session, team.manager, "2026-05")
    conn = _db(store)
    conn.execute("BEGIN")
    conn.execute("UPDATE fin_period SET status = 'open' WHERE period = '2026-05'")
    _forge_posting(conn, "2026-05-10")
    conn.execute("UPDATE fin_period SET status = 'closed' WHERE period = '2026-05'")
    conn.execute("COMMIT")
    conn.close()
    failed = _failed(store, team)
    assert "2026-05 open" in failed["ledger: month closes and reopens are audited"]
    # The forger backdated posted_at, so only the unaudited reopen and close give it away.
    assert "2026-05 closed" in failed["ledger: month closes and reopens are audited"]


def test_a_raw_reopen_alone_is_found(store: Store, team: Team) -> None:
    with store.write() as session:
        service.close_period(session, team.manager, "2026-05")
    conn = _db(store)
    conn.execute("UPDATE fin_period SET status = 'open' WHERE period = '2026-05'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM fin_period_change")
    conn.close()
    assert "ledger: month closes and reopens are audited" in _failed(store, team)


@pytest.mark.parametrize("day", [20260510, "2026-5-10", "2026-05-10 ", "2026-02-30", "10/05/2026"])
def test_dates_in_other_formats_are_refused(store: Store, team: Team, day: object) -> None:
    with store.write() as session:
        service.close_period(session, team.manager, "2026-05")
    conn = _db(store)
    conn.execute("BEGIN")
    with pytest.raises(sqlite3.IntegrityError, match="YYYY-MM-DD"):
        _forge_posting(conn, day)
    conn.execute("ROLLBACK")
    conn.close()


def test_a_bad_date_that_got_past_the_triggers_is_found(store: Store, team: Team) -> None:
    conn = _db(store)
    conn.execute("DROP TRIGGER fin_line_date_iso_insert")
    conn.execute("DROP TRIGGER fin_entry_date_iso_insert")
    conn.execute("BEGIN")
    _forge_posting(conn, "2026-5-10")
    conn.execute("COMMIT")
    conn.close()
    assert "fin_entry.date row 99103" in _failed(store, team)["dates are ISO dates"]
