"""The management dashboard on the 1M-transaction benchmark ledger: open time.

Uses the ledger ``bench_finance.py`` builds (``bench/out/finance-1m.db``; built here the same
way when missing, which takes a few minutes), and a copy of it whose months are closed up to
the last one (``finance-1m-closed.db``, made once: each close takes its month-end snapshot,
timed). On each it prints the time of ``data.service.dashboard`` and drawing it as text with
its charts (median and max of 7 warm calls, and the first, cold call), and of the whole
``bo data dashboard`` process; on the closed copy also the pack of a month from its
snapshot. Target: the dashboard opens in 500 ms or less.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import bench_finance  # noqa: E402  (beside this script)
import finance_data  # noqa: E402

TARGET_MS = 500.0


def ensure_ledger(transactions: int) -> Path:
    """The benchmark ledger database, built by bench_finance's own steps when missing."""
    OUT.mkdir(exist_ok=True)
    suffix = "1m" if transactions == 1_000_000 else str(transactions)
    data = OUT / f"finance-{suffix}.csv"
    db = OUT / f"finance-{suffix}.db"
    if not data.exists():
        print(f"generating {transactions:,} transactions into {data} ...", flush=True)
        finance_data.generate(data, transactions)
    bench_finance.build_database(db, data, reuse=True)
    return db


def ensure_closed(db: Path) -> Path:
    """A copy of the ledger with every month but the last closed, each with its snapshot."""
    import sqlite3

    from sqlalchemy import text

    from bo_console.core.db import Store, dispose_engines
    from bo_console.core.migrate import upgrade
    from bo_console.core.security import os_identity, sign_in
    from bo_console.finance import service as finance

    closed = db.with_name(db.stem + "-closed.db")
    if closed.exists():
        return closed
    partial = closed.with_suffix(".partial")
    source, target = sqlite3.connect(db), sqlite3.connect(partial)
    source.backup(target)
    source.close()
    target.close()
    store = Store(f"sqlite:///{partial}")
    upgrade(store)
    with store.read() as session:
        actor = sign_in(session, os_identity())
        dates = session.execute(text("SELECT min(date), max(date) FROM fin_entry")).one()
    first, last = (str(d)[:7] for d in dates)
    period, timings = first, []
    while period < last:
        started = time.perf_counter()
        with store.write() as session:
            checklist = finance.checklist(session, actor, period)
            overrides = {i.key: "benchmark ledger" for i in checklist.items if not i.ok}
            finance.close_period(session, actor, period, overrides=overrides)
        timings.append((time.perf_counter() - started) * 1000)
        year, month = map(int, period.split("-"))
        period = f"{year + month // 12:04d}-{month % 12 + 1:02d}"
    dispose_engines()
    partial.rename(closed)
    print(
        f"closed {len(timings)} months, each with its snapshot: median "
        f"{statistics.median(timings):.0f} ms a month (max {max(timings):.0f})"
    )
    return closed


def measure(db: Path, label: str) -> None:
    from bo_console.core.db import Store, dispose_engines
    from bo_console.core.migrate import upgrade
    from bo_console.core.security import os_identity, sign_in
    from bo_console.data import board, service

    store = Store(f"sqlite:///{db}")
    upgrade(store)  # a ledger built before migration 0008 gains the views
    dispose_engines()
    with store.engine.connect() as conn:
        lines = conn.exec_driver_sql("SELECT count(*) FROM fin_line").scalar()
        months = conn.exec_driver_sql("SELECT count(*) FROM dm_month_snapshot").scalar()
    print(f"{label}: {lines:,} journal lines, {months} month-end snapshots")
    with store.read() as session:
        actor = sign_in(session, os_identity())

    def once() -> float:
        started = time.perf_counter()
        with store.read() as session:
            figures = service.dashboard(session, actor)
        board.text(figures)
        return (time.perf_counter() - started) * 1000

    cold = once()
    warm = [once() for _ in range(7)]
    median = statistics.median(warm)
    verdict = "ok" if median <= TARGET_MS else "MISSED"
    print(
        f"  dashboard service + text and charts: median {median:.0f} ms (max {max(warm):.0f}) "
        f"(target <= {TARGET_MS:.0f} ms: {verdict}); the first call, which also imports "
        f"finance's services and plotext, {cold:.0f} ms"
    )
    if months:
        with store.read() as session:
            period = service.list_snapshots(session, actor)[0].period
            started = time.perf_counter()
            service.management_pack(session, actor, period)
            packed = (time.perf_counter() - started) * 1000
        print(f"  pack of {period} from its snapshot: {packed:.0f} ms")
    started = time.perf_counter()
    done = subprocess.run(
        [*bench_finance.bo_command(), "--db", str(db), "data", "dashboard"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = (time.perf_counter() - started) * 1000
    print(f"  bo data dashboard, whole process: {wall:.0f} ms (exit {done.returncode})")
    dispose_engines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1_000_000)
    args = parser.parse_args()
    db = ensure_ledger(args.transactions)
    measure(db, "open ledger")
    measure(ensure_closed(db), "months closed")


if __name__ == "__main__":
    main()
