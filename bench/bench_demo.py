"""How long ``bo demo`` takes, per demo builder and per step of IT's.

Builds the demo into a fresh temporary file as ``bo demo`` does and prints the seconds each
builder took (and IT's steps), wall clock and CPU (the CPU figure holds on a busy machine),
then the total. Run: ``.venv/bin/python bench/bench_demo.py``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMES: list[tuple[str, float, float]] = []


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        began, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES.append((name, time.perf_counter() - began, time.process_time() - cpu))

    return run


def main() -> None:
    from bo_console import demo, departments
    from bo_console.core.db import Store
    from bo_console.core.security import os_identity
    from bo_console.it import demo as it_demo

    for step in ("_holidays", "_assets", "_custody", "_licences", "_tickets", "_boarding"):
        setattr(it_demo, step, _timed(f"  it.{step.lstrip('_')}", getattr(it_demo, step)))
    builders = departments.demo_builders
    departments.demo_builders = lambda: [
        _timed(f"{b.__module__}.{b.__name__}", b) for b in builders()
    ]
    demo._core_demo = _timed("core", demo._core_demo)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'demo.db'}")
        began, cpu = time.perf_counter(), time.process_time()
        demo.build_demo(store, os_identity())
        total, total_cpu = time.perf_counter() - began, time.process_time() - cpu
    print(f"{'step':40s} {'wall':>9s} {'cpu':>9s}")
    for name, seconds, cpu_seconds in TIMES:
        print(f"{name:40s} {seconds:7.2f} s {cpu_seconds:7.2f} s")
    print(f"{'bo demo (total)':40s} {total:7.2f} s {total_cpu:7.2f} s")


if __name__ == "__main__":
    main()
