"""The department screen scaffold: numbered tabs, list panes with export, the inbox tab."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import DataTable, Static, TabbedContent

from bo_console.core.models import User
from bo_console.core.paging import Column, QuerySource
from bo_console.core.security import Actor
from bo_console.ui.app import BoApp
from bo_console.ui.department import DepartmentScreen, ListPane, Tab
from bo_console.ui.widgets.form import FormScreen
from bo_console.ui.widgets.virtual_table import VirtualTable


class PeopleScreen(DepartmentScreen):
    DEPARTMENT = "it"
    SCREEN_TITLE = "IT"

    def tabs(self) -> Iterable[Tab]:
        app = self.bo_app
        users = User.metadata.tables["console_user"].c
        source = QuerySource(
            app.store,
            select(users.id, users.login, users.full_name),
            users.id,
            [
                Column("id", "ID", 4, "right", sort=users.id),
                Column("login", "Login", 12, sort=users.login),
                Column("full_name", "Name", 20),
            ],
        )
        yield Tab("people", "People", lambda: ListPane(source, name="people", title="People"))


async def test_a_filter_that_looks_like_markup_shows_as_typed(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PeopleScreen())
        await pilot.pause()
        pane = app.screen.query_one(ListPane)
        pane.table.set_filter("[/]")  # once a markup error out of the status line
        await pilot.pause()
        status = pane.query_one(".status-line", Static)
        assert str(status.render()).endswith('· filter "[/]"')
        line = status.render_lines(status.size.region)[0].text
        assert 'filter "[/]"' in line


async def test_tabs_list_export_and_inbox(
    app_for: Callable[[Actor], BoApp], admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = app_for(admin)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PeopleScreen())
        await pilot.pause()
        table = app.screen.query_one(VirtualTable)
        assert table.has_focus and table.count == 3
        status = str(app.screen.query_one(ListPane).query_one(".status-line", Static).render())
        assert "People: row 1 of 3" in status
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        exported = list(tmp_path.glob("bo-people-*.csv"))
        assert len(exported) == 1
        rows = list(csv.DictReader(exported[0].open(encoding="utf-8")))
        assert [r["login"] for r in rows] == ["boadmin", "omar", "aisha"]
        await pilot.press("2")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "inbox"
        assert app.screen.query_one("#inbox-table", DataTable).row_count == 1
