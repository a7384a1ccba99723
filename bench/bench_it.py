"""IT at scale: 100,000 assets and 1,000,000 tickets.

Builds ``bench/out/it_1m.db`` once (raw inserts: 100,000 assets, 1,000,000 tickets over three
years of which 20,000 are open, 5,000 of those past due and already escalated, 300 past due and
not yet; 1,000 resolved more than a week ago), then measures:

- the escalation job (``service.escalate``, what ``bo it tickets escalate`` runs): the first
  run (300 new breaches into the IT inbox, 1,000 tickets closed) and a second run with nothing
  new, each in its own transaction.

The IT screen over the same data (lists open, keys) is measured by ``bench_it_screen.py``.

Target (issue 14): the escalation job in at most 2 s. Run: ``.venv/bin/python bench/bench_it.py``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
DB = OUT / "it_1m.db"
ASSETS = 100_000
TICKETS = 1_000_000
OPEN = 20_000
REPORTED = 5_000
NEW_BREACHES = 300
STALE_RESOLVED = 1_000
NOW = datetime.now(UTC).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.000000")


def build() -> None:
    from bo_console.core.db import Store, dispose_engines
    from bo_console.core.security import Identity, add_user, sign_in
    from bo_console.departments import init_database

    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    store = Store(f"sqlite:///{DB}")
    init_database(store, Identity("bench", "bench"), company="Bench Co")
    with store.write() as session:
        admin = sign_in(session, Identity("bench", "bench"))
        add_user(session, admin, login="james", roles=["it-manager"], full_name="IT manager")
    dispose_engines()
    conn = sqlite3.connect(DB)
    conn.execute("PRAGMA journal_mode=WAL")
    categories = ["LAPTOP", "DESKTOP", "MONITOR", "PHONE", "PRINTER"]
    conn.executemany(
        "INSERT INTO it_asset (id, tag, serial, model, category, location, purchase_date, cost,"
        " warranty_end, supplier, status, residual, opening_depreciation, capitalised_by,"
        " in_service, disposed_on, disposal_method, proceeds, created_at)"
        " VALUES (?, ?, ?, ?, ?, 'Riyadh HQ', '2025-01-01', ?, NULL, 'Bench', 'in_stock', 0, 0,"
        " NULL, NULL, NULL, '', 0, ?)",
        (
            (
                i,
                f"AS-{i:06d}",
                f"SN{i:09d}",
                f"Model {i % 37}",
                categories[i % 5],
                100_000 + i % 5000,
                _stamp(NOW),
            )
            for i in range(1, ASSETS + 1)
        ),
    )
    span = timedelta(days=3 * 365)

    def rows() -> Iterator[tuple[object, ...]]:
        for i in range(1, TICKETS + 1):
            opened = NOW - span + span * (i / TICKETS)
            closed_ones = TICKETS - OPEN - STALE_RESOLVED
            if i <= closed_ones:
                status, resolved, closed, due = (
                    "closed",
                    opened + timedelta(hours=5),
                    opened + timedelta(days=2),
                    opened + timedelta(days=1),
                )
            elif i <= closed_ones + STALE_RESOLVED:
                status, resolved, closed = "resolved", NOW - timedelta(days=9), None
                due = opened + timedelta(days=1)
            else:
                k = i - closed_ones - STALE_RESOLVED
                status, resolved, closed = ("assigned" if k % 3 else "new"), None, None
                if k <= REPORTED + NEW_BREACHES:
                    due = NOW - timedelta(hours=1 + k % 50)
                else:
                    due = NOW + timedelta(days=3)
            yield (
                i,
                f"Bench ticket {i}",
                "",
                "other",
                "P3",
                "omar",
                None,
                None,
                "khalid" if status != "new" else None,
                status,
                _stamp(opened),
                _stamp(min(due, opened + timedelta(hours=2)) if due > opened else due),
                _stamp(max(due, opened)),
                _stamp(opened + timedelta(minutes=30)),
                _stamp(resolved) if resolved else None,
                _stamp(closed) if closed else None,
                "done" if resolved else "",
                0,
            )

    conn.executemany(
        "INSERT INTO it_ticket (id, subject, description, category, priority, requester,"
        " employee_id, asset_id, assignee, status, opened_at, response_due, resolution_due,"
        " first_response_at, resolved_at, closed_at, resolution_note, reopened)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    first_open = TICKETS - OPEN + 1
    conn.executemany(
        "INSERT INTO it_sla_breach (ticket_id, kind, due, reported_at, work_item_id)"
        " VALUES (?, 'resolution', ?, ?, NULL)",
        ((first_open + k, _stamp(NOW), _stamp(NOW)) for k in range(REPORTED)),
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    print(f"built {DB.name} in {time.perf_counter() - started:.1f} s (cached)")


def escalation() -> None:
    import shutil

    from bo_console.core.db import Store, dispose_engines
    from bo_console.core.security import Identity, sign_in
    from bo_console.it import service

    copy = OUT / "it_1m_escalate.db"
    shutil.copyfile(DB, copy)
    store = Store(f"sqlite:///{copy}")
    with store.read() as session:
        james = sign_in(session, Identity("james", "bench"))
    for label in ("first run", "second run"):
        started, used = time.perf_counter(), time.process_time()
        with store.write() as session:
            result = service.escalate(session, james, limit=100_000)
        took = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - used) * 1000
        print(
            f"escalate, {label}: {took:.0f} ms, CPU {cpu:.0f} ms ({len(result.breaches)} "
            f"breaches, {len(result.closed)} closed) target <= 2000 ms"
        )
    dispose_engines()
    copy.unlink()
    for extra in ("-wal", "-shm"):
        Path(f"{copy}{extra}").unlink(missing_ok=True)


def main() -> None:
    if not DB.exists():
        build()
    escalation()
    print("the IT screen over this data set: bench_it_screen.py")


if __name__ == "__main__":
    main()
