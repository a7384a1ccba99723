"""Whole `bo` processes of the core's read commands over the demo: users, audit, jobs, inbox,
the journal export and `bo db check`, beside the bare interpreter (`python -c pass`).

Each figure is the median of ``--runs`` runs (7 by default) after one warm-up run: wall time and
CPU time (user + system) of the process, output to a pipe. The target is 250 ms for a list or
report command. On a shared machine the wall times follow the load; the CPU times much less.

Uses the demo database ``bench/out/demo-launch.db`` (``bo demo`` builds it when missing), or
``--db FILE``. Run: ``.venv/bin/python bench/bench_core_reads.py [--runs N] [--db FILE]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO_DB = HERE / "out" / "demo-launch.db"
BO = [sys.executable, "-m", "bo_console"]

COMMANDS: list[tuple[str, ...]] = [
    ("users", "list"),
    ("users", "export", "-o", "OUT/users.csv"),
    ("audit", "log"),
    ("audit", "verify", "--no-anchor"),
    ("jobs", "list"),
    ("inbox", "list"),
    ("inbox", "show", "1"),
    ("finance", "journal", "export"),
    ("db", "check"),
]


def _run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 5):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _measure(argv: list[str], runs: int) -> tuple[float, float]:
    _run(argv)  # warm-up: the page cache and .pyc files
    figures = [_run(argv) for _ in range(runs)]
    return (
        statistics.median(w for w, _ in figures),
        statistics.median(c for _, c in figures),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=DEMO_DB)
    args = parser.parse_args()
    db: Path = args.db
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([*BO, "--db", str(db), "demo"], check=True)
    out = db.parent / "core-reads-out"
    out.mkdir(exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.1f}; median of {args.runs} runs; {db.name}")
    print(f"{'command':<40} {'wall ms':>8} {'CPU ms':>8}")
    wall, cpu = _measure([sys.executable, "-c", "pass"], args.runs)
    print(f"{'python -c pass':<40} {wall * 1000:>8.0f} {cpu * 1000:>8.0f}")
    for command in COMMANDS:
        argv = [*BO, "--db", str(db), *(a.replace("OUT", str(out)) for a in command)]
        wall, cpu = _measure(argv, args.runs)
        print(f"{'bo ' + ' '.join(command):<40} {wall * 1000:>8.0f} {cpu * 1000:>8.0f}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
