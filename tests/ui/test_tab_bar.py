"""Every tab of a department stays on the tab bar at 80 columns: the tab shown keeps its
title, the others shorten to short titles or their number keys (the same rule everywhere)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent
from textual.widgets._tabbed_content import ContentTab

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.ui.app import BoApp
from bo_console.ui.kit.department import TAB_PADDING, short_title, tab_labels

FINANCE = [
    ("Journal", "Jrnl"),
    ("Accounts", "Accts"),
    ("Invoices", "Inv"),
    ("Bills", "Bills"),
    ("Payments", "Pay"),
    ("Reports", "Rpts"),
    ("Periods", "Per"),
    ("Bank", "Bank"),
    ("Inbox", "Inbox"),
]


def test_short_titles() -> None:
    assert short_title("Bank") == "Bank"
    assert short_title("Purchase orders") == "PO"
    assert short_title("Recruiting") == "Recr"


def test_labels_shorten_only_as_far_as_the_width_needs() -> None:
    full = tab_labels(FINANCE, 0, 200)
    assert full[0] == "1 Journal" and full[8] == "9 Inbox"
    narrow = tab_labels(FINANCE, 4, 80)
    assert narrow[4] == "5 Payments" and narrow[0] == "1 Jrnl" and narrow[2] == "3 Inv"
    assert sum(len(label) + TAB_PADDING for label in narrow) <= 80
    tiny = tab_labels(FINANCE, 1, 40)
    assert tiny == ["1", "2 Accounts", "3", "4", "5", "6", "7", "8", "9"]


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _tabs(app: BoApp) -> list[ContentTab]:
    return list(app.screen.query_one("#dept-tabs", TabbedContent).query(ContentTab))


@pytest.mark.parametrize("width", [80, 200])
async def test_every_finance_tab_is_on_the_bar(store: Store, admin: Actor, width: int) -> None:
    app = BoApp(store=store, actor=admin, screen="finance")
    async with app.run_test(size=(width, 24)) as pilot:
        await _settle(pilot)
        for key, shown in (("1", "1 Journal"), ("5", "5 Payments"), ("9", "9 Inbox")):
            await pilot.press(key)
            await _settle(pilot)
            tabs = _tabs(app)
            labels = [tab.label_text for tab in tabs]
            assert len(tabs) == 9 and shown in labels
            # Each tab is drawn inside the screen: nothing to scroll to.
            assert all(0 <= tab.region.x and tab.region.right <= width for tab in tabs)
            if width == 200:
                assert labels[1] == "2 Accounts"
            else:
                assert labels[1] in ("2 Accts", "2")


async def test_logistics_tabs_keep_readable_short_titles_at_80_columns(
    store: Store, admin: Actor
) -> None:
    """With the longest title shown, the others still read as words, not four cut letters."""
    app = BoApp(store=store, actor=admin, screen="logistics")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("3")
        await _settle(pilot)
        labels = [tab.label_text for tab in _tabs(app)]
        assert labels[2] == "3 Purchase orders"
        assert labels[5:7] == ["6 Count", "7 Rtns"]
        assert all(tab.region.right <= 80 for tab in _tabs(app))
