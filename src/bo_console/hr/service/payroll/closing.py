"""Payroll's item on finance's month-end checklist: pay runs not yet posted to the ledger.

Registered as the ``pay_runs`` entry point of ``bo_console.close_checks`` (pyproject), so
finance's checklist finds it without finance knowing HR.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor


def unposted_pay_runs(session: Session, actor: Actor, period: str) -> list[str]:
    """The pay runs of ``period`` still draft or approved (their cost is not in the books)."""
    from sqlalchemy import text

    rows = session.execute(
        text(
            "SELECT id, status FROM hr_pay_run WHERE period = :p "
            "AND status IN ('draft', 'approved') ORDER BY id"
        ),
        {"p": period},
    ).all()
    return [
        f"pay run {run_id} for {period} is {status}, not posted (bo hr payroll post {run_id})"
        for run_id, status in rows
    ]


unposted_pay_runs.close_label = "Pay runs not posted"  # type: ignore[attr-defined]
