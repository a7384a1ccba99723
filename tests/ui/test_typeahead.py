"""Keys that arrive in one read (SSH, a fast typist, a scanner) are handled in arrival order.

``pilot.press`` waits for each key to be handled before sending the next, so it cannot show an
ordering bug. These tests post the keys the way the terminal driver does, all at once, and only
then let the app run.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from textual import events
from textual.pilot import Pilot

from bo_console.core import security
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance.screen import EntryForm, FinanceScreen, ReportsPane
from bo_console.ui.admin import AdminScreen
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.form import FormScreen
from bo_console.ui.widgets.virtual_table import VirtualTable

SIZE = (80, 24)


def _burst(pilot: Pilot[None], *keys: str) -> None:
    """Queue ``keys`` as one read from the terminal would: no waiting in between."""
    for key in keys:
        character = key if len(key) == 1 else None
        pilot.app.post_message(events.Key(key, character))


async def _settle(pilot: Pilot[None]) -> None:
    """Let the burst be handled: until the dialog it was typed into has closed (a loaded
    machine may need more than a few turns of the event loop), then its workers."""
    for _ in range(200):
        await pilot.pause()
        if not isinstance(pilot.app.screen, FormScreen | EntryForm):
            break
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_form_saved_in_the_same_burst_as_its_typing_saves_what_was_typed(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        _burst(pilot, *"monx", "backspace", "a", "tab", *"Mona", "tab", *"hr-clerk", "ctrl+s")
        await _settle(pilot)
        assert isinstance(app.screen, AdminScreen)
    with seeded.read() as session:
        users = {u.login: u for u in security.list_users(session, admin)}
    assert users["mona"].full_name == "Mona"
    assert users["mona"].roles == ("hr-clerk",)


async def test_report_dates_typed_ahead_of_ctrl_s_are_the_dates_reported(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "6", "v")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        _burst(pilot, "ctrl+u", *"2026-10", "ctrl+s")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, FinanceScreen)
        pane = screen.query_one(ReportsPane)
        assert pane.current == "vat-return"
        assert pane.args["period"] == "2026-10"
        # The focus comes back to the report, so its keys keep working.
        focused = app.focused
        assert isinstance(focused, VirtualTable)
        assert pane in focused.ancestors


async def test_an_entry_typed_and_saved_in_one_burst_keeps_every_line(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "n")
        await pilot.pause()
        assert isinstance(app.screen, EntryForm)
        # Memo, two lines, a third line added with ctrl+n and filled, then ctrl+s: one read.
        keys = [*"Rent", "tab", *"6110", "tab", *"800", "tab", "tab", "tab", "tab"]
        keys += [*"1110", "tab", "tab", *"500", "ctrl+n", *"1120", "tab", "tab", *"300", "ctrl+s"]
        _burst(pilot, *keys)
        await _settle(pilot)
        assert not isinstance(app.screen, EntryForm)
    with seeded.read() as session:
        rows = session.execute(
            text(
                "SELECT e.memo, a.code, l.debit, l.credit FROM fin_line l "
                "JOIN fin_entry e ON e.id = l.entry_id JOIN fin_account a ON a.id = l.account_id "
                "ORDER BY l.line_no"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("Rent", "6110", 80_000, 0),
        ("Rent", "1110", 0, 50_000),
        ("Rent", "1120", 0, 30_000),
    ]
