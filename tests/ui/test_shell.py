"""Pilot tests for the console shell: home, help, palette, quitting, admin access."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Static

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.ui.app import BoApp
from bo_console.ui.help import HelpScreen
from bo_console.ui.home import HomeScreen
from bo_console.ui.inbox import WorkItemScreen
from bo_console.ui.widgets.confirm import ConfirmDialog

SIZE = (80, 24)


async def test_home_shows_topbar_menu_and_inbox(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        top = str(app.screen.query_one("#topbar", Static).render())
        assert "boadmin (admin)" in top and "bo.db" in top
        menu = str(app.screen.query_one("#home-menu", Static).render())
        assert "Admin" in menu
        table = app.screen.query_one("#inbox-table", DataTable)
        assert table.row_count == 2
        # Markup-looking text is shown literally.
        assert any("[new]" in str(c) for c in table.get_row_at(0) + table.get_row_at(1))


def test_the_console_does_not_animate_unless_asked(
    app_for: Callable[[Actor], BoApp], admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    assert app_for(admin).animation_level == "none"
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    assert app_for(admin).animation_level == "full"


async def test_clerk_sees_only_their_department_and_no_admin(
    app_for: Callable[[Actor], BoApp], make_user: Callable[..., Actor]
) -> None:
    clerk = make_user("laila", "finance-clerk")
    app = app_for(clerk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#inbox-table", DataTable)
        assert table.row_count == 1
        assert "Admin" not in str(app.screen.query_one("#home-menu", Static).render())
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_help_opens_with_question_mark_and_f1_and_lists_keys(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            does = {text for _, text in app.screen.rows}
            assert {"Refresh", "Help for this screen and its keys"} <= does
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


async def test_quit_asks_first(app_for: Callable[[Actor], BoApp], admin: Actor) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0


async def test_palette_lists_destinations(app_for: Callable[[Actor], BoApp], admin: Actor) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert commands[0] == "Home" and {"Finance", "Admin"} <= set(commands)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"admin")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "admin"


async def test_open_work_item_comment_and_done(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    from bo_console.core import inbox

    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkItemScreen)
        item_id = app.screen.item_id
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"on it", "enter")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#inbox-table", DataTable).row_count == 1
    with seeded.read() as session:
        item = inbox.get_item(session, admin, item_id)
        notes = inbox.comments(session, admin, item_id)
    assert item.status == "done"
    assert [n.text for n in notes] == ["on it"]
