"""`bo finance cost-centres` and the income statement by cost centre."""

from __future__ import annotations

import json
from pathlib import Path

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo


def ok(bo: Bo, *args: str) -> str:
    code, out, err = bo(*args)
    assert code == 0, err
    return out


def _lines(tmp_path: Path, account: str, amount: str, centre: str) -> str:
    """An entry's lines as the --csv file takes them: expense on a cost centre, bank."""
    path = tmp_path / f"{account}-{centre}.csv"
    path.write_text(
        "account,debit,credit,memo,cost_centre,tax_code\n"
        f"{account},{amount},,,{centre},\n1110,,{amount},,,\n",
        encoding="utf-8",
    )
    return str(path)


def test_add_list_deactivate_and_report_by_cost_centre(
    bo: Bo, store: Store, tmp_path: Path
) -> None:
    ok(bo, "finance", "cost-centres", "add", "OPS", "Operations", "--department", "Logistics")
    ok(bo, "finance", "cost-centres", "add", "SALES", "Sales team")
    code, _, err = bo("finance", "cost-centres", "add", "OPS", "Again")
    assert code == ExitCode.ERROR and "exists" in err
    code, _, err = bo("finance", "cost-centres", "add", "A B", "Spaced")
    assert code == ExitCode.ERROR and "\n" not in err.strip()
    ok(
        bo, "finance", "journal", "add", "-d", "2026-03-02", "-m", "rent",
        "--csv", _lines(tmp_path, "6200", "300", "OPS"), "--post", "--yes",
    )  # fmt: skip
    ok(
        bo, "finance", "journal", "add", "-d", "2026-03-03", "-m", "adverts",
        "--csv", _lines(tmp_path, "6300", "200", "SALES"), "--post", "--yes",
    )  # fmt: skip
    code, _, err = bo(
        "finance", "journal", "add", "-d", "2026-03-03", "-m", "typo",
        "--csv", _lines(tmp_path, "6300", "200", "SALSE"), "--post", "--yes",
    )  # fmt: skip
    assert code == ExitCode.ERROR and "no cost centre 'SALSE'" in err
    rows = json.loads(
        ok(bo, "finance", "report", "income-statement", "--from", "2026-03-01", "--to",
           "2026-03-31", "--cost-centre", "OPS", "-f", "json")
    )  # fmt: skip
    assert [r["code"] for r in rows if r.get("code")] == ["6200"]
    assert next(r for r in rows if r["section"] == "net")["amount"] == "-300.00"
    code, _, err = bo(
        "finance", "report", "income-statement", "--from", "2026-03-01", "--cost-centre", "NOPE"
    )
    assert code == ExitCode.ERROR and "no cost centre" in err
    ok(bo, "finance", "cost-centres", "deactivate", "OPS")
    listed = json.loads(ok(bo, "finance", "cost-centres", "list", "-f", "json"))
    assert listed == [
        {"code": "OPS", "name": "Operations", "department": "Logistics", "active": False},
        {"code": "SALES", "name": "Sales team", "department": "", "active": True},
    ]
    code, _, err = bo(
        "finance", "journal", "add", "-d", "2026-03-04", "-m", "rent",
        "--csv", _lines(tmp_path, "6200", "300", "OPS"), "--post", "--yes",
    )  # fmt: skip
    assert code == ExitCode.ERROR and "inactive" in err
    _, _, err = bo("finance", "cost-centres", "deactivate", "OPS")
    assert "already inactive" in err
    ok(bo, "finance", "cost-centres", "edit", "OPS", "--name", "Operations and stores")
    assert "Operations and stores" in ok(bo, "finance", "cost-centres", "list")
