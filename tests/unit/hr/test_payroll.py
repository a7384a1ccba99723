"""Pay runs: the arithmetic to the minor unit, idempotency, separation of duties, the database's
own refusals, posting lines that balance and tie to the payslips."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from bo_console.core.db import Store
from bo_console.core.errors import AlreadyDone, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.core.io import ImportRejected
from bo_console.departments import check_store as check
from bo_console.hr.models import Employee, PayRun, Payslip
from bo_console.hr.models.views import PayslipView
from bo_console.hr.service import benefits, leave, payroll, people
from bo_console.hr.service.common import Period, parse_period
from tests.unit.hr.factories import Staff, add_employee

NOV = parse_period("2026-11")


def _db(store: Store) -> sqlite3.Connection:
    assert store.path is not None
    return sqlite3.connect(store.path)


def _slips(store: Store, staff: Staff, run_id: int) -> dict[str, PayslipView]:
    with store.write() as session:
        return {r["employee"]: r for r in payroll.payslips(session, staff.payroll, run_id)}


def _run(store: Store, staff: Staff, period: Period = NOV) -> PayRun:
    with store.write() as session:
        return payroll.run_payroll(session, staff.payroll, period).run


def test_round_half_away_from_zero() -> None:
    assert [payroll.round_minor(Fraction(n, 2)) for n in (1, 3, 5, -1, -3)] == [1, 2, 3, -1, -2]
    assert payroll.round_minor(Fraction(1, 3)) == 0 and payroll.round_minor(Fraction(2, 3)) == 1
    assert payroll.round_minor(Fraction(123456789, 1000)) == 123457


def test_full_month_joiner_and_the_equations(store: Store, staff: Staff) -> None:
    full = add_employee(store, staff.admin, "Full", salary=1234500, allowances=300000, n=1)
    joiner = add_employee(
        store, staff.admin, "Joiner", salary=900000, allowances=0, hired=date(2026, 11, 10), n=2
    )
    add_employee(store, staff.admin, "Future", hired=date(2026, 12, 1), n=3)
    run = _run(store, staff)
    slips = _slips(store, staff, run.id or 0)
    assert set(slips) == {full, joiner}
    a = slips[full]
    assert (a["base"], a["allowances"], a["gross"]) == (
        Decimal("12345.00"),
        Decimal("3000.00"),
        Decimal("15345.00"),
    )
    # 15345.00 * 9.75% = 1496.1375 -> 1496.14; * 11.75% = 1803.0375 -> 1803.04
    assert (a["employee_si"], a["employer_si"], a["net"]) == (
        Decimal("1496.14"),
        Decimal("1803.04"),
        Decimal("13848.86"),
    )
    b = slips[joiner]
    # A November 2026 joiner is in the new-law cohort: annuity 9% + two July steps of 0.5%,
    # so 10.75% employee (677.25) and 12.75% employer (803.25) on 6300.00.
    assert (b["days_paid"], b["base"], b["net"]) == (21, Decimal("6300.00"), Decimal("5622.75"))
    assert "paid 21 of 30 days" in str(b["note"])
    assert run.employees == 2
    assert run.net == 1384886 + 562275
    assert run.gross == 1534500 + 630000
    assert run.employer_cost == run.gross + 180304 + 80325


def test_overtime_inputs_benefits_and_unpaid_leave(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    number = add_employee(store, staff.admin, "Worker", salary=1234500, allowances=300000)
    with store.write() as session:
        benefits.add_plan(
            session,
            staff.manager,
            code="MED",
            name="Medical",
            employee_contribution=15000,
            employer_contribution=45000,
        )
        benefits.add_plan(
            session,
            staff.manager,
            code="TRANS",
            name="Transport",
            employer_contribution=40000,
            cash=True,
        )
        for plan in ("MED", "TRANS"):
            benefits.enroll(
                session, staff.manager, plan=plan, employee=number, starts_on=date(2026, 1, 1)
            )
        request = leave.request_leave(
            session,
            staff.clerk,
            employee=number,
            type_code="UNPAID",
            starts_on=date(2026, 11, 8),
            ends_on=date(2026, 11, 10),
        )
        leave.approve(session, staff.manager, request.id or 0)
    inputs = tmp_path / "inputs.csv"
    inputs.write_text(
        "employee,kind,hours,amount,note\n"
        f"{number},overtime,10,,month end\n"
        f"{number},bonus,,250.50,\n"
        f"{number},deduction,,100,advance\n",
        encoding="utf-8",
    )
    with store.write() as session:
        assert payroll.import_inputs(session, staff.payroll, inputs, NOV) == 3
    run = _run(store, staff)
    slip = _slips(store, staff, run.id or 0)[number]
    # Art. 107: (wage 15345.00 + 50% of basic 6172.50) * 10 h / 240 h = 896.5625 -> 896.56
    assert slip["overtime"] == Decimal("896.56")
    assert slip["other_earnings"] == Decimal("250.50")
    assert slip["other_deductions"] == Decimal("100.00")
    assert (slip["benefit_cash"], slip["benefit_employee"], slip["benefit_employer"]) == (
        Decimal("400.00"),
        Decimal("150.00"),
        Decimal("450.00"),
    )
    # three calendar days unpaid: 15345.00 * 3 / 30
    assert (slip["unpaid_days"], slip["unpaid_deduction"]) == ("3", Decimal("1534.50"))
    gross = Decimal("15345.00") + Decimal("896.56") + Decimal("250.50") + Decimal("400.00")
    gross -= Decimal("1534.50")
    assert slip["gross"] == gross
    # social insurance on (base + allowances - unpaid) = 13810.50: 1346.52375 -> 1346.52
    assert slip["employee_si"] == Decimal("1346.52")
    assert slip["net"] == gross - Decimal("1346.52") - Decimal("150.00") - Decimal("100.00")


def test_leaver_gets_the_final_settlement_once(store: Store, staff: Staff) -> None:
    number = add_employee(
        store, staff.admin, "Leaver", salary=1234500, allowances=300000, hired=date(2025, 11, 16)
    )
    with store.write() as session:
        leave.adjust(
            session, staff.manager, employee=number, type_code="ANNUAL", days=1000, note="opening"
        )
        people.terminate_employee(session, staff.manager, number, on=date(2026, 11, 15))
    run = _run(store, staff)
    slip = _slips(store, staff, run.id or 0)[number]
    # 15 of 30 days; 10 leave days at 15345.00 / 30 = 5115.00; one year served: half a month
    assert (slip["base"], slip["allowances"]) == (Decimal("6172.50"), Decimal("1500.00"))
    assert slip["settlement"] == Decimal("5115.00") + Decimal("7672.50")
    assert "final settlement" in str(slip["note"])
    with store.read() as session:
        assert leave.balance(session, 1, 1) == 0
        assert session.exec(select(Employee)).one().settled_run_id == run.id
    dec = _run(store, staff, parse_period("2026-12"))
    assert dec.employees == 0
    # Discarding the draft gives the settlement back to the next run of the month (runs go in
    # month order, so December's goes first).
    with store.write() as session:
        payroll.discard_run(session, staff.payroll, dec.id or 0)
        payroll.discard_run(session, staff.payroll, run.id or 0)
    with store.read() as session:
        assert leave.balance(session, 1, 1) == 1000
        assert session.exec(select(Employee)).one().settled_run_id is None
    again = _run(store, staff)
    assert again.id != run.id and again.net == run.net


def test_running_a_month_again_changes_nothing(store: Store, staff: Staff) -> None:
    add_employee(store, staff.admin, "One", n=1)
    first = _run(store, staff)
    add_employee(store, staff.admin, "Two", n=2)
    with store.write() as session:
        again = payroll.run_payroll(session, staff.payroll, NOV)
    assert not again.created and again.run.id == first.id
    with store.read() as session:
        assert len(session.exec(select(Payslip)).all()) == 1
        assert len(session.exec(select(PayRun)).all()) == 1


def test_database_keeps_one_payslip_and_one_live_run_per_month(store: Store, staff: Staff) -> None:
    add_employee(store, staff.admin, "One")
    run = _run(store, staff)
    conn = _db(store)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute(
            "INSERT INTO hr_payslip (run_id, employee_id, period, org_unit, days_in_period,"
            " days_paid, unpaid_days, base, allowances, overtime, other_earnings, benefit_cash,"
            " settlement, unpaid_deduction, gross, employee_si, employer_si, benefit_employee,"
            " benefit_employer, other_deductions, net, note)"
            f" VALUES ({run.id}, 1, '2026-11', 'FIN', 30, 30, 0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,'')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute(
            "INSERT INTO hr_pay_run (period, status, currency, employees, gross, deductions, net,"
            " employer_cost, prepared_by, prepared_at)"
            " VALUES ('2026-11', 'draft', 'SAR', 0, 0, 0, 0, 0, 'x', '2026-11-01')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="ck_hr_payslip_net"):
        conn.execute("UPDATE hr_payslip SET net = net + 1")
    conn.close()


def test_separation_of_duties(store: Store, staff: Staff) -> None:
    add_employee(store, staff.manager, "One")
    run = _run(store, staff)
    for actor in (staff.payroll, staff.clerk):
        with store.write() as session, pytest.raises(PermissionDenied, match="payroll.approve"):
            payroll.approve_run(session, actor, run.id or 0)
    # A manager who prepares a run cannot approve it either.
    with store.write() as session:
        payroll.discard_run(session, staff.manager, run.id or 0)
        own = payroll.run_payroll(session, staff.manager, NOV).run
    with store.write() as session, pytest.raises(PermissionDenied, match="someone else"):
        payroll.approve_run(session, staff.manager, own.id or 0)
    # Nor can the database be talked into it.
    conn = _db(store)
    with pytest.raises(sqlite3.IntegrityError, match="ck_hr_pay_run_sod"):
        conn.execute(
            "UPDATE hr_pay_run SET status = 'approved', approved_by = prepared_by WHERE id = ?",
            (own.id,),
        )
    conn.close()
    with store.write() as session:
        assert payroll.approve_run(session, staff.admin, own.id or 0) is True
        assert payroll.approve_run(session, staff.admin, own.id or 0) is False
        approved = payroll.get_run(session, own.id or 0)
    assert (approved.prepared_by, approved.approved_by) == ("sara", "boadmin")


def test_an_approved_run_is_frozen_in_the_database(store: Store, staff: Staff) -> None:
    add_employee(store, staff.admin, "One")
    run = _run(store, staff)
    with store.write() as session:
        payroll.approve_run(session, staff.manager, run.id or 0)
        with pytest.raises(RuleViolation, match="only a draft"):
            payroll.discard_run(session, staff.payroll, run.id or 0)
    conn = _db(store)
    for statement in (
        "UPDATE hr_payslip SET note = 'x'",
        "DELETE FROM hr_payslip",
        "UPDATE hr_pay_run SET net = net + 1",
        "UPDATE hr_pay_run SET status = 'draft'",
        "UPDATE hr_pay_run SET status = 'paid'",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(statement)
    conn.close()


def test_posting_lines_balance_and_tie_to_the_payslips(store: Store, staff: Staff) -> None:
    for n in range(6):
        add_employee(
            store,
            staff.manager,
            f"E{n}",
            unit="FIN" if n % 2 else "LOG",
            salary=700000 + n * 123457,
            allowances=n * 33333,
            hired=date(2026, 11, 1 + n * 4),
            n=n,
        )
    with store.write() as session:
        benefits.add_plan(
            session,
            staff.manager,
            code="MED",
            name="Medical",
            employee_contribution=15001,
            employer_contribution=45003,
        )
        benefits.enroll(session, staff.manager, plan="MED", employee="E00002", starts_on=NOV.start)
        payroll.set_rule(session, staff.manager, "journal_min_headcount", "1")
    run = _run(store, staff)
    with store.read() as session:
        lines = payroll.posting_lines(session, run)
        slips = session.exec(select(Payslip)).all()
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines) > 0
    by_role: dict[str, int] = {}
    for line in lines:
        by_role[line.role] = by_role.get(line.role, 0) + line.debit + line.credit
    assert by_role["salary_expense"] == sum(s.gross for s in slips) == run.gross
    assert by_role["net_payable"] == sum(s.net for s in slips) == run.net
    assert by_role["si_payable"] == sum(s.employee_si + s.employer_si for s in slips)
    assert by_role["benefit_payable"] == sum(s.benefit_employee + s.benefit_employer for s in slips)
    for unit in ("FIN", "LOG"):
        assert sum(
            line.debit
            for line in lines
            if line.department == unit and line.role == "salary_expense"
        ) == sum(s.gross for s in slips if s.org_unit == unit)
    assert {line.department for line in lines if line.credit} == {None}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    salary=st.integers(min_value=0, max_value=10**8),
    allowances=st.integers(min_value=0, max_value=10**7),
    hired_day=st.integers(min_value=1, max_value=31),
    left_day=st.one_of(st.none(), st.integers(min_value=1, max_value=31)),
    unpaid=st.integers(min_value=0, max_value=3100),
    overtime=st.integers(min_value=0, max_value=30000),
)
def test_every_slip_adds_up(
    salary: int, allowances: int, hired_day: int, left_day: int | None, unpaid: int, overtime: int
) -> None:
    period = Period(2026, 12)
    hired = date(2026, 12, hired_day)
    left = date(2026, 12, left_day) if left_day is not None and left_day >= hired_day else None
    person = payroll._Staff(
        id=1,
        number="E1",
        name="x",
        org_unit="FIN",
        hire_date=hired,
        termination_date=left,
        settled=False,
        base_salary=salary,
        allowances=allowances,
        iban=None,
    )
    slip = payroll.compute_slip(
        person,
        period,
        payroll.PayRules(),
        2,
        inputs=payroll._Inputs(overtime_hours=overtime),
        unpaid=unpaid,
        encash_days=500,
    )
    assert slip.gross == (
        slip.base
        + slip.allowances
        + slip.overtime
        + slip.other_earnings
        + slip.benefit_cash
        + slip.settlement
        - slip.unpaid_deduction
    )
    assert slip.net == slip.gross - slip.employee_si - slip.benefit_employee - slip.other_deductions
    assert 0 <= slip.unpaid_deduction <= slip.base + slip.allowances
    assert slip.base <= salary and slip.days_paid <= 31
    exact = Fraction(salary * slip.days_paid, 31)
    assert abs(slip.base - exact) <= Fraction(1, 2)


def test_no_iban_or_negative_net_stops_the_run(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.admin, "Unbanked", n=1)
    with store.write() as session:
        people.update_employee(session, staff.manager, number, people.EmployeeUpdate(iban=None))
    with store.write() as session, pytest.raises(ValidationFailed) as caught:
        payroll.run_payroll(session, staff.payroll, NOV)
    assert [(e.field, "IBAN" in e.message) for e in caught.value.errors] == [(number, True)]
    with store.write() as session:
        people.update_employee(
            session, staff.manager, number, people.EmployeeUpdate(iban="SA0380000000608010167519")
        )
        payroll.add_input(
            session, staff.payroll, NOV, employee=number, kind="deduction", amount=10**9
        )
    with store.write() as session, pytest.raises(ValidationFailed) as caught:
        payroll.run_payroll(session, staff.payroll, NOV)
    assert "negative" in caught.value.errors[0].message
    with store.read() as session:
        assert session.exec(select(PayRun)).all() == []


def test_inputs_file_is_checked_whole_and_taken_once(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    number = add_employee(store, staff.admin, "Worker")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "employee,kind,hours,amount\n"
        f"{number},overtime,,5\n"
        "E404,bonus,,5\n"
        f"{number},tip,,5\n"
        f"{number},bonus,,5.555\n"
        f"{number},bonus,,1\n",
        encoding="utf-8",
    )
    with store.write() as session, pytest.raises(ImportRejected) as caught:
        payroll.import_inputs(session, staff.payroll, bad, NOV)
    assert {(e.row, e.field) for e in caught.value.errors} == {
        (2, "amount"),
        (2, "hours"),
        (3, "employee"),
        (4, "kind"),
        (5, "amount"),
    }
    good = tmp_path / "good.csv"
    good.write_text(f"employee,kind,hours,amount\n{number},bonus,,5\n", encoding="utf-8")
    with store.write() as session:
        payroll.import_inputs(session, staff.payroll, good, NOV)
    with store.write() as session, pytest.raises(AlreadyDone, match="already imported"):
        payroll.import_inputs(session, staff.payroll, good, NOV)
    reordered = tmp_path / "again.csv"  # the same inputs, saved with CRLF and quotes
    reordered.write_bytes(
        f'"employee","kind","hours","amount"\r\n"{number}","bonus","","5"\r\n'.encode()
    )
    with store.write() as session, pytest.raises(AlreadyDone, match="already imported"):
        payroll.import_inputs(session, staff.payroll, reordered, NOV)
    with store.write() as session, pytest.raises(PermissionDenied):
        payroll.import_inputs(session, staff.clerk, good, parse_period("2026-12"))
    _run(store, staff)
    with store.write() as session, pytest.raises(RuleViolation, match="already has pay run"):
        payroll.import_inputs(session, staff.payroll, good, NOV)
    with store.write() as session:
        assert len(payroll.list_inputs(session, staff.payroll, NOV)) == 1


def test_pay_rules_are_configurable_and_audited(store: Store, staff: Staff) -> None:
    with store.write() as session, pytest.raises(PermissionDenied):
        payroll.set_rule(session, staff.payroll, "si_annuity_employee", "0.1")
    with store.write() as session, pytest.raises(ValidationFailed):
        payroll.set_rule(session, staff.manager, "si_annuity_employee", "1.5")
    with store.write() as session:
        assert payroll.set_rule(session, staff.manager, "si_annuity_employee", "0.1") == (
            "0.09",
            "0.1",
        )
        payroll.set_rule(session, staff.manager, "end_of_service", "off")
        rules = payroll.load_rules(session)
    assert rules.si_annuity_employee == Decimal("0.1") and rules.end_of_service is False
    number = add_employee(store, staff.admin, "One", salary=1000000, allowances=0)
    slip = _slips(store, staff, _run(store, staff).id or 0)[number]
    # annuity 10% + unemployment 0.75% on 10000.00
    assert slip["employee_si"] == Decimal("1075.00")


def test_store_check_finds_tampered_totals(store: Store, staff: Staff) -> None:
    add_employee(store, staff.admin, "One")
    run = _run(store, staff)
    results = {r.name: r.ok for r in check(store, staff.admin)}
    assert results["hr pay run totals"] and results["hr payslip arithmetic"]
    conn = _db(store)
    conn.execute("UPDATE hr_pay_run SET net = net + 1 WHERE id = ?", (run.id,))
    conn.commit()
    conn.close()
    results = {r.name: r.ok for r in check(store, staff.admin)}
    assert results["hr pay run totals"] is False


def _ledger(store: Store, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = _db(store)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def test_post_and_pay_through_the_ledger(store: Store, staff: Staff) -> None:
    for n in range(4):
        add_employee(
            store, staff.admin, f"E{n}", unit="FIN" if n % 2 else "LOG", salary=800000 + n, n=n
        )
    with store.write() as session:
        payroll.set_rule(session, staff.manager, "journal_min_headcount", "1")
    run = _run(store, staff)
    with store.write() as session:
        with pytest.raises(RuleViolation, match="approve it"):
            payroll.post_run(session, staff.manager, run.id or 0)
        payroll.approve_run(session, staff.manager, run.id or 0)
    with store.write() as session, pytest.raises(PermissionDenied, match="payroll.approve"):
        payroll.post_run(session, staff.payroll, run.id or 0)
    with store.write() as session:
        assert payroll.post_run(session, staff.manager, run.id or 0) is True
        assert payroll.post_run(session, staff.manager, run.id or 0) is False
        posted = payroll.get_run(session, run.id or 0)
    lines = _ledger(
        store,
        "SELECT a.code, l.cost_centre, l.debit, l.credit FROM fin_line l"
        " JOIN fin_entry e ON e.id = l.entry_id JOIN fin_account a ON a.id = l.account_id"
        " WHERE e.source = 'payroll' AND e.source_ref = ? AND e.state = 'posted'",
        f"pay_run:{run.id}",
    )
    debit = sum(int(str(r[2])) for r in lines)
    with store.read() as session:
        slips = session.exec(select(Payslip)).all()
    provisions = sum(s.eos_accrual + s.leave_accrual for s in slips)
    assert provisions > 0
    assert debit == sum(int(str(r[3])) for r in lines) == run.employer_cost + provisions
    for unit in ("FIN", "LOG"):
        assert sum(int(str(r[2])) for r in lines if r[0] == "6100" and r[1] == unit) == sum(
            s.gross for s in slips if s.org_unit == unit
        )
    assert sum(int(str(r[3])) for r in lines if r[0] == "2300") == run.net
    assert posted.entry_ref is not None and posted.posted_by == "sara"
    with store.write() as session:
        changed, transfers = payroll.pay_run(session, staff.manager, run.id or 0, paid_on=NOV.end)
        assert payroll.pay_run(session, staff.manager, run.id or 0, paid_on=NOV.end) == (False, [])
    assert changed and len(transfers) == 4
    assert sum(Decimal(str(t["amount"])) * 100 for t in transfers) == run.net
    assert all(t["iban"].startswith("SA") for t in transfers)
    payable = _ledger(
        store,
        "SELECT SUM(l.debit) - SUM(l.credit) FROM fin_line l JOIN fin_account a"
        " ON a.id = l.account_id WHERE a.code = '2300'",
    )
    assert payable == [(0,)]


def test_a_closed_period_keeps_the_run_approved(store: Store, staff: Staff) -> None:
    from bo_console.finance import service as finance

    add_employee(store, staff.admin, "One")
    run = _run(store, staff)
    with store.write() as session:
        payroll.approve_run(session, staff.manager, run.id or 0)
    # The month-end checklist names the run not posted; closing anyway needs a reason.
    with store.write() as session, pytest.raises(RuleViolation, match="pay run .* not posted"):
        finance.close_period(session, staff.admin, "2026-11")
    with store.write() as session:
        finance.close_period(
            session, staff.admin, "2026-11", overrides={"pay_runs": "posted next month"}
        )
    with store.write() as session, pytest.raises(RuleViolation):
        payroll.post_run(session, staff.manager, run.id or 0)
    with store.read() as session:
        assert payroll.get_run(session, run.id or 0).status == "approved"
    assert _ledger(store, "SELECT COUNT(*) FROM fin_entry") == [(0,)]


def test_settlement_pays_each_leave_balance_it_clears(store: Store, staff: Staff) -> None:
    """A negative balance of one paid type does not eat into another type's unused days: the
    run pays out exactly the days it clears from the balances."""
    number = add_employee(store, staff.admin, "Leaver", salary=3000000, allowances=0)
    with store.write() as session:
        leave.add_leave_type(
            session, staff.manager, code="STUDY", name="Study leave", paid=True, yearly_days=500
        )
        leave.adjust(
            session, staff.manager, employee=number, type_code="ANNUAL", days=1000, note="open"
        )
        leave.adjust(
            session, staff.manager, employee=number, type_code="STUDY", days=-300, note="taken"
        )
        people.terminate_employee(session, staff.manager, number, on=date(2026, 11, 30))
        payroll.set_rule(session, staff.manager, "end_of_service", "off")
    slip = _slips(store, staff, _run(store, staff).id or 0)[number]
    # 10 annual days at 30000.00 / 30 a day; the study balance stays at -3.
    assert slip["settlement"] == Decimal("10000.00")
    with store.read() as session:
        assert leave.balance(session, 1, 1) == 0
        study = leave.leave_type(session, "STUDY").id or 0
        assert leave.balance(session, 1, study) == -300
