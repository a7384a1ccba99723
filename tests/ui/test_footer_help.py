"""The footer and help on every registered screen, at 80x24 and 200x50: Back, Help and Quit
always visible, the line drawn whole, help starting with the screen's own keys."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import cast

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from bo_console import departments
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.ui.app import BoApp
from bo_console.ui.help import HelpScreen
from bo_console.ui.kit.department import DepartmentScreen
from bo_console.ui.palette import palette_entries
from bo_console.ui.widgets.footer import BoFooter

SIZES = [(80, 24), (200, 50)]
PINNED = ("? Help", "^q Quit", "^p Palette")


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _footer_line(app: BoApp) -> str:
    return app.screen.query_one(BoFooter).shown_text()


async def _each_tab(pilot: Pilot[None]) -> AsyncIterator[str | None]:
    """Show every tab of the current screen in turn and yield its id (None once for a screen
    without tabs). Tabs are shown as the tab bar shows them: a digit would be typed into a
    tab's text field (the SQL console) instead."""
    screen = pilot.app.screen
    if not isinstance(screen, DepartmentScreen):
        yield None
        return
    for tab_id in screen._tab_ids:
        await screen.action_show_tab(tab_id)
        await _settle(pilot)
        yield tab_id


def _own_keys_shown(app: BoApp, line: str) -> tuple[int, int]:
    """(how many of the screen's own and list keys the footer line shows, how many there
    are)."""
    left, _ = app.screen.query_one(BoFooter).items()
    return sum(f"{key} {label}" in line for key, label, _ in left), len(left)


@pytest.mark.parametrize("name", departments.screen_names())
async def test_every_tab_keeps_back_help_and_quit_and_helps_with_its_own_keys(
    store: Store, admin: Actor, name: str
) -> None:
    """On every tab, at 80x24 and again with the terminal made 200x50: the footer keeps Back,
    Help and Quit. At 80x24, help opens on the screen's own keys, one row per key."""
    app = BoApp(store=store, actor=admin, screen=name)
    async with app.run_test(size=SIZES[0]) as pilot:
        await _settle(pilot)
        async for tab in _each_tab(pilot):
            _footer_fits(app, name, tab, SIZES[0])
            await _help_starts_with_own_keys(pilot, tab)
        await pilot.resize_terminal(*SIZES[1])
        await _settle(pilot)
        async for tab in _each_tab(pilot):
            _footer_fits(app, name, tab, SIZES[1])


def _footer_fits(app: BoApp, name: str, tab: str | None, size: tuple[int, int]) -> None:
    line = _footer_line(app)
    own, declared = _own_keys_shown(app, line)
    assert len(line) == size[0], (tab, line)
    for pinned in PINNED:
        # In a text field ? is typed, so help is F1 there (a query editor's tab).
        shown = pinned in line or (pinned == "? Help" and "f1 Help" in line)
        assert shown, (tab, line)
    if name != "home":
        assert "esc Back" in line, (tab, line)
    # The pinned keys end the line: nothing stale is left after them.
    assert line.rstrip().endswith("^p Palette"), (tab, line)
    # Some of the screen's own keys are shown on the left: three when it has three.
    assert line[: line.index("esc Back" if name != "home" else "? Help")].strip(), line
    assert own >= min(3, declared), (tab, line)


async def _help_starts_with_own_keys(pilot: Pilot[None], tab: str | None) -> None:
    app = pilot.app
    assert isinstance(app, BoApp)
    # In a text field (the SQL console) q is typed, so only ^q quits there.
    typing = isinstance(app.focused, Input | TextArea)
    app.action_help()
    await pilot.pause()
    help_screen = app.screen
    assert isinstance(help_screen, HelpScreen)
    groups = [title for title, _ in help_screen.groups]
    assert groups[0] == "This screen", (tab, groups)
    assert groups[-1] == "Terminal and scrolling", (tab, groups)
    keys = [k for _, rows in help_screen.groups for keys, _ in rows for k in keys.split()]
    # One row per key: q and ^q are one "Quit", not two.
    assert len(keys) == len(set(keys)), (tab, keys)
    quit_keys = [keys.split() for keys, _ in help_screen.rows if "^q" in keys.split()]
    assert len(quit_keys) == 1 and ("q" in quit_keys[0] or typing), (tab, quit_keys)
    help_screen.dismiss(None)
    await pilot.pause()


async def test_footer_redraws_whole_after_a_switch(store: Store, admin: Actor) -> None:
    app = BoApp(store=store, actor=admin, screen="finance")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        for key in ("2", "3", "1", "escape", "f2"):
            await pilot.press(key)
            await _settle(pilot)
            line = _footer_line(app)
            assert "palettee" not in line and line.endswith("^p Palette")


PALETTE_HITS = [
    ("trial", "Finance › Reports › Trial balance"),
    ("journal", "Finance › Journal"),
    ("invoice", "Finance › Invoices"),
    ("employee", "HR and payroll › Employees"),
    ("new", "Finance › Journal › New"),
    ("report", "Finance › Reports"),
    ("ticket", "IT › Tickets"),
    ("asset", "IT › Assets › Check out"),
    ("licence", "IT › Licences › Assign seat"),
    ("inbox", "IT › Inbox"),
    ("item", "Logistics › Items"),
    ("purchase", "Logistics › Purchase orders"),
    ("receipt", "Logistics › Purchase orders › Goods receipt"),
    ("shipment", "Logistics › Shipments › Set status"),
    ("count", "Logistics › Counts › New count"),
    ("return", "Logistics › Returns"),
    ("snapshot", "Data management › Dashboard"),
    ("dashboard", "Data management › Dashboard"),
    ("pivot", "Data management › Queries › Pivot"),
    ("quality", "Data management › Quality › Notify"),
    ("order", "Front office › Orders › Make it an order"),
    ("order", "Logistics › Sales orders › Ship"),
]
"""(word typed, a title the palette then offers)"""


async def test_palette_finds_screens_tabs_and_actions(store: Store, admin: Actor) -> None:
    from textual.command import Command, CommandInput, CommandList, CommandPalette

    app = BoApp(store=store, actor=admin)
    missing = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        for word, expected in PALETTE_HITS:
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            # Typed at once: one search per word, not one per letter (each is a full search).
            app.screen.query_one(CommandInput).value = word
            titles: list[str] = []
            # The palette searches in the background: wait for the hit, up to three seconds.
            for _ in range(60):
                await pilot.pause(0.05)
                commands = app.screen.query_one(CommandList)
                titles = [
                    str(cast(Command, commands.get_option_at_index(i)).hit.text)
                    for i in range(commands.option_count)
                ]
                if expected in titles:
                    break
            else:
                missing.append((word, expected, titles))
            await pilot.press("escape")
            await _settle(pilot)
            assert not isinstance(app.screen, CommandPalette)
    assert not missing, missing


async def test_palette_runs_an_action_where_its_key_would(store: Store, admin: Actor) -> None:
    from bo_console.finance.screen.entry_form import EntryForm

    app = BoApp(store=store, actor=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        entry = next(e for e in palette_entries(app) if e.title == "Finance › Journal › New")
        await entry.run()
        await _settle(pilot)
        assert isinstance(app.screen, EntryForm)


async def test_palette_leaves_out_what_the_roles_do_not_allow(
    store: Store, make_user: Callable[..., Actor]
) -> None:
    auditor = make_user("aisha", "auditor")
    app = BoApp(store=store, actor=auditor)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        titles = {e.title for e in palette_entries(app)}
        assert "Finance › Journal" in titles
        assert "Finance › Journal › New" not in titles


@pytest.mark.parametrize(
    ("roles", "offered", "left_out"),
    [
        (
            ("it-clerk",),
            ["IT › Tickets › Take", "IT › Assets › Check out", "IT › Inbox"],
            ["Logistics › Items", "Data management › Dashboard", "HR and payroll › Employees"],
        ),
        (
            ("logistics-clerk",),
            ["Logistics › Purchase orders › Goods receipt", "Logistics › Counts › Post"],
            ["Logistics › Sales orders › Invoice", "IT › Assets", "Data management › SQL"],
        ),
        (
            ("auditor",),
            ["IT › Assets", "Logistics › Returns", "Data management › Dashboard"],
            [
                "IT › Tickets › Take",
                "IT › Licences › Assign seat",
                "Logistics › Purchase orders › Goods receipt",
                "Logistics › Counts › New count",
                "Data management › Quality › Notify",
            ],
        ),
    ],
    ids=["it-clerk", "logistics-clerk", "auditor"],
)
async def test_palette_offers_the_new_departments_as_the_roles_allow(
    store: Store,
    make_user: Callable[..., Actor],
    roles: tuple[str, ...],
    offered: list[str],
    left_out: list[str],
) -> None:
    person = make_user("someone", *roles)
    app = BoApp(store=store, actor=person)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        titles = {e.title for e in palette_entries(app)}
        assert set(offered) <= titles, sorted(titles)
        assert not set(left_out) & titles, sorted(set(left_out) & titles)


async def test_palette_runs_an_action_of_a_part_of_a_tab(store: Store, admin: Actor) -> None:
    """Queries › Run belongs to the saved-query list inside the Queries tab: the palette
    finds that list and runs it there."""
    from bo_console.ui.kit import FormScreen

    app = BoApp(store=store, actor=admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        entry = next(e for e in palette_entries(app) if e.title.endswith("Queries › Pivot"))
        await entry.run()
        await _settle(pilot)
        assert app.current_mode == "data"
        assert isinstance(app.screen, FormScreen), app.screen
