"""The read path: a Reader over sqlite3 and over a session give the same rows, read only."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest

from bo_console.core import db, security
from bo_console.core.db import Store
from bo_console.core.errors import StoreUnavailable, UnknownUser
from bo_console.core.reading import (
    NotARead,
    Reader,
    SessionReader,
    SqliteReader,
    dialect_of,
    reader_of,
)
from bo_console.core.security import Actor, Identity

QUERIES: list[tuple[str, dict[str, object] | None]] = [
    ("SELECT id, login, full_name, active FROM console_user ORDER BY id", None),
    ("SELECT user_id, role FROM user_role WHERE user_id IN :ids ORDER BY role", {"ids": [1, 2]}),
    ("SELECT COUNT(*) FROM user_role WHERE user_id IN :ids", {"ids": ()}),
    ("SELECT key, value FROM setting WHERE key = :key", {"key": "base_currency"}),
    # Dates go in as ISO text, as SQLAlchemy hands them to SQLite.
    (
        "SELECT :day, :moment, :day = '2026-11-03'",
        {"day": date(2026, 11, 3), "moment": datetime(2026, 11, 3, 9, 30)},
    ),
    ("WITH t(x) AS (VALUES (1), (2)) SELECT SUM(x) FROM t", None),
]


@pytest.mark.parametrize(("sql", "params"), QUERIES)
def test_sqlite_and_session_readers_give_the_same_rows(
    store: Store, sql: str, params: dict[str, object] | None
) -> None:
    with store.reading() as fast:
        assert isinstance(fast, SqliteReader)
        rows = fast.rows(sql, params)
        first = fast.first(sql, params)
        scalar = fast.scalar(sql, params)
    with store.read() as session:
        slow = reader_of(session)
        assert isinstance(slow, SessionReader)
        assert slow.rows(sql, params) == rows
        assert slow.first(sql, params) == first
        assert slow.scalar(sql, params) == scalar
    assert rows, "every query here returns rows"
    assert first == rows[0] and scalar == rows[0][0]


def test_values_come_back_as_sqlite_stores_them(store: Store) -> None:
    with store.reading() as reader:
        created, active = reader.first(
            "SELECT created_at, active FROM console_user WHERE login = :login",
            {"login": "boadmin"},
        ) or (None, None)
    assert isinstance(created, str) and created[:2] == "20"
    assert active == 1


def test_no_row(store: Store) -> None:
    with store.reading() as reader:
        assert reader.first("SELECT 1 FROM console_user WHERE login = 'nobody'") is None
        assert reader.scalar("SELECT 1 FROM console_user WHERE login = 'nobody'") is None


def test_a_reader_is_given_back_as_it_is(store: Store) -> None:
    with store.reading() as reader:
        assert reader_of(reader) is reader
        assert dialect_of(reader) == "sqlite"
    with store.read() as session:
        assert dialect_of(session) == "sqlite"
        assert dialect_of(reader_of(session)) == "sqlite"


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO setting (key, value) VALUES ('x', 'y')",
        "  update console_user SET full_name = 'x'",
        "DELETE FROM user_role",
        "-- a comment first\nDROP TABLE user_role",
    ],
)
def test_readers_refuse_writes(store: Store, sql: str) -> None:
    with store.reading() as reader, pytest.raises(NotARead):
        reader.rows(sql)
    with store.read() as session, pytest.raises(NotARead):
        reader_of(session).rows(sql)


def test_the_sqlite_connection_itself_is_read_only(store: Store) -> None:
    with store.reading() as reader:
        assert isinstance(reader, SqliteReader)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.connection.execute("DELETE FROM user_role")
        # A write dressed as a query is refused by SQLite.
        with pytest.raises(sqlite3.OperationalError):
            reader.rows("WITH x AS (SELECT 1) DELETE FROM user_role")
    with store.reading() as reader:
        assert reader.scalar("SELECT COUNT(*) FROM user_role") > 0


def test_one_read_transaction_for_the_reader(store: Store) -> None:
    with store.reading() as reader:
        assert isinstance(reader, SqliteReader)
        before = reader.scalar("SELECT COUNT(*) FROM setting")
        writer = sqlite3.connect(store.path or "")
        writer.execute("INSERT INTO setting (key, value) VALUES ('reading.test', '1')")
        writer.commit()
        writer.close()
        assert reader.scalar("SELECT COUNT(*) FROM setting") == before
    with store.reading() as reader:
        assert reader.scalar("SELECT COUNT(*) FROM setting") == before + 1


def test_busy_timeout_follows_the_process_wait(store: Store) -> None:
    with store.reading() as reader:
        assert reader.scalar("PRAGMA busy_timeout") == db.BUSY_TIMEOUT_MS
        assert reader.scalar("PRAGMA foreign_keys") == 1
    db.set_wait(2.5)
    with store.reading() as reader:
        assert reader.scalar("PRAGMA busy_timeout") == 2500


def test_busy_timeout_waits_for_a_lock(store: Store) -> None:
    """A reader that finds the file locked (as a restore locks it) waits its timeout, then
    fails with the store's busy message."""
    from bo_console.core.errors import StoreLocked

    assert store.path is not None
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    db.set_wait(0.2)
    try:
        import time

        started = time.monotonic()
        with pytest.raises(StoreLocked, match="busy"), store.reading() as reader:
            reader.rows("SELECT * FROM console_user")
        assert time.monotonic() - started >= 0.15
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_file_name_with_uri_characters(tmp_path: Path) -> None:
    odd = tmp_path / "books 50% #2.db"
    connection = sqlite3.connect(odd)
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (7)")
    connection.commit()
    connection.close()
    with Store(f"sqlite:///{odd}").reading() as reader:
        assert reader.scalar("SELECT x FROM t") == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == [odd.name]


def test_reading_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'none.db'}")
    with pytest.raises(StoreUnavailable, match="no database at"), store.reading():
        pass
    assert not (tmp_path / "none.db").exists()
    with (
        pytest.raises(StoreUnavailable, match="is a directory"),
        Store(f"sqlite:///{tmp_path}").reading(),
    ):
        pass


def test_usable_check_through_a_reader(store: Store, tmp_path: Path) -> None:
    with store.reading() as reader:
        store.ensure_usable(reader)
        assert store.current_revision(reader) == store.current_revision()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all, just some bytes" * 100)
    other = Store(f"sqlite:///{junk}")
    with pytest.raises(StoreUnavailable, match="cannot read"), other.reading() as reader:
        other.ensure_usable(reader)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    blank = Store(f"sqlite:///{empty}")
    with pytest.raises(StoreUnavailable, match="not a bo-console database"), blank.reading() as r:
        blank.ensure_usable(r)


def _both_ways(store: Store, identity: Identity) -> list[Actor | str]:
    """Sign ``identity`` in through a Reader and through a session: the actor or the error."""
    out: list[Actor | str] = []
    for opener in (store.reading, store.read):
        with opener() as db_:
            try:
                out.append(security.sign_in(db_, identity))
            except UnknownUser as exc:
                out.append(f"{type(exc).__name__}: {exc}")
    return out


def test_sign_in_the_same_through_a_reader(store: Store, make_user: object) -> None:
    assert callable(make_user)
    make_user("clerk1", "finance-clerk", "it-clerk", full_name="A Clerk")
    fast, slow = _both_ways(store, Identity("clerk1", "tty"))
    assert fast == slow
    assert isinstance(fast, Actor)
    assert fast.roles == ("finance-clerk", "it-clerk")
    assert fast.full_name == "A Clerk" and fast.origin == "tty"
    assert fast.can("finance.read") and not fast.can("users.admin")


def test_sign_in_errors_unchanged(store: Store, admin: Actor, make_user: object) -> None:
    assert callable(make_user)
    fast, slow = _both_ways(store, Identity("stranger", "tty"))
    assert (
        fast
        == slow
        == (
            "UnknownUser: OS user 'stranger' is not a console user; "
            "an admin can add you with `bo users add stranger --role ROLE`"
        )
    )
    make_user("leaver", "hr-clerk")
    with store.write() as session:
        security.set_active(session, admin, login="leaver", active=False)
    fast, slow = _both_ways(store, Identity("leaver", "tty"))
    assert (
        fast
        == slow
        == (
            "UnknownUser: console user 'leaver' is disabled; "
            "an admin can re-enable it with `bo users enable leaver`"
        )
    )


def test_sign_in_through_a_session_sees_unflushed_users(store: Store, admin: Actor) -> None:
    with store.write() as session:
        security.add_user(session, admin, login="fresh", roles=["auditor"])
        actor = security.sign_in(session, Identity("fresh", "tty"))
    assert actor.roles == ("auditor",)


def test_open_reader_imports_no_sql_toolkit(store: Store) -> None:
    """A command that opens a Reader checks the store and signs in without SQLAlchemy,
    SQLModel or pydantic (Typer itself may load pydantic to parse a command line: what the
    command imports is counted from when it starts)."""
    script = textwrap.dedent(
        f"""
        import sys
        import typer
        from typer.testing import CliRunner
        from bo_console import clikit
        from bo_console.core import security

        security.os_identity = lambda: security.Identity("boadmin", "test")
        app = typer.Typer()

        @app.command()
        def probe(ctx: typer.Context) -> None:
            before = set(sys.modules)
            reader, actor = clikit.open_reader(ctx)
            count = reader.scalar("SELECT COUNT(*) FROM console_user")
            new = set(sys.modules) - before
            heavy = sorted(m for m in ("sqlalchemy", "sqlmodel", "pydantic") if m in new)
            heavy += [m for m in ("sqlalchemy", "sqlmodel") if m in sys.modules]
            print(actor.login, count, heavy)

        @app.callback()
        def root(ctx: typer.Context) -> None:
            ctx.obj = clikit.CliState(db_option={str(store.url)!r})

        result = CliRunner().invoke(app, ["probe"])
        print(result.output, end="")
        print(result.exception)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines() == ["boadmin 1 []", "None"], done.stdout + done.stderr


def test_a_protocol_any_object_can_meet() -> None:
    class Rows:
        def rows(self, sql: str, params: object = None) -> list[tuple[object, ...]]:
            return [(1,)]

        def first(self, sql: str, params: object = None) -> tuple[object, ...] | None:
            return (1,)

        def scalar(self, sql: str, params: object = None) -> object:
            return 1

    reader: Reader = Rows()
    assert reader_of(reader) is reader
    assert dialect_of(reader) == "sqlite"
