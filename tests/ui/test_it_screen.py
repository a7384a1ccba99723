"""Pilot tests for the IT screen at 80x24: a ticket taken and resolved, the scanner's
check-out and its refusal, My requests for anyone, offboarding refused while the leaver
holds equipment."""

from __future__ import annotations

from datetime import date

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from bo_console.hr.service import people
from bo_console.it import service
from bo_console.it.screen import ITScreen, TicketDialog
from bo_console.it.screen.tickets import MyRequestsPane, my_requests, raise_ticket
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.form import FormScreen
from bo_console.ui.widgets.virtual_table import VirtualTable
from tests.unit.it import conftest as it_fixtures
from tests.unit.it.conftest import IT
from tests.unit.it.factories import asset, capitalised_laptops, ticket

SIZE = (80, 24)
it = it_fixtures.it  # the IT staff fixture of the service tests


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_it(pilot: Pilot[None], tab: str = "") -> ITScreen:
    await pilot.press("i")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ITScreen)
    if tab:
        await pilot.press(tab)
        await _settle(pilot)
    return screen


async def _fill(pilot: Pilot[None], values: dict[str, str]) -> None:
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    for name, text in values.items():
        form.query_one(f"#field-{name}", Input).value = text
    await pilot.pause()
    await pilot.press("ctrl+s")
    await _settle(pilot)


def _notes(app: BoApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_an_it_clerk_takes_and_resolves_a_ticket(it: IT) -> None:
    ref = ticket(it, subject="Cannot print")
    app = BoApp(store=it.store, actor=it.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_it(pilot)
        table = screen.query_one("#tickets-table", VirtualTable)
        assert table.count == 1
        table.focus()
        await pilot.press("enter")
        await _settle(pilot)
        assert isinstance(app.screen, TicketDialog)
        await pilot.press("t")
        await _settle(pilot)
        assert isinstance(app.screen, TicketDialog)  # shown again, now assigned
        assert app.screen.view.row.status == "assigned"
        await pilot.press("v")
        await _settle(pilot)
        await _fill(pilot, {"note": "Replaced the toner"})
        assert isinstance(app.screen, TicketDialog)
        assert app.screen.view.row.status == "resolved"
        assert "k" not in app.screen.keys_text().split(" ")[0]
    with it.store.read() as session:
        assert service.get_ticket(session, it.requester, ref).row.status == "resolved"


async def test_a_scanned_check_out_and_a_second_one_refused_beside_the_form(it: IT) -> None:
    asset(it, "LT-0001", "S1")
    app = BoApp(store=it.store, actor=it.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await _open_it(pilot, "2")
        await pilot.press("c")
        await _settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-to", Input).value = it.ali
        form.query_one("#field-tag", Input).focus()
        await pilot.press(*"lt-0001", "enter")  # the scanner types the tag and Enter
        await _settle(pilot)
        again = app.screen
        assert isinstance(again, FormScreen) and again is not form  # ready for the next scan
        assert again.query_one("#field-to", Input).value == it.ali
        again.query_one("#field-to", Input).value = it.badr
        again.query_one("#field-tag", Input).focus()
        await pilot.press(*"LT-0001", "enter")
        await _settle(pilot)
        assert app.screen is again  # refused: the form stays with what was typed
        assert "already checked out" in str(again.query_one("#form-message").render())
    with it.store.read() as session:
        assert service.get_asset(session, it.clerk, "LT-0001").row.custodian.startswith(it.ali)


async def test_anyone_raises_a_ticket_and_follows_it_in_my_requests(it: IT) -> None:
    app = BoApp(store=it.store, actor=it.requester)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        raise_ticket(app.screen)
        await _settle(pilot)
        await _fill(pilot, {"subject": "VPN drops", "category": "network", "priority": "P2"})
        assert any("raised T000001" in n for n in _notes(app))
        my_requests(app.screen)
        await _settle(pilot)
        pane = app.screen.query_one(MyRequestsPane)
        assert [r.values[4] for r in pane.rows] == ["VPN drops"]


async def test_offboarding_is_not_completed_while_the_leaver_holds_a_laptop(it: IT) -> None:
    tag = asset(it)
    with it.store.write() as session:
        service.check_out(session, it.clerk, tag, it.badr)
        people.terminate_employee(session, it.admin, it.badr, on=date(2026, 11, 30))
    app = BoApp(store=it.store, actor=it.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_it(pilot, "4")
        table = screen.query_one("#boarding-table", DataTable)
        table.focus()
        assert table.row_count == 1
        await pilot.press("space")
        await _settle(pilot)
        await pilot.press("c")
        await _settle(pilot)
        assert any("still holds asset LT-0001" in n for n in _notes(app))


async def test_a_stock_take_scanned_on_screen_shows_what_is_missing_and_closes(it: IT) -> None:
    from bo_console.it.screen.stocktake import StocktakeDialog

    asset(it, "LT-0001", "S1", location="HQ")
    asset(it, "LT-0002", "S2", location="HQ")
    asset(it, "LT-0003", "S3", location="Annex")
    app = BoApp(store=it.store, actor=it.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await _open_it(pilot, "2")
        await pilot.press("t")
        await _settle(pilot)
        await _fill(pilot, {"location": "HQ"})
        scan = app.screen
        assert isinstance(scan, FormScreen)
        scan.query_one("#field-tag", Input).focus()
        await pilot.press(*"lt-0001", "enter")  # the scanner types the tag and Enter
        await _settle(pilot)
        again = app.screen
        assert isinstance(again, FormScreen) and again is not scan  # ready for the next tag
        again.query_one("#field-tag", Input).focus()
        await pilot.press(*"LT-9999", "enter")
        await _settle(pilot)
        assert app.screen is again  # an unknown tag: said beside the form, nothing counted
        assert "no asset with tag" in str(again.query_one("#form-message").render())
        again.query_one("#field-tag", Input).value = ""
        await pilot.press(*"LT-0003", "enter")
        await _settle(pilot)
        assert any("register has it at Annex" in n for n in _notes(app))
        await pilot.press("escape")
        await _settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StocktakeDialog)
        assert dialog.view.found == 1 and [m.tag for m in dialog.view.missing] == ["LT-0002"]
        await pilot.press("c")
        await _settle(pilot)
        assert isinstance(app.screen, StocktakeDialog) and app.screen.view.status == "closed"
    with it.store.read() as session:
        assert [t.found for t in service.list_stocktakes(session, it.clerk)] == [1]


def _strip_progress(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """What the job strip's bar is told, in order (on the screen's thread)."""
    from bo_console.ui.kit.jobs import JobStrip

    heard: list[tuple[int, int]] = []
    shown = JobStrip.progress

    def spy(self: JobStrip, done: int, total: int) -> None:
        heard.append((done, total))
        shown(self, done, total)

    monkeypatch.setattr(JobStrip, "progress", spy)
    return heard


async def test_depreciation_from_the_assets_tab_runs_under_a_progress_bar(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.core import jobs
    from bo_console.it import ledger
    from bo_console.ui.kit.jobs import JobStrip
    from bo_console.ui.widgets.confirm import ConfirmDialog

    capitalised_laptops(it)
    monkeypatch.setattr(ledger, "PROGRESS_STEP", 1)
    heard = _strip_progress(monkeypatch)
    app = BoApp(store=it.store, actor=it.manager)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_it(pilot, "2")
        await pilot.press("d")
        await _settle(pilot)
        await _fill(pilot, {"period": "2026-12"})
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "3 assets, 416.67" in dialog.message
        await pilot.press("y")
        await _settle(pilot)
        strip = screen.query_one("#assets-job", JobStrip)
        assert not strip.busy and not strip.has_class("busy")
        assert heard == [(1, 4), (2, 4), (3, 4), (4, 4)]  # advancing, ending at the total
        assert any("2026-12: 3 assets, 416.67 posted" in n for n in _notes(app))
        # The month again: refused beside the form, before anything runs.
        await pilot.press("d")
        await _settle(pilot)
        await _fill(pilot, {"period": "2026-12"})
        assert isinstance(app.screen, FormScreen)
        assert "already posted" in str(app.screen.query_one("#form-message").render())
    with it.store.read() as session:
        runs = jobs.list_runs(session, it.admin, name="it.assets.depreciate")
    assert [r.outcome for r in runs] == ["ok"]


async def test_a_clerk_has_no_depreciation_key(it: IT) -> None:
    app = BoApp(store=it.store, actor=it.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_it(pilot, "2")
        pane = screen.query_one("#assets-pane")
        assert pane.check_action("depreciate", ()) is False


async def test_escalation_and_renewal_reminders_run_under_the_tabs_progress_bars(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from bo_console.core.clock import today
    from bo_console.it import licences, sla
    from bo_console.ui.widgets.confirm import ConfirmDialog
    from tests.unit.it.factories import licence

    for n in range(3):
        licence(it, f"Tool {n}", renewal_date=today() + timedelta(days=5 + n))
    monkeypatch.setattr(licences, "PROGRESS_STEP", 1)
    monkeypatch.setattr(sla, "ESCALATION_CHUNK", 1)
    heard = _strip_progress(monkeypatch)
    app = BoApp(store=it.store, actor=it.manager)
    async with app.run_test(size=SIZE) as pilot:
        await _open_it(pilot)
        await pilot.press("e")
        await _settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await _settle(pilot)
        assert heard == [(1, 1)]  # nothing breached: one step, done
        assert any("0 breaches escalated, 0 closed" in n for n in _notes(app))
        heard.clear()
        await pilot.press("3")
        await _settle(pilot)
        await pilot.press("m")
        await _settle(pilot)
        await _fill(pilot, {"within": "30d"})
        await _settle(pilot)
        assert heard == [(1, 3), (2, 3), (3, 3)]
        assert any("3 to renew, 3 new inbox items" in n for n in _notes(app))
