"""`bo finance note` and `bo finance writeoff`: credit and debit notes on part of a document,
their application and refund, write-offs; exit codes, streams, formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from bo_console.core.security import Actor
from tests.cli.conftest import Bo

TEMPLATE = Path(__file__).resolve().parents[3] / "data" / "finance-parties-template.csv"


def ok(bo: Bo, *args: str) -> str:
    code, out, err = bo(*args)
    assert code == 0, err
    return out


@pytest.fixture
def books(
    bo: Bo, store: Store, make_user: Callable[..., Actor], as_os_user: Callable[[str], None]
) -> Callable[[str], None]:
    """INV-2026-00001 (C0101, 10 x 45.50 + VAT = 523.25) paid in full, INV-2026-00002 open,
    posted by omar (clerk); layla is a finance manager, aisha an auditor."""
    make_user("omar", "finance-clerk")
    make_user("layla", "finance-manager")
    make_user("aisha", "auditor")
    as_os_user("omar")
    ok(bo, "finance", "parties", "import", str(TEMPLATE))
    for day in ("2026-03-10", "2026-04-10"):
        ok(
            bo, "finance", "invoices", "add", "-p", "C0101", "-d", day,
            "-l", "Nitrile gloves|10|45.50|S15", "--post", "--yes",
        )  # fmt: skip
    ok(
        bo, "finance", "payments", "receive", "-p", "C0101", "-d", "2026-03-20",
        "--amount", "523.25", "--apply", "INV-2026-00001", "--yes",
    )  # fmt: skip
    return as_os_user


def test_a_credit_note_on_a_paid_invoice_then_applied_to_the_next(
    bo: Bo, books: Callable[[str], None]
) -> None:
    code, out, err = bo(
        "finance", "note", "credit", "INV-2026-00001", "-l", "1|2", "-d", "2026-03-25",
        "--reason", "2 boxes returned", "--yes",
    )  # fmt: skip
    assert code == 0 and out.strip() == "CRN-2026-00001"
    assert "104.65 on account" in err
    shown = json.loads(ok(bo, "finance", "note", "show", "CRN-2026-00001", "-f", "json"))
    assert shown["original"] == "INV-2026-00001" and shown["total"] == "104.65"
    assert shown["lines"][0]["quantity"] == "2" and shown["left"] == "104.65"
    ok(
        bo, "finance", "note", "apply", "CRN-2026-00001", "INV-2026-00002", "-d", "2026-04-10",
        "--yes",
    )  # fmt: skip
    listed = json.loads(ok(bo, "finance", "note", "list", "-f", "json"))
    assert [(r["number"], r["left"]) for r in listed] == [("CRN-2026-00001", "0.00")]
    invoice = json.loads(ok(bo, "finance", "invoices", "show", "INV-2026-00002", "-f", "json"))
    assert (invoice["status"], invoice["open"]) == ("partly_paid", "418.60")


def test_refusals_and_their_exit_codes(bo: Bo, books: Callable[[str], None]) -> None:
    code, _, err = bo("finance", "note", "credit", "INV-2026-00001", "-l", "1|11", "--yes")
    assert code == ExitCode.ERROR and "only 10 of line 1 is left" in err
    code, _, err = bo("finance", "note", "credit", "INV-2026-00001", "-l", "one", "--yes")
    assert code == ExitCode.ERROR and "LINE|QUANTITY" in err
    code, _, err = bo("finance", "note", "credit", "INV-2026-00001", "--yes")
    assert code == ExitCode.USAGE
    code, _, err = bo("finance", "note", "credit", "INV-2026-00001", "-l", "1|1")
    assert code == ExitCode.USAGE and "--yes" in err  # no terminal, no prompt
    code, _, err = bo("finance", "note", "show", "CRN-2026-00009")
    assert code == ExitCode.ERROR and "no credit or debit note" in err
    books("aisha")
    code, _, err = bo("finance", "note", "credit", "INV-2026-00001", "-l", "1|1", "--yes")
    assert code == ExitCode.PERMISSION
    books("omar")
    code, _, err = bo("finance", "writeoff", "add", "INV-2026-00002", "--yes")
    assert code == ExitCode.PERMISSION


def test_debit_note_settled_and_a_bad_debt_written_off(
    bo: Bo, books: Callable[[str], None]
) -> None:
    out = ok(
        bo, "finance", "note", "debit", "INV-2026-00001", "-l", "1|0|10.00", "-d", "2026-03-26",
        "--yes",
    )  # fmt: skip
    assert out.strip() == "DRN-2026-00001"
    ok(bo, "finance", "note", "settle", "DRN-2026-00001", "-d", "2026-03-27", "--yes")
    books("layla")
    code, _, err = bo("finance", "writeoff", "add", "INV-2026-00002", "-d", "2026-04-30", "--yes")
    assert code == ExitCode.ERROR and "twelve months" in err
    out = ok(
        bo, "finance", "writeoff", "add", "INV-2026-00002", "-d", "2026-04-30", "--insolvent",
        "--reason", "bankrupt", "--yes",
    )  # fmt: skip
    assert out.strip() == "WO-2026-00001"
    rows = json.loads(ok(bo, "finance", "writeoff", "list", "-f", "json"))
    assert (rows[0]["amount"], rows[0]["vat_relief"]) == ("523.25", "68.25")
    books("boadmin")
    code, out, _ = bo("db", "check", "--format", "csv")
    assert code == 0, out
