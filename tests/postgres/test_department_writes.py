"""Each department writes its own tables on the server, not another's: a database login per
console role, raw SQL as that login (what `psql` would send), and the pay-run totals and the
company's payroll IBAN closed to everyone without ``hr.confidential``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bo_console import departments
from bo_console.core import security, settings
from bo_console.core.db import Store, dispose_engines
from bo_console.core.security import Identity
from bo_console.hr.service.payroll import rules as payroll_rules
from tests.conftest import ADMIN_LOGIN, pg_admin_sql, pg_database_url

# A table of each department (and a shared one).
TABLES = {
    "finance": "fin_party",
    "hr": "hr_employee",
    "it": "it_ticket",
    "logistics": "lg_item",
    "data": "dq_finding",
    "shared": "work_item",
}

# The departments' tables each role may change (besides the shared ones every writer may).
WRITES = {
    "finance-clerk": {"finance"},
    "finance-manager": {"finance"},
    "hr-clerk": {"hr"},
    "it-clerk": {"it"},
    "it-manager": {"it", "finance"},  # capitalises and depreciates assets into the books
    "logistics-clerk": {"logistics", "finance"},  # receipts post and bill
    "data-manager": {"data"},
    # Registers customers (fin_party) and raises tickets; sales orders and CVs only.
    "front-office": {"finance", "it"},
    "analyst": set(),
    "auditor": set(),
}

IBAN = "SA0380000000608010167519"


@pytest.fixture
def logins(pg_store: Store, pg_server: str) -> Iterator[dict[str, str]]:
    """A database login per console role in WRITES (password = login), and its URL."""
    suffix = uuid.uuid4().hex[:6]
    database = make_url(pg_store.url).database or ""
    people = {role: f"w_{role.replace('-', '_')}_{suffix}" for role in WRITES}
    people["payroll-officer"] = f"w_payroll_{suffix}"
    people["hr-manager"] = f"w_hr_manager_{suffix}"
    for login in people.values():
        pg_admin_sql(pg_server, f"CREATE ROLE {login} LOGIN PASSWORD '{login}'")
    try:
        with pg_store.write() as session:
            admin = security.sign_in(session, Identity(ADMIN_LOGIN, "test"))
            for role, login in people.items():
                security.add_user(session, admin, login=login, roles=[role], full_name="")
            payroll_rules.set_rule(session, admin, "wps_debit_account", IBAN)
            settings.put(session, admin, "company.name_ar", "شركة")
            settings.put(session, admin, "finance.seller.name_ar", "شركة")
        departments.sync_privileges(pg_store)
        yield {
            role: make_url(pg_database_url(pg_server, database, login))
            .set(drivername="postgresql")
            .render_as_string(hide_password=False)
            for role, login in people.items()
        }
    finally:
        dispose_engines()
        pg_admin_sql(pg_server, *(f"DROP ROLE IF EXISTS {login}" for login in people.values()))


def _outcome(url: str, statement: str) -> str:
    """``ok``, or the server's refusal, of ``statement`` as the URL's login (rolled back)."""
    with psycopg.connect(url) as conn:
        try:
            conn.execute(statement.encode())
        except psycopg.Error as exc:
            return str(exc)
        finally:
            conn.rollback()
    return "ok"


def test_each_role_writes_only_its_departments_tables(logins: dict[str, str]) -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for role in WRITES:
        for dept, table in TABLES.items():
            # No row matches: the server checks the privilege, and nothing changes.
            for verb, statement in (
                ("update", f"UPDATE {table} SET id = id WHERE false"),
                ("delete", f"DELETE FROM {table} WHERE false"),
                ("insert", f"INSERT INTO {table} SELECT * FROM {table} WHERE false"),
            ):
                seen[(role, dept, verb)] = _outcome(logins[role], statement)
    for (role, dept, verb), outcome in seen.items():
        writer = role not in ("analyst", "auditor")
        allowed = dept in WRITES[role] or (dept == "shared" and writer)
        if allowed:
            assert outcome == "ok", (role, dept, verb, outcome)
        else:
            assert "permission denied" in outcome, (role, dept, verb, outcome)


def test_finance_roles_cannot_read_pay_run_totals_or_the_payroll_iban(
    logins: dict[str, str],
) -> None:
    for role in ("finance-clerk", "finance-manager", "hr-clerk", "analyst", "auditor"):
        url = logins[role]
        for column in ("gross", "net", "deductions", "employer_cost"):
            outcome = _outcome(url, f"SELECT {column} FROM hr_pay_run")
            assert "permission denied" in outcome, (role, column, outcome)
        assert "permission denied" in _outcome(url, "SELECT * FROM hr_pay_run")
        with psycopg.connect(url) as conn:
            # Who prepared and approved a run stays readable; the IBAN's row is not there.
            conn.execute("SELECT id, period, status, prepared_by, approved_by FROM hr_pay_run")
            values = conn.execute("SELECT key, value FROM setting").fetchall()
            assert ("company.name_ar", "شركة") in values
            assert all(IBAN not in str(value) for _, value in values), role
            assert conn.execute(
                "SELECT count(*) FROM setting WHERE key = 'hr.wps_debit_account'"
            ).fetchone() == (0,)
            # Nor does the audit trail of the change hold it.
            changes = conn.execute(
                "SELECT changes FROM audit_event WHERE entity_id = 'hr.wps_debit_account'"
            ).fetchall()
            assert changes and all(IBAN not in str(row) for row in changes)
    with psycopg.connect(logins["payroll-officer"]) as conn:
        assert conn.execute("SELECT count(gross) FROM hr_pay_run").fetchone() == (0,)
        assert conn.execute(
            "SELECT value FROM setting WHERE key = 'hr.wps_debit_account'"
        ).fetchone() == (IBAN,)


def _rowcount(url: str, statement: str) -> int:
    """Rows ``statement`` changed as the URL's login (rolled back)."""
    with psycopg.connect(url) as conn:
        try:
            return conn.execute(statement.encode()).rowcount
        finally:
            conn.rollback()


def test_each_role_changes_only_its_departments_settings(logins: dict[str, str]) -> None:
    books = "UPDATE setting SET value = '2020-01' WHERE key = 'company_name'"
    insert = "INSERT INTO setting (key, value) VALUES ('{key}', 'x')"
    # Without a permission that owns setting keys: no privilege on the table at all.
    for role in ("hr-clerk", "finance-clerk", "it-clerk", "analyst", "auditor"):
        for key in ("finance.books_start", "hr.weekend", "it.calendar.days"):
            outcome = _outcome(logins[role], insert.format(key=key))
            assert "permission denied" in outcome, (role, key, outcome)
        assert "permission denied" in _outcome(logins[role], books), role
    # A finance manager changes finance's keys (closing fixes the books' first month), an
    # HR manager HR's (pay rules), an IT manager IT's (the SLA calendar), a data manager the
    # data department's (the query console's limits); none another's nor the company's.
    owners = {
        "finance-manager": "finance.",
        "hr-manager": "hr.",
        "it-manager": "it.",
        "data-manager": "data.",
        "logistics-clerk": None,
    }
    keys = (
        "finance.books_start",
        "finance.control.inventory.since",
        "hr.weekend",
        "it.calendar.days",
        "data.query_seconds",
    )
    for role, own in owners.items():
        for key in keys:
            outcome = _outcome(logins[role], insert.format(key=key))
            if own is not None and key.startswith(own):
                assert outcome == "ok", (role, key, outcome)
            elif own is None:
                assert "permission denied" in outcome, (role, key, outcome)
            else:
                assert "row-level security" in outcome, (role, key, outcome)
        if own is not None:
            # Rows outside its prefixes are not there to change.
            assert _rowcount(logins[role], books) == 0, role
            other = "hr." if own == "finance." else "finance."
            changed = f"UPDATE setting SET value = 'x' WHERE key LIKE '{other}%'"
            assert _rowcount(logins[role], changed) == 0, role
    with psycopg.connect(logins["finance-manager"]) as conn:
        assert (
            conn.execute(
                "UPDATE setting SET value = 'x' WHERE key = 'finance.seller.name_ar'"
            ).rowcount
            == 1
        )
        conn.rollback()


def test_the_payroll_iban_stays_closed_to_writers_without_hr_confidential(
    logins: dict[str, str],
) -> None:
    statement = "UPDATE setting SET value = 'x' WHERE key = 'hr.wps_debit_account'"
    for role in ("finance-manager", "hr-clerk"):
        outcome = _outcome(logins[role], statement)
        assert outcome == "ok" or "permission denied" in outcome, (role, outcome)
        if outcome == "ok":
            assert _rowcount(logins[role], statement) == 0, role
    assert _rowcount(logins["hr-manager"], statement) == 1
