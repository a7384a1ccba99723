"""End to end: reconcile a bank statement in the real `bo` under tmux at 80x24.

On the demo, a bank account and a statement are set up with the command line (a deposit the
ledger holds and one it does not); in the console the Bank tab lists both open lines, `m`
matches after asking, and the status line shows the statement and the ledger agree once the
line not in the ledger is set aside.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import BoHere
from tests.e2e.tmux import terminal

pytestmark = pytest.mark.e2e


def test_match_a_statement_in_the_bank_tab(demo_db: Path, tmp_path: Path, bo_here: BoHere) -> None:
    bo = [sys.executable, "-m", "bo_console", "--db", str(demo_db)]

    def run(*args: str) -> None:
        bo_here(demo_db, *args)

    run("finance", "bank", "accounts", "add", "CASH", "Petty cash box", "--account", "1140")
    run(
        "finance", "journal", "add", "-d", "2026-11-20", "-m", "Float top-up",
        "-l", "1140:777.77:", "-l", "3400::777.77", "--post", "--yes",
    )  # fmt: skip
    statement = tmp_path / "cash.csv"
    statement.write_text(
        "Date,Text,Amount\n2026-11-21,Top-up,777.77\n2026-11-22,Unknown,12.00\n", "utf-8"
    )
    run(
        "finance", "bank", "import", "CASH", str(statement), "--map", "date=Date",
        "--map", "text=Text", "--map", "amount=Amount",
    )  # fmt: skip
    with terminal(bo, {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}) as term:
        term.wait_for("Your inbox")
        term.send("f")
        term.wait_for("Journal: row 1 of")
        term.send("8")
        shown = term.wait_for("2 open lines")
        assert "777.77" in shown and "Unknown" in shown
        term.send("m")
        term.wait_for("Match statement lines")
        term.send("y")
        shown = term.wait_for("1 open lines")
        # The unknown 12.00 is listed as a statement line not in the ledger: the books agree.
        assert "difference 0.00" in shown
        term.send("q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()
