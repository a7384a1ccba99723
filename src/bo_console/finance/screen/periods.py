"""The Periods tab: the months of a year, open or closed; managers close, admins reopen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding

from bo_console.finance.screen.common import PERIODS
from bo_console.ui.base import console_today
from bo_console.ui.kit.actions import ServiceAction, read, run_action
from bo_console.ui.kit.short_list import ColumnSpec, ListRow, ShortListPane

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.ledger import PeriodView


class PeriodsPane(ShortListPane):
    """The months of a year, open or closed; managers close them, admins reopen them."""

    BINDINGS = [
        Binding("c", "close_period", "Close month", id="finance.periods.close"),
        Binding(
            "o",
            "close_overriding",
            "Close, override",
            id="finance.periods.override",
            tooltip="Close although a checklist item fails, with the reason (audited)",
        ),
        Binding("u", "reopen_period", "Reopen", id="finance.periods.reopen"),
        Binding("left_square_bracket", "year(-1)", "Year -1", id="finance.periods.prev"),
        Binding("right_square_bracket", "year(1)", "Year +1", id="finance.periods.next"),
        Binding("r", "reload", "Refresh", id="finance.periods.refresh"),
    ]

    COLUMNS = (
        ColumnSpec("Month", 8),
        ColumnSpec("Status", 7),
        ColumnSpec("Posted", 9, right=True),
        ColumnSpec("Drafts", 7, right=True),
        ColumnSpec("Changed by", 12),
        ColumnSpec("Changed at (UTC)", 17),
    )
    PERMS = {"close_period": "finance.manage", "close_overriding": "finance.manage"}
    LISTENS = frozenset({PERIODS})
    TABLE_ID = "periods-table"
    STATUS_ID = "periods-status"

    def __init__(self) -> None:
        super().__init__(id="periods-pane")
        self.year = console_today().year
        self._shown_year = self.year
        self._periods: dict[str, PeriodView] = {}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reopen_period":
            # The service decides who may reopen; the key shows only for them.
            from bo_console.finance import service

            return service.can_reopen_periods(self.bo_app.actor)
        return super().check_action(action, parameters)

    def action_year(self, step: int) -> None:
        self.year += step
        self.load()

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.finance import service

        year = self.year
        periods = service.list_periods(session, actor, year=year)
        self._shown_year = year
        self._periods = {p.period: p for p in periods}
        return [
            ListRow(
                p.period,
                (
                    p.period,
                    p.status,
                    p.posted,
                    p.drafts,
                    p.changed_by,
                    p.changed_at.strftime("%Y-%m-%d %H:%M") if p.changed_at else "",
                ),
            )
            for p in periods
        ]

    def status_text(self, rows: Sequence[ListRow]) -> str:
        keys = ["[ ] year"]
        if self.check_action("close_period", ()):
            keys.append("c close · o override")
        if self.check_action("reopen_period", ()):
            keys.append("u reopen")
        return f"Fiscal periods of {self._shown_year} · " + " · ".join(keys)

    def _selected(self, action: str) -> str | None:
        """The highlighted month if the ledger lets it be closed or reopened (``action``);
        otherwise say why not."""
        from bo_console.finance.ledger import period_actions

        row = self.selected()
        view = self._periods.get(row.key) if row is not None else None
        if view is None:
            return None
        if action not in period_actions(self.bo_app.actor, view):
            self.notify(f"{view.period} is already {view.status}; nothing to do")
            return None
        return view.period

    def action_close_period(self) -> None:
        from bo_console.finance import service

        period = self._selected("close")
        if period is None:
            return

        def work(session: Session, actor: Actor) -> str:
            notes: list[str] = []
            changed = service.close_period(session, actor, period, notes=notes)
            done = f"closed {period}" if changed else f"{period} was already closed"
            return "; ".join([done, *notes])

        run_action(
            self,
            ServiceAction(
                "Close period",
                "Close month",
                work=work,
                message=(
                    f"Close {period}? Nothing can be posted into it afterwards (nor reversed "
                    "into it); only an admin can reopen it."
                ),
                done=self.notify,
                topics=(PERIODS,),
            ),
        )

    def action_close_overriding(self) -> None:
        """Close the month past a failing checklist item: the form names the item and why."""
        from bo_console.finance import service
        from bo_console.ui.kit.actions import form_action
        from bo_console.ui.kit.form import FormField

        period = self._selected("close")
        if period is None:
            return
        failing = read(self, lambda s, a: service.checklist(s, a, period))
        items = [i.key for i in failing.items if not i.ok] if failing else []
        if failing is not None and failing.order_problem:
            self.notify(failing.order_problem, severity="warning")
            return
        if not items:
            self.notify(f"{period}: every checklist item is fine; close it with c")
            return

        def action(values: dict[str, str]) -> ServiceAction[str]:
            overrides = {values["item"].strip(): values["reason"]}

            def work(session: Session, actor: Actor) -> str:
                notes: list[str] = []
                service.close_period(session, actor, period, overrides=overrides, notes=notes)
                return "; ".join([f"closed {period} (overridden: {', '.join(overrides)})", *notes])

            return ServiceAction(
                "Close period",
                "Close month",
                work=work,
                message=f"Close {period} although {values['item']} fails? The reason is audited.",
                done=self.notify,
                topics=(PERIODS,),
            )

        form_action(
            self,
            f"Close {period} past its checklist",
            [
                FormField("item", f"Item ({', '.join(items)})", value=items[0], required=True),
                FormField("reason", "Reason", required=True),
            ],
            action,
        )

    def action_reopen_period(self) -> None:
        from bo_console.finance import service

        period = self._selected("reopen")
        if period is None:
            return

        def work(session: Session, actor: Actor) -> str:
            changed = service.reopen_period(session, actor, period, reason="from the console")
            return f"reopened {period}" if changed else f"{period} is not closed"

        run_action(
            self,
            ServiceAction(
                "Reopen period",
                "Reopen",
                work=work,
                message=f"Reopen {period}? Entries can be posted into it again (audited).",
                done=self.notify,
                topics=(PERIODS,),
            ),
        )
