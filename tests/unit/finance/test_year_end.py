"""F2: a configurable fiscal year and a year-end close the income statement ignores."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation
from bo_console.finance import service
from tests.unit.finance.conftest import Poster, Team


def _year_2025(post: Poster) -> None:
    post(date(2025, 12, 5), ("1110", 100_000, 0), ("4100", 0, 100_000))  # sales 1,000
    post(date(2025, 12, 20), ("6200", 30_000, 0), ("1110", 0, 30_000))  # rent 300
    post(date(2026, 1, 10), ("1110", 50_000, 0), ("4100", 0, 50_000))


def _tb(store: Store, team: Team, day: date) -> dict[str, Decimal]:
    with store.read() as session:
        return {r.code: r.balance for r in service.trial_balance(session, team.clerk, day).rows}


def test_year_end_close_moves_the_result_to_retained_earnings(
    store: Store, team: Team, post: Poster
) -> None:
    _year_2025(post)
    assert _tb(store, team, date(2026, 1, 31))["4100"] == Decimal("-1500.00")
    with store.write() as session:
        assert service.close_year(session, team.manager, "2025")
    tb = _tb(store, team, date(2026, 1, 31))
    assert tb["4100"] == Decimal("-500.00") and "6200" not in tb
    assert tb["3300"] == Decimal("-700.00")
    with store.read() as session:
        dec = service.income_statement(session, team.clerk, date(2025, 12, 1), date(2025, 12, 31))
        sheet = service.balance_sheet(session, team.clerk, date(2025, 12, 31))
        closing = service.list_entries(session, team.clerk, service.EntryFilter(source="closing"))
    assert dec.net_income == Decimal("700.00") and dec.total_income == Decimal("1000.00")
    assert sheet.balanced and sheet.current_year_earnings == 0
    assert len(closing) == 1
    with pytest.raises(RuleViolation, match="through that document"), store.write() as session:
        service.reverse_entry(session, team.admin, closing[0].ref)
    with pytest.raises(PermissionDenied), store.write() as session:
        service.reopen_period(session, team.manager, "2025-12")
    with store.write() as session:
        service.reopen_period(session, team.admin, "2025-12", reason="late invoice")
    tb = _tb(store, team, date(2026, 1, 31))
    assert tb["4100"] == Decimal("-1500.00") and "3300" not in tb
    with store.read() as session:
        dec = service.income_statement(session, team.clerk, date(2025, 12, 1), date(2025, 12, 31))
    assert dec.net_income == Decimal("700.00")
    with store.write() as session:
        assert service.close_year(session, team.manager, "2025")
    assert _tb(store, team, date(2026, 1, 31))["3300"] == Decimal("-700.00")


def test_fiscal_year_start_is_a_setting(store: Store, team: Team, post: Poster) -> None:
    post(date(2025, 7, 5), ("1110", 100_000, 0), ("4100", 0, 100_000))
    post(date(2026, 7, 5), ("1110", 20_000, 0), ("4100", 0, 20_000))
    with pytest.raises(PermissionDenied), store.write() as session:
        service.set_start_month(session, team.manager, 7)
    with store.write() as session:
        year = service.set_start_month(session, team.admin, 7)
    assert year.start_month == 7
    with store.read() as session:
        sheet = service.balance_sheet(session, team.clerk, date(2026, 7, 31))
        fy = service.fiscal_year(session, team.clerk, date(2026, 7, 31))
    assert (fy.first, fy.last, fy.name) == (date(2026, 7, 1), date(2027, 6, 30), "2027")
    with store.reading() as reader:
        assert service.fiscal_year(reader, team.clerk, date(2026, 7, 31)) == fy
    # this fiscal year began on 1 July: the sale of July 2025 is an earlier year's result
    assert sheet.current_year_earnings == Decimal("200.00")
    for month in range(7, 13):
        with store.write() as session:
            service.close_period(session, team.manager, f"2025-{month:02d}")
    for month in range(1, 6):
        with store.write() as session:
            service.close_period(session, team.manager, f"2026-{month:02d}")
    with store.write() as session:
        assert service.close_year(session, team.manager, "2026")  # closes 2026-06
    assert _tb(store, team, date(2026, 7, 31))["3300"] == Decimal("-1000.00")
    with pytest.raises(RuleViolation, match="reopen it"), store.write() as session:
        service.set_start_month(session, team.admin, 1)
