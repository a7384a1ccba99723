"""Shared fixtures: every test gets its own database file and a pinned identity."""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest

from bo_console.core import db, security
from bo_console.core.db import Store, dispose_engines
from bo_console.core.security import Actor, Identity
from bo_console.departments import init_database

ADMIN_LOGIN = "boadmin"

# Python collects garbage every 700 new container objects; a test builds and drops thousands
# (an app's widgets, a session's rows) and keeps few, so those collections found little and
# were 6% of a test worker's CPU (measured: 4.5 of 78 s; 1.6 s at 10,000).
gc.set_threshold(10_000, 10, 10)


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


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The end-to-end tests first (each takes seconds to tens of seconds), the rest after them
    interleaved across the folders test by test: pytest-xdist hands out tests in this order,
    so the long ones start early and the workers end together on short tests instead of one
    finishing a journey alone.

    pytest-xdist gives consecutive tests to different workers, so the order decides what runs
    side by side. A screen test sits idle after each key while the screen settles; with a
    module's screen tests one after another, four workers waited on screens at once and the
    machine idled a fifth of the time for stretches of 30 s (vmstat). Interleaved, a screen
    test runs beside tests that compute.

    A module whose tests share a module-scoped fixture goes to one worker as a group
    (``--dist loadgroup``): spread over four workers, the fixture was built four times (a `bo
    init` in a bare environment, an audit chain of thousands of rows)."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None and _uses_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    end_to_end = [item for item in items if item.get_closest_marker("e2e") is not None]
    items[:] = end_to_end + interleave_folders(
        [item for item in items if item.get_closest_marker("e2e") is None]
    )


def _group(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("xdist_group")
    return None if marker is None else str(marker.args[0] if marker.args else "default")


def interleave_folders(items: list[pytest.Item]) -> list[pytest.Item]:
    """``items`` unit by unit (a test, or a group's tests together), taking the next unit from
    the top folder (``tests/ui``, ``tests/unit``, ...) that is least far through its tests,
    so every stretch of the run mixes the folders in proportion. Each folder keeps its order."""
    folders: dict[str, list[list[pytest.Item]]] = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        units = folders.setdefault(path.split("/")[1] if "/" in path else "", [])
        group = _group(item)
        if group is not None and units and _group(units[-1][0]) == group:
            units[-1].append(item)
        else:
            units.append([item])
    totals = {folder: sum(map(len, units)) for folder, units in folders.items()}
    taken = dict.fromkeys(folders, 0)
    ordered: list[pytest.Item] = []
    while any(folders.values()):
        folder = min(
            (f for f, units in folders.items() if units), key=lambda f: taken[f] / totals[f]
        )
        unit = folders[folder].pop(0)
        taken[folder] += len(unit)
        ordered.extend(unit)
    return ordered


def _uses_module_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        definition.scope == "module"
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


BOTH_STORES = "both_stores"
"""Marker: run the test on SQLite and again on the PostgreSQL test server."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(BOTH_STORES):
        metafunc.parametrize(
            "backend",
            ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
            indirect=True,
        )


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The store a test runs on: ``sqlite``, or ``postgresql`` for the second run of a test
    marked ``both_stores``."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def db_url(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> str:
    """The test's database: a SQLite file, or a new database on the PostgreSQL test server
    (initialised from the template when the test asks for ``store``, else empty; dropped
    afterwards), on which the process's OS account (as :func:`as_os_user` pins it) is who
    acts, as on SQLite, so a test can switch people without a database login each."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'bo.db'}"
    import uuid

    server: str = request.getfixturevalue("pg_server")
    name = f"bo_t_{uuid.uuid4().hex[:12]}"
    template = ""
    if "store" in request.fixturenames:
        template = f" TEMPLATE {request.getfixturevalue('_pg_template')}"
    pg_admin_sql(server, f"CREATE DATABASE {name}{template}")

    def drop() -> None:
        dispose_engines()
        pg_admin_sql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    request.addfinalizer(drop)
    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setattr(security, "login_identity", lambda session: security.os_identity())
    return pg_database_url(server, name)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised database per test run, copied for each test (init is the slow part)."""

    def build(path: Path) -> None:
        init_database(Store(f"sqlite:///{path}"), Identity(ADMIN_LOGIN, "test"), company="Test Co")

    return built_once(tmp_path_factory, "template", build)


@pytest.fixture
def store(
    db_url: str, as_os_user: Callable[[str], None], backend: str, request: pytest.FixtureRequest
) -> Store:
    """A new, initialised database whose admin is ``boadmin`` (the pinned OS user)."""
    s = Store(db_url)
    if backend == "postgresql":
        return s  # db_url made it from the template
    assert s.path is not None
    _copy_database(request.getfixturevalue("_template_db"), s.path)
    return s


T = TypeVar("T")


class SeedOnce(Protocol):
    def __call__(self, key: str, seed: Callable[[], T]) -> T: ...


_SEEDED: dict[str, tuple[Path, int, Any]] = {}
"""Per worker: key -> (the database a seeding left, the last audit event before it, what the
seeding returned)."""


def _last_audit_event(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT coalesce(max(id), 0) FROM audit_event").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def seed_once(store: Store, backend: str, tmp_path_factory: pytest.TempPathFactory) -> SeedOnce:
    """Seed the test's database once per worker for each ``key`` and copy the result after.

    ``seed`` fills ``store`` (the services, ``bo`` commands) and returns what the tests need
    (actors, references; not the store, which is each test's own). The first test of a worker
    runs it and keeps a copy of the database it left; every later test asking for the same
    ``key`` gets that copy in place of its own and the same returned value. A fixture that
    fills a database the same way for dozens of tests pays for it once per worker. Only on
    SQLite: on PostgreSQL ``seed`` runs every time.

    The copy replaces the test's database: anything written to it before (by a fixture asked
    for earlier) would be lost, so that is refused."""

    def use(key: str, seed: Callable[[], T]) -> T:
        if backend != "sqlite":
            return seed()
        assert store.path is not None
        dispose_engines()
        before = _last_audit_event(store.path)
        kept = _SEEDED.get(key)
        if kept is None:
            value = seed()
            _settle(store.path)
            copy = tmp_path_factory.mktemp("seeded") / "bo.db"
            shutil.copyfile(store.path, copy)
            _SEEDED[key] = (copy, before, value)
            return value
        copy, seeded_after, value = kept
        if before != seeded_after:
            raise AssertionError(
                f"seed_once({key!r}): the database was written to before this seeding "
                f"(audit event {before}, seeded after {seeded_after}); ask for it first"
            )
        for suffix in ("-wal", "-shm"):
            Path(f"{store.path}{suffix}").unlink(missing_ok=True)
        _copy_database(copy, store.path)
        return value

    return use


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


def _shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every pytest-xdist worker of this run sees (the run's own, when not split)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """A database file ``build`` makes once per test run, shared by every worker to copy.

    The first worker that needs it builds it under an exclusive lock; the others wait for that
    build and use the file, so its cost is paid once however many workers run. ``build`` runs in
    an environment of its own (HOME and the rest, as for a test) and gets the path to fill.
    """
    shared = _shared_dir(tmp_path_factory)
    path = shared / name / "bo.db"
    done = path.with_suffix(".built")
    with open(shared / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                path.parent.mkdir(exist_ok=True)
                path.unlink(missing_ok=True)
                with pytest.MonkeyPatch.context() as monkeypatch:
                    _isolate_env(monkeypatch, tmp_path_factory.mktemp(f"{name}-home"))
                    build(path)
                _settle(path)
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return path


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Identity]:
    """The demo, built once per test run by `bo demo` itself (~35 s of CPU), and who built it.

    It is built as the OS account running the tests, as a user's `bo demo` would be, so the
    end-to-end tests can open a copy with the real `bo`, which signs that account in.
    """
    from bo_console.cli import run

    def build(path: Path) -> None:
        code = run(["--db", f"sqlite:///{path}", "demo"])
        assert code == 0, f"bo demo exited with {code}"

    return built_once(tmp_path_factory, "demo-template", build), security.os_identity()


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


# -- PostgreSQL ---------------------------------------------------------------------------------
# `./dev test` starts a throwaway server (tests/postgres/cluster.sh) and exports its URL; a
# superuser's URL on a server the tests may create databases and roles on works too.

ENV_POSTGRES_URL = "BO_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The test server's URL (a superuser's). Missing: a skip on a developer's machine, a
    failure in CI, so CI never passes without having run the PostgreSQL tests."""
    url = os.environ.get(ENV_POSTGRES_URL)
    if not url:
        message = f"{ENV_POSTGRES_URL} is not set; `./dev test` starts a PostgreSQL server"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def pg_admin_sql(server: str, *statements: str) -> None:
    """Run statements on the server's maintenance database, outside a transaction."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.encode())


def pg_database_url(server: str, database: str, user: str | None = None) -> str:
    """``server``'s URL pointing at ``database`` (as ``user`` with the password ``user``)."""
    from sqlalchemy.engine import make_url

    url = make_url(server).set(database=database)
    if user is not None:
        url = url.set(username=user, password=user)
    return url.render_as_string(hide_password=False)


@pytest.fixture
def pg_empty_url(pg_server: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    import uuid

    name = f"bo_t_{uuid.uuid4().hex[:12]}"
    pg_admin_sql(pg_server, f"CREATE DATABASE {name}")
    yield pg_database_url(pg_server, name)
    dispose_engines()
    pg_admin_sql(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


PG_TEMPLATE_RECORD = "pg-template"
"""In the run's shared folder: the server and name of the run's PostgreSQL template."""


@pytest.fixture(scope="session")
def _pg_template(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One initialised PostgreSQL database per test run, cloned for each test.

    Built like :func:`built_once`: the first worker that needs it, under a lock. Its name is
    recorded before it is filled, so the end of the run drops it even when filling it failed
    (:func:`pytest_sessionfinish`, in the process that started the run, after every worker).
    """
    import uuid

    shared = _shared_dir(tmp_path_factory)
    record = shared / PG_TEMPLATE_RECORD
    done = record.with_suffix(".built")
    with open(shared / f"{PG_TEMPLATE_RECORD}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if record.exists():
                if not done.exists():
                    pytest.fail("the PostgreSQL template could not be built (see its first test)")
                return record.read_text().split("\n")[1]
            name = f"bo_tmpl_{uuid.uuid4().hex[:12]}"
            pg_admin_sql(pg_server, f"CREATE DATABASE {name}")
            record.write_text(f"{pg_server}\n{name}\n")
            init_database(
                Store(pg_database_url(pg_server, name)),
                Identity(ADMIN_LOGIN, "test"),
                company="Test Co",
            )
            dispose_engines()
            done.touch()
            return name
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Drop the run's PostgreSQL template, once no test can clone it any more."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    # The factory pytest keeps on the config (pytest-xdist gives its workers folders under
    # this process's base folder the same way); absent when the tmp_path plugin is off.
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    record = factory.getbasetemp() / PG_TEMPLATE_RECORD
    if record.exists():
        server, name = record.read_text().split("\n")[:2]
        pg_admin_sql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        record.unlink()


@pytest.fixture
def pg_store(
    pg_server: str, _pg_template: str, as_os_user: Callable[[str], None]
) -> Iterator[Store]:
    """A new, initialised PostgreSQL database (admin ``boadmin``), dropped afterwards."""
    import uuid

    name = f"bo_t_{uuid.uuid4().hex[:12]}"
    pg_admin_sql(pg_server, f"CREATE DATABASE {name} TEMPLATE {_pg_template}")
    yield Store(pg_database_url(pg_server, name))
    dispose_engines()
    pg_admin_sql(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
