"""Make the SVG screenshots in ``screens/`` from a fresh demo database.

Run through ``./dev screens`` (or ``python -m bo_console.ui.screenshots DIR [PREFIX...]``;
``./dev screens data-`` takes only the shots whose names start with ``data-``). Each shot
opens the console at 80x24 on the demo, presses its keys and saves what the screen shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Shot:
    """One screenshot: a file name and the keys that lead to the screen."""

    name: str
    keys: tuple[str, ...]
    description: str


SHOTS: list[Shot] = [
    Shot("home", (), "Home: departments and your inbox"),
    Shot("work-item", ("enter",), "A work item from the inbox"),
    Shot("help", ("f1",), "Help for the screen (? or F1)"),
    Shot("admin-users", ("a",), "Admin: console users"),
    Shot(
        "admin-new-user",
        ("a", "n", *"mona", "tab", *"Mona Farouk", "tab", *"hr-cl"),
        "Admin: the new-user form completing a role",
    ),
    Shot("admin-roles", ("a", "2"), "Admin: roles and their permissions"),
    Shot("admin-audit", ("a", "3"), "Admin: the audit log"),
    Shot("admin-jobs", ("a", "4"), "Admin: batch job runs"),
    Shot("command-palette", ("ctrl+p",), "The command palette (ctrl+p)"),
    Shot("finance-journal", ("f",), "Finance: the journal, newest first"),
    Shot("finance-entry", ("f", "enter"), "Finance: one journal entry with its lines"),
    Shot(
        "finance-new-entry",
        ("f", "n", *"6230", "tab", *"1,250", "tab", "tab", "tab", *"rajhi"),
        "Finance: a new entry completing an account, with the running difference",
    ),
    Shot("finance-accounts", ("f", "2"), "Finance: the chart of accounts with balances"),
    Shot("finance-trial-balance", ("f", "6", "t", "ctrl+s"), "Finance: the trial balance"),
    Shot("finance-periods", ("f", "7"), "Finance: fiscal periods, closed by managers"),
    Shot("finance-invoices", ("f", "3"), "Finance: sales invoices with what is open on each"),
    Shot("finance-invoice", ("f", "3", "down", "enter"), "Finance: one invoice"),
    Shot("finance-aged", ("f", "6", "a", "ctrl+s"), "Finance: aged receivables by party"),
    Shot("hr-employees", ("h",), "HR: employees, a virtual table over every record"),
    Shot("hr-search", ("h", "slash", *"احمد", "enter"), "HR: Arabic search, any alef form"),
    Shot("hr-card", ("h", "enter"), "HR: an employee card (confidential fields audited)"),
    Shot("hr-salaries", ("h", "s"), "HR: salary columns, for hr.confidential only"),
    Shot("hr-edit", ("h", "e"), "HR: the employee form, checked as you type"),
    Shot("hr-recruiting", ("h", "2"), "HR: openings and their candidates"),
    Shot("hr-training", ("h", "3"), "HR: training sessions"),
    Shot("hr-leave", ("h", "4"), "HR: leave requests to decide"),
    Shot("hr-payroll", ("h", "5", "enter"), "HR: pay runs and a run's payslips"),
    Shot("hr-approve", ("h", "5", "a"), "HR: approving a pay run says what happens"),
    Shot("it-tickets", ("i",), "IT: open tickets with their SLA state"),
    Shot("it-ticket", ("i", "enter"), "IT: a ticket, its history and what may be done"),
    Shot("it-assets", ("i", "2"), "IT: the asset register, a virtual table"),
    Shot("it-checkout", ("i", "2", "c"), "IT: check-out, the scanner types the tag and Enter"),
    Shot("it-licences", ("i", "3"), "IT: licences, seats used and free"),
    Shot("logistics-items", ("l",), "Logistics: items with stock on hand and value"),
    Shot("logistics-stock", ("l", "2"), "Logistics: the stock ledger, every move"),
    Shot("logistics-orders", ("l", "3"), "Logistics: purchase orders"),
    Shot("logistics-sales", ("l", "4"), "Logistics: sales orders"),
    Shot("finance-bank", ("f", "8"), "Finance: a bank account's statement lines to reconcile"),
    Shot("data-dashboard", ("d",), "Data: the management dashboard, charts in the terminal"),
    Shot(
        "data-dashboard-lines",
        ("d", *("down",) * 16),
        "Data: the dashboard's line charts (revenue and expenses, cash at month end)",
    ),
    Shot("data-queries", ("d", "2"), "Data: saved queries over the published views"),
    Shot("data-quality", ("d", "4"), "Data: data-quality findings"),
    Shot("front-orders", ("o",), "Front office: orders and where each stands"),
    Shot("front-requests", ("o", "2"), "Front office: my requests"),
]
"""Every screenshot, in README order. Departments add theirs."""

SIZE = (80, 24)


async def _take(db_url: str, shot: Shot, out: Path) -> None:
    from bo_console.core import security
    from bo_console.core.db import Store
    from bo_console.ui.app import BoApp

    store = Store(db_url)
    with store.read() as session:
        actor = security.sign_in(session)
    app = BoApp(store=store, actor=actor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if shot.keys:
            await pilot.press(*shot.keys)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        app.save_screenshot(f"{shot.name}.svg", path=str(out))


def make_all(out: Path, only: Sequence[str] = ()) -> list[Path]:
    """Build a demo database in a temporary folder and shoot every screen into ``out`` (only
    those whose names start with one of ``only``, when given)."""
    from unittest import mock

    from bo_console import demo
    from bo_console.core.db import Store, dispose_engines
    from bo_console.core.security import os_identity
    from bo_console.ui import base

    out.mkdir(parents=True, exist_ok=True)
    written = []
    out = out.resolve()
    # A relative path from inside the temporary folder: the pictures (a job's summary names
    # its database) then show `demo.db`, not where this machine keeps its temporary files.
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        url = "sqlite:///demo.db"
        demo.build_demo(Store(url), os_identity())
        # The demo's own "today", so the pictures do not change from day to day.
        with mock.patch.object(base, "today", lambda: demo.DEMO_DATE):
            for shot in SHOTS:
                if only and not shot.name.startswith(tuple(only)):
                    continue
                asyncio.run(_take(url, shot, out))
                written.append(out / f"{shot.name}.svg")
        dispose_engines()
    return written


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    for path in make_all(out, sys.argv[2:]):
        sys.stderr.write(f"wrote {path}\n")


if __name__ == "__main__":
    main()
