"""Saudi payroll law: social insurance by nationality and cohort, salary components and their
history, end of service by leaving reason, provisions and advances in the books, a journal
entry that shows no one's pay, pay runs in month order."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.hr.models.views import PayslipView
from bo_console.hr.service import leave, payroll, people
from bo_console.hr.service.common import Period, parse_period
from bo_console.hr.service.payroll import statutory
from tests.unit.hr.factories import Staff, add_employee, iban

NOV = parse_period("2026-11")
DEC = parse_period("2026-12")


def _slips(store: Store, staff: Staff, period: Period = NOV) -> dict[str, PayslipView]:
    with store.write() as session:
        run = payroll.run_payroll(session, staff.payroll, period).run
        return {r["employee"]: r for r in payroll.payslips(session, staff.payroll, run.id or 0)}


def _ledger(store: Store, sql: str, *params: object) -> list[tuple[object, ...]]:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# -- social insurance ---------------------------------------------------------------------


def test_expatriates_pay_no_employee_share_and_the_employer_pays_hazards(
    store: Store, staff: Staff
) -> None:
    saudi = add_employee(store, staff.manager, "Saudi", salary=1000000, allowances=250000, n=1)
    expat = add_employee(
        store,
        staff.manager,
        "Expat",
        salary=1000000,
        allowances=250000,
        n=2,
        national_id="2123456789",
    )
    gcc = add_employee(
        store,
        staff.manager,
        "Kuwaiti",
        salary=1000000,
        allowances=250000,
        n=3,
        national_id="K12345678",
        nationality="gcc",
    )
    slips = _slips(store, staff)
    # Saudi, old law: 9% + 0.75% employee, 9% + 0.75% + 2% employer, on 12500.00
    assert (slips[saudi]["employee_si"], slips[saudi]["employer_si"]) == (
        Decimal("1218.75"),
        Decimal("1468.75"),
    )
    # the iqama holder: nothing deducted, the employer pays 2% occupational hazards
    assert (slips[expat]["employee_si"], slips[expat]["employer_si"]) == (
        Decimal("0.00"),
        Decimal("250.00"),
    )
    # GCC national: the home state's rate set (default 9% each) plus hazards for the employer
    assert (slips[gcc]["employee_si"], slips[gcc]["employer_si"]) == (
        Decimal("1125.00"),
        Decimal("1375.00"),
    )


def test_the_new_law_cohort_steps_up_each_july() -> None:
    rules = payroll.PayRules()
    joined = date(2024, 9, 1)
    old = date(2020, 1, 1)
    shares = {
        month: statutory.si_rates(rules, "saudi", joined, month)
        for month in (
            date(2025, 6, 1),
            date(2025, 7, 1),
            date(2026, 7, 1),
            date(2028, 7, 1),
            date(2031, 1, 1),
        )
    }
    assert shares[date(2025, 6, 1)] == (Fraction("0.0975"), Fraction("0.1175"))
    assert shares[date(2025, 7, 1)] == (Fraction("0.1025"), Fraction("0.1225"))
    assert shares[date(2026, 7, 1)] == (Fraction("0.1075"), Fraction("0.1275"))
    assert shares[date(2028, 7, 1)] == (Fraction("0.1175"), Fraction("0.1375"))
    assert shares[date(2031, 1, 1)] == shares[date(2028, 7, 1)]
    assert statutory.si_rates(rules, "saudi", old, date(2031, 1, 1)) == (
        Fraction("0.0975"),
        Fraction("0.1175"),
    )
    assert statutory.si_rates(rules, "other", joined, date(2031, 1, 1)) == (
        Fraction(0),
        Fraction("0.02"),
    )


def test_contributory_wage_is_basic_plus_housing_capped(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.manager, "Driver", salary=500000, allowances=125000)
    rich = add_employee(store, staff.manager, "Rich", salary=5000000, allowances=0, n=2)
    with store.write() as session:
        people.set_salary(
            session, staff.manager, number, {"TRANSPORT": 50000, "OTHER": 20000}, date(2024, 1, 1)
        )
    slips = _slips(store, staff)
    slip = slips[number]
    assert slip["gross"] == Decimal("6950.00")
    # 9.75% of basic + housing (6250.00) only: transport and other do not count
    assert slip["employee_si"] == Decimal("609.38")
    assert slips[rich]["employee_si"] == Decimal("4387.50")  # 9.75% of the 45,000 cap


# -- salary history -----------------------------------------------------------------------


def test_a_rerun_of_an_old_month_pays_what_was_in_force(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.manager, "Raised", salary=1000000, allowances=0)
    before = _slips(store, staff)[number]
    with store.write() as session:
        run = payroll.live_run(session, NOV)
        assert run is not None
        payroll.discard_run(session, staff.payroll, run.id or 0)
        people.set_salary(session, staff.manager, number, {"BASIC": 1200000}, DEC.start)
        history = people.salary_history(session, staff.manager, number)
    assert [(h.component, h.amount, h.effective_from) for h in history] == [
        ("BASIC", 1000000, date(2024, 1, 1)),
        ("BASIC", 1200000, DEC.start),
    ]
    again = _slips(store, staff)[number]
    assert again == before
    assert _slips(store, staff, DEC)[number]["base"] == Decimal("12000.00")


# -- end of service -----------------------------------------------------------------------


def _leaver(
    store: Store, staff: Staff, hired: date, last: date, leaving: str, n: int = 1
) -> PayslipView:
    number = add_employee(
        store, staff.manager, f"Leaver{n}", salary=1000000, allowances=250000, hired=hired, n=n
    )
    with store.write() as session:
        people.terminate_employee(session, staff.manager, number, on=last, leaving=leaving)
    return _slips(store, staff)[number]


@pytest.mark.parametrize(
    ("hired", "last", "leaving", "share"),
    [
        # resignation (art. 85): under two years nothing, 2-5 a third, 5-10 two thirds, 10+ all
        (date(2024, 9, 6), date(2026, 11, 27), "resignation", Fraction(1, 3)),
        (date(2024, 12, 2), date(2026, 11, 30), "resignation", Fraction(0)),
        (date(2024, 12, 1), date(2026, 11, 30), "resignation", Fraction(1, 3)),
        (date(2018, 12, 1), date(2026, 11, 30), "resignation", Fraction(2, 3)),
        (date(2016, 11, 1), date(2026, 11, 30), "resignation", Fraction(1)),
        # employer termination and contract end: the full award (art. 84); art. 80: nothing
        (date(2024, 12, 2), date(2026, 11, 30), "termination", Fraction(1)),
        (date(2018, 12, 1), date(2026, 11, 30), "contract_end", Fraction(1)),
        (date(2018, 12, 1), date(2026, 11, 30), "dismissal", Fraction(0)),
    ],
)
def test_end_of_service_follows_the_leaving_reason(
    store: Store, staff: Staff, hired: date, last: date, leaving: str, share: Fraction
) -> None:
    slip = _leaver(store, staff, hired, last, leaving)
    years = Fraction((last - hired).days + 1, 365)
    months = min(years, Fraction(5)) / 2 + max(years - 5, Fraction(0))
    expected = payroll.round_minor(1250000 * months * share)
    assert slip["eos_award"] == Decimal(expected) / 100
    assert slip["settlement"] == slip["eos_award"] + slip["leave_encashment"]


def test_the_review_resignation_gets_a_third() -> None:
    # E00014 in the review: paid 15,313.36 under art. 84; art. 85 gives a third.
    rules = payroll.PayRules()
    years = statutory.service_years(date(2024, 9, 6), date(2026, 11, 27))
    full = statutory.eos_award(rules, "termination", 1, years)
    wage = Fraction(1531336) / full  # the wage that made 15,313.36
    assert payroll.round_minor(statutory.eos_award(rules, "resignation", 1, years) * wage) == 510445


def test_unfair_termination_adds_article_77_compensation(store: Store, staff: Staff) -> None:
    slip = _leaver(store, staff, date(2024, 12, 1), date(2026, 11, 30), "unfair_termination")
    # two years: 15 days a year = one month, below the two months' minimum (25000.00)
    assert slip["compensation"] == Decimal("25000.00")
    assert slip["settlement"] == slip["eos_award"] + slip["compensation"]


def test_a_fixed_term_contract_cut_short_pays_the_remaining_term(
    store: Store, staff: Staff
) -> None:
    def leaver(n: int, ends: date, last: date = date(2026, 11, 30)) -> PayslipView:
        number = add_employee(
            store, staff.admin, f"Fixed{n}", salary=1000000, allowances=250000,
            hired=date(2024, 12, 1), n=n, contract_ends_on=ends,
        )  # fmt: skip
        with store.write() as session:
            people.terminate_employee(
                session, staff.manager, number, on=last, leaving="unfair_termination"
            )
        return _slips(store, staff)[number]

    # art. 77(2): the wage for the rest of the term, 365 days to 30 November 2027 = 12 months
    assert leaver(1, date(2027, 11, 30))["compensation"] == Decimal("150000.00")
    with store.write() as session:
        run = payroll.live_run(session, NOV)
        assert run is not None
        payroll.discard_run(session, staff.payroll, run.id or 0)
    # art. 77(3): 31 days left is less than the two months' minimum
    assert leaver(2, date(2026, 12, 31))["compensation"] == Decimal("25000.00")
    with pytest.raises(ValidationFailed, match="fixed-term"):
        add_employee(store, staff.admin, "Odd", n=9, contract_ends_on=date(2020, 1, 1))


def test_unpaid_leave_beyond_twenty_days_is_not_service(store: Store, staff: Staff) -> None:
    number = add_employee(
        store, staff.manager, "Away", salary=1000000, allowances=250000, hired=date(2024, 11, 1)
    )
    with store.write() as session:
        request = leave.request_leave(
            session,
            staff.clerk,
            employee=number,
            type_code="UNPAID",
            starts_on=date(2025, 3, 1),
            ends_on=date(2025, 4, 9),
        )
        leave.approve(session, staff.manager, request.id or 0)
        people.terminate_employee(
            session, staff.manager, number, on=date(2026, 11, 30), leaving="termination"
        )
    slip = _slips(store, staff)[number]
    # 760 days less (40 - 20) unpaid days = 740 days
    expected = payroll.round_minor(Fraction(1250000 * 740, 365) / 2)
    assert slip["eos_award"] == Decimal(expected) / 100


def test_a_final_settlement_is_paid_off_cycle_and_not_again(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.admin, "Leaving", hired=date(2020, 1, 1))
    stays = add_employee(store, staff.admin, "Staying", n=2)
    with store.write() as session:
        with pytest.raises(RuleViolation, match="has not left"):
            payroll.settle_off_cycle(session, staff.payroll, number)
        people.terminate_employee(
            session, staff.manager, number, on=date(2026, 11, 10), leaving="termination"
        )
        run = payroll.settle_off_cycle(session, staff.payroll, number).run
        assert run.kind == "settlement" and run.employees == 1
        with pytest.raises(RuleViolation, match="settled in pay run"):
            payroll.settle_off_cycle(session, staff.payroll, number)
        payroll.approve_run(session, staff.manager, run.id or 0)
        assert payroll.post_run(session, staff.manager, run.id or 0)
        (slip,) = payroll.payslips(session, staff.manager, run.id or 0)
    assert slip["days_paid"] == 10 and slip["eos_award"] > 0
    # November's monthly run pays everyone else and leaves the settled leaver out.
    assert set(_slips(store, staff)) == {stays}


def test_sick_leave_pays_full_then_three_quarters_then_nothing(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.manager, "Ill", salary=900000, allowances=0)
    with store.write() as session:
        for starts, ends in (
            (date(2026, 9, 1), date(2026, 10, 31)),
            (date(2026, 11, 1), date(2026, 11, 30)),
        ):
            request = leave.request_leave(
                session, staff.clerk, employee=number, type_code="SICK", starts_on=starts,
                ends_on=ends,
            )  # fmt: skip
            leave.approve(session, staff.manager, request.id or 0)
    slip = _slips(store, staff)[number]
    # 61 sick days before November (30 full, 31 at 75%); November's 30: 29 more at 75%, then
    # the 91st day onward unpaid: 9000 * (29 * 0.25 + 1) / 30 = 2475.00
    assert slip["unpaid_deduction"] == Decimal("2475.00")
    assert "art. 117" in str(slip["note"])


def test_who_changed_an_iban_cannot_approve_the_run_that_pays_it(
    store: Store, staff: Staff
) -> None:
    number = add_employee(store, staff.manager, "Payee")
    with store.write() as session:
        people.update_employee(session, staff.manager, number, people.EmployeeUpdate(iban=iban(99)))
        run = payroll.run_payroll(session, staff.payroll, NOV).run
    with store.write() as session, pytest.raises(PermissionDenied, match="changed the IBAN"):
        payroll.approve_run(session, staff.manager, run.id or 0)
    with store.write() as session:
        assert payroll.approve_run(session, staff.admin, run.id or 0)


def test_who_created_an_employee_with_an_iban_cannot_approve_the_first_run_paying_it(
    store: Store, staff: Staff
) -> None:
    number = add_employee(store, staff.manager, "Newcomer")
    with store.write() as session:
        run = payroll.run_payroll(session, staff.payroll, NOV).run
    with store.write() as session, pytest.raises(PermissionDenied, match=f"IBAN of {number}"):
        payroll.approve_run(session, staff.manager, run.id or 0)
    with store.write() as session:
        assert payroll.approve_run(session, staff.admin, run.id or 0)
        payroll.post_run(session, staff.manager, run.id or 0)
        december = payroll.run_payroll(session, staff.payroll, DEC).run
    # Once an approved run has paid that account, later runs are the creator's to approve.
    with store.write() as session:
        assert payroll.approve_run(session, staff.manager, december.id or 0)
