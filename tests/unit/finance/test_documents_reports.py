"""The VAT return ties to the ledger; aged receivables and payables put each document in the
right bucket at the boundaries, and as of past dates show what was open then."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.finance import aging, documents, payments, service, tax
from bo_console.finance.models import EntryCreate, LineCreate
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import GLOVES, add_parties, doc, pay

AS_OF = date(2026, 6, 30)


@pytest.fixture
def books(store: Store, team: Team) -> Store:
    with store.write() as session:
        add_parties(session, team.clerk)
    return store


def _moved(session: Session, code: str, first: date, last: date) -> Decimal:
    """Debit minus credit of an account over the dates, straight from the lines."""
    value = session.execute(
        text(
            "SELECT COALESCE(SUM(l.debit) - SUM(l.credit), 0) FROM fin_line l "
            "JOIN fin_entry e ON e.id = l.entry_id JOIN fin_account a ON a.id = l.account_id "
            "WHERE e.state <> 'draft' AND a.code = :c AND l.date BETWEEN :a AND :b"
        ),
        {"c": code, "a": first, "b": last},
    ).scalar_one()
    return Decimal(int(value)).scaleb(-2)


def test_the_vat_return_equals_what_the_vat_accounts_moved(books: Store, team: Team) -> None:
    march = (date(2026, 3, 1), date(2026, 3, 31))
    april = (date(2026, 4, 1), date(2026, 4, 30))
    with books.write() as session:
        doc(session, team.clerk, lines=[GLOVES, ("Export", 2_000, 10_000, "Z")])
        doc(session, team.clerk, "invoice", "B1", date(2026, 3, 31), [("Masks", 333, 999, "S15")])
        doc(session, team.clerk, "invoice", "B1", date(2026, 4, 1), [GLOVES])  # April
        doc(session, team.clerk, "bill", "S1", date(2026, 3, 5), [("Boxes", 7_000, 1_234, "S15")])
        doc(session, team.clerk, "bill", "S1", date(2026, 3, 6), [("Fees", 1_000, 50_000, "E")])
        documents.void_document(session, team.manager, "INV-2026-00001", on=date(2026, 4, 2))
    with books.read() as session:
        vat = tax.vat_return(session, team.auditor, "2026-03")
        out_moved, in_moved = -_moved(session, "2210", *march), _moved(session, "1430", *march)
        next_month = tax.vat_return(session, team.auditor, "2026-04")
        out_april = -_moved(session, "2210", *april)
    assert (vat.output_tax, vat.input_tax) == (out_moved, in_moved)
    # 455.00 at 15 % and 3.32 (0.333 x 9.99) at 15 %: 68.25 + 0.50; 86.38 at 15 %: 12.96.
    assert (vat.output_tax, vat.input_tax, vat.net_payable) == (
        Decimal("68.75"),
        Decimal("12.96"),
        Decimal("55.79"),
    )
    assert vat.ties and (vat.ledger_output_tax, vat.ledger_input_tax) == (out_moved, in_moved)
    assert [(r.side, r.code, r.net, r.tax) for r in vat.rows] == [
        ("purchases", "E", Decimal("500.00"), Decimal("0.00")),
        ("purchases", "S15", Decimal("86.38"), Decimal("12.96")),
        ("sales", "S15", Decimal("458.33"), Decimal("68.75")),
        ("sales", "Z", Decimal("200.00"), Decimal("0.00")),
    ]
    # The credit note takes the voided invoice's tax off April's return.
    assert next_month.output_tax == out_april == Decimal("68.25") - Decimal("68.25")
    assert next_month.ties and {(r.code, r.net) for r in next_month.rows} == {
        ("S15", Decimal("0.00")),
        ("Z", Decimal("-200.00")),
    }


def _entry(session: Session, team: Team, day: date, memo: str, *lines: LineCreate) -> str:
    return service.post_entry(
        session, team.clerk, EntryCreate(date=day, memo=memo, lines=list(lines))
    ).ref


def test_a_settlement_is_set_apart_and_leaves_the_return_tied(books: Store, team: Team) -> None:
    with books.write() as session:
        doc(session, team.clerk)  # 68.25 of output tax
        doc(session, team.clerk, "bill", "S1", date(2026, 3, 5), [("Boxes", 7_000, 1_234, "S15")])
        _entry(
            session,
            team,
            date(2026, 3, 31),
            "VAT return 2026 Q1: output less input into the settlement account",
            LineCreate(account="2210", debit=6_825),
            LineCreate(account="1430", credit=1_296),
            LineCreate(account="2220", credit=5_529),
        )
    with books.read() as session:
        vat = tax.vat_return(session, team.auditor, "2026-03")
    assert vat.ties and (vat.output_tax, vat.input_tax) == (Decimal("68.25"), Decimal("12.96"))
    assert (vat.ledger_output_tax, vat.ledger_input_tax) == (Decimal("68.25"), Decimal("12.96"))
    assert (vat.settled_output_tax, vat.settled_input_tax) == (Decimal("68.25"), Decimal("12.96"))


def test_manual_lines_with_a_tax_code_are_declared_and_tie(books: Store, team: Team) -> None:
    """A journal line with a tax code counts in the return: on a VAT account as tax, on an
    income account as the net of a sale, on any other account as the net of a purchase;
    reversing such an entry takes it back out."""
    with books.write() as session:
        doc(session, team.clerk)  # an invoice: 455.00 net, 68.25 tax
        _entry(
            session,
            team,
            date(2026, 3, 20),
            "cash sale with VAT, entered by hand",
            LineCreate(account="1140", debit=1_150),
            LineCreate(account="4100", credit=1_000, tax_code="S15"),
            LineCreate(account="2210", credit=150, tax_code="S15"),
        )
        _entry(
            session,
            team,
            date(2026, 3, 21),
            "export sold for cash",
            LineCreate(account="1140", debit=4_000),
            LineCreate(account="4100", credit=4_000, tax_code="Z"),
        )
        _entry(
            session,
            team,
            date(2026, 3, 22),
            "rent paid with VAT",
            LineCreate(account="6200", debit=20_000, tax_code="S15"),
            LineCreate(account="1430", debit=3_000, tax_code="S15"),
            LineCreate(account="1110", credit=23_000),
        )
        twice = _entry(
            session,
            team,
            date(2026, 3, 23),
            "the same rent again",
            LineCreate(account="6200", debit=20_000, tax_code="S15"),
            LineCreate(account="1430", debit=3_000, tax_code="S15"),
            LineCreate(account="1110", credit=23_000),
        )
        service.reverse_entry(session, team.manager, twice, on=date(2026, 3, 25))
    with books.read() as session:
        vat = tax.vat_return(session, team.auditor, "2026-03")
        out_moved = -_moved(session, "2210", date(2026, 3, 1), date(2026, 3, 31))
        in_moved = _moved(session, "1430", date(2026, 3, 1), date(2026, 3, 31))
    assert [(r.side, r.code, r.net, r.tax) for r in vat.rows] == [
        ("purchases", "S15", Decimal("200.00"), Decimal("30.00")),
        ("sales", "S15", Decimal("465.00"), Decimal("69.75")),
        ("sales", "Z", Decimal("40.00"), Decimal("0.00")),
    ]
    assert (
        (vat.output_tax, vat.input_tax)
        == (out_moved, in_moved)
        == (
            Decimal("69.75"),
            Decimal("30.00"),
        )
    )
    assert vat.ties and vat.net_payable == Decimal("39.75")


def test_vat_keyed_in_without_a_tax_code_is_refused(books: Store, team: Team) -> None:
    """A VAT account takes untagged lines only from documents or a settlement transfer, so
    what the VAT return used to flag as a difference cannot be posted any more."""
    attempts: list[tuple[str, list[LineCreate]]] = [
        (
            "cash sale with its VAT but no tax code",
            [
                LineCreate(account="1140", debit=1_150),
                LineCreate(account="4100", credit=1_000),
                LineCreate(account="2210", credit=150),
            ],
        ),
        (
            "input VAT claimed by hand",
            [
                LineCreate(account="1430", debit=999),
                LineCreate(account="1110", credit=999),
            ],
        ),
        (
            "VAT paid from the output account",
            [
                LineCreate(account="2210", debit=500),
                LineCreate(account="1110", credit=500),
            ],
        ),
    ]
    with books.write() as session:
        doc(session, team.clerk)
    for memo, lines in attempts:
        with pytest.raises(RuleViolation, match="is a VAT account"), books.write() as session:
            _entry(session, team, date(2026, 3, 20), memo, *lines)
    with books.read() as session:
        vat = tax.vat_return(session, team.auditor, "2026-03")
    assert vat.ties and vat.output_tax == Decimal("68.25")


def test_the_vat_return_wants_a_month(books: Store, team: Team) -> None:
    with books.read() as session, pytest.raises(ValidationFailed, match="YYYY-MM"):
        tax.vat_return(session, team.clerk, "2026-13")


@pytest.mark.parametrize(
    ("days_past_due", "bucket"),
    [
        (-10, "current"),
        (0, "current"),
        (1, "d1_30"),
        (30, "d1_30"),
        (31, "d31_60"),
        (60, "d31_60"),
        (61, "d61_90"),
        (90, "d61_90"),
        (91, "d90_plus"),
        (400, "d90_plus"),
    ],
)
def test_bucket_boundaries(days_past_due: int, bucket: str) -> None:
    assert aging.bucket_of(days_past_due) == bucket


def test_aged_receivables_at_the_bucket_boundaries(books: Store, team: Team) -> None:
    offsets = [0, 1, 30, 31, 60, 61, 90, 91]
    with books.write() as session:
        for offset in offsets:
            due = AS_OF - timedelta(days=offset)
            doc(session, team.clerk, day=due - timedelta(days=5), due=due)
        doc(session, team.clerk, "invoice", "B1", day=AS_OF, due=AS_OF + timedelta(days=15))
        doc(session, team.clerk, day=AS_OF + timedelta(days=1))  # after the date: left out
    with books.read() as session:
        detail = aging.aged(session, team.auditor, "receivables", AS_OF, detail=True)
        summary = aging.aged(session, team.auditor, "receivables", AS_OF)
    got = [
        (r.days_overdue, [name for name, amount in r.amounts.items() if amount])
        for r in detail.rows
        if r.party == "C1"
    ]
    assert sorted(got) == [
        (0, ["current"]),
        (1, ["d1_30"]),
        (30, ["d1_30"]),
        (31, ["d31_60"]),
        (60, ["d31_60"]),
        (61, ["d61_90"]),
        (90, ["d61_90"]),
        (91, ["d90_plus"]),
    ]
    c1 = next(r for r in summary.rows if r.party == "C1")
    one = 52_325
    assert c1.amounts == {
        "current": one,
        "d1_30": 2 * one,
        "d31_60": 2 * one,
        "d61_90": 2 * one,
        "d90_plus": one,
    }
    b1 = next(r for r in summary.rows if r.party == "B1")
    assert b1.amounts["current"] == one and b1.total == one
    assert summary.totals().total == 9 * one


def test_aged_as_of_a_past_date_shows_what_was_open_then(books: Store, team: Team) -> None:
    may = date(2026, 5, 31)
    with books.write() as session:
        paid_later = doc(session, team.clerk, day=date(2026, 5, 1))
        voided_later = doc(session, team.clerk, day=date(2026, 5, 2))
        partly = doc(session, team.clerk, day=date(2026, 5, 3))
        pay(session, team.clerk, paid_later.total, (paid_later.ref, None), day=date(2026, 6, 10))
        documents.void_document(session, team.manager, voided_later.ref, on=date(2026, 6, 12))
        bounced = pay(session, team.clerk, 20_000, (partly.ref, None), day=date(2026, 5, 20))
        payments.void_payment(session, team.manager, bounced.number, on=date(2026, 6, 15))
        pay(session, team.clerk, 30_000, day=date(2026, 5, 25))  # on account
    with books.read() as session:
        then = aging.aged(session, team.clerk, "receivables", may, detail=True)
        now = aging.aged(session, team.clerk, "receivables", AS_OF)
    opened = {r.document: sum(r.amounts.values()) for r in then.rows if r.document}
    assert opened == {paid_later.ref: 52_325, voided_later.ref: 52_325, partly.ref: 32_325}
    assert sum(r.on_account for r in then.rows) == 30_000
    c1_now = next(r for r in now.rows if r.party == "C1")
    assert (c1_now.total, c1_now.on_account) == (52_325, 30_000)  # only `partly`, unpaid again


def test_aged_balance_equals_the_control_account_after_back_dated_voids(
    books: Store, team: Team
) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk, day=date(2026, 3, 1))
        receipt = pay(session, team.clerk, 52_325, (invoice.ref, None), day=date(2026, 3, 5))
        payments.void_payment(session, team.manager, receipt.number, on=date(2026, 6, 1))
        documents.void_document(session, team.manager, invoice.ref, on=date(2026, 4, 1))
    for as_of in (date(2026, 3, 3), date(2026, 3, 10), date(2026, 5, 1), date(2026, 7, 1)):
        with books.read() as session:
            report = aging.aged(session, team.clerk, "receivables", as_of)
            ledger = _moved(session, "1210", date(2000, 1, 1), as_of)
        assert report.money(report.totals().balance) == ledger, as_of


def test_aged_payables_and_who_may_read_them(books: Store, team: Team, make_user: object) -> None:
    with books.write() as session:
        bill = doc(session, team.clerk, "bill", "S1", day=date(2026, 1, 10))  # due 2026-03-11
        pay(session, team.clerk, 1_000, party="S1", direction="made", day=date(2026, 1, 15))
    with books.read() as session:
        report = aging.aged(session, team.auditor, "payables", AS_OF)
        with pytest.raises(ValidationFailed):
            aging.aged(session, team.clerk, "sideways", AS_OF)
    row = report.rows[0]
    assert (row.party, row.amounts["d90_plus"], row.on_account) == ("S1", bill.total, 1_000)
    assert report.money(row.balance) == Decimal(bill.total - 1_000).scaleb(-2)
    assert callable(make_user)
    outsider = make_user("sara", "hr-manager")
    with books.read() as session, pytest.raises(PermissionDenied):
        aging.aged(session, outsider, "payables", AS_OF)
