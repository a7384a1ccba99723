"""The income statement's gross profit: trading revenue less cost of sales (F9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bo_console.core.db import Store
from bo_console.finance import reports
from bo_console.finance.report_tables import income_statement_table
from tests.unit.finance.conftest import Poster, Team


def test_gross_profit(store: Store, team: Team, post: Poster) -> None:
    day = date(2026, 3, 10)
    post(day, ("1110", 100_000, 0), ("4100", 0, 100_000))  # sales 1,000.00
    post(day, ("1110", 5_000, 0), ("4910", 0, 5_000))  # interest 50.00: not trading
    post(day, ("5110", 60_000, 0), ("1310", 0, 60_000))  # cost of goods sold 600.00
    post(day, ("5120", 4_000, 0), ("1110", 0, 4_000))  # freight inward 40.00
    post(day, ("6200", 10_000, 0), ("1110", 0, 10_000))  # rent 100.00: below gross profit
    with store.read() as session:
        pl = reports.income_statement(
            session, team.auditor, date(2026, 3, 1), date(2026, 3, 31), compare=True
        )
    # 1,000.00 - (600.00 + 40.00) = 360.00; net 1,050.00 - 740.00 = 310.00.
    assert (pl.revenue, pl.cost_of_sales, pl.gross_profit) == (
        Decimal("1000.00"), Decimal("640.00"), Decimal("360.00"))  # fmt: skip
    assert pl.net_income == Decimal("310.00") and pl.previous_gross == Decimal("0.00")
    rows = {r["section"]: r for r in income_statement_table(pl).rows}
    assert rows["gross"]["amount"] == Decimal("360.00")
