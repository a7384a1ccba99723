"""End to end: a credit note on part of an invoice in the real `bo` under tmux at 80x24.

On the demo, the Invoices tab finds an open invoice, `c` opens the note form prefilled with
its lines, one unit of line 1 is credited, the note is issued after asking, and `t` lists it
with the demo's own notes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import BoHere
from tests.e2e.tmux import terminal

pytestmark = pytest.mark.e2e


def test_credit_part_of_an_invoice_in_the_invoices_tab(demo_db: Path, bo_here: BoHere) -> None:
    bo = [sys.executable, "-m", "bo_console", "--db", str(demo_db)]
    noted = {
        r["original"] for r in json.loads(bo_here(demo_db, "finance", "note", "list", "-f", "json"))
    }
    invoices = json.loads(
        bo_here(demo_db, "finance", "invoices", "list", "--status", "open", "-f", "json")
    )
    number = next(
        r["number"] for r in invoices if r["number"].startswith("INV-") and r["number"] not in noted
    )
    with terminal(
        bo, {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}, name="notes-e2e-1"
    ) as term:
        term.wait_for("Your inbox")
        term.send("f")
        term.wait_for("Journal: row 1 of")
        term.send("3")
        term.wait_for("Invoices")
        term.send("/")
        term.wait_for("Filter /")
        term.send(number, "Enter")
        term.wait_for(f'filter "{number}"')
        term.send("c")
        term.wait_for(f"Credit note on {number}")
        term.send("1")
        term.wait_for("Total ")
        term.send("C-o")
        term.wait_for("Issue credit note")
        term.send("y")
        term.wait_for("posted CRN-2026-00003")
        term.send("t")
        shown = term.wait_for("Credit and debit notes")
        assert "CRN-2026-00003" in shown and "CRN-2026-00001" in shown
        term.send("Escape")
        term.wait_for(f'filter "{number}"')  # back on the Invoices tab (not alt+q)
        term.send("q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()
    notes = json.loads(
        bo_here(demo_db, "finance", "note", "list", "--original", number, "-f", "json")
    )
    assert [n["number"] for n in notes] == ["CRN-2026-00003"]
