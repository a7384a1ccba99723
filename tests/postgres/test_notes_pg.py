"""Credit notes and write-offs on PostgreSQL: the service works there, and the triggers of
the ``0014`` migration refuse raw SQL as the SQLite ones do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import notes, service
from bo_console.finance.ledger.controls import control_checks
from bo_console.finance.note_models import NoteCreate, NoteLineCreate
from tests.unit.finance.documents_helpers import add_parties, doc, pay


def _refused(store: Store, sql: str, message: str) -> None:
    with pytest.raises(DBAPIError, match=message), store.write() as session:
        session.execute(text(sql))


def test_notes_and_write_offs_on_postgresql(
    pg_store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    del make_user
    with pg_store.write() as session:
        add_parties(session, admin)
        paid = doc(session, admin, day=date(2026, 4, 10))
        pay(session, admin, 52_325, (paid.ref, None), day=date(2026, 4, 12))
        open_ = doc(session, admin, day=date(2026, 4, 20))
        draft = doc(session, admin, day=date(2026, 4, 20), post=False)
        note = notes.issue_note(
            session,
            admin,
            NoteCreate(
                kind="credit",
                original=paid.ref,
                date=date(2026, 4, 25),
                lines=[NoteLineCreate(line=1, quantity=8_000)],
            ),
        )
        notes.apply_note(session, admin, note.number, open_.ref, on=date(2026, 4, 25))
        notes.write_off(session, admin, open_.ref, on=date(2026, 4, 30), insolvent=True)
        assert all(r.ok for r in control_checks(session))
        draft_id = draft.id
    # 2 of 10 left on the paid invoice's line: a line crediting 3 is refused
    _refused(
        pg_store,
        "INSERT INTO fin_note_line (note_id, line_no, original_line_no, description, quantity,"
        " account_id, tax_code, net, tax) SELECT 1, 2, 1, 'x', 3000, account_id, tax_code, 1, 0"
        " FROM fin_document_line WHERE document_id = 1",
        "within the note|cannot exceed",
    )
    _refused(pg_store, "UPDATE fin_note SET total = 1", "never changed")
    _refused(pg_store, "DELETE FROM fin_note_application", "never changed")
    _refused(pg_store, "DELETE FROM fin_writeoff", "never changed")
    _refused(
        pg_store,
        "INSERT INTO fin_note (kind, year, seq, number, original_id, party_id, date, reason,"
        " net, tax, total, applied, entry_id, created_at, created_by) VALUES ('sales_credit',"
        f" 2026, 2, 'CRN-2026-00002', {draft_id}, 1, '2026-04-25', '', 1, 0, 1, 0, 1, now(),"
        " 'x')",
        "on a posted invoice or bill",
    )
    with pg_store.write() as session:
        service.close_period(session, admin, "2026-04")
    _refused(
        pg_store,
        "INSERT INTO fin_note (kind, year, seq, number, original_id, party_id, date, reason,"
        " net, tax, total, applied, entry_id, created_at, created_by) VALUES ('sales_credit',"
        " 2026, 2, 'CRN-2026-00002', 1, 1, '2026-04-26', '', 1, 0, 1, 0, 1, now(), 'x')",
        "closed month",
    )
