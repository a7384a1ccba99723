"""No path shows a salary, IBAN, national ID or birth date to a role without hr.confidential,
and every path that does show them to a role with it leaves an audit row without the values."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied
from bo_console.core.models import AuditEvent
from bo_console.core.security import Actor
from bo_console.hr.service import payroll, people
from bo_console.hr.service.common import MASK, parse_period
from tests.unit.hr.factories import Staff, add_employee, iban

SECRET_SALARY = 1357900  # 13579.00, a figure no other field of the test data contains
SECRETS = ("13579", "2468", iban(7), "1099887766", "1977-03-21")


@pytest.fixture
def employee(store: Store, staff: Staff) -> str:
    add_employee(store, staff.manager, "Decoy", salary=100000, n=3)
    with store.write() as session:
        employee = people.create_employee(
            session,
            staff.manager,
            people.EmployeeCreate(
                name="Layla Haddad",
                name_ar="ليلى حداد",
                org_unit="FIN",
                hire_date=date(2024, 1, 1),
                base_salary=SECRET_SALARY,
                allowances=246800,
                iban=iban(7),
                national_id="1099887766",
                birth_date=date(1977, 3, 21),
            ),
        )
    return employee.number


def _no_secret(value: Any) -> None:
    text = (
        json.dumps(value, default=str, ensure_ascii=False) if not isinstance(value, str) else value
    )
    for secret in SECRETS:
        assert secret not in text, f"{secret} leaked"


def _readers(staff: Staff) -> list[Actor]:
    return [staff.clerk, staff.auditor, staff.analyst]


def _audit_rows(store: Store) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.exec(select(AuditEvent)).all())


def test_list_show_search_report_are_masked(store: Store, staff: Staff, employee: str) -> None:
    for actor in _readers(staff):
        with store.write() as session:
            rows = people.list_employees(session, actor)
            record = people.employee_record(
                people.get_employee(session, actor, employee), exponent=2
            )
            found = people.list_employees(session, actor, people.EmployeeQuery(search="13579"))
            found_iban = people.list_employees(session, actor, people.EmployeeQuery(search=iban(7)))
            report = people.headcount_report(session, actor)
        assert all(not r.revealed and r.base_salary is None for r in rows)
        assert [record[f] for f in ("base_salary", "iban", "national_id", "birth_date")] == [
            MASK
        ] * 4
        assert found == [] and found_iban == []
        _no_secret([people.employee_record(r, 2) for r in rows])
        _no_secret(record)
        _no_secret(report)


@pytest.mark.parametrize(
    "query",
    [
        people.EmployeeQuery(sort="salary"),
        people.EmployeeQuery(sort="salary", descending=True),
        people.EmployeeQuery(min_salary=1),
        people.EmployeeQuery(max_salary=10**9),
    ],
    ids=["sort", "sort-desc", "min", "max"],
)
def test_sorting_or_filtering_by_salary_is_refused(
    store: Store, staff: Staff, employee: str, query: people.EmployeeQuery
) -> None:
    for actor in _readers(staff):
        with store.read() as session, pytest.raises(PermissionDenied, match="hr.confidential"):
            people.list_employees(session, actor, query)


def test_revealing_is_refused_everywhere(
    store: Store, staff: Staff, employee: str, tmp_path: Path
) -> None:
    calls: list[Callable[[Any, Actor], object]] = [
        lambda s, a: people.list_employees(s, a, reveal=True),
        lambda s, a: people.get_employee(s, a, employee, reveal=True),
        lambda s, a: people.headcount_report(s, a, reveal=True),
        lambda s, a: people.export_employees(s, a, tmp_path / "x.csv", reveal=True),
        lambda s, a: payroll.list_runs(s, a),
        lambda s, a: payroll.list_inputs(s, a, parse_period("2026-11")),
    ]
    for actor in _readers(staff):
        for call in calls:
            with store.write() as session, pytest.raises(PermissionDenied):
                call(session, actor)
    assert not (tmp_path / "x.csv").exists()


def test_no_hr_role_sees_nothing(store: Store, staff: Staff, employee: str) -> None:
    with store.read() as session, pytest.raises(PermissionDenied, match="hr.read"):
        people.list_employees(session, staff.finance)
    with store.read() as session, pytest.raises(PermissionDenied, match="hr.read"):
        people.get_employee(session, staff.finance, employee)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_exports_are_masked(
    store: Store, staff: Staff, employee: str, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"staff.{fmt}"
    with store.read() as session:
        count = people.export_employees(session, staff.clerk, out)
    assert count == 2
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(out, read_only=True)
        cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
        book.close()
        content = " ".join(str(c) for c in cells)
    else:
        content = out.read_text(encoding="utf-8")
    _no_secret(content)
    assert content.count(MASK) == 2 * 5


def test_payslips_and_transfers_need_the_permission(
    store: Store, staff: Staff, employee: str
) -> None:
    with store.write() as session:
        run = payroll.run_payroll(session, staff.payroll, parse_period("2026-11")).run
    for actor in (*_readers(staff), staff.finance):
        with store.write() as session, pytest.raises(PermissionDenied):
            payroll.payslips(session, actor, run.id or 0)
        with store.write() as session, pytest.raises(PermissionDenied):
            payroll.transfer_rows(session, actor, run)


def test_pay_run_overview_never_shows_an_individuals_pay(
    store: Store, staff: Staff, employee: str
) -> None:
    """A run's totals reveal pay (with one employee, that person's): readers get the mask."""
    with store.write() as session:
        payroll.run_payroll(session, staff.payroll, parse_period("2026-11"))
    with store.read() as session:
        [paid], revealed = payroll.runs_overview(session, staff.payroll)
    assert revealed and paid["gross"] not in (MASK, "")
    for actor in _readers(staff):
        with store.read() as session:
            rows, revealed = payroll.runs_overview(session, actor)
        assert not revealed and [r["id"] for r in rows] == [paid["id"]]
        _no_secret(rows)
        for amount in ("gross", "net", "employer_cost"):
            assert rows[0][amount] == MASK
            assert str(paid[amount]) not in json.dumps(rows, default=str)


def test_a_reveal_is_audited_without_values(store: Store, staff: Staff, employee: str) -> None:
    before = len(_audit_rows(store))
    with store.write() as session:
        rows = people.list_employees(session, staff.manager, reveal=True)
        card = people.get_employee(session, staff.manager, employee)
        by_salary = people.list_employees(
            session, staff.manager, people.EmployeeQuery(sort="salary", descending=True)
        )
    assert {r.base_salary for r in rows} == {100000, SECRET_SALARY}
    assert card.revealed and card.iban == iban(7)
    assert [r.name for r in by_salary] == ["Layla Haddad", "Decoy"]
    views = _audit_rows(store)[before:]
    assert [(v.action, v.user_login) for v in views] == [("view", "sara")] * 3
    assert views[1].entity_id == employee
    assert json.loads(views[0].changes)["records"][1] == "E00001,E00002"
    _no_secret([v.changes for v in views])


def test_export_with_values_is_audited_as_export(
    store: Store, staff: Staff, employee: str, tmp_path: Path
) -> None:
    out = tmp_path / "staff.csv"
    with store.write() as session:
        people.export_employees(session, staff.manager, out, reveal=True)
    assert "13579.00" in out.read_text(encoding="utf-8")
    last = _audit_rows(store)[-1]
    assert (last.action, last.entity, last.user_login) == ("export", "employee", "sara")
    _no_secret(last.changes)


def test_no_audit_row_ever_holds_a_secret(store: Store, staff: Staff, employee: str) -> None:
    with store.write() as session:
        people.update_employee(
            session,
            staff.manager,
            employee,
            people.EmployeeUpdate(base_salary=SECRET_SALARY + 1, iban=iban(8)),
        )
        run = payroll.run_payroll(session, staff.payroll, parse_period("2026-11")).run
        payroll.payslips(session, staff.payroll, run.id or 0)
    for row in _audit_rows(store):
        _no_secret(row.changes)
        assert "13580" not in row.changes and iban(8) not in row.changes


def test_masked_query_never_reads_the_private_table(staff: Staff) -> None:
    sql = str(people.employees_select(reveal=False))
    assert "hr_employee_private" not in sql
    assert "hr_employee_private" in str(people.employees_select(reveal=True))
