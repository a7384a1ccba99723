"""The README's "Team on PostgreSQL" steps with logins instead of OS accounts: an owner with
CREATEROLE creates the store, adds two clerks and grants the roles; each clerk is then signed
in as their own login and sees what their role allows."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from bo_console.cli import run
from bo_console.core.db import dispose_engines
from tests.conftest import pg_admin_sql, pg_database_url


@pytest.fixture
def logins(pg_server: str) -> Iterator[tuple[str, str, str, str]]:
    """(database, owner, finance clerk, payroll officer), dropped afterwards."""
    suffix = uuid.uuid4().hex[:8]
    database, owner = f"books_{suffix}", f"layla_{suffix}"
    sara, omar = f"sara_{suffix}", f"omar_{suffix}"
    pg_admin_sql(
        pg_server,
        f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{owner}'",
        f"CREATE ROLE {sara} LOGIN PASSWORD '{sara}'",
        f"CREATE ROLE {omar} LOGIN PASSWORD '{omar}'",
        f"CREATE DATABASE {database} OWNER {owner}",
    )
    yield database, owner, sara, omar
    dispose_engines()
    pg_admin_sql(
        pg_server,
        f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
        *(f"DROP ROLE IF EXISTS {r}" for r in (sara, omar, owner)),
    )


def test_two_clerks_on_one_server(
    pg_server: str, logins: tuple[str, str, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    database, owner, sara, omar = logins

    def bo(login: str, *args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        url = make_url(pg_database_url(pg_server, database, login)).set(drivername="postgresql")
        code = run(["--db", url.render_as_string(hide_password=False), *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert bo(owner, "init", "--company", "Al Noor")[0] == 0
    assert bo(owner, "users", "add", sara, "--role", "finance-clerk", "--later")[0] == 0
    assert bo(owner, "users", "add", omar, "--role", "payroll-officer", "--later")[0] == 0
    code, _out, err = bo(owner, "db", "roles")
    assert code == 0, err
    code, out, err = bo(sara, "finance", "accounts", "list", "--format", "csv")
    assert code == 0, err
    assert "1110" in out
    code, _out, err = bo(sara, "users", "add", "mallory", "--role", "admin")
    assert code == 3 and sara in err  # signed in as herself, and only a finance clerk
    code, _out, err = bo(omar, "hr", "employees", "list", "--format", "csv")
    assert code == 0, err
    code, _out, err = bo(f"nobody_{uuid.uuid4().hex[:4]}", "finance", "accounts", "list")
    assert code == 6  # a login the server does not know
