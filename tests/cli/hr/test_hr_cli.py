"""`bo hr` as people and cron use it: exit codes, streams, formats, and what each role sees."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo
from tests.unit.hr.factories import Staff, add_employee, iban

SECRETS = ("13579", "2468", iban(7), "1099887766", "1977-03-21")


@pytest.fixture
def hired(bo: Bo, staff: Staff) -> str:
    """One employee with confidential values, added through the CLI as the HR manager."""
    code, out, err = bo(
        "hr", "employees", "add",
        "--name", "Layla Haddad", "--name-ar", "ليلى حداد", "--unit", "fin",
        "--hire-date", "2024-01-01", "--position", "acc", "--salary", "13,579.00",
        "--allowances", "2468", "--iban", iban(7), "--national-id", "1099887766",
        "--birth-date", "1977-03-21", "--email", "layla@example.com",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == "E00001" and "added employee E00001" in err
    return out.strip()


def _clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret} leaked"


def test_add_validates_with_one_line_per_problem(bo: Bo, staff: Staff) -> None:
    code, out, err = bo(
        "hr", "employees", "add", "--name", "X", "--unit", "FIN",
        "--iban", "SA00", "--salary", "12.345", "--birth-date", "soon",
    )  # fmt: skip
    assert code == ExitCode.ERROR and out == ""
    assert "iban:" in err and "base_salary:" in err and "birth_date:" in err
    assert "hire_date: required (--hire-date)" in err and "Traceback" not in err


@pytest.mark.both_stores
def test_list_show_update(
    bo: Bo, staff: Staff, hired: str, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("noura")
    code, out, _ = bo("hr", "employees", "list", "--format", "json")
    assert code == 0
    [row] = json.loads(out)
    assert row["name_ar"] == "ليلى حداد" and row["base_salary"] == "***"
    assert bo("hr", "employees", "update", hired, "--phone", "+966500000001")[0] == 0
    code, _, err = bo("hr", "employees", "update", hired, "--salary", "1")
    assert code == ExitCode.PERMISSION and "hr.confidential" in err
    code, out, _ = bo("hr", "employees", "list", "-s", "ليلي", "-f", "csv")
    assert out.splitlines()[1].startswith("E00001,Layla Haddad")
    code, _, err = bo("hr", "employees", "show", "E404")
    assert code == ExitCode.ERROR and "no employee" in err
    as_os_user("sara")
    code, out, _ = bo("hr", "employees", "show", hired, "-f", "json")
    assert json.loads(out)[0]["base_salary"] == "13579.00"
    assert bo("hr", "employees", "update", hired, "--position", "")[0] == 0
    code, out, _ = bo("hr", "employees", "show", hired, "--masked", "-f", "json")
    card = json.loads(out)[0]
    assert card["iban"] == "***" and card["position"] == "" and card["phone"] == "+966500000001"


COMMANDS_FOR_READERS = [
    ["hr", "employees", "list"],
    ["hr", "employees", "list", "-f", "csv"],
    ["hr", "employees", "list", "-f", "json"],
    ["hr", "employees", "list", "--search", "13579"],
    ["hr", "employees", "list", "--search", iban(7)],
    ["hr", "employees", "show", "E00001"],
    ["hr", "employees", "show", "E00001", "-f", "json"],
    ["hr", "employees", "report", "-f", "csv"],
    ["hr", "payroll", "list"],
    ["hr", "payroll", "list", "-f", "json"],
]
REFUSED_FOR_READERS = [
    ["hr", "employees", "list", "--sort", "salary"],
    ["hr", "employees", "list", "--sort", "salary", "--desc", "--limit", "1"],
    ["hr", "employees", "list", "--min-salary", "10000"],
    ["hr", "employees", "list", "--max-salary", "10000"],
    ["hr", "employees", "list", "--reveal"],
    ["hr", "employees", "report", "--reveal"],
    ["hr", "payroll", "payslips", "1"],
    ["hr", "payroll", "payslips", "1", "-f", "csv"],
    ["hr", "payroll", "lines", "1"],
    ["hr", "payroll", "inputs", "--period", "2026-11"],
]


@pytest.mark.parametrize("login", ["noura", "aisha", "david"])
def test_no_command_shows_a_secret_without_the_permission(
    bo: Bo,
    staff: Staff,
    hired: str,
    store: Store,
    tmp_path: Path,
    login: str,
    as_os_user: Callable[[str], None],
) -> None:
    as_os_user("fahad")
    assert bo("hr", "payroll", "run", "--period", "2026-11")[0] == 0
    as_os_user(login)
    for args in COMMANDS_FOR_READERS:
        code, out, err = bo(*args)
        assert code == 0, (args, err)
        _clean(out + err)
    for args in REFUSED_FOR_READERS:
        code, out, err = bo(*args)
        assert code == ExitCode.PERMISSION, (args, code, err)
        assert out == ""
        _clean(err)
    for fmt in ("csv", "json", "xlsx"):
        target = tmp_path / f"{login}.{fmt}"
        assert bo("hr", "employees", "export", "-o", str(target))[0] == 0
        data = target.read_bytes()
        if fmt == "xlsx":
            from openpyxl import load_workbook

            book = load_workbook(target, read_only=True)
            data = " ".join(
                str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row
            ).encode()
            book.close()
        _clean(data.decode("utf-8"))
        assert b"***" in data
        refused = tmp_path / f"refused.{fmt}"
        assert bo("hr", "employees", "export", "-o", str(refused), "--reveal")[0] == 3
        assert not refused.exists()


def test_import_reports_rows_and_writes_nothing(bo: Bo, staff: Staff, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "name,org_unit,hire_date,iban\nGood,FIN,2024-01-01,\nBad,NOPE,2024-13-01,SA00\n",
        encoding="utf-8",
    )
    code, out, err = bo("hr", "employees", "import", str(path))
    assert code == ExitCode.ERROR and out == ""
    assert "row 3, column org_unit" in err and "row 3, column iban" in err
    assert "row 3, column hire_date" in err and "nothing was imported" in err
    assert json.loads(bo("hr", "employees", "list", "-f", "json")[1]) == []
    path.write_text("name,org_unit,hire_date\nGood,FIN,2024-01-01\n", encoding="utf-8")
    code, _, err = bo("hr", "employees", "import", str(path), "--dry-run")
    assert code == 0 and "dry run" in err
    assert bo("hr", "employees", "import", str(path))[0] == 0
    assert len(json.loads(bo("hr", "employees", "list", "-f", "json")[1])) == 1


@pytest.mark.both_stores
def test_payroll_by_two_people(
    bo: Bo, staff: Staff, hired: str, tmp_path: Path, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("fahad")
    code, out, err = bo("hr", "payroll", "run", "--period", "2026-11", "--dry-run")
    assert code == 0 and "dry run" in err
    assert bo("hr", "payroll", "list", "-f", "json")[1].strip() == "[]"
    code, out, err = bo("hr", "payroll", "run", "--period", "2026-11")
    assert code == 0 and out.strip() == "1" and "approves it" in err
    code, out, err = bo("hr", "payroll", "run", "--period", "2026-11")
    assert code == 0 and out.strip() == "1" and "already has pay run 1" in err
    code, _, err = bo("hr", "payroll", "approve", "1", "--yes")
    assert code == ExitCode.PERMISSION
    code, _, err = bo("hr", "payroll", "run", "--period", "2026-13")
    assert code == ExitCode.ERROR and "YYYY-MM" in err
    as_os_user("sara")
    code, _, err = bo("hr", "payroll", "approve", "1")
    assert code == ExitCode.USAGE and "--yes" in err  # no terminal to ask
    assert bo("hr", "payroll", "approve", "1", "--yes")[0] == 0
    code, _, err = bo("hr", "payroll", "approve", "1", "--yes")
    assert code == 0 and "already approved" in err
    code, out, _ = bo("hr", "payroll", "payslips", "1", "-f", "json")
    [slip] = json.loads(out)
    assert slip["gross"] == "16047.00" and slip["employee"] == hired
    code, out, _ = bo("hr", "payroll", "lines", "1", "-f", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert sum(float(r["debit"]) for r in rows) == pytest.approx(
        sum(float(r["credit"]) for r in rows)
    )
    as_os_user("boadmin")
    code, out, _ = bo("jobs", "list", "-f", "json")
    as_os_user("sara")
    runs = [(r["name"], r["key"], r["user"], r["outcome"]) for r in json.loads(out)]
    assert ("hr.payroll.run", "2026-11", "fahad", "ok") in runs
    assert ("hr.payroll.approve", "1", "sara", "ok") in runs
    assert bo("hr", "payroll", "post", "1", "--yes")[0] == 0
    transfers = tmp_path / "transfers.csv"
    code, _, err = bo("hr", "payroll", "pay", "1", "-o", str(transfers), "--yes")
    assert code == 0, err
    [line] = list(csv.DictReader(transfers.read_text(encoding="utf-8").splitlines()))
    assert (line["employee"], line["iban"], line["currency"]) == (hired, iban(7), "SAR")
    assert line["amount"] == slip["net"]
    again = tmp_path / "again.csv"
    code, _, err = bo("hr", "payroll", "pay", "1", "-o", str(again), "--yes")
    assert code == 0 and "already paid" in err and not again.exists()
    assert bo("hr", "payroll", "transfers", "1", "-o", str(again))[0] == 0
    assert again.read_text(encoding="utf-8") == transfers.read_text(encoding="utf-8")


def test_leave_accrual_is_a_job_once_per_month(bo: Bo, staff: Staff, store: Store) -> None:
    add_employee(store, staff.manager, "One")
    code, _, err = bo("hr", "leave", "accrue", "--period", "2026-11", "--dry-run")
    assert code == 0 and "would add 1" in err
    code, _, err = bo("hr", "leave", "accrue", "--period", "2026-11")
    assert code == 0 and "added 1" in err
    code, _, err = bo("hr", "leave", "accrue", "--period", "2026-11")
    assert code == 0 and "already ran" in err
    code, _, err = bo("hr", "leave", "accrue", "--period", "2026-11", "--force")
    assert code == 0 and "added 0 accruals (1 already there)" in err
    code, out, _ = bo("hr", "leave", "types", "-f", "json")
    assert code == 0 and "ANNUAL" in {t["code"] for t in json.loads(out)}
    code, out, _ = bo("hr", "leave", "balances", "-f", "json")
    assert json.loads(out)[0]["balance"] == "1.75"


def test_leave_accrual_refuses_a_month_not_over(
    bo: Bo, staff: Staff, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.core import clock

    add_employee(store, staff.manager, "One")
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 4))
    code, _, err = bo("hr", "leave", "accrue", "--period", "2026-12")
    assert code == 1 and "2026-12 is not over yet" in err
    assert "Traceback" not in err


@pytest.mark.both_stores
def test_leave_request_and_decision(
    bo: Bo, staff: Staff, store: Store, as_os_user: Callable[[str], None]
) -> None:
    add_employee(store, staff.manager, "Noura", login="noura")
    code, out, err = bo(
        "hr", "leave", "request", "E00001", "sick", "--from", "2026-11-22", "--to", "2026-11-23"
    )
    assert code == 0, err
    assert "2 working days," in err
    request = out.strip()
    as_os_user("noura")
    code, _, err = bo("hr", "leave", "approve", request)
    assert code == ExitCode.PERMISSION and "their own leave" in err
    as_os_user("sara")
    assert bo("hr", "leave", "approve", request, "-m", "get well")[0] == 0
    code, out, _ = bo("hr", "leave", "requests", "-f", "json")
    assert json.loads(out)[0]["status"] == "approved"
    code, _, err = bo("hr", "leave", "approve", request, "-m", "again")
    assert code == 0 and err.count("\n") == 1 and "already approved" in err
    code, again, _ = bo("hr", "leave", "requests", "-f", "json")
    assert again == out  # nothing changed, not even the note
    code, out, err = bo("hr", "leave", "request", "E00001", "sick", "--from", "2026-11-24")
    assert code == 0 and "1 working day," in err


def test_payslips_refuse_a_bad_format_in_one_line(bo: Bo, staff: Staff) -> None:
    code, out, err = bo("hr", "payroll", "payslips", "1", "--format", "BAD")
    assert (code, out) == (ExitCode.ERROR, "")
    assert err == "bo: invalid input: --format: 'BAD' is not one of table, csv, json, xlsx\n"


def test_an_auditor_lists_pay_runs_with_amounts_masked(
    bo: Bo, staff: Staff, hired: str, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("fahad")
    assert bo("hr", "payroll", "run", "--period", "2026-11")[0] == 0
    code, out, _ = bo("hr", "payroll", "list", "-f", "json")
    assert json.loads(out)[0]["gross"] == "16047.00"
    as_os_user("aisha")
    for fmt in ("table", "csv", "json"):
        code, out, err = bo("hr", "payroll", "list", "-f", fmt)
        assert code == 0, err
        _clean(out + err)
        assert "16047" not in out and "***" in out
    [run] = json.loads(bo("hr", "payroll", "list", "-f", "json")[1])
    assert (run["period"], run["status"], run["prepared_by"]) == ("2026-11", "draft", "fahad")
    assert run["gross"] == run["net"] == run["employer_cost"] == "***"


@pytest.mark.both_stores
def test_recruiting_and_training_commands(bo: Bo, staff: Staff) -> None:
    code, out, _ = bo("hr", "openings", "add", "--position", "ACC", "--unit", "FIN")
    opening = out.strip()
    code, out, _ = bo("hr", "candidates", "add", opening, "--name", "Mona", "--name-ar", "منى")
    candidate = out.strip()
    for stage in ("screening", "interview", "offer"):
        assert bo("hr", "candidates", "move", candidate, stage)[0] == 0
    code, out, err = bo(
        "hr", "candidates", "hire", candidate, "--start", "2026-12-01",
        "--salary", "9000", "--iban", iban(3), "--yes",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = bo("inbox", "list", "--dept", "it", "-f", "json")
    assert [i["kind"] for i in json.loads(out)] == ["onboarding"]
    assert bo("hr", "training", "add-course", "FIRE", "Fire safety", "--cert-months", "12")[0] == 0
    code, out, _ = bo("hr", "training", "add-session", "FIRE", "--starts", "2025-12-08")
    session_id = out.strip()
    assert bo("hr", "training", "enroll", session_id, "E00001")[0] == 0
    assert bo("hr", "training", "complete", session_id, "E00001", "--on", "2025-12-08")[0] == 0
    code, out, _ = bo("hr", "training", "courses", "-f", "json")
    assert [(c["code"], c["cert_months"]) for c in json.loads(out)] == [("FIRE", 12)]
    code, out, _ = bo("hr", "training", "sessions", "--course", "fire", "-f", "json")
    assert [(str(s["id"]), s["enrolled"]) for s in json.loads(out)] == [(session_id, 1)]
    code, out, _ = bo("hr", "training", "certs", "--employee", "E00001", "-f", "csv")
    assert code == 0 and "Fire safety" in out
    code, _, err = bo("hr", "training", "add-session", "FIRE", "--starts", "someday")
    assert code == ExitCode.ERROR and "--starts" in err
    code, out, _ = bo("hr", "training", "expiring", "--within", "400d", "-f", "json")
    assert [r["certification"] for r in json.loads(out)] == ["Fire safety"]
    code, _, err = bo("hr", "training", "expiring", "--within", "soon")
    assert code == ExitCode.ERROR and "30d" in err
    code, out, err = bo("hr", "training", "expiring", "--within", "400d", "--notify")
    assert code == 0 and "1 new HR inbox items" in err
    assert out == ""  # the list is in the inbox; cron mails nothing
    code, _, err = bo("hr", "training", "expiring", "--within", "400d", "--notify")
    assert code == 0 and "0 new HR inbox items" in err


HUGE = "99999999999999999999999"


def test_an_amount_too_large_for_the_store_is_a_clear_refusal(
    bo: Bo, staff: Staff, tmp_path: Path
) -> None:
    """Every way an amount comes in: an option, an import cell, a pay input, a benefit plan."""
    code, out, err = bo(
        "hr", "employees", "add", "--name", "X", "--unit", "FIN", "--hire-date", "2024-01-01",
        "--salary", HUGE,
    )  # fmt: skip
    assert code == ExitCode.ERROR and out == "", err
    assert "base_salary:" in err and "too large" in err and "Traceback" not in err
    path = tmp_path / "in.csv"
    path.write_text(f"name,org_unit,hire_date,allowances\nX,FIN,2024-01-01,{HUGE}\n", "utf-8")
    code, _, err = bo("hr", "employees", "import", str(path))
    assert code == ExitCode.ERROR and "row 2, column allowances" in err and "too large" in err
    assert json.loads(bo("hr", "employees", "list", "-f", "json")[1]) == []
    code, _, err = bo("hr", "benefits", "add-plan", "BIG", "Big", "--employee", HUGE)
    assert code == ExitCode.ERROR and "--employee" in err and "too large" in err
    code, out, _ = bo("hr", "benefits", "plans", "-f", "json")
    assert all(p["code"] != "BIG" for p in json.loads(out))
    assert bo("hr", "employees", "add", "--name", "Y", "--unit", "FIN", "--hire-date", "t")[0] == 0
    path.write_text(f"employee,kind,hours,amount,note\nE00001,bonus,,{HUGE},x\n", "utf-8")
    code, _, err = bo("hr", "payroll", "import-inputs", str(path), "--period", "2026-11")
    assert code == ExitCode.ERROR and "row 2, column amount" in err and "too large" in err
    code, _, err = bo("hr", "employees", "list", "--min-salary", HUGE)
    assert code == ExitCode.ERROR and "too large" in err


def test_a_wage_cap_the_currency_cannot_hold_is_refused(bo: Bo, staff: Staff) -> None:
    """A cap with more decimals than the currency would make every later pay run fail."""
    for bad in ("0.001", "1e-3", HUGE):
        code, _, err = bo("hr", "payroll", "config", "si_wage_cap", bad)
        assert code == ExitCode.ERROR and "si wage cap" in err, (bad, err)
    for rule, bad in (("overtime_premium", "1e400"), ("hours_per_month", "9" * 30)):
        code, _, err = bo("hr", "payroll", "config", rule, bad)
        assert code == ExitCode.ERROR and rule.replace("_", " ") in err, (rule, err)
    code, out, _ = bo("hr", "payroll", "config", "-f", "json")
    rules = {r["rule"]: r["value"] for r in json.loads(out)}
    assert rules["si_wage_cap"] == "45000" and rules["overtime_premium"] == "0.5"
    assert bo("hr", "payroll", "config", "si_wage_cap", "50,000.50")[0] == 0
    assert bo("hr", "employees", "add", "--name", "Y", "--unit", "FIN", "--hire-date", "t")[0] == 0
    code, _, err = bo("hr", "payroll", "run", "--period", "2026-11")
    assert code == 0, err
