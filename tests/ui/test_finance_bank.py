"""The Bank tab: open statement lines with the reconciliation in the status line; m matches
what is sure after asking; enter shows a line's suggestions and 1 reconciles with the first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.widgets import DataTable

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import bank, service
from bo_console.finance.models import EntryCreate, LineCreate
from bo_console.finance.screen import BankPane
from bo_console.finance.screen.bank import SuggestionsDialog
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.confirm import ConfirmDialog
from tests.ui.test_finance_screen import SIZE, _open_finance, _text

STATEMENT = (
    b"Date,Text,Amount\n2026-03-03,POS deposit INV-77,1150.00\n2026-03-05,Rent March,-2000.00\n"
)


def _books(store: Store, admin: Actor) -> None:
    def post(day: date, memo: str, *lines: tuple[str, int, int]) -> None:
        service.post_entry(
            session, admin,
            EntryCreate(date=day, memo=memo, lines=[
                LineCreate(account=a, debit=d, credit=c) for a, d, c in lines]),
        )  # fmt: skip

    with store.write() as session:
        bank.add_bank_account(session, admin, code="RAJHI", name="Al Rajhi", account="1110")
        post(date(2026, 3, 2), "Cash sale INV-77", ("1110", 115_000, 0), ("4100", 0, 115_000))
        post(date(2026, 3, 5), "Rent head office", ("6200", 200_000, 0), ("1110", 0, 200_000))
        post(date(2026, 3, 5), "Rent warehouse", ("6200", 200_000, 0), ("1110", 0, 200_000))
        bank.import_statement(
            session, admin, "RAJHI", STATEMENT, fmt="csv",
            mapping={"date": "Date", "text": "Text", "amount": "Amount"},
        )  # fmt: skip


async def test_match_then_reconcile_a_line_from_its_suggestions(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    _books(seeded, admin)
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        finance = await _open_finance(pilot)
        await finance.action_show_tab("bank")
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = finance.query_one(BankPane)
        table = finance.query_one("#bank-table", DataTable)
        assert table.row_count == 2 and "2 open lines" in _text(pane, "#bank-status")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The deposit matched its sale; the rent has two candidates and stays open.
        assert table.row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SuggestionsDialog)
        assert [c.memo for c in dialog.view[1]] == ["Rent head office", "Rent warehouse"]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 0
        assert "difference 0.00" in _text(pane, "#bank-status")
    with seeded.read() as session:
        lines = bank.list_lines(session, admin, "RAJHI")
    assert [v.status for v in lines] == ["reconciled", "reconciled"]
