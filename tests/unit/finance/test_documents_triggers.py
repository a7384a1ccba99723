"""The database itself refuses what the documents service never does, whoever writes to it.

Each test opens the file with Python's own ``sqlite3`` module (no application code) and tries
to break a rule with raw SQL; the last ones drop the triggers and show ``bo db check`` finds
the damage instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.finance.document_checks import document_checks
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import add_parties, doc, pay

D = date(2026, 3, 10)


@pytest.fixture
def raw(store: Store, team: Team) -> Iterator[sqlite3.Connection]:
    """INV-2026-00001 (id 1, 523.25) partly paid by RCPT-2026-00001 (100.00), INV-2026-00002
    (id 2) open, BILL-2026-00001 (id 3) open, and a draft invoice (id 4)."""
    with store.write() as session:
        add_parties(session, team.clerk)
        first = doc(session, team.clerk)
        doc(session, team.clerk)
        doc(session, team.clerk, "bill", "S1")
        doc(session, team.clerk, post=False)
        pay(session, team.clerk, 20_000, (first.ref, 10_000))
    assert store.path is not None
    conn = sqlite3.connect(store.path, isolation_level=None)
    yield conn
    conn.close()


def _refused(conn: sqlite3.Connection, sql: str, message: str, *args: object) -> None:
    with pytest.raises(sqlite3.DatabaseError, match=message):
        conn.execute(sql, args)


@pytest.mark.parametrize(
    "change",
    [
        "net = 1, tax = 0, total = 1",
        "party_id = 2",
        "date = '2026-03-11'",
        "due_date = '2027-01-01'",
        "number = 'INV-2026-00099'",
        "entry_id = 2",
        "memo = 'edited'",
    ],
)
def test_a_posted_document_never_changes(raw: sqlite3.Connection, change: str) -> None:
    _refused(raw, f"UPDATE fin_document SET {change} WHERE id = 1", "cannot be changed")


def test_a_posted_document_is_never_deleted_nor_are_its_lines(raw: sqlite3.Connection) -> None:
    _refused(raw, "DELETE FROM fin_document WHERE id = 2", "cannot be changed or deleted")
    _refused(raw, "DELETE FROM fin_document_line WHERE document_id = 2", "only on a draft")
    _refused(raw, "UPDATE fin_document_line SET net = 1 WHERE document_id = 2", "only on a draft")
    _refused(
        raw,
        "INSERT INTO fin_document_line (document_id, line_no, description, quantity, "
        "unit_price, account_id, tax_code, net, tax) SELECT 2, 9, 'x', 1000, 1, account_id, "
        "'S15', 1, 0 FROM fin_document_line WHERE document_id = 2",
        "only on a draft",
    )
    # A draft's lines are free to change.
    raw.execute("UPDATE fin_document_line SET description = 'ok' WHERE document_id = 4")


def test_paid_and_status_follow_the_allocations(raw: sqlite3.Connection) -> None:
    _refused(raw, "UPDATE fin_document SET paid = 52325, status = 'paid' WHERE id = 1", "paid")
    _refused(raw, "UPDATE fin_document SET status = 'paid' WHERE id = 1", "paid")
    _refused(raw, "UPDATE fin_document SET status = 'posted' WHERE id = 1", "paid")


def test_documents_are_born_drafts_and_posted_only_with_their_entry(
    raw: sqlite3.Connection,
) -> None:
    _refused(
        raw,
        "INSERT INTO fin_document (kind, year, seq, number, party_id, date, due_date, "
        "reference, memo, status, net, tax, total, paid, entry_id, created_at, created_by) "
        "VALUES ('invoice', 2026, 3, 'INV-2026-00003', 1, '2026-03-10', '2026-03-10', '', '', "
        "'posted', 0, 0, 0, 0, 1, '2026-03-10', 'mallory')",
        "a new document is a draft",
    )
    # The draft (id 4), posted by hand with the number it would take but someone else's entry.
    _refused(
        raw,
        "UPDATE fin_document SET status = 'posted', year = 2026, seq = 3, "
        "number = 'INV-2026-00003', entry_id = 1 WHERE id = 4",
        "posting takes",
    )
    _refused(
        raw,
        "UPDATE fin_document SET status = 'posted', year = 2026, seq = 7, "
        "number = 'INV-2026-00007', entry_id = 1 WHERE id = 4",
        "posting takes",
    )


def test_a_void_needs_its_credit_note(raw: sqlite3.Connection) -> None:
    _refused(raw, "UPDATE fin_document SET status = 'void', voided_by_id = 2 WHERE id = 3", "void")


def test_allocations_stay_within_document_and_payment(raw: sqlite3.Connection) -> None:
    insert = (
        "INSERT INTO fin_allocation (payment_id, document_id, amount, date, created_at, "
        "created_by) VALUES (1, ?, ?, '2026-03-20', '2026-03-20', 'mallory')"
    )
    _refused(raw, insert, "cannot exceed", 2, 10_001)  # the payment has 100.00 left
    _refused(raw, insert, "applies a posted payment", 3, 100)  # a bill, from a receipt
    _refused(raw, insert, "applies a posted payment", 4, 100)  # a draft
    raw.execute(insert, (2, 10_000))  # within both: the trigger keeps paid and status
    row = raw.execute("SELECT paid, status FROM fin_document WHERE id = 2").fetchone()
    assert row == (10_000, "partly_paid")
    _refused(raw, "UPDATE fin_allocation SET amount = 1", "never changed or deleted")
    _refused(raw, "DELETE FROM fin_allocation", "never changed or deleted")


def test_a_payment_changes_only_by_its_void(raw: sqlite3.Connection) -> None:
    _refused(raw, "UPDATE fin_payment SET amount = 1", "cannot be changed")
    _refused(
        raw,
        "UPDATE fin_payment SET status = 'void', void_date = '2026-03-21', void_entry_id = 1",
        "cannot be changed",
    )
    _refused(raw, "DELETE FROM fin_payment", "cannot be changed")
    _refused(
        raw,
        "INSERT INTO fin_payment (direction, year, seq, number, party_id, date, amount, "
        "account_id, reference, memo, status, entry_id, created_at, created_by) "
        "VALUES ('received', 2026, 2, 'RCPT-2026-00002', 1, '2026-03-20', 500, 1, '', '', "
        "'posted', 1, '2026-03-20', 'mallory')",
        "entered posted",
    )


def test_the_store_check_finds_what_dropped_triggers_let_through(
    raw: sqlite3.Connection, store: Store
) -> None:
    with store.read() as session:
        assert all(r.ok for r in document_checks(session))
    for (name,) in raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
        "('fin_document', 'fin_document_line', 'fin_allocation', 'fin_payment')"
    ).fetchall():
        raw.execute(f"DROP TRIGGER {name}")
    raw.execute("UPDATE fin_document SET paid = 0, status = 'posted' WHERE id = 1")
    raw.execute("UPDATE fin_document_line SET tax = tax + 1 WHERE document_id = 2")
    raw.execute("UPDATE fin_payment SET amount = 1")
    with store.read() as session:
        failed = {r.name: r.detail for r in document_checks(session) if not r.ok}
    assert failed == {
        "documents: paid equals the allocations of live payments, credit notes and write-offs": (
            "INV-2026-00001"
        ),
        "documents: lines add up to net and tax": "INV-2026-00002",
        "payments: allocations stay within the amount, the entry matches the status": (
            "RCPT-2026-00001"
        ),
    }
