"""The read-only SQL console and the saved queries: what the database layer refuses."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation, UsageProblem
from bo_console.core.security import Actor
from bo_console.data import service
from bo_console.data.catalogue import VIEWS

ADD_EMPLOYEE = """
INSERT INTO hr_org_unit (id, code, name, name_ar, active) VALUES (90, 'QA', 'QA', 'QA', 1);
INSERT INTO hr_employee (id, number, name, name_ar, sort_name, sort_name_ar, search_text,
  org_unit_id, hire_date, termination_reason, status, email, phone, created_at, updated_at)
VALUES (900, 'E09000', 'Test Person', '', 'test person', '', 'e09000', 90, '2026-01-05', '',
  'active', '', '', '2026-01-05', '2026-01-05');
INSERT INTO hr_employee_private (employee_id, base_salary, allowances, iban, national_id)
VALUES (900, 1000000, 0, 'SA0380000000608010167519', '1000000008');
"""


@pytest.fixture
def analyst(make_user: Callable[..., Actor], store: Store) -> Actor:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.executescript(ADD_EMPLOYEE)
    conn.close()
    return make_user("ana", "analyst")


def sql(store: Store, actor: Actor, text: str, **kw: float) -> service.ResultSet:
    with store.write() as session:
        return service.run_sql(session, actor, text, **kw)  # type: ignore[arg-type]


def count(store: Store, table: str) -> int:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_every_view_in_the_catalogue_exists_with_its_columns(store: Store) -> None:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    found = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    for view in VIEWS:
        assert view.name in found
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({view.name})")]
        assert columns == [c.name for c in view.columns], view.name
    conn.close()


def test_a_select_over_a_view_returns_rows(store: Store, analyst: Actor) -> None:
    result = sql(store, analyst, "SELECT number, org_unit FROM v_hr_employee")
    assert result.columns == ["number", "org_unit"]
    assert ("E09000", "QA") in result.rows


@pytest.mark.parametrize(
    "text",
    [
        "DELETE FROM fin_entry",
        "UPDATE hr_employee SET name = 'x'",
        "INSERT INTO fin_period (period, status) VALUES ('2030-01', 'open')",
        "WITH x AS (SELECT 1) DELETE FROM hr_employee",
        "CREATE TABLE t (a)",
        "CREATE TEMP VIEW t AS SELECT 1",
        "DROP VIEW v_lg_item",
        "ATTACH DATABASE ':memory:' AS other",
        "DETACH DATABASE main",
        "PRAGMA writable_schema = 1",
        "PRAGMA query_only = 0",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA foreign_keys",
        "BEGIN IMMEDIATE",
        "SELECT load_extension('x')",
        "SELECT * FROM audit_event",
        "SELECT login FROM console_user",
        "VACUUM",
    ],
)
def test_the_console_refuses_what_is_not_a_read(store: Store, analyst: Actor, text: str) -> None:
    before = count(store, "hr_employee"), count(store, "audit_event")
    with pytest.raises(RuleViolation):
        sql(store, analyst, text)
    assert (count(store, "hr_employee"), count(store, "audit_event")) == before


def test_read_pragmas_on_the_schema_are_allowed(store: Store, analyst: Actor) -> None:
    result = sql(store, analyst, "PRAGMA table_info(v_lg_item)")
    assert "sku" in [row[1] for row in result.rows]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT base_salary FROM hr_employee_private",
        "SELECT BASE_Salary FROM HR_EMPLOYEE_PRIVATE",
        'SELECT "iban" FROM main."hr_employee_private"',
        "SELECT number, iban FROM v_hr_employee_pay",
        "SELECT * FROM v_hr_employee_pay",
        "SELECT x FROM (SELECT national_id AS x FROM hr_employee_private)",
        "SELECT count(*) FROM hr_employee_private WHERE base_salary > 500000",
        "WITH v_hr_employee AS (SELECT iban AS name FROM hr_employee_private) "
        "SELECT name FROM v_hr_employee",
        "SELECT sum(gross) FROM v_hr_payslip",
        "SELECT key FROM it_licence",
    ],
)
def test_confidential_columns_are_refused_without_the_permission(
    store: Store, analyst: Actor, text: str
) -> None:
    with pytest.raises(PermissionDenied, match="confidential"):
        sql(store, analyst, text)


def test_confidential_columns_are_read_with_the_permission_and_audited(
    store: Store, analyst: Actor, make_user: Callable[..., Actor]
) -> None:
    boss = make_user("boss", "analyst", "hr-manager")
    before = count(store, "audit_event")
    result = sql(store, boss, "SELECT base_salary FROM v_hr_employee_pay WHERE number = 'E09000'")
    assert result.rows == [(1000000,)]
    assert count(store, "audit_event") == before + 1
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    action, changes = conn.execute(
        "SELECT action, changes FROM audit_event ORDER BY id DESC LIMIT 1"
    ).fetchone()
    conn.close()
    assert action == "query" and "v_hr_employee_pay.base_salary" in changes
    assert "1000000" not in changes


def _audited_fields(store: Store, before: int) -> list[str]:
    """The confidential fields each query audit row since row ``before`` names."""
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        rows = conn.execute(
            "SELECT changes FROM audit_event WHERE action = 'query' AND id > ? ORDER BY id",
            (before,),
        ).fetchall()
    finally:
        conn.close()
    return [json.loads(changes)["fields"][1] for (changes,) in rows]


def _last_audit_id(store: Store) -> int:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_event").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("SELECT number, base_salary FROM v_hr_employee_pay", "v_hr_employee_pay.base_salary"),
        (
            "SELECT number FROM v_hr_employee_pay WHERE iban LIKE 'SA%' ORDER BY birth_date",
            "v_hr_employee_pay.birth_date,v_hr_employee_pay.iban",
        ),
        ("SELECT number, name FROM v_hr_employee_pay", None),
        (
            "WITH x AS (SELECT number, base_salary FROM v_hr_employee_pay) SELECT number FROM x",
            "v_hr_employee_pay.base_salary",
        ),
        # A CTE named like the view is not the view: what its body reads is the query's own.
        (
            "WITH v_hr_employee_pay AS (SELECT iban AS pay FROM hr_employee_private) "
            "SELECT pay FROM v_hr_employee_pay",
            "hr_employee_private.iban",
        ),
        ("SELECT count(*) FROM v_hr_employee_pay", None),
        (
            "SELECT * FROM v_hr_employee_pay",
            "v_hr_employee_pay.allowances,v_hr_employee_pay.base_salary,"
            "v_hr_employee_pay.birth_date,v_hr_employee_pay.iban,v_hr_employee_pay.national_id",
        ),
    ],
)
def test_the_audit_names_exactly_the_confidential_columns_the_query_reads(
    store: Store, analyst: Actor, make_user: Callable[..., Actor], text: str, fields: str | None
) -> None:
    """Not the other columns of the view (which SQLite reads to build it): a query of names
    reveals nothing and is not audited as if it had read salaries and IBANs."""
    boss = make_user("boss", "analyst", "hr-manager")
    before = _last_audit_id(store)
    sql(store, boss, text)
    assert _audited_fields(store, before) == ([] if fields is None else [fields])


def test_a_saved_query_audits_only_the_confidential_columns_it_reads(
    store: Store, analyst: Actor, make_user: Callable[..., Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.data import queries

    pay = queries.SavedQuery(
        "pay-by-unit",
        "Gross pay by unit",
        "hr",
        "Gross pay per org unit and period",
        "SELECT org_unit, period, SUM(gross) AS gross FROM v_hr_payslip "
        "GROUP BY org_unit, period ORDER BY org_unit, period",
    )
    monkeypatch.setitem(queries.QUERY_BY_NAME, pay.name, pay)
    boss = make_user("boss", "analyst", "hr-manager")
    before = _last_audit_id(store)
    with store.write() as session:
        service.run_query(session, boss, "pay-by-unit")
    assert _audited_fields(store, before) == ["v_hr_payslip.gross"]


def test_the_console_needs_data_query(store: Store, make_user: Callable[..., Actor]) -> None:
    clerk = make_user("fc", "finance-clerk")
    with pytest.raises(PermissionDenied):
        sql(store, clerk, "SELECT 1")


def test_a_department_the_actor_cannot_read_is_refused(
    store: Store, make_user: Callable[..., Actor]
) -> None:
    clerk = make_user("dc", "data-clerk")
    with pytest.raises(PermissionDenied, match="hr.read"):
        sql(store, clerk, "SELECT number FROM v_hr_employee")


def test_a_runaway_recursive_query_is_stopped(store: Store, analyst: Actor) -> None:
    runaway = (
        "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT count(*) FROM r"
    )
    with pytest.raises(RuleViolation, match="longer than 0.3 s"):
        sql(store, analyst, runaway, time_limit=0.3)


def test_saved_queries_run_with_their_defaults_and_given_parameters(
    store: Store, analyst: Actor
) -> None:
    names = [q.name for q in service.list_queries(analyst)]
    assert names == [
        "revenue-by-customer-month",
        "headcount-movement",
        "ticket-sla-by-category",
        "stock-turnover",
    ]
    for name in names:
        with store.write() as session:
            service.run_query(session, analyst, name)
    with store.write() as session:
        result = service.run_query(
            session,
            analyst,
            "headcount-movement",
            {"from_month": "2025-12", "to_month": "2026-02"},
        )
    assert result.columns == ["month", "hires", "leavers", "headcount"]
    assert result.rows == [("2025-12", 0, 0, 0), ("2026-01", 1, 0, 1), ("2026-02", 0, 0, 1)]


def test_saved_query_parameters_are_checked(store: Store, analyst: Actor) -> None:
    with store.write() as session:
        with pytest.raises(UsageProblem, match="no parameter 'month'"):
            service.run_query(session, analyst, "headcount-movement", {"month": "2026-01"})
        with pytest.raises(UsageProblem, match="YYYY-MM"):
            service.run_query(session, analyst, "headcount-movement", {"from_month": "x"})
        with pytest.raises(NotFound, match="one of"):
            service.run_query(session, analyst, "nothing")
