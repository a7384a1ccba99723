"""`bo finance period limits|checklist|close --override` (F1, F5)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo
from tests.cli.finance.test_finance_cli import staff  # noqa: F401 (fixture)


def _post(bo: Bo, day: str, draft: bool = False) -> None:
    args = ["finance", "journal", "add", "-d", day, "-l", "1110:100:", "-l", "3100::100"]
    code, _, err = bo(*args, *([] if draft else ["--post", "--yes"]))
    assert code == 0, err


def test_limits_checklist_and_override(bo: Bo, staff: Callable[[str], None]) -> None:  # noqa: F811
    staff("omar")
    _post(bo, "2026-10-05")
    _post(bo, "2026-11-05")
    _post(bo, "2026-11-20", draft=True)
    code, out, _ = bo("finance", "period", "limits", "-f", "json")
    assert code == 0 and json.loads(out) == [{"books_start": "", "future_days": 31}]
    code, _, err = bo("finance", "journal", "add", "-d", "2031-06-15", "-l", "1110:1:",
                      "-l", "3100::1", "--post", "--yes")  # fmt: skip
    assert code == ExitCode.PERMISSION and "finance manager" in err
    code, out, _ = bo("finance", "period", "checklist", "2026-11", "-f", "json")
    items = {r["item"]: r for r in json.loads(out)}
    assert not items["order"]["ok"] and "2026-10 is still open" in items["order"]["problems"]
    assert not items["drafts"]["ok"]
    staff("layla")
    assert bo("finance", "period", "close", "2026-10", "--yes")[0] == 0
    code, _, err = bo("finance", "period", "close", "2026-11", "--yes")
    assert code == ExitCode.ERROR and "--override drafts=REASON" in err
    code, _, err = bo("finance", "period", "close", "2026-11", "--override", "drafts", "--yes")
    assert code == ExitCode.USAGE
    code, _, err = bo(
        "finance", "period", "close", "2026-11", "--override", "drafts=estimate", "--yes"
    )
    assert code == 0 and "closed 2026-11" in err
    code, out, _ = bo("finance", "period", "limits", "-f", "json")
    assert json.loads(out)[0]["books_start"] == "2026-10"
    staff("omar")
    code, _, err = bo("finance", "journal", "add", "-d", "2019-06-15", "-l", "1110:1:",
                      "-l", "3100::1", "--post", "--yes")  # fmt: skip
    assert code == ExitCode.ERROR and "books start in 2026-10" in err
    code, out, _ = bo("finance", "period", "list", "--year", "2026", "-f", "json")
    assert json.loads(out)[8]["status"] == "closed" and json.loads(out)[8]["before_books"]
    staff("layla")
    code, _, err = bo("finance", "period", "limits", "--books-start", "2019-01")
    assert code == ExitCode.PERMISSION and "admin" in err
    code, out, _ = bo("finance", "period", "limits", "--future-days", "90", "-f", "json")
    assert code == 0 and json.loads(out)[0]["future_days"] == 90


@pytest.mark.both_stores
def test_fiscal_year_and_year_close(bo: Bo, staff: Callable[[str], None]) -> None:  # noqa: F811
    staff("omar")
    args = ["finance", "journal", "add", "-d", "2025-12-05", "-l", "1110:100:", "-l", "4100::100"]
    assert bo(*args, "--post", "--yes")[0] == 0
    code, out, _ = bo("finance", "period", "fiscal-year", "-f", "json")
    assert code == 0 and json.loads(out)[0]["start_month"] == 1
    code, _, err = bo("finance", "period", "fiscal-year", "--start-month", "7")
    assert code == ExitCode.PERMISSION
    staff("layla")
    code, _, err = bo("finance", "period", "close-year", "2025", "--yes")
    assert code == 0 and "closed fiscal year 2025" in err
    code, out, _ = bo("finance", "report", "trial-balance", "--as-of", "2026-01-31", "-f", "json")
    rows = {r["code"]: r for r in json.loads(out)}
    assert "4100" not in rows and rows["3300"]["credit"] in ("100.00", 100, "100")
    code, out, _ = bo("finance", "journal", "list", "-f", "json")
    assert any(r.get("source") == "closing" for r in json.loads(out))
