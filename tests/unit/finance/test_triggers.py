"""The database itself refuses what the ledger must never do, whoever writes to it.

Each test opens the file with Python's own ``sqlite3`` module (no application code, foreign
keys off as in a plain ``sqlite3`` shell) and tries to break a rule with raw SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.finance import service
from bo_console.finance.checks import ledger_checks
from tests.unit.finance.conftest import Poster, Team, sale

D = date(2026, 3, 10)


@pytest.fixture
def raw(store: Store, post: Poster) -> Iterator[sqlite3.Connection]:
    """A raw connection to a ledger with one posted entry (2026-000001, id 1)."""
    post(D, *sale(10000))
    assert store.path is not None
    conn = sqlite3.connect(store.path, isolation_level=None)
    yield conn
    conn.close()


def _account(conn: sqlite3.Connection, code: str) -> int:
    return int(conn.execute("SELECT id FROM fin_account WHERE code = ?", (code,)).fetchone()[0])


def _draft(conn: sqlite3.Connection, day: str, *lines: tuple[str, int, int]) -> int:
    cur = conn.execute(
        "INSERT INTO fin_entry (date, memo, source, state, total, created_at, created_by) "
        "VALUES (?, 'raw', 'manual', 'draft', ?, '2026-03-10 00:00:00', 'mallory')",
        (day, sum(d for _, d, _ in lines)),
    )
    entry_id = int(cur.lastrowid or 0)
    for number, (code, debit, credit) in enumerate(lines, start=1):
        conn.execute(
            "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
            "VALUES (?, ?, ?, ?, ?, ?, '')",
            (entry_id, number, _account(conn, code), day, debit, credit),
        )
    return entry_id


def _post(conn: sqlite3.Connection, entry_id: int, year: int = 2026) -> None:
    number = conn.execute(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM fin_entry WHERE year = ?", (year,)
    ).fetchone()[0]
    conn.execute(
        "UPDATE fin_entry SET state = 'posted', year = ?, number = ? WHERE id = ?",
        (year, number, entry_id),
    )


def _refused(conn: sqlite3.Connection, sql: str, *params: object, match: str = "") -> None:
    with pytest.raises(sqlite3.IntegrityError, match=match):
        conn.execute(sql, params)


def test_a_balanced_raw_posting_is_accepted_and_kept_in_the_balances(
    raw: sqlite3.Connection, store: Store
) -> None:
    entry_id = _draft(raw, "2026-03-11", ("6200", 500, 0), ("1110", 0, 500))
    _post(raw, entry_id)
    assert raw.execute("SELECT number FROM fin_entry WHERE id = ?", (entry_id,)).fetchone() == (2,)
    with store.read() as session:
        assert all(r.ok for r in ledger_checks(session))


def test_an_unbalanced_entry_cannot_be_posted(raw: sqlite3.Connection) -> None:
    entry_id = _draft(raw, "2026-03-11", ("6200", 500, 0), ("1110", 0, 499))
    with pytest.raises(sqlite3.IntegrityError, match="unbalanced"):
        _post(raw, entry_id)
    empty = _draft(raw, "2026-03-11")
    with pytest.raises(sqlite3.IntegrityError, match="unbalanced"):
        _post(raw, empty)


def _born_posted(
    conn: sqlite3.Connection, entry_id: int, day: str, total: int, **extra: object
) -> None:
    columns = {
        "id": entry_id,
        "year": int(day[:4]),
        "number": conn.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM fin_entry WHERE year = ?", (int(day[:4]),)
        ).fetchone()[0],
        "date": day,
        "memo": "bulk",
        "source": "import",
        "state": "posted",
        "total": total,
        "created_at": "2026-03-10 00:00:00",
        "created_by": "mallory",
    } | extra
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    conn.execute(f"INSERT INTO fin_entry ({names}) VALUES ({marks})", tuple(columns.values()))


def _lines_first(
    conn: sqlite3.Connection, entry_id: int, day: str, *lines: tuple[str, int, int]
) -> None:
    for number, (code, debit, credit) in enumerate(lines, start=1):
        conn.execute(
            "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
            "VALUES (?, ?, ?, ?, ?, ?, '')",
            (entry_id, number, _account(conn, code), day, debit, credit),
        )


def test_an_entry_is_born_posted_only_over_its_balanced_lines(
    raw: sqlite3.Connection, store: Store
) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="unbalanced"):
        _born_posted(raw, 50, "2026-03-11", 500)  # no lines in place
    _lines_first(raw, 50, "2026-03-11", ("6200", 500, 0), ("1110", 0, 499))
    with pytest.raises(sqlite3.IntegrityError, match="unbalanced"):
        _born_posted(raw, 50, "2026-03-11", 500)
    _lines_first(raw, 51, "2026-03-11", ("6200", 500, 0), ("1110", 0, 500))
    with pytest.raises(sqlite3.IntegrityError, match="unbalanced"):
        _born_posted(raw, 51, "2026-03-12", 500)  # lines of another date
    with pytest.raises(sqlite3.IntegrityError, match="unbalanced"):
        _born_posted(raw, 51, "2026-03-11", 400)  # a total that is not its debits
    with pytest.raises(sqlite3.IntegrityError, match="a new entry is a draft"):
        _born_posted(raw, 51, "2026-03-11", 500, reverses_id=1)
    with pytest.raises(sqlite3.IntegrityError, match="a new entry is a draft"):
        _born_posted(raw, 51, "2026-03-11", 500, state="reversed")
    _born_posted(raw, 51, "2026-03-11", 500)
    _refused(
        raw,
        "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
        "VALUES (51, 3, ?, '2026-03-11', 5, 0, '')",
        _account(raw, "6200"),
        match="only to a draft",
    )
    raw.execute("DELETE FROM fin_line WHERE entry_id = 50")  # the orphans, never posted
    with store.read() as session:
        assert all(r.ok for r in ledger_checks(session))
        balance = session.execute(
            text(
                "SELECT debit FROM fin_balance b JOIN fin_account a ON a.id = b.account_id "
                "WHERE a.code = '6200' AND b.period = '2026-03'"
            )
        ).scalar_one()
    assert balance == 500


def test_orphan_lines_are_found_by_the_check(
    raw: sqlite3.Connection, store: Store, team: Team
) -> None:
    # Lines may precede their entry (bulk imports), so only foreign keys, which a plain
    # sqlite3 shell leaves off, keep lines without an entry out; `bo db check` finds them.
    _lines_first(raw, 77, "2026-03-11", ("6200", 500, 0))
    with store.read() as session:
        month_end = service.trial_balance(session, team.clerk, date(2026, 3, 31))
        failed = [r.name for r in ledger_checks(session) if not r.ok]
    assert "6200" not in {r.code for r in month_end.rows} and month_end.balanced
    assert failed == ["ledger: every line belongs to an entry"]


def test_an_entry_cannot_be_born_reversed(raw: sqlite3.Connection) -> None:
    _refused(
        raw,
        "INSERT INTO fin_entry (date, memo, source, state, total, year, number, created_at, "
        "created_by) VALUES ('2026-03-11', '', 'manual', 'reversed', 0, 2026, 2, "
        "'2026-03-10 00:00:00', 'mallory')",
        match="a new entry is a draft",
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE fin_line SET debit = debit + 1 WHERE entry_id = 1 AND line_no = 1",
        "UPDATE fin_line SET account_id = account_id + 1 WHERE entry_id = 1",
        "UPDATE fin_line SET memo = 'x' WHERE entry_id = 1",
        "UPDATE fin_line SET date = '2026-03-12' WHERE entry_id = 1",
        "DELETE FROM fin_line WHERE entry_id = 1 AND line_no = 3",
        "DELETE FROM fin_line",
    ],
)
def test_posted_lines_cannot_change_or_go(raw: sqlite3.Connection, sql: str) -> None:
    _refused(raw, sql, match="posted entry")


def test_no_line_can_be_added_to_a_posted_entry(raw: sqlite3.Connection) -> None:
    _refused(
        raw,
        "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
        "VALUES (1, 9, ?, '2026-03-10', 5, 0, '')",
        _account(raw, "6200"),
        match="only to a draft",
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE fin_entry SET date = '2026-04-01' WHERE id = 1",
        "UPDATE fin_entry SET memo = 'edited' WHERE id = 1",
        "UPDATE fin_entry SET number = 7 WHERE id = 1",
        "UPDATE fin_entry SET total = 1 WHERE id = 1",
        "UPDATE fin_entry SET state = 'draft', number = NULL, year = NULL WHERE id = 1",
        "UPDATE fin_entry SET state = 'reversed', reversed_by_id = 1 WHERE id = 1",
        "DELETE FROM fin_entry WHERE id = 1",
    ],
)
def test_posted_entries_cannot_change_or_go(raw: sqlite3.Connection, sql: str) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute(sql)


def test_nothing_is_posted_into_a_closed_period(raw: sqlite3.Connection) -> None:
    raw.execute(
        "INSERT INTO fin_period (period, status, changed_at, changed_by) "
        "VALUES ('2026-02', 'closed', '2026-03-01 00:00:00', 'layla')"
    )
    entry_id = _draft(raw, "2026-02-27", ("6200", 500, 0), ("1110", 0, 500))
    with pytest.raises(sqlite3.IntegrityError, match="closed period"):
        _post(raw, entry_id)
    _refused(raw, "DELETE FROM fin_period WHERE period = '2026-02'", match="closed period")


def test_entry_numbers_have_no_gaps(raw: sqlite3.Connection) -> None:
    entry_id = _draft(raw, "2026-03-11", ("6200", 500, 0), ("1110", 0, 500))
    _refused(
        raw,
        "UPDATE fin_entry SET state = 'posted', year = 2026, number = 5 WHERE id = ?",
        entry_id,
        match="gapless",
    )
    _refused(
        raw,
        "UPDATE fin_entry SET state = 'posted', year = 2025, number = 1 WHERE id = ?",
        entry_id,
        match="year",
    )


def test_a_line_carries_its_entry_date(raw: sqlite3.Connection) -> None:
    entry_id = _draft(raw, "2026-03-11", ("6200", 500, 0))
    _refused(
        raw,
        "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
        "VALUES (?, 2, ?, '2026-01-01', 0, 500, '')",
        entry_id,
        _account(raw, "1110"),
        match="date",
    )
    raw.execute("UPDATE fin_entry SET date = '2026-03-12' WHERE id = ?", (entry_id,))
    assert raw.execute("SELECT date FROM fin_line WHERE entry_id = ?", (entry_id,)).fetchall() == [
        ("2026-03-12",)
    ]


def test_a_reversal_mark_needs_a_posted_reversal(raw: sqlite3.Connection) -> None:
    unrelated = _draft(raw, "2026-03-11", ("6200", 500, 0), ("1110", 0, 500))
    _post(raw, unrelated)
    _refused(
        raw,
        "UPDATE fin_entry SET state = 'reversed', reversed_by_id = ? WHERE id = 1",
        unrelated,
        match="reverse it instead",
    )


def test_checks_find_tampering_with_the_balances(raw: sqlite3.Connection, store: Store) -> None:
    raw.execute(
        "UPDATE fin_balance SET debit = debit + 1 WHERE period = '2026-03' AND account_id = ?",
        (_account(raw, "1110"),),
    )
    with store.read() as session:
        failed = [r.name for r in ledger_checks(session) if not r.ok]
    assert "ledger: monthly balances equal the lines" in failed
    assert "ledger: debits equal credits" in failed


def test_checks_find_an_entry_posted_with_the_triggers_dropped(
    raw: sqlite3.Connection, store: Store, team: Team
) -> None:
    raw.execute("DROP TRIGGER fin_entry_post")
    entry_id = _draft(raw, "2026-03-11", ("6200", 500, 0), ("1110", 0, 400))
    raw.execute(
        "UPDATE fin_entry SET state = 'posted', year = 2026, number = 9 WHERE id = ?", (entry_id,)
    )
    with store.read() as session:
        failed = {r.name for r in ledger_checks(session) if not r.ok}
        tb = service.trial_balance(session, team.clerk, date(2026, 3, 31))
    assert {
        "ledger: debits equal credits",
        "ledger: every posted entry balances",
        "ledger: entry numbers have no gaps",
    } <= failed
    assert not tb.balanced


@pytest.mark.parametrize("amount", [0.5, 1e25, 10**16])
def test_checks_find_amounts_that_are_not_whole_minor_units(
    raw: sqlite3.Connection, store: Store, amount: object
) -> None:
    # The columns are INTEGER only by affinity: a raw session can store a fraction of a unit,
    # or a number too large for 64 bits (kept as REAL), balanced so no trigger objects.
    cur = raw.execute(
        "INSERT INTO fin_entry (date, memo, source, state, total, created_at, created_by) "
        "VALUES ('2026-03-11', 'raw', 'manual', 'draft', ?, '2026-03-10 00:00:00', 'mallory')",
        (amount,),
    )
    entry_id = int(cur.lastrowid or 0)
    for number, code, debit, credit in ((1, "6200", amount, 0), (2, "1110", 0, amount)):
        raw.execute(
            "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
            "VALUES (?, ?, ?, '2026-03-11', ?, ?, '')",
            (entry_id, number, _account(raw, code), debit, credit),
        )
    _post(raw, entry_id)
    with store.read() as session:
        failed = {r.name: r.detail for r in ledger_checks(session) if not r.ok}
    assert f"#{entry_id}" in failed["ledger: amounts are whole minor units"]
