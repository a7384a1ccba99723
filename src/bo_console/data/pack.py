"""The month-end management pack: one workbook of a closed month's frozen figures.

The pack is written from the month's snapshot (:mod:`bo_console.data.snapshots`), taken when
finance closed the month, never from the live tables: a month reopened and changed gives the
same pack until it is closed again, when a new snapshot version is taken (the contents sheet
says which version the pack used). What a snapshot stores is computed by
:mod:`bo_console.data.month`. Figures are stored whole; a reader's view of them is cut when
the pack is built: a department the reader may not read is left out (the contents sheet says
so), and a unit's payroll of fewer than :data:`~bo_console.data.month.MIN_PAYSLIPS`
payslips is masked without
``hr.confidential``. Built twice it gives the same workbook, byte for byte
(:func:`analysis.write_workbook`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation
from bo_console.core.security import DEPARTMENT_READ, Actor
from bo_console.data.models import ResultSet
from bo_console.data.month import PAYROLL_SHEET, Sheets

if TYPE_CHECKING:
    from sqlmodel import Session


DEPARTMENT_SHEETS = ("finance", "hr", "it", "logistics")
"""The departments whose sheets a pack has, in order; data quality comes last, for all."""


def build(session: Session, actor: Actor, period: str) -> Sheets:
    """The pack of closed month ``period`` (``YYYY-MM``) from its latest snapshot.

    Raises:
        ValidationFailed: not a month.
        RuleViolation: the month is not closed, or was closed before snapshots were taken
            (``bo data snapshot backfill`` takes them).
    """
    from bo_console.data import snapshots
    from bo_console.finance import service as finance

    actor.require("data.read", "build the management pack")
    period = finance.parse_period(period)
    snapshot = snapshots.latest(session, period)
    if snapshot is None:
        if not finance.is_closed(session, period):
            raise RuleViolation(
                f"{period} is not closed; the pack is built from closed months only "
                "(bo finance period close)"
            )
        if period not in finance.closed_periods(session):
            raise RuleViolation(f"{period} is before the books' first month: nothing to pack")
        raise RuleViolation(
            f"{period} has no month-end snapshot; take the closed months' snapshots with "
            "bo data snapshot backfill"
        )
    left_out = [d for d in DEPARTMENT_SHEETS if not actor.can(DEPARTMENT_READ[d])]
    reveal = actor.can("hr.confidential")
    sheets: Sheets = []
    for dept, name, result in snapshot.sheets:
        if dept in left_out:
            continue
        if name == PAYROLL_SHEET and reveal:
            # Stored masked; the whole figures sit apart, for hr.confidential only.
            result = snapshots.private_payroll(session, snapshot) or result
        sheets.append((name, result))
    contents = [
        ("period", period),
        ("currency", snapshot.currency),
        ("amounts", "in the currency; payroll, stock and aged balances in minor units"),
        (
            "figures",
            f"month-end snapshot version {snapshot.version}, taken "
            f"{snapshot.taken_at:%Y-%m-%d %H:%M} UTC by {snapshot.taken_by}",
        ),
        ("left out", ", ".join(left_out) or "nothing"),
        *((f"sheet {i + 1}", name) for i, (name, _) in enumerate(sheets)),
    ]
    return [("contents", ResultSet(columns=["item", "value"], rows=contents)), *sheets]
