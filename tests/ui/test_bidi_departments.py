"""Arabic in the departments built after finance and HR: with ``bidi`` on, names read right
to left in their tables and cards (as the kit draws them for finance and HR); the stored
text is unchanged."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.ui.app import BoApp
from bo_console.ui.widgets import bidi
from tests.unit.it import conftest as it_fixtures
from tests.unit.it.conftest import IT
from tests.unit.it.factories import ticket
from tests.unit.logistics.conftest import Team, add_item, team

it = it_fixtures.it
__all__ = ["it", "team"]  # the fixtures

ITEM_AR = "قفازات طبية"
CUSTOMER_AR = "مستشفى الصفا"


@pytest.fixture
def bidi_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The setting on, as the console reads it when it starts."""
    monkeypatch.setenv("BO_BIDI", "on")
    yield
    bidi.configure("off", {})


def _screen_text(app: BoApp) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_logistics_cards_and_tables_read_right_to_left(
    store: Store, team: Team, admin: Actor, bidi_on: None
) -> None:
    from bo_console.finance.document_models import PartyCreate
    from bo_console.finance.parties import add_party
    from bo_console.logistics import service
    from bo_console.logistics.screen import ItemDialog, LogisticsScreen
    from tests.unit.logistics.conftest import DAY

    add_item(store, team.clerk, "GLV-M", name_ar=ITEM_AR)
    with store.write() as session:
        add_party(session, admin, PartyCreate(code="C2", name=CUSTOMER_AR))
        service.create_sales_order(
            session,
            team.clerk,
            service.SalesOrderCreate(
                customer="C2",
                date=DAY,
                lines=[service.OrderLineCreate(item="GLV-M", quantity=1, unit_price=100)],
            ),
        )
    app = BoApp(store=store, actor=team.clerk, screen="logistics")
    async with app.run_test(size=(120, 30)) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, LogisticsScreen)
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, ItemDialog)
        shown = _screen_text(app)
        assert bidi._visual(ITEM_AR) in shown and ITEM_AR not in shown
        await pilot.press("escape")
        await _settle(pilot)
        await screen.action_show_tab("sales")
        await _settle(pilot)
        shown = _screen_text(app)
        assert bidi._visual(CUSTOMER_AR) in shown and CUSTOMER_AR not in shown, shown


TICKET_AR = "الطابعة لا تعمل في الطابق الثاني"


async def test_it_tickets_and_their_card_read_right_to_left(it: IT, bidi_on: None) -> None:
    from bo_console.it.screen import ITScreen, TicketDialog

    ticket(it, subject=TICKET_AR)
    app = BoApp(store=it.store, actor=it.clerk, screen="it")
    async with app.run_test(size=(120, 30)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, ITScreen)
        shown = _screen_text(app)
        assert bidi._visual(TICKET_AR) in shown and TICKET_AR not in shown
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, TicketDialog)
        shown = _screen_text(app)
        assert bidi._visual(TICKET_AR) in shown and TICKET_AR not in shown
