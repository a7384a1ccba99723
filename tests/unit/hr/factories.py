"""Building blocks for HR tests: an org, staff with roles, employees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.hr.models.values import make_iban
from bo_console.hr.service import people

SALARY_DIGITS = "12345"
"""Digits of the salaries tests give, chosen so a leak is easy to spot in any output."""


@dataclass(frozen=True)
class Staff:
    """Console users with the roles HR work needs (and some that must see nothing)."""

    admin: Actor
    manager: Actor  # hr-manager: everything in HR, including confidential fields and approval
    clerk: Actor  # hr-clerk: reads and writes HR, never confidential fields
    payroll: Actor  # payroll-officer: prepares pay runs, sees salaries
    auditor: Actor  # reads every department, no confidential fields
    analyst: Actor
    finance: Actor  # finance-clerk: no HR access at all


def make_staff(make_user: Callable[..., Actor], admin: Actor) -> Staff:
    return Staff(
        admin=admin,
        manager=make_user("sara", "hr-manager"),
        clerk=make_user("noura", "hr-clerk"),
        payroll=make_user("fahad", "payroll-officer"),
        auditor=make_user("aisha", "auditor"),
        analyst=make_user("david", "analyst"),
        finance=make_user("omar", "finance-clerk"),
    )


def iban(n: int) -> str:
    """A valid Saudi IBAN, different for each ``n``."""
    return make_iban("SA", f"80{n:018d}")


def setup_org(store: Store, actor: Actor) -> None:
    with store.write() as session:
        people.add_org_unit(session, actor, code="FIN", name="Finance", name_ar="المالية")
        people.add_org_unit(session, actor, code="LOG", name="Logistics", name_ar="اللوجستية")
        people.add_position(session, actor, code="ACC", title="Accountant", unit="FIN")
        people.add_position(session, actor, code="DRV", title="Driver", unit="LOG")


def add_employee(
    store: Store,
    actor: Actor,
    name: str,
    *,
    name_ar: str = "",
    unit: str = "FIN",
    hired: date = date(2024, 1, 1),
    salary: int = 1234500,
    allowances: int = 300000,
    n: int = 1,
    national_id: str | None = None,
    **extra: object,
) -> str:
    """Add an employee (amounts in minor units); returns their number."""
    with store.write() as session:
        employee = people.create_employee(
            session,
            actor,
            people.EmployeeCreate(
                name=name,
                name_ar=name_ar,
                org_unit=unit,
                hire_date=hired,
                base_salary=salary,
                allowances=allowances,
                iban=iban(n),
                national_id=national_id or f"10{n:08d}",
                birth_date=date(1990, 5, 17),
                **extra,  # type: ignore[arg-type]
            ),
        )
        return employee.number


def bulk_employees(store: Store, count: int, *, unit: str = "FIN", start: int = 1) -> None:
    """Insert ``count`` employees with salaries and IBANs directly (fast; for scale tests)."""
    import sqlite3

    from bo_console.core.text import fold

    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        unit_id = conn.execute("SELECT id FROM hr_org_unit WHERE code = ?", (unit,)).fetchone()[0]
        rows = []
        private = []
        for i in range(start, start + count):
            name = f"Employee {i:06d}"
            rows.append(
                (i, f"B{i:06d}", name, fold(name), fold(f"B{i:06d} {name}"), unit_id, "2024-01-01")
            )
            private.append((i, 500000 + (i * 7919) % 2000000, (i * 104729) % 300000, iban(i)))
        conn.executemany(
            "INSERT INTO hr_employee (id, number, name, name_ar, sort_name, sort_name_ar,"
            " search_text, org_unit_id, hire_date, termination_reason, status, email, phone,"
            " created_at, updated_at)"
            " VALUES (?, ?, ?, '', ?, '', ?, ?, ?, '', 'active', '', '',"
            " '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
            rows,
        )
        conn.executemany(
            "INSERT INTO hr_employee_private (employee_id, base_salary, allowances, iban)"
            " VALUES (?, ?, ?, ?)",
            private,
        )
        for code, column in (("BASIC", 1), ("HOUSING", 2)):
            component = conn.execute(
                "SELECT id FROM hr_pay_component WHERE code = ?", (code,)
            ).fetchone()[0]
            conn.executemany(
                "INSERT INTO hr_salary_line (employee_id, component_id, amount, effective_from,"
                " set_by, set_at) VALUES (?, ?, ?, '2024-01-01', 'test', '2026-01-01 00:00:00')",
                [(row[0], component, row[column]) for row in private],
            )
        conn.commit()
    finally:
        conn.close()
