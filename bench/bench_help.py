"""Median wall time of `bo --help`, the cost every cron job and script pays at start-up.

Runs the installed `bo` (the one beside this Python) 25 times after two warm-up runs.
Target (foundation issue): at most 150 ms median.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 25
TARGET_MS = 150.0


def bo_command() -> list[str]:
    beside = Path(sys.executable).with_name("bo")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("bo")
    return [found] if found else [sys.executable, "-m", "bo_console"]


def main() -> None:
    command = [*bo_command(), "--help"]
    for _ in range(2):
        subprocess.run(command, capture_output=True, check=True)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    median = statistics.median(samples)
    verdict = "ok" if median <= TARGET_MS else "OVER TARGET"
    print(
        f"bo --help   median {median:6.1f} ms   min {min(samples):6.1f} ms   "
        f"max {max(samples):6.1f} ms   ({RUNS} runs; target <= {TARGET_MS:.0f} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
