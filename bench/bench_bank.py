"""Bank statement of 10,000 lines imported and auto-matched (target: 5 s together).

Builds a fresh database in a temporary directory, posts 9,000 receipts and payments on the
bank's ledger account 1110 with the journal importer, then times, in the service layer:
importing a 10,000-line CSV statement (9,760 lines that have their ledger line up to 3 days
apart, some sharing a reference; 240 transfer fees at month ends that a rule posts, one entry
per day), and matching it. Prints
the figures.

    .venv/bin/python bench/bench_bank.py
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

LINES = 10_000
CHARGES = 240
FIRST = date(2026, 1, 1)


def main() -> None:
    from bo_console.core.db import Store, dispose_engines
    from bo_console.core.security import os_identity, sign_in
    from bo_console.departments import init_database
    from bo_console.finance import bank

    rng = random.Random(20261204)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        db = root / "bank.db"
        store = Store(f"sqlite:///{db}")
        identity = os_identity()
        init_database(store, identity, company="Bench Co")
        with store.read() as session:
            actor = sign_in(session, identity)
        journal = root / "journal.csv"
        rows = []
        statement = [["Date", "Narrative", "Reference", "Amount"]]
        for index in range(LINES - CHARGES):
            day = FIRST + timedelta(days=index * 360 // (LINES - CHARGES))
            amount = rng.randrange(1_000, 5_000_000)
            incoming = rng.random() < 0.5
            ref = f"PAY-{index:05d}"
            debit, credit = ("1110", "4100") if incoming else ("6200", "1110")
            money = f"{amount // 100}.{amount % 100:02d}"
            rows.append([ref, day.isoformat(), ref, debit, money, "", ""])
            rows.append([ref, day.isoformat(), ref, credit, "", money, ""])
            shown = day + timedelta(days=rng.randrange(0, 4))
            statement.append(
                [shown.isoformat(), f"Transfer {ref}", ref if rng.random() < 0.3 else "",
                 money if incoming else f"-{money}"]
            )  # fmt: skip
        for index in range(CHARGES):
            # Transfer fees, charged together at each month's end.
            month = index * 12 // CHARGES + 1
            day = date(2026, month + 1, 1) - timedelta(days=1) if month < 12 else date(2026, 12, 31)
            statement.append([day.isoformat(), "SERVICE CHARGE", f"FEE-{index}", "-11.50"])
        with journal.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["entry", "date", "description", "account", "debit", "credit", "memo"])
            writer.writerows(rows)
        csv_file = root / "statement.csv"
        with csv_file.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(statement)
        dispose_engines()
        subprocess.run(
            [sys.executable, "-m", "bo_console", "--db", str(db), "finance", "import", "journal",
             str(journal)],
            check=True,
        )  # fmt: skip
        with store.write() as session:
            bank.add_bank_account(session, actor, code="B1", name="Bench bank", account="1110")
            bank.add_rule(session, actor, "B1", match_text="service charge", account="6410")
        content = csv_file.read_bytes()
        mapping = {"date": "Date", "text": "Narrative", "reference": "Reference",
                   "amount": "Amount"}  # fmt: skip
        started = time.perf_counter()
        with store.write() as session:
            result = bank.import_statement(
                session, actor, "B1", content, fmt="csv", mapping=mapping
            )
        imported = time.perf_counter() - started
        started = time.perf_counter()
        with store.write() as session:
            matched = bank.auto_match(session, actor, "B1")
        matching = time.perf_counter() - started
        total = imported + matching
        print(f"statement of {result.added:,} lines imported in {imported:.2f} s")
        print(
            f"auto-match: {matched.matched:,} matched, {matched.by_rules:,} posted by the rule, "
            f"{matched.still_open:,} left open, in {matching:.2f} s"
        )
        verdict = "ok" if total <= 5 else "SLOW"
        print(f"import + match: {total:.2f} s (target <= 5 s: {verdict})")
        dispose_engines()


if __name__ == "__main__":
    main()
