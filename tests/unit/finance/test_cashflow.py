"""The cash-flow statement (indirect method): profit, non-cash items, working capital,
investing and financing, and opening cash + net change = closing cash (F9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, ValidationFailed
from bo_console.finance import cashflow
from bo_console.finance.report_tables import cash_flow_table
from tests.unit.finance.conftest import Poster, Team, sale


def _books(post: Poster) -> None:
    post(date(2026, 2, 1), ("1110", 500_000, 0), ("3100", 0, 500_000))  # before the period
    day = date(2026, 3, 10)
    post(day, *sale(100_000))  # sales 1,000.00 + VAT 150.00, paid in cash
    post(day, ("6500", 20_000, 0), ("1555", 0, 20_000))  # depreciation 200.00
    post(day, ("6400", 30_000, 0), ("2120", 0, 30_000))  # fees accrued 300.00, unpaid
    post(day, ("1550", 80_000, 0), ("1110", 0, 80_000))  # a laptop bought 800.00
    post(day, ("1120", 250_000, 0), ("2510", 0, 250_000))  # a loan 2,500.00
    post(day, ("1440", 10_000, 0), ("1120", 0, 10_000))  # an advance to a supplier 100.00


def test_indirect_method_ties(store: Store, team: Team, post: Poster) -> None:
    _books(post)
    with store.read() as session:
        cf = cashflow.cash_flow(session, team.auditor, date(2026, 3, 1), date(2026, 3, 31))
    # Profit 1,000.00 - 200.00 - 300.00 = 500.00.
    assert cf.profit == Decimal("500.00")
    rows = {r.code: r for r in cf.rows}
    assert (rows["1555"].kind, rows["1555"].amount) == ("non_cash", Decimal("200.00"))
    assert (rows["2120"].kind, rows["2120"].amount) == ("working_capital", Decimal("300.00"))
    assert (rows["2210"].kind, rows["2210"].amount) == ("working_capital", Decimal("150.00"))
    assert (rows["1440"].kind, rows["1440"].amount) == ("working_capital", Decimal("-100.00"))
    assert (rows["1550"].section, rows["1550"].amount) == ("investing", Decimal("-800.00"))
    assert (rows["2510"].section, rows["2510"].amount) == ("financing", Decimal("2500.00"))
    assert "1110" not in rows and "4100" not in rows
    assert cf.operating == Decimal("500.00") + Decimal("200.00") + Decimal("350.00")
    assert (cf.investing, cf.financing) == (Decimal("-800.00"), Decimal("2500.00"))
    assert cf.net_change == Decimal("2750.00")
    assert (cf.opening_cash, cf.closing_cash) == (Decimal("5000.00"), Decimal("7750.00"))
    assert cf.ties
    table = cash_flow_table(cf)
    labels = {r["account"]: r["amount"] for r in table.rows}
    assert labels["Net cash from operating activities"] == Decimal("1050.00")
    assert labels["Cash at the end of the period"] == Decimal("7750.00")
    assert not table.warning


def test_the_opening_entry_is_financing_from_before(store: Store, team: Team, post: Poster) -> None:
    _books(post)
    with store.read() as session:
        cf = cashflow.cash_flow(session, team.auditor, date(2026, 1, 1), date(2026, 3, 31))
    assert cf.opening_cash == Decimal("0.00")
    assert cf.financing == Decimal("7500.00")  # share capital 5,000.00 and the loan
    assert cf.ties and cf.closing_cash == Decimal("7750.00")


def test_a_class_set_moves_an_account(store: Store, team: Team, post: Poster) -> None:
    _books(post)
    with store.write() as session:
        with pytest.raises(PermissionDenied):
            cashflow.set_cash_flow_class(session, team.clerk, "1440", "investing")
        with pytest.raises(ValidationFailed, match="profit"):
            cashflow.set_cash_flow_class(session, team.manager, "6500", "non_cash")
        with pytest.raises(ValidationFailed, match="one of"):
            cashflow.set_cash_flow_class(session, team.manager, "1440", "sideways")
        found = cashflow.set_cash_flow_class(session, team.manager, "1440", "investing")
        assert (found.cash_flow, found.set) == ("investing", True)
    with store.read() as session:
        cf = cashflow.cash_flow(session, team.auditor, date(2026, 3, 1), date(2026, 3, 31))
        listed = {c.code: c for c in cashflow.cash_flow_classes(session, team.auditor)}
    assert cf.investing == Decimal("-900.00") and cf.ties
    assert listed["1440"].set and listed["1110"].cash_flow == "cash"
    assert "6500" not in listed and "1000" not in listed
    with store.write() as session:
        back = cashflow.set_cash_flow_class(session, team.manager, "1440", "default")
    assert (back.cash_flow, back.set) == ("working_capital", False)


def test_default_classes_of_the_seeded_chart(store: Store, team: Team) -> None:
    with store.read() as session:
        listed = {c.code: c.cash_flow for c in cashflow.cash_flow_classes(session, team.auditor)}
    assert {listed[c] for c in ("1110", "1120", "1130", "1140", "1150")} == {"cash"}
    assert {listed[c] for c in ("1210", "1310", "1430", "2110", "2210", "2130")} == {
        "working_capital"
    }
    assert {listed[c] for c in ("1220", "1525", "1555", "1615", "2520")} == {"non_cash"}
    assert {listed[c] for c in ("1520", "1550", "1610")} == {"investing"}
    assert {listed[c] for c in ("2150", "2510", "2530", "3100", "3300")} == {"financing"}


def test_year_end_closing_entries_are_left_out(store: Store, team: Team, post: Poster) -> None:
    from bo_console.finance import service

    _books(post)
    with store.write() as session:
        for month in range(2, 13):
            service.close_period(session, team.manager, f"2026-{month:02d}")
    with store.read() as session:
        cf = cashflow.cash_flow(session, team.auditor, date(2026, 3, 1), date(2026, 12, 31))
    assert cf.profit == Decimal("500.00") and cf.ties
    assert "3300" not in {r.code for r in cf.rows}


def test_opening_balances_are_brought_forward(store: Store, team: Team, post: Poster) -> None:
    post(
        date(2026, 3, 1),
        ("1110", 300_000, 0),
        ("1550", 100_000, 0),
        ("2520", 0, 50_000),
        ("3900", 0, 350_000),
        source="opening",
    )
    post(date(2026, 3, 5), ("6200", 20_000, 0), ("1110", 0, 20_000))
    with store.read() as session:
        cf = cashflow.cash_flow(session, team.auditor, date(2026, 3, 1), date(2026, 3, 31))
    assert cf.opening_cash == Decimal("3000.00") and cf.net_change == Decimal("-200.00")
    assert [r.code for r in cf.rows] == [] and cf.ties


def test_adjustments_of_opening_balances_are_no_cash_flow(
    store: Store, team: Team, post: Poster
) -> None:
    # Provisions earned before the books (against retained earnings) restate what was brought
    # forward: neither an operating add-back nor an equity outflow. A retained-earnings entry
    # that moves cash (a dividend paid) still is a cash flow.
    _books(post)
    post(date(2026, 3, 20), ("3300", 40_000, 0), ("2520", 0, 40_000), source="payroll")
    post(date(2026, 3, 25), ("3300", 5_000, 0), ("1110", 0, 5_000))
    with store.read() as session:
        cf = cashflow.cash_flow(session, team.auditor, date(2026, 3, 1), date(2026, 3, 31))
    rows = {r.code: r for r in cf.rows}
    assert "2520" not in rows
    assert (rows["3300"].section, rows["3300"].amount) == ("financing", Decimal("-50.00"))
    assert cf.operating == Decimal("1050.00") and cf.ties


def test_refusals(store: Store, team: Team) -> None:
    with store.read() as session:
        with pytest.raises(ValidationFailed):
            cashflow.cash_flow(session, team.auditor, date(2026, 3, 2), date(2026, 3, 1))
