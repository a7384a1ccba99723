"""Raw SQL against pay runs, refused by the database or found by ``bo db check``: a second
payslip through a period written differently, totals fixed to match it, a rewritten preparer."""

from __future__ import annotations

import sqlite3

import pytest

from bo_console.core.db import Store
from bo_console.departments import check_store as check
from bo_console.hr.models import PayRun
from bo_console.hr.service import payroll
from bo_console.hr.service.common import parse_period
from tests.unit.hr.factories import Staff, add_employee

_COPY_SLIP = (
    "INSERT INTO hr_payslip SELECT NULL, run_id, employee_id, '2026-11 ', org_unit,"
    " days_in_period, days_paid, unpaid_days, base, allowances, overtime, other_earnings,"
    " benefit_cash, settlement, unpaid_deduction, gross, employee_si, employer_si,"
    " benefit_employee, benefit_employer, other_deductions, net, iban, note, housing,"
    " leave_encashment, eos_award, compensation, eos_accrual, leave_accrual,"
    " advance_recovery, art_wage"
    " FROM hr_payslip WHERE run_id = ? ORDER BY id LIMIT 1"
)
_FIX_TOTALS = (
    "UPDATE hr_pay_run SET employees = (SELECT COUNT(*) FROM hr_payslip WHERE run_id = :r),"
    " gross = (SELECT SUM(gross) FROM hr_payslip WHERE run_id = :r),"
    " net = (SELECT SUM(net) FROM hr_payslip WHERE run_id = :r),"
    " deductions = (SELECT SUM(employee_si + benefit_employee + other_deductions)"
    "               FROM hr_payslip WHERE run_id = :r),"
    " employer_cost = (SELECT SUM(gross + employer_si + benefit_employer)"
    "                  FROM hr_payslip WHERE run_id = :r) WHERE id = :r"
)


def _run(store: Store, staff: Staff) -> PayRun:
    add_employee(store, staff.manager, "One")
    add_employee(store, staff.manager, "Two", n=2)
    with store.write() as session:
        return payroll.run_payroll(session, staff.payroll, parse_period("2026-11")).run


def _db(store: Store) -> sqlite3.Connection:
    assert store.path is not None
    return sqlite3.connect(store.path, isolation_level=None)


def _failed(store: Store, staff: Staff) -> dict[str, str]:
    return {r.name: r.detail for r in check(store, staff.admin) if not r.ok}


def test_a_second_payslip_through_a_period_written_differently_is_refused(
    store: Store, staff: Staff
) -> None:
    run = _run(store, staff)
    conn = _db(store)
    with pytest.raises(sqlite3.IntegrityError, match="its pay run's period"):
        conn.execute(_COPY_SLIP, (run.id,))
    with pytest.raises(sqlite3.IntegrityError, match="its pay run's period"):
        conn.execute("UPDATE hr_payslip SET period = '2026-11 '")
    with pytest.raises(sqlite3.IntegrityError, match="YYYY-MM"):
        conn.execute(
            "INSERT INTO hr_pay_run (period, status, currency, employees, gross, deductions, net,"
            " employer_cost, prepared_by, prepared_at)"
            " VALUES ('2026-12 ', 'draft', 'SAR', 0, 0, 0, 0, 0, 'x', '2026-11-01')"
        )
    conn.close()
    assert _failed(store, staff) == {}


def test_a_second_payslip_with_fixed_totals_is_found_when_the_triggers_are_gone(
    store: Store, staff: Staff
) -> None:
    run = _run(store, staff)
    conn = _db(store)
    conn.execute("DROP TRIGGER hr_payslip_period_insert")
    conn.execute(_COPY_SLIP, (run.id,))
    conn.execute(_FIX_TOTALS, {"r": run.id})
    conn.close()
    failed = _failed(store, staff)
    assert "2026-11" in failed["hr one payslip per month"]
    assert "hr payslip periods" in failed
    assert "hr pay run totals" not in failed  # the forger made them agree


def test_draft_totals_that_disagree_with_the_payslips_are_found(store: Store, staff: Staff) -> None:
    run = _run(store, staff)
    conn = _db(store)
    conn.execute("UPDATE hr_pay_run SET gross = gross - 100 WHERE id = ?", (run.id,))
    conn.close()
    assert f"({run.id},)" in _failed(store, staff)["hr pay run totals"]


def test_the_preparer_of_a_run_cannot_be_rewritten(store: Store, staff: Staff) -> None:
    run = _run(store, staff)
    conn = _db(store)
    with pytest.raises(sqlite3.IntegrityError, match="who prepared"):
        conn.execute("UPDATE hr_pay_run SET prepared_by = 'someone_else' WHERE id = ?", (run.id,))
    with pytest.raises(sqlite3.IntegrityError, match="period of a pay run"):
        conn.execute("UPDATE hr_pay_run SET period = '2026-10' WHERE id = ?", (run.id,))
    conn.close()
