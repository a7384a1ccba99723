"""VAT per line (F7), the reverse charge, and the VAT return in ZATCA's boxes for a month or
a quarter with corrections and credit carried forward (F8). Figures are worked by hand in the
comments."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.finance import documents, tax, vat
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import add_parties, doc

D = Decimal


@pytest.fixture
def books(store: Store, team: Team) -> Store:
    with store.write() as session:
        add_parties(session, team.clerk)
    return store


def test_vat_is_worked_out_per_line(books: Store, team: Team) -> None:
    # Three lines of 0.10 at 15 %: each 0.015, rounded half away from zero to 0.02 per line.
    # Rounded once per document (the old rule) they were 0.02, 0.02, 0.01.
    cheap = ("Swab", 1_000, 10, "S15")
    with books.write() as session:
        invoice = doc(session, team.clerk, lines=[cheap, cheap, cheap], post=False)
        view = documents.get_document(session, team.auditor, invoice.id or 0)
    assert [line.tax for line in view.lines] == [D("0.02")] * 3
    assert (invoice.net, invoice.tax, invoice.total) == (30, 6, 36)
    assert tax.line_taxes([("S15", 10), ("S15", 10), ("S15", 10)], {"S15": 1500}) == [2, 2, 2]


def _entry_lines(books: Store, number: str) -> list[tuple[str, int, int, str | None]]:
    with books.read() as session:
        rows = session.execute(
            text(
                "SELECT a.code, l.debit, l.credit, l.tax_code FROM fin_line l "
                "JOIN fin_account a ON a.id = l.account_id JOIN fin_entry e ON e.id = l.entry_id "
                "WHERE e.source_ref = :n ORDER BY l.line_no"
            ),
            {"n": number},
        ).all()
    return [(str(c), int(d), int(c2), t) for c, d, c2, t in rows]


def test_a_reverse_charge_bill_owes_and_claims_the_tax(books: Store, team: Team) -> None:
    # Consulting from abroad, 1,000.00 at RC15: the supplier charges no VAT (the bill is
    # 1,000.00); the buyer accounts for 150.00, debited to input and credited to output VAT.
    with books.write() as session:
        bill = doc(
            session, team.clerk, "bill", "S1", lines=[("Consulting", 1_000, 100_000, "RC15")]
        )
    assert (bill.net, bill.tax, bill.total) == (100_000, 0, 100_000)
    assert sorted(_entry_lines(books, bill.number or "")) == sorted(
        [
            ("2110", 0, 100_000, None),
            ("6240", 100_000, 0, "RC15"),
            ("1430", 15_000, 0, "RC15"),
            ("2210", 0, 15_000, "RC15"),
        ]
    )
    with books.read() as session:
        month = tax.vat_return(session, team.auditor, "2026-03")
    assert month.ties and (month.output_tax, month.input_tax) == (D("150.00"), D("150.00"))
    # Voiding the bill reverses the reverse-charge entry too: April's return takes it off.
    with books.write() as session:
        documents.void_document(session, team.manager, bill.ref, on=date(2026, 4, 2))
    with books.read() as session:
        april = tax.vat_return(session, team.auditor, "2026-04")
    assert april.ties and (april.output_tax, april.input_tax) == (D("-150.00"), D("-150.00"))


def test_a_reverse_charge_code_is_refused_on_an_invoice(books: Store, team: Team) -> None:
    with books.write() as session, pytest.raises(ValidationFailed, match="line 1: RC15 is a re"):
        doc(session, team.clerk, lines=[("Export service", 1_000, 100, "RC15")])


def _quarter_one(books: Store, team: Team) -> None:
    """Sales and purchases in Q1 2026 with one of each box's codes."""
    with books.write() as session:
        vat.set_filing(session, team.manager, "quarterly")
        doc(session, team.clerk, day=date(2026, 1, 10))  # S15 455.00, VAT 68.25
        doc(session, team.clerk, day=date(2026, 2, 1), lines=[("Gowns", 1_000, 100_000, "Z")])
        doc(session, team.clerk, day=date(2026, 2, 2), lines=[("Kits", 2_000, 100_000, "ZX")])
        doc(session, team.clerk, day=date(2026, 2, 3), lines=[("Rent", 1_000, 30_000, "E")])
        voided = doc(
            session, team.clerk, day=date(2026, 3, 1), lines=[("Mask", 1_000, 10_000, "S15")]
        )
        documents.void_document(session, team.manager, voided.ref, on=date(2026, 3, 5))
        for code, price in (
            ("S15", 20_000),
            ("IMP15", 50_000),
            ("RC15", 100_000),
            ("Z", 5_000),
            ("E", 4_000),
        ):
            doc(
                session,
                team.clerk,
                "bill",
                "S1",
                day=date(2026, 3, 20),
                lines=[(f"bought {code}", 1_000, price, code)],
            )


def test_the_quarter_return_in_zatca_boxes(books: Store, team: Team) -> None:
    _quarter_one(books, team)
    with books.read() as session:
        q1 = vat.zatca_return(session, team.auditor, "2026-q1")
    got = {b.box: (b.amount, b.adjustment, b.vat) for b in q1.boxes}
    # Box 1: 455.00 + the voided 100.00; the credit note takes 100.00 and its 15.00 off again.
    assert got[1] == (D("555.00"), D("-100.00"), D("68.25"))
    assert got[3] == (D("1000.00"), D(0), D(0))
    assert got[4] == (D("2000.00"), D(0), D(0))
    assert got[5] == (D("300.00"), D(0), D(0))
    assert got[6] == (D("3855.00"), D("-100.00"), D("68.25"))
    assert got[7] == (D("200.00"), D(0), D("30.00"))
    assert got[8] == (D("500.00"), D(0), D("75.00"))
    assert got[9] == (D("1000.00"), D(0), D("150.00"))
    assert got[10] == (D("50.00"), D(0), D(0))
    assert got[11] == (D("40.00"), D(0), D(0))
    assert got[12] == (D("1790.00"), D(0), D("255.00"))
    # 13 = 68.25 sales VAT + 150.00 reverse charge owed - 255.00 input = -36.75: a credit.
    assert (q1.vat_due, q1.corrections, q1.credit_brought_forward, q1.net_due) == (
        D("-36.75"),
        D(0),
        D(0),
        D("-36.75"),
    )
    assert q1.ties and (q1.output_vat, q1.input_vat) == (D("218.25"), D("255.00"))


def test_the_period_follows_the_filing_setting(books: Store, team: Team) -> None:
    with books.read() as session:
        assert vat.zatca_return(session, team.auditor, "2026-03").last_day == date(2026, 3, 31)
        with pytest.raises(ValidationFailed, match="filed monthly .* give a month like 2026-03"):
            vat.zatca_return(session, team.auditor, "2026-Q1")
        with pytest.raises(ValidationFailed, match="not a month or a quarter"):
            vat.zatca_return(session, team.auditor, "2026-13")
    with books.write() as session:
        with pytest.raises(PermissionDenied):
            vat.set_filing(session, team.clerk, "quarterly")
        vat.set_filing(session, team.manager, "quarterly")
        with pytest.raises(ValidationFailed, match="filed quarterly .* like 2026-Q1, not 2026-03"):
            vat.zatca_return(session, team.auditor, "2026-03")


def test_corrections_and_credit_carry_into_the_next_returns(books: Store, team: Team) -> None:
    _quarter_one(books, team)
    with books.write() as session:
        filed = vat.file_return(session, team.manager, "2026-Q1")
        assert filed.net_due == D("-36.75")
        with pytest.raises(RuleViolation, match="already filed"):
            vat.file_return(session, team.manager, "2026-Q1")
        # A bill dated in filed Q1 posted late (200.00, 30.00 VAT), and a Q2 sale of 1,000.00.
        doc(
            session,
            team.clerk,
            "bill",
            "S1",
            day=date(2026, 3, 30),
            lines=[("late", 1_000, 20_000, "S15")],
        )
        doc(session, team.clerk, day=date(2026, 5, 5), lines=[("Beds", 1_000, 100_000, "S15")])
    with books.read() as session:
        q2 = vat.zatca_return(session, team.auditor, "2026-Q2")
        q1_again = vat.zatca_return(session, team.auditor, "2026-Q1")
    # Q1's own VAT due is now -66.75 against -36.75 filed: a correction of -30.00. Q1's credit
    # of 36.75 is brought forward. 16 = 150.00 - 30.00 - 36.75 = 83.25.
    assert (q2.vat_due, q2.corrections, q2.credit_brought_forward, q2.net_due) == (
        D("150.00"),
        D("-30.00"),
        D("36.75"),
        D("83.25"),
    )
    assert (
        q1_again.filed and q1_again.net_due == D("-36.75") and q1_again.vat_due_now == D("-66.75")
    )
    with books.write() as session:
        vat.file_return(session, team.manager, "2026-Q2")
    with books.read() as session:
        q3 = vat.zatca_return(session, team.auditor, "2026-Q3")
        filings = vat.list_filings(session, team.auditor)
        assert [f.period for f in filings] == ["2026-Q2", "2026-Q1"]
    with books.reading() as reader:
        assert vat.list_filings(reader, team.auditor) == filings
    # The correction was declared in Q2 and Q2 ended payable: nothing carries into Q3.
    assert (q3.corrections, q3.credit_brought_forward, q3.net_due) == (D(0), D(0), D(0))


def test_a_period_not_yet_ended_cannot_be_filed(books: Store, team: Team) -> None:
    with books.write() as session, pytest.raises(RuleViolation, match="has not ended"):
        vat.file_return(session, team.manager, "2099-01")


def test_a_filed_return_cannot_be_changed_in_the_database(books: Store, team: Team) -> None:
    with books.write() as session:
        vat.file_return(session, team.manager, "2026-01")
    assert books.path is not None
    conn = sqlite3.connect(books.path)
    try:
        for statement in (
            "UPDATE fin_vat_return SET net_due = 0, vat_due = 0",
            "DELETE FROM fin_vat_return",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="filed VAT return is never changed"):
                conn.execute(statement)
    finally:
        conn.close()


def test_sales_whose_vat_the_state_bears_go_in_box_2(books: Store, team: Team) -> None:
    with books.write() as session:
        with pytest.raises(ValidationFailed, match="standard-rated"):
            tax.add_tax_code(
                session, team.manager, code="ZC", name="Zero citizen", category="zero",
                rate_bp=0, treatment="citizen",
            )  # fmt: skip
        tax.add_tax_code(
            session, team.manager, code="S15C", name="Healthcare to citizens",
            category="standard", rate_bp=1500, output_account="2210", input_account="1430",
            treatment="citizen",
        )  # fmt: skip
        doc(
            session,
            team.clerk,
            day=date(2026, 3, 2),
            lines=[("Clinic visit", 1_000, 20_000, "S15C")],
        )
        doc(session, team.clerk, day=date(2026, 3, 3))  # S15 455.00, VAT 68.25
    with books.read() as session:
        march = vat.zatca_return(session, team.auditor, "2026-03")
    got = {b.box: (b.amount, b.vat) for b in march.boxes}
    assert got[2] == (D("200.00"), D("30.00"))
    assert got[1] == (D("455.00"), D("68.25"))
    assert got[6] == (D("655.00"), D("98.25"))
    assert march.output_vat == D("98.25") and march.ties
