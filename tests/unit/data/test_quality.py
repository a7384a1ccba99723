"""Data-quality rules: each finds its planted case, raises one inbox item to the owning
department, and closes it by itself once the data is fixed."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from bo_console.core import inbox
from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied
from bo_console.core.security import Actor
from bo_console.data import service
from bo_console.data.quality import barcode_key, iban_problem, name_key, vat_problem

GOOD_IBAN = "SA0380000000608010167519"


def party(code: str, name: str, vat: str = "", name_ar: str = "", pid: int = 0) -> str:
    return (
        "INSERT INTO fin_party (id, code, name, name_ar, is_customer, is_supplier, tax_number, "
        "contact_name, email, phone, address, payment_terms, search_key, active, created_at, "
        f"created_by) VALUES ({pid or 'NULL'}, '{code}', '{name}', '{name_ar}', 1, 0, '{vat}', "
        "'', '', '', '', 30, '', 1, '2026-01-01', 'x');"
    )


def employee(eid: int, iban: str | None = GOOD_IBAN, nid: str = "", unit: int = 90) -> str:
    iban_sql = "NULL" if iban is None else f"'{iban}'"
    return (
        "INSERT INTO hr_employee (id, number, name, name_ar, sort_name, sort_name_ar, "
        "search_text, org_unit_id, hire_date, termination_reason, status, email, phone, "
        f"created_at, updated_at) VALUES ({eid}, 'E{eid:05d}', 'P{eid}', '', '', '', '', {unit}, "
        "'2026-01-05', '', 'active', '', '', '2026-01-05', '2026-01-05');"
        "INSERT INTO hr_employee_private (employee_id, base_salary, allowances, iban, "
        f"national_id) VALUES ({eid}, 100, 0, {iban_sql}, '{nid or eid}');"
    )


def item(iid: int, barcode: str) -> str:
    return (
        "INSERT INTO lg_item (id, name, name_ar, unit, lot_tracked, allow_negative, "
        "reorder_point, reorder_qty, costing, standard_cost, sale_price, tax_code, sku, "
        "search_key, active, on_hand, stock_value, created_at) VALUES "
        f"({iid}, 'Item {iid}', '', 'ea', 0, 0, 0, 0, 'average', 0, 0, 'S15', 'SKU{iid}', '', 1, "
        f"0, 0, '2026-01-01'); INSERT INTO lg_item_barcode (barcode, item_id) "
        f"VALUES ('{barcode}', {iid});"
    )


UNIT = "INSERT INTO hr_org_unit (id, code, name, name_ar, active) VALUES (90, 'QA', 'QA', '', 1);"
DRAFT = (
    party("C0100", "Draft Customer", pid=100)
    + "INSERT INTO fin_document (id, kind, party_id, date, due_date, reference, memo, status, "
    "net, tax, total, paid, created_at, created_by) VALUES (700, 'invoice', 100, '2020-01-05', "
    "'2020-02-05', '', '', 'draft', 100, 15, 115, 0, '2020-01-05', 'x');"
)

CASES: list[tuple[str, str, str, str, str]] = [
    # rule, planted, fix, expected key, owning department
    (
        "party-duplicate-vat",
        party("C0001", "Alpha", "300000000000003") + party("C0002", "Beta", "300000000000003"),
        "UPDATE fin_party SET tax_number = '310000000000003' WHERE code = 'C0002'",
        "300000000000003",
        "finance",
    ),
    (
        "party-duplicate-name",
        party("C0001", "شركة الأمل", name_ar="شركة الأمل")
        + party("C0002", "شركه الامل.", name_ar=""),
        "UPDATE fin_party SET name = 'Other Co' WHERE code = 'C0002'",
        "C0001+C0002",
        "finance",
    ),
    (
        "party-invalid-vat",
        party("C0003", "Gamma", "123456789012345"),
        "UPDATE fin_party SET tax_number = '323456789012343' WHERE code = 'C0003'",
        "C0003",
        "finance",
    ),
    (
        "stale-draft",
        DRAFT,
        "DELETE FROM fin_document WHERE id = 700",
        "document:700",
        "finance",
    ),
    (
        "employee-duplicate-national-id",
        UNIT + employee(901, nid="1000000001") + employee(902, nid="1000000001"),
        "UPDATE hr_employee_private SET national_id = '1000000002' WHERE employee_id = 902",
        "E00901+E00902",
        "hr",
    ),
    (
        "employee-duplicate-iban",
        UNIT + employee(901) + employee(902),
        "UPDATE hr_employee_private SET iban = NULL WHERE employee_id = 902",
        "E00901+E00902",
        "hr",
    ),
    (
        "employee-invalid-iban",
        UNIT + employee(903, iban="SA0380000000608010167518"),
        f"UPDATE hr_employee_private SET iban = '{GOOD_IBAN}' WHERE employee_id = 903",
        "E00903",
        "hr",
    ),
    (
        "employee-missing-iban",
        UNIT + employee(904, iban=None),
        f"UPDATE hr_employee_private SET iban = '{GOOD_IBAN}' WHERE employee_id = 904",
        "E00904",
        "hr",
    ),
    (
        "employee-orphan-unit",
        UNIT + employee(905) + "UPDATE hr_org_unit SET active = 0 WHERE id = 90;",
        "UPDATE hr_org_unit SET active = 1 WHERE id = 90",
        "E00905",
        "hr",
    ),
    (
        "item-duplicate-barcode",
        item(801, "012345678905") + item(802, "0012345678905"),
        "UPDATE lg_item_barcode SET barcode = '4006381333931' WHERE item_id = 802",
        "12345678905",
        "logistics",
    ),
]


def raw(store: Store, sql: str) -> None:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.executescript(sql)
    conn.commit()
    conn.close()


def keys(report: service.QualityReport, rule: str) -> set[str]:
    return {f.key for f in report.findings if f.rule == rule}


@pytest.mark.parametrize(("rule", "plant", "fix", "key", "dept"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_finds_its_case_and_its_item_closes_once_fixed(
    store: Store, admin: Actor, rule: str, plant: str, fix: str, key: str, dept: str
) -> None:
    with store.read() as session:
        assert key not in keys(service.check(session, admin), rule)
    raw(store, plant)
    with store.write() as session:
        report = service.check(session, admin, notify=True)
    assert key in keys(report, rule)
    assert report.opened == len(report.findings)
    with store.read() as session:
        items = [i for i in inbox.list_items(session, admin, dept=dept) if i.kind == "data-quality"]
        assert len(items) == len([f for f in report.findings if f.dept == dept])
        subjects = {f.subject for f in report.findings if f.key == key}
        item_id = next(i.id for i in items if i.subject in subjects and i.id is not None)
        assert service.open_findings(session, admin)[dept] >= 1
    with store.write() as session:  # found again: no second item
        again = service.check(session, admin, notify=True)
    assert (again.opened, again.closed) == (0, 0)
    raw(store, fix)
    with store.write() as session:
        fixed = service.check(session, admin, notify=True)
    assert key not in keys(fixed, rule)
    assert fixed.closed >= 1
    with store.read() as session:
        assert inbox.get_item(session, admin, item_id).status == "done"


def test_checking_without_notify_writes_nothing_and_needs_data_read(
    store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    raw(store, UNIT + employee(904, iban=None))
    clerk = make_user("dc", "data-clerk")
    with store.write() as session:
        report = service.check(session, clerk)
    assert "E00904" in keys(report, "employee-missing-iban")
    with store.read() as session:
        assert service.open_findings(session, admin) == {}
    with store.write() as session, pytest.raises(PermissionDenied):
        service.check(session, clerk, notify=True)
    with store.write() as session, pytest.raises(PermissionDenied):
        service.check(session, make_user("fc", "finance-clerk"))


def test_an_item_a_data_manager_may_not_close_is_left_to_its_department(
    store: Store, make_user: Callable[..., Actor]
) -> None:
    manager = make_user("dm", "data-manager")
    raw(store, UNIT + employee(904, iban=None))
    with store.write() as session:
        assert service.check(session, manager, notify=True).opened == 1
    raw(store, f"UPDATE hr_employee_private SET iban = '{GOOD_IBAN}'")
    with store.write() as session:
        report = service.check(session, manager, notify=True)
    assert (report.closed, report.left_open) == (0, 1)


def test_the_checks_helpers() -> None:
    assert iban_problem(GOOD_IBAN) is None
    assert iban_problem("SA03 8000 0000 6080 1016 7519") is None
    assert "check digits" in (iban_problem("SA0380000000608010167518") or "")
    assert "24" in (iban_problem("SA038000000060801016751") or "")
    assert vat_problem("300000000000003") is None
    assert vat_problem("300000000000004") is not None
    assert vat_problem("12-34") is not None
    assert name_key("Al-Amal Co.") == name_key("al amal co")
    assert name_key("مؤسسة إبراهيم") == name_key("مؤسسه ابراهيم")
    assert barcode_key("012345678905") == barcode_key("0012345678905")


def test_the_check_job_reports_a_step_per_rule_and_records_its_summary(
    store: Store, admin: Actor
) -> None:
    from bo_console.core import jobs

    raw(store, UNIT + employee(905, iban=None))
    rules = len(service.RULES)
    heard: list[tuple[int, int]] = []
    with store.read() as session:
        service.check(session, admin, progress=lambda d, t: heard.append((d, t)))
    assert heard == [(n, rules) for n in range(1, rules + 1)]
    heard.clear()
    report = service.run_check(store, admin, progress=lambda d, t: heard.append((d, t)))
    # One step per rule, then the inbox.
    assert heard == [*((n, rules + 1) for n in range(1, rules + 1)), (rules + 1, rules + 1)]
    assert report.opened == 1
    assert report.summary == f"{rules} rules checked, 1 findings; 1 inbox items opened, 0 closed"
    with store.read() as session:
        runs = jobs.list_runs(session, admin, name="data.quality.check")
    assert [(r.outcome, r.summary) for r in runs] == [("ok", report.summary)]
