"""Pilot tests for the Data management screen at 80x24: a saved query run with its
parameters, SQL typed and its result exported, and the console's refusals shown."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.data.screen import DataScreen
from bo_console.data.screen.queries import ResultArea
from bo_console.ui.app import BoApp
from bo_console.ui.kit import ReportPane
from bo_console.ui.widgets.form import FormScreen
from tests.unit.data.test_console import ADD_EMPLOYEE
from tests.unit.finance.conftest import Poster, Team, post, sale, team

__all__ = ["post", "team"]  # the ledger tests' fixtures, used here too

SIZE = (80, 24)


@pytest.fixture
def analyst(store: Store, make_user: Callable[..., Actor]) -> Actor:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.executescript(ADD_EMPLOYEE)
    conn.close()
    return make_user("ana", "analyst")


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open(pilot: Pilot[None], tab: str) -> DataScreen:
    await pilot.press("d")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DataScreen)
    await pilot.press(tab)
    await _settle(pilot)
    return screen


def _notes(app: BoApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_an_analyst_runs_a_saved_query_with_its_parameters(
    store: Store, analyst: Actor
) -> None:
    app = BoApp(store=store, actor=analyst)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "2")
        table = screen.query_one("#queries-table")
        table.focus()
        await pilot.press("down")  # the second saved query: headcount movement
        await pilot.press("enter")
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-from_month", Input).value = "2026-01"
        form.query_one("#field-to_month", Input).value = "2026-02"
        await pilot.press("ctrl+s")
        await _settle(pilot)
        await _settle(pilot)
        area = screen.query_one("#query-result", ResultArea)
        pane = area.query_one(ReportPane)
        assert pane.export_rows == [
            {"month": "2026-01", "hires": 1, "leavers": 0, "headcount": 1},
            {"month": "2026-02", "hires": 0, "leavers": 0, "headcount": 1},
        ]


async def test_sql_typed_runs_and_its_result_exports(
    store: Store, analyst: Actor, tmp_path: Path
) -> None:
    app = BoApp(store=store, actor=analyst)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "3")
        box = screen.query_one("#sql-input", Input)
        box.focus()
        box.value = "SELECT number, org_unit FROM v_hr_employee"
        await pilot.press("enter")
        await _settle(pilot)
        pane = screen.query_one("#sql-result", ResultArea).query_one(ReportPane)
        assert pane.export_rows == [{"number": "E09000", "org_unit": "QA"}]
        target = tmp_path / "out.csv"
        pane.table.focus()
        await pilot.press("x")
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert target.read_text(encoding="utf-8").splitlines()[-1] == "E09000,QA"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("DELETE FROM hr_employee", "only reads"),
        ("SELECT iban FROM v_hr_employee_pay", "confidential"),
        ("ATTACH DATABASE 'x.db' AS x", "ATTACH"),
    ],
)
async def test_the_console_refusals_are_shown(
    store: Store, analyst: Actor, text: str, shown: str
) -> None:
    app = BoApp(store=store, actor=analyst)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "3")
        box = screen.query_one("#sql-input", Input)
        box.focus()
        box.value = text
        await pilot.press("enter")
        await _settle(pilot)
        note = screen.query_one("#sql-result .result-note", Static)
        assert shown in str(note.render())
        assert any(shown in n for n in _notes(app))
        assert not screen.query(ReportPane)
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT count(*) FROM hr_employee").fetchone()[0] == 1
    conn.close()


async def test_quality_lists_findings_and_a_manager_notifies_the_departments(
    store: Store, admin: Actor, make_user: Callable[..., Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import DataTable

    from bo_console.core import inbox, jobs
    from bo_console.data import service
    from bo_console.ui.kit.jobs import JobStrip
    from bo_console.ui.widgets.confirm import ConfirmDialog
    from tests.unit.data.test_quality import UNIT, employee, raw

    raw(store, UNIT + employee(904, iban=None))
    clerk = make_user("dc", "data-clerk", "hr-clerk")
    app = BoApp(store=store, actor=clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "4")
        table = screen.query_one("#quality-table", DataTable)
        assert table.row_count == 1
        assert "E00904 has no IBAN" in str(table.get_row_at(0)[2])
        table.focus()
        await pilot.press("n")  # a data clerk may not notify: the key does nothing
        await _settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
    heard: list[tuple[int, int]] = []
    shown = JobStrip.progress

    def spy(self: JobStrip, done: int, total: int) -> None:
        heard.append((done, total))
        shown(self, done, total)

    monkeypatch.setattr(JobStrip, "progress", spy)
    app = BoApp(store=store, actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "4")
        screen.query_one("#quality-table", DataTable).focus()
        await pilot.press("n")
        await _settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await _settle(pilot)
        assert any("1 inbox items opened" in n for n in _notes(app))
        # The bar moved a step per rule, then the inbox, and is put away.
        steps = len(service.RULES) + 1
        assert heard == [(n, steps) for n in range(1, steps + 1)]
        assert not screen.query_one("#quality-job", JobStrip).has_class("busy")
    with store.read() as session:
        items = inbox.list_items(session, admin, dept="hr")
        runs = jobs.list_runs(session, admin, name="data.quality.check")
    assert [i.kind for i in items] == ["data-quality"]
    assert [r.outcome for r in runs] == ["ok"] and "1 inbox items opened" in runs[0].summary


async def test_the_dashboard_opens_first_and_fits_80_columns(store: Store, analyst: Actor) -> None:
    from bo_console.data.screen import DashboardPane

    app = BoApp(store=store, actor=analyst)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, DataScreen)
        pane = screen.query_one(DashboardPane)
        assert pane.board is not None and pane.board.headcount == 1
        months = str(screen.query_one("#board-months", Static).render())
        assert len(months.splitlines()) == 13
        figures = str(screen.query_one("#board-figures", Static).render())
        assert "Headcount 1" in figures and "no approved pay run" in figures
        assert all(len(line) <= 80 for line in (months + "\n" + figures).splitlines())
        charts = str(screen.query_one("#board-charts", Static).render())
        assert "Revenue * and expenses . by month" in charts
        assert "Cash and banks at month end" not in charts  # no closed month: one point
        assert all(len(line) <= 80 for line in charts.splitlines())
        await pilot.press("r")
        await _settle(pilot)
        assert pane.board is not None


async def test_an_analyst_pivots_a_saved_query(store: Store, analyst: Actor) -> None:
    app = BoApp(store=store, actor=analyst)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, "2")
        screen.query_one("#queries-table").focus()
        await pilot.press("down")  # headcount movement
        await pilot.press("p")
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        for name, value in {
            "from_month": "2026-01",
            "to_month": "2026-02",
            "rows": "hires",
            "columns": "month",
            "values": "headcount",
        }.items():
            form.query_one(f"#field-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await _settle(pilot)
        await _settle(pilot)
        pane = screen.query_one("#query-result", ResultArea).query_one(ReportPane)
        assert pane.export_columns == ["hires", "2026-01", "2026-02", "total"]
        assert pane.export_rows == [
            {"hires": 0, "2026-01": 0, "2026-02": 1, "total": 1},
            {"hires": 1, "2026-01": 1, "2026-02": 0, "total": 1},
        ]


async def test_a_data_manager_backfills_snapshots_from_the_dashboard_under_a_bar(
    store: Store,
    admin: Actor,
    team: Team,
    analyst: Actor,
    post: Poster,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import date

    from bo_console.core import jobs
    from bo_console.data.screen import DashboardPane
    from bo_console.finance import service as finance
    from bo_console.ui.kit.jobs import JobStrip

    post(date(2026, 8, 5), *sale(100_000))
    for period in ("2026-08", "2026-09"):
        with store.write() as session:
            finance.close_period(session, team.manager, period, after_close=False, notes=[])
    heard: list[tuple[int, int]] = []
    shown = JobStrip.progress

    def spy(self: JobStrip, done: int, total: int) -> None:
        heard.append((done, total))
        shown(self, done, total)

    monkeypatch.setattr(JobStrip, "progress", spy)
    app = BoApp(store=store, actor=analyst)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await _settle(pilot)
        pane = app.screen.query_one(DashboardPane)
        assert pane.check_action("backfill", ()) is False  # an analyst only reads
    app = BoApp(store=store, actor=admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await _settle(pilot)
        await pilot.press("b")
        await _settle(pilot)
        assert heard == [(1, 2), (2, 2)]
        assert "snapshots taken: 2026-08, 2026-09" in _notes(app)
        assert not app.screen.query_one("#dashboard-job", JobStrip).has_class("busy")
    with store.read() as session:
        runs = jobs.list_runs(session, admin, name="data.snapshots.backfill")
    assert [(r.outcome, r.summary) for r in runs] == [("ok", "snapshots taken: 2026-08, 2026-09")]
