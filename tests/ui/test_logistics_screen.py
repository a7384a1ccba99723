"""Pilot tests for the Logistics screen: the scanner finds an item, a purchase order from the
form to approval and receipt with its lot, a count sheet, and a reader without write keys."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.logistics import service
from bo_console.logistics.screen import (
    CountForm,
    CountsPane,
    ItemDialog,
    LogisticsScreen,
    OrderDialog,
    OrdersPane,
    PurchaseOrderForm,
    ReturnsPane,
)
from bo_console.ui import base
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormScreen
from tests.unit.logistics.conftest import (
    Team,
    add_item,
    balance,
    buy,
    checks_ok,
    stock_value,
    team,
)

__all__ = ["team"]  # the fixture

SIZE = (100, 30)
DAY = date(2026, 11, 10)


def _screen_text(app: BoApp) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def _open(pilot: Pilot[None], tab: str = "") -> LogisticsScreen:
    await pilot.press("l")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LogisticsScreen)
    if tab:
        await pilot.press(tab)
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return screen


async def test_a_scanned_barcode_finds_the_item_and_its_lots(store: Store, team: Team) -> None:
    add_item(
        store,
        team.clerk,
        "GLV-M",
        lot_tracked=True,
        barcodes=["6281000000011"],
        purchase_unit="box",
        purchase_factor=100,
    )
    add_item(store, team.clerk, "MSK-1")
    buy(store, team, "GLV-M", 12, 3000, lot="L7", expiry=date(2027, 3, 31))
    app = BoApp(store=store, actor=team.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("slash", *"6281000000011", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "GLV-M" in _screen_text(app) and "MSK-1" not in _screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ItemDialog)
        table = dialog.query_one("#item-stock", DataTable)
        assert [str(c) for c in table.get_row_at(0)] == ["DMM/A-01", "L7", "2027-03-31", "12"]
        assert "Bought in box of 100 each" in _screen_text(app)
        await pilot.press("escape")


async def test_purchase_order_from_the_form_to_receipt(
    store: Store, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.logistics.screen import orders as orders_screen

    monkeypatch.setattr(base, "console_today", lambda: DAY)
    monkeypatch.setattr(orders_screen, "console_today", lambda: DAY)
    add_item(store, team.clerk, "GLV-M", lot_tracked=True, barcodes=["6281000000011"])
    app = BoApp(store=store, actor=team.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "3")
        pane = screen.query_one(OrdersPane)
        pane.focus()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PurchaseOrderForm)
        form.query_one("#po-supplier", Input).value = "S1"
        form.query_one("#po-location", Input).value = "DMM/A-01"
        form.query_one("#item-1", Input).focus()
        await pilot.press(*"6281000000011", "tab", *"40", "tab", *"30.00")
        await pilot.pause()
        assert "1,200.00" in _screen_text(app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        with store.read() as session:
            order = service.get_order(session, team.clerk, "PO-2026-00001")
        assert order.row.status == "approved" and order.lines[0].quantity == 40
        pane.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OrderDialog)
        await pilot.press("g")
        await pilot.pause()
        receive_form = app.screen
        assert isinstance(receive_form, FormScreen)
        receive_form.query_one("#field-lot", Input).value = "L9"
        receive_form.query_one("#field-expiry", Input).value = "2027-06-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert stock_value(store) == 120_000 == balance(store, "1310")
    assert balance(store, "2130") == -120_000
    assert checks_ok(store) == {}


async def test_a_count_sheet_is_saved_and_posted(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "BOX")
    buy(store, team, "BOX", 10, 500, on=date.today())
    app = BoApp(store=store, actor=team.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "6")
        pane = screen.query_one(CountsPane)
        pane.focus()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CountForm)
        form.query_one("#count-location", Input).value = "DMM/A-01"
        form.query_one("#item-1", Input).focus()
        await pilot.press(*"BOX", "tab", "tab", *"8")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "CNT-" in _screen_text(app)
        pane.focus()
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "1 of 1 lines differ" in dialog.message
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert stock_value(store) == 4000 and balance(store, "5130") == 1000
    assert checks_ok(store) == {}


async def test_goods_receipt_from_the_list(store: Store, team: Team) -> None:
    """g on the purchase-order list receives an open order; a draft has nothing to receive."""
    add_item(store, team.clerk, "BOX")
    with store.write() as session:
        numbers = [
            service.create_order(
                session,
                team.clerk,
                service.PurchaseOrderCreate(
                    supplier="S1",
                    date=DAY,
                    location="DMM/A-01",
                    lines=[service.OrderLineCreate(item="BOX", quantity=5, unit_price=100)],
                ),
            ).number
            for _ in range(2)
        ]
        service.approve_order(session, team.manager, numbers[1])
    app = BoApp(store=store, actor=team.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "3")
        pane = screen.query_one(OrdersPane)
        pane.data_table.focus()
        # Newest first: the approved order, then the draft.
        assert pane.selected_key == numbers[1]
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("down", "g")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert any("nothing to receive" in str(n.message) for n in app._notifications)


async def test_a_reader_has_no_write_keys(
    store: Store, team: Team, make_user: Callable[..., Actor]
) -> None:
    reader = make_user("aud", "auditor")
    add_item(store, team.clerk, "BOX")
    app = BoApp(store=store, actor=reader)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "3")
        pane = screen.query_one(OrdersPane)
        pane.focus()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen  # no form: the key is not theirs


async def test_a_return_from_the_sales_orders_tab(
    store: Store, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.logistics.screen import SalesOrdersPane
    from bo_console.logistics.screen import selling as selling_screen
    from tests.unit.logistics.conftest import sell, ship

    monkeypatch.setattr(base, "console_today", lambda: DAY)
    monkeypatch.setattr(selling_screen, "console_today", lambda: DAY)
    add_item(store, team.clerk, "GWN")
    buy(store, team, "GWN", 10, 500)
    order = sell(store, team, "GWN", 4, price=1500)
    ship(store, team.clerk, order, 4)
    with store.write() as session:
        service.invoice_order(session, team.accountant, order, on=DAY)
    app = BoApp(store=store, actor=team.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "4")
        pane = screen.query_one(SalesOrdersPane)
        pane.focus()
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-quantity", Input).value = "3"
        form.query_one("#field-reason", Input).value = "wrong size"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "RETURNS bin" in _screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    with store.read() as session:
        [row] = service.list_returns(session, team.clerk)
    assert (row.order, row.quantity, row.location, row.credit_value) == (
        order,
        3,
        "DMM/RETURNS",
        4500,
    )
    assert stock_value(store) == balance(store, "1310") == 9 * 500
    assert checks_ok(store) == {}
    # The return is in the Returns tab, where a work item's link opens it.
    app = BoApp(store=store, actor=team.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await screen.open_link("return", row.number)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        returns = screen.query_one(ReturnsPane)
        assert returns.selected_key == row.number
        assert "DMM/RETURNS" in _screen_text(app) and "45.00" in _screen_text(app)


async def test_the_item_dialog_shows_serials_in_stock(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "PUMP", serial_tracked=True)
    with store.write() as session:
        order = service.create_order(
            session,
            team.clerk,
            service.PurchaseOrderCreate(
                supplier="S1",
                date=DAY,
                location="DMM/A-01",
                lines=[service.OrderLineCreate(item="PUMP", quantity=2, unit_price=90_000)],
            ),
        )
        service.approve_order(session, team.manager, order.number)
        service.receive(
            session,
            team.clerk,
            service.ReceiptCreate(
                order=order.number,
                date=DAY,
                lines=[service.ReceiptLineCreate(line=1, quantity=2, serials=["P-1", "P-2"])],
            ),
        )
    app = BoApp(store=store, actor=team.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemDialog)
        assert "Serials in stock: P-1 (DMM/A-01), P-2 (DMM/A-01)" in _screen_text(app)


async def test_serials_scanned_on_receipt_and_shipment(
    store: Store, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.logistics.screen import SalesOrdersPane
    from bo_console.logistics.screen import orders as orders_screen
    from bo_console.logistics.screen import selling as selling_screen
    from tests.unit.logistics.conftest import sell

    for module in (base, orders_screen, selling_screen):
        monkeypatch.setattr(module, "console_today", lambda: DAY)
    add_item(store, team.clerk, "PUMP", serial_tracked=True)
    with store.write() as session:
        order = service.create_order(
            session,
            team.clerk,
            service.PurchaseOrderCreate(
                supplier="S1",
                date=DAY,
                location="DMM/A-01",
                lines=[service.OrderLineCreate(item="PUMP", quantity=2, unit_price=90_000)],
            ),
        )
        service.approve_order(session, team.manager, order.number)
    app = BoApp(store=store, actor=team.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "3")
        screen.query_one(OrdersPane).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OrderDialog)
        await pilot.press("g")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-serials", Input).value = "P-1 P-2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if isinstance(app.screen, OrderDialog):
            await pilot.press("escape")
            await pilot.pause()
        current: object = app.screen
        assert current is screen
        sales = sell(store, team, "PUMP", 1)
        await pilot.press("4")
        await pilot.pause()
        pane = screen.query_one(SalesOrdersPane)
        pane.focus()
        pane.action_reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert pane.selected_key == sales
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-location", Input).value = "DMM/A-01"
        form.query_one("#field-serials", Input).value = "P-2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    with store.read() as session:
        assert service.serials_in_stock(session, team.clerk, "PUMP") == [("P-1", "DMM/A-01")]
    assert checks_ok(store) == {}


async def test_the_reorder_run_from_the_items_tab_moves_a_progress_bar(
    store: Store, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.core import jobs
    from bo_console.finance.document_models import PartyCreate
    from bo_console.finance.parties import add_party
    from bo_console.ui.kit.jobs import JobStrip

    with store.write() as session:
        add_party(
            session,
            team.admin,
            PartyCreate(code="S2", name="Riyadh Gloves", is_customer=False, is_supplier=True),
        )
    add_item(store, team.clerk, "RA", supplier="S1", reorder_point=50, reorder_qty=100)
    add_item(store, team.clerk, "RB", supplier="S2", reorder_point=50, reorder_qty=100)
    heard: list[tuple[int, int]] = []
    shown = JobStrip.progress

    def spy(self: JobStrip, done: int, total: int) -> None:
        heard.append((done, total))
        shown(self, done, total)

    monkeypatch.setattr(JobStrip, "progress", spy)
    app = BoApp(store=store, actor=team.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-location", Input).value = "dmm/a-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        strip = screen.query_one("#items-job", JobStrip)
        assert not strip.busy and not strip.has_class("busy")
        assert heard == [(1, 3), (2, 3), (3, 3)]  # an order per supplier, then the note
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("draft orders: PO-") for n in notes), notes
    with store.read() as session:
        runs = jobs.list_runs(session, team.admin, name="logistics.reorder")
    assert [r.outcome for r in runs] == ["ok"]


async def test_a_reader_has_no_reorder_key(
    store: Store, team: Team, make_user: Callable[..., Actor]
) -> None:
    from bo_console.logistics.screen import ItemsPane

    app = BoApp(store=store, actor=make_user("reader", "auditor"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        assert screen.query_one(ItemsPane).check_action("reorder", ()) is False
