"""`bo finance vat`: the return in ZATCA's boxes as JSON, the filing setting, filing a
return and listing the filed ones."""

from __future__ import annotations

import json

import pytest

from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo
from tests.cli.finance.test_report_cli import books, ok

__all__ = ["books"]


def _boxes(bo: Bo, period: str) -> dict[int, dict[str, str | None]]:
    rows = json.loads(ok(bo, "finance", "vat", "return", "--period", period, "-f", "json"))
    return {int(r["box"]): r for r in rows}


def test_the_return_in_boxes_as_json(books: Bo) -> None:
    # March 2026: an invoice of 455.00 (68.25 VAT) and a bill of 1,000.00 (150.00 VAT).
    boxes = _boxes(books, "2026-03")
    assert sorted(boxes) == list(range(1, 17))
    assert (boxes[1]["amount"], boxes[1]["vat"]) == ("455.00", "68.25")
    assert (boxes[7]["amount"], boxes[7]["vat"]) == ("1000.00", "150.00")
    assert boxes[13]["vat"] == boxes[16]["vat"] == "-81.75"
    assert boxes[16]["label"] == "Net VAT due (or claimed)"


@pytest.mark.both_stores
def test_quarterly_filing_then_file_and_list(books: Bo) -> None:
    ok(books, "finance", "vat", "filing", "quarterly")
    assert ok(books, "finance", "vat", "filing").strip() == "quarterly"
    code, _, err = books("finance", "vat", "return", "--period", "2026-03")
    assert code == ExitCode.ERROR and "give a quarter like 2026-Q1" in err
    assert "Traceback" not in err
    code, _, err = books("finance", "vat", "file", "--period", "2026-Q1")
    assert code == ExitCode.USAGE and "refusing without --yes" in err
    ok(books, "finance", "vat", "file", "--period", "2026-Q1", "--yes")
    filed = json.loads(ok(books, "finance", "vat", "list", "-f", "json"))
    assert [(f["period"], f["net_due"]) for f in filed] == [("2026-Q1", "-81.75")]
    code, _, err = books("finance", "vat", "file", "--period", "2026-Q1", "--yes")
    assert code == ExitCode.ERROR and "already filed" in err
    # The credit of 81.75 is brought forward into Q2.
    assert _boxes(books, "2026-Q2")[15]["vat"] == "81.75"
