"""Whole `bo` processes of HR's and IT's record commands on the demo: wall time, CPU time and
peak memory, as the person each is meant for runs it.

The commands: `hr candidates show`, `hr employees show --masked` and as an HR clerk,
`hr employees export`, `hr payroll config`, `it tickets show`, `it assets show`, `it licences
show` and `it licences expiring` as an IT clerk (a manager sees keys, which is audited, so
theirs stays a unit of work: measured too), `it stocktake show`. The demo's people are console
logins without OS accounts, so each process pins its console login before it starts `bo`
(what `sudo -u` would give it); the demo's admin is the OS account that built it.

``--source DIR`` runs another checkout's ``src`` (for instance the code before a change, from
``git archive``) beside this one: each run of the current code is paired with one of the
other, so both meet the same load. Each figure is the median of ``--runs`` runs after one
warm-up. Uses a copy of ``bench_launch.py``'s demo database (``bench/out/demo-shows.db``) with
a stock-take added. Run: ``.venv/bin/python bench/bench_shows.py [--runs N] [--source DIR]``.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_launch import DEMO_DB, ENV, ensure_demo  # noqa: E402

DB = HERE / "out" / "demo-shows.db"
RUNS = 7
EMPLOYEE = ["hr", "employees", "show", "E00001"]
TARGET_MS = 250.0
PIN = """
import sys
from bo_console.core import security
login = sys.argv.pop(1)
if login != "-":
    security.os_identity = lambda: security.Identity(login, "bench")
from bo_console.console import main
main()
"""
"""Starts ``bo`` as a console login (``-`` keeps the OS account)."""


def ensure_database() -> None:
    """A copy of the demo with a stock-take of Riyadh HQ, two assets scanned."""
    if DB.exists() and DB.stat().st_mtime >= DEMO_DB.stat().st_mtime:
        return
    for stale in DB.parent.glob(DB.name + "*"):
        stale.unlink()
    source, target = sqlite3.connect(DEMO_DB), sqlite3.connect(DB)
    source.backup(target)
    source.close()
    target.close()
    bo = [sys.executable, "-m", "bo_console", "--db", str(DB)]
    subprocess.run([*bo, "it", "stocktake", "start", "--location", "Riyadh HQ"], check=True)
    subprocess.run([*bo, "it", "stocktake", "scan", "ST00001", "DE-0331", "DE-0332"], check=True)


def commands(output: Path) -> list[tuple[str, str, list[str]]]:
    """(label, console login or ``-``, arguments) of each command measured."""
    conn = sqlite3.connect(DB)
    (ticket,) = conn.execute("SELECT max(id) FROM it_ticket").fetchone()
    conn.close()
    return [
        ("hr candidates show 5", "-", ["hr", "candidates", "show", "5"]),
        ("hr employees show E00001 (an HR clerk)", "noura", EMPLOYEE),
        (
            "hr employees show E00001 --masked",
            "-",
            ["hr", "employees", "show", "E00001", "--masked"],
        ),
        ("hr employees show E00001 (revealed)", "-", EMPLOYEE),
        ("hr employees export -o x.csv", "-", ["hr", "employees", "export", "-o", str(output)]),
        ("hr payroll config", "-", ["hr", "payroll", "config"]),
        (f"it tickets show {ticket}", "-", ["it", "tickets", "show", str(ticket)]),
        ("it assets show DE-0331", "-", ["it", "assets", "show", "DE-0331"]),
        ("it licences show 6 (an IT clerk)", "khalid", ["it", "licences", "show", "6"]),
        ("it licences show 6 (a manager: key)", "james", ["it", "licences", "show", "6"]),
        ("it licences expiring (an IT clerk)", "khalid", ["it", "licences", "expiring"]),
        ("it licences expiring (a manager)", "james", ["it", "licences", "expiring"]),
        ("it stocktake show ST00001", "-", ["it", "stocktake", "show", "ST00001"]),
    ]


def run(login: str, args: list[str], source: Path | None) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one process, output to a pipe."""
    env = dict(ENV)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", PIN, login, "--db", str(DB), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read()
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.stdout.close()
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    if code != 0:
        raise SystemExit(f"bo {' '.join(args)} failed ({code}): {error.decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--source", type=Path, help="another checkout's src, run beside this")
    options = parser.parse_args()
    ensure_demo()
    ensure_database()
    print(
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, as {pwd.getpwuid(os.getuid())[0]}"
    )
    work = Path(tempfile.mkdtemp(prefix="bench-shows-"))
    try:
        for label, login, args in commands(work / "x.csv"):
            sides: list[Path | None] = [None] + ([options.source] if options.source else [])
            samples: dict[Path | None, list[tuple[float, float, float]]] = {s: [] for s in sides}
            for side in sides:
                run(login, args, side)  # warm-up: bytecode cached, files in the page cache
            for _ in range(options.runs):
                for side in sides:
                    samples[side].append(run(login, args, side))
            for side in sides:
                walls, cpus, peaks = zip(*samples[side], strict=True)
                wall, cpu = statistics.median(walls) * 1000, statistics.median(cpus) * 1000
                name = "before" if side is not None else "now"
                mark = "ok" if wall <= TARGET_MS else "over 250 ms"
                print(
                    f"{label:<42} {name:<6} wall {wall:6.0f} ms  CPU {cpu:6.0f} ms  "
                    f"peak {max(peaks):5.1f} MB  {mark}"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load afterwards {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
