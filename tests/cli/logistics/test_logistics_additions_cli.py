"""`bo logistics returns`, purchase units and serials: take goods back with JSON output, the
documented exit codes for a return beyond what shipped, bad lines, a missing permission; boxes
of 12; serials received, shipped and traced."""

from __future__ import annotations

import json
from collections.abc import Callable

from bo_console.core.db import Store
from bo_console.logistics import service
from tests.cli.conftest import Bo
from tests.unit.logistics.conftest import DAY, Team, add_item, buy, checks_ok, sell, ship


def test_returns_from_the_command_line(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    add_item(store, team.clerk, "MSK")
    buy(store, team, "MSK", 10, 400)
    order = sell(store, team, "MSK", 5, price=900)
    ship(store, team.clerk, order, 5)
    with store.write() as session:
        invoice = service.invoice_order(session, team.accountant, order, on=DAY)
    as_os_user("lclerk")
    code, out, err = bo(
        "logistics", "returns", "add", order, "--line", "1:2", "--reason", "torn boxes",
        "-d", "2026-11-12",
    )  # fmt: skip
    number = out.strip()
    assert code == 0 and number == "RET-2026-00001", err
    assert "credit note of" in err
    code, out, _ = bo("logistics", "returns", "list", "--order", order, "-f", "json")
    [row] = json.loads(out)
    assert code == 0 and (row["number"], row["quantity"], row["location"]) == (
        number,
        2,
        "DMM/RETURNS",
    )
    assert (row["value"], row["credit_value"], row["invoice"]) == ("8.00", "18.00", invoice)
    code, _, err = bo("logistics", "returns", "add", order, "--line", "1:4", "--reason", "x")
    assert code == 1 and "at most 3 more" in err and err.count("\n") == 1
    code, _, err = bo("logistics", "returns", "add", order, "--line", "1", "--reason", "x")
    assert code == 1 and "LINE:QTY[:LOT]" in err
    as_os_user("fclerk")
    code, _, err = bo("logistics", "returns", "add", order, "--line", "1:1", "--reason", "x")
    assert code == 3 and "logistics.write" in err
    assert checks_ok(store) == {}


def test_purchase_units_from_the_command_line(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("lclerk")
    code, _, err = bo(
        "logistics", "items", "add", "SYR", "--name", "Syringe 5 ml",
        "--purchase-unit", "box", "--purchase-factor", "12",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = bo("logistics", "items", "show", "SYR", "-f", "json")
    shown = json.loads(out)
    record = shown[0] if isinstance(shown, list) else shown
    assert (record["purchase_unit"], record["purchase_factor"]) == ("box", 12)
    code, out, err = bo(
        "logistics", "po", "create", "--supplier", "S1", "--location", "DMM/A-01",
        "--line", "SYR:2:60.00:box",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = bo("logistics", "po", "show", out.strip(), "-f", "json")
    [line] = json.loads(out)["lines"]
    assert (line["quantity"], line["unit_price"], line["ordered"]) == (
        24,
        "5.00",
        "2 box (24 each)",
    )
    code, _, err = bo(
        "logistics", "po", "create", "--supplier", "S1", "--location", "DMM/A-01",
        "--line", "SYR:1:10.00:box",
    )  # fmt: skip
    assert code == 1 and "not a whole minor unit" in err
    code, _, err = bo("logistics", "so", "create", "--customer", "C1", "--line", "SYR:1::box")
    assert code == 1 and "sold in each" in err


def test_serials_from_the_command_line(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("lclerk")
    code, _, err = bo("logistics", "items", "add", "PUMP", "--name", "Pump", "--serial-tracked")
    assert code == 0, err
    code, out, err = bo(
        "logistics", "po", "create", "--supplier", "S1", "--location", "DMM/A-01",
        "--line", "PUMP:2:900.00",
    )  # fmt: skip
    order = out.strip()
    assert code == 0, err
    as_os_user("lmanager")
    assert bo("logistics", "po", "approve", order)[0] == 0
    as_os_user("lclerk")
    code, _, err = bo("logistics", "receive", order, "--line", "1:2", "--serial", "1=P-1")
    assert code == 1 and "give 2 serial(s)" in err
    code, _, err = bo("logistics", "receive", order, "--line", "1:2", "--serial", "2=P-1,P-2")
    assert code == 1 and "no --line for line 2" in err
    code, out, err = bo(
        "logistics", "receive", order, "--line", "1:2", "--serial", "1=P-1,P-2", "-d", "2026-11-10"
    )
    assert code == 0, err
    receipt = out.strip()
    so = sell(store, team, "PUMP", 1)
    code, out, err = bo(
        "logistics", "so", "deliver", so, "--location", "DMM/A-01", "--line", "1:1",
        "--serial", "1=p-2", "-d", "2026-11-10",
    )  # fmt: skip
    assert code == 0, err
    delivery = out.strip()
    code, out, _ = bo("logistics", "serials", "list", "PUMP", "-f", "json")
    assert json.loads(out) == [{"serial": "P-1", "location": "DMM/A-01"}]
    code, out, _ = bo("logistics", "serials", "history", "PUMP", "P-2", "-f", "json")
    assert [(r["direction"], r["source_ref"]) for r in json.loads(out)] == [
        ("in", receipt),
        ("out", delivery),
    ]
    code, _, err = bo("logistics", "serials", "history", "PUMP", "NOPE")
    assert code == 1 and "no serial" in err
    assert checks_ok(store) == {}
