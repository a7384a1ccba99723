"""Credit and debit notes on part of a posted document, their applications and refunds, and
write-offs: amounts, VAT per line, ledger, limits, numbering and the control accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.finance import documents, notes, service
from bo_console.finance.ledger.controls import control_checks
from bo_console.finance.note_models import NoteCreate, NoteLineCreate
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import GLOVES, add_parties, doc, pay

D = date(2026, 3, 10)
MASKS = ("Masks", 4_000, 1_000, "S15")  # 4 x 10.00: net 40.00, tax 6.00


@pytest.fixture
def books(store: Store, team: Team) -> Store:
    with store.write() as session:
        add_parties(session, team.clerk)
    return store


def credit(
    ref: str, *lines: tuple[int, int] | tuple[int, int, int], day: date = D, kind: str = "credit"
) -> NoteCreate:
    return NoteCreate(
        kind=kind,
        original=ref,
        date=day,
        reason="returned",
        lines=[
            NoteLineCreate(
                line=line[0], quantity=line[1], amount=line[2] if len(line) > 2 else None
            )
            for line in lines
        ],
    )


def _balance(session: Session, code: str) -> int:
    return int(
        session.execute(
            text(
                "SELECT COALESCE(SUM(b.debit) - SUM(b.credit), 0) FROM fin_balance b "
                "JOIN fin_account a ON a.id = b.account_id WHERE a.code = :c"
            ),
            {"c": code},
        ).scalar_one()
    )


def _controls_ok(session: Session) -> None:
    failed = [r for r in control_checks(session) if not r.ok]
    assert not failed, failed


def test_a_partial_credit_note_returns_two_of_ten_and_pays_down_the_invoice(
    books: Store, team: Team
) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)  # 10 x 45.50 = 455.00 + 68.25
        note = notes.issue_note(session, team.clerk, credit(invoice.ref, (1, 2_000)))
        assert note.number == "CRN-2026-00001"
        assert (note.net, note.tax, note.total) == (9_100, 1_365, 10_465)
        assert note.applied == 10_465  # all of it went to the invoice
        session.refresh(invoice)
        assert (invoice.status, invoice.paid) == ("partly_paid", 10_465)
        assert _balance(session, "1210") == 52_325 - 10_465
        assert _balance(session, "4100") == -(45_500 - 9_100)
        assert _balance(session, "2210") == -(6_825 - 1_365)
        _controls_ok(session)
        view = notes.get_note(session, team.clerk, note.number)
        assert view.row.original == invoice.number
        assert view.lines[0].quantity == Decimal(2)
        assert view.applications[0].to == invoice.number


def test_credit_never_exceeds_what_remains_on_a_line(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        notes.issue_note(session, team.clerk, credit(invoice.ref, (1, 8_000)))
        with pytest.raises(ValidationFailed, match="only 2 of line 1 is left"):
            notes.issue_note(session, team.clerk, credit(invoice.ref, (1, 3_000)))
        with pytest.raises(ValidationFailed, match="left to credit"):
            notes.issue_note(session, team.clerk, credit(invoice.ref, (1, 1_000), (1, 1_500)))
        last = notes.issue_note(session, team.clerk, credit(invoice.ref, (1, 2_000)))
        # the last credit takes all the VAT left, so the line ends at exactly zero
        left = notes.lines_left(session, invoice.id or 0)[0]
        assert (left.quantity, left.net, left.tax) == (0, 0, 0)
        assert last.number == "CRN-2026-00002"
        session.refresh(invoice)
        assert invoice.status == "paid"
        with pytest.raises(ValidationFailed, match="no line 2"):
            notes.issue_note(session, team.clerk, credit(invoice.ref, (2, 1_000)))


def test_a_price_correction_credits_an_amount_and_vat_per_line(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk, lines=(GLOVES, MASKS))
        note = notes.issue_note(session, team.clerk, credit(invoice.ref, (2, 0, 333)))
        assert (note.net, note.tax) == (333, 50)  # 3.33 at 15 % = 0.4995 -> 0.50
        with pytest.raises(ValidationFailed, match="left to credit"):
            notes.issue_note(session, team.clerk, credit(invoice.ref, (2, 0, 4_000)))


def test_a_debit_note_adds_to_what_the_customer_owes(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        note = notes.issue_note(
            session, team.clerk, credit(invoice.ref, (1, 0, 1_000), kind="debit")
        )
        assert note.number == "DRN-2026-00001"
        assert (note.total, note.applied) == (1_150, 0)
        assert _balance(session, "1210") == 52_325 + 1_150
        _controls_ok(session)
        # a debit raises what is left to credit on the line
        left = notes.lines_left(session, invoice.id or 0)[0]
        assert left.net == 45_500 + 1_000
        notes.settle_note(session, team.clerk, note.number, on=date(2026, 3, 20))
        session.refresh(note)
        assert note.open_amount == 0
        assert _balance(session, "1210") == 52_325
        _controls_ok(session)


def test_a_paid_invoice_credit_stays_on_account_then_goes_to_another_invoice(
    books: Store, team: Team
) -> None:
    with books.write() as session:
        first = doc(session, team.clerk)
        pay(session, team.clerk, 52_325, (first.ref, None))
        note = notes.issue_note(
            session, team.clerk, credit(first.ref, (1, 1_000), day=date(2026, 3, 25))
        )
        assert note.applied == 0
        assert _balance(session, "1210") == -5_233
        _controls_ok(session)
        rows = notes.list_notes(session, team.clerk, open_only=True)
        assert [r.number for r in rows] == [note.number]
        later = doc(session, team.clerk, day=date(2026, 4, 2))
        notes.apply_note(session, team.clerk, note.number, later.ref, on=date(2026, 4, 2))
        session.refresh(later)
        assert (later.status, later.paid) == ("partly_paid", 5_233)
        assert notes.list_notes(session, team.clerk, open_only=True) == []
        _controls_ok(session)
        with pytest.raises(RuleViolation, match="nothing left"):
            notes.apply_note(session, team.clerk, note.number, later.ref, on=date(2026, 4, 2))


def test_a_credit_on_account_is_refunded_through_the_bank(books: Store, team: Team) -> None:
    with books.write() as session:
        first = doc(session, team.clerk)
        pay(session, team.clerk, 52_325, (first.ref, None))
        bank = _balance(session, "1110")
        note = notes.issue_note(
            session, team.clerk, credit(first.ref, (1, 1_000), day=date(2026, 3, 25))
        )
        with pytest.raises(RuleViolation, match="more than"):
            notes.settle_note(session, team.clerk, note.number, on=date(2026, 3, 26), amount=9_999)
        notes.settle_note(session, team.clerk, note.number, on=date(2026, 3, 26), amount=2_000)
        notes.settle_note(session, team.clerk, note.number, on=date(2026, 3, 27))
        assert _balance(session, "1110") == bank - 5_233
        assert _balance(session, "1210") == 0
        _controls_ok(session)


def test_a_supplier_credit_note_reverses_expense_and_input_vat(books: Store, team: Team) -> None:
    with books.write() as session:
        bill = doc(session, team.clerk, "bill", "S1")
        note = notes.issue_note(session, team.clerk, credit(bill.ref, (1, 5_000)))
        assert note.number == "PCN-2026-00001"
        assert _balance(session, "2110") == -(52_325 - 26_163)
        assert _balance(session, "6240") == 45_500 - 22_750
        _controls_ok(session)


def test_no_note_on_a_draft_a_void_or_in_a_closed_month(books: Store, team: Team) -> None:
    with books.write() as session:
        draft = doc(session, team.clerk, post=False)
        with pytest.raises(RuleViolation, match="is a draft"):
            notes.issue_note(session, team.clerk, credit(draft.ref, (1, 1_000)))
        voided = doc(session, team.clerk)
        documents.void_document(session, team.manager, voided.ref, on=D)
        with pytest.raises(RuleViolation, match="is void"):
            notes.issue_note(session, team.clerk, credit(voided.ref, (1, 1_000)))
        invoice = doc(session, team.clerk)
        with pytest.raises(RuleViolation, match="before"):
            notes.issue_note(
                session, team.clerk, credit(invoice.ref, (1, 1_000), day=date(2026, 3, 1))
            )
        service.close_period(session, team.manager, "2026-03")
        with pytest.raises(RuleViolation, match="closed"):
            notes.issue_note(session, team.clerk, credit(invoice.ref, (1, 1_000)))
        note = notes.issue_note(
            session, team.clerk, credit(invoice.ref, (1, 1_000), day=date(2026, 4, 1))
        )
        with pytest.raises(RuleViolation, match="notes cannot be voided|credit or debit notes"):
            documents.void_document(session, team.manager, invoice.ref, on=date(2026, 4, 2))
        assert note.number == "CRN-2026-00001"


def test_an_auditor_cannot_issue_and_a_clerk_cannot_write_off(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        with pytest.raises(PermissionDenied):
            notes.issue_note(session, team.auditor, credit(invoice.ref, (1, 1_000)))
        with pytest.raises(PermissionDenied):
            notes.write_off(session, team.clerk, invoice.ref, on=D)


def test_a_bad_debt_write_off_clears_the_invoice_and_takes_back_its_vat(
    books: Store, team: Team
) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        pay(session, team.clerk, 29_325, (invoice.ref, None))  # 230.00 left: 200 net + 30 VAT
        with pytest.raises(RuleViolation, match="twelve months"):
            notes.write_off(session, team.manager, invoice.ref, on=date(2026, 4, 30))
        row = notes.write_off(
            session, team.manager, invoice.ref, on=date(2026, 4, 30), insolvent=True
        )
        assert (row.number, row.amount, row.tax) == ("WO-2026-00001", 23_000, 3_000)
        session.refresh(invoice)
        assert (invoice.status, invoice.paid) == ("paid", invoice.total)
        assert _balance(session, "6440") == 20_000
        assert _balance(session, "2210") == -(6_825 - 3_000)
        assert _balance(session, "1210") == 0
        _controls_ok(session)
        with pytest.raises(RuleViolation, match="paid; nothing is owed"):
            notes.write_off(session, team.manager, invoice.ref, on=date(2026, 4, 30))
        assert [w.number for w in notes.list_writeoffs(session, team.clerk)] == ["WO-2026-00001"]
        by_session = (
            notes.list_writeoffs(session, team.clerk),
            notes.list_notes(session, team.clerk),
        )
    with books.reading() as reader:
        by_reader = notes.list_writeoffs(reader, team.clerk), notes.list_notes(reader, team.clerk)
    assert by_reader == by_session


def test_the_note_lists_label_every_kind() -> None:
    """The lists label notes without the models: their labels are the models'."""
    from bo_console.finance.note_models import NOTE_LABELS
    from bo_console.finance.notes.queries import _NOTE_LABELS

    assert _NOTE_LABELS == NOTE_LABELS


def test_a_residual_write_off_stays_within_the_tolerance(books: Store, team: Team) -> None:
    with books.write() as session:
        big = doc(session, team.clerk)
        pay(session, team.clerk, 52_000, (big.ref, None))  # 3.25 left
        with pytest.raises(RuleViolation, match="tolerance"):
            notes.write_off(session, team.manager, big.ref, on=D, kind="residual")
        small = doc(session, team.clerk)
        pay(session, team.clerk, 52_300, (small.ref, None))  # 0.25 left
        row = notes.write_off(session, team.manager, small.ref, on=D, kind="residual")
        assert (row.amount, row.tax) == (25, 0)
        assert _balance(session, "2210") == -2 * 6_825
        _controls_ok(session)


def test_the_vat_return_puts_notes_in_adjustments_and_bad_debt_relief_in_corrections(
    books: Store, team: Team
) -> None:
    from bo_console.finance.vat.returns import zatca_return

    with books.write() as session:
        invoice = doc(session, team.clerk)  # March: 455.00 + 68.25
        bill = doc(session, team.clerk, "bill", "S1")
        notes.issue_note(session, team.clerk, credit(invoice.ref, (1, 2_000), day=date(2026, 4, 5)))
        notes.issue_note(session, team.clerk, credit(bill.ref, (1, 0, 1_000), day=date(2026, 4, 5)))
        notes.write_off(
            session, team.manager, invoice.ref, on=date(2027, 3, 10), reason="no answer"
        )
        march = zatca_return(session, team.clerk, "2026-03")
        assert march.box(1).adjustment == 0 and march.box(1).amount == Decimal("455.00")
        april = zatca_return(session, team.clerk, "2026-04")
        assert (april.box(1).amount, april.box(1).adjustment) == (Decimal(0), Decimal("-91.00"))
        assert april.box(1).vat == Decimal("-13.65")
        assert (april.box(7).adjustment, april.box(7).vat) == (Decimal("-10.00"), Decimal("-1.50"))
        assert april.vat_due == Decimal("-12.15")
        assert april.ties
        relief = zatca_return(session, team.clerk, "2027-03")
        assert relief.bad_debt_relief == Decimal("54.60")  # the VAT left: 68.25 - 13.65
        assert relief.corrections == Decimal("-54.60")
        assert relief.ties


def test_aged_receivables_show_credit_on_account_and_open_debit_notes(
    books: Store, team: Team
) -> None:
    from bo_console.finance.aging import aged

    with books.write() as session:
        paid = doc(session, team.clerk)
        pay(session, team.clerk, 52_325, (paid.ref, None))
        crn = notes.issue_note(
            session, team.clerk, credit(paid.ref, (1, 1_000), day=date(2026, 3, 25))
        )
        drn = notes.issue_note(
            session,
            team.clerk,
            credit(paid.ref, (1, 0, 2_000), kind="debit", day=date(2026, 3, 26)),
        )
        before = aged(session, team.clerk, "receivables", date(2026, 3, 24))
        assert before.rows == ()
        report = aged(session, team.clerk, "receivables", date(2026, 3, 31), detail=True)
        by_doc = {r.document: r for r in report.rows}
        assert by_doc[crn.number].on_account == 5_233
        assert by_doc[drn.number].total == 2_300
        assert report.totals().balance == 2_300 - 5_233 == _balance(session, "1210")
