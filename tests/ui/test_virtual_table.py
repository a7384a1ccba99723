"""Pilot tests for the virtual table widget."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from sqlalchemy import Column as SAColumn
from sqlalchemy import Integer, MetaData, String, Table, select
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from bo_console.core.db import Store
from bo_console.core.paging import Column, QuerySource
from bo_console.ui.widgets.scrollbar import KeptScrollBar
from bo_console.ui.widgets.virtual_table import VirtualTable

metadata = MetaData()
row_table = Table(
    "row",
    metadata,
    SAColumn("id", Integer, primary_key=True),
    SAColumn("name", String),
    SAColumn("amount", Integer),
)
COUNT = 3000
SPECIAL = {3: "Tab\there\x1b[31mred\u202eevil", 5: "漢字漢字漢字漢字漢字漢字漢字"}
"""Rows whose names test control characters and wide text (by id)."""


def _name(i: int) -> str:
    return SPECIAL.get(i + 1) or (f"عميل {i}" if i % 2 else f"Customer {i:04d} [x]")


def _source(tmp_path: Path) -> QuerySource:
    path = tmp_path / "rows.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE row (id INTEGER PRIMARY KEY, name TEXT, amount INTEGER)")
    conn.execute("CREATE INDEX ix_row_name ON row (name)")
    conn.executemany(
        "INSERT INTO row (name, amount) VALUES (?, ?)",
        [(_name(i), i * 10) for i in range(COUNT)],
    )
    conn.commit()
    conn.close()
    return QuerySource(
        Store(f"sqlite:///{path}"),
        select(row_table.c.id, row_table.c.name, row_table.c.amount),
        row_table.c.id,
        [
            Column("id", "ID", 6, "right", sort=row_table.c.id),
            Column("name", "Name", 20, sort=row_table.c.name),
            Column("amount", "Amount", 10, "right", fmt=lambda v: f"{v:,}"),
        ],
        filter_fn=lambda text: row_table.c.name.like(f"{text}%"),
    )


class Host(App[None]):
    def __init__(self, source: QuerySource) -> None:
        super().__init__()
        self.source = source
        self.selected: list[Any] = []
        self.moves: list[tuple[int, int]] = []
        self.marked = False

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.source, id="vt")

    @on(VirtualTable.RowSelected)
    def _selected(self, event: VirtualTable.RowSelected) -> None:
        self.selected.append(event.key)

    @on(VirtualTable.Moved)
    def _moved(self, event: VirtualTable.Moved) -> None:
        self.moves.append((event.cursor, event.count))


def _strips(app: App[None]) -> list[Any]:
    table = app.query_one(VirtualTable)
    return table.render_lines(table.scrollable_content_region.reset_offset)


def _screen_text(app: App[None]) -> str:
    return "\n".join(strip.text for strip in _strips(app))


async def test_keys_move_cursor_and_enter_selects(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        assert table.count == COUNT
        text = _screen_text(app)
        assert text.splitlines()[0].split() == ["ID", "Name", "Amount"]
        assert "Customer 0000 [x]" in text  # literal text, not markup
        await pilot.press("down", "down", "j")
        assert table.cursor == 3
        await pilot.press("pagedown")
        assert table.cursor == 3 + table.page_rows
        await pilot.press("end")
        assert table.cursor == COUNT - 1
        assert f"{(COUNT - 1) * 10:,}" in _screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [COUNT]
        await pilot.press("home", "k")
        assert table.cursor == 0
        await pilot.press("G")
        assert table.cursor == COUNT - 1
        await pilot.press("g", "enter")
        await pilot.pause()
        assert app.selected == [COUNT, 1]
        assert app.moves[-1] == (0, COUNT)


async def test_filter_and_sort(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_filter("Customer 01")
        await pilot.pause()
        assert table.count == 50  # Customer 0100 .. Customer 0198, even ids only
        assert app.moves[-1][1] == 50
        table.set_sort("name", descending=True)
        await pilot.pause()
        first = table.current_row()
        assert first is not None and first["name"].startswith("Customer 0198")
        table.set_filter("nothing matches")
        await pilot.pause()
        assert table.count == 0 and table.current_row() is None
        assert "No rows." in _screen_text(app)


async def test_arabic_text_keeps_columns_aligned(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)):
        lines = _screen_text(app).splitlines()
        arabic = next(line for line in lines if "عميل" in line)
        latin = next(line for line in lines if "Customer" in line)
        # The amount column ends in the same cell on both kinds of row.
        assert len(arabic.rstrip()) == len(latin.rstrip())


async def test_renders_at_80x24_with_no_color(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        strips = _strips(app)
        # A header and 23 rows fill the screen; every line is exactly as wide as the space
        # left of the scrollbar.
        assert table.size.width == 80 and table.scrollable_content_region.width == 78
        assert len(strips) == 24 and {s.cell_length for s in strips} == {78}
        assert strips[23].text.split()[0] == "23"
        # NO_COLOR (set for every test) removes the cursor's colour: it is drawn reversed.
        assert app.no_color
        await pilot.press("down")
        reversed_lines = [
            i for i, s in enumerate(_strips(app)) if any(g.style and g.style.reverse for g in s)
        ]
        assert reversed_lines == [table.cursor + 1] == [2]


async def test_control_characters_and_wide_text_stay_in_their_cells(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    # 40 columns: the name column gets its natural 20 cells (at 80 it widens to the space).
    async with app.run_test(size=(40, 24)):
        lines = _screen_text(app).splitlines()
        tabbed, wide, plain = lines[3], lines[5], lines[2]
        assert "\t" not in tabbed and "\x1b" not in tabbed and "\u202e" not in tabbed
        assert "Tab here [31mredevil" in tabbed
        assert "漢字" in wide and "…" in wide  # cut to its 20 cells, with an ellipsis
        for line in (tabbed, wide):
            # The amount column ends in the same cell as on a plain row.
            assert cell_len(line.rstrip()) == cell_len(plain.rstrip())


async def test_slash_filters_and_o_changes_the_order(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"Customer 02", "enter")
        await pilot.pause()
        assert table.count == 50
        assert table.has_focus
        assert table.status_text() == 'row 1 of 50 · by ID ↑ · filter "Customer 02"'
        await pilot.press("o")  # by ID, descending
        row = table.current_row()
        assert row is not None and row["name"] == "Customer 0298 [x]"
        await pilot.press("slash", "escape")  # escape keeps the filter
        await pilot.pause()
        assert table.count == 50


async def test_mouse_click_moves_cursor_and_double_click_opens(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.click(VirtualTable, offset=(2, 4))  # screen line 4 is row 4 (id 4)
        assert table.cursor == 3
        await pilot.click(VirtualTable, offset=(2, 0))  # the header is not a row
        assert table.cursor == 3
        await pilot.double_click(VirtualTable, offset=(2, 6))
        await pilot.pause()
        assert table.cursor == 5 and app.selected[-1] == 6


async def test_refresh_data_sees_changes_and_keeps_the_cursor(tmp_path: Path) -> None:
    source = _source(tmp_path)
    app = Host(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("end")
        with source.store.write() as session:
            session.execute(row_table.insert().values(name="late", amount=1))
        assert table.count == COUNT
        table.refresh_data()
        await pilot.pause()
        assert table.count == COUNT + 1 and table.cursor == COUNT - 1
        assert app.moves[-1] == (COUNT - 1, COUNT + 1)
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.selected[-1] == COUNT + 1


async def test_a_computed_column_is_worked_out_only_for_rows_drawn(tmp_path: Path) -> None:
    source = _source(tmp_path)
    seen: list[int] = []

    def double(row: dict[str, Any]) -> int:
        seen.append(int(row["id"]))
        return int(row["amount"]) * 2

    source.columns.append(Column("double", "Double", 8, "right", compute=double))
    app = Host(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        shown = list(range(1, table.page_rows + 1))
        assert sorted(seen) == shown  # of 3,000 rows read in blocks, only those on screen
        assert _screen_text(app).splitlines()[2].split()[-1] == "20"  # row 2: amount 10
        await pilot.press("down", "down", "up")
        await pilot.pause()
        assert sorted(seen) == shown  # moving over drawn rows works nothing out again
        await pilot.press("pagedown")
        await pilot.pause()
        assert len(seen) == len(set(seen)) > len(shown)


async def test_the_cursor_line_follows_the_focus(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        table.focus()
        await pilot.pause()
        focused = _strips(app)[1]
        table.blur()
        await pilot.pause()
        blurred = _strips(app)[1]
        assert focused.text == blurred.text
        assert list(focused)[0].style != list(blurred)[0].style


def _textual_drawing(table: VirtualTable, crop: Region) -> list[Strip]:
    """The lines as Textual's own styles cache draws them from the table's line API."""
    table._styles_cache.clear()
    return Widget.render_lines(table, crop)


async def test_the_table_draws_its_lines_as_textual_would(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        full = table.size.region
        crops = [full, Region(3, 2, 40, 5), Region(0, 20, 80, 3)]

        def same() -> None:
            for crop in crops:
                assert table.render_lines(crop) == _textual_drawing(table, crop), crop

        same()
        await pilot.press("down", "down")  # the cursor moves within the page
        same()
        await pilot.press("pagedown", "down")  # the rows scroll
        same()
        table.blur()  # the cursor's style changes with the focus
        await pilot.pause()
        same()
        table.set_filter("nothing matches")
        await pilot.pause()
        same()
        assert "No rows." in table.render_lines(full)[1].text


async def test_a_table_with_a_box_is_drawn_by_textual(tmp_path: Path) -> None:
    class Boxed(Host):
        CSS = "VirtualTable { border: solid red; padding: 0 1; }"

    app = Boxed(_source(tmp_path))
    async with app.run_test(size=(80, 24)):
        table = app.query_one(VirtualTable)
        assert table._boxed()
        lines = table.render_lines(table.size.region)
        assert lines[0].text.startswith("┌") and lines[1].text.startswith("│ ")
        assert lines[1].text[2:].split()[:3] == ["ID", "Name", "Amount"]


async def test_a_cursor_move_within_the_page_repaints_two_lines(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        painted: list[tuple[Region, ...]] = []
        refresh = table.refresh

        def spy(*regions: Region, **options: Any) -> Any:
            painted.append(regions)
            return refresh(*regions, **options)

        table.refresh = spy  # type: ignore[method-assign]
        await pilot.press("down")
        # Row 1 (line 1, under the header) loses the cursor and row 2 gains it.
        assert painted == [(Region(0, 1, 80, 1), Region(0, 2, 80, 1))]
        painted.clear()
        await pilot.press("pagedown")
        # A scroll repaints every line (Textual's scroll view asks for the whole region).
        assert table.size.region in [r for regions in painted for r in regions]
        assert _strips(app)[table.cursor - round(table.scroll_y) + 1].text.split()[0] == str(
            table.cursor + 1
        )


async def test_the_scrollbar_draws_a_thumb_once_and_as_textual_would(tmp_path: Path) -> None:
    app = Host(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        bar = table.vertical_scrollbar
        assert isinstance(bar, KeptScrollBar) and bar.display
        region = bar.size.region

        def textual_drawing() -> list[Strip]:
            bar._styles_cache.clear()
            bar.refresh()
            return ScrollBar.render_lines(bar, region)

        top = bar.render_lines(region)
        assert top == textual_drawing()
        await pilot.press(*["pagedown"] * 3)
        await pilot.pause()
        moved = bar.render_lines(region)
        assert moved != top and moved == textual_drawing()
        await pilot.press("down")  # the thumb stays in its cells: the same drawing
        await pilot.pause()
        assert bar.render_lines(region) is moved
        await pilot.press("end")
        await pilot.pause()
        end = bar.render_lines(region)
        assert end == textual_drawing() and end not in (top, moved)
        await pilot.press("home")
        await pilot.pause()
        assert bar.render_lines(region) is top  # drawn before: kept


async def test_a_priority_binding_still_comes_before_the_cursor_keys(tmp_path: Path) -> None:
    class Priority(Host):
        BINDINGS = [Binding("end", "mark", priority=True)]

        def action_mark(self) -> None:
            self.marked = True

    app = Priority(_source(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("end")
        assert app.marked and table.cursor == 0
        await pilot.press("G", "k")  # the table's other keys for the same moves still work
        assert table.cursor == COUNT - 2
