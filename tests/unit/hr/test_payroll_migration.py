"""Migration 0012 turns an older store's salaries into dated components and reads the
nationality and the leaving reason from what it holds; it goes down and up again."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from bo_console.core import migrate
from bo_console.core.db import Store, create_sqlite_file


def test_existing_salaries_become_components_from_the_hire_date(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    assert store.path is not None
    create_sqlite_file(store.path, 0o600)
    cfg = migrate.alembic_config(store.url)
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
        conn.execute(
            text(
                "INSERT INTO hr_org_unit (id, code, name, name_ar, active)"
                " VALUES (1, 'FIN', 'F', '', 1)"
            )
        )
        for n, (national_id, reason, left) in enumerate(
            [("1012345678", "", None), ("2012345678", "Resigned for family", "2026-10-31"),
             ("2099999999", "restructuring", "2026-10-31")],
            start=1,
        ):  # fmt: skip
            conn.execute(
                text(
                    "INSERT INTO hr_employee (id, number, name, name_ar, sort_name, sort_name_ar,"
                    " search_text, org_unit_id, hire_date, termination_date, termination_reason,"
                    " status, email, phone, created_at, updated_at) VALUES (:n, :num, 'X', '',"
                    " 'x', '', '', 1, '2020-02-01', :left, :reason, 'active', '', '',"
                    " '2026-01-01', '2026-01-01')"
                ),
                {"n": n, "num": f"E{n}", "left": left, "reason": reason},
            )
            conn.execute(
                text(
                    "INSERT INTO hr_employee_private (employee_id, base_salary, allowances,"
                    " national_id) VALUES (:n, :base, :allow, :nid)"
                ),
                {"n": n, "base": 1000000 + n, "allow": 250000 if n != 3 else 0, "nid": national_id},
            )
    migrate.upgrade(store)
    with store.engine.connect() as conn:
        people = conn.execute(
            text("SELECT number, nationality, leaving_reason FROM hr_employee ORDER BY id")
        ).all()
        lines = conn.execute(
            text(
                "SELECT l.employee_id, c.code, l.amount, l.effective_from FROM hr_salary_line l"
                " JOIN hr_pay_component c ON c.id = l.component_id ORDER BY l.employee_id, c.id"
            )
        ).all()
    assert [tuple(p) for p in people] == [
        ("E1", "saudi", None),
        ("E2", "other", "resignation"),
        ("E3", "other", "termination"),
    ]
    assert [tuple(x) for x in lines] == [
        (1, "BASIC", 1000001, "2020-02-01"),
        (1, "HOUSING", 250000, "2020-02-01"),
        (2, "BASIC", 1000002, "2020-02-01"),
        (2, "HOUSING", 250000, "2020-02-01"),
        (3, "BASIC", 1000003, "2020-02-01"),
    ]
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
        assert conn.execute(text("SELECT COUNT(*) FROM hr_employee")).scalar_one() == 3
    migrate.upgrade(store)
