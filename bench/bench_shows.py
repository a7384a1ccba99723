"""Whole `bo` processes of the read commands `bench_launch.py` does not time: the core's
users, audit, jobs, inbox and checks, one record of each department (invoice, bill, payment,
credit note, party, candidate, employee, ticket, asset, licence, stock-take, item, sales
order), the month-end checklist, the bank reconciliation, the exports and the management
dashboard, each as the person it is meant for runs it.

Each figure is the median of ``--runs`` runs (7 by default) after one warm-up run: wall time,
CPU time (user + system) and peak memory of the process, output to a pipe, against the
command target (250 ms, under 100 MB). On a shared machine the wall times follow the load;
the CPU times much less. Commands that show audited fields (an admin's revealed employee, a
manager's licence keys) write an audit row and stay a unit of work: they are timed too, and
marked ``audited``. `documents statement` writes a PDF (fpdf2's import is most of its time);
`db check` and `audit verify` walk the whole store.

The demo's people are console logins without OS accounts, so each process pins its console
login before it starts `bo` (what `sudo -u` would give it); ``-`` keeps the OS account that
built the demo (its admin). ``--source DIR`` runs another checkout's ``src`` (for instance the
code before a change, from ``git archive``) beside this one: each run of the current code is
paired with one of the other, so both meet the same load.

Uses a copy of ``bench_launch.py``'s demo database (``bench/out/demo-shows.db``) with a
stock-take added. Run: ``.venv/bin/python bench/bench_shows.py [--runs N] [--source DIR]
[--only WORD]``.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_launch  # noqa: E402  (beside this script, found through the path above)

DB = HERE / "out" / "demo-shows.db"
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

AUDITED = "audited"


def ensure_database() -> None:
    """A copy of the demo with a stock-take of Riyadh HQ, two assets scanned."""
    bench_launch.ensure_demo()
    if DB.exists() and DB.stat().st_mtime >= bench_launch.DEMO_DB.stat().st_mtime:
        return
    for stale in DB.parent.glob(DB.name + "*"):
        stale.unlink()
    source, target = sqlite3.connect(bench_launch.DEMO_DB), sqlite3.connect(DB)
    source.backup(target)
    source.close()
    target.close()
    bo = [*bench_launch.bo_command(), "--db", str(DB)]
    subprocess.run([*bo, "it", "stocktake", "start", "--location", "Riyadh HQ"], check=True)
    subprocess.run([*bo, "it", "stocktake", "scan", "ST00001", "DE-0331", "DE-0332"], check=True)


def commands(out: Path) -> list[tuple[str, str, list[str]]]:
    """(note, console login or ``-``, arguments) of each command measured."""
    conn = sqlite3.connect(DB)
    (ticket,) = conn.execute("SELECT max(id) FROM it_ticket").fetchone()
    (order,) = conn.execute("SELECT min(number) FROM lg_sales_order").fetchone()
    conn.close()
    employee = ["hr", "employees", "show", "E00001"]
    return [
        ("", "-", ["users", "list"]),
        ("", "-", ["users", "export", "-o", str(out / "users.csv")]),
        ("", "-", ["audit", "log"]),
        ("whole chain", "-", ["audit", "verify", "--no-anchor"]),
        ("", "-", ["jobs", "list"]),
        ("", "-", ["inbox", "list"]),
        ("", "-", ["inbox", "show", "1"]),
        ("whole store", "-", ["db", "check"]),
        ("", "-", ["finance", "journal", "export"]),
        ("", "-", ["finance", "invoices", "show", "INV-2025-00001"]),
        ("", "-", ["finance", "bills", "show", "BILL-2025-00001"]),
        ("", "-", ["finance", "payments", "show", "PAY-2026-00001"]),
        ("", "-", ["finance", "note", "show", "CRN-2026-00001"]),
        ("", "-", ["finance", "parties", "show", "B0001"]),
        ("", "-", ["finance", "parties", "export"]),
        ("closed month", "-", ["finance", "period", "checklist", "2026-03"]),
        ("open month", "-", ["finance", "period", "checklist", "2026-11"]),
        ("", "-", ["finance", "bank", "report", "RAJHI"]),
        ("", "-", ["finance", "bank", "month", "2026-11"]),
        ("", "-", ["finance", "bank", "suggest", "309"]),
        ("PDF", "-", ["finance", "documents", "statement", "B0001", "-o", f"{out}/st.pdf"]),
        ("", "-", ["hr", "candidates", "show", "5"]),
        ("an HR clerk", "noura", employee),
        ("", "-", [*employee, "--masked"]),
        (AUDITED, "-", employee),
        ("", "-", ["hr", "employees", "export", "-o", str(out / "staff.csv")]),
        ("", "-", ["hr", "payroll", "config"]),
        ("", "-", ["it", "tickets", "show", str(ticket)]),
        ("", "-", ["it", "assets", "show", "DE-0331"]),
        ("an IT clerk", "khalid", ["it", "licences", "show", "6"]),
        (f"{AUDITED}: a manager sees keys", "james", ["it", "licences", "show", "6"]),
        ("an IT clerk", "khalid", ["it", "licences", "expiring"]),
        (f"{AUDITED}: a manager", "james", ["it", "licences", "expiring"]),
        ("", "-", ["it", "stocktake", "show", "ST00001"]),
        ("", "-", ["logistics", "items", "show", "ALC-STANDA-116"]),
        ("", "-", ["front", "status", order]),
        ("", "-", ["data", "dashboard"]),
        ("", "-", ["data", "dashboard", "-f", "json"]),
    ]


def run(login: str, args: list[str], source: Path | None) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one process as ``login``, output to a
    pipe; with ``source``, that checkout's code."""
    env = dict(bench_launch.ENV)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    command = [sys.executable, "-c", PIN, login, "--db", str(DB), *args]
    return bench_launch.run_command(args, command, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=bench_launch.RUNS)
    parser.add_argument("--source", type=Path, help="another checkout's src, run beside this")
    parser.add_argument("--only", help="only the commands whose words include this one")
    options = parser.parse_args()
    ensure_database()
    user = pwd.getpwuid(os.getuid())[0]
    print(f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, as {user}; {DB.name}")
    started = [sys.executable, "-c", "pass"]
    floor = [bench_launch.run_command([], started) for _ in range(options.runs)]
    print(f"{'python -c pass':<52} wall {bench_launch.figures([w for w, _, _ in floor])} ms")
    work = Path(tempfile.mkdtemp(prefix="bench-shows-"))
    try:
        for note, login, args in commands(work):
            if options.only and options.only not in args:
                continue
            sides: list[Path | None] = [None] + ([options.source] if options.source else [])
            samples: dict[Path | None, list[tuple[float, float, float]]] = {s: [] for s in sides}
            for side in sides:
                run(login, args, side)  # warm-up: bytecode cached, files in the page cache
            for _ in range(options.runs):
                for side in sides:
                    samples[side].append(run(login, args, side))
            label = " ".join(a if "/" not in a else Path(a).name for a in args)
            print(f"bo {label}" + (f"  ({note})" if note else ""))
            for side in sides:
                walls, cpus, peaks = zip(*samples[side], strict=True)
                ok = statistics.median(walls) * 1000 <= bench_launch.COMMAND_TARGET_MS
                ok = ok and max(peaks) < bench_launch.COMMAND_TARGET_MB
                name = "before" if side is not None else "now"
                print(
                    f"  {name:<6} wall {bench_launch.figures(list(walls))} ms  "
                    f"{bench_launch.verdict(ok)}\n"
                    f"         cpu  {bench_launch.figures(list(cpus))} ms   "
                    f"peak {max(peaks):.0f} MB"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load afterwards {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
