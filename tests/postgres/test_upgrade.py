"""A PostgreSQL store with data at 0007 upgraded to head by the migrations: 0008-0013's data
steps (monthly stock totals, nationality, leaving reasons, salary lines, work-item kinds and
links) run there as on SQLite."""

from __future__ import annotations

import psycopg
from alembic import command
from sqlalchemy.engine import make_url

from bo_console.core import migrate
from bo_console.core.db import Store, dispose_engines
from bo_console.core.migrate import alembic_config

AT_0007 = """
INSERT INTO lg_warehouse (id, code, name, name_ar, active) VALUES (1, 'WH', 'Main', '', true);
INSERT INTO lg_location (id, warehouse_id, code, label, active) VALUES (1, 1, 'A1', '', true);
INSERT INTO lg_item (id, sku, name, name_ar, unit, lot_tracked, allow_negative, reorder_point,
  reorder_qty, costing, standard_cost, sale_price, tax_code, search_key, active, on_hand,
  stock_value, created_at)
VALUES (1, 'BOLT', 'Bolt', '', 'pc', false, false, 0, 0, 'average', 10, 20, '', 'bolt', true,
  0, 0, now());
INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, source,
  source_ref, memo, created_at, created_by)
VALUES (1, 1, '2026-03-01', 'receipt', 10, 100, 'receipt', 'GRN-1', '', now(), 'x');
INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, source,
  source_ref, memo, created_at, created_by)
VALUES (1, 1, '2026-05-01', 'issue', -3, -30, 'delivery', 'DN-1', '', now(), 'x');
INSERT INTO hr_org_unit (id, code, name, name_ar, active) VALUES (1, 'HQ', 'Head office', '', true);
INSERT INTO hr_employee (id, number, name, name_ar, sort_name, sort_name_ar, org_unit_id,
  hire_date, termination_reason, status, email, phone, created_at, updated_at)
VALUES (1, 'E001', 'Sara', '', 'sara', '', 1, '2025-01-01', '', 'active', '', '', now(), now()),
       (2, 'E002', 'Omar', '', 'omar', '', 1, '2025-02-01', 'Resigned', 'terminated', '', '',
        now(), now());
UPDATE hr_employee SET termination_date = '2026-01-31' WHERE id = 2;
INSERT INTO hr_employee_private (employee_id, base_salary, allowances, birth_date, iban,
  national_id)
VALUES (1, 500000, 100000, '1990-01-01', 'SA00', '1012345678'),
       (2, 400000, 0, '1991-01-01', 'SA01', '2012345678');
INSERT INTO work_item (kind, subject, from_dept, to_dept, ref_entity, ref_id, status,
  created_at, created_by)
VALUES ('request', 'Laptop', 'hr', 'it', 'employee', 'E001', 'done', now(), 'hr');
"""


def _rows(conn: psycopg.Connection[tuple[object, ...]], sql: str) -> list[tuple[object, ...]]:
    return [tuple(str(v) for v in row) for row in conn.execute(sql.encode()).fetchall()]


def test_a_store_with_data_upgrades_from_0007_to_head(pg_empty_url: str) -> None:
    command.upgrade(alembic_config(pg_empty_url), "0007")
    dispose_engines()
    conninfo = make_url(pg_empty_url).set(drivername="postgresql")
    dsn = conninfo.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(AT_0007.encode())
    assert migrate.upgrade(Store(pg_empty_url)) == ("0007", migrate.head())
    dispose_engines()
    with psycopg.connect(dsn) as conn:
        assert _rows(conn, "SELECT item_id, period, quantity, value FROM lg_stock_month") == [
            ("1", "2026-03", "10", "100"),
            ("1", "2026-05", "7", "70"),
        ]
        assert _rows(
            conn, "SELECT number, nationality, leaving_reason FROM hr_employee ORDER BY id"
        ) == [("E001", "saudi", "None"), ("E002", "other", "resignation")]
        assert _rows(
            conn,
            "SELECT e.number, c.code, l.amount, l.effective_from FROM hr_salary_line l"
            " JOIN hr_employee e ON e.id = l.employee_id"
            " JOIN hr_pay_component c ON c.id = l.component_id ORDER BY 1, 2",
        ) == [
            ("E001", "BASIC", "500000", "2025-01-01"),
            ("E001", "HOUSING", "100000", "2025-01-01"),
            ("E002", "BASIC", "400000", "2025-02-01"),
        ]
        assert _rows(conn, "SELECT kind, closed_at IS NOT NULL FROM work_item") == [
            ("general", "True")
        ]
        assert _rows(conn, "SELECT entity, ref FROM work_item_link") == [("employee", "E001")]
        assert _rows(conn, "SELECT month, sku, quantity FROM v_lg_stock_move ORDER BY date") == [
            ("2026-03", "BOLT", "10"),
            ("2026-05", "BOLT", "-3"),
        ]
