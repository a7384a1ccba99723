"""Invoices and bills: drafting, posting through the ledger, numbering, voiding by credit note,
permissions and the rules on parties, lines and periods."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.finance import documents, parties, service
from bo_console.finance.document_models import Document
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import GLOVES, add_parties, doc, pay

D = date(2026, 3, 10)


@pytest.fixture
def books(store: Store, team: Team) -> Store:
    with store.write() as session:
        add_parties(session, team.clerk)
    return store


def _entry_lines(session: Session, entry_id: int | None) -> list[tuple[str, int, int, str | None]]:
    rows = session.execute(
        text(
            "SELECT a.code, l.debit, l.credit, l.tax_code FROM fin_line l "
            "JOIN fin_account a ON a.id = l.account_id WHERE l.entry_id = :e ORDER BY l.line_no"
        ),
        {"e": entry_id},
    ).all()
    return [(str(r[0]), int(r[1]), int(r[2]), r[3]) for r in rows]


def _audit(session: Session, entity: str) -> list[tuple[str, str]]:
    rows = session.execute(
        text("SELECT action, entity_id FROM audit_event WHERE entity = :e ORDER BY id"),
        {"e": entity},
    ).all()
    return [(str(a), str(i)) for a, i in rows]


def test_an_invoice_is_drafted_then_posted_through_the_ledger(books: Store, team: Team) -> None:
    with books.write() as session:
        draft = doc(session, team.clerk, post=False)
        assert (draft.status, draft.number, draft.ref) == ("draft", None, f"draft #{draft.id}")
        assert (draft.net, draft.tax, draft.total) == (45_500, 6_825, 52_325)
        assert draft.due_date == D + timedelta(days=30)  # C1's payment terms
        posted = documents.post_document(session, team.clerk, draft.id or 0)
        assert (posted.number, posted.status) == ("INV-2026-00001", "posted")
        entry = service.find_entry(session, f"#{posted.entry_id}")
        assert (entry.source, entry.source_ref, entry.date, entry.total) == (
            "invoice",
            "INV-2026-00001",
            D,
            52_325,
        )
        assert _entry_lines(session, posted.entry_id) == [
            ("1210", 52_325, 0, None),
            ("4100", 0, 45_500, "S15"),
            ("2210", 0, 6_825, "S15"),
        ]
        assert _audit(session, "invoice") == [
            ("create", f"draft #{draft.id}"),
            ("post", "INV-2026-00001"),
        ]


def test_a_bill_debits_expense_and_input_vat_against_payables(books: Store, team: Team) -> None:
    lines = [
        ("Racking repair", 1_000, 100_000, "S15", "6240"),
        ("Customs", 1_000, 5_000, "E", "6420"),
    ]
    with books.write() as session:
        bill = doc(session, team.clerk, "bill", "S1", lines=lines, reference="GP-7")
        assert bill.number == "BILL-2026-00001" and bill.due_date == D + timedelta(days=60)
        assert _entry_lines(session, bill.entry_id) == [
            ("2110", 0, 120_000, None),
            ("6240", 100_000, 0, "S15"),
            ("6420", 5_000, 0, "E"),
            ("1430", 15_000, 0, "S15"),
        ]


def test_lines_on_the_same_account_and_code_post_as_one_line(books: Store, team: Team) -> None:
    lines = [GLOVES, ("Masks", 3_000, 1_000, "S15"), ("Export", 1_000, 20_000, "Z")]
    with books.write() as session:
        invoice = doc(session, team.clerk, lines=lines)
        assert _entry_lines(session, invoice.entry_id) == [
            ("1210", 75_775, 0, None),
            ("4100", 0, 48_500, "S15"),
            ("4100", 0, 20_000, "Z"),
            ("2210", 0, 7_275, "S15"),
        ]


def test_numbers_run_per_kind_and_year_in_posting_order(books: Store, team: Team) -> None:
    with books.write() as session:
        first = doc(session, team.clerk, day=date(2026, 5, 1))
        draft = doc(session, team.clerk, post=False)
        documents.delete_draft(session, team.clerk, draft.id or 0)  # drafts take no number
        second = doc(session, team.clerk, day=date(2026, 2, 1))
        bill = doc(session, team.clerk, "bill", "S1")
        next_year = doc(session, team.clerk, day=date(2027, 1, 2))
        both = doc(session, team.clerk, "bill", "B1")
    assert [first.number, second.number, bill.number, next_year.number, both.number] == [
        "INV-2026-00001",
        "INV-2026-00002",
        "BILL-2026-00001",
        "INV-2027-00001",
        "BILL-2026-00002",
    ]


def test_who_may_do_what(books: Store, team: Team) -> None:
    with books.write() as session:
        with pytest.raises(PermissionDenied, match="finance.post"):
            doc(session, team.auditor)
        invoice = doc(session, team.clerk)
        with pytest.raises(PermissionDenied, match="finance.manage"):
            documents.void_document(session, team.clerk, invoice.number or "", on=D)
    with books.read() as session:
        rows = documents.list_documents(session, team.auditor, documents.DocumentFilter())
        view = documents.get_document(session, team.auditor, "INV-2026-00001")
    assert [r.ref for r in rows] == ["INV-2026-00001"] and view.row.total == Decimal("523.25")


def test_parties_must_fit_the_document(books: Store, team: Team) -> None:
    with books.write() as session:
        with pytest.raises(RuleViolation, match="not a customer"):
            doc(session, team.clerk, "invoice", "S1")
        with pytest.raises(RuleViolation, match="not a supplier"):
            doc(session, team.clerk, "bill", "C1")
        parties.set_active(session, team.clerk, "C1", active=False)
        with pytest.raises(RuleViolation, match="inactive"):
            doc(session, team.clerk, "invoice", "C1")
        with pytest.raises(NotFound):
            doc(session, team.clerk, "invoice", "NOPE")


def test_a_draft_whose_party_became_inactive_cannot_be_posted(books: Store, team: Team) -> None:
    with books.write() as session:
        draft = doc(session, team.clerk, post=False)
        parties.set_active(session, team.clerk, "C1", active=False)
        with pytest.raises(RuleViolation, match="inactive"):
            documents.post_document(session, team.clerk, draft.id or 0)


@pytest.mark.parametrize(
    ("kind", "line", "message"),
    [
        ("invoice", ("x", 1_000, 100, "VAT99"), "no tax code"),
        ("bill", ("x", 1_000, 100, "S15", ""), "needs the account"),
        ("invoice", ("x", 1_000, 100, "S15", "1210"), "control account"),
        ("invoice", ("x", 1_000, 100, "S15", "4000"), "a group"),
        ("invoice", ("x", 1_000, 100, "S15", "9999"), "no account"),
    ],
)
def test_lines_need_a_known_tax_code_and_a_usable_account(
    books: Store, team: Team, kind: str, line: tuple[str, int, int, str, str], message: str
) -> None:
    party = "C1" if kind == "invoice" else "S1"
    with books.write() as session, pytest.raises(ValidationFailed, match=message):
        doc(session, team.clerk, kind, party, lines=[line])


def test_nothing_to_post_on_a_zero_document(books: Store, team: Team) -> None:
    with books.write() as session:
        draft = doc(session, team.clerk, lines=[("Free sample", 1_000, 0, "S15")], post=False)
        with pytest.raises(RuleViolation, match="totals zero"):
            documents.post_document(session, team.clerk, draft.id or 0)


def test_posting_into_a_closed_month_changes_nothing(books: Store, team: Team) -> None:
    with books.write() as session:
        draft = doc(session, team.clerk, post=False)
        service.close_period(session, team.manager, "2026-03")
    with pytest.raises(RuleViolation, match="closed"), books.write() as session:
        documents.post_document(session, team.clerk, draft.id or 0)
    with books.read() as session:
        again = session.get(Document, draft.id)
        assert again is not None and again.status == "draft" and again.number is None
        assert session.execute(text("SELECT count(*) FROM fin_entry")).scalar_one() == 0


def test_a_credit_note_voids_an_invoice_and_reverses_its_entry(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        note = documents.void_document(
            session, team.manager, "inv-2026-00001", on=D + timedelta(days=5), reason="wrong"
        )
        assert (note.number, note.kind, note.status, note.date) == (
            "CN-2026-00001",
            "credit_note",
            "posted",
            D + timedelta(days=5),
        )
        assert (invoice.status, invoice.voided_by_id, note.voids_id) == (
            "void",
            note.id,
            invoice.id,
        )
        original = service.find_entry(session, f"#{invoice.entry_id}")
        reversal = service.find_entry(session, f"#{note.entry_id}")
        assert original.state == "reversed" and reversal.reverses_id == original.id
        assert _entry_lines(session, note.entry_id) == [
            ("1210", 0, 52_325, None),
            ("4100", 45_500, 0, "S15"),
            ("2210", 6_825, 0, "S15"),
        ]
        view = documents.get_document(session, team.clerk, "CN-2026-00001")
        assert view.voids == "INV-2026-00001" and len(view.lines) == 1
        assert ("void", "INV-2026-00001") in _audit(session, "invoice")
        with pytest.raises(RuleViolation, match="already void"):
            documents.void_document(session, team.manager, "INV-2026-00001", on=D)
    with books.read() as session:
        rows = service.trial_balance(session, team.clerk, D.replace(day=31)).rows
        tb = {r.code: r.balance for r in rows}
        assert tb.get("1210", Decimal(0)) == tb.get("4100", Decimal(0)) == Decimal(0)


def test_a_bill_is_voided_by_a_supplier_credit_note(books: Store, team: Team) -> None:
    with books.write() as session:
        doc(session, team.clerk, "bill", "S1", reference="GP-1")
        note = documents.void_document(session, team.manager, "BILL-2026-00001", on=D)
        assert (note.number, note.kind) == ("SCN-2026-00001", "supplier_credit")
        # The supplier's reference is free again once its bill is void.
        again = doc(session, team.clerk, "bill", "S1", reference="GP-1")
        assert again.number == "BILL-2026-00002"


def test_void_rules(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        with pytest.raises(RuleViolation, match="before"):
            documents.void_document(session, team.manager, invoice.ref, on=D - timedelta(days=1))
        pay(session, team.clerk, 10_000, (invoice.ref, None))
        with pytest.raises(RuleViolation, match="RCPT-2026-00001"):
            documents.void_document(session, team.manager, invoice.ref, on=D)
        draft = doc(session, team.clerk, post=False)
        with pytest.raises(RuleViolation, match="draft"):
            documents.void_document(session, team.manager, draft.id or 0, on=D)


def test_a_supplier_bill_number_is_entered_once(books: Store, team: Team) -> None:
    with books.write() as session:
        doc(session, team.clerk, "bill", "S1", reference="GP-9")
        doc(session, team.clerk, "bill", "B1", reference="GP-9")  # another supplier: fine
    with pytest.raises(RuleViolation, match="already entered"), books.write() as session:
        doc(session, team.clerk, "bill", "S1", reference="GP-9", post=False)


def test_drafts_are_deleted_posted_documents_are_not(books: Store, team: Team) -> None:
    with books.write() as session:
        draft = doc(session, team.clerk, post=False)
        documents.delete_draft(session, team.clerk, f"#{draft.id}")
        assert session.get(Document, draft.id) is None
        posted = doc(session, team.clerk)
        with pytest.raises(RuleViolation, match="voided, not deleted"):
            documents.delete_draft(session, team.clerk, posted.ref)


def test_lists_filter_by_side_status_party_and_overdue(books: Store, team: Team) -> None:
    with books.write() as session:
        paid = doc(session, team.clerk, day=date(2026, 1, 5))
        pay(session, team.clerk, paid.total, (paid.ref, None), day=date(2026, 1, 20))
        doc(session, team.clerk, day=date(2026, 2, 5))  # due 2026-03-07
        doc(session, team.clerk, "invoice", "B1", day=date(2026, 3, 1))  # due 2026-03-16
        doc(session, team.clerk, "bill", "S1")
        doc(session, team.clerk, post=False)

    def refs(**kw: object) -> list[str]:
        with books.read() as session:
            flt = documents.DocumentFilter(**kw)  # type: ignore[arg-type]
            return [r.ref for r in documents.list_documents(session, team.clerk, flt)]

    assert refs() == [
        refs(status="draft")[0],
        "INV-2026-00003",
        "INV-2026-00002",
        "INV-2026-00001",
    ]
    assert refs(side="purchases") == ["BILL-2026-00001"]
    assert refs(status="open") == ["INV-2026-00003", "INV-2026-00002"]
    assert refs(status="paid") == ["INV-2026-00001"]
    assert refs(party="Medline") == ["INV-2026-00003"]
    assert refs(overdue_on=date(2026, 3, 8)) == ["INV-2026-00002"]
    assert refs(overdue_on=date(2026, 3, 17)) == ["INV-2026-00003", "INV-2026-00002"]
    assert refs(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)) == ["INV-2026-00002"]
    assert refs(search="inv-2026-00001") == ["INV-2026-00001"]
    with pytest.raises(ValidationFailed):
        refs(status="lost")
    with books.reading() as reader:
        flt = documents.DocumentFilter(party="#1", search="00001")
        through_reader = documents.list_documents(reader, team.clerk, flt)
    with books.read() as session:
        assert through_reader == documents.list_documents(session, team.clerk, flt)
    assert [r.ref for r in through_reader] == ["INV-2026-00001"]


def test_the_document_list_knows_every_status() -> None:
    """The list checks ``--status`` without the models: its statuses are theirs."""
    from bo_console.finance.document_models import DOCUMENT_STATUSES
    from bo_console.finance.documents.queries import _DOCUMENT_STATUSES

    assert _DOCUMENT_STATUSES == DOCUMENT_STATUSES


def test_a_void_dated_in_a_closed_month_leaves_nothing_behind(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        service.close_period(session, team.manager, "2026-03")
        with pytest.raises(RuleViolation, match="closed"):
            documents.void_document(session, team.manager, invoice.ref, on=D)
    with books.read() as session:
        kinds = session.execute(text("SELECT kind, status FROM fin_document")).all()
        assert [tuple(k) for k in kinds] == [("invoice", "posted")]
