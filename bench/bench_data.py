"""The management dashboard on the 1M-transaction benchmark ledger: open time.

Uses the ledger ``bench_finance.py`` builds (``bench/out/finance-1m.db``; built here the same
way when missing, which takes a few minutes). Prints the time of
``data.service.dashboard`` (median and max of 7 warm calls, and the first, cold call), of
drawing it as text, and of the whole ``bo data dashboard`` process. Target: the dashboard
opens in 500 ms or less.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1_000_000)
    args = parser.parse_args()
    db = ensure_ledger(args.transactions)

    from bo_console.core.db import Store, dispose_engines
    from bo_console.core.migrate import upgrade
    from bo_console.core.security import os_identity, sign_in
    from bo_console.data import board, service

    store = Store(f"sqlite:///{db}")
    upgrade(store)  # a ledger built before migration 0008 gains the views
    dispose_engines()
    with store.engine.connect() as conn:
        lines = conn.exec_driver_sql("SELECT count(*) FROM fin_line").scalar()
    print(f"ledger: {lines:,} journal lines")
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
        f"dashboard service + text: median {median:.0f} ms (max {max(warm):.0f}) "
        f"(target <= {TARGET_MS:.0f} ms: {verdict}); the first call, which also imports "
        f"finance's services, {cold:.0f} ms"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [*bench_finance.bo_command(), "--db", str(db), "data", "dashboard"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = (time.perf_counter() - started) * 1000
    print(f"bo data dashboard, whole process: {wall:.0f} ms (exit {done.returncode})")


if __name__ == "__main__":
    main()
