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


def test_a_declared_code_keeps_its_width_and_text_takes_the_room() -> None:
    from bo_console.ui.widgets.columns import flexible_columns

    # A 13-cell order number would be guessed text; declared a code, the reason gives.
    assert flexible_columns([14, 13, 20], [False] * 3) == [False, True, True]
    assert flexible_columns([14, 13, 20], [False] * 3, [None, False, None]) == [False, False, True]
    layout = visible_widths(
        [14, 10, 13, 5, 12, 20],
        [False, False, False, True, False, False],
        [False, False, False, False, True, False],
        60,
        gap=0,
        padding=2,
        flex=[None, None, False, None, None, None],
    )
    assert layout[2] == 13 and layout[4] is None


# Every table of the departments built after finance and HR, as the demo fills them:
# (screen, tab, the text column that takes a wide window's room, or "" when none is text).
NEW_TABLES = [
    ("it", "tickets", "Subject"),
    ("it", "assets", "Model"),
    ("it", "licences", "Product"),
    ("it", "boarding", "To do"),
    ("it", "inbox", "Subject"),
    ("logistics", "items", "Name"),
    ("logistics", "stock", ""),
    ("logistics", "orders", "Supplier"),
    ("logistics", "sales", "Customer"),
    ("logistics", "shipments", "Customer"),
    ("logistics", "counts", "Location"),
    ("logistics", "returns", "Reason"),
    ("logistics", "inbox", "Subject"),
    ("data", "queries", "Title"),
    ("data", "quality", "Finding"),
    ("front", "requests", "Subject"),
]


CODES = frozenset(
    {"Number", "Order", "Delivery", "Count", "SKU", "Tag", "Key", "Bin", "Status", "Date", "Due"}
)
"""Columns read whole (numbers, codes, statuses, dates): never cut, whatever the width."""


def _plain(value: object) -> str:
    return str(getattr(value, "plain", value))


def _table_layout(app: BoApp) -> list[tuple[str, int, int, list[str], bool]]:
    """(column title, width on screen, natural width, its texts, cut allowed) for the shown
    table of the current tab."""
    from bo_console.ui.kit.short_list import ShortListPane
    from bo_console.ui.widgets.columns import flexible_columns

    found: list[tuple[str, int, int, list[str], bool]] = []
    for vt in app.screen.query(VirtualTable):
        if not vt.display or not vt.region.width:
            continue
        widths = vt.column_widths()
        rows = [vt.source.row(i) for i in range(min(vt.count, 40))]
        guessed = flexible_columns(
            [c.width for c in vt.columns],
            [c.align == "right" for c in vt.columns],
            [c.flex for c in vt.columns],
        )
        for vcol, width, flex in zip(vt.columns, widths, guessed, strict=True):
            if width:
                texts = [vcol.text(r.get(vcol.key)) for r in rows if r is not None]
                found.append((vcol.title, width, vcol.width, texts, flex))
        return found
    from bo_console.ui.inbox import COLUMNS as INBOX_COLUMNS

    for table in app.screen.query(DataTable):
        if not table.display or not table.region.width:
            continue
        pane = next((a for a in table.ancestors if isinstance(a, ShortListPane)), None)
        columns = INBOX_COLUMNS if pane is None else pane.COLUMNS
        assert table.virtual_size.width <= table.scrollable_content_region.width
        specs = {c.title: c for c in columns}
        flexible = dict(
            zip(
                specs,
                flexible_columns(
                    [c.width for c in columns],
                    [c.right for c in columns],
                    [c.flex for c in columns],
                ),
                strict=True,
            )
        )
        for index, column in enumerate(table.columns.values()):
            title = str(column.label)
            texts = [_plain(table.get_row_at(r)[index]) for r in range(min(table.row_count, 40))]
            found.append((title, column.width, specs[title].width, texts, flexible[title]))
        return found
    raise AssertionError(f"no table shown on {app.screen}")


@pytest.mark.parametrize("size", [(80, 24), (200, 50)], ids=["80x24", "200x50"])
async def test_new_departments_tables_fit_and_use_the_width(
    demo: Store, demo_admin: Actor, size: tuple[int, int]
) -> None:
    """At 80x24 codes (order numbers, SKUs, statuses) are never cut: only text gives cells;
    at 200x50 nothing is cut and the text column takes the room."""
    from rich.cells import cell_len

    from bo_console.ui.kit.department import DepartmentScreen

    problems: list[str] = []
    for name in dict.fromkeys(screen for screen, _, _ in NEW_TABLES):
        app = BoApp(store=demo, actor=demo_admin, screen=name)
        async with app.run_test(size=size) as pilot:
            await _settle(pilot)
            screen = app.screen
            assert isinstance(screen, DepartmentScreen)
            for _, tab, text in (t for t in NEW_TABLES if t[0] == name):
                await screen.action_show_tab(tab)
                await _settle(pilot)
                await _settle(pilot)
                layout = _table_layout(app)
                for title, width, natural, texts, flex in layout:
                    longest = max((cell_len(t) for t in texts), default=0)
                    if longest > width and (size[0] == 200 or title in CODES or not flex):
                        problems.append(f"{name}/{tab} {title}: {longest} cells in {width}")
                    if size[0] == 200 and title == text and width <= natural:
                        problems.append(f"{name}/{tab} {title} stays {width} at 200 columns")
                    if size[0] == 200 and text and title != text and not flex:
                        assert width == natural, (name, tab, title)
    assert not problems, problems
