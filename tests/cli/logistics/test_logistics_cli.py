"""`bo logistics`: a purchase-to-invoice journey with JSON output, the documented exit codes
for bad input, refusals and permissions, imports all or nothing, reorder once a day."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bo_console.core.db import Store
from tests.cli.conftest import Bo
from tests.unit.logistics.conftest import Team, balance, checks_ok, stock_value


@pytest.mark.both_stores
def test_order_to_invoice_journey(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("lclerk")
    code, out, err = bo(
        "logistics",
        "items",
        "add",
        "GLV-M",
        "--name",
        "Nitrile gloves M",
        "--lot-tracked",
        "--barcode",
        "6281000000011",
        "--supplier",
        "S1",
        "--sale-price",
        "45.50",
    )
    assert (code, out.strip()) == (0, "GLV-M"), err
    code, out, _ = bo(
        "logistics",
        "po",
        "create",
        "--supplier",
        "S1",
        "--location",
        "DMM/A-01",
        "--line",
        "GLV-M:100:30.00",
        "-d",
        "2026-11-10",
    )
    order = out.strip()
    assert code == 0 and order == "PO-2026-00001"
    assert bo("logistics", "po", "approve", order)[0] == 0
    code, out, err = bo(
        "logistics",
        "receive",
        order,
        "-d",
        "2026-11-10",
        "--line",
        "1:60:L1:2027-03-31",
        "--line",
        "1:40:L2:2026-12-31",
    )
    assert code == 0, err
    receipt = out.strip()
    code, out, _ = bo("logistics", "stock", "on-hand", "6281000000011", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {(r["lot"], r["quantity"]) for r in rows} == {("L1", 60), ("L2", 40)}
    code, out, _ = bo(
        "logistics",
        "so",
        "create",
        "--customer",
        "C1",
        "--line",
        "GLV-M:30",
        "--confirm",
        "-d",
        "2026-11-11",
    )
    sales = out.strip()
    code, out, err = bo(
        "logistics",
        "so",
        "deliver",
        sales,
        "--location",
        "DMM/A-01",
        "--line",
        "1:30",
        "--route",
        "EAST-1",
        "-d",
        "2026-11-11",
    )
    assert code == 0, err
    code, out, _ = bo("logistics", "shipments", "list", "--route", "EAST-1", "--format", "json")
    assert [r["order"] for r in json.loads(out)] == [sales]
    code, _, err = bo("logistics", "so", "invoice", sales, "-d", "2026-11-11")
    assert code == 3 and "finance.post" in err
    as_os_user("fclerk")
    code, out, err = bo("logistics", "so", "invoice", sales, "-d", "2026-11-11")
    assert code == 0 and out.startswith("INV-"), err
    code, out, err = bo(
        "logistics",
        "bill",
        receipt,
        "--reference",
        "S-77",
        "--line",
        "1:60:31.00",
        "-d",
        "2026-11-12",
    )
    assert code == 0 and out.startswith("BILL-"), err
    assert "price variance 60.00" in err
    as_os_user("lclerk")
    code, out, _ = bo("logistics", "stock", "valuation", "--format", "json")
    assert json.loads(out) == [
        {
            "sku": "GLV-M",
            "name": "Nitrile gloves M",
            "quantity": 70,
            "average_cost": "30.00",
            "value": "2100.00",
        }
    ]
    assert stock_value(store) == 210_000 == balance(store, "1310")
    assert balance(store, "2130") == -40 * 3000  # 40 received and not yet billed
    assert checks_ok(store) == {}
    as_os_user("boadmin")
    code, out, _ = bo("db", "check")
    assert code == 0 and "logistics: stock ledger = inventory account" in out


def test_bad_input_and_refusals_use_the_documented_exit_codes(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("lclerk")
    assert bo("logistics", "items", "add", "BOX", "--name", "Box")[0] == 0
    code, _, err = bo("logistics", "items", "add", "BOX", "--name", "Again")
    assert code == 1 and err.count("\n") == 1 and "taken" in err
    code, _, err = bo(
        "logistics",
        "po",
        "create",
        "--supplier",
        "S1",
        "--location",
        "DMM/A-01",
        "--line",
        "BOX:many",
    )
    assert code == 1 and "not a whole number" in err and "Traceback" not in err
    code, _, err = bo("logistics", "stock", "moves", "--format", "yaml")
    assert code == 2 and "yaml" in err
    code, _, err = bo(
        "logistics", "stock", "adjust", "DMM/A-01", "--line", "BOX:5", "--reason", "found"
    )
    assert code == 3 and "logistics.manage" in err
    as_os_user("lmanager")
    code, out, err = bo(
        "logistics",
        "stock",
        "adjust",
        "DMM/A-01",
        "--line",
        "BOX:5:::2.00",
        "--reason",
        "found",
        "-d",
        "2026-11-10",
    )
    assert code == 0 and out.startswith("ADJ-"), err
    code, _, err = bo("logistics", "stock", "transfer", "BOX", "6", "DMM/A-01", "DMM/A-02")
    assert code == 1 and "5 on hand" in err
    assert bo("logistics", "stock", "moves", "--item", "BOX", "--format", "csv")[1].count("\n") == 2
    code, _, err = bo("logistics", "po", "show", "PO-1999-00001")
    assert code == 1 and "no purchase order" in err


def test_item_import_is_all_or_nothing(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None], tmp_path: Path
) -> None:
    as_os_user("lclerk")
    bad = tmp_path / "items.csv"
    bad.write_text(
        "sku,name,name_ar,lot_tracked,reorder_point,supplier\n"
        "MSK-1,Mask,كمامة,yes,10,S1\n"
        "MSK-1,Mask again,,no,,\n"
        "GWN-1,Gown,,maybe,x,\n",
        encoding="utf-8-sig",
    )
    code, _, err = bo("logistics", "items", "import", str(bad))
    assert code == 1 and "row 3, column sku" in err and "row 4, column lot_tracked" in err
    assert json.loads(bo("logistics", "items", "list", "--format", "json")[1]) == []
    good = tmp_path / "good.csv"
    good.write_text("sku,name,lot_tracked\nMSK-1,Mask,yes\nGWN-1,Gown,no\n", encoding="utf-8")
    assert bo("logistics", "items", "import", str(good))[0] == 0
    as_os_user("lmanager")
    stock = tmp_path / "stock.csv"
    stock.write_text(
        "sku,location,quantity,unit_cost,lot,expiry\n"
        "MSK-1,DMM/A-01,10,1.50,M1,2027-01-01\n"
        "GWN-1,DMM/A-09,5,3.00,,\n",
        encoding="utf-8",
    )
    code, _, err = bo("logistics", "items", "import-stock", str(stock))
    assert code == 1 and "row 3, column location" in err
    assert stock_value(store) == 0
    stock.write_text(
        "sku,location,quantity,unit_cost,lot,expiry\n"
        "MSK-1,DMM/A-01,10,1.50,M1,2027-01-01\n"
        "GWN-1,DMM/A-02,5,3.00,,\n",
        encoding="utf-8",
    )
    code, _, err = bo("logistics", "items", "import-stock", str(stock), "-d", "2026-11-01")
    assert code == 0, err
    assert stock_value(store) == 3000 == balance(store, "1310") == -balance(store, "3900")
    assert checks_ok(store) == {}


def test_reorder_runs_once_a_day(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("lclerk")
    bo(
        "logistics",
        "items",
        "add",
        "RO",
        "--name",
        "Reorder me",
        "--supplier",
        "S1",
        "--reorder-point",
        "5",
        "--reorder-qty",
        "20",
    )
    code, out, _ = bo(
        "logistics", "reorder", "--location", "DMM/A-01", "--dry-run", "--format", "json"
    )
    assert code == 0 and json.loads(out)[0]["quantity"] == 20
    code, out, err = bo("logistics", "reorder", "--location", "DMM/A-01", "--notify")
    assert (code, out, err) == (0, "", "draft orders: PO-2026-00001\n")
    code, _, err = bo("logistics", "reorder", "--location", "DMM/A-01", "--notify")
    assert code == 0 and "already ran" in err
    orders = json.loads(bo("logistics", "po", "list", "--format", "json")[1])
    assert [(o["status"], o["supplier"]) for o in orders] == [("draft", "Gulf Medical Supply")]


@pytest.mark.both_stores
def test_a_transfer_through_transit_from_the_command_line(
    bo: Bo, store: Store, team: Team, as_os_user: Callable[[str], None]
) -> None:
    from datetime import date

    from bo_console.logistics import service
    from tests.unit.logistics.conftest import add_item, buy

    with store.write() as session:
        service.add_warehouse(session, team.manager, "RUH", "Riyadh DC")
        service.add_location(session, team.manager, "RUH", "B-01")
    add_item(store, team.clerk, "GLV")
    buy(store, team, "GLV", 10, 300, on=date(2026, 11, 10))
    as_os_user("lclerk")
    code, out, _ = bo(
        "logistics", "stock", "dispatch", "GLV", "6", "DMM/A-01", "RUH", "-d", "2026-11-11"
    )
    number = out.strip()
    assert code == 0 and number.startswith("TRF-2026-")
    code, out, _ = bo("logistics", "stock", "in-transit", "-f", "json")
    assert [(r["number"], r["quantity"], r["destination"]) for r in json.loads(out)] == [
        (number, 6, "RUH")
    ]
    code, _, err = bo("logistics", "stock", "arrive", number, "DMM/A-02", "-d", "2026-11-12")
    assert code == 1 and "goes to RUH" in err
    code, _, err = bo("logistics", "stock", "arrive", number, "RUH/B-01", "-d", "2026-11-12")
    assert code == 0 and "6 GLV" in err
    assert json.loads(bo("logistics", "stock", "in-transit", "-f", "json")[1]) == []
    assert checks_ok(store) == {}
