"""How fast the virtual table opens and answers keys over a 1,000,000-row table.

Builds (once, cached in bench/out/) a SQLite file with 1,000,000 rows and an index on the
name column, then, headless through Textual's run_test at 80x24:

- open: from creating the app until its first frame is drawn (the table counted its rows and
  drew the first page);
- per key: the time to apply the key's action and draw every visible line again, which is
  what the terminal waits for. Pilot adds about 40 ms of its own to every simulated key press
  (the same for a key that does nothing), so the pilot figure is shown beside it, minus that
  baseline;
- the source alone: count and one block fetch, by keyset and by OFFSET.

Targets (foundation issue): open <= 300 ms; each key <= 20 ms.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Column as SAColumn
from sqlalchemy import Integer, MetaData, String, Table, select
from textual.app import App, ComposeResult

from bo_console.core.db import Store
from bo_console.core.paging import Column, QuerySource
from bo_console.ui.app import freeze_startup_objects
from bo_console.ui.widgets.virtual_table import VirtualTable

ROWS = 1_000_000
OUT = Path(__file__).resolve().parent / "out"
DB = OUT / "virtual_table_1m.db"

metadata = MetaData()
item = Table(
    "item",
    metadata,
    SAColumn("id", Integer, primary_key=True),
    SAColumn("name", String),
    SAColumn("qty", Integer),
    SAColumn("note", String),
)


def build() -> None:
    if DB.exists():
        return
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(DB)
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER, note TEXT)")
    conn.executemany(
        "INSERT INTO item (name, qty, note) VALUES (?, ?, ?)",
        ((f"Item {i % 99991:05d} / {i}", i % 977, f"note {i}") for i in range(ROWS)),
    )
    conn.execute("CREATE INDEX ix_item_name ON item (name)")
    conn.commit()
    conn.close()
    print(f"built {DB.name} with {ROWS:,} rows in {time.perf_counter() - started:.1f} s")


def make_source() -> QuerySource:
    store = Store(f"sqlite:///{DB}")
    return QuerySource(
        store,
        select(item.c.id, item.c.name, item.c.qty, item.c.note),
        item.c.id,
        [
            Column("id", "ID", 8, "right", sort=item.c.id),
            Column("name", "Name", 30, sort=item.c.name),
            Column("qty", "Qty", 6, "right"),
            Column("note", "Note", 20),
        ],
        filter_fn=lambda text: item.c.name.like(f"{text}%"),
    )


class BenchApp(App[None]):
    def __init__(self, source: QuerySource) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.source)

    def on_mount(self) -> None:
        # As the console does after start-up (see ui.app.freeze_startup_objects).
        self.call_after_refresh(freeze_startup_objects)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


async def measure_ui() -> tuple[float, dict[str, tuple[float, float]], dict[str, float]]:
    source = make_source()
    started = time.perf_counter()
    app = BenchApp(source)
    keys: dict[str, tuple[float, float]] = {}
    pilot_keys: dict[str, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        opened = time.perf_counter() - started
        table = app.query_one(VirtualTable)
        region = table.scrollable_content_region.reset_offset
        actions: list[tuple[str, Callable[[], None]]] = [
            ("down", table.action_cursor_down),
            ("page down", table.action_page_down),
            ("end", table.action_last),
            ("page up", table.action_page_up),
            ("up", table.action_cursor_up),
            ("home", table.action_first),
        ]
        for name, action in actions:
            times = []
            for _ in range(50):
                t0 = time.perf_counter()
                action()
                table.render_lines(region)
                times.append(time.perf_counter() - t0)
            keys[name] = (ms(statistics.median(times)), ms(max(times)))
        # Through Pilot, against a key that does nothing.
        for key in ("x", "down", "pagedown", "end", "home"):
            samples = []
            for _ in range(10):
                t0 = time.perf_counter()
                await pilot.press(key)
                samples.append(time.perf_counter() - t0)
            pilot_keys[key] = ms(statistics.median(samples))
    return opened, keys, pilot_keys


def measure_source() -> dict[str, float]:
    source = make_source()
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    source.count()
    out["count(*) over 1M rows"] = ms(time.perf_counter() - t0)
    t0 = time.perf_counter()
    source.block(0)
    out["first block"] = ms(time.perf_counter() - t0)
    t0 = time.perf_counter()
    source.block(1)
    out["next block (keyset)"] = ms(time.perf_counter() - t0)
    t0 = time.perf_counter()
    source.block(5000)
    out["far block (OFFSET 500,000)"] = ms(time.perf_counter() - t0)
    t0 = time.perf_counter()
    source.block((ROWS - 1) // source.block_size)
    out["last block (reverse order)"] = ms(time.perf_counter() - t0)
    source.set_sort("name", descending=False)
    t0 = time.perf_counter()
    source.count()
    source.block(0)
    source.block(1)
    out["sort by indexed name: count + 2 blocks"] = ms(time.perf_counter() - t0)
    return out


def main() -> None:
    build()
    for name, value in measure_source().items():
        print(f"source  {name:<42} {value:>8.2f} ms")
    opened, keys, pilot_keys = asyncio.run(measure_ui())
    verdict = "ok" if opened <= 0.3 else "OVER TARGET"
    print(
        f"open    first frame with 1,000,000 rows           {ms(opened):>8.2f} ms "
        f"(target <= 300 ms: {verdict})"
    )
    for name, (median, worst) in keys.items():
        verdict = "ok" if worst <= 20 else "OVER TARGET"
        print(
            f"key     {name:<10} action + redraw  median {median:>6.2f} ms  max {worst:>6.2f} ms "
            f"(target <= 20 ms: {verdict})"
        )
    baseline = pilot_keys.pop("x")
    for key, value in pilot_keys.items():
        print(
            f"pilot   {key:<10} {value:>7.2f} ms per press, {value - baseline:>6.2f} ms above a "
            f"key that does nothing ({baseline:.2f} ms)"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
