"""F3: control accounts take lines only from their sub-ledgers; `bo db check` proves it."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import RuleViolation
from bo_console.departments import check_store
from bo_console.finance import service
from tests.unit.finance.conftest import Poster, Team, entry

D = date(2026, 11, 10)


@pytest.mark.parametrize(
    ("lines", "words"),
    [
        ((("1210", 500, 0), ("4100", 0, 500)), "1210 is the receivables control account"),
        ((("6400", 700, 0), ("2110", 0, 700)), "2110 is the payables control account"),
        ((("2210", 100, 0), ("1110", 0, 100)), "2210 is a VAT account"),
        ((("6100", 100, 0), ("2300", 0, 100)), "2300 is the payroll payable control account"),
        ((("1320", 100, 0), ("1110", 0, 100)), "1320 is the goods in transit control account"),
    ],
)
def test_a_manual_entry_cannot_post_to_a_control_account(
    store: Store, team: Team, post: Poster, lines: tuple[tuple[str, int, int], ...], words: str
) -> None:
    with pytest.raises(RuleViolation, match=words):
        post(D, *lines)
    with pytest.raises(RuleViolation, match=words), store.write() as session:
        service.create_draft(session, team.clerk, entry(D, *lines))


def test_vat_moves_with_a_tax_code_or_between_vat_accounts(store: Store, post: Poster) -> None:
    post(D, ("1110", 115, 0), ("4100", 0, 100, "S15"), ("2210", 0, 15, "S15"))
    post(D, ("2210", 15, 0), ("2220", 0, 15))  # the return's settlement


def test_db_check_finds_a_stray_line_on_a_control_account(
    store: Store, team: Team, post: Poster
) -> None:
    post(D, ("1110", 500, 0), ("3100", 0, 500))
    assert all(r.ok for r in check_store(store, team.admin))
    assert store.path is not None
    conn = sqlite3.connect(store.path, isolation_level=None)
    ids = dict(conn.execute("SELECT code, id FROM fin_account").fetchall())
    conn.execute(
        "INSERT INTO fin_entry (id, date, memo, source, state, total, created_at, created_by) "
        "VALUES (9903, '2026-11-10', 'x', 'manual', 'draft', 500, '2026-11-10 00:00:00', 'x')"
    )
    conn.execute(
        "INSERT INTO fin_line (entry_id, line_no, account_id, date, debit, credit, memo) "
        "VALUES (9903, 1, ?, '2026-11-10', 500, 0, ''), (9903, 2, ?, '2026-11-10', 0, 500, '')",
        (ids["1210"], ids["4100"]),
    )
    conn.execute("UPDATE fin_entry SET state = 'posted', year = 2026, number = 2 WHERE id = 9903")
    conn.close()
    failed = {r.name: r.detail for r in check_store(store, team.admin) if not r.ok}
    assert (
        "1210: 1 line(s) from other sources"
        in failed["control accounts: lines only from their sub-ledgers"]
    )
    assert (
        "sub-ledger 0 <> 1210 500"
        in failed["receivables: open documents less payments on account equal 1210"]
    )
