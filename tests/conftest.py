"""Shared fixtures: every test gets its own database file and a pinned identity."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bo_console.core import db, security
from bo_console.core.db import Store, dispose_engines
from bo_console.core.security import Actor, Identity
from bo_console.departments import init_database

ADMIN_LOGIN = "boadmin"


@pytest.fixture(autouse=True)
def _isolate(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Keep the machine's own config, data dir and environment out of the tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.delenv("BO_DATABASE_URL", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # `bo --wait` sets the process's wait; each test starts from the default.
    monkeypatch.setattr(db, "_wait_ms", db.BUSY_TIMEOUT_MS)
    yield
    dispose_engines()


@pytest.fixture
def as_os_user(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Pretend the process runs as another OS account (what `sudo -u` would do)."""

    def switch(login: str) -> None:
        monkeypatch.setattr(security, "os_identity", lambda: Identity(login, "test"))

    switch(ADMIN_LOGIN)
    return switch


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bo.db'}"


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised database per test process, copied for each test (init is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "bo.db"
    init_database(Store(f"sqlite:///{path}"), Identity(ADMIN_LOGIN, "test"), company="Test Co")
    dispose_engines()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def store(db_url: str, as_os_user: Callable[[str], None], _template_db: Path) -> Store:
    """A new, initialised database whose admin is ``boadmin`` (the pinned OS user)."""
    s = Store(db_url)
    assert s.path is not None
    shutil.copyfile(_template_db, s.path)
    os.chmod(s.path, 0o600)
    return s


@pytest.fixture
def admin(store: Store) -> Actor:
    with store.read() as session:
        return security.sign_in(session, Identity(ADMIN_LOGIN, "test"))


@pytest.fixture
def make_user(store: Store, admin: Actor) -> Callable[..., Actor]:
    """Add a console user with roles and return them as an actor."""

    def make(login: str, *roles: str, full_name: str = "") -> Actor:
        with store.write() as session:
            security.add_user(session, admin, login=login, roles=roles, full_name=full_name)
        with store.read() as session:
            return security.sign_in(session, Identity(login, "test"))

    return make
