"""`bo finance` as clerks, managers, auditors and cron use it: exit codes, streams, formats."""

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

TEMPLATES = Path(__file__).resolve().parents[3] / "data"


@pytest.fixture
def staff(
    store: Store, make_user: Callable[..., Actor], as_os_user: Callable[[str], None]
) -> Callable[[str], None]:
    """omar (clerk), layla (manager), aisha (auditor), sara (HR manager); returns a switch."""
    make_user("omar", "finance-clerk")
    make_user("layla", "finance-manager")
    make_user("aisha", "auditor")
    make_user("sara", "hr-manager")
    return as_os_user


def _post(bo: Bo, day: str, *lines: str, memo: str = "test") -> str:
    args = ["finance", "journal", "add", "--date", day, "--memo", memo, "--post", "--yes"]
    for line in lines:
        args += ["--line", line]
    code, out, err = bo(*args)
    assert code == 0, err
    return out.strip()


@pytest.fixture
def books(bo: Bo, staff: Callable[[str], None]) -> Bo:
    """Capital, a sale with VAT and rent, posted by the clerk."""
    staff("omar")
    _post(bo, "2026-01-05", "1110:500000:", "3100::500000", memo="capital")
    _post(bo, "2026-01-20", "1110:1150:", "4100::1150", memo="cash sale")  # no VAT line: 2210 is
    # a VAT account, which a manual entry posts to only with a tax code
    _post(bo, "2026-02-01", "6200:12000::Feb rent", "1110::12000", memo="rent")
    return bo


@pytest.mark.both_stores
def test_add_draft_then_post(bo: Bo, staff: Callable[[str], None]) -> None:
    staff("omar")
    code, out, err = bo(
        "finance", "journal", "add", "-d", "2026-03-01", "-m", "supplies",
        "-l", "6230:450.5:", "-l", "1150::450.50",
    )  # fmt: skip
    assert code == 0 and out.strip() == "draft #1" and "bo finance journal post 1" in err
    code, _, err = bo("finance", "journal", "post", "1")
    assert code == ExitCode.USAGE and "--yes" in err  # no terminal to ask
    code, out, _ = bo("finance", "journal", "post", "1", "--yes")
    assert code == 0 and out.strip() == "2026-000001"
    code, out, _ = bo("finance", "journal", "show", "2026-000001", "--format", "json")
    data = json.loads(out)
    assert data["state"] == "posted" and data["total"] == "450.50"
    assert [(x["code"], x["debit"], x["credit"]) for x in data["lines"]] == [
        ("6230", "450.50", "0.00"),
        ("1150", "0.00", "450.50"),
    ]


def test_entry_lines_from_a_csv(bo: Bo, staff: Callable[[str], None]) -> None:
    code, _, err = bo("finance", "cost-centres", "add", "ADMIN", "Administration")
    assert code == 0, err
    staff("omar")
    code, out, err = bo(
        "finance", "journal", "add", "-d", "2026-03-01", "-m", "petty cash",
        "--csv", str(TEMPLATES / "finance-entry-lines-template.csv"), "--post", "--yes",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = bo("finance", "journal", "show", out.strip(), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["code"], r["cost_centre"], r["tax_code"]) for r in rows] == [
        ("6230", "ADMIN", "P15"),
        ("1430", "", "P15"),
        ("1150", "", ""),
    ]


@pytest.mark.parametrize(
    ("lines", "code", "message"),
    [
        (["1110:100:", "4100::99"], ExitCode.ERROR, "do not equal credits"),
        (["1110:100", "4100::100"], ExitCode.ERROR, "ACCOUNT:DEBIT:CREDIT"),
        (["1110:1.005:", "4100::1.005"], ExitCode.ERROR, "more than 2 decimals"),
        (["1110:100:100", "4100::100"], ExitCode.ERROR, "one of them"),
        (["9999:100:", "4100::100"], ExitCode.ERROR, "no account '9999'"),
        (["1000:100:", "4100::100"], ExitCode.ERROR, "group account"),
    ],
)
def test_bad_entries_exit_with_one_line(
    bo: Bo, staff: Callable[[str], None], lines: list[str], code: int, message: str
) -> None:
    staff("omar")
    args = ["finance", "journal", "add", "-d", "2026-03-01", "--post", "--yes"]
    for line in lines:
        args += ["-l", line]
    got, out, err = bo(*args)
    assert got == code and message in err and out == "" and "Traceback" not in err


def test_bad_dates_are_invalid_input(books: Bo) -> None:
    code, _, err = books("finance", "report", "trial-balance", "--as-of", "yesterday-ish")
    assert code == ExitCode.ERROR and err.startswith("bo: invalid input: --as-of: ")


def test_trial_balance_formats(books: Bo, staff: Callable[[str], None], tmp_path: Path) -> None:
    staff("aisha")
    code, out, err = books(
        "finance", "report", "trial-balance", "--as-of", "2026-01-31", "-f", "json"
    )
    assert code == 0 and err == ""
    rows = json.loads(out)
    by_code = {r["code"]: r for r in rows}
    assert by_code["1110"] == {
        "code": "1110",
        "account": "Assets:Cash and banks:Al Rajhi Bank current account",
        "type": "asset",
        "debit": "501150.00",
        "credit": "0.00",
        "balance": "501150.00",
    }
    assert sum(float(r["balance"]) for r in rows) == 0
    code, out, _ = books("finance", "report", "trial-balance", "--as-of", "2026-01-31", "-f", "csv")
    assert out.splitlines()[0] == "code,account,type,debit,credit,balance"
    code, out, _ = books("finance", "report", "trial-balance", "--as-of", "2026-02-28")
    assert "Total (SAR, as of 2026-02-28)" in out and "501,150.00  501,150.00" in out
    code, _, err = books("finance", "report", "trial-balance", "-f", "xlsx")
    assert code == ExitCode.USAGE and "-o" in err
    target = tmp_path / "tb.xlsx"
    code, _, err = books(
        "finance",
        "report",
        "trial-balance",
        "--as-of",
        "2026-02-28",
        "-f",
        "xlsx",
        "-o",
        str(target),
    )
    assert code == 0 and target.read_bytes()[:2] == b"PK"


def test_statements(books: Bo) -> None:
    code, out, _ = books(
        "finance", "report", "income-statement", "--from", "2026-02-01", "--to", "2026-02-28",
        "--compare", "-f", "json",
    )  # fmt: skip
    assert code == 0
    rows = {r["account"]: r for r in json.loads(out)}
    assert (
        rows["Net income"]["amount"] == "-12000.00" and rows["Net income"]["previous"] == "1150.00"
    )
    code, out, _ = books(
        "finance", "report", "balance-sheet", "--as-of", "2026-02-28", "-f", "json"
    )
    sheet = {r["account"]: r["amount"] for r in json.loads(out)}
    assert sheet["Total assets"] == sheet["Liabilities and equity"] == "489150.00"
    assert sheet["Current-year earnings"] == "-10850.00"
    code, out, _ = books(
        "finance", "report", "general-ledger", "1110", "--from", "2026-01-06", "--to", "2026-12-31",
        "-f", "csv",
    )  # fmt: skip
    ledger = list(csv.DictReader(io.StringIO(out)))
    assert [(r["kind"], r["balance"]) for r in ledger] == [
        ("opening", "500000.00"),
        ("posting", "501150.00"),
        ("posting", "489150.00"),
        ("closing", "489150.00"),
    ]


@pytest.mark.both_stores
def test_reverse(books: Bo) -> None:
    code, out, err = books("finance", "journal", "reverse", "2026-000003", "--yes")
    assert code == 0 and out.strip() == "2026-000004" and "reversed 2026-000003" in err
    code, _, err = books("finance", "journal", "reverse", "2026-000003", "--yes")
    assert code == ExitCode.ERROR and "already reversed by 2026-000004" in err
    code, out, _ = books("finance", "journal", "list", "--state", "reversed", "-f", "json")
    assert [r["number"] for r in json.loads(out)] == ["2026-000003"]
    assert books("finance", "journal", "show", "2026-999999")[0] == ExitCode.ERROR


@pytest.mark.both_stores
def test_journal_list_by_group_account_matches_the_screen(books: Bo, store: Store) -> None:
    """``--account`` on a group lists what the journal tab's account filter shows: every entry
    touching an account under it (1100 holds 1110 and 1150)."""
    from bo_console.finance.journal import JournalFilter, entry_number_text, journal_select

    code, out, err = books("finance", "journal", "list", "--account", "1100", "-f", "json")
    assert code == 0, err
    listed = sorted(r["number"] for r in json.loads(out))
    assert listed == ["2026-000001", "2026-000002", "2026-000003"]
    with store.read() as session:
        rows = session.execute(journal_select(session, JournalFilter(account="1100"))).all()
    assert sorted(entry_number_text(int(r.number)) for r in rows) == listed
    code, out, _ = books("finance", "journal", "list", "--account", "6200", "-f", "json")
    assert [r["number"] for r in json.loads(out)] == ["2026-000003"]


def test_periods_by_role(books: Bo, staff: Callable[[str], None]) -> None:
    code, _, err = books("finance", "period", "close", "2026-01", "--yes")
    assert code == ExitCode.PERMISSION and "finance.manage" in err
    staff("layla")
    code, _, err = books("finance", "period", "close", "2026-01", "--yes")
    assert code == 0 and "closed 2026-01" in err
    code, out, _ = books("finance", "period", "list", "--year", "2026", "-f", "json")
    january = json.loads(out)[0]
    assert january["status"] == "closed" and january["posted"] == 2
    staff("omar")
    code, _, err = books(
        "finance", "journal", "add", "-d", "2026-01-31", "-l", "1110:1:", "-l", "4100::1"
    )
    assert code == ExitCode.ERROR and "2026-01 is closed" in err
    staff("layla")
    code, _, err = books("finance", "period", "reopen", "2026-01", "--yes")
    assert code == ExitCode.PERMISSION and "admin" in err
    staff("boadmin")
    code, _, err = books("finance", "period", "reopen", "2026-01", "--reason", "audit fix", "--yes")
    assert code == 0 and "reopened 2026-01" in err


def test_auditor_reads_but_cannot_post(books: Bo, staff: Callable[[str], None]) -> None:
    staff("aisha")
    assert books("finance", "journal", "list")[0] == 0
    code, out, err = books("finance", "journal", "add", "-d", "t", "-l", "1110:1:", "-l", "4100::1")
    assert code == ExitCode.PERMISSION and out == ""
    staff("sara")
    code, _, err = books("finance", "report", "trial-balance")
    assert code == ExitCode.PERMISSION and "finance.read" in err


def test_accounts_commands(bo: Bo, staff: Callable[[str], None]) -> None:
    staff("layla")
    code, out, _ = bo("finance", "accounts", "list", "--type", "liability", "-f", "json")
    assert {r["type"] for r in json.loads(out)} == {"liability"}
    code, _, err = bo(
        "finance", "accounts", "add", "1160", "Riyad Bank", "--type", "asset", "--parent", "1100"
    )
    assert code == 0 and "added account 1160" in err
    code, _, err = bo("finance", "accounts", "add", "1161", "Bad: name", "--type", "asset")
    assert code == ExitCode.ERROR and "name" in err
    code, out, _ = bo("finance", "accounts", "show", "1100", "-f", "json")
    assert json.loads(out)[0]["balance"] == "0.00"
    _post(bo, "2026-01-05", "1160:100:", "3100::100")
    code, _, err = bo("finance", "accounts", "delete", "1160", "--yes")
    assert code == ExitCode.ERROR and "deactivate it instead" in err
    code, _, err = bo("finance", "accounts", "deactivate", "1160")
    assert code == ExitCode.ERROR and "has a balance of 100.00" in err
    assert bo("finance", "accounts", "deactivate", "6510")[0] == 0
    code, out, _ = bo("finance", "accounts", "list", "--search", "amortisation", "-f", "csv")
    assert "6510,Amortisation,expense,6000,yes,no" in out


def test_import_and_export(bo: Bo, staff: Callable[[str], None], tmp_path: Path) -> None:
    staff("omar")
    template = str(TEMPLATES / "finance-journal-template.csv")
    code, _, err = bo("finance", "import", "journal", template, "--dry-run")
    assert code == 0 and "nothing written" in err
    code, _, err = bo("finance", "import", "journal", template)
    assert code == 0 and "imported 3 entries, 7 lines" in err
    code, _, err = bo("finance", "journal", "import", template)
    assert code == 0 and "same entries" in err and "--force" in err  # already done
    assert bo("finance", "journal", "import", template, "--force")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "entry,date,account,debit,credit\n1,2026-01-05,1110,10,\n1,2026-01-05,4100,,9\n"
        "2,2026-01-06,1110,abc,\n"
    )
    code, out, err = bo("finance", "import", "journal", str(bad))
    assert code == ExitCode.ERROR and out == ""
    assert "row 2, column debit: entry '1': debits 10.00 do not equal credits 9.00" in err
    assert "row 4, column debit: 'abc' is not an amount" in err
    code, out, _ = bo("finance", "export", "journal")
    assert code == 0 and "2026-01-06 * (2026-000002) Cash sale" in out
    assert "account Assets:Cash and banks:Cash on hand  ; type: A" in out
    target = tmp_path / "out.csv"
    code, _, err = bo(
        "finance", "journal", "export", "-f", "csv", "-o", str(target), "--to", "2026-01-05"
    )
    assert code == 0 and "wrote 2 entries" in err
    assert (
        target.read_text().splitlines()[0]
        == "entry,date,description,account,debit,credit,memo,cost_centre,tax_code"
    )


def test_the_journal_export_takes_its_format_from_the_file_name(books: Bo, tmp_path: Path) -> None:
    as_csv, as_journal = tmp_path / "books.csv", tmp_path / "books.journal"
    assert books("finance", "journal", "export", "-o", str(as_csv))[0] == 0
    assert as_csv.read_text().startswith("entry,date,description,account,debit,credit")
    assert books("finance", "journal", "export", "-o", str(as_journal))[0] == 0
    assert not as_journal.read_text().startswith("entry,")
    refused = {
        ("-o", "books.xlsx"): "not .xlsx",
        ("-f", "csv", "-o", "books.json"): "not .json",
        ("-f", "hledger", "-o", "other.csv"): "--format hledger does not match other.csv",
    }
    for (*flags, name), words in refused.items():
        code, _, err = books("finance", "journal", "export", *flags, str(tmp_path / name))
        assert code == ExitCode.USAGE and words in err, err
        assert not (tmp_path / name).exists()


def test_an_absurdly_large_amount_is_refused_not_crashed_on(books: Bo) -> None:
    before = books("finance", "report", "trial-balance", "--as-of", "2026-12-31", "-f", "json")
    for amount in ("99999999999999999999999", "92233720368547758.07"):
        code, _, err = books(
            "finance", "journal", "add", "-d", "2026-03-01", "-l", f"6200:{amount}:",
            "-l", f"1110::{amount}", "--post", "--yes",
        )  # fmt: skip
        assert code == ExitCode.ERROR, err
        assert "internal error" not in err and "too large" in err
    after = books("finance", "report", "trial-balance", "--as-of", "2026-12-31", "-f", "json")
    assert after == before
