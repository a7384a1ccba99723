"""Pilot tests for the virtual table widget."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Column as SAColumn
from sqlalchemy import Integer, MetaData, String, Table, select
from textual import on
from textual.app import App, ComposeResult

from bo_console.core.db import Store
from bo_console.core.paging import Column, QuerySource
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


def _source(tmp_path: Path) -> QuerySource:
    path = tmp_path / "rows.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE row (id INTEGER PRIMARY KEY, name TEXT, amount INTEGER)")
    conn.execute("CREATE INDEX ix_row_name ON row (name)")
    conn.executemany(
        "INSERT INTO row (name, amount) VALUES (?, ?)",
        [(f"عميل {i}" if i % 2 else f"Customer {i:04d} [x]", i * 10) for i in range(COUNT)],
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

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.source, id="vt")

    @on(VirtualTable.RowSelected)
    def _selected(self, event: VirtualTable.RowSelected) -> None:
        self.selected.append(event.key)

    @on(VirtualTable.Moved)
    def _moved(self, event: VirtualTable.Moved) -> None:
        self.moves.append((event.cursor, event.count))


def _screen_text(app: App[None]) -> str:
    table = app.query_one(VirtualTable)
    region = table.scrollable_content_region.reset_offset
    return "\n".join(strip.text for strip in table.render_lines(region))


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
