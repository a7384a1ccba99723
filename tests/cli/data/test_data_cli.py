"""`bo data`: views, saved queries and the read-only SQL console from the command line."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.security import Actor
from tests.cli.conftest import Bo
from tests.unit.data.test_console import ADD_EMPLOYEE


def _script(store: Store, script: str) -> None:
    """Run ``script`` (statements ending in ``;``) as the store's owner, on either store."""
    if store.path is not None:
        conn = sqlite3.connect(store.path)
        conn.executescript(script)
        conn.close()
        return
    with store.engine.begin() as pg:
        for statement in script.split(";\n"):
            if statement.strip():
                pg.exec_driver_sql(statement.replace("'QA', 1)", "'QA', true)"))


@pytest.fixture
def analyst(
    store: Store, make_user: Callable[..., Actor], as_os_user: Callable[[str], None]
) -> None:
    _script(store, ADD_EMPLOYEE)
    make_user("ana", "analyst")
    as_os_user("ana")


@pytest.mark.both_stores
def test_views_and_one_views_columns(bo: Bo, analyst: None) -> None:
    code, out, err = bo("data", "views", "--format", "json")
    assert code == 0, err
    rows = {r["view"]: r for r in json.loads(out)}
    assert rows["v_hr_employee_pay"]["confidential"] == "yes"
    assert rows["v_lg_item"]["department"] == "logistics"
    code, out, _ = bo("data", "views", "v_hr_employee_pay", "--format", "csv")
    assert code == 0
    assert 'base_salary,"monthly base salary' in out and "hr.confidential" in out
    code, _, err = bo("data", "views", "v_nothing")
    assert code == 1 and "no published view" in err


@pytest.mark.both_stores
def test_query_list_and_run_in_each_format(bo: Bo, analyst: None, tmp_path: Path) -> None:
    code, out, _ = bo("data", "query", "list", "--format", "csv")
    assert code == 0 and "headcount-movement" in out
    args = ("data", "query", "run", "headcount-movement", "-p", "from_month=2026-01")
    code, out, err = bo(*args, "-p", "to_month=2026-02", "--format", "json")
    assert code == 0, err
    assert json.loads(out) == [
        {"month": "2026-01", "hires": 1, "leavers": 0, "headcount": 1},
        {"month": "2026-02", "hires": 0, "leavers": 0, "headcount": 1},
    ]
    code, out, _ = bo(*args, "-p", "to_month=2026-01", "--format", "csv")
    assert out.splitlines() == ["month,hires,leavers,headcount", "2026-01,1,0,1"]
    target = tmp_path / "q.xlsx"
    code, _, err = bo(*args, "--format", "xlsx", "-o", str(target))
    assert code == 0 and target.stat().st_size > 0 and "wrote" in err
    code, _, err = bo(*args, "--format", "xlsx")
    assert code == 2 and "needs --output" in err


def test_query_run_refusals(bo: Bo, analyst: None) -> None:
    code, _, err = bo("data", "query", "run", "nothing")
    assert code == 1 and "no saved query" in err
    code, _, err = bo("data", "query", "run", "headcount-movement", "-p", "month")
    assert code == 2 and "NAME=VALUE" in err
    code, _, err = bo("data", "query", "run", "headcount-movement", "-p", "from_month=May")
    assert code == 2 and "YYYY-MM" in err


def test_sql_reads_and_refuses(bo: Bo, analyst: None, store: Store) -> None:
    code, out, err = bo("data", "sql", "SELECT number FROM v_hr_employee", "-f", "csv")
    assert code == 0, err
    assert out.splitlines() == ["number", "E09000"]
    for text in (
        "DELETE FROM hr_employee",
        "ATTACH DATABASE 'x.db' AS x",
        "PRAGMA writable_schema = 1",
    ):
        code, out, err = bo("data", "sql", text)
        assert code == 1, text
        assert out == "" and len(err.strip().splitlines()) == 1
    code, _, err = bo("data", "sql", "SELECT base_salary FROM hr_employee_private")
    assert code == 3 and "confidential" in err
    code, _, err = bo("data", "sql", "SELECT iban FROM v_hr_employee_pay")
    assert code == 3 and "confidential" in err
    code, _, err = bo("data", "sql", "SELECT * FROM (SELECT national_id FROM hr_employee_private)")
    assert code == 3
    code, _, err = bo("data", "sql", "SELEC 1")
    assert code == 1 and "SQL error" in err
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT count(*) FROM hr_employee").fetchone()[0] == 1
    conn.close()


@pytest.mark.both_stores
def test_sql_audits_exactly_the_confidential_columns_it_reads(
    bo: Bo, analyst: None, store: Store, make_user: Callable[..., Actor],
    as_os_user: Callable[[str], None],
) -> None:  # fmt: skip
    from sqlalchemy import text

    from bo_console import departments

    make_user("boss", "analyst", "hr-manager")
    departments.sync_privileges(store)  # on PostgreSQL, the query role of the boss's roles
    as_os_user("boss")

    def audited(query: str) -> list[str]:
        with store.read() as session:
            before = session.execute(text("SELECT COALESCE(MAX(id), 0) FROM audit_event"))
            last = int(before.scalar_one())
        code, _, err = bo("data", "sql", query, "-f", "json")
        assert code == 0, err
        with store.read() as session:
            rows = session.execute(
                text(
                    "SELECT changes FROM audit_event WHERE action = 'query' AND id > :last "
                    "ORDER BY id"
                ),
                {"last": last},
            ).all()
        return [(json.loads(c) if isinstance(c, str) else c)["fields"][1] for (c,) in rows]

    pay = "v_hr_employee_pay"
    assert audited(f"SELECT number, base_salary FROM {pay}") == [f"{pay}.base_salary"]
    assert audited(f"SELECT number, name FROM {pay}") == []
    assert audited(f"SELECT count(*) FROM {pay}") == []
    assert audited(f"SELECT * FROM {pay}") == [
        ",".join(
            f"{pay}.{c}" for c in ("allowances", "base_salary", "birth_date", "iban", "national_id")
        )
    ]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.postgres
def test_sql_on_postgresql_reads_only_the_published_views(
    bo: Bo, analyst: None, store: Store
) -> None:
    _script(store, "INSERT INTO setting (key, value) VALUES ('data.query_seconds', '1');\n")
    code, out, err = bo("data", "sql", "SELECT number FROM v_hr_employee", "-f", "csv")
    assert code == 0, err
    assert out.splitlines() == ["number", "E09000"]
    code, out, err = bo(
        "data", "sql", "SELECT to_char(hire_date, 'YYYY-MM') AS month, count(*) AS hires"
        " FROM v_hr_employee GROUP BY 1", "-f", "csv",
    )  # fmt: skip
    assert code == 0 and out.splitlines()[1:] == ["2026-01,1"], err
    # Writes, DDL, a second statement, a role switch: refused by the server, one line each.
    for text in (
        "DELETE FROM v_hr_employee",
        "DELETE FROM public.hr_employee",
        "UPDATE public.fin_line SET debit = 0",
        "CREATE TABLE t (x int)",
        "CREATE TEMP TABLE t (x int)",
        "SELECT 1; DELETE FROM public.hr_employee",
        "SELECT set_config('role', session_user, true), * FROM v_hr_employee",
        "SELECT nextval('public.hr_employee_id_seq')",
        "SELECT pg_sleep(3)",  # past the time limit
    ):
        code, out, err = bo("data", "sql", text)
        assert code in (1, 3), (text, err)
        assert out == "" and len(err.strip().splitlines()) == 1, (text, err)
    # Base tables are not open, through the console's schema or named outright.
    code, _, err = bo("data", "sql", "SELECT name FROM hr_employee")
    assert code == 1 and "published views" in err
    code, _, err = bo("data", "sql", "SELECT name FROM public.hr_employee")
    assert code == 3 and "permission denied" in err
    # Confidential columns of a view the analyst reads: refused by the server.
    code, _, err = bo("data", "sql", "SELECT iban FROM v_hr_employee_pay")
    assert code == 3 and "v_hr_employee_pay.iban is confidential" in err
    code, _, err = bo("data", "sql", "SELECT * FROM v_hr_employee_pay")
    assert code == 3
    code, _, err = bo("data", "sql", "SELEC 1")
    assert code == 1 and "SQL error" in err
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM hr_employee").scalar_one() == 1
        assert conn.exec_driver_sql("SELECT count(*) FROM fin_line").scalar_one() == 0


def test_quality_check_is_quiet_when_clean_and_exits_5_with_findings(
    bo: Bo, store: Store, make_user: Callable[..., Actor], as_os_user: Callable[[str], None]
) -> None:
    from tests.unit.data.test_quality import GOOD_IBAN, UNIT, employee, raw

    make_user("dm", "data-manager", "hr-clerk")
    as_os_user("dm")
    # Only -v (bo's, which the fixture gives, or the command's) says a clean check.
    code, out, err = bo("data", "quality", "check")
    assert (code, out) == (0, "") and "0 findings" in err
    code, _, err = bo("data", "quality", "check", "-v")
    assert code == 0 and "0 findings" in err
    code, out, _ = bo("data", "quality", "rules", "-f", "csv")
    assert code == 0 and "employee-missing-iban,hr," in out
    raw(store, UNIT + employee(904, iban=None))
    code, out, err = bo("data", "quality", "check", "--notify", "-f", "csv")
    assert code == 5
    assert "employee-missing-iban,hr,E00904," in out
    assert "1 inbox items opened" in err
    code, out, _ = bo("inbox", "list", "--dept", "hr", "--format", "csv")
    assert "E00904 has no IBAN" in out
    raw(store, f"UPDATE hr_employee_private SET iban = '{GOOD_IBAN}'")
    code, out, err = bo("data", "quality", "check", "--notify")
    assert (code, out) == (0, "")
    code, out, _ = bo("inbox", "list", "--dept", "hr", "--format", "csv")
    assert "E00904" not in out
    make_user("fc", "finance-clerk")
    as_os_user("fc")
    code, _, err = bo("data", "quality", "check")
    assert code == 3 and "data.read" in err


def test_dashboard_as_text_and_json(bo: Bo, analyst: None) -> None:
    code, out, err = bo("data", "dashboard")
    assert code == 0, err
    assert out.startswith("Management dashboard as of ")
    assert "Headcount 1" in out and all(len(line) <= 80 for line in out.splitlines())
    code, out, _ = bo("data", "dashboard", "--format", "json", "--as-of", "2026-06-30")
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2026-06-30" and data["headcount"] == 1
    assert len(data["months"]) == 12 and data["months"][-1]["month"] == "2026-06"
    code, _, err = bo("data", "dashboard", "--as-of", "someday")
    assert code == 2 and "--as-of" in err


def test_pivot_compare_and_workbook(
    bo: Bo,
    store: Store,
    make_user: Callable[..., Actor],
    as_os_user: Callable[[str], None],
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    from tests.unit.finance.documents_helpers import add_parties, doc

    clerk = make_user("omar", "finance-clerk")
    with store.write() as session:
        add_parties(session, clerk)
        doc(session, clerk, party="C1", day=date(2025, 10, 3), lines=[("Item", 1000, 1000, "Z")])
        doc(session, clerk, party="B1", day=date(2026, 10, 6), lines=[("Item", 1000, 700, "Z")])
    make_user("ana", "analyst")
    as_os_user("ana")
    name = "revenue-by-customer-month"
    period = ("-p", "from_month=2025-01", "-p", "to_month=2026-12")
    code, out, err = bo(
        "data",
        "query",
        "pivot",
        name,
        *period,
        "--rows",
        "customer",
        "--columns",
        "month",
        "--values",
        "revenue",
        "-f",
        "csv",
    )
    assert code == 0, err
    assert out.splitlines() == ["customer,2025-10,2026-10,total", "B1,0,700,700", "C1,1000,0,1000"]
    code, out, err = bo("data", "query", "compare", name, "--month", "2026-10", "-f", "json")
    assert code == 0, err
    rows = {r["customer"]: r for r in json.loads(out)}
    assert rows["C1"]["revenue_change"] == -1000 and rows["B1"]["revenue_change"] == 700
    code, _, err = bo("data", "query", "compare", name, "--month", "October")
    assert code == 2 and "YYYY-MM" in err
    target = tmp_path / "q.xlsx"
    code, _, err = bo(
        "data",
        "query",
        "workbook",
        name,
        *period,
        "--rows",
        "customer",
        "--columns",
        "month",
        "--values",
        "revenue",
        "--month",
        "2026-10",
        "-o",
        str(target),
    )
    assert code == 0, err
    assert load_workbook(target).sheetnames == ["result", "pivot", "vs last year"]
    code, _, err = bo("data", "query", "workbook", name, "--rows", "customer", "-o", str(target))
    assert code == 2 and "needs --rows, --columns and --values" in err


def test_pack_refuses_a_month_that_is_not_closed(bo: Bo, analyst: None, tmp_path: Path) -> None:
    target = tmp_path / "pack.xlsx"
    code, out, err = bo("data", "pack", "--period", "2026-11", "-o", str(target))
    assert code == 1 and "not closed" in err and not target.exists()
    code, _, err = bo("data", "pack", "--period", "Nov", "-o", str(target))
    assert code == 1 and "not a month" in err


@pytest.mark.both_stores
def test_snapshots_are_listed_backfilled_and_packed(
    bo: Bo, store: Store, admin: Actor, tmp_path: Path
) -> None:
    from bo_console.finance import service as finance

    code, out, err = bo("data", "snapshot", "list", "--format", "json")
    assert code == 0 and json.loads(out) == [], err
    code, _, err = bo("finance", "period", "close", "2026-10", "--yes")
    assert code == 0, err
    with store.write() as session:  # closed before snapshots existed
        assert finance.close_period(session, admin, "2026-11", after_close=False)
    target = tmp_path / "pack.xlsx"
    code, _, err = bo("data", "pack", "--period", "2026-11", "-o", str(target))
    assert code == 1 and "bo data snapshot backfill" in err and not target.exists()
    code, _, err = bo("data", "snapshot", "backfill")
    assert code == 0 and "snapshots taken: 2026-11" in err
    code, _, err = bo("data", "snapshot", "backfill")
    assert code == 0 and "every closed month has one" in err
    code, out, _ = bo("data", "snapshot", "list", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "period,version,taken_at,taken_by,current,digest"
    assert [line.split(",")[:2] + [line.split(",")[4]] for line in lines[1:]] == [
        ["2026-11", "1", "yes"],
        ["2026-10", "1", "yes"],
    ]
    code, _, err = bo("data", "pack", "--period", "2026-11", "-o", str(target))
    assert code == 0 and target.exists(), err
    code, _, err = bo("data", "snapshot", "list", "--period", "11-2026")
    assert code == 1 and "not a month" in err


def test_backfill_needs_data_manage(bo: Bo, analyst: None) -> None:
    code, _, err = bo("data", "snapshot", "backfill")
    assert code == 3 and "data.manage" in err
