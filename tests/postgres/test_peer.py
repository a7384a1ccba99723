"""Peer authentication: over the server's Unix socket, the OS account is the database login and
so the console user, with no password and whatever the environment says.

Needs root (it creates a throwaway OS account, as the sealed-host tests do) and the test
server's socket (tests/postgres/cluster.sh authenticates local connections by peer).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

import bo_console
from bo_console import departments
from bo_console.core import security
from bo_console.core.db import Store, dispose_engines
from bo_console.core.security import Identity
from tests.conftest import ADMIN_LOGIN, pg_admin_sql
from tests.e2e.test_sealed_host import _remove, _run


@dataclass(frozen=True)
class Peer:
    login: str
    """The OS account, its database login and its console user (a finance clerk)."""
    url: str
    """The store over the socket: no user, no password."""
    home: Path


def _socket_dir(server: str) -> str:
    with psycopg.connect(server) as conn:
        row = conn.execute("SHOW unix_socket_directories").fetchone()
    assert row is not None
    return str(row[0]).split(",")[0].strip()


@pytest.fixture
def peer(pg_store: Store, pg_server: str) -> Iterator[Peer]:
    if os.geteuid() != 0:
        pytest.skip("peer authentication needs an OS account: run the PostgreSQL tests as root")
    for tool in ("useradd", "userdel", "runuser"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed; it is needed to create OS accounts")
    login = f"bopeer{uuid.uuid4().hex[:6]}"
    database = make_url(pg_store.url).database
    port = make_url(pg_server).port
    home = Path(tempfile.mkdtemp(prefix="bo-peer-", dir="/tmp"))
    _run("useradd", "-M", "-s", "/bin/sh", login)
    try:
        shutil.chown(home, login)
        pg_admin_sql(pg_server, f"CREATE ROLE {login} LOGIN")  # no password
        with pg_store.write() as session:
            admin = security.sign_in(session, Identity(ADMIN_LOGIN, "test"))
            security.add_user(session, admin, login=login, roles=["finance-clerk"], full_name="")
        departments.sync_privileges(pg_store)
        url = f"postgresql:///{database}?host={_socket_dir(pg_server)}&port={port}"
        yield Peer(login, url, home)
    finally:
        dispose_engines()
        pg_admin_sql(pg_server, f"DROP OWNED BY {login} CASCADE", f"DROP ROLE IF EXISTS {login}")
        _remove(["userdel", login])
        shutil.rmtree(home, ignore_errors=True)


def _bo_command() -> list[str]:
    """``bo`` as another OS account can run it: this Python's installed packages and source
    under the system's own interpreter of the same version (this one may live in a private
    home directory)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    python = shutil.which(version, path="/usr/local/bin:/usr/bin:/bin")
    if python is None:
        pytest.skip(f"no system {version} for another OS account to run bo with")
    return [python, "-m", "bo_console"]


def _pythonpath() -> str:
    source = Path(bo_console.__file__).resolve().parents[1]
    return f"PYTHONPATH={source}:{sysconfig.get_paths()['purelib']}"


def _as(peer: Peer, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``args`` as the peer's OS account, with an environment claiming to be the admin."""
    env = [f"HOME={peer.home}", "PATH=/usr/bin:/bin", "NO_COLOR=1", _pythonpath()]
    env += [f"USER={ADMIN_LOGIN}", f"LOGNAME={ADMIN_LOGIN}", "BO_BIDI=off"]
    return subprocess.run(
        ["runuser", "-u", peer.login, "--", "env", "-i", *env, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_over_the_socket_the_os_account_is_the_console_user(peer: Peer, pg_store: Store) -> None:
    bo = [*_bo_command(), "--db", peer.url]
    done = _as(
        peer, *bo, "finance", "journal", "add", "--date", "2026-03-02", "--memo", "peer",
        "--line", "1110:10:", "--line", "4100::10", "--post", "--yes",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with pg_store.engine.connect() as conn:
        who = conn.exec_driver_sql(
            "SELECT user_login, os_user FROM audit_event ORDER BY id DESC"
        ).first()
    assert who is not None and who[0] == peer.login  # not the USER the environment claims
    # psql under the same account: the same login, and no more than the console shows.
    socket = make_url(peer.url).query["host"]
    port = str(make_url(peer.url).query["port"])
    database = make_url(peer.url).database or ""
    psql = ["psql", "-h", str(socket), "-p", port, "-d", database, "-X", "-A", "-t", "-c"]
    done = _as(peer, *psql, "SELECT session_user")
    assert done.returncode == 0 and done.stdout.strip() == peer.login, done.stderr
    done = _as(peer, *psql, "SELECT base_salary FROM hr_employee_private")
    assert done.returncode != 0 and "permission denied" in done.stderr
    # Peer authentication lets the account be itself only: not the server's superuser.
    done = _as(peer, *psql, "SELECT 1", "-U", "bo_test")
    assert done.returncode != 0 and "Peer authentication failed" in done.stderr
