"""End to end: the real `bo` in tmux at 80x24, under the terminals clerks and admins use."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.e2e.tmux import terminal

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "term_env",
    [
        {"TERM": "xterm-256color"},
        {"TERM": "linux"},
        {"TERM": "xterm-256color", "NO_COLOR": "1"},
    ],
    ids=["xterm-256color", "linux", "no-color"],
)
def test_admin_help_and_quit(demo_db: Path, term_env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "bo_console", "--db", str(demo_db)]
    with terminal(command, {**term_env, "TEXTUAL_ANIMATIONS": "none"}) as term:
        home = term.wait_for("Your inbox")
        assert "F9 / a   Admin" in home
        term.send("a")
        admin = term.wait_for("Login")
        assert "layla" in admin and "1 Users" in admin
        term.send("F1")
        helped = term.wait_for("Help: Admin")
        assert "New user" in helped
        # Escape goes alone: a key right behind it would read as alt+key.
        term.send("Escape")
        term.wait_gone("Help: Admin")
        term.send("3")
        term.wait_for("Audit trail: row 1 of")
        term.send("Escape")
        term.wait_for("Your inbox")
        term.wait_gone("Audit trail: row 1 of")
        term.send("q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()
