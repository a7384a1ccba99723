"""Finance at scale: 1,000,000 transactions (about 2.45 million lines) over 200 accounts.

Steps, each printing its figures beside the issue's target:

1. the dataset, our journal CSV, generated once and cached in ``bench/out/``;
2. a new database (``bo init`` and 200 accounts), then ``bo finance import journal`` on the
   dataset: wall time, lines per second, peak memory;
3. the report services in process (median and worst of 5): trial balance at a month's end
   and in the middle of a month, income statements over whole months and over odd dates
   beside the previous period, the balance sheet; and, for reference, a bare GROUP BY over
   the lines' covering index;
4. the same reports as whole ``bo`` commands (interpreter start-up and imports included):
   wall time (median of 5) and peak memory;
5. ``bo finance export journal`` to an hledger journal, then ``ledger bal`` and ``hledger bal``
   on it, with the ratios to our trial-balance command, and a check that hledger's balances
   equal ours to the cent.

Run: ``.venv/bin/python bench/bench_finance.py`` (options: ``--transactions N``,
``--reuse-db`` to skip the import when the database is already there, ``--skip-tools``).
``ledger`` and ``hledger`` are Debian packages; the script installs them with apt-get when it
runs as root and they are missing, and otherwise says how to.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import finance_data  # noqa: E402  (a helper beside this script)

# Run a command, then print its wall time and the peak memory of its process tree as JSON.
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:])
wall = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": done.returncode, "wall": wall, "rss_kb": peak}), file=sys.stderr)
"""


def bo_command() -> list[str]:
    beside = Path(sys.executable).with_name("bo")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("bo")
    return [found] if found else [sys.executable, "-m", "bo_console"]


def measure(command: list[str], stdout: Path | None = None) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one run of ``command``."""
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    try:
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, *command],
            stdout=out,
            stderr=subprocess.PIPE,
            text=False,
            check=False,
        )
    finally:
        if stdout:
            out.close()  # type: ignore[union-attr]
    last = done.stderr.decode().strip().splitlines()[-1]
    result = json.loads(last)
    if result["code"] != 0:
        raise SystemExit(f"failed ({result['code']}): {' '.join(command)}\n{done.stderr.decode()}")
    return float(result["wall"]), int(result["rss_kb"]) // 1024


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def ensure_tools() -> dict[str, str]:
    """Paths of ledger and hledger, installing the Debian packages if we may."""
    found = {name: shutil.which(name) for name in ("ledger", "hledger")}
    missing = [name for name, path in found.items() if path is None]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing {' '.join(missing)} with apt-get ...", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        found = {name: shutil.which(name) for name in ("ledger", "hledger")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        print(f"not installed: {' '.join(missing)} (sudo apt-get install {' '.join(missing)})")
    return {name: path for name, path in found.items() if path is not None}


def build_database(db: Path, data: Path, reuse: bool) -> None:
    from bo_console.core.db import Store, dispose_engines
    from bo_console.core.security import os_identity, sign_in
    from bo_console.departments import init_database

    if reuse and db.exists():
        print(f"reusing {db}")
        return
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    store = Store(f"sqlite:///{db}")
    identity = os_identity()
    init_database(store, identity, company="Bench Co")
    with store.read() as session:
        actor = sign_in(session, identity)
    codes = finance_data.add_accounts(store, actor)
    dispose_engines()
    lines = sum(1 for _ in data.open()) - 1
    print(f"new database with {len(codes)} postable accounts; importing {lines:,} lines ...")
    wall, rss = measure([*bo_command(), "--db", str(db), "finance", "import", "journal", str(data)])
    rate = lines / wall
    print(
        f"  import: {wall:6.1f} s, {rate:,.0f} lines/s (target >= 150,000: "
        f"{verdict(rate >= 150_000)}), peak {rss} MB"
    )


def time_calls(label: str, call: Callable[[], object], target_ms: float, runs: int = 5) -> None:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    worst = max(samples)
    print(
        f"  {label:<58} median {statistics.median(samples):7.1f} ms  worst {worst:7.1f} ms"
        + (f"  (target <= {target_ms:.0f} ms: {verdict(worst <= target_ms)})" if target_ms else "")
    )


def service_figures(db: Path) -> None:
    from bo_console.core.db import Store

    store_figures(Store(f"sqlite:///{db}"))


def store_figures(store: Any) -> None:
    """The report services' figures on ``store`` (a SQLite or PostgreSQL ``Store``)."""
    from sqlalchemy import text

    from bo_console.core.security import os_identity, sign_in
    from bo_console.finance import reports

    with store.read() as session:
        actor = sign_in(session, os_identity())

    def read(fn: Callable[[Any], object]) -> Callable[[], object]:
        def run() -> object:
            with store.read() as session:
                return fn(session)

        return run

    print("report services, in process (median and worst of 5):")
    tb, pl, bs = reports.trial_balance, reports.income_statement, reports.balance_sheet
    d = date
    cases: list[tuple[str, Callable[[Any], object]]] = [
        ("trial balance as of 2026-06-30 (month end)", lambda s: tb(s, actor, d(2026, 6, 30))),
        ("trial balance as of 2026-06-17 (mid-month)", lambda s: tb(s, actor, d(2026, 6, 17))),
        ("trial balance as of 2026-12-31 (everything)", lambda s: tb(s, actor, d(2026, 12, 31))),
        (
            "income statement 2026-01-01..06-30, --compare",
            lambda s: pl(s, actor, d(2026, 1, 1), d(2026, 6, 30), compare=True),
        ),
        (
            "income statement 2026-03-05..08-20, --compare",
            lambda s: pl(s, actor, d(2026, 3, 5), d(2026, 8, 20), compare=True),
        ),
        ("balance sheet as of 2026-06-17", lambda s: bs(s, actor, d(2026, 6, 17))),
        ("balance sheet as of 2026-12-31", lambda s: bs(s, actor, d(2026, 12, 31))),
    ]
    for label, fn in cases:
        time_calls(label, read(fn), 150)
    time_calls(
        "general ledger of 1110, June 2026 (reference)",
        read(
            lambda s: reports.general_ledger(s, actor, "1110", date(2026, 6, 1), date(2026, 6, 30))
        ),
        0,
    )
    time_calls(
        "bare GROUP BY over the lines' covering index (reference)",
        read(
            lambda s: s.execute(
                text("SELECT account_id, SUM(debit), SUM(credit) FROM fin_line GROUP BY account_id")
            ).all()
        ),
        0,
        runs=3,
    )


def command_figures(db: Path) -> float:
    """Times whole `bo` commands; returns the trial balance command's median wall (s)."""
    print("whole `bo` commands (median of 5 runs; interpreter start-up included):")
    base = [*bo_command(), "--db", str(db), "finance", "report"]
    commands = [
        ["trial-balance", "--as-of", "2026-12-31", "-f", "json"],
        ["trial-balance", "--as-of", "2026-06-17"],
        ["income-statement", "--from", "2026-03-05", "--to", "2026-08-20", "--compare"],
        ["balance-sheet", "--as-of", "2026-06-17"],
    ]
    first = 0.0
    for args in commands:
        label = " ".join(args)
        runs = [measure([*base, *args]) for _ in range(5)]
        wall = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        first = first or wall
        print(
            f"  bo finance report {label:<55} {wall * 1000:6.0f} ms "
            f"(target <= 600: {verdict(wall <= 0.6)}), peak {rss} MB "
            f"(target < 100: {verdict(rss < 100)})"
        )
    help_runs = [measure([*bo_command(), "--help"])[0] for _ in range(5)]
    print(f"  for reference, bo --help: {statistics.median(help_runs) * 1000:.0f} ms")
    return first


def our_balances(db: Path) -> dict[str, Decimal]:
    report = ["finance", "report", "trial-balance", "--as-of", "2026-12-31", "-f", "json"]
    done = subprocess.run(
        [*bo_command(), "--db", str(db), *report], capture_output=True, text=True, check=True
    )
    return {row["account"]: Decimal(row["balance"]) for row in json.loads(done.stdout)}


def tool_figures(db: Path, tools: dict[str, str], ours: float) -> None:
    journal = OUT / "finance-1m.journal"
    wall, rss = measure(
        [*bo_command(), "--db", str(db), "finance", "export", "journal", "-o", str(journal)]
    )
    size = journal.stat().st_size / 1e6
    print(f"export: bo finance export journal: {wall:.1f} s, {size:.0f} MB, peak {rss} MB")
    print(
        f"ledger and hledger on that journal (ratios to our trial balance, {ours * 1000:.0f} ms):"
    )
    for name, command in (
        ("ledger", [tools.get("ledger", ""), "-f", str(journal), "bal", "--flat"]),
        ("hledger", [tools.get("hledger", ""), "-f", str(journal), "bal", "--flat", "-N"]),
    ):
        if not command[0]:
            print(f"  {name}: not installed")
            continue
        wall, rss = measure(command)
        print(f"  {name} bal: {wall:7.1f} s, peak {rss:,} MB  ({wall / ours:,.0f}x our time)")
    if "hledger" in tools:
        print("  checking hledger's balances against ours ...", flush=True)
        done = subprocess.run(
            [tools["hledger"], "-f", str(journal), "bal", "--flat", "-N", "-O", "csv"],
            capture_output=True,
            text=True,
            check=True,
        )
        theirs = {
            name: Decimal(amount.split()[0])
            for name, amount in list(csv.reader(io.StringIO(done.stdout)))[1:]
            if amount.split()[0] != "0"
        }
        mine = our_balances(db)
        same = theirs == mine
        print(
            f"  hledger and bo agree on all {len(mine)} account balances to the cent: "
            f"{'yes' if same else 'NO'}"
        )
        if not same:
            diff = sorted(set(theirs.items()) ^ set(mine.items()))[:5]
            print(f"    first differences: {diff}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument(
        "--reuse-db", action="store_true", help="Skip the import if the database exists."
    )
    parser.add_argument("--skip-tools", action="store_true", help="Do not run ledger and hledger.")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    suffix = "1m" if args.transactions == 1_000_000 else str(args.transactions)
    data = OUT / f"finance-{suffix}.csv"
    db = OUT / f"finance-{suffix}.db"
    if not data.exists():
        print(f"generating {args.transactions:,} transactions into {data} ...", flush=True)
        started = time.perf_counter()
        lines = finance_data.generate(data, args.transactions)
        print(f"  {lines:,} lines in {time.perf_counter() - started:.0f} s")
    build_database(db, data, args.reuse_db)
    service_figures(db)
    ours = command_figures(db)
    if not args.skip_tools:
        tools = ensure_tools()
        tool_figures(db, tools, ours)


if __name__ == "__main__":
    main()
