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


def _isolate_env(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.delenv("BO_DATABASE_URL", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # Arabic drawn as stored, so tests can look for it (tests of reordering set it on).
    monkeypatch.setenv("BO_BIDI", "off")
    # `bo --wait` sets the process's wait; each test starts from the default.
    monkeypatch.setattr(db, "_wait_ms", db.BUSY_TIMEOUT_MS)


@pytest.fixture(autouse=True)
def _isolate(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Keep the machine's own config, data dir and environment out of the tests."""
    _isolate_env(monkeypatch, tmp_path_factory.mktemp("home"))
    yield
    dispose_engines()


def _settle(path: Path) -> None:
    """Close every engine and fold the WAL into the file, so one file copy is the database."""
    dispose_engines()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _copy_database(template: Path, path: Path) -> None:
    shutil.copyfile(template, path)
    os.chmod(path, 0o600)


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
    _settle(path)
    return path


@pytest.fixture
def store(db_url: str, as_os_user: Callable[[str], None], _template_db: Path) -> Store:
    """A new, initialised database whose admin is ``boadmin`` (the pinned OS user)."""
    s = Store(db_url)
    assert s.path is not None
    _copy_database(_template_db, s.path)
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


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Identity]:
    """The demo, built once per test process by `bo demo` itself, and who built it.

    It is built as the OS account running the tests, as a user's `bo demo` would be, so the
    end-to-end tests can open a copy with the real `bo`, which signs that account in.
    """
    from bo_console.cli import run

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    identity = security.os_identity()
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolate_env(monkeypatch, tmp_path_factory.mktemp("demo-home"))
        code = run(["--db", f"sqlite:///{path}", "demo"])
    assert code == 0, f"bo demo exited with {code}"
    _settle(path)
    return path, identity


@pytest.fixture
def demo_db(tmp_path: Path, _demo_template: tuple[Path, Identity]) -> Path:
    """This test's own copy of the demo database file."""
    path = tmp_path / "demo.db"
    _copy_database(_demo_template[0], path)
    return path


@pytest.fixture
def demo(
    demo_db: Path, as_os_user: Callable[[str], None], _demo_template: tuple[Path, Identity]
) -> Store:
    """A copy of the demo database, with the process pinned to the OS account that built it."""
    as_os_user(_demo_template[1].os_user)
    return Store(f"sqlite:///{demo_db}")


@pytest.fixture
def demo_admin(demo: Store) -> Actor:
    """The demo's admin: the OS account that built it."""
    with demo.read() as session:
        return security.sign_in(session, security.os_identity())
