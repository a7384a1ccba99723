"""Median wall time of `bo --help`, the cost every cron job and script pays at start-up.

Runs the installed `bo` (the one beside this Python) 20 times after a warm-up, and, to show
where the time goes, the bare interpreter and `import bo_console.cli` the same way.
Target: `bo --help` at most 100 ms median (it was 150 ms when the console had two departments).

    .venv/bin/python bench/bench_help.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 20
TARGET_MS = 100.0


def bo_command() -> list[str]:
    beside = Path(sys.executable).with_name("bo")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("bo")
    return [found] if found else [sys.executable, "-m", "bo_console"]


def measure(command: list[str], runs: int) -> list[float]:
    """Wall times in milliseconds of ``runs`` runs, after one warm-up run."""
    subprocess.run(command, capture_output=True, check=True)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def line(label: str, samples: list[float]) -> str:
    return (
        f"{label:<26} median {statistics.median(samples):6.1f} ms   "
        f"min {min(samples):6.1f} ms   max {max(samples):6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    runs = parser.parse_args().runs

    help_samples = measure([*bo_command(), "--help"], runs)
    median = statistics.median(help_samples)
    verdict = "ok" if median <= TARGET_MS else "OVER TARGET"
    target = f"target <= {TARGET_MS:.0f} ms: {verdict}"
    print(f"{line('bo --help', help_samples)}   ({runs} runs; {target})")
    print(line("  python -c pass", measure([sys.executable, "-c", "pass"], runs)))
    print(
        line(
            "  import bo_console.cli",
            measure([sys.executable, "-c", "import bo_console.cli"], runs),
        )
    )


if __name__ == "__main__":
    main()
