"""`bo front` and `bo finance customers`: a customer registered, approved by finance, quoted,
ordered and followed; requests to the back office; the documented exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo
from tests.unit.logistics.conftest import Team, add_item, buy


@pytest.mark.both_stores
def test_customer_to_order_status(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    add_item(store, team.manager, "GLV-M", sale_price=2500)
    buy(store, team, "GLV-M", 20, 1000)
    assert bo("users", "add", "noura", "--role", "front-office", "--later")[0] == 0
    as_os_user("noura")
    code, _, err = bo("front", "register", "--name", "Al Noor", "--cr", "1010", "--vat", "3")
    assert code == ExitCode.ERROR and "cr-number" in err and "10 digits" in err
    code, out, err = bo(
        "front", "register", "--name", "Al Noor", "--cr", "1010123456", "--vat", "300000000000003"
    )
    assert code == 0 and "waits for finance's approval" in err
    customer = out.strip()
    code, _, err = bo("front", "quote", "-c", customer, "--line", "GLV-M:2")
    assert code == ExitCode.ERROR and "pending approval by finance" in err
    code, _, err = bo("finance", "customers", "approve", customer)
    assert code == ExitCode.PERMISSION
    as_os_user("fclerk")
    code, out, _ = bo("finance", "customers", "pending", "--format", "json")
    assert [r["code"] for r in json.loads(out)] == [customer]
    assert bo("finance", "customers", "approve", customer, "-m", "CR checked")[0] == 0
    as_os_user("noura")
    code, _, err = bo("front", "quote", "-c", customer, "--line", "GLV-M:two")
    assert code == ExitCode.ERROR and "SKU:QTY[:PRICE]" in err
    code, out, err = bo(
        "front", "quote", "-c", customer, "--line", "GLV-M:2", "--line", "GLV-M:1:30"
    )
    assert code == 0, err
    number = out.strip()
    code, out, _ = bo("front", "status", number)
    assert out.startswith(f"{number}  quotation")
    assert bo("front", "order", number)[0] == 0
    code, out, _ = bo("front", "status", number, "--format", "json")
    status = json.loads(out)[0]
    assert status["stage"] == "reserved"
    assert [(x["sku"], x["ordered"], x["unit_price"]) for x in status["lines"]] == [
        ("GLV-M", 2, 2500),
        ("GLV-M", 1, 3000),
    ]
    assert "cost" not in out
    # The ledger and the logistics lists stay closed to the front office.
    assert bo("finance", "journal", "list")[0] == ExitCode.PERMISSION
    assert bo("logistics", "so", "list")[0] == ExitCode.PERMISSION
    assert bo("logistics", "items", "show", "GLV-M")[0] == ExitCode.PERMISSION


@pytest.mark.both_stores
def test_requests_and_my_requests(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    assert bo("users", "add", "noura", "--role", "front-office", "--later")[0] == 0
    as_os_user("noura")
    code, out, _ = bo("front", "request", "statement", "-c", "C1", "-m", "for the audit")
    assert code == 0
    item = out.strip()
    code, _, err = bo("front", "request", "invoice-copy", "-c", "C1", "--invoice", "INV-1")
    assert code == ExitCode.ERROR and "no sales invoice" in err
    code, out, _ = bo("front", "ticket", "-s", "Card reader is dead", "--priority", "p2")
    assert code == 0 and out.strip().startswith("T")
    code, _, err = bo("front", "gate", "--po", "PO-2026-9999")
    assert code == ExitCode.ERROR
    code, out, _ = bo("front", "requests", "--format", "json")
    rows = json.loads(out)
    assert [(str(r["id"]), r["kind"], r["to"], r["status"], r["links"]) for r in rows] == [
        (item, "customer-statement", "finance", "open", "party:C1")
    ]
    code, out, _ = bo("front", "openings", "--format", "json")
    assert code == 0 and json.loads(out) == []
