"""End to end: the HR screen in the real `bo` under tmux, 80x24, TERM=linux and NO_COLOR, keys
only: the Employees list, an Arabic search, a card, the payroll tab with a run's payslips."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.e2e.tmux import terminal

pytestmark = pytest.mark.e2e


def test_hr_screen_by_keys_on_a_linux_console(demo_db: Path) -> None:
    command = [sys.executable, "-m", "bo_console", "--db", str(demo_db)]
    env = {"TERM": "linux", "NO_COLOR": "1", "TEXTUAL_ANIMATIONS": "none"}
    with terminal(command, env) as term:
        home = term.wait_for("Your inbox")
        assert "F3 / h   HR and payroll" in home
        term.send("h")
        listed = term.wait_for("Employees: row 1 of 201")
        assert "5 Payroll" in listed and "6 Inbox" in listed
        term.send("/")
        term.wait_for("Filter /")
        term.send("-l", "احمد")
        term.send("Enter")
        term.wait_for('filter "احمد"')
        found = term.wait_for("Ahmed Al-Rasheed")
        assert "row 1 of 10" in found
        term.send("Enter")
        card = term.wait_for("Confidential fields shown")
        assert "Salary" in card and "IBAN" in card
        # Escape goes alone: a key right behind it would read as alt+key.
        term.send("Escape")
        term.wait_gone("Confidential fields shown")
        term.send("5")
        runs = term.wait_for("Pay runs: 4")
        assert "2026-11" in runs and "draft" in runs
        term.send("Enter")
        term.wait_for("Payslips of run 4 (2026-11): row 1 of 199")
        term.send("Escape")
        term.wait_for("Your inbox")
        term.send("q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()
