"""Payments received and made: posting, allocation to one or more documents, what stays on
account, later allocation, voids that release allocations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.finance import documents, payments, service
from bo_console.finance.document_models import Document
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import add_parties, doc, pay

D = date(2026, 3, 10)


@pytest.fixture
def books(store: Store, team: Team) -> Store:
    with store.write() as session:
        add_parties(session, team.clerk)
    return store


def _state(session: Session, ref: str) -> tuple[str, int]:
    document = documents.find_document(session, ref)
    session.refresh(document)
    return document.status, document.paid


def test_a_receipt_posts_bank_against_receivables_and_pays_the_invoice(
    books: Store, team: Team
) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        receipt = pay(session, team.clerk, 52_325, (invoice.ref, None))
        assert receipt.number == "RCPT-2026-00001" and receipt.status == "posted"
        assert _state(session, invoice.ref) == ("paid", 52_325)
        lines = session.execute(
            text(
                "SELECT a.code, l.debit, l.credit, l.party_id FROM fin_line l JOIN fin_account a "
                "ON a.id = l.account_id WHERE l.entry_id = :e ORDER BY l.line_no"
            ),
            {"e": receipt.entry_id},
        ).all()
        assert [tuple(r) for r in lines] == [
            ("1110", 52_325, 0, None),
            ("1210", 0, 52_325, invoice.party_id),
        ]
        entry = service.find_entry(session, f"#{receipt.entry_id}")
        assert (entry.source, entry.source_ref) == ("payment", "RCPT-2026-00001")


def test_partly_then_fully_paid(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        pay(session, team.clerk, 20_000, (invoice.ref, None))
        assert _state(session, invoice.ref) == ("partly_paid", 20_000)
        assert invoice.open_amount == 32_325
        pay(session, team.clerk, 40_000, (invoice.ref, None), day=date(2026, 4, 1))
        assert _state(session, invoice.ref) == ("paid", 52_325)
        view = payments.get_payment(session, team.clerk, "RCPT-2026-00002")
        assert (view.row.allocated, view.row.unallocated) == (Decimal("323.25"), Decimal("76.75"))


def test_one_payment_over_several_documents_with_and_without_amounts(
    books: Store, team: Team
) -> None:
    with books.write() as session:
        first = doc(session, team.clerk, day=date(2026, 3, 1))
        second = doc(session, team.clerk, day=date(2026, 3, 2))
        third = doc(session, team.clerk, day=date(2026, 3, 3))
        pay(
            session,
            team.clerk,
            80_000,
            (third.ref, 10_000),
            (first.ref, None),
            (second.ref, None),
        )
        assert _state(session, third.ref) == ("partly_paid", 10_000)
        assert _state(session, first.ref) == ("paid", 52_325)
        assert _state(session, second.ref) == ("partly_paid", 80_000 - 10_000 - 52_325)
        view = payments.get_payment(session, team.auditor, "RCPT-2026-00001")
        assert [(a.document, a.amount) for a in view.allocations] == [
            (third.ref, Decimal("100.00")),
            (first.ref, Decimal("523.25")),
            (second.ref, Decimal("176.75")),
        ]
        assert view.row.unallocated == Decimal("0.00")


def test_auto_pays_the_oldest_due_first_and_keeps_the_rest_on_account(
    books: Store, team: Team
) -> None:
    with books.write() as session:
        late = doc(session, team.clerk, day=date(2026, 3, 1), due=date(2026, 5, 1))
        early = doc(session, team.clerk, day=date(2026, 3, 5), due=date(2026, 3, 20))
        doc(session, team.clerk, "invoice", "B1")  # another party: untouched
        receipt = pay(session, team.clerk, 110_000, auto=True)
        assert _state(session, early.ref) == ("paid", 52_325)
        assert _state(session, late.ref) == ("paid", 52_325)
        assert payments.allocated_of(session, receipt.id or 0) == 104_650
        rows = payments.list_payments(session, team.clerk, party="C1")
        assert rows[0].unallocated == Decimal("53.50")
    with books.reading() as reader:
        assert payments.list_payments(reader, team.clerk, party="C1") == rows


def test_allocations_never_exceed_what_is_owed_or_paid(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        other = doc(session, team.clerk, "invoice", "B1")
        bill = doc(session, team.clerk, "bill", "S1")
        draft = doc(session, team.clerk, post=False)
        with pytest.raises(ValidationFailed, match="owes less"):
            pay(session, team.clerk, 90_000, (invoice.ref, 60_000))
        with pytest.raises(ValidationFailed, match="more than the payment"):
            pay(session, team.clerk, 10_000, (invoice.ref, 20_000))
        with pytest.raises(ValidationFailed, match="twice"):
            pay(session, team.clerk, 10_000, (invoice.ref, None), (invoice.ref, None))
        with pytest.raises(RuleViolation, match="another party"):
            pay(session, team.clerk, 10_000, (other.ref, None))
        with pytest.raises(NotFound, match="no invoice"):
            pay(session, team.clerk, 10_000, (bill.ref, None))
        with pytest.raises(RuleViolation, match="draft"):
            pay(session, team.clerk, 10_000, (f"#{draft.id}", None))


def test_what_is_on_account_is_allocated_later(books: Store, team: Team) -> None:
    with books.write() as session:
        receipt = pay(session, team.clerk, 30_000, day=date(2026, 3, 1))  # an advance
        invoice = doc(session, team.clerk)
        with pytest.raises(RuleViolation, match="on or after"):
            payments.allocate_payment(
                session, team.clerk, receipt.number, auto=True, on=date(2026, 2, 1)
            )
        done = payments.allocate_payment(session, team.clerk, receipt.number, auto=True, on=D)
        assert [(d.ref, a) for d, a in done] == [(invoice.ref, 30_000)]
        assert _state(session, invoice.ref) == ("partly_paid", 30_000)
        with pytest.raises(RuleViolation, match="fully allocated"):
            payments.allocate_payment(session, team.clerk, receipt.number, auto=True, on=D)
        audit = session.execute(
            text("SELECT action FROM audit_event WHERE entity = 'payment' ORDER BY id")
        ).all()
        assert [a for (a,) in audit] == ["create", "allocate"]


def test_an_advance_is_allocated_from_the_invoice_date(books: Store, team: Team) -> None:
    with books.write() as session:
        doc(session, team.clerk, day=date(2026, 3, 15))
        pay(session, team.clerk, 10_000, ("INV-2026-00001", None), day=date(2026, 3, 1))
        view = payments.get_payment(session, team.clerk, "RCPT-2026-00001")
        assert view.allocations[0].date == date(2026, 3, 15)


def test_a_void_reverses_the_payment_and_releases_its_allocations(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        receipt = pay(session, team.clerk, 52_325, (invoice.ref, None))
        with pytest.raises(PermissionDenied):
            payments.void_payment(session, team.clerk, receipt.number, on=D)
        with pytest.raises(RuleViolation, match="on or after"):
            payments.void_payment(session, team.manager, receipt.number, on=date(2026, 3, 1))
        payments.void_payment(
            session, team.manager, receipt.number, on=date(2026, 3, 25), reason="bounced"
        )
        assert _state(session, invoice.ref) == ("posted", 0)
        entry = service.find_entry(session, f"#{receipt.entry_id}")
        assert entry.state == "reversed"
        row = payments.list_payments(session, team.clerk, status="void")[0]
        assert (row.status, row.allocated, row.unallocated) == ("void", Decimal(0), Decimal(0))
        with pytest.raises(RuleViolation, match="already void"):
            payments.void_payment(session, team.manager, receipt.number, on=date(2026, 3, 25))
        with pytest.raises(RuleViolation, match="void"):
            payments.allocate_payment(session, team.clerk, receipt.number, auto=True, on=D)
        # Now nothing is paid, the invoice itself can be voided.
        documents.void_document(session, team.manager, invoice.ref, on=date(2026, 3, 26))
        again = session.get(Document, invoice.id)
        assert again is not None and again.status == "void"


def test_payments_made_to_suppliers(books: Store, team: Team) -> None:
    with books.write() as session:
        bill = doc(session, team.clerk, "bill", "S1")
        made = pay(session, team.clerk, bill.total, (bill.ref, None), party="S1", direction="made")
        receipt = pay(session, team.clerk, 1_000, party="B1")
        assert (made.number, receipt.number) == ("PAY-2026-00001", "RCPT-2026-00001")
        assert _state(session, bill.ref) == ("paid", bill.total)
        lines = session.execute(
            text(
                "SELECT a.code, l.debit, l.credit FROM fin_line l JOIN fin_account a "
                "ON a.id = l.account_id WHERE l.entry_id = :e ORDER BY l.line_no"
            ),
            {"e": made.entry_id},
        ).all()
        assert [tuple(r) for r in lines] == [("1110", 0, bill.total), ("2110", bill.total, 0)]
        with pytest.raises(RuleViolation, match="not a supplier"):
            pay(session, team.clerk, 1_000, party="C1", direction="made")
        with pytest.raises(NotFound, match="no bill"):
            pay(session, team.clerk, 1_000, ("INV-2026-00001", None), party="S1", direction="made")


@pytest.mark.parametrize(
    ("account", "ok"),
    [("1120", True), ("1140", True), ("4100", False), ("1210", False), ("1100", False)],
)
def test_only_bank_and_cash_accounts_take_payments(
    books: Store, team: Team, account: str, ok: bool
) -> None:
    data = payments.PaymentCreate(
        direction="received", party="C1", date=D, amount=1_000, account=account
    )
    with books.write() as session:
        if ok:
            payment = payments.enter_payment(session, team.clerk, data)
            assert payments.get_payment(session, team.clerk, payment.number).row.account == account
        else:
            with pytest.raises(ValidationFailed, match="bank or cash"):
                payments.enter_payment(session, team.clerk, data)


def test_a_payment_above_zero(books: Store, team: Team) -> None:
    with books.write() as session, pytest.raises(ValidationFailed, match="above zero"):
        pay(session, team.clerk, 0)


def test_a_refused_allocation_posts_no_payment_even_if_the_caller_carries_on(
    books: Store, team: Team
) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk)
        with pytest.raises(ValidationFailed):
            pay(session, team.clerk, 10_000, (invoice.ref, 20_000))
    with books.read() as session:
        assert session.execute(text("SELECT count(*) FROM fin_payment")).scalar_one() == 0
        assert session.execute(text("SELECT count(*) FROM fin_entry")).scalar_one() == 1
