"""Payroll in the books: provisions for end of service and leave, advances recovered to
employee advances, a journal entry that shows no one's pay, pay runs in month order."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import RuleViolation
from bo_console.finance import service as finance
from bo_console.finance.interchange.export import export_journal
from bo_console.hr.service import leave, payroll, people
from bo_console.hr.service.common import Period, parse_period
from tests.unit.hr.factories import Staff, add_employee

NOV = parse_period("2026-11")
DEC = parse_period("2026-12")


def _pay(store: Store, staff: Staff, period: Period) -> int:
    with store.write() as session:
        run = payroll.run_payroll(session, staff.payroll, period).run
        payroll.approve_run(session, staff.manager, run.id or 0)
        payroll.post_run(session, staff.manager, run.id or 0)
        return run.id or 0


def _balance(store: Store, code: str) -> int:
    """Credit minus debit of an account, in minor units."""
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        row = conn.execute(
            "SELECT COALESCE(SUM(l.credit) - SUM(l.debit), 0) FROM fin_line l"
            " JOIN fin_account a ON a.id = l.account_id JOIN fin_entry e ON e.id = l.entry_id"
            " WHERE a.code = ? AND e.state = 'posted'",
            (code,),
        ).fetchone()
        return int(row[0])
    finally:
        conn.close()


def test_provisions_accrue_and_awards_are_paid_from_them(store: Store, staff: Staff) -> None:
    number = add_employee(
        store, staff.admin, "Long", salary=1000000, allowances=250000, hired=date(2024, 1, 1)
    )
    with store.write() as session:
        leave.adjust(
            session, staff.manager, employee=number, type_code="ANNUAL", days=1500, note="open"
        )
    _pay(store, staff, NOV)
    years = Fraction((NOV.end - date(2024, 1, 1)).days + 1, 365)
    assert _balance(store, "2520") == payroll.round_minor(1250000 * years / 2)
    assert _balance(store, "2340") == 1250000 * 15 // 30  # 15 days at wage / 30
    with store.write() as session:
        people.terminate_employee(session, staff.manager, number, on=DEC.end, leaving="resignation")
    run_id = _pay(store, staff, DEC)
    with store.read() as session:
        (slip,) = payroll.payslips(session, staff.manager, run_id)
    # A resignation after 3 years gets a third; the rest of the provision is released and
    # the award and the leave encashment come out of the provisions, not salaries expense.
    assert slip["eos_award"] > 0 and slip["eos_accrual"] < 0
    assert _balance(store, "2520") == 0
    assert _balance(store, "2340") == 0
    # 6100 holds two months' wages and November's leave accrual (15 days), nothing more
    assert -_balance(store, "6100") == 2 * 1250000 + 625000


def test_advance_recoveries_go_to_employee_advances(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.admin, "Borrower")
    with store.write() as session:
        payroll.add_input(
            session,
            staff.payroll,
            NOV,
            employee=number,
            kind="deduction",
            amount=50000,
            advance=True,
            note="advance",
        )
        payroll.add_input(
            session,
            staff.payroll,
            NOV,
            employee=number,
            kind="deduction",
            amount=7000,
            note="canteen",
        )
    _pay(store, staff, NOV)
    assert _balance(store, "1230") == 50000
    assert _balance(store, "2330") == 7000


# -- no one's pay in the ledger (security review D3) ------------------------------------


def _solo_store(store: Store, staff: Staff, units: dict[str, int]) -> str:
    """Units with that many people each; returns the number of the first person of SOLO."""
    with store.write() as session:
        for code in units:
            if code not in ("FIN", "LOG"):
                people.add_org_unit(session, staff.admin, code=code, name=code.title())
    n = 0
    solo = ""
    for code, count in units.items():
        for _ in range(count):
            n += 1
            number = add_employee(
                store,
                staff.admin,
                f"P{n}",
                unit=code,
                salary=2345678 if code == "SOLO" else 800000 + n * 1111,
                allowances=0,
                n=n,
            )
            solo = solo or (number if code == "SOLO" else "")
    return solo


SOLO_FIGURES = ("23456.78", "23,456.78", "2345678", "2287.04", "228704", "2757.12", "275712")
"""The solo person's gross, employee and employer social insurance, however written."""


def _finance_outputs(store: Store, staff: Staff, tmp_path: Path) -> dict[str, str]:
    with store.write() as session:
        runs = payroll.list_runs(session, staff.manager)
        ref = str(runs[0]["entry"])
        entry = finance.get_entry(session, staff.finance, ref)
        gl = finance.general_ledger(session, staff.finance, "6100", NOV.start, NOV.end)
        gl_si = finance.general_ledger(session, staff.finance, "6110", NOV.start, NOV.end)
        export_journal(session, staff.finance, tmp_path / "j.csv", fmt="csv")
        export_journal(session, staff.finance, tmp_path / "j.journal", fmt="hledger")
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        audit = "\n".join(
            str(r[0])
            for r in conn.execute("SELECT changes FROM audit_event WHERE entity LIKE '%entry%'")
        )
    finally:
        conn.close()
    return {
        "journal show": repr(entry),
        "general ledger 6100": repr(gl),
        "general ledger 6110": repr(gl_si),
        "export csv": (tmp_path / "j.csv").read_text(encoding="utf-8"),
        "export hledger": (tmp_path / "j.journal").read_text(encoding="utf-8"),
        "audit of the posting": audit,
    }


def test_a_one_person_unit_is_not_a_line_of_the_payroll_entry(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    _solo_store(store, staff, {"FIN": 5, "SOLO": 1})
    _pay(store, staff, NOV)
    outputs = _finance_outputs(store, staff, tmp_path)
    assert all("Payroll 2026-11" in text for text in outputs.values())
    for path, text in outputs.items():
        assert "SOLO" not in text, path
        for figure in SOLO_FIGURES:
            assert figure not in text, (path, figure)
    # The one small unit cannot be told apart by subtracting FIN from the total either: every
    # expense is one line.
    assert "FIN" not in outputs["journal show"]


def test_small_units_are_merged_and_big_ones_keep_their_lines(store: Store, staff: Staff) -> None:
    _solo_store(store, staff, {"FIN": 5, "LOG": 6, "SOLO": 1, "TINY": 4})
    run_id = _pay(store, staff, NOV)
    with store.read() as session:
        lines = payroll.posting_lines(session, payroll.get_run(session, run_id))
    units = {line.department for line in lines if line.role == "salary_expense"}
    assert units == {"FIN", "LOG", None}
    with store.write() as session:
        payroll.set_rule(session, staff.manager, "journal_min_headcount", "1")
        lines = payroll.posting_lines(session, payroll.get_run(session, run_id))
    assert {line.department for line in lines if line.role == "salary_expense"} == {
        "FIN",
        "LOG",
        "SOLO",
        "TINY",
    }


# -- month order ----------------------------------------------------------------------------


def test_pay_runs_go_in_month_order_and_never_into_a_closed_month(
    store: Store, staff: Staff
) -> None:
    add_employee(store, staff.admin, "One")
    with store.write() as session:
        finance.close_period(session, staff.admin, "2026-10")
    with store.write() as session, pytest.raises(RuleViolation, match="closed"):
        payroll.run_payroll(session, staff.payroll, parse_period("2026-10"))
    _pay(store, staff, NOV)
    with store.write() as session, pytest.raises(RuleViolation, match="run 2026-12 before"):
        payroll.run_payroll(session, staff.payroll, parse_period("2027-01"))
    # Before the books' first closed month counts as closed too.
    with store.write() as session, pytest.raises(RuleViolation, match="2026-09 is closed"):
        payroll.run_payroll(session, staff.payroll, parse_period("2026-09"))
    with store.write() as session:
        again = payroll.run_payroll(session, staff.payroll, NOV)
        assert not again.created
        assert payroll.run_payroll(session, staff.payroll, DEC).created


def test_the_wage_protection_file_has_header_employees_and_trailer(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    from bo_console.core.errors import ValidationFailed
    from tests.unit.hr.factories import iban

    saudi = add_employee(store, staff.admin, "Saudi", salary=1000000, allowances=250000, n=1)
    add_employee(
        store, staff.admin, "Expat", salary=500000, allowances=100000, n=2,
        national_id="2345678901",
    )  # fmt: skip
    with store.write() as session:
        people.set_salary(session, staff.manager, saudi, {"TRANSPORT": 50000}, date(2024, 1, 1))
    run_id = _pay(store, staff, NOV)
    path = tmp_path / "wps.csv"
    with pytest.raises(ValidationFailed, match="wps_establishment_id"):
        payroll.write_wps_file(store, staff.manager, run_id, path, value_date=NOV.end)
    with store.write() as session:
        payroll.set_rule(session, staff.manager, "wps_establishment_id", "1-234567")
        payroll.set_rule(session, staff.manager, "wps_debit_account", iban(500))
    assert payroll.write_wps_file(store, staff.manager, run_id, path, value_date=NOV.end) == 2
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    header, first, second, trailer = (line.split(",") for line in lines[:4])
    assert header[:4] == ["H", "1-234567", iban(500), "20261130"]
    assert first[:2] == ["D", "1000000001"] and second[1] == "2345678901"
    # basic, housing, other (transport), deductions (9.75% of 12,500 for the Saudi)
    assert first[6:10] == ["10000.00", "2500.00", "500.00", "1218.75"]
    assert second[9] == "0.00"
    total = sum(Decimal(row[5]) for row in (first, second))
    assert header[5:7] == ["2", str(total)] and trailer == ["T", "2", str(total)]


def test_the_opening_provisions_go_to_retained_earnings_not_the_first_month(
    store: Store, staff: Staff
) -> None:
    from bo_console.core.errors import PermissionDenied

    number = add_employee(
        store, staff.admin, "Long", salary=1000000, allowances=250000, hired=date(2016, 1, 1)
    )
    with store.write() as session:
        leave.adjust(
            session, staff.manager, employee=number, type_code="ANNUAL", days=1000, note="open"
        )
    october_end = date(2026, 10, 31)
    with store.write() as session:
        with pytest.raises(PermissionDenied):
            payroll.open_provisions(session, staff.payroll, october_end)
        with pytest.raises(RuleViolation, match="last day"):
            payroll.open_provisions(session, staff.manager, date(2026, 10, 30))
        done = payroll.open_provisions(session, staff.manager, october_end)
        with pytest.raises(RuleViolation, match="booked already"):
            payroll.open_provisions(session, staff.manager, october_end)
        with pytest.raises(RuleViolation, match="first run comes after"):
            payroll.run_payroll(session, staff.payroll, Period(2026, 10))
    # 10 years and 305 days by 31 October: 5 half months, then 5 + 305/365 months
    served = (october_end - date(2016, 1, 1)).days + 1
    opening = payroll.round_minor(Fraction(1250000 * (2 * served - 1825), 730))
    assert done.employees == 1 and done.eos == Decimal(opening) / 100
    assert done.leave == Decimal("4166.67")  # 10 days at 12,500.00 / 30
    assert _balance(store, "2520") == opening and _balance(store, "3300") == -opening - 416667
    _pay(store, staff, NOV)
    # November's expense is November's service only (a month a year after five years)
    november = payroll.round_minor(Fraction(1250000 * (2 * (served + 30) - 1825), 730))
    assert -_balance(store, "6130") == november - opening
    assert -_balance(store, "6100") == 1250000  # the wage; the leave was provided already


def test_the_opening_counts_what_the_ledger_provision_holds(store: Store, staff: Staff) -> None:
    add_employee(store, staff.admin, "Long", salary=1000000, allowances=0, hired=date(2024, 11, 1))
    with store.write() as session:
        run = payroll.run_payroll(session, staff.payroll, NOV).run
        with pytest.raises(RuleViolation, match="exists"):
            payroll.open_provisions(session, staff.manager, date(2026, 10, 31))
        payroll.discard_run(session, staff.payroll, run.id or 0)
        finance.post_entry(
            session,
            staff.admin,
            finance.EntryCreate(
                date=date(2026, 1, 1),
                memo="opening balance from the old system",
                lines=[
                    finance.LineCreate(account="3300", debit=100000, credit=0),
                    finance.LineCreate(account="2520", debit=0, credit=100000),
                ],
            ),
        )
        done = payroll.open_provisions(session, staff.manager, date(2026, 10, 31))
    # two years: a month's wage; 1,000.00 was there already
    assert done.eos == Decimal("10000.00") and done.entry
    assert _balance(store, "2520") == 1000000
