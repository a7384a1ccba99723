"""Pilot tests for the HR screen: the employee form, confidentiality on screen, the pay run from
run to paid with its separation of duties, hiring, leave decisions."""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TabbedContent

from bo_console.core.db import Store
from bo_console.core.models import AuditEvent, WorkItem
from bo_console.core.security import Actor
from bo_console.hr.models import Candidate, Employee, EmployeePrivate, PayRun
from bo_console.hr.screen import (
    EmployeeCard,
    EmployeesPane,
    EnrollmentsScreen,
    HRScreen,
    LeavePane,
    PayrollPane,
    RecruitingPane,
    TrainingPane,
)
from bo_console.hr.service import leave, payroll, recruiting, training
from bo_console.hr.service.common import parse_period
from bo_console.ui import base
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormScreen
from bo_console.ui.widgets.virtual_table import VirtualTable
from tests.unit.hr.factories import Staff, add_employee, iban, make_staff, setup_org

SIZE = (80, 24)
SALARY = 1357900  # 13,579.00: digits no other field of the test data holds
SALARY_TEXT = "13,579.00"


@pytest.fixture
def staff(store: Store, admin: Actor, make_user: Callable[..., Actor]) -> Staff:
    setup_org(store, admin)
    return make_staff(make_user, admin)


@pytest.fixture
def layla(store: Store, staff: Staff) -> str:
    """An employee with a salary that must never show to the wrong reader."""
    add_employee(store, staff.manager, "Ahmed Al-Harbi", name_ar="أحمد الحربي", n=2)
    return add_employee(
        store, staff.manager, "Layla Haddad", name_ar="ليلى حداد", salary=SALARY, n=7
    )


def _screen_text(app: BoApp) -> str:
    """Everything the terminal shows now, as plain text."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def _views(store: Store, login: str) -> list[AuditEvent]:
    with store.read() as session:
        return list(
            session.exec(
                select(AuditEvent).where(
                    AuditEvent.user_login == login, col(AuditEvent.action) == "view"
                )
            ).all()
        )


def _notes(app: BoApp) -> list[str]:
    return [n.message for n in app._notifications]


async def _open_hr(pilot: Pilot[None], tab: str = "") -> HRScreen:
    await pilot.press("h")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HRScreen)
    if tab:
        await pilot.press(tab)
        await pilot.pause()
    return screen


async def _type_into(pilot: Pilot[None], form: FormScreen, name: str, text: str) -> None:
    field = form.query_one(f"#field-{name}", Input)
    field.value = ""
    field.focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


async def _set(pilot: Pilot[None], form: FormScreen, name: str, text: str) -> None:
    """Put text in a field at once (checked as if typed: the form sees the change)."""
    form.query_one(f"#field-{name}", Input).value = text
    await pilot.pause()


def _error(form: FormScreen, name: str) -> str:
    return str(form.query_one(f"#error-{name}", Static).render())


# -- the employee form ------------------------------------------------------------------------


async def test_employee_form_checks_beside_fields_and_adds(store: Store, staff: Staff) -> None:
    app = BoApp(store=store, actor=staff.manager)
    async with app.run_test(size=SIZE) as pilot:
        await _open_hr(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-hire_date", Input).value == "t"

        # The IBAN is checked as it is typed: shape, then the check digits.
        await _type_into(pilot, form, "iban", "SA00 1234")
        assert "2 letters, 2 check digits" in _error(form, "iban")
        wrong_digits = iban(41)[:-1] + ("0" if iban(41)[-1] != "0" else "1")
        await _set(pilot, form, "iban", wrong_digits)
        assert "check digits are wrong" in _error(form, "iban")
        await _set(pilot, form, "iban", iban(41))
        assert _error(form, "iban") == ""
        await _set(pilot, form, "email", "mona-at-example")
        assert "not an e-mail address" in _error(form, "email")
        await _set(pilot, form, "org_unit", "HQ")
        assert "unknown org unit 'HQ'" in _error(form, "org_unit")

        # Saving with a required field empty marks it and writes nothing.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert _error(form, "name") == "Name is required"

        await _set(pilot, form, "name", "Mona Farouk")
        await _set(pilot, form, "org_unit", "fin")
        await _set(pilot, form, "email", "mona@example.com")
        await _set(pilot, form, "base_salary", "9,500.50")
        # A rule only the service knows (age at hiring) comes back beside its field.
        await _set(pilot, form, "birth_date", "2020-01-01")
        assert _error(form, "birth_date") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "younger than 15" in _error(form, "birth_date")
        with store.read() as session:
            assert session.exec(select(Employee)).all() == []

        await _set(pilot, form, "birth_date", "1990-02-03")
        # Social insurance depends on the nationality, checked as typed.
        await _set(pilot, form, "nationality", "martian")
        assert "saudi, gcc, other" in _error(form, "nationality")
        await _set(pilot, form, "nationality", "GCC")
        assert _error(form, "nationality") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EmployeeCard)
        assert "9,500.50" in str(app.screen.query_one("#card-body", Static).render())
    with store.read() as session:
        employee = session.exec(select(Employee)).one()
        private = session.get(EmployeePrivate, employee.id)
    assert employee.nationality == "gcc"
    assert (employee.name, employee.email) == ("Mona Farouk", "mona@example.com")
    assert private is not None and (private.iban, private.base_salary) == (iban(41), 950050)


async def test_edit_form_changes_only_what_was_typed(
    store: Store, staff: Staff, layla: str
) -> None:
    app = BoApp(store=store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_hr(pilot)
        table = screen.query_one(EmployeesPane).table
        table.set_filter(layla)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        # A clerk's form has no confidential fields at all.
        assert not form.query("#field-base_salary") and not form.query("#field-iban")
        await _set(pilot, form, "phone", "+966 50 123 4567")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HRScreen)
    with store.read() as session:
        employee = session.exec(select(Employee).where(Employee.number == layla)).one()
        private = session.get(EmployeePrivate, employee.id)
    assert employee.phone == "+966 50 123 4567"
    assert private is not None and private.base_salary == SALARY


# -- confidentiality --------------------------------------------------------------------------


async def test_a_clerk_never_sees_a_salary_on_screen(
    store: Store, staff: Staff, layla: str
) -> None:
    app = BoApp(store=store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_hr(pilot)
        pane = screen.query_one(EmployeesPane)
        assert "base_salary" not in {c.key for c in pane.table.columns}
        assert "s" not in screen.active_bindings
        await pilot.press("s")  # hidden, so nothing happens
        await pilot.pause()
        assert not pane.revealed and "13,579" not in _screen_text(app)

        # Arabic search whatever the alef form: "احمد" finds "أحمد".
        await pilot.press("slash", *"احمد", "enter")
        await pilot.pause()
        assert pane.table.count == 1
        await pilot.press("slash", "ctrl+u", *layla, "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        card = app.screen
        assert isinstance(card, EmployeeCard)
        body = str(card.query_one("#card-body", Static).render())
        assert "Layla Haddad" in _screen_text(app) and "Salary      ***" in body
        assert "13,579" not in _screen_text(app) and iban(7) not in _screen_text(app)
        assert "masked" in str(card.query_one("#card-note", Static).render())
    assert _views(store, "noura") == []


async def test_a_manager_sees_salaries_and_each_view_is_audited(
    store: Store, staff: Staff, layla: str
) -> None:
    app = BoApp(store=store, actor=staff.manager)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_hr(pilot)
        pane = screen.query_one(EmployeesPane)
        await pilot.press("slash", *layla, "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        card = app.screen
        assert isinstance(card, EmployeeCard)
        assert SALARY_TEXT in str(card.query_one("#card-body", Static).render())
        assert iban(7) in _screen_text(app)
        assert "Pay from 2024-01-01" in _screen_text(app)
        assert "Confidential fields shown" in _screen_text(app)
        # The card's confidential fields and its salary history: two audited views.
        card_view, history_view = _views(store, "sara")
        assert card_view.entity_id == layla and SALARY_TEXT.split(".")[0] not in card_view.changes
        assert history_view.entity_id == layla and "salary history" in history_view.changes
        assert "13579" not in history_view.changes
        await pilot.press("escape")
        await pilot.pause()

        # The list shows pay only when asked, and that view is audited too.
        assert SALARY_TEXT not in _screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert pane.revealed and SALARY_TEXT in _screen_text(app)
        list_view = _views(store, "sara")[-1]
        assert layla in list_view.changes and "13579" not in list_view.changes
        await pilot.press("s")
        await pilot.pause()
        assert not pane.revealed and SALARY_TEXT not in _screen_text(app)


async def test_export_follows_the_view_and_the_role(
    store: Store, staff: Staff, layla: str, tmp_path: Path
) -> None:
    app = BoApp(store=store, actor=staff.manager)
    out = tmp_path / "staff.csv"
    async with app.run_test(size=SIZE) as pilot:
        await _open_hr(pilot)
        for reveal in (False, True):
            if reveal:
                await pilot.press("s")
                await pilot.pause()
            await pilot.press("x")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, FormScreen)
            form.query_one("#field-path", Input).value = str(out)
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            rows = {r["number"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
            assert rows[layla]["base_salary"] == ("13579.00" if reveal else "***")
    with store.read() as session:
        exports = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert len(exports) == 1 and layla in exports[0].changes


# -- payroll ----------------------------------------------------------------------------------


async def _payroll_tab(pilot: Pilot[None]) -> PayrollPane:
    screen = await _open_hr(pilot, "5")
    return screen.query_one(PayrollPane)


def _runs(store: Store) -> list[PayRun]:
    with store.read() as session:
        return list(session.exec(select(PayRun)).all())


async def test_pay_run_run_approve_post_and_pay(
    store: Store, staff: Staff, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_employee(store, staff.manager, "A", n=1)
    add_employee(store, staff.manager, "B", n=2)
    progress: list[tuple[int, int]] = []
    shown = PayrollPane._progress

    def spy(self: PayrollPane, done: int, total: int) -> None:
        progress.append((done, total))
        shown(self, done, total)

    monkeypatch.setattr(PayrollPane, "_progress", spy)

    # sara prepares the month in the background...
    app = BoApp(store=store, actor=staff.manager)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _payroll_tab(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-period", Input).value = "2026-11"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        (run,) = _runs(store)
        assert (run.status, run.prepared_by, run.employees) == ("draft", "sara", 2)
        assert progress[-1] == (4, 4)
        assert not pane.busy and not pane.query_one("#payroll-progress").has_class("busy")
        assert pane.query_one("#runs", DataTable).row_count == 1

        # ...and may not approve it herself: refused at once, before any dialog.
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, HRScreen)
        assert any("someone else must approve" in n for n in _notes(app))
        assert _runs(store)[0].status == "draft"

    # The payroll officer prepares but never approves: the keys are not offered.
    app = BoApp(store=store, actor=staff.payroll)
    async with app.run_test(size=SIZE) as pilot:
        await _payroll_tab(pilot)
        assert {"n", "d"} <= set(app.screen.active_bindings)
        assert not {"a", "p", "y"} & set(app.screen.active_bindings)

    # Someone else approves, posts and pays, each after saying what will happen.
    app = BoApp(store=store, actor=admin)
    transfers = tmp_path / "transfers.csv"
    async with app.run_test(size=SIZE) as pilot:
        await _payroll_tab(pilot)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Approve pay run" in dialog.message and "2026-11" in dialog.message
        await pilot.press("n")
        await pilot.pause()
        assert _runs(store)[0].status == "draft"
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (_runs(store)[0].status, _runs(store)[0].approved_by) == ("approved", "boadmin")

        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "ledger" in dialog.message
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _runs(store)[0].status == "posted" and _runs(store)[0].entry_ref

        await pilot.press("y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-path", Input).value = str(transfers)
        form.query_one("#field-paid_on", Input).value = "2026-12-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and str(transfers) in dialog.message
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _runs(store)[0].status == "paid"
        lines = list(csv.DictReader(transfers.open(encoding="utf-8")))
        assert [r["iban"] for r in lines] == [iban(1), iban(2)]

        # The payslips of the run, amounts right-aligned.
        await pilot.press("enter")
        await pilot.pause()
        slips = app.screen.query_one("#payslips-pane").query_one(VirtualTable)
        assert slips.count == 2 and slips.has_focus
        net = next(c for c in slips.columns if c.key == "net")
        assert net.align == "right"


async def test_payroll_for_readers_without_pay_shows_no_amounts(store: Store, staff: Staff) -> None:
    add_employee(store, staff.manager, "A", salary=SALARY, n=1)
    with store.write() as session:
        payroll.run_payroll(session, staff.payroll, parse_period("2026-11"))
    app = BoApp(store=store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _payroll_tab(pilot)
        table = pane.query_one("#runs", DataTable)
        assert [str(c.label) for c in table.columns.values()][:4] == [
            "ID",
            "Period",
            "Status",
            "Staff",
        ]
        assert "Net" not in {str(c.label) for c in table.columns.values()}
        await pilot.press("enter")
        await pilot.pause()
        assert not pane.query("#payslips-pane")
        assert any("hr.confidential" in n or "payroll" in n for n in _notes(app))
        assert "13,579" not in _screen_text(app)


# -- recruiting and leave ---------------------------------------------------------------------


async def test_hire_a_candidate_through_the_screen(store: Store, staff: Staff) -> None:
    with store.write() as session:
        opening = recruiting.add_opening(
            session,
            staff.clerk,
            title="Accountant",
            position="ACC",
            org_unit="FIN",
            opened_on=date(2026, 10, 1),
        )
        candidate = recruiting.add_candidate(
            session,
            staff.clerk,
            opening_id=opening.id or 0,
            name="Mona Farouk",
            applied_on=date(2026, 10, 2),
        )
    app = BoApp(store=store, actor=staff.manager)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_hr(pilot, "2")
        pane = screen.query_one(RecruitingPane)
        pane.query_one("#candidates", DataTable).focus()
        for _ in range(3):  # applied -> screening -> interview -> offer
            await pilot.press("m")
            await pilot.pause()
        assert pane.candidates[str(candidate.id)]["stage"] == "offer"
        await pilot.press("h")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-hire_date", Input).value = "2026-11-01"
        form.query_one("#field-iban", Input).value = iban(9)
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "onboarding" in dialog.message
        await pilot.press("y")
        await pilot.pause()
    with store.read() as session:
        hired = session.get(Candidate, candidate.id)
        assert hired is not None and hired.stage == "hired" and hired.employee_id
        item = session.exec(select(WorkItem).where(WorkItem.kind == "onboarding")).one()
        assert item.to_dept == "it" and "Mona Farouk" in item.subject


async def test_leave_is_decided_by_someone_else_after_confirming(
    store: Store, staff: Staff
) -> None:
    number = add_employee(store, staff.manager, "Omar", n=1)
    with store.write() as session:
        leave.add_leave_type(session, staff.manager, code="UNPAIDX", name="Unpaid", paid=False)
        request = leave.request_leave(
            session,
            staff.manager,
            employee=number,
            type_code="UNPAIDX",
            starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 2),
        )
    # sara asked for it, so she may not decide it, whatever her role.
    app = BoApp(store=store, actor=staff.manager)
    async with app.run_test(size=SIZE) as pilot:
        await _open_hr(pilot, "4")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, HRScreen)
        assert any("someone else must decide" in n for n in _notes(app))
    # The clerk decides nothing: the keys are not there.
    app = BoApp(store=store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_hr(pilot, "4")
        assert screen.query_one(LeavePane).loaded
        assert not {"a", "d"} & set(screen.active_bindings)
    app = BoApp(store=store, actor=staff.admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_hr(pilot, "4")
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "2026-12-01" in dialog.message
        await pilot.press("y")
        await pilot.pause()
    with store.read() as session:
        assert leave.get_request(session, request.id or 0).status == "approved"


async def test_tabs_read_their_data_only_when_shown(store: Store, staff: Staff) -> None:
    app = BoApp(store=store, actor=staff.manager)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_hr(pilot)
        assert screen.query_one(TabbedContent).active == "employees"
        assert not screen.query_one(RecruitingPane).loaded
        assert not screen.query_one(PayrollPane).loaded
        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one(RecruitingPane).loaded
        assert screen.query_one("#openings", DataTable).has_focus


# -- snapshot ---------------------------------------------------------------------------------


def test_employees_tab_snapshot(
    snap_compare: Any,
    store: Store,
    staff: Staff,
    layla: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(base, "today", lambda: date(2026, 11, 26))
    add_employee(store, staff.manager, "Grace Okafor", unit="LOG", n=3)

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await pilot.pause()

    assert snap_compare(
        BoApp(store=store, actor=staff.clerk), run_before=run_before, terminal_size=SIZE
    )


async def test_training_enroll_complete_and_expiring(
    store: Store, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "today", lambda: date(2026, 11, 20))
    number = add_employee(store, staff.manager, "Omar", n=1)
    with store.write() as session:
        training.add_course(session, staff.clerk, code="FAID", title="First aid", cert_months=1)
        training.add_session(session, staff.clerk, course="FAID", starts_on=date(2026, 11, 2))
    app = BoApp(store=store, actor=staff.clerk)

    async def fill(name: str, text: str) -> None:
        form = app.screen
        assert isinstance(form, FormScreen)
        await _set(pilot, form, name, text)
        await pilot.press("ctrl+s")
        await pilot.pause()

    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_hr(pilot, "3")
        pane = screen.query_one(TrainingPane)
        await pilot.press("enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, EnrollmentsScreen)
        await pilot.press("a")
        await pilot.pause()
        await fill("employee", number)
        assert modal.query_one("#enrollments", DataTable).row_count == 1
        await pilot.press("c")
        await pilot.pause()
        await fill("on", "2026-11-03")
        assert any("certified until 2026-12-03" in n for n in _notes(app))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("v", "v")
        await pilot.pause()
        assert pane.view == "expiring" and "w" in screen.active_bindings
        expiring = screen.query_one("#expiring", DataTable)
        assert expiring.row_count == 1  # 13 days away, within the first 30 days' window
        await pilot.press("w")
        await pilot.pause()
        await fill("days", "7")
        assert expiring.row_count == 0


async def test_payslip_pdfs_from_the_payroll_tab(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    number = add_employee(store, staff.admin, "A", n=1)
    add_employee(store, staff.admin, "B", n=2)
    with store.write() as session:
        run = payroll.run_payroll(session, staff.payroll, parse_period("2026-11")).run
    app = BoApp(store=store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await _payroll_tab(pilot)
        assert "s" not in app.screen.active_bindings  # no hr.confidential, no payslips
    app = BoApp(store=store, actor=staff.payroll)
    async with app.run_test(size=SIZE) as pilot:
        await _payroll_tab(pilot)
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-path", Input).value = str(tmp_path / "slips")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("2 files" in n for n in _notes(app))
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-path", Input).value = str(tmp_path / "one.pdf")
        form.query_one("#field-employee", Input).value = number
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    names = sorted(p.name for p in (tmp_path / "slips").iterdir())
    assert names == [f"payslip-E0000{i}-2026-11-run{run.id}.pdf" for i in (1, 2)]
    assert (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF")


async def test_salary_components_and_the_leaving_reason_on_the_card(
    store: Store, staff: Staff, layla: str
) -> None:
    app = BoApp(store=store, actor=staff.manager)
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await _open_hr(pilot)
        pane = screen.query_one(EmployeesPane)
        # The edit form has the fixed-term contract's end (art. 77 depends on it).
        pane.edit(layla)
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await _set(pilot, form, "contract_ends_on", "2027-06-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        pane.open_card(layla)
        await pilot.pause()
        card = app.screen
        assert isinstance(card, EmployeeCard)
        body = str(card.query_one("#card-body", Static).render())
        assert "contract to 2027-06-30" in body
        assert "Pay from 2024-01-01: BASIC 13,579.00, HOUSING 3,000.00" in body
        # A dated component change from the card...
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await _set(pilot, form, "component", "car")
        assert "unknown component" in _error(form, "component")
        await _set(pilot, form, "component", "transport")
        await _set(pilot, form, "amount", "750")
        await _set(pilot, form, "effective_from", "2026-12-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # ...and the card shows it in the history.
        card = app.screen
        assert isinstance(card, EmployeeCard)
        body = str(card.query_one("#card-body", Static).render())
        assert "Pay from 2026-12-01: TRANSPORT 750.00" in body
        # Terminating asks why: the reason drives the end-of-service award.
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await _set(pilot, form, "last_day", "2026-11-30")
        await _set(pilot, form, "leaving", "retired")
        assert "unknown leaving reason" in _error(form, "leaving")
        await _set(pilot, form, "leaving", "contract end")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "contract end" in dialog.message
        await pilot.press("y")
        await pilot.pause()
    with store.read() as session:
        employee = session.exec(select(Employee).where(Employee.number == layla)).one()
    assert (employee.leaving_reason, employee.termination_date) == (
        "contract_end",
        date(2026, 11, 30),
    )
