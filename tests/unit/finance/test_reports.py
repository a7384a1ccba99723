"""Reports on a small, known ledger: every figure checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.finance import service
from bo_console.finance.reports import CURRENT_YEAR_EARNINGS, PRIOR_YEARS_EARNINGS
from tests.unit.finance.conftest import Poster, Team, sale


@pytest.fixture
def books(post: Poster, store: Store, team: Team) -> Store:
    """Capital in 2025, a loss in 2025, then sales, rent and a reversed entry in 2026."""
    post(date(2025, 12, 1), ("1110", 5_000_000, 0), ("3100", 0, 5_000_000), memo="capital")
    post(date(2025, 12, 20), ("6200", 300_000, 0), ("1110", 0, 300_000), memo="rent Dec")
    post(date(2026, 1, 10), *sale(1_000_000), memo="sale Jan")
    post(date(2026, 2, 3), *sale(400_000), memo="sale Feb")
    post(date(2026, 2, 15), ("6200", 300_000, 0), ("1110", 0, 300_000), memo="rent Feb")
    wrong = post(date(2026, 2, 20), ("6410", 9_900, 0), ("1110", 0, 9_900), memo="fee typo")
    with store.write() as session:
        service.reverse_entry(session, team.clerk, wrong.ref, on=date(2026, 3, 2))
    return store


def test_trial_balance_rows_and_totals(books: Store, team: Team) -> None:
    with books.read() as session:
        tb = service.trial_balance(session, team.auditor, date(2026, 2, 28))
    rows = {r.code: r for r in tb.rows}
    assert rows["1110"].account == "Assets:Cash and banks:Al Rajhi Bank current account"
    assert rows["1110"].debit == Decimal("60001.00") and rows["1110"].credit == 0
    assert rows["3100"].credit == Decimal("50000.00") and rows["3100"].balance == -50000
    assert rows["6410"].balance == Decimal("99.00")  # the reversal is dated March
    assert rows["4100"].balance == Decimal("-14000.00")
    assert rows["2210"].balance == Decimal("-2100.00")
    assert tb.total_debit == tb.total_credit == Decimal("66100.00")
    assert all(r.balance == r.debit - r.credit for r in tb.rows)
    with books.read() as session:
        march = service.trial_balance(session, team.auditor, date(2026, 3, 2))
        everything = service.trial_balance(
            session, team.auditor, date(2026, 3, 2), include_zero=True
        )
    assert "6410" not in {r.code for r in march.rows}
    assert len(everything.rows) > 80 and {r.code for r in everything.rows} >= {"6410", "1150"}


def test_trial_balance_mid_month_reads_the_lines(books: Store, team: Team) -> None:
    with books.read() as session:
        tb = service.trial_balance(session, team.auditor, date(2026, 2, 10))
    assert {r.code: r.balance for r in tb.rows}["4100"] == Decimal("-14000.00")
    with books.read() as session:
        tb = service.trial_balance(session, team.auditor, date(2026, 2, 2))
    assert {r.code: r.balance for r in tb.rows}["4100"] == Decimal("-10000.00")


def test_general_ledger_has_opening_running_and_closing(books: Store, team: Team) -> None:
    with books.read() as session:
        gl = service.general_ledger(
            session, team.clerk, "1110", date(2026, 2, 1), date(2026, 3, 31)
        )
    assert gl.opening == Decimal("58500.00")  # 50,000 - 3,000 + 11,500
    assert [(r.memo.split(":")[0], r.debit, r.credit, r.balance) for r in gl.rows] == [
        ("sale Feb", Decimal("4600.00"), 0, Decimal("63100.00")),
        ("rent Feb", 0, Decimal("3000.00"), Decimal("60100.00")),
        ("fee typo", 0, Decimal("99.00"), Decimal("60001.00")),
        ("Reversal of 2026-000004", Decimal("99.00"), 0, Decimal("60100.00")),
    ]
    assert gl.rows[2].ref == "2026-000004" and gl.rows[3].source == "reversal"
    assert gl.closing == gl.opening + gl.total_debit - gl.total_credit
    with books.read() as session:
        group = service.general_ledger(
            session, team.clerk, "Assets:Cash and banks", date(2026, 1, 1), date(2026, 12, 31)
        )
    assert group.closing == Decimal("60100.00") and len(group.rows) == 5
    with pytest.raises(NotFound), books.read() as session:
        service.general_ledger(session, team.clerk, "nope", date(2026, 1, 1), date(2026, 1, 2))
    with pytest.raises(ValidationFailed), books.read() as session:
        service.general_ledger(session, team.clerk, "1110", date(2026, 2, 1), date(2026, 1, 1))


def test_income_statement_with_previous_period(books: Store, team: Team) -> None:
    with books.read() as session:
        pl = service.income_statement(
            session, team.auditor, date(2026, 2, 1), date(2026, 2, 28), compare=True
        )
    assert (pl.previous_from, pl.previous_to) == (date(2026, 1, 1), date(2026, 1, 31))
    rows = {r.code: r for r in pl.rows}
    assert rows["4100"].amount == Decimal("4000.00") and rows["4100"].previous == Decimal(
        "10000.00"
    )
    assert rows["6200"].amount == Decimal("3000.00") and rows["6200"].previous == 0
    assert rows["6200"].group == "Operating expenses" and rows["6200"].section == "expense"
    assert pl.total_income == Decimal("4000.00") and pl.total_expense == Decimal("3099.00")
    assert pl.net_income == Decimal("901.00") and pl.previous_net == Decimal("10000.00")
    with books.read() as session:
        year = service.income_statement(session, team.auditor, date(2026, 1, 1), date(2026, 3, 31))
    assert year.net_income == Decimal("11000.00") and year.previous_net is None
    assert "6410" not in {r.code for r in year.rows}  # reversed within the range


def test_balance_sheet_balances_with_current_and_prior_earnings(books: Store, team: Team) -> None:
    with books.read() as session:
        sheet = service.balance_sheet(session, team.auditor, date(2026, 2, 28))
    equity = {r.account: r.amount for r in sheet.rows if r.section == "equity"}
    assert equity[PRIOR_YEARS_EARNINGS] == Decimal("-3000.00")
    assert equity[CURRENT_YEAR_EARNINGS] == Decimal("10901.00")
    assert sheet.total_assets == Decimal("60001.00")
    assert sheet.total_liabilities == Decimal("2100.00")
    assert sheet.total_equity == Decimal("57901.00")
    assert sheet.balanced
    with books.read() as session:
        last_year = service.balance_sheet(session, team.auditor, date(2025, 12, 31))
    labels = {r.account for r in last_year.rows}
    assert PRIOR_YEARS_EARNINGS not in labels and last_year.current_year_earnings == -3000
    assert last_year.balanced
