"""Pilot tests for typed, linked work items: the kind on Home, an item's linked records and
the jump to one, and the open items of a sales order on the Logistics screen."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from bo_console.core import inbox
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.logistics.screen import LogisticsScreen
from bo_console.ui.app import BoApp
from bo_console.ui.home import HomeScreen
from bo_console.ui.inbox import WorkItemScreen
from bo_console.ui.kit.record_items import RecordItemsDialog
from bo_console.ui.widgets.form import FormScreen
from tests.unit.logistics.conftest import Team, add_item, buy, sell, team

__all__ = ["team"]  # the fixture

SIZE = (100, 30)


def _follow_up(store: Store, team: Team, order: str) -> int:
    with store.write() as session:
        item = inbox.create_item(
            session,
            team.admin,
            from_dept="front",
            item=inbox.NewWorkItem(
                kind="order-followup",
                subject=f"Customer asks when {order} ships",
                links=(inbox.Link("order", order), inbox.Link("party", "C1")),
            ),
        )
        assert item.id is not None
        return item.id


async def test_item_shows_kind_and_links_and_jumps_to_the_order(store: Store, team: Team) -> None:
    add_item(store, team.manager, "GLV-M")
    buy(store, team, "GLV-M", 50, 1000)
    first = sell(store, team, "GLV-M", 5)
    order = sell(store, team, "GLV-M", 3)
    item_id = _follow_up(store, team, order)
    app = BoApp(store=store, actor=team.admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#inbox-table", DataTable)
        assert "Follow up a sales order" in [str(c) for c in table.get_row_at(0)]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkItemScreen) and app.screen.item_id == item_id
        text = str(app.screen.query_one("#item-text", Static).render())
        assert f"1  order {order}" in text and "2  party C1" in text
        assert "Next: in_progress, done, cancelled" in text
        await pilot.press("1")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LogisticsScreen)
        sales = screen.query_one("#sales-table", DataTable)
        assert sales.has_focus
        assert str(sales.get_row_at(sales.cursor_row)[0]) == order != first
        # The order's open work items, from its row.
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, RecordItemsDialog)
        title = str(app.screen.query_one("#record-items-title", Static).render())
        assert title == f"Order {order}: 1 open work item"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkItemScreen)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-state", Input).value = "approved"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#error-state", Static).render())
        assert "unknown value 'approved'" in error
        app.screen.query_one("#field-state", Input).value = "done"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkItemScreen)
    with store.read() as session:
        assert inbox.get_item(session, team.admin, item_id).status == "done"


async def test_any_list_of_linked_records_shows_a_records_work_items(
    demo: Store, demo_admin: Actor
) -> None:
    """The kit's lists offer w where work items link to their rows (here an invoice)."""
    from bo_console.finance.screen.documents import DocumentsPane
    from bo_console.finance.screen.journal import JournalPane

    app = BoApp(store=demo, actor=demo_admin, screen="finance")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        journal = app.screen.query_one(JournalPane)
        assert journal.check_action("work_items", ()) is False  # entries take no links
        await pilot.press("3")
        await pilot.pause()
        await app.workers.wait_for_complete()
        pane = app.screen.query_one(DocumentsPane)
        row = pane.current_row()
        assert row is not None
        number = str(row["number"])
        with demo.write() as session:
            inbox.create_item(
                session,
                demo_admin,
                from_dept="front",
                item=inbox.NewWorkItem(
                    to_dept="finance",
                    subject=f"Copy of {number} for the customer",
                    links=(inbox.Link("document", number),),
                ),
            )
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, RecordItemsDialog)
        title = str(app.screen.query_one("#record-items-title", Static).render())
        assert number in title and "1 open work item" in title
