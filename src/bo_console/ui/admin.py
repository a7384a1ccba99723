"""Admin: users and roles, the audit log and job runs (admins change; auditors read)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from bo_console.core import audit, jobs, security
from bo_console.core.errors import BoError
from bo_console.core.security import ROLES, Actor
from bo_console.ui.base import BoScreen

if TYPE_CHECKING:
    pass
from bo_console.ui.widgets.cells import cells
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormField, FormScreen, one_of
from bo_console.ui.widgets.text_viewer import TextViewer
from bo_console.ui.widgets.virtual_table import VirtualTable

USER_ACTIONS = {"add_user", "grant", "revoke", "toggle_active"}


class AdminScreen(BoScreen):
    """Users and roles, the audit log, job runs."""

    SCREEN_TITLE = "Admin"
    HELP = (
        "Users: n adds a console user (their OS login and roles), g grants a role, v revokes one, "
        "d disables or re-enables the selected user. Roles lists what each role may do. "
        "Audit log shows every change, newest first; / filters it. Jobs lists batch job runs. "
        "Auditors see everything here but cannot change users."
    )
    BINDINGS = [
        Binding("n", "add_user", "New user", id="admin.new-user"),
        Binding("g", "grant", "Grant", id="admin.grant", tooltip="Grant a role to the user"),
        Binding("v", "revoke", "Revoke", id="admin.revoke", tooltip="Revoke a role"),
        Binding("d", "toggle_active", "Disable/enable", id="admin.disable"),
        Binding("r", "reload", "Refresh", id="admin.refresh"),
        Binding("1", "tab('users')", "Users", show=False),
        Binding("2", "tab('roles')", "Roles", show=False),
        Binding("3", "tab('audit')", "Audit", show=False),
        Binding("4", "tab('jobs')", "Jobs", show=False),
    ]

    @staticmethod
    def allowed(actor: Actor) -> bool:
        """Admins and auditors (anyone who may administer users or read the audit trail)."""
        from bo_console import departments

        return departments.screen_refusal(actor, "admin") is None

    def compose_body(self) -> ComposeResult:
        with TabbedContent(initial="users", id="admin-tabs"):
            with TabPane("1 Users", id="users"):
                yield DataTable(cursor_type="row", zebra_stripes=True, id="users-table")
            with TabPane("2 Roles", id="roles"):
                yield DataTable(cursor_type="row", zebra_stripes=True, id="roles-table")
            with TabPane("3 Audit log", id="audit"):
                yield Static("", id="audit-status", classes="status-line")
                if self.bo_app.actor.can("audit.read"):
                    yield VirtualTable(
                        audit.audit_source(self.bo_app.store, self.bo_app.actor),
                        id="audit-table",
                        filter_hint="user, action, record type or id, or any text in the changes",
                    )
            with TabPane("4 Jobs", id="jobs"):
                yield DataTable(cursor_type="row", zebra_stripes=True, id="jobs-table")

    def on_mount(self) -> None:
        self.query_one("#users-table", DataTable).add_columns(
            "Login", "Name", "Roles", "Active", "Created"
        )
        self.query_one("#roles-table", DataTable).add_columns(
            "Role", "What it is for", "Permissions"
        )
        self.query_one("#jobs-table", DataTable).add_columns(
            "ID", "Job", "Key", "User", "Started", "Outcome", "Summary"
        )
        self.reload()
        self.query_one("#users-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        self._load_users()
        self._load_roles()
        self._load_audit()
        self._load_jobs()

    def _load_users(self) -> None:
        table = self.query_one("#users-table", DataTable)
        selected = self._selected_login()
        table.clear()
        try:
            with self.bo_app.store.read() as session:
                users = security.list_users(session, self.bo_app.actor)
        except BoError as exc:
            self.notify(exc.message, severity="error")
            return
        for u in users:
            table.add_row(
                *cells(
                    u.login,
                    u.full_name,
                    ", ".join(u.roles),
                    "yes" if u.active else "no",
                    u.created_at,
                ),
                key=u.login,
            )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))

    def _load_roles(self) -> None:
        table = self.query_one("#roles-table", DataTable)
        table.clear()
        for role in ROLES.values():
            table.add_row(*cells(role.name, role.description, ", ".join(sorted(role.permissions))))

    def _load_audit(self) -> None:
        tables = self.query("#audit-table")
        if not tables:
            self.query_one("#audit-status", Static).update("You cannot read the audit trail.")
            return
        tables.first(VirtualTable).refresh_data()

    @on(VirtualTable.Moved, "#audit-table")
    def _audit_moved(self, event: VirtualTable.Moved) -> None:
        self.query_one("#audit-status", Static).update(
            f"Audit trail: {event.table.status_text()}   / filter · o order · enter details"
        )

    @on(VirtualTable.RowSelected, "#audit-table")
    def _audit_row(self, event: VirtualTable.RowSelected) -> None:
        row = event.row
        fields = ("id", "at", "user_login", "os_user", "origin", "action", "entity", "entity_id")
        lines = [f"{name}: {row[name]}" for name in fields]
        lines.append(f"changes: {row['changes']}")
        self.app.push_screen(TextViewer(f"Audit row {row['id']}", "\n".join(lines)))

    def _load_jobs(self) -> None:
        table = self.query_one("#jobs-table", DataTable)
        table.clear()
        actor = self.bo_app.actor
        if not actor.can("jobs.read"):
            return
        with self.bo_app.store.read() as session:
            runs = jobs.list_runs(session, actor, limit=200)
        for r in runs:
            table.add_row(
                *cells(
                    r.id,
                    r.name,
                    r.key,
                    r.user_login,
                    r.started_at.strftime("%Y-%m-%d %H:%M"),
                    r.outcome,
                    r.summary,
                )
            )

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides the key (and refuses it): auditors read only, and user keys work only on
        # the Users tab.
        if action in USER_ACTIONS:
            if not self.bo_app.actor.can("users.admin"):
                return False
            tabs = self.query("#admin-tabs")
            if tabs and tabs.first(TabbedContent).active != "users":
                return False
        return True

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def action_tab(self, tab: str) -> None:
        self.query_one("#admin-tabs", TabbedContent).active = tab
        # Put the keys straight into the tab's list.
        for widget in self.query_one(f"#{tab}").query("DataTable, VirtualTable"):
            widget.focus()
            break
        self.refresh_bindings()

    def action_reload(self) -> None:
        self.reload()
        self.notify("refreshed")

    def _selected_login(self) -> str | None:
        table = self.query_one("#users-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def action_add_user(self) -> None:
        app = self.bo_app
        role_names = list(ROLES)

        def submit(values: dict[str, str]) -> str:
            roles = [r.strip() for r in values["roles"].replace(",", " ").split() if r.strip()]
            with app.store.write() as session:
                security.add_user(
                    session,
                    app.actor,
                    login=values["login"],
                    roles=roles,
                    full_name=values["full_name"],
                )
            return values["login"]

        def login_check(text: str) -> str | None:
            try:
                security.validate_login(text)
            except BoError as exc:
                return exc.message
            return None

        def roles_check(text: str) -> str | None:
            unknown = [r for r in text.replace(",", " ").split() if r not in ROLES]
            return f"unknown role {unknown[0]!r}" if unknown else None

        form = FormScreen(
            "New console user",
            [
                FormField(
                    "login",
                    "OS login",
                    required=True,
                    check=login_check,
                    placeholder="their account name on this machine",
                ),
                FormField("full_name", "Full name", placeholder="Latin or Arabic"),
                FormField(
                    "roles",
                    "Roles",
                    required=True,
                    check=roles_check,
                    suggestions=role_names,
                    placeholder="e.g. finance-clerk",
                    help="Separate several roles with spaces. See the Roles tab.",
                ),
            ],
            submit,
            save_label="Add user",
        )

        def added(result: Any) -> None:
            self._after_change("added")(result)
            if result:
                # On a sealed host the account joins the console group, as `bo users add` does.
                from bo_console.host.members import admit

                note = admit(str(result))
                if note:
                    self.notify(note, timeout=10)

        self.app.push_screen(form, added)

    def _after_change(self, verb: str) -> Callable[[Any], None]:
        def done(result: Any) -> None:
            if result:
                self.notify(f"{verb} {result}")
                self.reload()

        return done

    def _role_form(self, grant: bool) -> None:
        login = self._selected_login()
        if login is None:
            return
        app = self.bo_app

        def submit(values: dict[str, str]) -> str:
            with app.store.write() as session:
                if grant:
                    changed = security.grant_role(
                        session, app.actor, login=login, role=values["role"]
                    )
                else:
                    changed = security.revoke_role(
                        session, app.actor, login=login, role=values["role"]
                    )
            return f"{values['role']} for {login}" if changed else "nothing (no change)"

        verb = "Grant a role to" if grant else "Revoke a role from"
        form = FormScreen(
            f"{verb} {login}",
            [
                FormField(
                    "role",
                    "Role",
                    required=True,
                    check=one_of(list(ROLES), "role"),
                    suggestions=list(ROLES),
                ),
            ],
            submit,
            save_label="Grant" if grant else "Revoke",
        )
        self.app.push_screen(form, self._after_change("granted" if grant else "revoked"))

    def action_grant(self) -> None:
        self._role_form(grant=True)

    def action_revoke(self) -> None:
        self._role_form(grant=False)

    def action_toggle_active(self) -> None:
        login = self._selected_login()
        if login is None:
            return
        app = self.bo_app
        table = self.query_one("#users-table", DataTable)
        active = str(table.get_row(login)[3]) == "yes"

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                with app.store.write() as session:
                    security.set_active(session, app.actor, login=login, active=not active)
            except BoError as exc:
                self.notify(exc.message, title=exc.title, severity="error")
                return
            self.notify(f"{'disabled' if active else 'enabled'} {login}")
            self.reload()

        message = (
            f"Disable {login}? They will no longer be able to use the console; their "
            "history is kept."
            if active
            else f"Re-enable {login}?"
        )
        self.app.push_screen(
            ConfirmDialog(
                message, confirm_label="Disable" if active else "Enable", destructive=active
            ),
            answered,
        )
