"""End to end: a finance clerk raises an IT ticket from the console's palette, an IT clerk
takes it and resolves it on the IT screen, and the clerk sees it resolved in My IT requests;
each as their own OS account, the real `bo` in tmux at 80x24.

Needs root (to create the accounts), runuser and tmux; skipped with the reason otherwise.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e import test_hr_payroll_two_accounts as two_accounts
from tests.e2e.conftest import BoHere
from tests.e2e.test_hr_payroll_two_accounts import Shared
from tests.e2e.tmux import Terminal, terminal

pytestmark = pytest.mark.e2e
shared = two_accounts.shared  # two OS accounts in one group: the finance clerk and the IT clerk


def _console(s: Shared, user: str) -> list[str]:
    exports = " ".join(f"{k}='{v}'" for k, v in s.env.items())
    command = (
        f"umask 002; export {exports} TERM=xterm-256color; "
        f"exec {s.python} -m bo_console --db {s.db}"
    )
    return ["runuser", "-u", user, "--", "sh", "-c", command]


def _quit(term: Terminal) -> None:
    term.send("C-q")
    term.wait_for("Quit bo-console?", timeout=30)
    term.send("y")
    term.wait_until_closed(timeout=30)


def test_a_clerk_raises_a_ticket_it_resolves_and_the_clerk_sees_it(
    shared: Shared, bo_here: BoHere
) -> None:
    s = shared
    # Root sets up in this process (the same commands, without an interpreter each).
    clerk, techie = s.preparer, s.approver
    bo_here(s.db, "init", "--group-shared", "--company", "E2E Co")
    bo_here(s.db, "users", "add", clerk, "--role", "finance-clerk")
    bo_here(s.db, "users", "add", techie, "--role", "it-clerk")

    with terminal(_console(s, clerk), {}) as term:
        term.wait_for("Your inbox", timeout=60)
        term.send("C-p")
        term.wait_for("Search")
        term.send(*"Raise an IT", "Enter")
        term.wait_for("Raise an IT ticket", timeout=30)
        term.send(*"Printer on floor 2 jams", "Tab", "Tab")
        term.send("C-s")
        term.wait_for("raised T000001", timeout=30)
        _quit(term)

    with terminal(_console(s, techie), {}) as term:
        term.wait_for("Your inbox", timeout=60)
        term.send("i")
        listed = term.wait_for("Printer on floor 2", timeout=60)
        assert "Tickets: open, 1" in listed
        term.send("Enter")
        term.wait_for("T000001", timeout=30)
        term.send("t")
        term.wait_for("assigned", timeout=30)
        term.send("v")
        term.wait_for("Resolve T000001", timeout=30)
        term.send(*"Cleared the paper path")
        term.send("C-s")
        term.wait_for("Resolution: Cleared the paper path", timeout=30)
        term.send("Escape")
        term.wait_gone("Resolution:", timeout=30)
        _quit(term)

    with terminal(_console(s, clerk), {}) as term:
        term.wait_for("Your inbox", timeout=60)
        term.send("C-p")
        term.wait_for("Search")
        term.send(*"My IT requests", "Enter")
        shown = term.wait_for("My IT requests: 1", timeout=30)
        assert "resolved" in shown and "Printer on floor 2" in shown
        term.send("Escape")
        _quit(term)

    conn = sqlite3.connect(s.db)
    try:
        who = conn.execute(
            "SELECT action, user_login FROM audit_event WHERE entity = 'ticket' ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    assert who == [
        ("create", clerk),
        ("assigned", techie),
        ("assign", techie),
        ("resolved", techie),
    ]
