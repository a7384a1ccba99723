"""The Dashboard tab: the management figures with terminal charts.

Revenue and expenses by month are drawn as character bars (they read the same under
NO_COLOR) beside Textual's sparklines of the same months, then as plotext line charts with
cash at each month's end (:mod:`bo_console.data.charts`); every line fits 80 columns.
``b`` takes the snapshots of closed months that have none (the backfill job) under a bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Sparkline, Static

from bo_console.ui.base import bo_app
from bo_console.ui.kit import JobStrip, read, start_job

if TYPE_CHECKING:
    from bo_console.data.dashboard import Dashboard


class DashboardPane(VerticalScroll):
    """Figures across the departments, read when the tab is first shown and on ``r``."""

    BINDINGS = [
        Binding("r", "reload", "Refresh", id="data.dashboard.refresh"),
        Binding(
            "b",
            "backfill",
            "Backfill snapshots",
            id="data.dashboard.backfill",
            tooltip="Take the month-end snapshot of each closed month that has none",
        ),
    ]
    DEFAULT_CSS = """
    DashboardPane { height: 1fr; }
    DashboardPane > .board-text { height: auto; }
    DashboardPane > Horizontal { height: 2; }
    DashboardPane Label { width: 10; }
    DashboardPane Sparkline { width: 40; height: 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="dashboard-pane", can_focus=True)
        self.board: Dashboard | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="board-head", classes="board-text")
        with Horizontal(id="board-sparks"):
            yield Label("revenue")
            yield Sparkline([], id="spark-revenue")
            yield Label(" expenses", id="label-expenses")
            yield Sparkline([], id="spark-expenses")
        yield Static("", id="board-months", classes="board-text")
        yield Static("", id="board-charts", classes="board-text")
        yield Static("", id="board-figures", classes="board-text")
        yield JobStrip(busy_message="the backfill is still running", id="dashboard-job")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "backfill":
            return bo_app(self).actor.can("data.manage")
        return True

    def action_backfill(self) -> None:
        """Run the snapshot backfill (the job cron runs) under the bar, then read again."""
        from bo_console.data import service

        app = bo_app(self)

        def done(months: list[str]) -> None:
            self.notify(service.backfill_summary(months))
            self.action_reload()

        start_job(
            self,
            "Month-end snapshots",
            lambda progress: service.run_backfill(app.store, app.actor, progress=progress),
            done,
        )

    def on_first_show(self) -> None:
        self.action_reload()
        self.focus()

    def action_reload(self) -> None:
        from bo_console.data import board, service
        from bo_console.ui.base import console_today

        as_of = console_today()  # the date the top bar shows
        found = read(self, lambda s, a: service.dashboard(s, a, as_of))
        if found is None:
            return
        self.board = found
        self.query_one("#board-head", Static).update(
            f"Management dashboard as of {found.as_of.isoformat()} · r refresh"
        )
        sparks = self.query_one("#board-sparks")
        sparks.display = bool(found.months)
        self.query_one("#spark-revenue", Sparkline).data = [m.revenue for m in found.months]
        self.query_one("#spark-expenses", Sparkline).data = [m.expenses for m in found.months]
        self.query_one("#board-months", Static).update("\n".join(board.month_lines(found)))
        # The charts are characters: markup off, so a "[" on an axis is never read as a tag.
        charts = "\n".join(board.chart_lines(found))
        self.query_one("#board-charts", Static).update(Text(charts))
        self.query_one("#board-figures", Static).update("\n".join(board.figure_lines(found)))
