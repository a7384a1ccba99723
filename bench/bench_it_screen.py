"""How long the IT screen takes to open, and its Assets tab, over the demo database.

Headless at 80x24 through Textual's ``run_test``, as the IT manager (``james``) of the demo:
from pressing ``i`` on Home until the Tickets list shows its rows, then from pressing ``2``
until the Assets list shows its first rows; each as wall time and as the process's CPU time
(the CPU figure holds better on a busy machine). The first run in the process is shown on its
own (it imports the screen's modules); then every run starts a new app in the same process
(imports paid, as in a clerk's session that opened IT before). With ``--profile``, one more
run under cProfile prints the functions that took the most time while the IT screen opened,
to see whether queries or Textual's mounting and styling dominate.

Uses ``bench/out/demo-launch.db`` (built by ``bench_launch.py --demo``, or here, with
``bo demo``). Run: ``.venv/bin/python bench/bench_it_screen.py [--runs N] [--profile]``.
Target (issue 14): each at most 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DB = HERE / "out" / "demo-launch.db"
TARGET_MS = 300.0


def ensure_demo() -> None:
    if DB.exists():
        return
    DB.parent.mkdir(parents=True, exist_ok=True)
    beside = Path(sys.executable).with_name("bo")
    command = [str(beside)] if beside.exists() else [sys.executable, "-m", "bo_console"]
    subprocess.run([*command, "--db", str(DB), "demo"], check=True)


async def one_run(profiler: Any = None) -> tuple[float, float, float, float]:
    """(IT screen wall ms, its CPU ms, Assets tab wall ms, its CPU ms); ``profiler`` (a
    ``cProfile.Profile``) is on while the IT screen opens."""
    from textual.widgets import DataTable

    from bo_console.core.db import Store
    from bo_console.core.security import Identity, actor_for_login
    from bo_console.it.screen import ITScreen
    from bo_console.ui.app import BoApp
    from bo_console.ui.widgets.virtual_table import VirtualTable

    store = Store(f"sqlite:///{DB}")
    with store.read() as session:
        actor = actor_for_login(session, "james", Identity(os_user="bench", origin="bench"))
    app = BoApp(store=store, actor=actor)

    async def until(check, pilot) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        started, cpu = time.perf_counter(), time.process_time()
        while not check():
            await pilot.pause(0.002)
        await pilot.pause()
        return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if profiler is not None:
            profiler.enable()
        began, cpu = time.perf_counter(), time.process_time()
        await pilot.press("i")
        await until(
            lambda: (
                isinstance(app.screen, ITScreen)
                and app.screen.query("#tickets-table")
                and app.screen.query_one("#tickets-table", DataTable).row_count > 0
            ),
            pilot,
        )
        screen_ms = (time.perf_counter() - began) * 1000
        screen_cpu = (time.process_time() - cpu) * 1000
        if profiler is not None:
            profiler.disable()
        await pilot.press("2")
        assets_ms, assets_cpu = await until(
            lambda: (
                bool(app.screen.query(VirtualTable))
                and app.screen.query_one(VirtualTable).current_row() is not None
            ),
            pilot,
        )
    return screen_ms, screen_cpu, assets_ms, assets_cpu


def figures(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples):6.0f}   min {min(samples):6.0f}"
        f"   max {max(samples):6.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    ensure_demo()
    load = os.getloadavg()
    print(
        f"IT screen over {DB.name}, 80x24, {options.runs} runs after a warm-up; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    first = asyncio.run(one_run())
    print(
        f"  first run in the process (importing the IT screen's modules and Textual's widgets):"
        f" IT screen {first[0]:.0f} ms (CPU {first[1]:.0f}), Assets tab {first[2]:.0f} ms"
        f" (CPU {first[3]:.0f})"
    )
    results = [asyncio.run(one_run()) for _ in range(max(1, options.runs))]
    for label, wall, cpu in (
        ("IT screen, i on Home to the tickets shown", 0, 1),
        ("Assets tab, 2 to its first rows", 2, 3),
    ):
        walls = [r[wall] for r in results]
        verdict = "ok" if statistics.median(walls) <= TARGET_MS else "OVER TARGET"
        print(f"  {label:<42} {figures(walls)} ms   target <= {TARGET_MS:.0f}: {verdict}")
        print(f"    {'CPU time':<40} {figures([r[cpu] for r in results])} ms")
    if options.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        asyncio.run(one_run(profiler))
        print("\nThe IT screen opening, under cProfile:")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats("bo_console", 25)


if __name__ == "__main__":
    main()
