"""The cash-flow statement in the Finance screen's Reports tab equals the service's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import cashflow
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.virtual_table import VirtualTable
from tests.ui.test_finance_screen import SIZE, _books, _open_finance, _run_report, _text


async def test_cash_flow_on_screen_equals_the_service(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    last = _books(seeded, admin)
    start, end = date(last.year, 1, 1), date(last.year, 2, 28)
    with seeded.read() as session:
        cf = cashflow.cash_flow(session, admin, start, end)
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        pane = await _run_report(
            pilot, "f", "ctrl+u", *start.isoformat(), "tab", "ctrl+u", *end.isoformat()
        )
        rows = pane.query_one(VirtualTable).source.rows(0, 100)
        amounts = {r["account"]: r["amount"] for r in rows}
        assert amounts["Profit for the period"] == cf.profit
        assert amounts["Net change in cash"] == cf.net_change
        assert amounts["Cash at the end of the period"] == cf.closing_cash
        assert "opening cash + net change = closing cash" in _text(pane, "#report-note")
