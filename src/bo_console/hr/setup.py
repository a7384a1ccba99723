"""What HR registers with the core: seed data for ``bo init``, checks for ``bo db check``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import Reads

LEAVE_TYPES = [
    # code, name, Arabic name, paid, yearly days (hundredths)
    ("ANNUAL", "Annual leave", "إجازة سنوية", True, 21 * 100),
    ("SICK", "Sick leave", "إجازة مرضية", True, 0),
    ("UNPAID", "Unpaid leave", "إجازة بدون راتب", False, 0),
    ("HAJJ", "Hajj leave", "إجازة الحج", True, 0),
]
"""Leave types a new database starts with (a company changes them with `bo hr leave`)."""


def seed(session: Session) -> None:
    """Seed the leave types (``bo init``; part of creating the database, so not audited)."""
    from sqlmodel import select

    from bo_console.hr.models import LeaveType

    existing = set(session.exec(select(LeaveType.code)).all())
    for code, name, name_ar, paid, yearly in LEAVE_TYPES:
        if code not in existing:
            session.add(
                LeaveType(code=code, name=name, name_ar=name_ar, paid=paid, yearly_days=yearly)
            )
    session.flush()


def checks(db: Reads) -> list[CheckResult]:
    """Payroll invariants: run totals equal their payslips, approvers differ from preparers,
    every payslip's gross and net add up, and no employee is paid twice for a month."""
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import reader_of

    reader = reader_of(db)

    mismatched = reader.rows(
        """
            SELECT r.id FROM hr_pay_run r
            LEFT JOIN (
                SELECT run_id, COUNT(*) AS n, SUM(gross) AS gross, SUM(net) AS net,
                       SUM(employee_si + benefit_employee + other_deductions) AS deductions,
                       SUM(gross + employer_si + benefit_employer) AS cost
                FROM hr_payslip GROUP BY run_id
            ) s ON s.run_id = r.id
            WHERE r.status <> 'discarded' AND (
                COALESCE(s.n, 0) <> r.employees OR COALESCE(s.gross, 0) <> r.gross
                OR COALESCE(s.net, 0) <> r.net OR COALESCE(s.deductions, 0) <> r.deductions
                OR COALESCE(s.cost, 0) <> r.employer_cost)
            ORDER BY r.id LIMIT 5
            """
    )
    self_approved = reader.rows(
        "SELECT id FROM hr_pay_run WHERE approved_by = prepared_by ORDER BY id LIMIT 5"
    )
    bad_slips = reader.rows(
        """
            SELECT id FROM hr_payslip
            WHERE gross <> base + allowances + overtime + other_earnings + benefit_cash
                          + settlement - unpaid_deduction
               OR net <> gross - employee_si - benefit_employee - other_deductions
            ORDER BY id LIMIT 5
            """
    )
    # By the run's month, trimmed: a payslip whose own period reads '2026-11 ' is still November's.
    doubles = reader.rows(
        """
            SELECT s.employee_id, TRIM(r.period) FROM hr_payslip s
            JOIN hr_pay_run r ON r.id = s.run_id
            WHERE r.status <> 'discarded'
            GROUP BY s.employee_id, TRIM(r.period) HAVING COUNT(*) > 1 LIMIT 5
            """
    )
    misfiled = reader.rows(
        """
            SELECT s.id FROM hr_payslip s JOIN hr_pay_run r ON r.id = s.run_id
            WHERE s.period <> r.period OR LENGTH(r.period) <> 7
               OR SUBSTR(r.period, 5, 1) <> '-' ORDER BY s.id LIMIT 5
            """
    )

    def result(name: str, rows: Sequence[Any], what: str) -> CheckResult:
        if not rows:
            return CheckResult(name, True, "ok")
        return CheckResult(name, False, f"{what}: {', '.join(str(tuple(r)) for r in rows)}")

    return [
        result("hr pay run totals", list(mismatched), "runs whose totals differ from payslips"),
        result("hr pay run approvals", list(self_approved), "runs approved by their preparer"),
        result("hr payslip arithmetic", list(bad_slips), "payslips that do not add up"),
        result("hr one payslip per month", list(doubles), "employees paid twice"),
        result("hr payslip periods", list(misfiled), "payslips not in their run's month"),
    ]
