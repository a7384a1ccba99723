"""The Leave tab: requests (approve, reject) and balances."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import ContentSwitcher, DataTable, Static

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError
from bo_console.hr.screen.common import Pane, fill
from bo_console.ui.kit.actions import ServiceAction, dry_run, run_action, write
from bo_console.ui.kit.form import FormField, FormScreen, date_check, one_of
from bo_console.ui.kit.notify import show_error
from bo_console.ui.kit.short_list import new_table, selected_key

if TYPE_CHECKING:
    from bo_console.hr.service.lists import LeaveRequestRow

    pass


# -- leave ------------------------------------------------------------------------------------

LEAVE_VIEWS = {"requests": "Requests", "balances": "Balances"}
PAGE = 500
"""Rows a leave list shows at most (filter by employee to find others)."""


class LeavePane(Pane):
    """Leave requests (approve or reject: the employee's manager or HR) and balances."""

    DEFAULT_CSS = """
    LeavePane ContentSwitcher { height: 1fr; }
    """

    BINDINGS = [
        Binding("v", "next_view", "View", id="hr.leave.view", tooltip="Requests or balances"),
        Binding("n", "new_request", "New request", id="hr.leave.new"),
        Binding("a", "approve", "Approve", id="hr.leave.approve"),
        Binding("d", "reject", "Reject", id="hr.leave.reject"),
        Binding(
            "f",
            "toggle_pending",
            "Pending/all",
            id="hr.leave.pending",
            tooltip="Show pending requests only, or every request",
        ),
        Binding("slash", "employee_filter", "Employee", id="hr.leave.employee", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="leave-pane")
        self.view = "requests"
        self.pending_only = True
        self.employee: str | None = None
        self.decider = False
        self.requests: dict[str, LeaveRequestRow] = {}

    def build(self) -> ComposeResult:
        yield Static("Leave", classes="status-line", id="leave-title")
        with ContentSwitcher(initial="requests"):
            yield new_table("requests")
            yield new_table("balances")

    def setup(self) -> None:
        self.query_one("#requests", DataTable).add_columns(
            "ID", "Employee", "Name", "Type", "From", "To", "Days", "Status", "By"
        )
        self.query_one("#balances", DataTable).add_columns(
            "Employee", "Name", "Type", "Accrued", "Taken", "Adjusted", "Pending", "Balance"
        )

    async def on_first_show(self) -> None:
        if not self.loaded:
            from bo_console.hr.service import leave

            app = self.bo_app
            with app.store.read() as session:
                self.decider = leave.may_decide(session, app.actor)
        await super().on_first_show()
        self.screen.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        requests = self.view == "requests"
        if action == "new_request":
            return requests and self.may("hr.write")
        if action in ("approve", "reject"):
            return requests and self.decider
        if action == "toggle_pending":
            return requests
        return True

    def action_next_view(self) -> None:
        self.view = "balances" if self.view == "requests" else "requests"
        self.query_one(ContentSwitcher).current = self.view
        self.query_one(f"#{self.view}", DataTable).focus()
        self.reload()
        self.screen.refresh_bindings()

    def action_toggle_pending(self) -> None:
        self.pending_only = not self.pending_only
        self.reload()

    def action_employee_filter(self) -> None:
        from bo_console.ui.widgets.filter import FilterPrompt

        def apply(text: str | None) -> None:
            if text is not None:
                self.employee = text.upper() or None
                self.reload()

        self.app.push_screen(FilterPrompt(self.employee or "", "employee number"), apply)

    def reload(self) -> None:
        from bo_console.hr.service import leave

        app = self.bo_app
        title = self.query_one("#leave-title", Static)
        table = self.query_one(f"#{self.view}", DataTable)
        try:
            with app.store.read() as session:
                if self.view == "requests":
                    rows = leave.list_requests(
                        session,
                        app.actor,
                        status="pending" if self.pending_only else None,
                        employee=self.employee,
                        limit=PAGE,
                    )
                    self.requests = {str(r["id"]): r for r in rows}
                    fill(
                        table,
                        rows,
                        "id",
                        [
                            "id",
                            "employee",
                            "name",
                            "type",
                            "starts_on",
                            "ends_on",
                            ">days",
                            "status",
                            "requested_by",
                        ],
                    )
                    which = "pending requests" if self.pending_only else "requests"
                else:
                    found = leave.balances(session, app.actor, employee=self.employee, limit=PAGE)
                    fill(
                        table,
                        [{**r.record(), "key": f"{r.employee}:{r.type}"} for r in found],
                        "key",
                        [
                            "employee",
                            "name",
                            "type",
                            ">accrued",
                            ">taken",
                            ">adjusted",
                            ">pending",
                            ">balance",
                        ],
                    )
                    which = "balances"
        except BoError as exc:
            title.update(exc.message)
            return
        views = " · ".join(
            f"[{name}]" if key == self.view else name for key, name in LEAVE_VIEWS.items()
        )
        count = f"first {PAGE} {which}" if len(rows) >= PAGE else f"{len(rows)} {which}"
        who = f" of {self.employee}" if self.employee else ""
        title.update(Text(f"{views} (v) · {count}{who} · / employee"))

    def _request(self) -> LeaveRequestRow | None:
        key = selected_key(self.query_one("#requests", DataTable))
        return None if key is None else self.requests.get(key)

    def action_new_request(self) -> None:
        from bo_console.hr.service import leave

        app = self.bo_app
        with app.store.read() as session:
            types = [t["code"] for t in leave.list_leave_types(session, app.actor)]

        def submit(values: dict[str, str]) -> int:
            start = parse_date(values["starts_on"])
            row = write(
                self,
                lambda session, actor: leave.request_leave(
                    session,
                    actor,
                    employee=values["employee"],
                    type_code=values["type"],
                    starts_on=start,
                    ends_on=parse_date(values["ends_on"]) if values["ends_on"] else start,
                    reason=values["reason"],
                ),
            )
            return row.id or 0

        form = FormScreen(
            "New leave request",
            [
                FormField(
                    "employee",
                    "Employee",
                    value=self.employee or "",
                    required=True,
                    help="Employee number.",
                ),
                FormField(
                    "type",
                    "Leave type",
                    required=True,
                    suggestions=types,
                    check=lambda t: one_of(types, "leave type")(t.strip().upper()),
                ),
                FormField("starts_on", "From", required=True, check=date_check),
                FormField("ends_on", "To", check=date_check, help="Blank: one day."),
                FormField("reason", "Reason"),
            ],
            submit,
            save_label="Request",
        )

        def done(request_id: int | None) -> None:
            if request_id:
                self.notify(f"leave request {request_id} made")
                self.reload()

        app.push_screen(form, done)

    def action_approve(self) -> None:
        from bo_console.hr.service import leave

        request = self._request()
        if request is None:
            return
        request_id = request.id

        def approved(_: object) -> None:
            self.notify(f"leave request {request_id} approved")
            self.reload()

        run_action(
            self,
            ServiceAction(
                f"Approve leave request {request_id}",
                "Approve",
                lambda session, actor: leave.approve(session, actor, request_id),
                f"Approve {request.days} {'day' if request.days == '1' else 'days'} of "
                f"{request.type} leave for {request.name} ({request.employee}) from "
                f"{request.starts_on} to {request.ends_on}? Leave with a balance is charged to "
                "it now.",
                approved,
            ),
        )

    def action_reject(self) -> None:
        from bo_console.hr.service import leave

        request = self._request()
        if request is None:
            return
        request_id = request.id
        try:
            dry_run(self, lambda session, actor: leave.reject(session, actor, request_id))
        except BoError as exc:
            show_error(self, exc)
            return

        def submit(values: dict[str, str]) -> bool:
            write(self, lambda s, a: leave.reject(s, a, request_id, note=values["note"]))
            return True

        form = FormScreen(
            f"Reject leave request {request_id} of {request['name']}?",
            [FormField("note", "Reason", placeholder="told to the employee")],
            submit,
            save_label="Reject",
        )

        def done(result: bool | None) -> None:
            if result:
                self.notify(f"leave request {request_id} rejected")
                self.reload()

        self.app.push_screen(form, done)
