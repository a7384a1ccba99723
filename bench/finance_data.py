"""A large, deterministic journal for the finance benchmarks, in our journal CSV format.

Two years (2025-2026) of transactions over 200 postable accounts: the seeded chart's plus
branch sub-accounts that :func:`add_accounts` creates. About 60 % of the entries have two
lines, 35 % three and 5 % four, so the average is 2.45 lines an entry.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.db import Store
    from bo_console.core.security import Actor

FIRST_DAY = date(2025, 1, 1)
DAYS = 730
BRANCHES = ["Riyadh", "Jeddah", "Dammam", "Madinah", "Tabuk", "Abha", "Hail"]
# Branch sub-accounts under these groups make the chart 200 postable accounts.
BRANCH_GROUPS = [
    ("1100", "asset", "Cash and banks", "Branch cash"),
    ("1200", "asset", "Receivables", "Branch receivables"),
    ("1300", "asset", "Inventory", "Branch stock"),
    ("2100", "liability", "Current liabilities", "Branch payables"),
    ("4000", "income", "Income", "Branch sales"),
    ("4000", "income", "Income", "Branch services"),
    ("5100", "expense", "Cost of sales", "Branch cost of sales"),
    ("6190", "expense", "Premises", "Branch rent"),
    ("6190", "expense", "Premises", "Branch utilities"),
    ("6090", "expense", "Staff costs", "Branch wages"),
    ("6290", "expense", "Selling and distribution", "Branch delivery"),
    ("6290", "expense", "Selling and distribution", "Branch marketing"),
    ("6390", "expense", "Administration", "Branch supplies"),
    ("6390", "expense", "Administration", "Branch fees"),
    ("6390", "expense", "Administration", "Branch travel"),
]


def branch_accounts() -> list[tuple[str, str, str, str]]:
    """(code, name, type, parent code) of the accounts the benchmark adds."""
    out = []
    for index, (parent, kind, _, label) in enumerate(BRANCH_GROUPS):
        for number, branch in enumerate(BRANCHES):
            out.append((f"8{index:02d}{number}", f"{label} {branch}", kind, parent))
    return out


def add_accounts(store: Store, actor: Actor) -> list[str]:
    """Add the branch accounts; returns every postable account code (200 of them)."""
    from bo_console.finance import service
    from bo_console.finance.models import AccountCreate

    with store.write() as session:
        for code, name, kind, parent in branch_accounts():
            service.add_account(
                session, actor, AccountCreate(code=code, name=name, type=kind), parent=parent
            )
    with store.read() as session:
        codes = [a.code for a in service.list_accounts(session, actor) if a.postable]
    return codes[:200]


CONTROL_CODES = frozenset({"1210", "2110", "2210", "1430", "2300", "1310", "2130"})
"""Control accounts (receivables, payables, VAT, payroll payable, inventory, goods received
not invoiced): only their sub-ledgers post to them, so the imported journal leaves them out."""


def seeded_codes() -> list[str]:
    """The postable codes a journal may post to, without a database (seed chart order, then
    branch accounts; control accounts left out)."""
    from bo_console.finance.chart import SEED_CHART

    codes = [
        code for code, _, _, _, _, postable in SEED_CHART if postable and code not in CONTROL_CODES
    ]
    codes += [code for code, _, _, _ in branch_accounts()]
    return codes[:200]


def generate(path: Path, transactions: int, seed: int = 20260101) -> int:
    """Write ``transactions`` entries to ``path``; returns the number of lines."""
    rng = random.Random(seed)
    codes = seeded_codes()
    days = [(FIRST_DAY + timedelta(days=i)).isoformat() for i in range(DAYS)]
    memos = ["Sale", "Purchase", "Transfer", "Payroll", "Rent", "Utilities", "Fee", "Refund"]
    lines = 0
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["entry", "date", "description", "account", "debit", "credit", "memo"])
        per_day = transactions / DAYS
        for index in range(transactions):
            day = days[min(DAYS - 1, int(index / per_day))]
            shape = rng.random()
            count = 2 if shape < 0.60 else 3 if shape < 0.95 else 4
            accounts = rng.sample(codes, count)
            total = rng.randrange(100, 5_000_000)
            key = str(index + 1)
            memo = rng.choice(memos)
            rows = [[key, day, memo, accounts[0], f"{total // 100}.{total % 100:02d}", "", ""]]
            cuts = sorted(rng.sample(range(1, total), count - 2)) if count > 2 else []
            bounds = [0, *cuts, total]
            for account, low, high in zip(accounts[1:], bounds[:-1], bounds[1:], strict=True):
                part = high - low
                rows.append([key, day, memo, account, "", f"{part // 100}.{part % 100:02d}", ""])
            writer.writerows(rows)
            lines += len(rows)
    partial.replace(path)
    return lines
