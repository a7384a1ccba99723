"""End to end: an analyst opens the dashboard, runs a saved query, pivots it and exports the
pivot, in the real `bo` under tmux at 80x24 without a mouse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import BoHere, NewStore
from tests.e2e.tmux import require_tmux, terminal

pytestmark = pytest.mark.e2e


def _bo(db: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bo_console", "--db", str(db), *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@pytest.fixture
def books(console_db: NewStore, bo_here: BoHere) -> Path:
    """A new database with two customers invoiced in October and November 2026."""
    require_tmux()
    db = console_db("books.db")
    bo_here(db, "finance", "parties", "add", "Al Safa Hospital", "--code", "C1")
    bo_here(db, "finance", "parties", "add", "Medline Arabia", "--code", "C2")
    for party, day, line in (
        ("C1", "2026-10-05", "Gloves|10|45.50|S15"),
        ("C2", "2026-10-06", "Masks|2|100|S15"),
        ("C1", "2026-11-02", "Gowns|1|30|S15"),
    ):
        bo_here(
            db, "finance", "invoices", "add", "-p", party, "-d", day, "-l", line, "--post", "-y"
        )
    return db


def test_dashboard_saved_query_pivot_export(books: Path, tmp_path: Path) -> None:
    target = tmp_path / "pivot.csv"
    command = [sys.executable, "-m", "bo_console", "--db", str(books)]
    env = {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", "NO_COLOR": "1"}
    with terminal(command, env) as term:
        term.wait_for("Your inbox")
        term.send("d")
        term.wait_for("Management dashboard as of")
        term.wait_for("2026-10")
        term.send("2")
        term.wait_for("revenue-by-customer-month")
        term.send("Enter")
        # The list shows the query's title too: wait for the form's own field.
        term.wait_for("first month")
        term.send("C-u", "2026-01", "Tab", "C-u", "2026-12")
        term.send("C-s")
        term.wait_for("3 rows")
        term.send("p")
        term.wait_for("Pivot revenue by customer and month")
        term.send("C-u", "2026-01", "Tab", "C-u", "2026-12", "Tab", "customer", "Tab", "month")
        term.send("Tab", "revenue")
        term.send("C-s")
        term.wait_for("2 rows")
        term.wait_for("2026-11")
        term.send("Tab")
        term.send("x")
        term.wait_for("Export")
        term.send("C-u", str(target))
        term.send("C-s")
        term.wait_for("wrote 2 rows")
        term.send("q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()
    assert target.read_text(encoding="utf-8").splitlines() == [
        "customer,2026-10,2026-11,total",
        "C1,45500,3000,48500",
        "C2,20000,0,20000",
    ]
