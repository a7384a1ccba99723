"""The server keeps what a role should not see or change out of reach, whatever client the
person uses: two database logins, a finance clerk and a payroll officer, each a console user.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bo_console import departments
from bo_console.core import security
from bo_console.core.db import Store, dispose_engines
from bo_console.core.errors import RuleViolation
from bo_console.core.security import Identity
from bo_console.data import service
from bo_console.finance import service as finance
from bo_console.finance.models import EntryCreate, LineCreate
from tests.conftest import ADMIN_LOGIN, pg_admin_sql, pg_database_url
from tests.unit.hr.factories import add_employee, setup_org


@dataclass(frozen=True)
class Team:
    store: Store
    clerk: str
    """The finance clerk's login (database role and console user)."""
    clerk_url: str
    officer: str
    officer_url: str


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def team(pg_store: Store, pg_server: str) -> Iterator[Team]:
    suffix = uuid.uuid4().hex[:8]
    clerk, officer = f"clerk_{suffix}", f"payroll_{suffix}"
    for login in (clerk, officer):
        pg_admin_sql(pg_server, f"CREATE ROLE {login} LOGIN PASSWORD '{login}'")
    database = make_url(pg_store.url).database or ""
    with pg_store.write() as session:
        admin = security.sign_in(session, Identity(ADMIN_LOGIN, "test"))
        security.add_user(session, admin, login=clerk, roles=["finance-clerk"], full_name="")
        security.add_user(session, admin, login=officer, roles=["payroll-officer"], full_name="")
    departments.sync_privileges(pg_store)
    setup_org(pg_store, admin)
    add_employee(pg_store, admin, "Sara Haddad", salary=1234500)
    with pg_store.write() as session:
        lines = [LineCreate(account="1110", debit=500, credit=0)]
        lines.append(LineCreate(account="4100", debit=0, credit=500))
        data = EntryCreate(date=date(2026, 3, 2), memo="cash sale", lines=lines)
        finance.post_entry(session, admin, data)
    yield Team(
        pg_store,
        clerk,
        pg_database_url(pg_server, database, clerk),
        officer,
        pg_database_url(pg_server, database, officer),
    )
    dispose_engines()
    pg_admin_sql(pg_server, *(f"DROP ROLE IF EXISTS {login}" for login in (clerk, officer)))


def _refused(url: str, statement: str) -> str:
    """Run ``statement`` as the URL's login (as ``psql`` would); the server's error."""
    with psycopg.connect(_conninfo(url)) as conn:
        try:
            conn.execute(statement.encode())
        except psycopg.Error as exc:
            return str(exc)
    pytest.fail(f"the server ran: {statement}")


def test_a_finance_clerk_cannot_read_salaries_change_posted_lines_or_delete_audit_rows(
    team: Team,
) -> None:
    url = team.clerk_url
    assert "permission denied" in _refused(url, "SELECT base_salary FROM hr_employee_private")
    assert "permission denied" in _refused(url, "SELECT iban FROM hr_employee_private")
    assert "permission denied" in _refused(url, "SELECT net FROM hr_payslip")
    assert "posted entry" in _refused(url, "UPDATE fin_line SET debit = debit + 1")
    assert "permission denied" in _refused(url, "DELETE FROM audit_event")
    assert "permission denied" in _refused(url, "UPDATE audit_event SET changes = '{}'")
    assert "permission denied" in _refused(url, "TRUNCATE audit_event")
    assert "must be owner" in _refused(url, "DROP TRIGGER fin_line_guard ON fin_line")
    assert "permission denied" in _refused(
        url,
        "INSERT INTO user_role (user_id, role, granted_by, granted_at)"
        " SELECT id, 'admin', 'x', now() FROM console_user",
    )
    assert "permission denied" in _refused(url, "UPDATE console_user SET active = true")
    assert "must be owner" in _refused(url, "ALTER TABLE fin_line DISABLE TRIGGER ALL")
    with psycopg.connect(_conninfo(url)) as conn:
        # What the console shows a clerk stays readable: the journal, the directory's names.
        assert conn.execute("SELECT count(*) FROM fin_line").fetchone() == (2,)
        assert conn.execute("SELECT name FROM hr_employee").fetchone() == ("Sara Haddad",)
        conn.execute(
            "INSERT INTO audit_event (id, at, user_login, os_user, origin, action, entity,"
            " entity_id, changes, prev_hash, hash) SELECT max(id) + 1, now(), 'x', 'x', 'x',"
            " 'x', 'x', 'x', '{}', '', '' FROM audit_event"
        )
        conn.rollback()


def test_a_finance_clerk_cannot_read_salary_history_or_settlements(team: Team) -> None:
    url = team.clerk_url
    for statement in (
        "SELECT amount FROM hr_salary_line",
        "SELECT effective_from FROM hr_salary_line",
        "SELECT * FROM hr_salary_line",
        "SELECT eos_award, compensation, leave_encashment FROM hr_payslip",
        "SELECT eos_accrual, leave_accrual, advance_recovery, housing FROM hr_payslip",
        "SELECT advance FROM hr_pay_input",
        "SELECT base_salary, iban FROM v_hr_employee_pay",
        "SELECT net FROM v_hr_payslip",
    ):
        assert "permission denied" in _refused(url, statement), statement
    with psycopg.connect(_conninfo(url)) as conn:
        # Which employees have salary lines stays readable (the console joins on it).
        assert conn.execute(
            "SELECT count(DISTINCT employee_id) FROM hr_salary_line"
        ).fetchone() == (1,)
        # The reporting views read with the clerk's own privileges: the journal is there.
        assert conn.execute("SELECT count(*) FROM v_fin_journal_line").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM v_hr_employee").fetchone() == (1,)


def test_a_role_with_hr_confidential_reads_salaries(team: Team) -> None:
    with psycopg.connect(_conninfo(team.officer_url)) as conn:
        assert conn.execute("SELECT base_salary FROM hr_employee_private").fetchone() == (1234500,)
        amounts = conn.execute("SELECT amount FROM hr_salary_line ORDER BY amount").fetchall()
        assert amounts == [(300000,), (1234500,)]
        assert conn.execute("SELECT count(eos_award) FROM hr_payslip").fetchone() == (0,)
    assert "permission denied" in _refused(team.officer_url, "DELETE FROM audit_event")


def test_the_console_user_is_the_database_login(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", ADMIN_LOGIN)
    monkeypatch.setenv("LOGNAME", ADMIN_LOGIN)
    with Store(team.clerk_url).read() as session:
        actor = security.sign_in(session)
    assert actor.login == team.clerk
    assert actor.roles == ("finance-clerk",)


def test_a_disabled_user_loses_the_groups(team: Team) -> None:
    with team.store.write() as session:
        admin = security.sign_in(session, Identity(ADMIN_LOGIN, "test"))
        security.set_active(session, admin, login=team.officer, active=False)
    departments.sync_privileges(team.store)
    assert "permission denied" in _refused(
        team.officer_url, "SELECT base_salary FROM hr_employee_private"
    )


def test_a_finance_clerk_reads_snapshots_but_not_their_private_payroll(team: Team) -> None:
    with team.store.write() as session:
        admin = security.sign_in(session, Identity(ADMIN_LOGIN, "test"))
        assert finance.close_period(session, admin, "2026-03")
    url = team.clerk_url
    assert "permission denied" in _refused(url, "SELECT figures FROM dm_month_snapshot_private")
    assert "never changed" in _refused(url, "DELETE FROM dm_month_snapshot")
    with psycopg.connect(_conninfo(url)) as conn:
        assert conn.execute("SELECT count(*) FROM dm_month_snapshot").fetchone() == (1,)
        assert conn.execute("SELECT snapshot_id FROM dm_month_snapshot_private").fetchone()


def test_a_finance_manager_closes_a_month_whose_snapshot_waits_for_backfill(
    team: Team, pg_server: str
) -> None:
    # The server keeps payslip amounts from a finance manager's login, so their close leaves
    # the snapshot to a backfill by a login that may read them. Their close is the books'
    # first: it fixes the books' first month, a ``finance.*`` setting they may write.
    manager = f"fm_{uuid.uuid4().hex[:8]}"
    pg_admin_sql(pg_server, f"CREATE ROLE {manager} LOGIN PASSWORD '{manager}'")
    try:
        with team.store.write() as session:
            admin = security.sign_in(session, Identity(ADMIN_LOGIN, "test"))
            security.add_user(session, admin, login=manager, roles=["finance-manager"])
        departments.sync_privileges(team.store)
        database = make_url(team.store.url).database or ""
        store = Store(pg_database_url(pg_server, database, manager))
        with store.write() as session:
            actor = security.sign_in(session, Identity(manager, "test"))
            notes: list[str] = []
            assert finance.close_period(session, actor, "2026-03", notes=notes)
            assert notes == [
                "2026-03's month-end snapshot waits for `bo data snapshot backfill` (run by an"
                " admin): this login may not read payslip amounts"
            ]
            assert finance.close_period(session, actor, "2026-04")
        with store.read() as session:
            assert finance.book_limits(session, actor).books_start == "2026-03"
        with team.store.write() as session:
            assert service.list_snapshots(session, admin) == []
            with pytest.raises(RuleViolation, match="snapshot backfill"):
                service.management_pack(session, admin, "2026-03")
            assert service.backfill_snapshots(session, admin) == ["2026-03", "2026-04"]
            assert service.management_pack(session, admin, "2026-03")
    finally:
        dispose_engines()
        pg_admin_sql(pg_server, f"DROP OWNED BY {manager}", f"DROP ROLE IF EXISTS {manager}")
