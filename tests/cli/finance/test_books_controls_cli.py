"""`bo finance period limits|checklist|close --override` (F1, F5)."""

from __future__ import annotations

import json
from collections.abc import Callable

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
