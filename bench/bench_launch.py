"""Start-up of whole `bo` processes over the 1,000,000-transaction ledger, as a clerk meets it.

- `bo tui --screen finance` in a pseudo-terminal (80x24, ``TERM=xterm-256color``): from
  spawning the process until its output holds the first journal row (the newest entry's
  number), interpreter start-up, imports, the database and Textual's first frames included.
  The process is then told to stop (SIGTERM; killed if it lingers).
- `bo finance report trial-balance | income-statement | balance-sheet`, the other finance
  reports (general ledger, VAT return, aged receivables, cash flow) and list commands
  (`bo finance accounts list`, `bo finance cost-centres list`, `bo it assets list`, `bo hr
  employees list`, `bo logistics items list`, IT's tickets, HR's leave requests and pay runs,
  logistics' sales orders and stock valuation) as whole commands with table output to a pipe:
  wall time, CPU time and peak memory of the process.
- `bo --help` and, beside it, the bare interpreter (`python -c pass`): what start-up costs
  before any of the program's own work.

Each figure is the median of ``--runs`` runs (7 by default) after one warm-up run, with min and
max, and the targets: the Journal tab on screen within 500 ms of launch; a report or list
command at most 250 ms and under 100 MB; `bo --help` at most 100 ms. On a shared machine the
wall times follow the load; the CPU times (printed beside them) much less.

Uses a copy of ``bench_finance_screen.py``'s ledger (``bench/out/finance-1m-launch.db``; made
from it, or from scratch through that script, when missing or older); with ``--demo``, the
demo database instead (``bench/out/demo-launch.db``, built by ``bo demo`` when missing): the
same start-up over smaller books, for a machine with no time to build the big ledger. Run:
``.venv/bin/python bench/bench_launch.py [--runs N] [--demo]``.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SCREEN_DB = OUT / "finance-1m-screen.db"
DB = OUT / "finance-1m-launch.db"
DEMO_DB = OUT / "demo-launch.db"
RUNS = 7
COLUMNS, LINES = 80, 24
LAUNCH_TARGET_MS = 500.0
COMMAND_TARGET_MS = 250.0
COMMAND_TARGET_MB = 100.0
HELP_TARGET_MS = 100.0
AS_OF = "2026-12-31"

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The processes' environment: Python may cache compiled modules (as an installed program
has them), so the warm-up run leaves nothing to compile for the measured ones."""

sys.path.insert(0, str(HERE))


def bo_command() -> list[str]:
    beside = Path(sys.executable).with_name("bo")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "bo_console"]


def ensure_database() -> None:
    """A private copy of the screen bench's ledger, so this script's runs leave it alone."""
    if not SCREEN_DB.exists():
        import bench_finance_screen

        bench_finance_screen.ensure_ledger()
    if DB.exists() and DB.stat().st_mtime >= SCREEN_DB.stat().st_mtime:
        return
    for stale in OUT.glob(DB.name + "*"):
        stale.unlink()
    print(f"copying {SCREEN_DB.name} to {DB.name} ...", flush=True)
    source, target = sqlite3.connect(SCREEN_DB), sqlite3.connect(DB)
    source.backup(target)
    source.close()
    target.close()


def ensure_demo() -> None:
    """The demo database, built once with ``bo demo``."""
    if DEMO_DB.exists():
        return
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"building {DEMO_DB.name} with bo demo ...", flush=True)
    subprocess.run([*bo_command(), "--db", str(DEMO_DB), "demo"], env=ENV, check=True)


def newest_entry() -> str:
    """The entry number the journal shows on its first row (the newest entry)."""
    conn = sqlite3.connect(DB)
    entry_id, year, number = conn.execute(
        "SELECT id, year, number FROM fin_entry ORDER BY date DESC, id DESC LIMIT 1"
    ).fetchone()
    conn.close()
    # A draft has no number yet: the journal shows it by its id.
    return f"draft #{entry_id}" if number is None else f"{year}-{number:06d}"


def cpu_and_wait(pid: int) -> tuple[float, float]:
    """Seconds the process's threads have spent on a CPU, and waiting for one (Linux's
    schedstat; zeros where it is missing)."""
    on_cpu = waiting = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            fields = (task / "schedstat").read_text().split()
            on_cpu += int(fields[0])
            waiting += int(fields[1])
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0
    return on_cpu / 1e9, waiting / 1e9


def launch(needle: bytes, timeout: float = 20.0) -> tuple[float, float, float]:
    """Seconds from spawning `bo tui --screen finance` on a pseudo-terminal until ``needle``
    appears in what it writes to the terminal; and by then, the process's time on a CPU and
    waiting for one (on a busy machine the second grows)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = {**ENV, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    env.pop("NO_COLOR", None)
    command = [*bo_command(), "--db", str(DB), "tui", "--screen", "finance"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    elapsed: float | None = None
    cpu = (0.0, 0.0)
    try:
        deadline = started + timeout
        while elapsed is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise RuntimeError(f"no {needle.decode()!r} on screen within {timeout:.0f} s")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other side closed: the process ended
                chunk = b""
            if not chunk:
                raise RuntimeError(f"bo ended before showing the journal:\n{seen.decode()[-2000:]}")
            seen += chunk
            if needle in seen[-len(chunk) - len(needle) :]:
                elapsed = time.perf_counter() - started
                cpu = cpu_and_wait(process.pid)
    finally:
        stop(process, master)
    return elapsed, *cpu


def stop(process: subprocess.Popen[bytes], master: int) -> None:
    """Ask the console to stop, keep its terminal drained meanwhile, kill it if it lingers."""
    process.send_signal(signal.SIGTERM)
    deadline = time.perf_counter() + 3
    while process.poll() is None and time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                break
    if process.poll() is None:
        process.kill()
    process.wait()
    os.close(master)


def run_command(
    args: list[str], command: list[str] | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one `bo` command (or ``command``, in
    ``env``), output to a pipe."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command or [*bo_command(), "--db", str(DB), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env or ENV,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read()
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"bo {' '.join(args)} failed ({process.returncode}): {error.decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def figures(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"median {statistics.median(ms):6.1f}   min {min(ms):6.1f}   max {max(ms):6.1f}"


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument(
        "--demo", action="store_true", help="over the demo database, not the 1M-entry ledger"
    )
    options = parser.parse_args()
    runs = max(1, options.runs)
    global DB
    if options.demo:
        DB = DEMO_DB
        ensure_demo()
    else:
        ensure_database()
    entry = newest_entry()
    load = os.getloadavg()
    print(
        f"Whole `bo` processes over {DB.name}; {runs} runs after a warm-up;"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )
    print("Start-up alone (ms)")
    for label, command, target in (
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("bo --help", [*bo_command(), "--help"], HELP_TARGET_MS),
    ):
        run_command([], command)
        results = [run_command([], command) for _ in range(runs)]
        walls = [wall for wall, _, _ in results]
        mark = (
            ""
            if target is None
            else f"   target <= {target:.0f}: {verdict(statistics.median(walls) * 1000 <= target)}"
        )
        print(f"  {label:<22} {figures(walls)}{mark}")
        print(f"    {'CPU time':<22} {figures([cpu for _, cpu, _ in results])}")
    print()
    needle = entry.encode()
    launch(needle)
    launches = [launch(needle) for _ in range(runs)]
    samples = [wall for wall, _, _ in launches]
    median = statistics.median(samples) * 1000
    print("`bo tui --screen finance`, 80x24 pseudo-terminal, spawn to first journal row (ms)")
    print(
        f"  first row ({entry}) on screen   {figures(samples)}"
        f"   target <= {LAUNCH_TARGET_MS:.0f}: {verdict(median <= LAUNCH_TARGET_MS)}"
    )
    print(f"    of which on a CPU              {figures([c for _, c, _ in launches])}")
    print(f"    waiting for a CPU (load)       {figures([w for _, _, w in launches])}")
    print("\nWhole report and list commands, table output to a pipe (ms; peak memory)")
    for label, args in (
        ("trial-balance", ["finance", "report", "trial-balance", "--as-of", AS_OF]),
        (
            "trial-balance -f json",
            ["finance", "report", "trial-balance", "--as-of", AS_OF, "-f", "json"],
        ),
        (
            "income-statement",
            ["finance", "report", "income-statement", "--from", "2026-01-01", "--to", AS_OF],
        ),
        ("balance-sheet", ["finance", "report", "balance-sheet", "--as-of", AS_OF]),
        ("finance accounts list", ["finance", "accounts", "list"]),
        (
            "general-ledger 1100",
            ["finance", "report", "general-ledger", "1100", "--from", "2026-01-01", "--to", AS_OF],
        ),
        ("vat-return", ["finance", "report", "vat-return", "--period", "2026-11"]),
        ("aged-receivables", ["finance", "report", "aged-receivables", "--as-of", AS_OF]),
        ("cashflow", ["finance", "report", "cashflow", "--from", "2026-01-01", "--to", AS_OF]),
        ("cost-centres list", ["finance", "cost-centres", "list"]),
        ("it assets list", ["it", "assets", "list"]),
        ("hr employees list", ["hr", "employees", "list"]),
        ("logistics items list", ["logistics", "items", "list"]),
        ("it tickets list", ["it", "tickets", "list"]),
        ("hr leave requests", ["hr", "leave", "requests"]),
        ("hr payroll list", ["hr", "payroll", "list"]),
        ("logistics so list", ["logistics", "so", "list"]),
        ("stock valuation", ["logistics", "stock", "valuation"]),
    ):
        run_command(args)
        results = [run_command(args) for _ in range(runs)]
        walls = [wall for wall, _, _ in results]
        peak = max(rss for _, _, rss in results)
        ok = statistics.median(walls) * 1000 <= COMMAND_TARGET_MS and peak < COMMAND_TARGET_MB
        print(
            f"  {label:<22} {figures(walls)}   peak {peak:5.1f} MB"
            f"   target <= {COMMAND_TARGET_MS:.0f} ms, < {COMMAND_TARGET_MB:.0f} MB: {verdict(ok)}"
        )
        print(f"    {'CPU time':<22} {figures([cpu for _, cpu, _ in results])}")


if __name__ == "__main__":
    main()
