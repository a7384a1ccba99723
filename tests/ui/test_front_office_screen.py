"""Pilot tests for the Front office screen: a customer registered through the form (a bad
VAT number stays beside its field, nothing written), a quotation entered and made an order,
its status, and My requests."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import service as finance
from bo_console.front_office.screen import FrontOfficeScreen
from bo_console.ui.app import BoApp
from bo_console.ui.home import HomeScreen
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormScreen
from tests.unit.logistics.conftest import Team, add_item, buy, team

__all__ = ["team"]  # the fixture

SIZE = (100, 30)


async def _fill(pilot: Pilot[None], **values: str) -> None:
    for name, value in values.items():
        pilot.app.screen.query_one(f"#field-{name}", Input).value = value
    await pilot.pause()


async def test_front_office_registers_quotes_and_follows(
    store: Store, team: Team, make_user: Callable[..., Actor]
) -> None:
    add_item(store, team.manager, "GLV-M", sale_price=2500)
    buy(store, team, "GLV-M", 10, 1000)
    desk = make_user("noura", "front-office")
    app = BoApp(store=store, actor=desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, FrontOfficeScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await _fill(
            pilot, name="Al Noor Clinic", cr_number="1010123456", tax_number="300000000000004"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        error = str(app.screen.query_one("#error-tax_number", Static).render())
        assert "15 digits, starting and ending with 3" in error
        with store.read() as session:
            assert finance.pending_customers(session, team.accountant) == []
        await _fill(pilot, tax_number="300000000000003")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FrontOfficeScreen)
        with store.read() as session:
            assert [c.name for c in finance.pending_customers(session, team.accountant)] == [
                "Al Noor Clinic"
            ]
        await pilot.press("u")  # q quits, everywhere
        await pilot.pause()
        await _fill(pilot, customer="C1", lines="GLV-M:3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FrontOfficeScreen)
        await pilot.press("slash", *"so-2026-00001", "enter")
        await pilot.pause()
        text = str(app.screen.query_one("#order-text", Static).render())
        assert text.startswith("SO-2026-00001   QUOTATION") and "GLV-M" in text
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        text = str(app.screen.query_one("#order-text", Static).render())
        assert text.startswith("SO-2026-00001   RESERVED")
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#inbox-table", DataTable)
        assert table.row_count == 1
        assert "Approve a new customer" in [str(c) for c in table.get_row_at(0)]


async def test_finance_approves_a_new_customer_from_its_screen(
    store: Store, team: Team, make_user: Callable[..., Actor]
) -> None:
    from bo_console.finance.screen import FinanceScreen
    from bo_console.finance.screen.customers import PendingCustomersDialog
    from bo_console.front_office import service as front

    desk = make_user("noura", "front-office")
    with store.write() as session:
        view, _ = front.register_customer(
            session,
            desk,
            front.CustomerRegistration(
                name="Al Noor Clinic", cr_number="1010123456", tax_number="300000000000003"
            ),
        )
    app = BoApp(store=store, actor=team.accountant)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, PendingCustomersDialog)
        title = str(app.screen.query_one("#customers-title", Static).render())
        assert title == "Customers waiting for approval: 1"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        title = str(app.screen.query_one("#customers-title", Static).render())
        assert title == "Customers waiting for approval: 0"
    with store.read() as session:
        assert finance.customer_status(session, team.accountant, view.code).status == "approved"
