"""The database itself refuses a note, a note line, an application or a write-off the service
never writes. Each test opens the file with Python's own ``sqlite3`` module and tries raw SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.finance import notes, service
from bo_console.finance.note_models import NoteCreate, NoteLineCreate
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import add_parties, doc

D = date(2026, 4, 10)


@pytest.fixture
def raw(store: Store, team: Team) -> Iterator[sqlite3.Connection]:
    """INV-2026-00001 (id 1, 10 x 45.50) with CRN-2026-00001 (id 1) crediting 8 of the 10,
    a draft invoice (id 2), and March closed."""
    with store.write() as session:
        add_parties(session, team.clerk)
        invoice = doc(session, team.clerk, day=D)
        doc(session, team.clerk, day=D, post=False)
        notes.issue_note(
            session,
            team.clerk,
            NoteCreate(
                kind="credit",
                original=invoice.ref,
                date=D,
                lines=[NoteLineCreate(line=1, quantity=8_000)],
            ),
        )
        service.close_period(session, team.manager, "2026-03")
    assert store.path is not None
    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    yield conn
    conn.close()


def _refused(conn: sqlite3.Connection, sql: str, message: str) -> None:
    with pytest.raises(sqlite3.DatabaseError, match=message):
        conn.execute(sql)


def _note(original: int = 1, day: str = "2026-04-11", seq: int = 2) -> str:
    return (
        "INSERT INTO fin_note (kind, year, seq, number, original_id, party_id, date, reason, "
        "net, tax, total, applied, entry_id, created_at, created_by) VALUES ('sales_credit', "
        f"2026, {seq}, 'CRN-2026-0000{seq}', {original}, 1, '{day}', '', 100, 15, 115, 0, 1, "
        "'2026-04-11 00:00:00', 'mallory')"
    )


def test_over_credit_of_a_line_is_refused(raw: sqlite3.Connection) -> None:
    # 2 of 10 are left on line 1: a line for 3 more is refused, however the note is made
    raw.execute("DROP TRIGGER fin_note_insert")
    raw.execute(_note())
    note_id = raw.execute("SELECT id FROM fin_note WHERE seq = 2").fetchone()[0]
    _refused(
        raw,
        "INSERT INTO fin_note_line (note_id, line_no, original_line_no, description, quantity, "
        f"account_id, tax_code, net, tax) SELECT {note_id}, 1, 1, 'x', 3000, account_id, "
        "tax_code, 100, 15 FROM fin_document_line WHERE document_id = 1",
        "cannot exceed the quantity, amount or VAT that remains",
    )
    _refused(
        raw,
        "INSERT INTO fin_note_line (note_id, line_no, original_line_no, description, quantity, "
        f"account_id, tax_code, net, tax) SELECT {note_id}, 1, 1, 'x', 0, account_id, "
        "'Z', 100, 15 FROM fin_document_line WHERE document_id = 1",
        "names a line of the original document",
    )


def test_a_note_against_a_draft_is_refused(raw: sqlite3.Connection) -> None:
    _refused(raw, _note(original=2), "on a posted invoice or bill")


def test_a_note_in_a_closed_month_after_its_invoice_is_refused(store: Store, team: Team) -> None:
    with store.write() as session:
        add_parties(session, team.clerk)
        doc(session, team.clerk, day=date(2026, 3, 2))
        service.close_period(session, team.manager, "2026-03")
    assert store.path is not None
    conn = sqlite3.connect(store.path, isolation_level=None)
    try:
        _refused(conn, _note(day="2026-03-20", seq=1), "cannot issue a note in a closed month")
    finally:
        conn.close()


def test_a_note_out_of_sequence_or_without_its_entry_is_refused(raw: sqlite3.Connection) -> None:
    _refused(raw, _note(seq=5), "next number")
    _refused(raw, _note(), "next number")  # entry 1 is not this note's


def test_notes_lines_and_applications_never_change(raw: sqlite3.Connection) -> None:
    _refused(raw, "UPDATE fin_note SET total = 1 WHERE id = 1", "never changed")
    _refused(raw, "UPDATE fin_note SET applied = 0 WHERE id = 1", "never changed")
    _refused(raw, "DELETE FROM fin_note WHERE id = 1", "never changed")
    _refused(raw, "UPDATE fin_note_line SET quantity = 1", "never changed")
    _refused(raw, "DELETE FROM fin_note_line", "never changed")
    _refused(raw, "UPDATE fin_note_application SET amount = 1", "never changed")
    _refused(raw, "DELETE FROM fin_note_application", "never changed")


def test_an_application_beyond_the_note_or_the_document_is_refused(
    raw: sqlite3.Connection,
) -> None:
    _refused(
        raw,
        "INSERT INTO fin_note_application (note_id, document_id, amount, date, reference, "
        "created_at, created_by) VALUES (1, 1, 1, '2026-04-12', '', '2026-04-12', 'mallory')",
        "more than the note has left",
    )


def test_a_document_with_notes_cannot_be_voided(raw: sqlite3.Connection) -> None:
    _refused(raw, "UPDATE fin_document SET status = 'void' WHERE id = 1", "cannot be voided|void")


def test_a_write_off_of_less_than_the_remainder_is_refused(raw: sqlite3.Connection) -> None:
    _refused(
        raw,
        "INSERT INTO fin_writeoff (year, seq, number, kind, document_id, date, amount, tax, "
        "account_id, reason, entry_id, created_at, created_by) VALUES (2026, 1, "
        "'WO-2026-00001', 'bad_debt', 1, '2026-04-12', 1, 0, 1, '', 1, '2026-04-12', 'm')",
        "whole remainder",
    )
