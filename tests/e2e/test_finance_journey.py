"""End to end: a clerk's day in Finance, in the real `bo` under tmux at 80x24 without a mouse.

Open the console on the demo, write a journal entry through the form, post it (the console asks
first), and find it in the trial balance.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.e2e.tmux import terminal

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "term_env",
    [{"TERM": "xterm-256color"}, {"TERM": "linux", "NO_COLOR": "1"}],
    ids=["xterm-256color", "linux-no-color"],
)
def test_post_an_entry_and_find_it_in_the_trial_balance(
    demo_db: Path, term_env: dict[str, str]
) -> None:
    command = [sys.executable, "-m", "bo_console", "--db", str(demo_db)]
    with terminal(command, {**term_env, "TEXTUAL_ANIMATIONS": "none"}) as term:
        term.wait_for("Your inbox")
        term.send("f")
        term.wait_for("Journal: row 1 of")
        term.send("n")
        term.wait_for("New journal entry")
        # Cash on hand against the owners' current account, which the demo leaves at zero.
        # The form starts on the memo; Tab goes on to line 1's account.
        term.send(
            "Opening cash",
            "Tab",
            "1140",
            "Tab",
            "1,234.56",
            "Tab",
            "Tab",
            "Tab",
            "Tab",
            "owners",
            "Tab",
        )
        form = term.wait_for("3400 Equity:Owners current account")
        assert "Difference 1,234.56 (more debit)" in form
        term.send("Tab", "1234.56")
        term.wait_for("balanced")
        term.send("C-o")
        asked = term.wait_for("Post this entry")
        assert "for 1,234.56 SAR" in asked
        term.send("y")
        shown = term.wait_for("Journal entry 20")
        assert "posted" in shown and "Cash on hand" in shown
        term.send("Escape")
        term.wait_gone("Journal entry 20")
        term.send("6")
        term.wait_for("t trial balance")
        term.send("t")
        term.wait_for("As of")
        term.send("C-s")
        term.wait_for("Trial balance as of")
        term.send("/")
        term.wait_for("Filter /")
        term.send("owners", "Enter")
        found = term.wait_for('filter "owners"')
        line = next(row for row in found.splitlines() if row.startswith("3400"))
        assert "Owners current account" in line and line.rstrip().endswith("1,234.56")
        term.send("q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()
