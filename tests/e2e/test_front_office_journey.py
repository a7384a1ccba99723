"""End to end: the front office enters a quotation and makes it an order, logistics ships it,
finance invoices it, and the front office sees "invoiced", in the real `bo` under tmux at
80x24 without a mouse."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.e2e.conftest import BoHere, NewStore
from tests.e2e.tmux import Terminal, require_tmux, terminal

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(console_db: NewStore, bo_here: BoHere) -> Path:
    """A new database (company Al Noor) with a customer and 40 gloves in stock."""
    require_tmux()
    db = console_db("shop.db")
    bo_here(db, "finance", "parties", "add", "Gulf Medical", "--role", "supplier", "--code", "S1")
    bo_here(db, "finance", "parties", "add", "Al Safa Hospital", "--code", "C1")
    bo_here(db, "logistics", "warehouses", "add", "DMM", "Dammam DC")
    bo_here(db, "logistics", "locations", "add", "DMM", "A-01")
    bo_here(
        db,
        "logistics",
        "items",
        "add",
        "GLV-M",
        "--name",
        "Nitrile gloves M",
        "--sale-price",
        "45.50",
    )
    order = bo_here(
        db,
        "logistics",
        "po",
        "create",
        "--supplier",
        "S1",
        "--location",
        "DMM/A-01",
        "--line",
        "GLV-M:40:30.00",
    )
    bo_here(db, "logistics", "po", "approve", order)
    bo_here(db, "logistics", "receive", order, "--line", "1:40")
    return db


def _find(term: Terminal, number: str) -> None:
    """``/``, then the number once the box has the keys: its footer offers help on f1, as a
    box that takes ``?`` as text must (the pane's says ``?``). Keys sent before the focus has
    moved are the pane's, and are lost; ``^q Quit`` is on both footers, so waiting for it
    waited for nothing."""
    term.send("/")
    term.wait_for("f1 Help")
    term.send(number, "Enter")


def test_front_office_order_to_invoiced(shop: Path, bo_here: BoHere) -> None:
    command = [sys.executable, "-m", "bo_console", "--db", str(shop)]
    env = {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    number = f"SO-{date.today().year}-00001"
    with terminal(command, env, name="front-e2e-1") as term:
        term.wait_for("Your inbox")
        term.send("o")
        term.wait_for("Order status")
        term.send("u")
        term.wait_for("Wanted by")
        term.send("C1", "Tab", "Tab", "Tab", "GLV-M:15")
        term.send("C-s")
        term.wait_for(f"quotation {number} entered")
        _find(term, number)
        term.wait_for(f"{number}   QUOTATION")
        term.send("c")
        term.wait_for("Order (y)")
        term.send("y")
        term.wait_for(f"{number}   RESERVED")
        # Logistics ships it.
        term.send("F5")
        term.wait_for("GLV-M")
        term.send("4")
        term.wait_for(number)
        term.wait_for("s Ship")
        term.send("s")
        term.wait_for(f"Ship {number}")
        term.send("DMM/A-01", "Tab", "Tab", "Own fleet", "Tab", "TRK-9")
        term.send("C-s")
        term.wait_for("first expiry")
        term.send("y")
        term.wait_for("shipped DN-")
        # Finance invoices it.
        term.send("i")
        term.wait_for("Invoice what was delivered")
        term.send("y")
        term.wait_for("posted INV-")
        # The front office sees it invoiced.
        term.send("F7")
        term.wait_for("Order status")
        _find(term, number)
        term.wait_for(f"{number}   INVOICED")
        # The shipment's tracking number, once the notices of the last steps have gone.
        shown = term.wait_for("TRK-9", timeout=20)
        assert f"{number}   INVOICED" in shown
        term.send("C-q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()
    status = json.loads(bo_here(shop, "front", "status", number, "--format", "json"))[0]
    assert status["stage"] == "invoiced"
    assert list(status["invoices"].values()) == ["posted"]
