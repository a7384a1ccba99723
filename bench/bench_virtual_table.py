"""How fast the virtual table opens and answers keys over a 1,000,000-row table.

Builds (once, cached in bench/out/) a SQLite file with 1,000,000 rows, indexed on name and qty
besides the primary key, then measures in-process, headless through Textual's ``run_test`` at
80x24:

- open: from creating the app until the first frame that shows the table's rows is ready for
  the terminal; and, in an app already running, from pushing a screen with a new table until
  its rows are on screen (what opening a list from a menu costs). For context it also shows
  what a fresh interpreter spends importing Textual, SQLAlchemy and the table, paid once when
  the console starts and not part of the target.
- each key (down, page down, end, home, page up, up), 50 presses each, two ways:
  - key to frame: from sending the key event (as the terminal driver would) until Textual has
    turned the next frame into the escape sequences for the terminal. This is what a user
    waits for. It includes Textual's frame pacing: screen updates are coalesced into at most
    60 frames a second, so up to 17 ms of it is waiting for the next frame slot.
  - work: the key's action plus drawing every visible line (``render_lines``), without the
    event loop; the part the table itself is responsible for.
  End and Home start from the other end with an empty block cache, so every one of those
  presses reads from the database; the others move through the table as a user would and
  read a new block by keyset whenever they cross one.
- the data source alone: count, blocks by keyset, by OFFSET and in reverse, sorting and
  filtering.

Pilot's own waiting after each key (about 40 ms of idle detection) is not counted.
Targets (foundation issue): open <= 300 ms; each key <= 20 ms.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column as SAColumn
from sqlalchemy import Integer, MetaData, String, Table, select
from textual import constants
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen

from bo_console.core.db import Store
from bo_console.core.paging import Column, QuerySource, text_filter
from bo_console.ui.app import freeze_startup_objects
from bo_console.ui.widgets.virtual_table import VirtualTable

ROWS = 1_000_000
PRESSES = 50
OPEN_TARGET_MS = 300.0
KEY_TARGET_MS = 20.0
OUT = Path(__file__).resolve().parent / "out"
DB = OUT / "virtual_table_1m.db"
SECOND_ROW = "Item 00001 / 1"
"""Text of the second row: a frame showing it has the table's rows."""

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
    """Create the 1M-row file once; add any index an older copy lacks."""
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    fresh = not DB.exists()
    conn = sqlite3.connect(DB)
    if fresh:
        conn.execute(
            "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER, note TEXT)"
        )
        conn.executemany(
            "INSERT INTO item (name, qty, note) VALUES (?, ?, ?)",
            ((f"Item {i % 99991:05d} / {i}", i % 977, f"note {i}") for i in range(ROWS)),
        )
    conn.execute("CREATE INDEX IF NOT EXISTS ix_item_name ON item (name)")
    conn.execute("CREATE INDEX IF NOT EXISTS ix_item_qty ON item (qty)")
    conn.commit()
    conn.close()
    if fresh:
        print(f"built {DB.name} with {ROWS:,} rows in {time.perf_counter() - started:.1f} s")


def make_source(*, prefix_filter: bool = False) -> QuerySource:
    return QuerySource(
        Store(f"sqlite:///{DB}"),
        select(item.c.id, item.c.name, item.c.qty, item.c.note),
        item.c.id,
        [
            Column("id", "ID", 8, "right", sort=item.c.id),
            Column("name", "Name", 30, sort=item.c.name),
            Column("qty", "Qty", 6, "right", sort=item.c.qty),
            Column("note", "Note", 20),
        ],
        filter_fn=text_filter(item.c.name, prefix=prefix_filter),
    )


class TableScreen(Screen[None]):
    def __init__(self, source: QuerySource) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.source)


class BenchApp(App[None]):
    """Hosts one table and notes when each frame is ready for the terminal."""

    def __init__(self, source: QuerySource) -> None:
        super().__init__()
        self.source = source
        self.frames: list[tuple[float, str]] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.source)

    def on_mount(self) -> None:
        # As the console does after start-up (see ui.app.freeze_startup_objects).
        self.call_after_refresh(freeze_startup_objects)

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        super()._display(screen, renderable)
        render = getattr(renderable, "render_segments", None)
        if render is not None:
            # Headless, Textual skips making the terminal's bytes; make them, as a terminal
            # app would, so their cost is counted.
            self.frames.append((time.perf_counter(), render(self.console)))

    def first_frame_after(self, moment: float, showing: str = "") -> float | None:
        """Seconds from ``moment`` to the first later frame (that contains ``showing``)."""
        for at, output in self.frames:
            if at >= moment and showing in output:
                return at - moment
        return None


@dataclass
class KeyCase:
    """A key, the table action it runs, and what to do (untimed) before each press."""

    name: str
    key: str
    action: Callable[[VirtualTable], None]
    before_each: Callable[[VirtualTable], None]
    start: Callable[[VirtualTable], None]


def _nothing(table: VirtualTable) -> None:
    return None


def _cold(table: VirtualTable) -> None:
    """Empty the block cache; the count is kept (it is per filter and order)."""
    table.source.invalidate()
    table.source.count()


def _cold_at(position: int) -> Callable[[VirtualTable], None]:
    def start(table: VirtualTable) -> None:
        _cold(table)
        table.cursor = position if position >= 0 else table.count + position

    return start


# The row-by-row cases start so that their 50 presses cross into a block not yet read.
CASES = [
    KeyCase("down", "down", VirtualTable.action_cursor_down, _nothing, _cold_at(60)),
    KeyCase("page down", "pagedown", VirtualTable.action_page_down, _nothing, _cold_at(0)),
    KeyCase("end", "end", VirtualTable.action_last, _cold_at(0), _nothing),
    KeyCase("home", "home", VirtualTable.action_first, _cold_at(-1), _nothing),
    KeyCase("page up", "pageup", VirtualTable.action_page_up, _nothing, _cold_at(-1)),
    KeyCase("up", "up", VirtualTable.action_cursor_up, _nothing, _cold_at(-61)),
]


def ms(seconds: float) -> float:
    return seconds * 1000


def summary(samples: list[float]) -> tuple[float, float]:
    return ms(statistics.median(samples)), ms(max(samples))


async def settle(pilot: Pilot[None]) -> None:
    """Let everything pending run and draw (this forces a frame; never inside a timing)."""
    await pilot.pause()


async def next_frame(app: BenchApp, moment: float, showing: str = "") -> float:
    """Wait for Textual to draw on its own (no forced refresh) and return the latency."""
    deadline = time.perf_counter() + 5
    while (latency := app.first_frame_after(moment, showing)) is None:
        if time.perf_counter() > deadline:
            raise RuntimeError("no frame within 5 s")
        await asyncio.sleep(0.0005)
    return latency


async def key_to_frame(
    app: BenchApp, pilot: Pilot[None], table: VirtualTable, case: KeyCase
) -> list[float]:
    case.start(table)
    await settle(pilot)
    samples = []
    for _ in range(PRESSES):
        case.before_each(table)
        await settle(pilot)
        before = table.cursor
        moment = time.perf_counter()
        await pilot.press(case.key)  # sends the key and waits for it to be handled
        samples.append(await next_frame(app, moment))
        assert table.cursor != before, case.name
    return samples


def work(table: VirtualTable, case: KeyCase) -> list[float]:
    region = table.scrollable_content_region.reset_offset
    case.start(table)
    samples = []
    for _ in range(PRESSES):
        case.before_each(table)
        started = time.perf_counter()
        case.action(table)
        table.render_lines(region)
        samples.append(time.perf_counter() - started)
    return samples


async def measure_ui() -> dict[str, Any]:
    results: dict[str, Any] = {}
    source = make_source()
    started = time.perf_counter()
    app = BenchApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        results["open"] = ms(await next_frame(app, started, SECOND_ROW))
        await settle(pilot)
        table = app.query_one(VirtualTable)
        results["key_to_frame"] = {
            case.name: summary(await key_to_frame(app, pilot, table, case)) for case in CASES
        }
        results["work"] = {case.name: summary(work(table, case)) for case in CASES}

        # A list screen opened in a running app, over a fresh source (cold count and block).
        _cold_at(-1)(table)  # so that the second row on screen can only come from the new table
        await settle(pilot)
        screens = []
        for _ in range(5):
            moment = time.perf_counter()
            app.push_screen(TableScreen(make_source()))
            screens.append(await next_frame(app, moment, SECOND_ROW))
            app.pop_screen()
            await settle(pilot)
        results["screen"] = summary(screens)
    return results


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return ms(time.perf_counter() - started)


def measure_source() -> list[tuple[str, float]]:
    source = make_source()

    def recount() -> None:
        source.invalidate()
        source.count()

    out = [
        ("count(*), first in this process", timed(source.count)),
        (
            "count(*) again, after invalidate()",
            timed(recount),
        ),
        ("first block (100 rows)", timed(lambda: source.block(0))),
        ("next block, keyset", timed(lambda: source.block(1))),
        ("block at row 500,000, OFFSET", timed(lambda: source.block(5000))),
        ("block before it, keyset backwards", timed(lambda: source.block(4999))),
        ("last block, reverse order", timed(lambda: source.block((ROWS - 1) // 100))),
    ]
    source.set_sort("name", descending=True)
    out.append(
        (
            "sort by name desc: count + 2 blocks",
            timed(lambda: [source.count(), source.block(0), source.block(1)]),
        )
    )
    source.set_sort("qty")
    out.append(
        ("sort by qty: count + last block", timed(lambda: source.block(source.count() // 100)))
    )
    source.set_sort(None)
    source.set_filter("0420 /")
    out.append(("filter contains '0420 /': count + block", timed(lambda: source.block(0))))
    prefixed = make_source(prefix_filter=True)
    prefixed.set_filter("Item 0420")
    out.append(("filter prefix 'Item 0420': count + block", timed(lambda: prefixed.block(0))))
    return out


def import_time() -> float:
    """Importing the TUI's modules in a fresh interpreter (paid once when the console starts)."""
    code = (
        "import time; t = time.perf_counter(); "
        "import textual.app, sqlalchemy, bo_console.ui.widgets.virtual_table; "
        "print(time.perf_counter() - t)"
    )
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    ]
    return ms(statistics.median(runs))


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def main() -> None:
    build()
    print(f"Virtual table over {ROWS:,} rows, 80x24, headless (figures in ms)\n")
    print("Data source alone")
    for name, value in measure_source():
        print(f"  {name:<44} {value:>8.2f}")
    ui = asyncio.run(measure_ui())
    print("\nOpen                                                    target")
    print(
        f"  app start to first frame with rows          {ui['open']:>8.2f}"
        f"   <= {OPEN_TARGET_MS:.0f}  {verdict(ui['open'], OPEN_TARGET_MS)}"
    )
    print(f"  (for context: importing Textual, SQLAlchemy and the table  {import_time():>8.2f})")
    median, worst = ui["screen"]
    print(
        f"  new table screen in a running app (5 runs)  {median:>8.2f} median, {worst:.2f} max"
        f"   <= {OPEN_TARGET_MS:.0f}  {verdict(worst, OPEN_TARGET_MS)}"
    )
    print(f"\nKeys, {PRESSES} presses each    key to frame (median / max)   work (median / max)")
    for case in CASES:
        frame_median, frame_max = ui["key_to_frame"][case.name]
        work_median, work_max = ui["work"][case.name]
        print(
            f"  {case.name:<12} {frame_median:>16.2f} / {frame_max:>6.2f}"
            f"   {work_median:>12.2f} / {work_max:>6.2f}"
            f"   <= {KEY_TARGET_MS:.0f}  {verdict(frame_max, KEY_TARGET_MS)}"
        )
    print(
        "\nkey to frame: key event sent until the next frame's terminal output is ready; it"
        f" includes waiting for Textual's next frame slot\n  (MAX_FPS {constants.MAX_FPS}:"
        f" up to {1000 / constants.MAX_FPS:.1f} ms; TEXTUAL_FPS sets it)."
        "\nwork: the key's action and drawing the visible lines, without the event loop."
    )


if __name__ == "__main__":
    main()
