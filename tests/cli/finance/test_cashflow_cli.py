"""`bo finance report cashflow` and `bo finance accounts cash-flow`."""

from __future__ import annotations

import json

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo


def ok(bo: Bo, *args: str) -> str:
    code, out, err = bo(*args)
    assert code == 0, err
    return out


def test_cash_flow_statement_ties_and_classes_change(bo: Bo, store: Store) -> None:
    ok(
        bo, "finance", "journal", "add", "-d", "2026-03-02", "-m", "capital",
        "-l", "1110:10000:", "-l", "3100::10000", "--post", "--yes",
    )  # fmt: skip
    ok(
        bo, "finance", "journal", "add", "-d", "2026-03-05", "-m", "deposit paid",
        "-l", "1450:1500:", "-l", "1110::1500", "--post", "--yes",
    )  # fmt: skip
    rows = json.loads(
        ok(bo, "finance", "report", "cashflow", "--from", "2026-03-01", "--to", "2026-03-31",
           "-f", "json")
    )  # fmt: skip
    amounts = {r["account"]: r["amount"] for r in rows}
    assert amounts["Net cash from financing activities"] == "10000.00"
    assert amounts["Changes in working capital"] == "-1500.00"
    assert amounts["Cash at the end of the period"] == "8500.00"
    listed = json.loads(ok(bo, "finance", "accounts", "cash-flow", "1450", "-f", "json"))
    assert listed == [
        {"code": "1450", "account": listed[0]["account"], "type": "asset",
         "cash_flow": "working_capital", "set": False}
    ]  # fmt: skip
    ok(bo, "finance", "accounts", "cash-flow", "1450", "--set", "investing")
    rows = json.loads(
        ok(bo, "finance", "report", "cashflow", "--from", "2026-03-01", "--to", "2026-03-31",
           "-f", "json")
    )  # fmt: skip
    amounts = {r["account"]: r["amount"] for r in rows}
    assert amounts["Net cash from investing activities"] == "-1500.00"
    code, _, err = bo("finance", "accounts", "cash-flow", "6200", "--set", "investing")
    assert code == ExitCode.ERROR and "profit" in err
    code, _, err = bo("finance", "report", "cashflow", "--from", "2026-04-01", "--to", "2026-03-01")
    assert code == ExitCode.ERROR
