"""The Finance screen's Journal tab over the 1,000,000-transaction ledger, headless at 80x24.

Uses a copy of the ledger built by ``bench_finance.py`` (``bench/out/finance-1m.db``; this
script builds it the same way when it is missing, which takes a few minutes), brought to this
program's schema. Then, in process through Textual's ``run_test``:

- launch: from creating the console (started on the Finance screen) until the first frame
  that shows the newest journal entry is ready for the terminal; and, in a console already
  on Home, from pressing F2 until that frame. The cost of importing Textual, SQLAlchemy and the
  screen in a fresh interpreter is shown beside it (paid once per start, before the clock).
- keys on the journal, 50 presses each of down, page down, end, home, page up, up: key to
  frame (the key event until the next frame's terminal output is ready, Textual's frame pacing
  included) and work (the key's action and drawing every visible line, no event loop). End and
  Home start with an empty block cache, so each press reads the database. Before each press
  the bench lets one frame interval pass after the last frame, as a person's key would find
  it; presses in a row (down, page down, ...) pay Textual's frame pacing as they come.
- the journal source under the filters clerks use: count and first block.

Targets (issue 3): on screen within 500 ms of launch; each page moves in at most 16 ms.
Run: ``.venv/bin/python bench/bench_finance_screen.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
LEDGER = OUT / "finance-1m.db"
DB = OUT / "finance-1m-screen.db"
DATA = OUT / "finance-1m.csv"
TRANSACTIONS = 1_000_000
PRESSES = 50
OPEN_TARGET_MS = 500.0
PAGE_TARGET_MS = 16.0
SIZE = (80, 24)
FRAME = 1 / 60
"""Textual's frame interval at its default MAX_FPS."""

sys.path.insert(0, str(HERE))


def ensure_ledger() -> None:
    """A copy of bench_finance.py's 1M-transaction database (built if missing) at this
    program's schema; the copy leaves bench_finance's own file as that script made it."""
    import sqlite3

    from bo_console.core import migrate
    from bo_console.core.db import Store, dispose_engines

    if not LEDGER.exists():
        import bench_finance
        import finance_data

        OUT.mkdir(parents=True, exist_ok=True)
        if not DATA.exists():
            print(f"generating {TRANSACTIONS:,} transactions into {DATA.name} ...", flush=True)
            finance_data.generate(DATA, TRANSACTIONS)
        bench_finance.build_database(LEDGER, DATA, reuse=False)
    for stale in OUT.glob(DB.name + "*"):
        stale.unlink()
    source, target = sqlite3.connect(LEDGER), sqlite3.connect(DB)
    source.backup(target)
    source.close()
    target.close()
    store = Store(f"sqlite:///{DB}")
    if migrate.compare(store.current_revision() or "") == "older":
        before, after = migrate.upgrade(store)
        print(f"migrated the copy from schema {before} to {after}")
    dispose_engines()


def newest_entry() -> str:
    """The number of the entry the journal shows first (the newest)."""
    import sqlite3

    conn = sqlite3.connect(DB)
    year, number = conn.execute(
        "SELECT year, number FROM fin_entry ORDER BY date DESC, id DESC LIMIT 1"
    ).fetchone()
    conn.close()
    return f"{year}-{number:06d}"


def ms(seconds: float) -> float:
    return seconds * 1000


def summary(samples: list[float]) -> tuple[float, float]:
    return ms(statistics.median(samples)), ms(max(samples))


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def make_app(start_on_finance: bool) -> Any:
    """The console as ``bo`` opens it, noting when each frame is ready for the terminal."""
    from textual.screen import Screen

    from bo_console.core import security
    from bo_console.core.db import Store
    from bo_console.ui import app as ui_app
    from bo_console.ui.app import BoApp

    class BenchConsole(BoApp):
        # Textual reads a relative CSS_PATH beside the module of the class: point at the app's.
        CSS_PATH = str(Path(ui_app.__file__).with_name("theme.tcss"))

        def __init__(self, store: Store, actor: security.Actor) -> None:
            super().__init__(store, actor, screen="finance" if start_on_finance else "home")
            self.frames: list[tuple[float, str]] = []

        def _display(self, screen: Screen[Any], renderable: Any) -> None:
            super()._display(screen, renderable)
            render = getattr(renderable, "render_segments", None)
            if render is not None:
                # Headless, Textual skips making the terminal's bytes; make them, as a
                # terminal would need them, so their cost is counted.
                self.frames.append((time.perf_counter(), render(self.console)))

        def first_frame_after(self, moment: float, showing: str = "") -> float | None:
            for at, output in self.frames:
                if at >= moment and showing in output:
                    return at - moment
            return None

    store = Store(f"sqlite:///{DB}")
    with store.read() as session:
        actor = security.sign_in(session, security.os_identity())
    return BenchConsole(store, actor)


async def next_frame(app: Any, moment: float, showing: str = "") -> float:
    """Wait until Textual draws on its own (nothing forced) and return the latency."""
    deadline = time.perf_counter() + 10
    while (latency := app.first_frame_after(moment, showing)) is None:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no frame showing {showing!r} within 10 s")
        await asyncio.sleep(0.0005)
    return float(latency)


async def measure_launch(showing: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        app = make_app(start_on_finance=True)
        async with app.run_test(size=SIZE) as pilot:
            samples.append(await next_frame(app, started, showing))
            await pilot.pause()
    out["launch"] = summary(samples)
    samples = []
    app = make_app(start_on_finance=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        moment = time.perf_counter()
        await pilot.press("f2")
        samples.append(await next_frame(app, moment, showing))
    out["f2"] = ms(samples[0])
    return out


def _cold(table: Any) -> None:
    table.source.invalidate()
    table.source.count()


def _cold_at(position: int) -> Callable[[Any], None]:
    def start(table: Any) -> None:
        _cold(table)
        table.cursor = position if position >= 0 else table.count + position

    return start


def _nothing(table: Any) -> None:
    return None


# name, key, action, before each press, start
CASES: list[tuple[str, str, str, Callable[[Any], None], Callable[[Any], None]]] = [
    ("down", "down", "action_cursor_down", _nothing, _cold_at(60)),
    ("page down", "pagedown", "action_page_down", _nothing, _cold_at(0)),
    ("end", "end", "action_last", _cold_at(0), _nothing),
    ("home", "home", "action_first", _cold_at(-1), _nothing),
    ("page up", "pageup", "action_page_up", _nothing, _cold_at(-1)),
    ("up", "up", "action_cursor_up", _nothing, _cold_at(-61)),
]


async def measure_keys(showing: str) -> dict[str, Any]:
    from bo_console.finance.screen import FinanceScreen

    results: dict[str, Any] = {"frame": {}, "work": {}, "over": {}}
    app = make_app(start_on_finance=True)
    async with app.run_test(size=SIZE) as pilot:
        await next_frame(app, 0.0, showing)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FinanceScreen)
        table = screen.journal.table
        assert table.has_focus
        for name, key, _action, before_each, start in CASES:
            start(table)
            await pilot.pause()
            samples = []
            for _ in range(PRESSES):
                before_each(table)
                await pilot.pause()
                # pause() draws a frame; Textual holds the next one until a frame interval
                # has passed. A person's key after a pause finds that interval long over.
                await asyncio.sleep(FRAME)
                cursor = table.cursor
                moment = time.perf_counter()
                await pilot.press(key)
                samples.append(await next_frame(app, moment))
                assert table.cursor != cursor, name
            results["frame"][name] = summary(samples)
            results["over"][name] = sum(1 for v in samples if ms(v) > PAGE_TARGET_MS)
        region = table.scrollable_content_region.reset_offset
        for name, _key, action, before_each, start in CASES:
            start(table)
            samples = []
            for _ in range(PRESSES):
                before_each(table)
                started = time.perf_counter()
                getattr(table, action)()
                table.render_lines(region)
                samples.append(time.perf_counter() - started)
            results["work"][name] = summary(samples)
    return results


def measure_filters() -> list[tuple[str, float]]:
    from bo_console.core import security
    from bo_console.core.db import Store
    from bo_console.finance import sources
    from bo_console.finance.sources import JournalFilter

    store = Store(f"sqlite:///{DB}")
    with store.read() as session:
        actor = security.sign_in(session, security.os_identity())
    source, _ = sources.journal_source(store, actor)
    cases: list[tuple[str, JournalFilter, str]] = [
        ("no filter", JournalFilter(), ""),
        ("June 2026", JournalFilter(date(2026, 6, 1), date(2026, 6, 30)), ""),
        ("account 1110", JournalFilter(account="1110"), ""),
        ("account 1110, June 2026", JournalFilter(date(2026, 6, 1), date(2026, 6, 30), "1110"), ""),
        ("state draft", JournalFilter(state="draft"), ""),
        ("/ entry number 2026-250000", JournalFilter(), "2026-250000"),
        ("/ text 'Refund' (reads every memo)", JournalFilter(), "Refund"),
    ]
    out = []
    for label, flt, needle in cases:
        sources.refilter_journal(store, source, flt)
        source.set_filter(needle)
        started = time.perf_counter()
        count = source.count()
        source.block(0)
        out.append((f"{label} ({count:,} entries)", ms(time.perf_counter() - started)))
    return out


def import_time() -> float:
    """Importing the console's UI and the finance screen in a fresh interpreter."""
    code = (
        "import time; t = time.perf_counter(); "
        "import bo_console.ui.app, bo_console.finance.screen; "
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


def main() -> None:
    ensure_ledger()
    showing = newest_entry()
    with_rows = f"first row {showing}"
    print(f"Finance screen, Journal tab over {LEDGER.name} (1,000,000 entries), 80x24, headless\n")
    launch = asyncio.run(measure_launch(showing))
    median, worst = launch["launch"]
    print("Open (ms)                                                        target")
    print(
        f"  console created on Finance to {with_rows}: {median:7.1f} median, {worst:.1f} max"
        f"   <= {OPEN_TARGET_MS:.0f}  {verdict(worst, OPEN_TARGET_MS)}"
    )
    print(
        f"  F2 from Home to {with_rows}:              {launch['f2']:7.1f}"
        f"   <= {OPEN_TARGET_MS:.0f}  {verdict(launch['f2'], OPEN_TARGET_MS)}"
    )
    print(f"  (for context: importing the UI and the finance screen    {import_time():7.1f})")
    print("  (from launching `bo tui --screen finance` in a terminal: bench_launch.py)")
    keys = asyncio.run(measure_keys(showing))
    print(f"\nKeys, {PRESSES} presses each    key to frame (median / max)   work (median / max)")
    for name, *_ in CASES:
        frame_median, frame_max = keys["frame"][name]
        work_median, work_max = keys["work"][name]
        print(
            f"  {name:<12} {frame_median:>16.2f} / {frame_max:>6.2f}"
            f"   {work_median:>12.2f} / {work_max:>6.2f}"
            f"   <= {PAGE_TARGET_MS:.0f}  {verdict(frame_max, PAGE_TARGET_MS)}"
            + (f" ({keys['over'][name]} of {PRESSES})" if keys["over"][name] else "")
        )
    print("\nJournal source: count and first block under a filter (ms)")
    for label, value in measure_filters():
        print(f"  {label:<58} {value:8.1f}")
    print(
        "\nkey to frame includes waiting for Textual's next frame slot (at most 60 frames a"
        " second: up to 16.7 ms);\nwork is the table's own part (the key's action and drawing"
        " the visible lines)."
    )


if __name__ == "__main__":
    main()
