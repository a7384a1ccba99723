"""The Finance screen: the cash-flow statement, cost centres in the entry form, and the income
statement of one cost centre, each as the service has them."""

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


async def test_entry_form_picks_a_cost_centre_from_the_list(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    from textual.widgets import Input

    from bo_console.finance import cost_centres
    from bo_console.finance.cost_centre_models import CostCentreCreate
    from bo_console.finance.screen import EntryForm
    from tests.ui.test_finance_screen import _new_entry

    with seeded.write() as session:
        cost_centres.add_cost_centre(
            session, admin, CostCentreCreate(code="OPS", name="Operations")
        )
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        form = await _new_entry(pilot, *"6200", "tab", *"50", "tab", "tab", "tab", *"OPZ")
        assert isinstance(form, EntryForm)
        await pilot.pause()
        hints = " ".join(str(w.render()) for w in form.query(".line-hint"))
        assert "no active cost centre 'OPZ'" in hints
        centre = form.query_one("#centre-1", Input)
        centre.value = ""
        await pilot.press(*"OP", "right")  # → takes the completion
        await pilot.pause()
        assert centre.value == "OPS"
        await pilot.press("tab", *"1110", "tab", "tab", *"50", "ctrl+o")
        await pilot.pause()
        await pilot.press("y")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    with seeded.read() as session:
        from sqlalchemy import text

        rows = session.execute(
            text(
                "SELECT cost_centre FROM fin_line l JOIN fin_account a ON a.id = l.account_id "
                "WHERE a.code = '6200'"
            )
        ).all()
    assert [r[0] for r in rows] == ["OPS"]


async def test_income_statement_of_one_cost_centre_on_screen(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    from bo_console.finance import cost_centres, service
    from bo_console.finance.cost_centre_models import CostCentreCreate
    from bo_console.finance.models import EntryCreate, LineCreate

    last = _books(seeded, admin)
    with seeded.write() as session:
        cost_centres.add_cost_centre(
            session, admin, CostCentreCreate(code="OPS", name="Operations")
        )
        service.post_entry(
            session,
            admin,
            EntryCreate(
                date=last,
                memo="Fuel",
                lines=[
                    LineCreate(account="6320", debit=12_345, cost_centre="OPS"),
                    LineCreate(account="1110", credit=12_345),
                ],
            ),
        )
    start = date(last.year, 1, 1)
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        pane = await _run_report(
            pilot, "i", "ctrl+u", *start.isoformat(), "tab", "ctrl+u", *last.isoformat(),
            "tab", "tab", *"OPS",
        )  # fmt: skip
        rows = pane.query_one(VirtualTable).source.rows(0, 100)
        assert [r["code"] for r in rows if r.get("code")] == ["6320"]
        net = next(r for r in rows if r["section"] == "net")
        assert str(net["amount"]) == "-123.45"
        assert pane.table is not None and "cost centre OPS" in pane.table.title
