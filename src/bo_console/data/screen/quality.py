"""The Quality tab: what the data-quality rules find now; n notifies the owning departments
(the job cron runs, under the tab's progress bar)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding

from bo_console.ui.kit import ColumnSpec, JobStrip, ListRow, ShortListPane, start_job
from bo_console.ui.widgets.confirm import ConfirmDialog

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

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield JobStrip(busy_message="the check is still running", id="quality-job")

    def action_notify_departments(self) -> None:
        """Run the notifying check (the job ``data.quality.check``) after a confirmation,
        under the tab's bar: a step per rule, then the inbox."""
        from bo_console.data import service

        app = self.bo_app

        def done(report: service.QualityReport) -> None:
            self.notify(
                f"{report.opened} inbox items opened, {report.closed} closed"
                + (f", {report.left_open} left to their department" if report.left_open else "")
            )

        def answered(yes: bool | None) -> None:
            if yes:
                start_job(
                    self,
                    "Data-quality check",
                    lambda progress: service.run_check(app.store, app.actor, progress=progress),
                    done,
                    topics=(QUALITY,),
                )

        app.push_screen(
            ConfirmDialog(
                "Raise one inbox item per new finding to its department, and close the items "
                "of findings that are fixed?",
                title="Notify departments",
                confirm_label="Notify",
            ),
            answered,
        )
