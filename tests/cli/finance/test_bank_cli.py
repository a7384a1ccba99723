"""`bo finance bank`: import a CSV statement with a mapping (saved), again (nothing changes),
match, list lines and the reconciliation report as JSON, with one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo


def ok(bo: Bo, *args: str) -> tuple[str, str]:
    code, out, err = bo(*args)
    assert code == 0, err
    return out, err


@pytest.mark.both_stores
def test_import_match_and_report(bo: Bo, store: Store, tmp_path: Path) -> None:
    ok(bo, "finance", "bank", "accounts", "add", "SNB", "Saudi National Bank", "--account", "1110")
    ok(
        bo, "finance", "journal", "add", "-d", "2026-03-15", "-m", "rent",
        "-l", "6200:2000:", "-l", "1110::2000", "--post", "--yes",
    )  # fmt: skip
    ok(bo, "finance", "bank", "rules", "add", "SNB", "SERVICE FEE", "--account", "6410")
    statement = tmp_path / "snb.csv"
    statement.write_text(
        "Posting date,Narrative,Amount\n2026-03-16,RENT MARCH,-2000.00\n"
        "2026-03-31,SERVICE FEE,-15.00\n",
        encoding="utf-8",
    )
    mapping = ["--map", "date=Posting date", "--map", "text=Narrative", "--map", "amount=Amount"]
    _, err = ok(bo, "finance", "bank", "import", "SNB", str(statement), *mapping)
    assert "imported 2 lines into SNB" in err
    _, err = ok(bo, "finance", "bank", "import", "SNB", str(statement))
    assert "already imported" in err and "nothing changed" in err
    _, err = ok(bo, "finance", "bank", "match", "SNB")
    assert "matched 1, posted by rules 1, open 0" in err
    lines = json.loads(ok(bo, "finance", "bank", "lines", "SNB", "-f", "json")[0])
    assert [(x["amount"], x["status"]) for x in lines] == [
        ("-2000.00", "reconciled"),
        ("-15.00", "reconciled"),
    ]
    report = json.loads(
        ok(bo, "finance", "bank", "report", "SNB", "--as-of", "2026-03-31", "-f", "json")[0]
    )
    balances = {r["text"]: r["amount"] for r in report if r["section"] == "balance"}
    assert balances["Difference"] == "0.00"
    assert balances["Ledger balance (1110)"] == balances["Adjusted statement balance"] == "-2015.00"
    month = json.loads(ok(bo, "finance", "bank", "month", "2026-03", "-f", "json")[0])
    assert month == [{"bank": "SNB", "reconciled": True, "reason": "reconciled"}]


def test_bad_input_is_one_line(bo: Bo, store: Store, tmp_path: Path) -> None:
    ok(bo, "finance", "bank", "accounts", "add", "SNB", "Saudi National Bank", "--account", "1110")
    statement = tmp_path / "snb.csv"
    statement.write_text("Date,Amount\n2026-03-16,12x\n", encoding="utf-8")
    code, _, err = bo("finance", "bank", "import", "SNB", str(statement), "--map", "date")
    assert code == ExitCode.USAGE and "FIELD=COLUMN" in err
    code, _, err = bo(
        "finance", "bank", "import", "SNB", str(statement), "--map", "date=Date",
        "--map", "amount=Amount",
    )  # fmt: skip
    assert code == ExitCode.ERROR and "row 2, column Amount" in err and "Traceback" not in err
    code, _, err = bo("finance", "bank", "lines", "NOPE")
    assert code == ExitCode.ERROR and "no bank account 'NOPE'" in err


def test_a_bad_date_names_the_row_the_column_and_the_format(
    bo: Bo, store: Store, tmp_path: Path
) -> None:
    ok(bo, "finance", "bank", "accounts", "add", "SNB", "Saudi National Bank", "--account", "1110")
    statement = tmp_path / "snb.csv"
    statement.write_text(
        "Value date,Amount\n16/03/2026,-20.00\n2026-03-17,-5.00\n", encoding="utf-8"
    )
    args = ["finance", "bank", "import", "SNB", str(statement), "--map", "amount=Amount"]
    code, _, err = bo(*args, "--map", "date=Value date")
    assert code == ExitCode.ERROR and "Traceback" not in err
    assert err.count("\n") == 1 and "does not match" not in err and "time data" not in err
    assert "row 2, column Value date: '16/03/2026' is not a date in the format YYYY-MM-DD" in err
    code, _, err = bo(*args, "--map", "date=Value date", "--map", "date_format=%d/%m/%Y")
    assert code == ExitCode.ERROR and err.count("\n") == 1
    assert "row 3, column Value date: '2026-03-17' is not a date in the format DD/MM/YYYY" in err
    statement.write_text("Value date,Amount\n,-20.00\n", encoding="utf-8")
    code, _, err = bo(*args, "--map", "date=Value date")
    assert code == ExitCode.ERROR and "row 2, column Value date: no date (give YYYY-MM-DD)" in err
    code, _, err = bo(*args, "--map", "date=Value date", "--map", "date_format=%Q")
    assert code == ExitCode.ERROR and "date_format '%Q' is not a date format" in err
    lines = json.loads(ok(bo, "finance", "bank", "lines", "SNB", "-f", "json")[0])
    assert lines == []
