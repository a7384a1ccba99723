"""End to end: a long import holds the store while a clerk saves a journal entry in the console.

The console stays up, says what it is waiting for and keeps what was typed; once the import
has ended, trying again saves the entry. Both are the real `bo`: the import in a process of its
own, the console in tmux at 80x24.
"""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.tmux import terminal

pytestmark = pytest.mark.e2e

IMPORT_ENTRIES = 150_000
"""Enough entries (two lines each) that the import holds the store for a few seconds."""


def _write_journal(path: Path, entries: int) -> None:
    """A valid journal in our CSV format: cash sales into an open month of the demo."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["entry", "date", "description", "account", "debit", "credit", "memo"]
            + ["cost_centre", "tax_code"]
        )
        for n in range(1, entries + 1):
            out.writerow([n, "2026-12-01", "Till", "1140", "1.00", "", "", "", ""])
            out.writerow([n, "2026-12-01", "Till", "4100", "", "1.00", "", "", ""])


def _store_is_held(path: Path) -> bool:
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return True
    finally:
        conn.close()


def _still_held(path: Path, after: float) -> bool:
    time.sleep(after)
    return _store_is_held(path)


def _drafts_with_memo(path: Path, memo: str) -> int:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute(
            "SELECT count(*) FROM fin_entry WHERE state = 'draft' AND memo = ?", (memo,)
        ).fetchone()
    finally:
        conn.close()
    return int(row[0])


def test_saving_an_entry_during_a_long_import_waits_then_saves(
    demo_db: Path, tmp_path: Path
) -> None:
    journal = tmp_path / "big.csv"
    _write_journal(journal, IMPORT_ENTRIES)
    bo = [sys.executable, "-m", "bo_console", "--db", str(demo_db)]
    # A short wait keeps the test short: the console gives up after half a second.
    console = [*bo[:-2], "--db", str(demo_db), "--wait", "0.5", "tui"]
    env = {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    with terminal(console, env) as term:
        term.wait_for("Your inbox")
        term.send("f")
        term.wait_for("Journal: row 1 of")
        term.send("n")
        term.wait_for("New journal entry")
        term.send("Till float")  # the form opens on its memo
        term.send(
            "Tab", "1140", "Tab", "50", "Tab", "Tab", "Tab", "Tab", "3400", "Tab", "Tab", "50"
        )
        term.wait_for("balanced")
        importer = subprocess.Popen(
            [*bo, "finance", "journal", "import", str(journal)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 120
            # Held on two looks a third of a second apart: the job's own record of its start
            # holds the store for milliseconds, before the import reads its file; only the
            # import's writing holds it for seconds.
            while not (_store_is_held(demo_db) and _still_held(demo_db, 0.3)):
                assert importer.poll() is None, "the import ended before it held the store"
                assert time.monotonic() < deadline, "the import never took the store"
                time.sleep(0.05)
            term.send("C-s")
            shown = term.wait_for("Database busy", timeout=30)
            assert importer.poll() is None, "the import ended before the console had to wait"
            said = " ".join(shown.replace("█", " ").split())
            assert "job finance.import-journal, started by" in said, shown
            assert "what you typed is kept" in said, shown
            _, err = importer.communicate(timeout=300)
        finally:
            if importer.poll() is None:
                importer.kill()
                importer.wait()
        assert importer.returncode == 0, err
        assert _drafts_with_memo(demo_db, "Till float") == 0
        # The import has ended: trying again saves the entry that was typed before it.
        term.send("r")
        shown = term.wait_for("Journal entry", timeout=30)
        assert "draft" in shown
        assert _drafts_with_memo(demo_db, "Till float") == 1
        term.send("Escape")
        term.wait_gone("Journal entry draft")
        term.send("q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()
