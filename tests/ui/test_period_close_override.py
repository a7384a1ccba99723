"""The Periods tab closes a month past a failing checklist item, with the reason (F5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import text
from textual.widgets import DataTable, Input

from bo_console.core.clock import today
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import service
from bo_console.finance.models import EntryCreate, LineCreate
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormScreen
from tests.ui.test_finance_screen import SIZE, _open_finance


async def test_manager_closes_a_month_with_a_draft_by_overriding_it(
    app_for: Callable[[Actor], BoApp], make_user: Callable[..., Actor], admin: Actor, seeded: Store
) -> None:
    january = date(today().year, 1, 15)
    with seeded.write() as session:
        data = EntryCreate(
            date=january,
            memo="accrual estimate",
            lines=[LineCreate(account="6210", debit=100), LineCreate(account="2120", credit=100)],
        )
        service.post_entry(session, admin, data)
        service.create_draft(session, admin, data)
    manager = make_user("layla", "finance-manager")
    app = app_for(manager)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _open_finance(pilot)
        await pilot.press("7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = finance.query_one("#periods-table", DataTable)
        assert table.has_focus
        await pilot.press("c")  # refused: the draft
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-item", Input).value == "drafts"
        form.query_one("#field-reason", Input).value = "estimate stays a draft"
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(table.get_row_at(0)[1]) == "closed"
    with seeded.read() as session:
        assert service.is_closed(session, f"{january.year}-01")
        changes = session.execute(
            text("SELECT changes FROM audit_event WHERE entity = 'period' AND action = 'close'")
        ).scalar_one()
    assert "override drafts" in changes and "estimate stays a draft" in changes
