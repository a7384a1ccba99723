"""`bo finance parties|invoices|bills|payments|tax-codes` and the VAT and aged reports, as
clerks, managers, auditors and cron use them: exit codes, streams, formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from bo_console.core.security import Actor
from tests.cli.conftest import Bo
from tests.conftest import SeedOnce

TEMPLATE = Path(__file__).resolve().parents[3] / "data" / "finance-parties-template.csv"


@pytest.fixture
def staff(
    store: Store,
    make_user: Callable[..., Actor],
    as_os_user: Callable[[str], None],
    seed_once: SeedOnce,
) -> Callable[[str], None]:
    """omar (clerk), layla (manager), aisha (auditor); returns a switch."""

    def seed() -> None:
        make_user("omar", "finance-clerk")
        make_user("layla", "finance-manager")
        make_user("aisha", "auditor")

    seed_once("cli/finance/documents:staff", seed)
    return as_os_user


def ok(bo: Bo, *args: str) -> str:
    code, out, err = bo(*args)
    assert code == 0, err
    return out


@pytest.fixture
def books(bo: Bo, staff: Callable[[str], None], seed_once: SeedOnce) -> Bo:
    """The template's parties; INV-2026-00001 (C0101, 2026-03-10, 523.25 incl. 68.25 VAT)
    and BILL-2026-00001 (S0201, 2026-03-12, 1150.00 incl. 150.00 VAT), posted by the clerk."""
    staff("omar")
    seed_once("cli/finance/documents:books", lambda: _seed_books(bo))
    return bo


def _seed_books(bo: Bo) -> None:
    ok(bo, "finance", "parties", "import", str(TEMPLATE))
    ok(
        bo, "finance", "invoices", "add", "-p", "C0101", "-d", "2026-03-10",
        "-l", "Nitrile gloves|10|45.50|S15", "--post", "--yes",
    )  # fmt: skip
    ok(
        bo, "finance", "bills", "add", "-p", "S0201", "-d", "2026-03-12", "--ref", "GP-1",
        "-l", "Boxes|100|10|S15|1310", "--post", "--yes",
    )  # fmt: skip


def test_parties_add_list_show_and_export(bo: Bo, staff: Callable[[str], None]) -> None:
    staff("omar")
    code, out, err = bo(
        "finance", "parties", "add", "Red Sea Hotels", "--name-ar", "فنادق البحر الأحمر",
        "--tax-number", "300337461200003", "--terms", "45",
    )  # fmt: skip
    assert code == 0 and out.strip() == "P00001" and "added party P00001" in err
    code, out, err = bo("finance", "parties", "add", "Nobody", "--role", "vendor")
    assert code == ExitCode.ERROR and "--role" in err
    code, out, err = bo("finance", "parties", "add", "Bad", "--tax-number", "123456789012345")
    assert code == ExitCode.ERROR and "starts and ends with 3" in err
    listed = json.loads(ok(bo, "finance", "parties", "list", "-f", "json"))
    assert listed == [
        {
            "code": "P00001",
            "name": "Red Sea Hotels",
            "role": "customer",
            "tax_number": "300337461200003",
            "payment_terms": 45,
            "receivable": "0.00",
            "payable": "0.00",
            "active": True,
            "name_ar": "فنادق البحر الأحمر",
        }
    ]
    shown = json.loads(ok(bo, "finance", "parties", "show", "البحر الاحمر", "-f", "json"))
    assert shown["code"] == "P00001"
    ok(bo, "finance", "parties", "edit", "P00001", "--email", "ap@redsea.example")
    exported = ok(bo, "finance", "parties", "export")
    assert exported.splitlines()[0].startswith("code,name,name_ar,role,tax_number")
    assert "ap@redsea.example" in exported
    code, _, err = bo("finance", "parties", "export", "--format", "xlsx")
    assert code == ExitCode.USAGE and "-o" in err


def test_a_parties_import_with_problems_names_them_and_writes_nothing(
    bo: Bo, staff: Callable[[str], None], tmp_path: Path
) -> None:
    staff("omar")
    bad = tmp_path / "parties.csv"
    bad.write_text("name,role\nGood,customer\nBad,vendor\n,supplier\n", encoding="utf-8")
    code, _, err = bo("finance", "parties", "import", str(bad))
    assert code == ExitCode.ERROR and "nothing was imported" in err
    assert "row 3, column role" in err and "row 4, column name" in err
    assert ok(bo, "finance", "parties", "list").strip() == "(no rows)"
    code, _, err = bo("finance", "parties", "import", str(TEMPLATE), "--dry-run")
    assert code == 0 and "nothing written" in err
    staff("aisha")
    code, _, err = bo("finance", "parties", "import", str(TEMPLATE))
    assert code == ExitCode.PERMISSION


@pytest.mark.both_stores
def test_an_invoice_from_draft_to_posted(books: Bo) -> None:
    code, out, err = books(
        "finance", "invoices", "add", "-p", "C0102", "-d", "2026-03-15",
        "-l", "Masks|2.5|10|S15", "-l", "Export|1|100|Z", "--due", "2026-04-30",
    )  # fmt: skip
    assert code == 0 and out.strip().startswith("draft #") and "invoices post" in err
    draft = out.strip().removeprefix("draft ")
    code, _, err = books("finance", "invoices", "post", draft)
    assert code == ExitCode.USAGE and "--yes" in err  # no terminal to ask
    assert ok(books, "finance", "invoices", "post", draft, "--yes").strip() == "INV-2026-00002"
    data = json.loads(ok(books, "finance", "invoices", "show", "INV-2026-00002", "-f", "json"))
    assert (data["net"], data["tax"], data["total"], data["due_date"]) == (
        "125.00",
        "3.75",
        "128.75",
        "2026-04-30",
    )
    assert [(x["quantity"], x["unit_price"], x["tax_code"], x["tax"]) for x in data["lines"]] == [
        ("2.5", "10.00", "S15", "3.75"),
        ("1", "100.00", "Z", "0.00"),
    ]
    rows = list(csv.DictReader(io.StringIO(ok(books, "finance", "invoices", "list", "-f", "csv"))))
    assert [(r["number"], r["status"], r["open"]) for r in rows] == [
        ("INV-2026-00002", "posted", "128.75"),
        ("INV-2026-00001", "posted", "523.25"),
    ]
    shown = ok(books, "finance", "invoices", "show", "INV-2026-00001")
    assert "Nitrile gloves" in shown and "523.25" in shown
    code, _, err = books("finance", "invoices", "show", "BILL-2026-00001")
    assert code == ExitCode.ERROR and "no invoice or credit note" in err


@pytest.mark.parametrize(
    ("line", "exit_code", "message"),
    [
        ("Gloves|10|45.50", ExitCode.ERROR, "DESCRIPTION|QUANTITY"),
        ("Gloves|ten|45.50|S15", ExitCode.ERROR, "not a quantity"),
        ("Gloves|1.2345|45.50|S15", ExitCode.ERROR, "three decimals"),
        ("Gloves|1|45.505|S15", ExitCode.ERROR, "decimals"),
        ("Gloves|1|45.50|VAT99", ExitCode.ERROR, "no tax code"),
        ("|1|45.50|S15", ExitCode.ERROR, "description"),
    ],
)
def test_bad_lines_get_one_line_and_an_exit_code(
    books: Bo, line: str, exit_code: ExitCode, message: str
) -> None:
    code, out, err = books("finance", "invoices", "add", "-p", "C0101", "-d", "t", "-l", line)
    assert code == exit_code and message in err and "Traceback" not in err and out == ""


def test_bills_and_voids_by_role(books: Bo, staff: Callable[[str], None]) -> None:
    code, _, err = books("finance", "bills", "void", "BILL-2026-00001", "-d", "2026-03-20", "-y")
    assert code == ExitCode.PERMISSION and "finance.manage" in err
    staff("aisha")
    code, _, err = books(
        "finance", "bills", "add", "-p", "S0201", "-d", "t", "-l", "x|1|1|S15|6240"
    )
    assert code == ExitCode.PERMISSION
    assert "BILL-2026-00001" in ok(books, "finance", "bills", "list")
    staff("layla")
    out = ok(books, "finance", "bills", "void", "BILL-2026-00001", "-d", "2026-03-20", "-y")
    assert out.strip() == "SCN-2026-00001"
    rows = json.loads(ok(books, "finance", "bills", "list", "-f", "json"))
    assert {(r["number"], r["status"]) for r in rows} == {
        ("BILL-2026-00001", "void"),
        ("SCN-2026-00001", "posted"),
    }


@pytest.mark.both_stores
def test_payments_receive_allocate_show_and_void(books: Bo, staff: Callable[[str], None]) -> None:
    code, out, err = books(
        "finance", "payments", "receive", "-p", "C0101", "--amount", "600", "-d", "2026-03-20",
        "--apply", "INV-2026-00001=100.00", "--yes",
    )  # fmt: skip
    assert code == 0 and out.strip() == "RCPT-2026-00001" and "500.00 on account" in err
    ok(books, "finance", "payments", "allocate", "RCPT-2026-00001", "--auto", "-d", "2026-03-21")
    data = json.loads(ok(books, "finance", "payments", "show", "RCPT-2026-00001", "-f", "json"))
    assert (data["amount"], data["allocated"], data["unallocated"]) == (
        "600.00",
        "523.25",
        "76.75",
    )
    assert [(a["document"], a["amount"], a["date"]) for a in data["allocations"]] == [
        ("INV-2026-00001", "100.00", "2026-03-20"),
        ("INV-2026-00001", "423.25", "2026-03-21"),
    ]
    invoice = json.loads(ok(books, "finance", "invoices", "show", "INV-2026-00001", "-f", "json"))
    assert invoice["status"] == "paid"
    code, _, err = books(
        "finance", "payments", "pay", "-p", "S0201", "--amount", "2000", "-d", "2026-03-25",
        "--apply", "BILL-2026-00001=1500", "--yes",
    )  # fmt: skip
    assert code == ExitCode.ERROR and "owes less" in err
    out = ok(
        books, "finance", "payments", "pay", "-p", "S0201", "--amount", "1150", "-d",
        "2026-03-25", "--apply", "BILL-2026-00001", "--account", "1120", "--yes",
    )  # fmt: skip
    assert out.strip() == "PAY-2026-00001"
    rows = list(csv.DictReader(io.StringIO(ok(books, "finance", "payments", "list", "-f", "csv"))))
    assert [(r["number"], r["account"], r["unallocated"]) for r in rows] == [
        ("PAY-2026-00001", "1120", "0.00"),
        ("RCPT-2026-00001", "1110", "76.75"),
    ]
    code, _, _ = books("finance", "payments", "void", "PAY-2026-00001", "-d", "2026-03-26", "-y")
    assert code == ExitCode.PERMISSION
    staff("layla")
    ok(books, "finance", "payments", "void", "PAY-2026-00001", "-d", "2026-03-26", "-y")
    bill = json.loads(ok(books, "finance", "bills", "show", "BILL-2026-00001", "-f", "json"))
    assert (bill["status"], bill["paid"]) == ("posted", "0.00")


def test_the_vat_return_in_every_format(books: Bo, tmp_path: Path) -> None:
    table = ok(books, "finance", "report", "vat-return", "--period", "2026-03")
    assert "Net VAT payable" in table
    rows = json.loads(
        ok(books, "finance", "report", "vat-return", "--period", "2026-03", "-f", "json")
    )
    totals = {r["name"]: r["tax"] for r in rows if r["section"] in ("total", "ledger")}
    assert totals == {
        "Output tax": "68.25",
        "Input tax": "150.00",
        "Net VAT payable": "-81.75",
        "VAT output account movement": "68.25",
        "VAT input account movement": "150.00",
    }
    assert [(r["section"], r["tax_code"], r["net"]) for r in rows[:2]] == [
        ("purchases", "S15", "1000.00"),
        ("sales", "S15", "455.00"),
    ]
    code, _, err = books("finance", "report", "vat-return", "--period", "2026-03", "-f", "xlsx")
    assert code == ExitCode.USAGE and "-o" in err
    target = tmp_path / "vat.xlsx"
    ok(
        books,
        "finance",
        "report",
        "vat-return",
        "--period",
        "2026-03",
        "-f",
        "xlsx",
        "-o",
        str(target),
    )
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["section", "tax_code", "name", "rate", "net", "tax"]
    assert values[1][-1] == 150
    code, _, err = books("finance", "report", "vat-return", "--period", "March")
    assert code == ExitCode.ERROR and "YYYY-MM" in err


def test_aged_reports(books: Bo) -> None:
    rows = json.loads(
        ok(books, "finance", "report", "aged-receivables", "--as-of", "2026-05-15", "-f", "json")
    )
    assert rows == [
        {
            "party": "C0101",
            "party_name": "Al Safa Hospital",
            "current": "0.00",
            "d1_30": "0.00",
            "d31_60": "523.25",
            "d61_90": "0.00",
            "d90_plus": "0.00",
            "total": "523.25",
            "on_account": "0.00",
            "balance": "523.25",
        },
        {
            "party": "",
            "party_name": "Total",
            "current": "0.00",
            "d1_30": "0.00",
            "d31_60": "523.25",
            "d61_90": "0.00",
            "d90_plus": "0.00",
            "total": "523.25",
            "on_account": "0.00",
            "balance": "523.25",
        },
    ]  # due 2026-04-09: 36 days past due
    detail = list(
        csv.DictReader(
            io.StringIO(
                ok(
                    books,
                    "finance",
                    "report",
                    "aged-payables",
                    "--as-of",
                    "2026-05-11",
                    "--detail",
                    "-f",
                    "csv",
                )  # fmt: skip
            )
        )
    )
    assert [(r["document"], r["days_overdue"], r["current"]) for r in detail] == [
        ("BILL-2026-00001", "0", "1150.00"),  # due 2026-05-11 (60 days' terms)
        ("", "", "1150.00"),
    ]
    code, _, err = books("finance", "report", "aged-receivables", "--as-of", "someday")
    assert code == ExitCode.ERROR and "--as-of" in err


def test_tax_codes(books: Bo, staff: Callable[[str], None]) -> None:
    rows = json.loads(ok(books, "finance", "tax-codes", "list", "-f", "json"))
    assert [(r["code"], r["rate"], r["output_account"], r["treatment"]) for r in rows] == [
        ("E", "0.00", "", "domestic"),
        ("IMP15", "15.00", "2210", "import"),
        ("RC15", "15.00", "2210", "reverse_charge"),
        ("S15", "15.00", "2210", "domestic"),
        ("Z", "0.00", "", "domestic"),
        ("ZX", "0.00", "", "export"),
    ]
    code, _, _ = books("finance", "tax-codes", "add", "R5", "Reduced 5%", "--category", "reduced")
    assert code == ExitCode.PERMISSION
    staff("layla")
    code, _, err = books(
        "finance", "tax-codes", "add", "R5", "Reduced 5%", "--category", "reduced", "--rate", "5"
    )
    assert code == ExitCode.ERROR and "output VAT account" in err
    ok(
        books, "finance", "tax-codes", "add", "R5", "Reduced 5%", "--category", "reduced",
        "--rate", "5", "--output-account", "2210", "--input-account", "1430",
    )  # fmt: skip
    staff("omar")
    ok(
        books,
        "finance",
        "invoices",
        "add",
        "-p",
        "C0101",
        "-d",
        "2026-03-11",
        "-l",
        "x|1|100|r5",
        "--post",
        "-y",
    )
    data = json.loads(ok(books, "finance", "invoices", "show", "INV-2026-00002", "-f", "json"))
    assert (data["tax"], data["lines"][0]["tax_code"]) == ("5.00", "R5")


def _ledger_unchanged(bo: Bo) -> str:
    return ok(bo, "finance", "report", "trial-balance", "--as-of", "2026-12-31", "-f", "json")


def test_a_due_date_before_the_document_date_is_refused_in_one_line(books: Bo) -> None:
    before = ok(bo := books, "finance", "invoices", "list", "-f", "json")
    code, out, err = bo(
        "finance", "invoices", "add", "-p", "C0101", "-d", "2026-03-20", "--due", "2026-03-01",
        "-l", "Gloves|1|10|S15", "--yes",
    )  # fmt: skip
    assert code == ExitCode.ERROR, err
    assert "due date" in err and "Traceback" not in err and "pydantic" not in err
    assert err.strip().startswith("bo: invalid input")
    assert ok(bo, "finance", "invoices", "list", "-f", "json") == before


@pytest.mark.parametrize(
    "args",
    [
        ("invoices", "add", "-p", "C0101", "-d", "2026-03-20",
         "-l", "Gloves|1000000|10000000000000|S15", "--post", "--yes"),
        ("payments", "receive", "-p", "C0101", "-d", "2026-03-20",
         "--amount", "99999999999999999999999", "--yes"),
    ],
)  # fmt: skip
def test_absurdly_large_amounts_are_refused_not_crashed_on(books: Bo, args: tuple[str]) -> None:
    before = _ledger_unchanged(books)
    code, _, err = books("finance", *args)
    assert code == ExitCode.ERROR, err
    assert "internal error" not in err and "too large" in err
    assert _ledger_unchanged(books) == before
