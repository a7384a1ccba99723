"""Columns use the width they are given: the Home inbox fits 80 columns with no horizontal
scrollbar, and subjects and memos widen at 200x50."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from bo_console.core import inbox
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.columns import cells_used, fit_widths, visible_widths
from bo_console.ui.widgets.virtual_table import VirtualTable

LONG = "Offboarding: Ayesha Siddiqui, return laptop, badge and the spare monitor keys"


def test_fit_widths_gives_spare_cells_to_text_and_takes_them_back() -> None:
    assert fit_widths([10, 30, 12], [False, True, False], 60) == [10, 36, 12]
    assert fit_widths([10, 30, 12], [False, True, False], 40) == [10, 16, 12]
    # Floors hold even when nothing else fits.
    assert fit_widths([10, 30], [False, True], 5) == [10, 6]


def test_visible_widths_leaves_out_optional_columns_last_first() -> None:
    flags = [False, False, False, False]
    optional = [False, False, True, True]
    # Everything fits at its natural width: everything stays.
    assert visible_widths([6, 20, 10, 10], flags, optional, 49) == [6, 20, 10, 10]
    # Keeping both would squeeze the text column: the last optional column goes first, and
    # the text column takes what is left.
    assert visible_widths([6, 20, 10, 10], flags, optional, 42) == [6, 24, 10, None]
    # Not even that: the other goes too before the text column gives cells up.
    assert visible_widths([6, 20, 10, 10], flags, optional, 32) == [6, 25, None, None]
    assert visible_widths([6, 20, 10, 10], flags, optional, 20) == [6, 13, None, None]


def test_padding_counts_for_every_column() -> None:
    """A DataTable pads each cell on both sides: four columns with padding 2 need 8 more
    cells than their widths, and a column that does not fit with its padding is left out."""
    assert cells_used([6, 20, 10, 10], gap=0, padding=2) == 54
    flags = [True, False, False, False]
    optional = [False, False, True, True]
    assert visible_widths([6, 20, 10, 10], flags, optional, 54, gap=0, padding=2) == [
        6,
        20,
        10,
        10,
    ]
    assert visible_widths([6, 20, 10, 10], flags, optional, 53, gap=0, padding=2) == [
        6,
        31,
        10,
        None,
    ]


def test_the_inbox_drops_kind_and_assignee_before_squeezing_the_subject() -> None:
    from bo_console.ui.inbox import COLUMNS

    widths = [c.width for c in COLUMNS]
    right = [c.right for c in COLUMNS]
    optional = [c.optional for c in COLUMNS]

    def layout(cells: int) -> dict[str, int | None]:
        fitted = visible_widths(widths, right, optional, cells, gap=0, padding=2)
        return {c.title: w for c, w in zip(COLUMNS, fitted, strict=True)}

    narrow = layout(78)
    assert narrow["Kind"] is None and narrow["Assignee"] is None
    assert narrow["Subject"] == 24
    wider = layout(98)
    assert wider["Subject"] == 30 and wider["Kind"] is not None


def test_the_first_text_column_shrinks_last() -> None:
    """A name keeps its width while a position gives up cells, down to its floor."""
    assert visible_widths([7, 20, 16], [False, False, False], [False] * 3, 37) == [7, 20, 8]
    assert visible_widths([7, 20, 16], [False, False, False], [False] * 3, 30) == [7, 15, 6]


@pytest.fixture
def long_item(seeded: Store, admin: Actor) -> Store:
    with seeded.write() as session:
        inbox.create_item(
            session,
            admin,
            from_dept="hr",
            item=inbox.NewWorkItem(to_dept="logistics", kind="general", subject=LONG),
        )
    return seeded


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _subject_width(table: DataTable[Any]) -> int:
    return next(c.width for c in table.columns.values() if str(c.label) == "Subject")


async def test_home_inbox_fits_80_columns(
    app_for: Callable[[Actor], BoApp], admin: Actor, long_item: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        table = app.screen.query_one("#inbox-table", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert not table.show_horizontal_scrollbar
        titles = [str(c.label) for c in table.columns.values()]
        assert titles[:6] == ["ID", "Subject", "Status", "Due", "From", "To"]
        narrow = _subject_width(table)
        await pilot.resize_terminal(200, 50)
        await _settle(pilot)
        wide = _subject_width(table)
        assert wide >= len(LONG) > narrow
        assert "Kind" in [str(c.label) for c in table.columns.values()]


@pytest.mark.parametrize("width", [80, 200])
async def test_journal_memo_uses_the_width(store: Store, admin: Actor, width: int) -> None:
    app = BoApp(store=store, actor=admin, screen="finance")
    async with app.run_test(size=(width, 24)) as pilot:
        await _settle(pilot)
        table = app.screen.query_one(VirtualTable)
        widths = table.column_widths()
        room = table.scrollable_content_region.width
        if not table.show_vertical_scrollbar:  # a scrollbar's room is kept for longer lists
            room -= table.styles.scrollbar_size_vertical
        assert sum(widths) + len(widths) - 1 == room
        natural = sum(c.width for c in table.columns) + len(widths) - 1
        if width == 200:
            assert room > natural
            memo = next(i for i, c in enumerate(table.columns) if c.key == "memo")
            assert widths[memo] > table.columns[memo].width
