"""Year-end close over the 1,000,000-transaction benchmark ledger (target: 5 s or less).

Uses ``bench_finance.py``'s dataset and database (built here if missing), copies the database
so the benchmark's own stays unclosed, closes January to November 2025 in order, then times
``close_year("2025")``: the December checklist, the closing entry (income and expenses of
the year to retained earnings) and the close. Then the trial balance and the income
statement, before and after, to show the reports cost the same.
Run: ``.venv/bin/python bench/bench_year_end.py`` (``--transactions N`` for a smaller set).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import bench_finance  # noqa: E402  (a script beside this one)
import finance_data  # noqa: E402


def _median_ms(call: Callable[[], object], runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1_000_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    suffix = "1m" if args.transactions == 1_000_000 else str(args.transactions)
    data = OUT / f"finance-{suffix}.csv"
    source = OUT / f"finance-{suffix}.db"
    if not data.exists():
        print(f"generating {args.transactions:,} transactions into {data} ...", flush=True)
        finance_data.generate(data, args.transactions)
    bench_finance.build_database(source, data, reuse=True)
    db = OUT / f"finance-{suffix}-year-end.db"
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    shutil.copyfile(source, db)

    from bo_console.core.db import Store
    from bo_console.core.security import os_identity, sign_in
    from bo_console.finance import service

    store = Store(f"sqlite:///{db}")
    with store.read() as session:
        actor = sign_in(session, os_identity())

    def reports() -> None:
        with store.read() as session:
            service.trial_balance(session, actor, date(2026, 6, 30))
            service.income_statement(session, actor, date(2025, 1, 1), date(2025, 12, 31))

    before = _median_ms(reports)
    for month in range(1, 12):
        with store.write() as session:
            service.close_period(session, actor, f"2025-{month:02d}")
    started = time.perf_counter()
    with store.write() as session:
        service.close_year(session, actor, "2025")
    took = time.perf_counter() - started
    after = _median_ms(reports)
    with store.read() as session:
        closing = service.list_entries(session, actor, service.EntryFilter(source="closing"))
        lines = len(service.get_entry(session, actor, closing[0].ref).lines) if closing else 0
    verdict = "ok" if took <= 5 else "MISSED"
    print(f"year-end close 2025: {took:.2f} s (target <= 5 s: {verdict}); closing entry "
          f"{closing[0].ref if closing else '-'} with {lines} lines")  # fmt: skip
    print(f"trial balance + income statement: {before:.0f} ms before, {after:.0f} ms after")


if __name__ == "__main__":
    main()
