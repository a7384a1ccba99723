"""Pilot tests for the Admin screen: users through forms, auditors read only."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, Static

from bo_console.core import security
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.ui.admin import AdminScreen
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormScreen
from bo_console.ui.widgets.text_viewer import TextViewer
from bo_console.ui.widgets.virtual_table import VirtualTable

SIZE = (80, 24)


def _users(store: Store, admin: Actor) -> dict[str, security.UserView]:
    with store.read() as session:
        return {u.login: u for u in security.list_users(session, admin)}


async def test_admin_adds_user_through_form(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AdminScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        # A burst with a correction and tabs, as a fast typist over SSH sends it.
        await pilot.press(*"monx", "backspace", "a", "tab", *"Mona", "enter", *"hr-clerk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AdminScreen)
        logins = [
            str(r[0])
            for r in (
                app.screen.query_one("#users-table", DataTable).get_row_at(i) for i in range(4)
            )
        ]
        assert "mona" in logins
    assert _users(seeded, admin)["mona"].roles == ("hr-clerk",)


async def test_form_shows_errors_beside_fields_and_writes_nothing(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"Bad Login")
        await pilot.pause()
        error = str(form.query_one("#error-login", Static).render())
        assert "invalid login" in error
        await pilot.press("tab", "tab", *"wizard")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "unknown role 'wizard'" in str(form.query_one("#error-roles", Static).render())
        assert isinstance(app.screen, FormScreen)
        # Escape with typed text asks before discarding.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, AdminScreen)
    assert set(_users(seeded, admin)) == {"boadmin", "omar", "aisha"}


async def test_service_rule_error_shown_on_form(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "n")
        await pilot.press(*"omar", "tab", "tab", *"analyst", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "already exists" in str(form.query_one("#form-message", Static).render())


async def test_grant_revoke_and_disable(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one("#users-table", DataTable)
        row = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index("omar")
        table.move_cursor(row=row)
        await pilot.press("g", *"analyst", "ctrl+s")
        await pilot.pause()
        await pilot.press("v", *"finance-clerk", "ctrl+s")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
    omar = _users(seeded, admin)["omar"]
    assert omar.roles == ("analyst",)
    assert omar.active is False


async def test_auditor_reads_but_cannot_change_users(
    app_for: Callable[[Actor], BoApp], seeded: Store
) -> None:
    with seeded.read() as session:
        auditor = security.sign_in(session, security.Identity("aisha", "test"))
    app = app_for(auditor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AdminScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, AdminScreen)
        shown = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "add_user" not in shown
        await pilot.press("3")
        await pilot.pause()
        audit_table = app.screen.query_one("#audit-table", VirtualTable)
        assert audit_table.count > 0
        status = str(app.screen.query_one("#audit-status", Static).render())
        assert f"of {audit_table.count}" in status
        # Filter through the prompt: only rows about omar.
        audit_table.focus()
        await pilot.press("slash", *"omar", "enter")
        await pilot.pause()
        assert audit_table.count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextViewer)
        await pilot.press("escape")
        await pilot.press("4")
        await pilot.pause()
    with seeded.read() as session:
        assert len(security.list_users(session, auditor)) == 3
