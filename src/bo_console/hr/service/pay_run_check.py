"""Payroll's item on finance's month-end checklist: pay runs not yet posted to the ledger.

Registered as the ``pay_runs`` entry point of ``bo_console.close_checks`` (pyproject), so
finance's checklist finds it without finance knowing HR. Outside the payroll package, whose
import loads the HR models: ``bo finance period checklist`` reads without SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


def unposted_pay_runs(db: Reads, actor: Actor, period: str) -> list[str]:
    """The pay runs of ``period`` still draft or approved (their cost is not in the books),
    read through a Reader or a session."""
    from bo_console.core.reading import reader_of

    rows = reader_of(db).rows(
        "SELECT id, status FROM hr_pay_run WHERE period = :p "
        "AND status IN ('draft', 'approved') ORDER BY id",
        {"p": period},
    )
    return [
        f"pay run {run_id} for {period} is {status}, not posted (bo hr payroll post {run_id})"
        for run_id, status in rows
    ]


unposted_pay_runs.close_label = "Pay runs not posted"  # type: ignore[attr-defined]
