"""`bo hr salary` and the statutory options of `bo hr employees`: nationality, a dated salary
change, the leaving reason, and the pay rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from tests.cli.conftest import Bo
from tests.unit.hr.factories import Staff, iban


def test_components_history_and_leaving_reason(
    bo: Bo, staff: Staff, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("sara")
    code, out, err = bo(
        "hr", "employees", "add", "--name", "Priya Nair", "--unit", "FIN",
        "--hire-date", "2023-01-01", "--salary", "10000", "--allowances", "2500",
        "--iban", iban(3), "--national-id", "2345678901",
    )  # fmt: skip
    assert code == 0, err
    number = out.strip()
    code, out, _ = bo("hr", "salary", "components", "--format", "json")
    assert [c["code"] for c in json.loads(out)] == ["BASIC", "HOUSING", "TRANSPORT", "OTHER"]
    code, _, err = bo(
        "hr", "salary", "set", number, "--set", "TRANSPORT=500", "--set", "BASIC=11000",
        "--from", "2026-12-01",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = bo("hr", "salary", "set", number, "--set", "CAR=1", "--from", "2026-12-01")
    assert code == ExitCode.ERROR and "no such salary component" in err
    code, out, _ = bo("hr", "salary", "history", number, "--format", "json")
    assert [(r["effective_from"], r["component"], r["amount"]) for r in json.loads(out)] == [
        ("2023-01-01", "BASIC", "10000.00"),
        ("2023-01-01", "HOUSING", "2500.00"),
        ("2026-12-01", "BASIC", "11000.00"),
        ("2026-12-01", "TRANSPORT", "500.00"),
    ]
    code, _, err = bo(
        "hr", "employees", "terminate", number, "--last-day", "2026-12-31",
        "--leaving", "quit", "--yes",
    )  # fmt: skip
    assert code == ExitCode.ERROR and "not a leaving reason" in err
    code, _, err = bo(
        "hr", "employees", "terminate", number, "--last-day", "2026-12-31",
        "--leaving", "contract-end", "--yes",
    )  # fmt: skip
    assert code == 0, err
    as_os_user("noura")
    code, _, err = bo("hr", "salary", "history", number)
    assert code == ExitCode.PERMISSION


def test_pay_rules_name_the_statutory_settings(
    bo: Bo, staff: Staff, as_os_user: Callable[[str], None]
) -> None:
    as_os_user("sara")
    code, out, _ = bo("hr", "payroll", "config", "--format", "json")
    rules = {r["rule"]: r["value"] for r in json.loads(out)}
    assert rules["si_hazards_employer"] == "0.02"
    assert rules["si_new_law_from"] == "2024-07-03"
    assert rules["journal_min_headcount"] == "5"
    code, _, err = bo("hr", "payroll", "config", "si_new_law_from", "someday")
    assert code == ExitCode.ERROR, err


def test_payslip_pdfs_from_the_command_line(
    bo: Bo, staff: Staff, store: Store, as_os_user: Callable[[str], None], tmp_path: Path
) -> None:
    from bo_console.hr.service import payroll
    from bo_console.hr.service.common import parse_period
    from tests.unit.hr.factories import add_employee

    number = add_employee(store, staff.admin, "Slip Holder", name_ar="صاحب القسيمة")
    with store.write() as session:
        run = payroll.run_payroll(session, staff.payroll, parse_period("2026-11")).run
    as_os_user("fahad")
    code, _, err = bo("hr", "payslip", "--run", str(run.id), "-o", str(tmp_path / "slips"))
    assert code == 0, err
    assert [p.name for p in (tmp_path / "slips").iterdir()] == [
        f"payslip-{number}-2026-11-run{run.id}.pdf"
    ]
    one = tmp_path / "one.pdf"
    code, _, err = bo("hr", "payslip", "--run", str(run.id), "--employee", number, "-o", str(one))
    assert code == 0 and one.read_bytes().startswith(b"%PDF")
    code, _, err = bo("hr", "payslip", "--run", "99", "-o", str(tmp_path / "x.pdf"))
    assert code == ExitCode.ERROR and "Traceback" not in err
    code, _, err = bo("hr", "payslip", "-o", str(tmp_path / "x.pdf"))
    assert code == ExitCode.USAGE
    as_os_user("noura")
    code, _, err = bo("hr", "payslip", "--run", str(run.id), "-o", str(tmp_path / "x.pdf"))
    assert code == ExitCode.PERMISSION and "hr.confidential" in err
    assert not (tmp_path / "x.pdf").exists()


def test_payslip_pdfs_with_fewer_worker_processes(
    bo: Bo, staff: Staff, store: Store, as_os_user: Callable[[str], None], tmp_path: Path
) -> None:
    from bo_console.hr.service import payroll
    from bo_console.hr.service.common import parse_period
    from tests.unit.hr.factories import add_employee

    number = add_employee(store, staff.admin, "Slip Holder", name_ar="صاحب القسيمة")
    with store.write() as session:
        run = payroll.run_payroll(session, staff.payroll, parse_period("2026-11")).run
    as_os_user("fahad")
    slips = tmp_path / "slips"
    code, _, err = bo("hr", "payroll", "payslips", str(run.id), "--pdf", str(slips), "--jobs", "0")
    assert code == ExitCode.USAGE and "Traceback" not in err and not slips.exists()
    code, out, err = bo("hr", "payroll", "payslips", str(run.id), "--pdf", str(slips), "-j", "1")
    name = f"payslip-{number}-2026-11-run{run.id}.pdf"
    # Not a terminal: no progress bar, only the one-line summary.
    assert code == 0 and out == "" and err.splitlines() == [f"wrote {slips / name}"], err
    assert [p.name for p in slips.iterdir()] == [name]
    code, _, err = bo(
        "hr", "payslip", "--run", str(run.id), "-o", str(tmp_path / "a.pdf"), "-j", "1"
    )
    assert code == 0 and (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF"), err


def test_opening_provisions_from_the_command_line(
    bo: Bo, staff: Staff, store: Store, as_os_user: Callable[[str], None]
) -> None:
    from tests.unit.hr.factories import add_employee

    add_employee(store, staff.admin, "Two Years", allowances=0, hired=date(2024, 11, 1))
    as_os_user("fahad")
    code, _, err = bo("hr", "payroll", "open-provisions", "--as-of", "2026-10-31", "--yes")
    assert code == ExitCode.PERMISSION
    as_os_user("sara")
    code, _, err = bo("hr", "payroll", "open-provisions", "--as-of", "2026-10-30", "--yes")
    assert code == ExitCode.ERROR and "not a month's last day" in err
    code, _, err = bo("hr", "payroll", "open-provisions", "--as-of", "2026-10-31", "--yes")
    assert code == 0 and "end of service 12,345.00" in err, err
    code, _, err = bo("hr", "payroll", "open-provisions", "--as-of", "2026-10-31", "--yes")
    assert code == ExitCode.ERROR and "booked already" in err


def test_a_fixed_term_contract_from_the_command_line(
    bo: Bo, staff: Staff, store: Store, as_os_user: Callable[[str], None]
) -> None:
    from sqlmodel import select

    from bo_console.hr.models import Employee

    as_os_user("sara")
    code, out, err = bo(
        "hr", "employees", "add", "--name", "Term Worker", "--unit", "FIN",
        "--hire-date", "2025-01-01", "--contract-end", "2026-12-31",
    )  # fmt: skip
    assert code == 0, err
    number = out.strip()
    code, _, err = bo("hr", "employees", "update", number, "--contract-end", "2024-01-01")
    assert code == ExitCode.ERROR and "fixed-term contract ends after the hire date" in err
    code, _, err = bo("hr", "employees", "update", number, "--contract-end", "2027-06-30")
    assert code == 0, err
    with store.read() as session:
        row = session.exec(select(Employee).where(Employee.number == number)).one()
    assert row.contract_ends_on == date(2027, 6, 30)


def test_payroll_payslips_pdf_writes_a_file_per_employee(
    bo: Bo, staff: Staff, store: Store, as_os_user: Callable[[str], None], tmp_path: Path
) -> None:
    from bo_console.hr.service import payroll
    from bo_console.hr.service.common import parse_period
    from tests.unit.hr.factories import add_employee

    first = add_employee(store, staff.admin, "Slip One", name_ar="القسيمة الأولى", n=1)
    second = add_employee(store, staff.admin, "Slip Two", n=2, national_id="2000000002")
    with store.write() as session:
        run = payroll.run_payroll(session, staff.payroll, parse_period("2026-11")).run
    as_os_user("fahad")
    out = tmp_path / "slips"
    code, _, err = bo("hr", "payroll", "payslips", str(run.id), "--pdf", str(out))
    assert code == 0, err
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"payslip-{n}-2026-11-run{run.id}.pdf" for n in (first, second))
    assert all((out / f).read_bytes().startswith(b"%PDF") for f in files)
    code, _, err = bo("hr", "payroll", "payslips", str(run.id), "--pdf", str(tmp_path / "a.pdf"))
    assert code == ExitCode.ERROR and "directory" in err
    as_os_user("noura")
    code, _, err = bo("hr", "payroll", "payslips", str(run.id), "--pdf", str(tmp_path / "no"))
    assert code == ExitCode.PERMISSION and "hr.confidential" in err
    assert not (tmp_path / "no").exists()
