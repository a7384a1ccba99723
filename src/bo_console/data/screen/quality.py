"""The Quality tab: what the data-quality rules find now; n notifies the owning departments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding

from bo_console.ui.kit import ColumnSpec, ListRow, ServiceAction, ShortListPane, run_action

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

QUALITY = "data.quality"


class QualityPane(ShortListPane):
    """Every finding of every rule, as a check without ``--notify`` finds them."""

    COLUMNS = (
        ColumnSpec("Rule", 24),
        ColumnSpec("Dept", 9),
        ColumnSpec("Finding", 60),
    )
    PERMS = {"notify_departments": "data.manage"}
    LISTENS = frozenset({QUALITY})
    BINDINGS = [
        Binding(
            "n",
            "notify_departments",
            "Notify",
            id="data.quality.notify",
            tooltip="Raise inbox items for new findings, close those now fixed",
        )
    ]
    TABLE_ID = "quality-table"
    STATUS_ID = "quality-status"

    def __init__(self) -> None:
        super().__init__(id="quality-pane")

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.data import service

        report = service.check(session, actor)
        return [ListRow(f"{f.rule}:{f.key}", (f.rule, f.dept, f.subject)) for f in report.findings]

    def status_text(self, rows: Sequence[ListRow]) -> str:
        hint = " · n notify the departments" if self.may("notify_departments") else ""
        return f"Data-quality findings: {len(rows):,}{hint}"

    def action_notify_departments(self) -> None:
        from bo_console.data import service

        def done(report: service.QualityReport) -> None:
            self.notify(
                f"{report.opened} inbox items opened, {report.closed} closed"
                + (f", {report.left_open} left to their department" if report.left_open else "")
            )

        run_action(
            self,
            ServiceAction(
                "Notify departments",
                "Notify",
                work=lambda s, a: service.check(s, a, notify=True),
                message="Raise one inbox item per new finding to its department, and close "
                "the items of findings that are fixed?",
                done=done,
                topics=(QUALITY,),
            ),
        )
