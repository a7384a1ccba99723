"""HR's part of `bo demo`: the promised contents, built the same way every time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.departments import check_store as check


def test_demo_builds_hr(demo: Store, demo_admin: Actor) -> None:
    with demo.read() as session:

        def one(sql: str) -> Any:
            return session.execute(text(sql)).scalar_one()

        def all_(sql: str) -> list[tuple[object, ...]]:
            return [tuple(r) for r in session.execute(text(sql)).all()]

        assert one("SELECT COUNT(*) FROM hr_employee") == 201
        assert one("SELECT COUNT(DISTINCT org_unit_id) FROM hr_employee") == 8
        assert one("SELECT COUNT(*) FROM hr_employee WHERE name_ar <> ''") > 100
        assert one("SELECT COUNT(*) FROM hr_employee WHERE status = 'terminated'") == 2
        assert all_("SELECT stage, COUNT(*) FROM hr_candidate GROUP BY stage ORDER BY stage") == [
            ("applied", 1),
            ("hired", 1),
            ("interview", 2),
            ("offer", 1),
            ("rejected", 1),
            ("screening", 2),
        ]
        assert one("SELECT COUNT(*) FROM hr_certification") > 30
        assert one("SELECT COUNT(*) FROM hr_leave_request WHERE status = 'pending'") == 3
        runs = all_("SELECT period, status, prepared_by, approved_by FROM hr_pay_run ORDER BY id")
        assert runs == [
            ("2026-08", "paid", "fahad", "sara"),
            ("2026-09", "paid", "fahad", "sara"),
            ("2026-10", "paid", "fahad", "sara"),
            ("2026-11", "draft", "fahad", None),
        ]
        # Deterministic: the same people and the same pay every time.
        assert one("SELECT name FROM hr_employee WHERE number = 'E00100'") == "Amr Saeed"
        assert (
            one("SELECT net FROM hr_pay_run WHERE period = '2026-10'") == 212707691
        )  # expatriates no longer pay the employee share
        # Social insurance by nationality: no employee share for expatriates in November.
        expat_si = one(
            "SELECT COALESCE(SUM(s.employee_si), -1) FROM hr_payslip s"
            " JOIN hr_employee e ON e.id = s.employee_id"
            " WHERE s.period = '2026-11' AND e.nationality <> 'saudi'"
        )
        assert expat_si == 0
        assert one("SELECT COUNT(*) FROM hr_employee WHERE nationality = 'other'") > 50
        # Reem resigned after 2.2 years: a third of the art. 84 award (review P3).
        assert all_(
            "SELECT e.leaving_reason, s.eos_award FROM hr_payslip s"
            " JOIN hr_employee e ON e.id = s.employee_id WHERE s.period = '2026-11'"
            " AND s.settlement > 0"
        ) == [("resignation", 510445)]
        # The provisions earned before August are an opening entry; August accrues a month.
        opening = one("SELECT SUM(eos) FROM hr_provision_opening WHERE as_of = '2026-07-31'")
        august = one("SELECT SUM(eos_accrual) FROM hr_payslip WHERE period = '2026-08'")
        assert opening > 1_000_000_00 and 0 < august < opening / 20
    assert all(result.ok for result in check(demo, demo_admin))
