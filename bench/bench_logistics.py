"""Logistics at scale: 50,000 items and 5,000,000 stock moves over 30 bins.

Steps, each printing its figures beside the issue's target:

1. a new database (``bo init``, two warehouses, 30 bins, 50,000 items), then 5,000,000 moves
   (per item, receipts and issues that keep its stock above zero), cached in ``bench/out/``.
   The moves are bulk-loaded with the ledger's triggers set aside and the balances and item
   totals then computed from the moves in one statement each, and the triggers put back (a
   bulk load, not how the console writes), and their value posted to the books as opening
   stock; ``bo db check``'s stock checks are run on the result to show it is consistent;
2. on-hand for one item (the service call the CLI and the screen make), over 200 random items;
3. the stock valuation report now (from the items' running totals) and as at a past date
   (from the monthly totals, reading whichever side of the date holds fewer months);
4. the lists as the screen shows them: the Items and Stock tabs' sources, count plus first
   block, and a filter on a SKU or barcode;
5. one receipt and one delivery through the services on the loaded database.

Run: ``.venv/bin/python bench/bench_logistics.py`` (options: ``--items N``, ``--moves N``,
``--rebuild``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

TRIGGERS = (
    "lg_stock_move_check",
    "lg_stock_move_apply",
    "lg_stock_balance_insert_guard",
    "lg_stock_balance_update_guard",
)
MONTH_TRIGGERS = (
    "lg_stock_move_month",
    "lg_stock_month_insert_guard",
    "lg_stock_month_update_guard",
)


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, float, float]:
    """(median, min, max) wall milliseconds of ``fn`` over ``runs`` calls, after one warm-up,
    and the median CPU milliseconds (on a loaded machine the wall time waits for a CPU)."""
    fn()
    times, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(times), min(times), max(times), statistics.median(cpu)


def say(what: str, figures: tuple[float, float, float, float], target_ms: float) -> None:
    median, low, high, cpu = figures
    verdict = "ok" if median <= target_ms else "OVER TARGET"
    print(
        f"{what:58} median {median:8.1f} ms (min {low:.1f}, max {high:.1f}; CPU {cpu:.1f})  "
        f"target <= {target_ms:g} ms  {verdict}"
    )


def build(path: Path, items: int, moves: int) -> None:
    import sqlite3

    from bo_console.core.db import Store, dispose_engines
    from bo_console.core.security import Identity, actor_for_login
    from bo_console.departments import init_database
    from bo_console.finance.document_models import PartyCreate
    from bo_console.finance.parties import add_party
    from bo_console.logistics import service

    path.unlink(missing_ok=True)
    store = Store(f"sqlite:///{path}")
    identity = Identity("benchadmin", "bench")
    init_database(store, identity, company="Bench Co")
    with store.write() as session:
        admin = actor_for_login(session, "benchadmin", identity)
        add_party(
            session,
            admin,
            PartyCreate(code="S1", name="Supplier", is_customer=False, is_supplier=True),
        )
        add_party(session, admin, PartyCreate(code="C1", name="Customer"))
        for code, count in (("DMM", 24), ("RUH", 6)):
            service.add_warehouse(session, admin, code, code)
            for n in range(count):
                service.add_location(session, admin, code, f"B-{n:02d}")
    dispose_engines()
    started = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    rng = random.Random(5)
    conn.executemany(
        "INSERT INTO lg_item (sku, name, name_ar, unit, lot_tracked, allow_negative, "
        "reorder_point, reorder_qty, costing, standard_cost, sale_price, tax_code, search_key, "
        "active, on_hand, stock_value, created_at) VALUES (?, ?, '', 'each', 0, 0, 10, 100, "
        "'average', 0, 1000, 'S15', ?, 1, 0, 0, '2026-01-01 00:00:00')",
        [(f"SKU-{n:06d}", f"Item {n}", f"sku-{n:06d} item {n} 628{n:09d}") for n in range(items)],
    )
    conn.executemany(
        "INSERT INTO lg_item_barcode (barcode, item_id) VALUES (?, ?)",
        [(f"628{n:09d}", n + 1) for n in range(items)],
    )
    for name in TRIGGERS + MONTH_TRIGGERS:
        conn.execute(f"DROP TRIGGER {name}")
    per_item = max(moves // items, 2)
    start = date(2025, 1, 1)
    batch: list[tuple[Any, ...]] = []
    for item in range(1, items + 1):
        location = rng.randrange(1, 31)
        have = value = 0
        for n in range(per_item):
            day = (start + timedelta(days=n * 700 // per_item)).isoformat()
            if n % 2 == 0 or have == 0:
                q = rng.randrange(10, 100)
                v = q * rng.randrange(900, 1100)
                kind = "receipt"
            else:
                q = -rng.randrange(1, have + 1)
                v = -value if -q == have else -(value * -q // have)
                kind = "issue"
            have, value = have + q, value + v
            batch.append((item, location, day, kind, q, v, f"B-{item}"))
        if len(batch) >= 200_000:
            _insert_moves(conn, batch)
            batch = []
    _insert_moves(conn, batch)
    conn.execute(
        "INSERT INTO lg_stock_balance (item_id, location_id, lot_key, quantity) "
        "SELECT item_id, location_id, COALESCE(lot_id, 0), SUM(quantity) FROM lg_stock_move "
        "GROUP BY item_id, location_id, COALESCE(lot_id, 0)"
    )
    conn.execute(
        "UPDATE lg_item SET on_hand = m.q, stock_value = m.v FROM (SELECT item_id, "
        "SUM(quantity) AS q, SUM(value) AS v FROM lg_stock_move GROUP BY item_id) m "
        "WHERE m.item_id = lg_item.id"
    )
    conn.execute(_migration("0013_it_logistics.py").BACKFILL)
    conn.commit()
    conn.close()
    _restore_triggers(path)
    _post_opening(store)
    print(
        f"built {items:,} items and {items * per_item:,} moves in "
        f"{time.perf_counter() - started:.0f} s"
    )


def _post_opening(store: Any) -> None:
    """The loaded stock's value into the books (inventory against opening balances), as a
    take-on would, so the stock ledger equals the inventory account."""
    from bo_console.core.security import Identity, actor_for_login
    from bo_console.finance import service as finance
    from bo_console.logistics.stock import stock_value

    with store.write() as session:
        admin = actor_for_login(session, "benchadmin", Identity("benchadmin", "bench"))
        value = stock_value(session)
        finance.post_entry(
            session,
            admin,
            finance.EntryCreate(
                date=date(2024, 12, 31),
                memo="Opening stock (bench)",
                source="opening",
                lines=[
                    finance.LineCreate(account="1310", debit=value),
                    finance.LineCreate(account="3900", credit=value),
                ],
            ),
        )


def _insert_moves(conn: Any, batch: list[tuple[Any, ...]]) -> None:
    conn.executemany(
        "INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, source, "
        "source_ref, memo, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'bench', ?, '', "
        "'2026-01-01 00:00:00', 'bench')",
        batch,
    )


def _migration(name: str) -> Any:
    import importlib.util

    from bo_console.core.migrate import MIGRATIONS_DIR

    spec = importlib.util.spec_from_file_location(name[:-3], MIGRATIONS_DIR / "versions" / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _restore_triggers(path: Path) -> None:
    """Put back the triggers the bulk load set aside, as migrations 0007 and 0013 write them."""
    import sqlite3

    conn = sqlite3.connect(path)
    statements = (
        _migration("0007_logistics.py").STOCK_TRIGGERS["sqlite"]
        + _migration("0013_it_logistics.py").MONTH_TRIGGERS["sqlite"]
    )
    for statement in statements:
        if statement.split()[2] in TRIGGERS + MONTH_TRIGGERS:
            conn.execute(statement)
    conn.commit()
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--moves", type=int, default=5_000_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"logistics-{args.items}-{args.moves}.db"
    if args.rebuild or not path.exists():
        build(path, args.items, args.moves)
    measure(path, args.items)


def measure(path: Path, items: int) -> None:
    from bo_console.core.db import Store
    from bo_console.core.security import Identity, actor_for_login
    from bo_console.logistics import service
    from bo_console.logistics.setup import checks
    from bo_console.logistics.sources import item_source, move_source

    store = Store(f"sqlite:///{path}")
    with store.read() as session:
        actor = actor_for_login(session, "benchadmin", Identity("benchadmin", "bench"))
    rng = random.Random(7)

    def on_hand() -> None:
        sku = f"SKU-{rng.randrange(items):06d}"
        with store.read() as session:
            service.on_hand(session, actor, sku)

    say("on-hand for one item (service, 200 random items)", timed(on_hand, 200), 20)

    def valuation_now() -> None:
        with store.read() as session:
            service.valuation(session, actor)

    say("stock valuation report, now (50,000 items)", timed(valuation_now, 5), 1000)

    def valuation_past() -> None:
        with store.read() as session:
            service.valuation(session, actor, as_of=date(2026, 6, 30))

    say("stock valuation report as at 2026-06-30", timed(valuation_past, 3), 1000)

    def valuation_early() -> None:
        with store.read() as session:
            service.valuation(session, actor, as_of=date(2025, 9, 30))

    say("stock valuation report as at 2025-09-30", timed(valuation_early, 3), 1000)

    def items_list() -> None:
        source, _ = item_source(store, actor)
        source.count()
        source.block(0)

    say("Items tab source: count and first block", timed(items_list, 10), 300)

    def items_filter() -> None:
        source, _ = item_source(store, actor)
        source.set_filter(f"628{rng.randrange(items):09d}")
        source.count()
        source.block(0)

    say("Items tab source: a scanned barcode (filter, count, block)", timed(items_filter, 10), 300)

    def moves_list() -> None:
        source, _ = move_source(store, actor)
        source.count()
        source.block(0)

    say("Stock tab source: count and first block (all moves)", timed(moves_list, 3), 300)

    def moves_block() -> None:
        source, _ = move_source(store, actor)
        source._count = 1  # what a table has after its first count: blocks alone
        source.block(0)

    say("Stock tab source: first block alone, newest first", timed(moves_block, 10), 300)

    def moves_filter() -> None:
        source, _ = move_source(store, actor)
        source.set_filter(f"SKU-{rng.randrange(items):06d}")
        source.count()
        source.block(0)

    say("Stock tab source: one SKU's moves (filter, count, block)", timed(moves_filter, 10), 300)

    def moves_document() -> None:
        source, _ = move_source(store, actor)
        source.set_filter(f"B-{rng.randrange(1, items + 1)}")
        source.count()
        source.block(0)

    say(
        "Stock tab source: a document number (filter, count, block)", timed(moves_document, 10), 300
    )

    started = time.perf_counter()
    with store.read() as session:
        results = checks(session)
    failing = [r.name for r in results if not r.ok]
    print(
        f"bo db check's stock checks: {(time.perf_counter() - started) * 1000:.0f} ms, "
        f"{'all ok' if not failing else 'FAILED: ' + ', '.join(failing)}"
    )


if __name__ == "__main__":
    main()
