"""What the HR screen asks of the services: the employee list with salaries (audited per block),
pay runs with masked totals, payslips as a virtual table, form helpers, leave deciders, pay run
progress."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import col, select

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, ValidationFailed
from bo_console.core.models import AuditEvent
from bo_console.hr.screen.employees import form_text
from bo_console.hr.service import leave, payroll, people, training
from bo_console.hr.service.common import MASK, parse_period
from tests.unit.hr.factories import Staff, add_employee, bulk_employees, iban

NOV = parse_period("2026-11")


def _audit_after(store: Store, last_id: int) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.exec(select(AuditEvent).where(col(AuditEvent.id) > last_id)).all())


def _last_audit_id(store: Store) -> int:
    with store.read() as session:
        rows = session.exec(select(AuditEvent.id).order_by(col(AuditEvent.id).desc())).first()
        return int(rows or 0)


def test_masked_source_has_no_pay_and_a_revealed_one_needs_the_permission(
    store: Store, staff: Staff
) -> None:
    add_employee(store, staff.manager, "Layla Haddad", salary=1357900, n=1)
    masked = people.employees_source(store, staff.clerk)
    assert "base_salary" not in {c.key for c in masked.columns}
    assert "13579" not in json.dumps(masked.rows(0, 10), default=str)
    for reader in (staff.clerk, staff.auditor, staff.analyst):
        with pytest.raises(PermissionDenied):
            people.employees_source(store, reader, reveal=True)


def test_revealed_source_shows_pay_and_audits_each_block_without_values(
    store: Store, staff: Staff
) -> None:
    bulk_employees(store, 250)
    before = _last_audit_id(store)
    source = people.employees_source(store, staff.manager, sort="number", reveal=True)
    source.block_size = 100
    assert source.count() == 250
    first = source.row(0)
    assert first is not None and first["number"] == "B000001"
    salary_column = next(c for c in source.columns if c.key == "base_salary")
    assert salary_column.align == "right"
    assert salary_column.text(first["base_salary"]) == "5,079.19"
    views = _audit_after(store, before)
    assert len(views) == 1
    view = views[0]
    assert (view.action, view.entity, view.user_login) == ("view", "employee", "sara")
    assert "B000001" in view.changes and "B000100" in view.changes
    assert "B000101" not in view.changes
    assert "507919" not in view.changes and "5079" not in view.changes
    source.row(0)  # cached: no second view
    assert len(_audit_after(store, before)) == 1
    source.row(150)
    assert len(_audit_after(store, before)) == 2


def test_runs_overview_masks_totals_for_readers_without_pay(store: Store, staff: Staff) -> None:
    add_employee(store, staff.manager, "A", n=1)
    with store.write() as session:
        payroll.run_payroll(session, staff.payroll, NOV)
    with store.read() as session:
        masked, revealed = payroll.runs_overview(session, staff.clerk)
        assert not revealed
        assert {masked[0][k] for k in ("gross", "net", "employer_cost")} == {MASK}
        assert masked[0]["prepared_by"] == "fahad" and masked[0]["status"] == "draft"
        shown, revealed = payroll.runs_overview(session, staff.manager)
        assert revealed and isinstance(shown[0]["net"], Decimal)
        with pytest.raises(PermissionDenied):
            payroll.runs_overview(session, staff.finance)


def test_payslips_source_needs_pay_permissions_and_records_the_view(
    store: Store, staff: Staff
) -> None:
    number = add_employee(store, staff.manager, "A", salary=1234500, allowances=0, n=1)
    with store.write() as session:
        run_id = payroll.run_payroll(session, staff.payroll, NOV).run.id or 0
    for reader in (staff.clerk, staff.auditor):
        with pytest.raises(PermissionDenied):
            payroll.payslips_source(store, reader, run_id)
    before = _last_audit_id(store)
    source = payroll.payslips_source(store, staff.payroll, run_id)
    (view,) = _audit_after(store, before)
    assert (view.action, view.entity_id, view.user_login) == ("view", number, "fahad")
    row = source.row(0)
    assert row is not None
    gross = next(c for c in source.columns if c.key == "gross")
    assert gross.text(row["gross"]) == "12,345.00"
    assert row["deductions"] == row["employee_si"] + row["benefit_employee"]
    assert row["net"] == row["gross"] - row["deductions"]
    source.set_filter("nobody")
    assert source.count() == 0


def test_export_payslips_writes_the_run_and_is_an_audited_export(
    store: Store, staff: Staff, tmp_path: pytest.TempPathFactory
) -> None:
    add_employee(store, staff.manager, "A", n=1)
    add_employee(store, staff.manager, "B", n=2)
    with store.write() as session:
        run_id = payroll.run_payroll(session, staff.payroll, NOV).run.id or 0
    before = _last_audit_id(store)
    path = tmp_path / "slips.csv"  # type: ignore[operator]
    with store.write() as session:
        assert payroll.export_payslips(session, staff.payroll, run_id, path, "csv") == 2
    assert path.read_text(encoding="utf-8").splitlines()[0].startswith("employee,name,org_unit")
    assert [v.action for v in _audit_after(store, before)] == ["export"]
    with store.write() as session, pytest.raises(ValidationFailed):
        payroll.export_payslips(session, staff.payroll, run_id, path, "pdf")


def test_run_payroll_tells_its_progress(store: Store, staff: Staff) -> None:
    bulk_employees(store, 600)
    seen: list[tuple[int, int]] = []
    with store.write() as session:
        payroll.run_payroll(session, staff.payroll, NOV, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (1200, 1200)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert (600, 1200) in seen and len(seen) >= 4


def test_check_field_uses_the_service_rules() -> None:
    assert people.field_problem("iban", iban(3), 2) is None
    assert "check digits" in (people.field_problem("iban", iban(3)[:-1] + "9", 2) or "")
    assert "SA IBAN has 24" in (people.field_problem("iban", "SA12 3456 7890 1234 56", 2) or "")
    assert people.field_problem("base_salary", "12345.50", 2) is None
    assert people.field_problem("base_salary", "12.345", 2) is not None
    assert people.field_problem("base_salary", "-5", 2) == "cannot be negative"
    assert people.field_problem("email", "not-mail", 2) is not None
    assert people.field_problem("hire_date", "t", 2) is None


def test_form_values_and_changes(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.manager, "Layla Haddad", salary=1234500, n=1)
    before = _last_audit_id(store)
    with store.write() as session:
        masked = form_text(people.get_employee(session, staff.clerk, number), 2)
        revealed = people.get_employee(session, staff.clerk, number).revealed
    assert not revealed and "base_salary" not in masked and masked["org_unit"] == "FIN"
    assert _audit_after(store, before) == []
    with store.write() as session:
        row = people.get_employee(session, staff.manager, number)
        values, revealed = form_text(row, 2), row.revealed
    assert revealed and values["base_salary"] == "12345.00" and values["iban"] == iban(1)
    assert [v.action for v in _audit_after(store, before)] == ["view"]
    typed = {**values, "email": "layla@example.com", "iban": "", "base_salary": "13000"}
    changes = people.form_changes(values, typed, exponent=2).changes()
    assert changes == {"email": "layla@example.com", "iban": None, "base_salary": 1300000}
    with pytest.raises(ValidationFailed) as refused:
        people.form_changes(values, {**values, "name": "", "iban": "SA00"}, exponent=2)
    assert {e.field for e in refused.value.errors} == {"name", "iban"}


def test_input_from_form_names_every_bad_field() -> None:
    with pytest.raises(ValidationFailed) as refused:
        people.employee_create({"name": "", "iban": "GB00", "hire_date": "someday"}, exponent=2)
    assert {e.field for e in refused.value.errors} == {"iban", "hire_date", "name", "org_unit"}
    data = people.employee_create(
        {"name": "A", "org_unit": "fin", "hire_date": "2026-01-05"}, exponent=2
    )
    assert (data.org_unit, data.hire_date) == ("FIN", date(2026, 1, 5))


def test_may_decide_leave(store: Store, staff: Staff) -> None:
    boss = add_employee(store, staff.manager, "Boss", n=1, login="david")
    add_employee(store, staff.manager, "Report", n=2, manager=boss)
    with store.read() as session:
        assert leave.may_decide(session, staff.manager)
        assert not leave.may_decide(session, staff.clerk)
        assert leave.may_decide(session, staff.analyst)  # david manages someone


def test_limits_and_enrollments(store: Store, staff: Staff) -> None:
    numbers = [add_employee(store, staff.manager, f"P{i}", n=i) for i in range(1, 4)]
    with store.write() as session:
        leave.add_leave_type(session, staff.manager, code="UNPAID2", name="Unpaid", paid=False)
        for number in numbers:
            leave.request_leave(
                session,
                staff.clerk,
                employee=number,
                type_code="UNPAID2",
                starts_on=date(2026, 12, 1),
                ends_on=date(2026, 12, 1),
            )
        course = training.add_course(session, staff.clerk, code="FIRE", title="Fire safety")
        sid = training.add_session(
            session, staff.clerk, course=course.code, starts_on=date(2026, 12, 6)
        ).id
        assert sid is not None
        training.enroll(session, staff.clerk, sid, numbers[1])
        training.enroll(session, staff.clerk, sid, numbers[0])
    with store.read() as session:
        assert len(leave.list_requests(session, staff.clerk, limit=2)) == 2
        assert len(leave.list_requests(session, staff.clerk)) == 3
        enrolled = training.session_enrollments(session, staff.clerk, sid)
        assert [e["employee"] for e in enrolled] == sorted(numbers[:2])
        assert {e["status"] for e in enrolled} == {"enrolled"}
        with pytest.raises(PermissionDenied):
            training.session_enrollments(session, staff.finance, sid)
