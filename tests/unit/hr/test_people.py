"""Employees, org units and positions: validation, search, changes, termination, import/export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from bo_console.core import inbox
from bo_console.core.db import Store
from bo_console.core.errors import (
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.io import ImportRejected
from bo_console.core.models import AuditEvent
from bo_console.hr.models import BenefitEnrollment, Employee
from bo_console.hr.models.values import make_iban, normalise_iban
from bo_console.hr.service import benefits, people
from tests.unit.hr.factories import Staff, add_employee, iban


def test_iban_mod97() -> None:
    good = "SA03 8000 0000 6080 1016 7519"
    assert normalise_iban(good) == "SA0380000000608010167519"
    assert normalise_iban("gb82 west 1234 5698 7654 32") == "GB82WEST12345698765432"
    with pytest.raises(ValueError, match="check digits"):
        normalise_iban("SA0480000000608010167519")
    with pytest.raises(ValueError, match="24 characters"):
        normalise_iban("SA038000000060801016751")
    with pytest.raises(ValueError, match="2 letters"):
        normalise_iban("1234")
    for n in range(50):
        assert normalise_iban(iban(n)) == iban(n)
    assert make_iban("SA", "80000000608010167519") == "SA0380000000608010167519"


def test_create_validates_every_field(store: Store, staff: Staff) -> None:
    bad = {
        "name": "",
        "org_unit": "FIN",
        "hire_date": date(2024, 1, 1),
        "email": "not-an-address",
        "national_id": "12",
        "birth_date": date(2015, 1, 1),
        "base_salary": -1,
    }
    with store.write() as session, pytest.raises(ValidationFailed) as caught:
        people.create_employee(session, staff.manager, people.employee_create(bad))
    fields = {e.field for e in caught.value.errors}
    assert fields == {"name", "email", "national_id", "birth_date", "base_salary"}
    with store.read() as session:
        assert session.exec(select(Employee)).all() == []


def test_unknown_references_are_refused(store: Store, staff: Staff) -> None:
    with store.write() as session, pytest.raises(NotFound, match="org unit"):
        people.create_employee(
            session,
            staff.clerk,
            people.EmployeeCreate(name="A", org_unit="NOPE", hire_date=date(2024, 1, 1)),
        )
    with store.write() as session, pytest.raises(NotFound, match="employee"):
        people.create_employee(
            session,
            staff.clerk,
            people.EmployeeCreate(
                name="A", org_unit="FIN", hire_date=date(2024, 1, 1), manager="E99999"
            ),
        )


def test_clerk_cannot_set_confidential_fields(store: Store, staff: Staff) -> None:
    data = people.EmployeeCreate(
        name="Ali", org_unit="FIN", hire_date=date(2024, 1, 1), base_salary=100
    )
    with store.write() as session, pytest.raises(PermissionDenied, match="hr.confidential"):
        people.create_employee(session, staff.clerk, data)
    number = add_employee(store, staff.manager, "Ali")
    with store.write() as session, pytest.raises(PermissionDenied, match="hr.confidential"):
        people.update_employee(session, staff.clerk, number, people.EmployeeUpdate(iban=iban(9)))
    with store.write() as session:
        people.update_employee(
            session, staff.clerk, number, people.EmployeeUpdate(phone="+966500000000")
        )


def test_audit_redacts_confidential_values(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.manager, "Layla", salary=9876500)
    with store.write() as session:
        people.update_employee(
            session, staff.manager, number, people.EmployeeUpdate(base_salary=5432100)
        )
    with store.read() as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.entity == "employee")).all()
    text = " ".join(r.changes for r in rows)
    assert "98765" not in text and "54321" not in text and iban(1) not in text
    update = json.loads(rows[-1].changes)
    assert update == {"base_salary": ["[redacted]", "[redacted]"]}


def test_search_folds_arabic_and_latin(store: Store, staff: Staff) -> None:
    add_employee(store, staff.manager, "Fatimah Al-Ahmadi", name_ar="فَاطِمَة الأحمدي", n=1)
    add_employee(store, staff.manager, "Ahmed Saleh", name_ar="أحمد صالح", n=2)
    add_employee(store, staff.manager, "Ali Omar", name_ar="علي عمر", n=3, email="ali@x.example")

    def names(text: str) -> list[str]:
        with store.read() as session:
            query = people.EmployeeQuery(search=text)
            return [r.name for r in people.list_employees(session, staff.clerk, query)]

    assert names("فاطمه") == ["Fatimah Al-Ahmadi"]  # ta marbuta typed as ha, no diacritics
    assert names("الاحمدي") == ["Fatimah Al-Ahmadi"]  # bare alef for hamza-on-alef
    assert names("احمد") == ["Ahmed Saleh", "Fatimah Al-Ahmadi"]
    assert names("AHMED") == ["Ahmed Saleh"]
    assert names("ali@x") == ["Ali Omar"]
    assert names("E00002") == ["Ahmed Saleh"]
    assert names("100%_") == []  # LIKE wildcards match themselves


def test_sort_and_filter(store: Store, staff: Staff) -> None:
    add_employee(store, staff.manager, "Zaid", unit="LOG", hired=date(2020, 1, 1), n=1)
    add_employee(store, staff.manager, "Basma", hired=date(2022, 1, 1), n=2)
    add_employee(store, staff.manager, "Adel", hired=date(2021, 1, 1), n=3)
    with store.read() as session:

        def listed(**kwargs: object) -> list[str]:
            query = people.EmployeeQuery(**kwargs)  # type: ignore[arg-type]
            return [r.name for r in people.list_employees(session, staff.clerk, query)]

        assert listed() == ["Adel", "Basma", "Zaid"]
        assert listed(sort="hire_date", descending=True) == ["Basma", "Adel", "Zaid"]
        assert listed(org_unit="log") == ["Zaid"]
        assert listed(limit=2, sort="number") == ["Zaid", "Basma"]
        with pytest.raises(ValidationFailed):
            listed(sort="shoe_size")


def test_update_changes_and_manager_loops(store: Store, staff: Staff) -> None:
    boss = add_employee(store, staff.manager, "Boss", n=1)
    worker = add_employee(store, staff.manager, "Worker", n=2, manager=boss)
    with store.write() as session, pytest.raises(PermissionDenied, match="hr.manage"):
        people.update_employee(session, staff.clerk, worker, people.EmployeeUpdate(manager=None))
    with store.write() as session, pytest.raises(PermissionDenied, match="hr.manage"):
        people.update_employee(session, staff.clerk, worker, people.EmployeeUpdate(login="omar"))
    with store.write() as session, pytest.raises(ValidationFailed, match="loop"):
        people.update_employee(session, staff.manager, boss, people.EmployeeUpdate(manager=worker))
    with store.write() as session, pytest.raises(ValidationFailed, match="own manager"):
        people.update_employee(session, staff.manager, boss, people.EmployeeUpdate(manager=boss))
    with store.write() as session:
        people.update_employee(
            session,
            staff.manager,
            worker,
            people.EmployeeUpdate(name_ar="عامل", org_unit="LOG", manager=None),
        )
    with store.read() as session:
        row = people.get_employee(session, staff.manager, worker)
    assert (row.name_ar, row.org_unit, row.manager) == ("عامل", "LOG", None)
    with store.write() as session:
        people.update_employee(session, staff.manager, worker, people.EmployeeUpdate(login="omar"))
    with store.write() as session, pytest.raises(ValidationFailed, match="already belongs"):
        people.update_employee(session, staff.manager, boss, people.EmployeeUpdate(login="omar"))


def test_terminate_ends_benefits_and_tells_it(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.manager, "Reem", login="reem")
    with store.write() as session:
        benefits.add_plan(
            session, staff.manager, code="MED", name="Medical", employer_contribution=1
        )
        benefits.enroll(
            session, staff.manager, plan="MED", employee=number, starts_on=date(2026, 1, 1)
        )
    with store.write() as session, pytest.raises(PermissionDenied, match="hr.manage"):
        people.terminate_employee(session, staff.clerk, number, on=date(2026, 11, 27))
    with store.write() as session:
        people.terminate_employee(
            session, staff.manager, number, on=date(2026, 11, 27), reason="resigned"
        )
    with store.read() as session:
        items = inbox.list_items(session, staff.admin, dept="it")
        enrollment = session.exec(select(BenefitEnrollment)).one()
    assert [(i.kind, i.ref_id, i.due_date) for i in items] == [
        ("offboarding", number, date(2026, 11, 27))
    ]
    assert "reem" in items[0].body
    assert enrollment.ends_on == date(2026, 11, 27)
    with store.write() as session, pytest.raises(RuleViolation, match="already terminated"):
        people.terminate_employee(session, staff.manager, number, on=date(2026, 11, 28))
    with store.write() as session, pytest.raises(RuleViolation, match="closed"):
        people.update_employee(
            session, staff.manager, number, people.EmployeeUpdate(phone="+966511111111")
        )


def test_terminate_rolls_back_with_its_work_item(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.manager, "Reem")
    with pytest.raises(RuntimeError), store.write() as session:
        people.terminate_employee(session, staff.manager, number, on=date(2026, 11, 27))
        raise RuntimeError("the transaction fails after the service ran")
    with store.read() as session:
        assert inbox.list_items(session, staff.admin, dept="it") == []
        assert people.get_employee(session, staff.clerk, number).status == "active"


TEMPLATE = Path(__file__).resolve().parents[3] / "data" / "hr-employees-template.csv"


def _write(path: Path, rows: list[str]) -> Path:
    header = ",".join(people.TEXT_COLUMNS)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path


def _row(**values: str) -> str:
    return ",".join(values.get(c, "") for c in people.TEXT_COLUMNS)


def test_template_imports(store: Store, staff: Staff) -> None:
    with store.write() as session:
        count = people.import_employees(session, staff.manager, TEMPLATE)
    with store.read() as session:
        rows = people.list_employees(session, staff.manager, reveal=True)
    assert count == len(rows) >= 2
    assert any(r.name_ar for r in rows) and all(r.iban for r in rows)


def test_import_is_all_or_nothing_with_a_report(store: Store, staff: Staff, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "staff.csv",
        [
            _row(number="E100", name="Good One", org_unit="FIN", hire_date="2024-01-01"),
            _row(name="Bad Unit", org_unit="XXX", hire_date="2024-01-01"),
            _row(name="Bad Iban", org_unit="FIN", hire_date="2024-01-01", iban="SA00123"),
            _row(name="", org_unit="FIN", hire_date="someday"),
            _row(number="E100", name="Twin", org_unit="FIN", hire_date="2024-01-01"),
            _row(name="Lost", org_unit="FIN", hire_date="2024-01-01", manager="E404"),
        ],
    )
    with store.write() as session, pytest.raises(ImportRejected) as caught:
        people.import_employees(session, staff.manager, path)
    found = {(e.row, e.field) for e in caught.value.errors}
    assert {(3, "org_unit"), (4, "iban"), (5, "name"), (5, "hire_date"), (6, "number")} <= found
    with store.read() as session:
        assert session.exec(select(Employee)).all() == []
    # Fix the file: the manager exists only later in the same file.
    path = _write(
        tmp_path / "staff.csv",
        [
            _row(name="Worker", org_unit="LOG", hire_date="2024-02-01", manager="E200"),
            _row(number="E200", name="Boss", name_ar="الرئيس", org_unit="LOG", hire_date="t"),
        ],
    )
    with store.write() as session:
        assert people.import_employees(session, staff.manager, path, dry_run=True) == 2
        session.rollback()
    with store.read() as session:
        assert session.exec(select(Employee)).all() == []
    with store.write() as session:
        assert people.import_employees(session, staff.clerk, path) == 2
    with store.read() as session:
        rows = {r.name: r for r in people.list_employees(session, staff.clerk)}
    assert rows["Worker"].manager == "E200"


def test_import_of_confidential_columns_needs_the_permission(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "pay.csv",
        [_row(name="Paid", org_unit="FIN", hire_date="2024-01-01", base_salary="9000")],
    )
    with store.write() as session, pytest.raises(PermissionDenied, match="hr.confidential"):
        people.import_employees(session, staff.clerk, path)


def test_export_reimports_exactly(store: Store, staff: Staff, tmp_path: Path) -> None:
    add_employee(store, staff.manager, "Layla Haddad", name_ar="ليلى حداد", n=1)
    add_employee(store, staff.manager, "=HYPERLINK(evil)", n=2)
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"staff.{fmt}"
        with store.write() as session:
            people.export_employees(session, staff.manager, out, reveal=True)
        other = Store(f"sqlite:///{tmp_path / f'other-{fmt}.db'}")
        from bo_console.core.security import Identity, sign_in
        from bo_console.departments import init_database

        init_database(other, Identity("boadmin", "test"))
        with other.write() as session:
            admin = sign_in(session, Identity("boadmin", "test"))
            people.add_org_unit(session, admin, code="FIN", name="Finance")
            people.import_employees(session, admin, out)
        with store.read() as session:
            before = people.list_employees(session, staff.manager, reveal=True)
        with other.write() as session:
            after = people.list_employees(session, admin, reveal=True)
        keep = ("number", "name", "name_ar", "base_salary", "iban", "national_id", "birth_date")
        assert [[getattr(r, k) for k in keep] for r in after] == [
            [getattr(r, k) for k in keep] for r in before
        ]


def test_org_units_and_positions(store: Store, staff: Staff) -> None:
    with store.write() as session, pytest.raises(RuleViolation, match="already exists"):
        people.add_org_unit(session, staff.manager, code="fin", name="Again")
    with store.write() as session, pytest.raises(ValidationFailed, match="invalid org unit code"):
        people.add_org_unit(session, staff.manager, code="no spaces", name="x")
    with store.write() as session, pytest.raises(PermissionDenied):
        people.add_org_unit(session, staff.clerk, code="NEW", name="New")
    add_employee(store, staff.manager, "One", unit="LOG")
    with store.read() as session:
        units = {u["code"]: u["headcount"] for u in people.list_org_units(session, staff.clerk)}
        positions = [p["code"] for p in people.list_positions(session, staff.clerk)]
    assert units == {"FIN": 0, "LOG": 1} and positions == ["ACC", "DRV"]


def test_employees_source_pages_filters_and_masks(store: Store, staff: Staff) -> None:
    for n, (name, name_ar) in enumerate(
        [("Zaid", "زيد"), ("Ahmed", "أحمد"), ("Basma", "بسمة"), ("Adel", "عادل")]
    ):
        add_employee(store, staff.manager, name, name_ar=name_ar, n=n)
    source = people.employees_source(store, staff.clerk)
    assert [r["name"] for r in source.rows(0, 10)] == ["Adel", "Ahmed", "Basma", "Zaid"]
    assert all("base_salary" not in r and "iban" not in r for r in source.rows(0, 10))
    source.set_filter("بسمه")
    assert [r["name"] for r in source.rows(0, 10)] == ["Basma"]
    source.set_filter("")
    source.set_sort("name", descending=True)
    assert source.row(0) is not None and source.row(0)["name"] == "Zaid"  # type: ignore[index]
    with pytest.raises(PermissionDenied):
        people.employees_source(store, staff.finance)


def test_import_names_the_rows_of_a_manager_loop(
    store: Store, staff: Staff, tmp_path: Path
) -> None:
    """Rows that would report to each other are a per-row problem, found before writing."""
    path = _write(
        tmp_path / "loop.csv",
        [
            _row(number="E301", name="Fine", org_unit="FIN", hire_date="2024-01-01"),
            _row(number="E302", name="A", org_unit="FIN", hire_date="2024-01-01", manager="E303"),
            _row(number="E303", name="B", org_unit="FIN", hire_date="2024-01-01", manager="E304"),
            _row(number="E304", name="C", org_unit="FIN", hire_date="2024-01-01", manager="E302"),
            _row(number="E305", name="D", org_unit="FIN", hire_date="2024-01-01", manager="E302"),
        ],
    )
    with store.write() as session, pytest.raises(ImportRejected) as caught:
        people.import_employees(session, staff.manager, path, dry_run=True)
    found = {(e.row, e.field) for e in caught.value.errors}
    assert found == {(3, "manager"), (4, "manager"), (5, "manager")}
    assert all("loop" in e.message for e in caught.value.errors)
    with store.read() as session:
        assert session.exec(select(Employee)).all() == []


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The project's clock, pinned so the date-plausibility rules are deterministic."""
    from bo_console.core import clock

    day = date(2026, 6, 15)
    monkeypatch.setattr(clock, "today", lambda: day)
    return day


def test_implausible_dates_are_field_errors(store: Store, staff: Staff, pinned_today: date) -> None:
    def errors(**values: object) -> dict[str, str]:
        with store.write() as session, pytest.raises(ValidationFailed) as caught:
            data = people.employee_create({"name": "X", "org_unit": "FIN", **values})
            people.create_employee(session, staff.manager, data)
        return {e.field: e.message for e in caught.value.errors}

    old = errors(hire_date=date(2024, 1, 1), birth_date=date(1800, 1, 1))
    assert set(old) == {"birth_date"} and "older than 100" in old["birth_date"]
    assert (
        "younger than 15"
        in errors(hire_date=date(2024, 1, 1), birth_date=date(2009, 1, 2))["birth_date"]
    )
    assert "one year" in errors(hire_date=date(9999, 12, 31))["hire_date"]
    assert set(errors(hire_date=date(2027, 6, 16))) == {"hire_date"}
    # The limits themselves are accepted: 15 and 100 years old, a year ahead.
    with store.write() as session:
        for n, (hired, born) in enumerate(
            [
                (date(2027, 6, 15), None),
                (date(2024, 1, 1), date(2009, 1, 1)),
                (date(2024, 1, 1), date(1923, 1, 2)),
            ]
        ):
            people.create_employee(
                session,
                staff.manager,
                people.EmployeeCreate(
                    name=f"Ok {n}", org_unit="FIN", hire_date=hired, birth_date=born
                ),
            )
    # A change of birth date alone is measured against the hire date on file.
    with store.write() as session, pytest.raises(ValidationFailed, match="older than 100"):
        people.update_employee(
            session, staff.manager, "E00002", people.EmployeeUpdate(birth_date=date(1900, 1, 1))
        )
    assert people.field_problem("birth_date", "1800-01-01", 2) is not None
    assert people.field_problem("hire_date", "9999-12-31", 2) is not None


def test_import_reports_implausible_dates_per_row(
    store: Store, staff: Staff, tmp_path: Path, pinned_today: date
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "name,org_unit,hire_date,birth_date\n"
        "Good,FIN,2024-01-01,1990-05-17\n"
        "Old,FIN,2024-01-01,1800-01-01\n"
        "Future,FIN,9999-12-31,\n",
        encoding="utf-8",
    )
    with store.write() as session, pytest.raises(ImportRejected) as caught:
        people.import_employees(session, staff.manager, path)
    problems = {(e.row, e.field) for e in caught.value.errors}
    assert problems == {(3, "birth_date"), (4, "hire_date")}


def test_a_given_number_must_be_free_and_a_generated_one_skips_those_taken(
    store: Store, staff: Staff
) -> None:
    first = add_employee(store, staff.manager, "First")
    # Number 2 taken by hand before the next generated number gets to it.
    assert add_employee(store, staff.manager, "Second", n=2, number="E00002") == "E00002"
    with pytest.raises(ValidationFailed, match=f"employee number {first} is taken"):
        add_employee(store, staff.manager, "Again", n=3, number=first)
    assert add_employee(store, staff.manager, "Third", n=4) == "E00003"
