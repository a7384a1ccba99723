"""End to end: a purchase order received with the scanner, a sales order picked, shipped and
invoiced, in the real `bo` under tmux at 80x24 without a mouse; afterwards the stock ledger
still equals the inventory account (`bo db check`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import BoHere, NewStore
from tests.e2e.tmux import require_tmux, terminal

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(console_db: NewStore, bo_here: BoHere) -> Path:
    """A new database with a supplier, a customer, a bin, a lot-tracked item and an approved
    order for 40 of it."""
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
        "--lot-tracked",
        "--barcode",
        "6281000000011",
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
        "6281000000011:40:30.00",
    )
    bo_here(db, "logistics", "po", "approve", order)
    return db


def test_order_receipt_sale_shipment_invoice(shop: Path, bo_here: BoHere) -> None:
    command = [sys.executable, "-m", "bo_console", "--db", str(shop)]
    env = {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    with terminal(command, env) as term:
        term.wait_for("Your inbox")
        term.send("l")
        term.wait_for("GLV-M")
        term.send("3")
        term.wait_for("PO-20")
        term.send("Enter")
        term.wait_for("Purchase order PO-")
        term.send("g")
        term.wait_for("Receive PO-")
        # The scanner types the lot and presses Tab, like a person.
        term.send("Tab", "L77", "Tab", "2027-06-30")
        term.send("C-s")
        term.wait_for("Receive 40 units")
        term.send("y")
        term.wait_for("received GRN-")
        term.send("Escape")
    on_hand = json.loads(
        bo_here(shop, "logistics", "stock", "on-hand", "GLV-M", "--format", "json")
    )
    assert [(r["lot"], r["quantity"]) for r in on_hand] == [("L77", 40)]
    sales = bo_here(
        shop, "logistics", "so", "create", "--customer", "C1", "--line", "GLV-M:15", "--confirm"
    )
    with terminal(command, env) as term:
        term.wait_for("Your inbox")
        term.send("l")
        term.wait_for("GLV-M")
        term.send("4")
        term.wait_for(sales)
        term.send("s")
        term.wait_for(f"Ship {sales}")
        term.send("DMM/A-01", "Tab", "Tab", "Own fleet", "Tab", "Tab", "EAST-1")
        term.send("C-s")
        term.wait_for("first expiry")
        term.send("y")
        term.wait_for("shipped DN-")
        term.send("i")
        term.wait_for("Invoice what was delivered")
        term.send("y")
        term.wait_for("posted INV-")
        term.send("5")
        term.wait_for("EAST-1")
        term.send("q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()
    valuation = json.loads(bo_here(shop, "logistics", "stock", "valuation", "--format", "json"))
    assert valuation[0]["quantity"] == 25 and valuation[0]["value"] == "750.00"
    checked = bo_here(shop, "-v", "db", "check", "--format", "json")
    rows = {r["check"]: r["result"] for r in json.loads(checked)}
    assert rows["logistics: stock ledger = inventory account"] == "ok"
    assert rows["logistics: GRNI = its account"] == "ok"
