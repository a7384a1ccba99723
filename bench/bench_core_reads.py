"""Whole `bo` processes of the core's read commands over the demo: users, audit, jobs, inbox,
the journal export and `bo db check`, beside the bare interpreter (`python -c pass`).

Each figure is the median of ``--runs`` runs (7 by default) after one warm-up run, with min and
max: wall time and CPU time (user + system) of the process, output to a pipe. The target is
250 ms for a list or report command (``ok`` or ``OVER TARGET`` by the median wall time). On a
shared machine the wall times follow the load; the CPU times much less.

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


TARGET_MS = 250


def _line(what: str, figures: list[tuple[float, float]], target: bool = True) -> str:
    walls = [w * 1000 for w, _ in figures]
    cpus = [c * 1000 for _, c in figures]
    wall = statistics.median(walls)
    verdict = ("ok" if wall <= TARGET_MS else "OVER TARGET") if target else ""
    return (
        f"{what:<40} {wall:>7.0f} ({min(walls):.0f}-{max(walls):.0f})"
        f" {statistics.median(cpus):>7.0f} ({min(cpus):.0f}-{max(cpus):.0f})  {verdict}"
    )


def _measure(argv: list[str], runs: int) -> list[tuple[float, float]]:
    _run(argv)  # warm-up: the page cache and .pyc files
    return [_run(argv) for _ in range(runs)]


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
    print(
        f"{'command':<40} {'wall ms (min-max)':>17} {'CPU ms (min-max)':>16}  target {TARGET_MS} ms"
    )
    print(_line("python -c pass", _measure([sys.executable, "-c", "pass"], args.runs), False))
    for command in COMMANDS:
        argv = [*BO, "--db", str(db), *(a.replace("OUT", str(out)) for a in command)]
        print(_line("bo " + " ".join(command), _measure(argv, args.runs)))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
