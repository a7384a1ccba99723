"""The audit trail: same-transaction rows, redaction, append-only, tamper detection."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bo_console.core import audit, security
from bo_console.core.db import Store
from bo_console.core.security import Actor, Identity
from bo_console.departments import init_database


def _rows(store: Store) -> int:
    with store.read() as s:
        return int(s.execute(text("SELECT count(*) FROM audit_event")).scalar() or 0)


def test_change_and_audit_row_commit_or_roll_back_together(store: Store, admin: Actor) -> None:
    before = _rows(store)
    with pytest.raises(RuntimeError), store.write() as session:
        security.add_user(session, admin, login="ghost", roles=["analyst"])
        raise RuntimeError("power cut")
    assert _rows(store) == before
    with store.read() as session:
        assert "ghost" not in [u.login for u in security.list_users(session, admin)]
    with store.write() as session:
        security.add_user(session, admin, login="ghost", roles=["analyst"], full_name="G")
    with store.read() as session:
        event = audit.query_log(session, admin, audit.AuditFilter(entity_id="ghost"))[0]
    assert event.action == "create" and event.user_login == "boadmin"
    assert event.os_user == "boadmin" and event.origin == "test"
    assert json.loads(event.changes)["full_name"] == [None, "G"]


def test_confidential_values_are_redacted() -> None:
    encoded = json.loads(
        audit.encode_changes(
            {"salary": (1000, 2000), "iban": (None, "SA03"), "name": ("a", "b")},
            confidential=["salary", "iban"],
        )
    )
    assert encoded == {
        "salary": ["[redacted]", "[redacted]"],
        "iban": [None, "[redacted]"],
        "name": ["a", "b"],
    }


def test_a_recorded_row_keeps_confidential_values_out_of_the_database(
    store: Store, admin: Actor
) -> None:
    with store.write() as session:
        audit.record(
            session,
            admin,
            action="update",
            entity="employee",
            entity_id=7,
            changes={"salary": (15000, 18500), "title": ("Clerk", "Senior clerk")},
            confidential=["salary"],
        )
    raw = sqlite3.connect(store.path or "").execute(
        "SELECT changes FROM audit_event WHERE entity = 'employee'"
    )
    (changes,) = raw.fetchone()
    raw.connection.close()
    assert "15000" not in changes and "18500" not in changes
    assert json.loads(changes) == {
        "salary": ["[redacted]", "[redacted]"],
        "title": ["Clerk", "Senior clerk"],
    }


def test_views_record_who_saw_whom_not_values(store: Store, admin: Actor) -> None:
    with store.write() as session:
        audit.record_view(
            session, admin, entity="employee", entity_ids=[7], fields=["salary", "iban"]
        )
    with store.read() as session:
        event = audit.query_log(session, admin, audit.AuditFilter(action="view"))[0]
    assert event.entity_id == "7"
    assert json.loads(event.changes)["fields"] == [None, "iban,salary"]


def test_database_refuses_update_and_delete(store: Store) -> None:
    conn = sqlite3.connect(store.path or "")
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_event SET action = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_event")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def chain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with a chain of 300 rows, built once; tests tamper with copies."""
    path = tmp_path_factory.mktemp("chain") / "chain.db"
    store = Store(f"sqlite:///{path}")
    init_database(store, Identity("boadmin", "test"))
    with store.write() as session:
        admin = security.actor_for_login(session, "boadmin", Identity("boadmin", "test"))
        for i in range(299):
            audit.record(
                session,
                admin,
                action="touch",
                entity="thing",
                entity_id=i,
                changes={"n": (i, i + 1)},
            )
    store.engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, to copy it
    conn.close()
    return path


@pytest.fixture
def chain(chain_template: Path, tmp_path: Path) -> Store:
    """A fresh copy of the 300-row chain."""
    path = tmp_path / "chain.db"
    shutil.copyfile(chain_template, path)
    return Store(f"sqlite:///{path}")


def _raw(store: Store) -> sqlite3.Connection:
    conn = sqlite3.connect(store.path or "")
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("DROP TRIGGER audit_event_no_delete")
    return conn


def _verify(store: Store, anchor: tuple[int, str] | None = None) -> audit.ChainReport:
    with store.read() as session:
        return audit.verify(session, anchor)


def test_intact_chain_verifies(chain: Store) -> None:
    report = _verify(chain)
    assert report.ok and report.rows == 300 and report.head_id == 300


def test_rows_appended_in_bulk_continue_the_chain(chain: Store) -> None:
    with chain.write() as session:
        admin = security.actor_for_login(session, "boadmin", Identity("boadmin", "test"))
        entries = [
            audit.Entry(
                admin, "update", "thing", i, {"n": (i, i + 1), "at": (None, datetime.now(UTC))}
            )
            for i in range(50)
        ]
        assert audit.record_many(session, entries) == 50
        audit.record(session, admin, action="update", entity="thing", entity_id="after")
        assert audit.record_many(session, []) == 0
    report = _verify(chain)
    assert report.ok and report.rows == 351 and report.head_id == 351
    with chain.read() as session:
        rows = audit.query_log(session, admin, audit.AuditFilter(entity_id="49"))
    assert json.loads(rows[0].changes)["n"] == [49, 50]
    conn = _raw(chain)
    conn.execute("UPDATE audit_event SET changes = '{}' WHERE id = 320")
    conn.commit()
    conn.close()
    assert _verify(chain).bad_id == 320


def test_rows_after_a_rolled_back_savepoint_follow_the_rows_that_remain(chain: Store) -> None:
    # Each transaction carries the chain's head from row to row; a savepoint rolled back
    # takes its rows with it, so the head must be read again after it.
    with chain.write() as session:
        admin = security.actor_for_login(session, "boadmin", Identity("boadmin", "test"))
        audit.record(session, admin, action="update", entity="thing", entity_id="a")
        savepoint = session.begin_nested()
        audit.record(session, admin, action="update", entity="thing", entity_id="lost")
        audit.record_many(session, [audit.Entry(admin, "update", "thing", "lost", {})])
        savepoint.rollback()
        audit.record(session, admin, action="update", entity="thing", entity_id="b")
        with session.begin_nested():
            audit.record(session, admin, action="update", entity="thing", entity_id="c")
        audit.record(session, admin, action="update", entity="thing", entity_id="d")
    with chain.write() as session:  # a new transaction reads the head the last one left
        audit.record(session, admin, action="update", entity="thing", entity_id="e")
    report = _verify(chain)
    assert report.ok and report.rows == 305 and report.head_id == 305
    with chain.read() as session:
        ids = [e.entity_id for e in audit.query_log(session, admin, audit.AuditFilter())][:5]
    assert ids == ["e", "d", "c", "b", "a"]


@pytest.mark.parametrize(
    ("tamper", "bad_id"),
    [
        ("UPDATE audit_event SET changes = '{}' WHERE id = 57", 57),
        ("UPDATE audit_event SET user_login = 'nobody' WHERE id = 1", 1),
        ("UPDATE audit_event SET at = '2020-01-01 00:00:00.000000' WHERE id = 120", 120),
        # The same moment written another way is still a change to the row.
        ("UPDATE audit_event SET at = replace(at, ' ', 'T') WHERE id = 121", 121),
        ("DELETE FROM audit_event WHERE id = 90", 91),
        ("DELETE FROM audit_event WHERE id >= 295", 295),
        (
            "UPDATE audit_event SET id = -id WHERE id IN (10, 11);"
            "UPDATE audit_event SET id = 11 WHERE id = -10;"
            "UPDATE audit_event SET id = 10 WHERE id = -11",
            10,
        ),
        (
            # Rows keep their ids but trade contents: the id is part of each row's hash.
            "CREATE TEMP TABLE keep AS SELECT * FROM audit_event WHERE id IN (40, 41);"
            "UPDATE audit_event SET (at, user_login, os_user, origin, action, entity, entity_id,"
            " changes, prev_hash, hash) = (SELECT at, user_login, os_user, origin, action,"
            " entity, entity_id, changes, prev_hash, hash || '-' FROM keep WHERE keep.id ="
            " 81 - audit_event.id) WHERE id IN (40, 41);"
            "UPDATE audit_event SET hash = substr(hash, 1, 64) WHERE id IN (40, 41)",
            40,
        ),
        ("DELETE FROM audit_event WHERE id = 1", 2),
        (
            "INSERT INTO audit_event (id, at, user_login, os_user, origin, action, entity, "
            "entity_id, changes, prev_hash, hash) VALUES (301, '2026-01-01 00:00:00.000000', 'x', "
            "'x', 'x', 'x', 'x', 'x', '{}', 'nope', 'forged')",
            301,
        ),
    ],
    ids=[
        "change",
        "change-first",
        "backdate",
        "retype-time",
        "delete-middle",
        "delete-tail",
        "swap",
        "swap-contents",
        "delete-first",
        "append-forged",
    ],
)
def test_tampering_is_found_at_the_first_bad_row(chain: Store, tamper: str, bad_id: int) -> None:
    conn = _raw(chain)
    conn.executescript(tamper)
    conn.commit()
    conn.close()
    report = _verify(chain)
    assert not report.ok
    assert report.bad_id == bad_id, report.problem


TAMPERABLE = [
    "at",
    "user_login",
    "os_user",
    "origin",
    "action",
    "entity",
    "entity_id",
    "changes",
    "prev_hash",
    "hash",
]


def _flip_one_character(value: str, rng: random.Random) -> str:
    chars = list(value)
    position = rng.randrange(len(chars))
    original = chars[position]
    while chars[position] == original:
        chars[position] = chr(rng.randint(0x20, 0x7E))
    return "".join(chars)


def test_random_single_character_tampering_is_always_found(chain: Store) -> None:
    """300 single-character changes, each to one field of one row: every one is found, and
    at exactly that row."""
    rng = random.Random(2026)
    conn = _raw(chain)
    found = 0
    for _ in range(300):
        row_id = rng.randint(1, 300)
        column = rng.choice(TAMPERABLE)
        (value,) = conn.execute(
            f"SELECT {column} FROM audit_event WHERE id = ?", (row_id,)
        ).fetchone()
        changed = _flip_one_character(str(value), rng)
        try:
            conn.execute(f"UPDATE audit_event SET {column} = ? WHERE id = ?", (changed, row_id))
        except sqlite3.IntegrityError:  # the new hash equals another row's: refused, not silent
            conn.rollback()
            continue
        conn.commit()
        report = _verify(chain)
        assert report.bad_id == row_id, (row_id, column, value, changed, report)
        found += 1
        conn.execute(f"UPDATE audit_event SET {column} = ? WHERE id = ?", (value, row_id))
        conn.commit()
    conn.close()
    assert found >= 290
    assert _verify(chain).ok


def test_random_id_changes_are_always_found(chain: Store) -> None:
    rng = random.Random(7)
    conn = _raw(chain)
    for _ in range(40):
        row_id = rng.randint(1, 300)
        new_id = rng.choice([row_id + 1000, -row_id, 0])
        conn.execute("UPDATE audit_event SET id = ? WHERE id = ?", (new_id, row_id))
        conn.commit()
        assert not _verify(chain).ok, (row_id, new_id)
        conn.execute("UPDATE audit_event SET id = ? WHERE id = ?", (row_id, new_id))
        conn.commit()
    conn.close()
    assert _verify(chain).ok


def test_anchor_catches_a_rebuilt_tail(chain: Store) -> None:
    head = _verify(chain)
    anchor = (head.head_id, head.head_hash)
    assert _verify(chain, anchor).ok
    conn = _raw(chain)
    conn.execute("DELETE FROM audit_event WHERE id >= 150")
    conn.execute("UPDATE sqlite_sequence SET seq = 149 WHERE name = 'audit_event'")
    conn.commit()
    conn.close()
    assert _verify(chain).ok  # a consistent, shorter chain...
    report = _verify(chain, anchor)
    assert not report.ok and "anchor" in (report.problem or "")  # ...but not the one we kept


def test_verify_reads_in_batches_and_still_finds_the_first_bad_row(
    chain: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small batch makes the walk cross many batch boundaries; the result must not change.
    monkeypatch.setattr(audit._iter_rows, "__defaults__", (7,))
    assert _verify(chain).rows == 300
    conn = _raw(chain)
    conn.execute("UPDATE audit_event SET entity_id = 'x' WHERE id = 50")  # first of a batch
    conn.commit()
    conn.close()
    report = _verify(chain)
    assert report.bad_id == 50 and report.rows == 50


def _forge_row(conn: sqlite3.Connection, row_id: int, prev_hash: str) -> str:
    """Write a row at ``row_id`` whose own hash is right: what someone who read the code does."""
    at = "2026-01-01 00:00:00.000000"
    fields = {
        "user_login": "mallory",
        "os_user": "mallory",
        "origin": "batch",
        "action": "grant",
        "entity": "user",
        "entity_id": "mallory",
        "changes": '{"roles":["","admin"]}',
    }
    digest = audit.row_hash(
        row_id=row_id,
        at=datetime.fromisoformat(at).replace(tzinfo=UTC),
        prev_hash=prev_hash,
        **fields,
    )
    conn.execute(
        "INSERT INTO audit_event (id, at, user_login, os_user, origin, action, entity, entity_id,"
        " changes, prev_hash, hash) VALUES (:id, :at, :user_login, :os_user, :origin, :action,"
        " :entity, :entity_id, :changes, :prev, :hash)",
        {"id": row_id, "at": at, "prev": prev_hash, "hash": digest, **fields},
    )
    return digest


def _make_room_after(conn: sqlite3.Connection, row_id: int) -> None:
    """Shift every row after ``row_id`` up by one id (through negative ids: ids are unique)."""
    conn.execute("UPDATE audit_event SET id = -(id + 1) WHERE id > ?", (row_id,))
    conn.execute("UPDATE audit_event SET id = -id WHERE id < 0")


def test_an_insertion_in_the_middle_is_found(chain: Store) -> None:
    conn = _raw(chain)
    _make_room_after(conn, 100)
    conn.execute(
        "INSERT INTO audit_event (id, at, user_login, os_user, origin, action, entity, "
        "entity_id, changes, prev_hash, hash) SELECT 101, at, user_login, os_user, origin, "
        "action, entity, entity_id, changes, hash, 'made-up' FROM audit_event WHERE id = 100"
    )
    conn.commit()
    conn.close()
    report = _verify(chain)
    assert report.bad_id == 101, report.problem


def test_a_well_forged_insertion_breaks_the_chain_right_after_it(chain: Store) -> None:
    conn = _raw(chain)
    (prev,) = conn.execute("SELECT hash FROM audit_event WHERE id = 100").fetchone()
    _make_room_after(conn, 100)
    _forge_row(conn, 101, prev)
    conn.commit()
    conn.close()
    report = _verify(chain)
    # The forged row is self-consistent; the old row 101, now 102, no longer follows anything.
    assert report.bad_id == 102, report.problem


def test_a_rehashed_tail_is_caught_only_by_the_anchor(chain: Store) -> None:
    anchor = (_verify(chain).head_id, _verify(chain).head_hash)
    conn = _raw(chain)
    (prev,) = conn.execute("SELECT hash FROM audit_event WHERE id = 299").fetchone()
    conn.execute("DELETE FROM audit_event WHERE id = 300")
    _forge_row(conn, 300, prev)
    conn.commit()
    conn.close()
    assert _verify(chain).ok
    report = _verify(chain, anchor)
    assert report.bad_id == 300 and "differs from the anchor" in (report.problem or "")


def test_log_filters(
    store: Store, admin: Actor, make_user: Callable[..., Actor], tmp_path: Path
) -> None:
    make_user("omar", "finance-clerk")
    with store.read() as session:
        everything = audit.query_log(session, admin, audit.AuditFilter())
        by_entity = audit.query_log(session, admin, audit.AuditFilter(entity_id="omar"))
        by_action = audit.query_log(session, admin, audit.AuditFilter(action="grant"))
    ids = [e.id or 0 for e in everything]
    assert ids == sorted(ids, reverse=True)
    assert len(by_entity) == 1 and by_action == []
