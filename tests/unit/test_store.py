"""The store: connection settings, concurrent writers, file modes, schema checks."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bo_console.core import migrate
from bo_console.core.db import Store, dispose_engines
from bo_console.core.errors import StoreUnavailable
from bo_console.core.security import Identity
from bo_console.departments import init_database
from tests.unit.helpers import pretend_newer_program


def test_every_pooled_connection_is_configured(store: Store) -> None:
    engine = store.engine
    connections = [engine.connect() for _ in range(3)]
    try:
        for conn in connections:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 5000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        for conn in connections:
            conn.close()


def test_write_units_begin_immediate(store: Store) -> None:
    other = sqlite3.connect(store.path or "", timeout=0)
    try:
        with store.write() as session:
            session.execute(text("SELECT 1"))
            # The write lock is taken at BEGIN, before anything is written.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()


def _increment_many(url: str, times: int, queue: multiprocessing.Queue[tuple[int, str]]) -> None:
    dispose_engines()
    store = Store(url)
    errors = 0
    last = ""
    for _ in range(times):
        try:
            with store.write() as session:
                value = session.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()
                session.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": value + 1})
        except Exception as exc:  # noqa: BLE001  (counted, not raised: the test reports them)
            errors += 1
            last = repr(exc)
    queue.put((errors, last))


def test_two_processes_read_then_write_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "counter.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    conn.execute("INSERT INTO counter VALUES (1, 0)")
    conn.commit()
    conn.close()
    url = f"sqlite:///{path}"
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[tuple[int, str]] = ctx.Queue()
    workers = [ctx.Process(target=_increment_many, args=(url, 500, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert [errors for errors, _ in results] == [0, 0], results
    final = sqlite3.connect(path).execute("SELECT n FROM counter").fetchone()[0]
    assert final == 1000


@pytest.fixture
def newer_program(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The program gains a migration after ``store`` was created."""
    return pretend_newer_program(tmp_path, monkeypatch)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_init_creates_private_file_and_is_idempotent(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'bo.db'}")
    first = init_database(store, Identity("alice", "test"))
    assert first.created and first.admin == "alice"
    assert _mode(tmp_path / "bo.db") == 0o600
    with store.read() as session:
        audit_rows = session.execute(text("SELECT count(*) FROM audit_event")).scalar()
    again = init_database(store, Identity("bob", "test"))
    assert not again.created and "nothing changed" in again.message
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM audit_event")).scalar() == audit_rows
        logins = session.execute(text("SELECT login FROM console_user")).scalars().all()
    assert logins == ["alice"]


def test_init_group_shared_mode(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        init_database(
            Store(f"sqlite:///{tmp_path / 'g.db'}"), Identity("alice", "t"), group_shared=True
        )
    finally:
        os.umask(old)
    assert _mode(tmp_path / "g.db") == 0o660


def test_init_refuses_foreign_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(StoreUnavailable, match="not a bo-console database"):
        init_database(Store(f"sqlite:///{path}"), Identity("alice", "t"))


def test_schema_newer_than_program_is_refused(store: Store) -> None:
    with store.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    with pytest.raises(StoreUnavailable, match="newer than this program"):
        store.ensure_usable()


def test_older_schema_names_the_upgrade_command_and_migrate_brings_it_up(
    store: Store, newer_program: str
) -> None:
    # The database is stamped with what was head before this "release" added a revision.
    before = store.current_revision()
    assert before is not None and before != newer_program
    assert migrate.compare(before) == "older"
    with pytest.raises(StoreUnavailable, match=r"older schema .*`bo db migrate`"):
        store.ensure_usable()
    assert migrate.upgrade(store) == (before, newer_program)
    assert store.current_revision() == newer_program
    store.ensure_usable()


def test_stamping_an_earlier_known_revision_reads_as_older(
    store: Store, newer_program: str
) -> None:
    base = _first_revision()
    with store.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": base})
    with pytest.raises(StoreUnavailable, match="bo db migrate"):
        store.ensure_usable()


def _first_revision() -> str:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(migrate.MIGRATIONS_DIR))
    (base,) = scripts.get_bases()
    return str(base)


@pytest.mark.parametrize(
    "url",
    ["foo://nowhere", "postgresql+nosuchdriver://u:secret@localhost/x"],
    ids=["unknown-scheme", "unknown-driver"],
)
def test_an_unusable_url_is_a_store_problem(url: str) -> None:
    with pytest.raises(StoreUnavailable, match="cannot use database") as caught:
        Store(url).ensure_usable()
    assert "secret" not in caught.value.message


def test_a_directory_or_a_foreign_file_is_not_a_store(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database\n" * 100)
    for target, needle in ((tmp_path, "is a directory"), (text_file, "cannot read")):
        store = Store(f"sqlite:///{target}")
        with pytest.raises(StoreUnavailable, match=needle):
            store.ensure_usable()
        with pytest.raises(StoreUnavailable):
            init_database(store, Identity("alice", "t"))
    assert text_file.read_text().startswith("not a database")


def test_missing_database_names_init(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="bo init"):
        Store(f"sqlite:///{tmp_path / 'none.db'}").ensure_usable()


def test_a_setting_is_read_once_per_transaction_and_forgotten_with_it(store: Store) -> None:
    from bo_console.core import settings

    with store.write() as session:
        assert settings.get(session, "company_name") != "Changed Co"
        session.execute(text("UPDATE setting SET value = 'Behind' WHERE key = 'company_name'"))
        before = settings.get(session, "company_name")
        assert before != "Behind"  # remembered from this transaction's first read
        settings.put(session, None, "company_name", "Changed Co")
        assert settings.get(session, "company_name") == "Changed Co"
        session.rollback()  # the change is undone, and so is what was remembered
        assert settings.get(session, "company_name") == before
        savepoint = session.begin_nested()
        settings.put(session, None, "company_name", "Inside")
        savepoint.rollback()
        assert settings.get(session, "company_name") == before
