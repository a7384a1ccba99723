"""Backup, restore and check."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bo_console import departments
from bo_console.core import audit, maintenance, security
from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.core.security import Actor

WRITER = """
import sys
from pathlib import Path
from bo_console.core.db import Store
from bo_console.core import audit, security
store = Store(sys.argv[1])
stop = Path(sys.argv[2])
with store.read() as s:
    actor = security.actor_for_login(s, "boadmin")
n = 0
while not stop.exists() and n < 100_000:
    with store.write() as s:
        audit.record(s, actor, action="touch", entity="thing", entity_id=n)
    n += 1
    if n == 1:
        print("writing", flush=True)
print(n, flush=True)
"""


def test_backup_while_another_process_writes(store: Store, admin: Actor, tmp_path: Path) -> None:
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, store.url, str(stop)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
    copies = []
    for i in range(3):
        dest = tmp_path / f"copy{i}.db"
        maintenance.backup(store, admin, dest)
        copies.append(dest)
    stop.touch()
    written = int(writer.communicate(timeout=30)[0])
    assert writer.returncode == 0 and written > 3
    sizes = []
    for dest in copies:
        assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
        conn = sqlite3.connect(dest)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, no WAL
        sizes.append(conn.execute("SELECT count(*) FROM audit_event").fetchone()[0])
        conn.close()
        with Store(f"sqlite:///{dest}").read() as session:
            assert audit.verify(session).ok
    assert sizes == sorted(sizes)


def test_backup_rules(store: Store, admin: Actor, tmp_path: Path) -> None:
    dest = tmp_path / "b.db"
    maintenance.backup(store, admin, dest)
    with pytest.raises(RuleViolation, match="--force"):
        maintenance.backup(store, admin, dest)
    maintenance.backup(store, admin, dest, overwrite=True)
    with pytest.raises(ValidationFailed, match="does not exist"):
        maintenance.backup(store, admin, tmp_path / "nowhere" / "b.db")
    with pytest.raises(ValidationFailed, match="database itself"):
        maintenance.backup(store, admin, store.path or tmp_path)
    (tmp_path / "folder").mkdir()
    with pytest.raises(ValidationFailed, match="is a directory"):
        maintenance.backup(store, admin, tmp_path / "folder", overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("bo.db")) == [
        "b.db",
        "folder",
    ]


def test_restore_brings_back_the_backup_and_keeps_the_old(
    store: Store, admin: Actor, tmp_path: Path
) -> None:
    backup = tmp_path / "before.db"
    maintenance.backup(store, admin, backup)
    with store.write() as session:
        security.add_user(session, admin, login="later", roles=["analyst"])
    safety = maintenance.restore(store, admin, backup)
    with store.read() as session:
        logins = {u.login for u in security.list_users(session, admin)}
        events = audit.query_log(session, admin, audit.AuditFilter(action="restore"))
        assert audit.verify(session).ok
    assert "later" not in logins and len(events) == 1
    assert safety is not None and safety.exists()
    assert re.fullmatch(r"bo\.db\.before-restore-\d{8}T\d{6}Z", safety.name), safety.name
    assert safety.parent == (store.path or tmp_path).parent
    assert stat.S_IMODE(os.stat(safety).st_mode) == 0o600
    with Store(f"sqlite:///{safety}").read() as session:
        assert "later" in {u.login for u in security.list_users(session, admin)}


def _dump(store: Store) -> list[str]:
    conn = sqlite3.connect(store.path or "")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _bad_sources(store: Store, admin: Actor, folder: Path) -> list[tuple[Path, str]]:
    """Files a restore must refuse, with what the refusal says."""
    text_file = folder / "notes.db"
    text_file.write_text("hello")
    foreign = folder / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    tampered = folder / "tampered.db"
    maintenance.backup(store, admin, tampered)
    conn = sqlite3.connect(tampered)
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET action = 'nothing' WHERE id = 1")
    conn.commit()
    conn.close()
    corrupt = folder / "corrupt.db"
    maintenance.backup(store, admin, corrupt)
    data = bytearray(corrupt.read_bytes())
    page = 4096
    for start in range(page, len(data), page):
        data[start : start + 64] = b"\xa5" * 64  # scribble over every page header but the first
    corrupt.write_bytes(bytes(data))
    return [
        (text_file, "not a SQLite database"),
        (foreign, "not a bo-console database"),
        (tampered, "audit chain broken"),
        (corrupt, "failed integrity_check|failed foreign_key_check|not a bo-console"),
        (folder / "missing.db", "is not a file"),
    ]


def test_restore_refuses_bad_files_and_changes_nothing(
    store: Store, admin: Actor, tmp_path: Path
) -> None:
    bad = _bad_sources(store, admin, tmp_path)
    before = _dump(store)
    for source, reason in bad:
        with pytest.raises(ValidationFailed, match=reason):
            maintenance.restore(store, admin, source)
    assert _dump(store) == before
    with store.read() as session:
        assert audit.verify(session).ok
    assert not list(tmp_path.glob("bo.db.before-restore-*"))


def test_restore_needs_db_admin(
    store: Store, make_user: Callable[..., Actor], tmp_path: Path, admin: Actor
) -> None:
    backup = tmp_path / "b.db"
    maintenance.backup(store, admin, backup)
    auditor = make_user("aisha", "auditor")
    with pytest.raises(PermissionDenied):
        maintenance.restore(store, auditor, backup)


def test_check_finds_broken_chain_and_foreign_keys(store: Store, admin: Actor) -> None:
    assert all(r.ok for r in departments.check_store(store, admin))
    path = store.path
    assert path is not None
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(
        "INSERT INTO user_role (user_id, role, granted_at, granted_by) "
        "VALUES (999, 'admin', '2026-01-01', 'x')"
    )
    conn.execute("DROP TRIGGER audit_event_no_delete")
    conn.execute("DELETE FROM audit_event WHERE id = 1")
    conn.commit()
    conn.close()
    failed = {r.name for r in departments.check_store(store, admin) if not r.ok}
    assert failed == {"foreign_key_check", "audit chain"}


def test_restore_into_a_missing_database(store: Store, admin: Actor, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    maintenance.backup(store, admin, backup)
    fresh = Store(f"sqlite:///{tmp_path / 'new' / 'bo.db'}")
    (tmp_path / "new").mkdir()
    assert maintenance.restore(fresh, None, backup) is None
    fresh.ensure_usable()
    assert stat.S_IMODE(os.stat(tmp_path / "new" / "bo.db").st_mode) == 0o600
