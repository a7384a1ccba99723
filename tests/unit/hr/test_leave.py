"""Leave: accrual (exact over a year, once per month), requests, who may decide, balances."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import select

from bo_console.core.db import Store
from bo_console.core.errors import AlreadyDone, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.core.security import Actor
from bo_console.hr.models import LeaveEntry
from bo_console.hr.service import leave
from bo_console.hr.service.common import Period, format_days, parse_days
from tests.unit.hr.factories import Staff, add_employee


def test_monthly_accrual_adds_up_to_the_entitlement_exactly() -> None:
    for yearly in (2100, 3000, 2500, 1, 7, 3650, 36600, 1999):
        months = [leave.monthly_accrual(yearly, m) for m in range(1, 13)]
        assert sum(months) == yearly
        assert max(months[:11]) - min(months[:11]) == 0
    assert leave.monthly_accrual(2100, 1) == 175  # 21 days: 1.75 a month
    assert leave.monthly_accrual(2500, 1) == 208 and leave.monthly_accrual(2500, 12) == 212


def test_days_text() -> None:
    assert parse_days("2.5") == 250 and format_days(250) == "2.5" and format_days(-175) == "-1.75"
    with pytest.raises(ValueError):
        parse_days("1.234")


def test_working_days_skip_the_weekend(store: Store, staff: Staff) -> None:
    with store.read() as session:
        weekend = leave.weekend_days(session)
    assert weekend == {4, 5}  # Friday and Saturday by default
    # Sunday 2026-11-22 to Saturday 2026-11-28: five working days
    assert leave.working_days(date(2026, 11, 22), date(2026, 11, 28), weekend) == 5


def test_accrual_is_idempotent(store: Store, staff: Staff) -> None:
    early = add_employee(store, staff.manager, "Early", hired=date(2022, 1, 1), n=1)
    add_employee(store, staff.manager, "Late", hired=date(2026, 12, 1), n=2)
    nov = Period(2026, 11)
    with store.write() as session:
        first = leave.accrue(session, staff.clerk, nov)
    with store.write() as session:
        second = leave.accrue(session, staff.clerk, nov)
    assert (first.added, first.already) == (1, 0)
    assert (second.added, second.already) == (0, 1)
    with store.read() as session:
        entries = session.exec(select(LeaveEntry)).all()
        rows = leave.balances(session, staff.clerk, employee=early)
    assert [(e.kind, e.period, e.days) for e in entries] == [("accrual", "2026-11", 175)]
    assert rows[0]["balance"] == "1.75"
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute(
            "INSERT INTO hr_leave_entry (employee_id, leave_type_id, kind, period, days, at,"
            " by_login, note) VALUES (1, 1, 'accrual', '2026-11', 175, '2026-11-30', 'x', '')"
        )
    conn.close()


def test_leavers_stop_accruing_after_their_part_month(store: Store, staff: Staff) -> None:
    from bo_console.hr.service import people

    number = add_employee(store, staff.manager, "Leaver")
    with store.write() as session:
        people.terminate_employee(session, staff.manager, number, on=date(2026, 10, 15))
        assert leave.accrue(session, staff.clerk, Period(2026, 9)).added == 1
        assert leave.accrue(session, staff.clerk, Period(2026, 10)).added == 1
        assert leave.accrue(session, staff.clerk, Period(2026, 11)).added == 0
        entries = session.exec(select(LeaveEntry).order_by(LeaveEntry.id)).all()  # type: ignore[arg-type]
    # September in full; October for 15 of 31 days: 1.75 * 15 / 31 = 0.8468 -> 0.85
    assert [e.days for e in entries] == [175, 85]


def test_annual_leave_is_thirty_days_after_five_years_and_prorated_for_joiners(
    store: Store, staff: Staff
) -> None:
    long = add_employee(store, staff.manager, "Long", hired=date(2021, 11, 10), n=1)
    short = add_employee(store, staff.manager, "Short", hired=date(2021, 12, 1), n=2)
    joiner = add_employee(store, staff.manager, "Joiner", hired=date(2026, 11, 16), n=3)
    with store.write() as session:
        leave.accrue(session, staff.clerk, Period(2026, 11))
        days = {
            number: leave.balances(session, staff.clerk, employee=number)[0]["balance"]
            for number in (long, short, joiner)
        }
    # art. 109: 30 days a year (2.50 a month) from five years of service on the month's end;
    # the joiner accrues 15 of 30 days of 1.75
    assert days == {long: "2.5", short: "1.75", joiner: "0.88"}


@pytest.fixture
def team(store: Store, staff: Staff) -> dict[str, str]:
    """Layla manages Omar; both have console logins; Omar has 10 days of annual leave."""
    boss = add_employee(store, staff.manager, "Layla", login="layla", n=1)
    worker = add_employee(store, staff.manager, "Omar", login="omar", manager=boss, n=2)
    with store.write() as session:
        leave.adjust(
            session, staff.manager, employee=worker, type_code="ANNUAL", days=1000, note="opening"
        )
    return {"boss": boss, "worker": worker}


def test_request_and_approval_by_the_manager(
    store: Store, staff: Staff, team: dict[str, str], make_user: Callable[..., Actor]
) -> None:
    layla = make_user("layla", "finance-manager")
    # Omar (finance-clerk) asks for his own leave; he has no HR permission at all.
    with store.write() as session:
        request = leave.request_leave(
            session,
            staff.finance,
            employee=team["worker"],
            type_code="annual",
            starts_on=date(2026, 12, 13),
            ends_on=date(2026, 12, 17),
        )
    assert request.days == 500 and request.requested_by == "omar"
    with store.write() as session, pytest.raises(PermissionDenied, match="someone else"):
        leave.approve(session, staff.finance, request.id or 0)
    with store.write() as session, pytest.raises(PermissionDenied, match="manager or HR"):
        leave.approve(session, staff.clerk, request.id or 0)
    with store.read() as session:
        to_decide = leave.list_requests(session, layla, mine_to_decide=True)
    assert [r["id"] for r in to_decide] == [request.id]
    with store.write() as session:
        leave.approve(session, layla, request.id or 0, note="enjoy")
    with store.read() as session:
        mine = leave.balances(session, staff.finance, employee=team["worker"])
        decided = leave.get_request(session, request.id or 0)
    assert mine[0]["balance"] == "5" and mine[0]["taken"] == "5"
    assert (decided.status, decided.decided_by) == ("approved", "layla")
    with store.write() as session, pytest.raises(AlreadyDone, match="already approved"):
        leave.approve(session, staff.manager, request.id or 0)
    with store.read() as session:
        again = leave.get_request(session, request.id or 0)
        assert leave.balances(session, staff.finance, employee=team["worker"])[0]["taken"] == "5"
    assert (again.status, again.decided_by, again.decision_note) == ("approved", "layla", "enjoy")


def test_nobody_decides_their_own_leave(store: Store, staff: Staff, team: dict[str, str]) -> None:
    hr_manager_record = add_employee(store, staff.manager, "Sara", login="sara", n=3)
    with store.write() as session:
        request = leave.request_leave(
            session,
            staff.clerk,
            employee=hr_manager_record,
            type_code="SICK",
            starts_on=date(2026, 11, 22),
            ends_on=date(2026, 11, 22),
        )
    with store.write() as session, pytest.raises(PermissionDenied, match="their own leave"):
        leave.approve(session, staff.manager, request.id or 0)
    with store.write() as session:
        own = leave.request_leave(
            session,
            staff.manager,
            employee=team["worker"],
            type_code="SICK",
            starts_on=date(2026, 11, 24),
            ends_on=date(2026, 11, 24),
        )
    with store.write() as session, pytest.raises(PermissionDenied, match="someone else"):
        leave.approve(session, staff.manager, own.id or 0)
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="ck_hr_leave_not_self"):
        conn.execute("UPDATE hr_leave_request SET status = 'approved', decided_by = requested_by")
    conn.close()


def test_balance_limits_requests(store: Store, staff: Staff, team: dict[str, str]) -> None:
    def ask(start: date, end: date) -> int:
        with store.write() as session:
            return (
                leave.request_leave(
                    session,
                    staff.clerk,
                    employee=team["worker"],
                    type_code="ANNUAL",
                    starts_on=start,
                    ends_on=end,
                ).id
                or 0
            )

    first = ask(date(2026, 12, 6), date(2026, 12, 10))  # 5 days pending
    with pytest.raises(RuleViolation, match="5 ANNUAL days available"):
        ask(date(2026, 12, 13), date(2026, 12, 20))  # 6 more
    with pytest.raises(RuleViolation, match="already has request"):
        ask(date(2026, 12, 9), date(2026, 12, 9))
    with pytest.raises(ValidationFailed, match="weekend"):
        ask(date(2026, 12, 11), date(2026, 12, 12))
    with store.write() as session:
        leave.approve(session, staff.manager, first)
        leave.cancel(session, staff.clerk, first, today=date(2026, 11, 26))
    with store.read() as session:
        assert leave.balances(session, staff.clerk, employee=team["worker"])[0]["balance"] == "10"
    with store.write() as session, pytest.raises(RuleViolation, match="cancelled"):
        leave.reject(session, staff.manager, first)


def test_others_balances_need_hr_read(store: Store, staff: Staff, team: dict[str, str]) -> None:
    with store.read() as session, pytest.raises(PermissionDenied):
        leave.balances(session, staff.finance, employee=team["boss"])
    with store.read() as session, pytest.raises(PermissionDenied):
        leave.request_leave(
            session,
            staff.finance,
            employee=team["boss"],
            type_code="SICK",
            starts_on=date(2026, 12, 6),
            ends_on=date(2026, 12, 6),
        )


def test_leave_types(store: Store, staff: Staff) -> None:
    with store.read() as session:
        codes = [t["code"] for t in leave.list_leave_types(session, staff.clerk)]
    assert codes == ["ANNUAL", "HAJJ", "SICK", "UNPAID"]
    with store.write() as session, pytest.raises(ValidationFailed, match="unpaid"):
        leave.add_leave_type(session, staff.manager, code="X", name="X", paid=False, yearly_days=5)
    with store.write() as session:
        leave.add_leave_type(session, staff.manager, code="STUDY", name="Study", yearly_days=500)
        assert leave.accrue(session, staff.clerk, Period(2026, 1)).added == 0


def test_a_clerk_cannot_make_themselves_the_approver(
    store: Store, staff: Staff, team: dict[str, str]
) -> None:
    """An HR clerk (no hr.manage) may not become a requester's manager by linking a record of
    their own and then approve (security review D5)."""
    from bo_console.hr.service import people

    with store.write() as session:
        request = leave.request_leave(
            session,
            staff.finance,
            employee=team["worker"],
            type_code="annual",
            starts_on=date(2026, 12, 13),
            ends_on=date(2026, 12, 14),
        )
        shadow = people.create_employee(
            session,
            staff.clerk,
            people.EmployeeCreate(
                name="Shadow Boss", org_unit="FIN", hire_date=date(2026, 11, 1), login="noura"
            ),
        ).number
    # Re-pointing the requester's manager needs hr.manage...
    with store.write() as session, pytest.raises(PermissionDenied, match="hr.manage"):
        people.update_employee(
            session, staff.clerk, team["worker"], people.EmployeeUpdate(manager=shadow)
        )
    with store.write() as session, pytest.raises(PermissionDenied, match="manager or HR"):
        leave.approve(session, staff.clerk, request.id or 0)
    # ...and a link the clerk made themselves never makes them the approver: not the login on
    # the manager's record, even when HR then sets the manager...
    with store.write() as session:
        people.update_employee(
            session, staff.manager, team["worker"], people.EmployeeUpdate(manager=shadow)
        )
    with store.write() as session, pytest.raises(PermissionDenied, match="set up the link"):
        leave.approve(session, staff.clerk, request.id or 0)
    # ...nor the manager of someone they added.
    with store.write() as session:
        hired = people.create_employee(
            session,
            staff.clerk,
            people.EmployeeCreate(
                name="New Hire", org_unit="FIN", hire_date=date(2026, 11, 1), manager=shadow
            ),
        ).number
        leave.adjust(session, staff.manager, employee=hired, type_code="ANNUAL", days=500, note="x")
        second = leave.request_leave(
            session,
            staff.manager,
            employee=hired,
            type_code="annual",
            starts_on=date(2026, 12, 13),
            ends_on=date(2026, 12, 14),
        )
    with store.write() as session, pytest.raises(PermissionDenied, match="set up the link"):
        leave.approve(session, staff.clerk, second.id or 0)
    with store.read() as session:
        statuses = {leave.get_request(session, r.id or 0).status for r in (request, second)}
    assert statuses == {"pending"}


def test_a_month_that_is_not_over_is_not_accrued(
    store: Store, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.core import clock
    from bo_console.core.errors import RuleViolation

    add_employee(store, staff.manager, "Early", hired=date(2022, 1, 1))
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 30))
    with store.write() as session, pytest.raises(RuleViolation, match="not over yet"):
        leave.accrue(session, staff.clerk, Period(2026, 11))
    with store.read() as session:
        assert session.exec(select(LeaveEntry)).all() == []
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 1))
    with store.write() as session:
        assert leave.accrue(session, staff.clerk, Period(2026, 11)).added == 1
