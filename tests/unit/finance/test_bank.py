"""Bank statements: CSV with a saved mapping and CAMT.053, importing twice changes nothing,
matching by amount, date and reference, rules for recurring lines, and the reconciliation
report that balances statement to ledger (figures worked by hand in the comments)."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.core.money import Currency
from bo_console.finance import bank
from bo_console.finance.bank.statements import parse_camt053
from tests.unit.finance.conftest import Poster, Team

D = Decimal
MAPPING = {
    "date": "Date",
    "text": "Description",
    "reference": "Reference",
    "debit": "Debit",
    "credit": "Credit",
    "date_format": "%d/%m/%Y",
}
STATEMENT = (
    "\ufeffDate,Description,Reference,Debit,Credit\n"
    '03/03/2026,POS deposit,INV-77,,"1,150.00"\n'
    '05/03/2026,Rent March,,"2,000.00",\n'
    "06/03/2026,Bank charges March,,23.00,\n"
    "10/03/2026,Unknown deposit,,,500.00\n"
).encode()


@pytest.fixture
def books(store: Store, team: Team, post: Poster) -> Store:
    """The bank account RAJHI on 1110 and March's ledger lines on it."""
    with store.write() as session:
        bank.add_bank_account(session, team.manager, code="rajhi", name="Al Rajhi", account="1110")
        bank.add_rule(
            session, team.manager, "RAJHI", match_text="bank charges", account="6410",
            tax_code="S15",
        )  # fmt: skip
    post(date(2026, 3, 2), ("1110", 115_000, 0), ("4100", 0, 100_000, "S15"),
         ("2210", 0, 15_000, "S15"), memo="Cash sale INV-77")  # fmt: skip
    post(date(2026, 3, 5), ("6200", 200_000, 0), ("1110", 0, 200_000), memo="Rent head office")
    post(date(2026, 3, 5), ("6200", 200_000, 0), ("1110", 0, 200_000), memo="Rent warehouse")
    post(date(2026, 3, 20), ("6240", 30_000, 0), ("1110", 0, 30_000), memo="Cheque 1044")
    return store


def _import(
    store: Store, team: Team, content: bytes = STATEMENT, **kw: object
) -> bank.ImportResult:
    with store.write() as session:
        return bank.import_statement(session, team.clerk, "RAJHI", content, fmt="csv", **kw)  # type: ignore[arg-type]


def _count(store: Store, sql: str) -> int:
    with store.read() as session:
        return int(session.execute(text(sql)).scalar_one())


def test_the_bank_accounts_list_reads_the_same_through_a_reader(books: Store, team: Team) -> None:
    _import(books, team, mapping=MAPPING)
    with books.reading() as reader:
        listed = bank.list_bank_accounts(reader, team.clerk)
    with books.read() as session:
        assert bank.list_bank_accounts(session, team.clerk) == listed
    assert [(b.code, b.name, b.account, b.iban) for b in listed] == [
        ("RAJHI", "Al Rajhi", "1110", "")
    ]
    assert listed[0].csv_mapping == MAPPING


def test_a_statement_imported_twice_changes_nothing(books: Store, team: Team) -> None:
    first = _import(books, team, mapping=MAPPING)
    assert (first.added, first.skipped, first.already_imported) == (4, 0, False)
    again = _import(books, team)  # the saved mapping
    assert (again.added, again.already_imported) == (0, True)
    # Another file overlapping the first: its two old lines are skipped.
    overlap = STATEMENT.splitlines(keepends=True)
    newer = b"".join([overlap[0], overlap[3], overlap[4], b"12/03/2026,Transfer,T-9,,75.00\n"])
    third = _import(books, team, newer)
    assert (third.added, third.skipped) == (1, 2)
    assert _count(books, "SELECT count(*) FROM fin_bank_line") == 5
    assert _count(books, "SELECT count(*) FROM fin_bank_statement") == 2


def test_a_bad_file_is_refused_by_row_and_writes_nothing(books: Store, team: Team) -> None:
    bad = STATEMENT + b"31/02/2026,Broken,,1.00,\n" + b"01/03/2026,Bad,,x,\n"
    with pytest.raises(
        ValidationFailed,
        match=r"row 6, column Date: '31/02/2026' is not a date in the format DD/MM/YYYY "
        r"\(and 1 more\)",
    ):
        _import(books, team, bad, mapping=MAPPING)
    with pytest.raises(ValidationFailed, match="no saved CSV mapping"):
        _import(books, team)
    assert _count(books, "SELECT count(*) FROM fin_bank_line") == 0


def test_matching_rules_and_the_reconciliation_report(
    books: Store, team: Team, post: Poster
) -> None:
    _import(books, team, mapping=MAPPING, to=date(2026, 3, 31))
    with books.write() as session:
        result = bank.auto_match(session, team.clerk, "RAJHI")
    # The deposit matches the sale by amount and its reference; the charges are posted by the
    # rule; the rent has two equal candidates and the unknown deposit none: both stay open.
    assert result == bank.MatchResult(matched=1, by_rules=1, still_open=2)
    with books.reading() as reader:
        through_reader = bank.list_lines(reader, team.auditor, "rajhi")
    assert sum(1 for v in through_reader if v.entry) == 2
    with books.read() as session:
        assert bank.list_lines(session, team.auditor, "RAJHI") == through_reader
        lines = {v.text: v for v in bank.list_lines(session, team.auditor, "RAJHI")}
        rent = lines["Rent March"]
        offered = bank.suggestions(session, team.auditor, rent.id)
        charges = session.execute(
            text(
                "SELECT a.code, l.debit, l.credit, l.tax_code FROM fin_line l "
                "JOIN fin_account a ON a.id = l.account_id JOIN fin_entry e ON e.id = l.entry_id "
                "WHERE e.source = 'bank' ORDER BY l.line_no"
            )
        ).all()
    assert lines["POS deposit"].status == "reconciled"
    assert [tuple(r) for r in charges] == [
        ("1110", 0, 2_300, None),
        ("1430", 300, 0, "S15"),
        ("6410", 2_000, 0, "S15"),
    ]  # fmt: skip  (23.00 gross: 20.00 net and 3.00 VAT)
    assert [c.memo for c in offered] == ["Rent head office", "Rent warehouse"]
    with books.write() as session:
        bank.reconcile(session, team.clerk, rent.id, offered[0].entry)
        with pytest.raises(RuleViolation, match="already reconciled"):
            bank.reconcile(session, team.clerk, rent.id, offered[1].entry)
    with books.read() as session:
        report = bank.reconciliation(session, team.auditor, "RAJHI", date(2026, 3, 31))
        status = bank.bank_accounts_reconciled(session, team.auditor, "2026-03")
    # Ledger 1110: 1,150 - 2,000 - 2,000 - 300 - 23 = -3,173.00. Statement from 0 (the sale
    # booked the day before the bank shows it is not in the opening): 1,150 - 2,000 - 23 + 500
    # = -373.00; less the open deposit 500.00; plus the ledger's open rent and cheque -2,300.00.
    assert (report.statement_balance, report.open_statement, report.open_ledger) == (
        D("-373.00"), D("500.00"), D("-2300.00"))  # fmt: skip
    assert report.adjusted_balance == report.ledger_balance == D("-3173.00")
    assert report.balances
    assert [s.reason for s in status] == ["1 statement lines open"]
    post(date(2026, 3, 10), ("1110", 50_000, 0), ("4100", 0, 50_000), memo="Deposit found")
    with books.write() as session:
        assert bank.auto_match(session, team.clerk, "RAJHI").matched == 1
    with books.read() as session:
        assert [
            s.reconciled for s in bank.bank_accounts_reconciled(session, team.auditor, "2026-03")
        ] == [True]
        assert not bank.bank_accounts_reconciled(session, team.auditor, "2026-04")[0].reconciled


def test_a_clerk_cannot_add_rules_and_amounts_must_agree(books: Store, team: Team) -> None:
    _import(books, team, mapping=MAPPING)
    with books.write() as session:
        with pytest.raises(PermissionDenied):
            bank.add_rule(session, team.clerk, "RAJHI", match_text="fees", account="6410")
        lines = bank.list_lines(session, team.clerk, "RAJHI", open_only=True)
        deposit = next(v for v in lines if v.text == "Unknown deposit")
        with pytest.raises(RuleViolation, match="amounts differ"):
            bank.reconcile(session, team.clerk, deposit.id, "2026-000004")


def test_an_imported_line_cannot_be_altered_in_the_database(books: Store, team: Team) -> None:
    _import(books, team, mapping=MAPPING)
    assert books.path is not None
    conn = sqlite3.connect(books.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="never change"):
            conn.execute("UPDATE fin_bank_line SET amount = amount + 1")
    finally:
        conn.close()


CAMT = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt><Stmt><Id>STMT-2026-03</Id>
  <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="SAR">1000.00</Amt>
   <CdtDbtInd>CRDT</CdtDbtInd></Bal>
  <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="SAR">1210.00</Amt>
   <CdtDbtInd>CRDT</CdtDbtInd></Bal>
  <Ntry><Amt Ccy="SAR">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-04</Dt></BookgDt>
   <AcctSvcrRef>B1</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>RCPT-2026-00001</EndToEndId></Refs>
   <RmtInf><Ustrd>Al Safa Hospital</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
  <Ntry><Amt Ccy="SAR">40.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><BookgDt><Dt>2026-03-05</Dt></BookgDt>
   <AcctSvcrRef>B2</AcctSvcrRef><AddtlNtryInf>Card fee</AddtlNtryInf></Ntry>
 </Stmt></BkToCstmrStmt></Document>"""


def test_camt053_lines_and_balances(books: Store, team: Team) -> None:
    parsed = parse_camt053(CAMT, Currency("SAR", 2))
    assert (parsed.reference, parsed.opening_balance, parsed.closing_balance) == (
        "STMT-2026-03", 100_000, 121_000)  # fmt: skip
    assert [(x.date, x.amount, x.text, x.reference) for x in parsed.lines] == [
        (date(2026, 3, 4), 25_000, "Al Safa Hospital", "RCPT-2026-00001"),
        (date(2026, 3, 5), -4_000, "Card fee", "B2"),
    ]
    with books.write() as session:
        first = bank.import_statement(session, team.clerk, "RAJHI", CAMT, fmt="camt053")
        again = bank.import_statement(session, team.clerk, "RAJHI", CAMT, fmt="camt053")
    assert (first.added, again.already_imported) == (2, True)
    with pytest.raises(ValidationFailed, match="not a CAMT.053"):
        parse_camt053(b"<x/>", Currency("SAR", 2))
