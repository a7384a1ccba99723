"""The finance benchmarks on PostgreSQL beside SQLite.

1. the finance dataset (``bench_finance.py``'s, 100,000 transactions by default) imported
   into a SQLite store with ``bo finance import journal``;
2. ``bo db copy --to`` that store into an empty PostgreSQL database: wall time and rows/s
   (the copy includes its verification: row counts, trial balance, audit chain);
3. the report services (trial balance, income statement, balance sheet, general ledger) on
   each store, median and worst of 5;
4. eight writer threads posting two-line journal entries through the posting service for
   ``--seconds`` on each store: entries committed per second, and whether the numbering is
   still gapless.

Run: ``.venv/bin/python bench/bench_postgres.py`` (options: ``--transactions N``,
``--seconds S``, ``--url postgresql://...`` for a server you may create databases on;
without it the script starts a throwaway server with ``tests/postgres/cluster.sh`` and stops
it afterwards).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_finance  # noqa: E402  (a script beside this one)
import finance_data  # noqa: E402

WRITERS = 8


def start_server() -> tuple[str, str]:
    out = subprocess.run(
        [str(HERE.parent / "tests/postgres/cluster.sh"), "start"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return out[0], out[1]


def stop_server(directory: str) -> None:
    subprocess.run([str(HERE.parent / "tests/postgres/cluster.sh"), "stop", directory], check=False)


def new_database(server: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"bo_bench_{uuid.uuid4().hex[:8]}"
    plain = make_url(server).set(drivername="postgresql")
    with psycopg.connect(plain.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}".encode())
    return plain.set(database=name).render_as_string(hide_password=False)


def writers_figure(label: str, store: Any, seconds: float) -> None:
    from sqlalchemy import text

    from bo_console.core.security import os_identity, sign_in
    from bo_console.finance import service
    from bo_console.finance.models import EntryCreate, LineCreate

    with store.read() as session:
        actor = sign_in(session, os_identity())
    entry = EntryCreate(
        date=date(2026, 12, 30),
        memo="bench",
        lines=[
            LineCreate(account="1110", debit=100, credit=0),
            LineCreate(account="4100", debit=0, credit=100),
        ],
    )
    done = [0] * WRITERS
    errors: list[BaseException] = []
    stop = time.monotonic() + seconds

    def work(index: int) -> None:
        try:
            while time.monotonic() < stop:
                with store.write(wait=60) as session:
                    service.post_entry(session, actor, entry)
                done[index] += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.read() as session:
        count, high = session.execute(
            text("SELECT count(*), max(number) FROM fin_entry WHERE year = 2026")
        ).one()
    gapless = "gapless" if count == high else f"GAPS ({count} entries, last {high})"
    print(
        f"  {label:<10} {sum(done) / seconds:8.1f} entries/s committed by {WRITERS} writers"
        f" over {seconds:g} s; errors {len(errors)}; numbering {gapless}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--url", help="A PostgreSQL superuser's URL (else a throwaway server).")
    args = parser.parse_args()

    from bo_console.core.db import Store, dispose_engines

    bench_finance.OUT.mkdir(exist_ok=True)
    suffix = "1m" if args.transactions == 1_000_000 else str(args.transactions)
    data = bench_finance.OUT / f"finance-{suffix}.csv"
    db = bench_finance.OUT / f"finance-{suffix}.db"
    if not data.exists():
        print(f"generating {args.transactions:,} transactions into {data} ...", flush=True)
        finance_data.generate(data, args.transactions)
    bench_finance.build_database(db, data, reuse=True)
    directory = None
    server = args.url
    if server is None:
        directory, server = start_server()
    try:
        target = new_database(server)
        print("bo db copy --to (with its verification) ...", flush=True)
        wall, rss = bench_finance.measure(
            [*bench_finance.bo_command(), "--db", str(db), "db", "copy", "--to", target]
        )
        sqlite = Store(f"sqlite:///{db}")
        with sqlite.read() as session:
            from sqlalchemy import text

            lines = session.execute(text("SELECT count(*) FROM fin_line")).scalar_one()
        rate = lines / wall
        print(f"  copy: {wall:6.1f} s for {lines:,} lines ({rate:,.0f} lines/s), peak {rss} MB")
        postgres = Store(target)
        for label, store in (("SQLite", sqlite), ("PostgreSQL", postgres)):
            print(f"== {label}")
            bench_finance.store_figures(store)
        print(f"posting under {WRITERS} concurrent writers:")
        dispose_engines()
        scratch = db.with_name(db.stem + "-writers.db")  # the cached dataset stays as it is
        shutil.copyfile(db, scratch)
        for label, store in (("SQLite", Store(f"sqlite:///{scratch}")), ("PostgreSQL", postgres)):
            writers_figure(label, store, args.seconds)
        dispose_engines()
    finally:
        if directory is not None:
            stop_server(directory)


if __name__ == "__main__":
    main()
