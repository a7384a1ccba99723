"""How a command ends when the store is busy, the disk is full, the user may not, or the
program has a bug: one line, the documented exit code, nothing written that should not be."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bo_console.core import failures, security
from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from bo_console.core.security import Actor
from tests.cli.conftest import Bo


@pytest.fixture
def held(store: Store) -> Iterator[sqlite3.Connection]:
    """A long import, as another process runs it: a running job row and the write lock."""
    assert store.path is not None
    conn = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    conn.execute(
        "INSERT INTO job_run (name, key, user_login, os_user, pid, outcome, started_at, summary)"
        " VALUES ('finance.journal.import', 'k', 'layla', 'layla', 4242, 'running',"
        " '2026-12-04 18:02:00', '')"
    )
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


def test_a_writer_behind_a_long_import_exits_busy_naming_it(
    bo: Bo, held: sqlite3.Connection
) -> None:
    started = time.monotonic()
    code, out, err = bo("--wait", "0.5", "users", "add", "nadia", "--role", "analyst", "--later")
    assert code == ExitCode.BUSY, err
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "job finance.journal.import holds it" in err
    assert "started by layla at 2026-12-04 18:02 UTC" in err and "--wait" in err
    assert "database is locked" not in err
    assert time.monotonic() - started < 5


def test_a_writer_with_wait_queues_until_the_store_frees(
    bo: Bo, store: Store, held: sqlite3.Connection
) -> None:
    import threading

    threading.Timer(1.0, lambda: held.execute("COMMIT")).start()
    code, _, err = bo("--wait", "30", "users", "add", "nadia", "--role", "analyst", "--later")
    held.execute("BEGIN")  # the fixture's clean-up rolls back
    assert code == 0, err


def test_readers_never_wait_on_a_writer(bo: Bo, held: sqlite3.Connection) -> None:
    code, out, _ = bo("--wait", "0", "users", "list", "--format", "csv")
    assert code == 0 and "boadmin" in out


def test_an_unexpected_error_is_one_line_and_a_private_crash_log(
    bo: Bo, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> Actor:
        raise ValueError("salary of E00001 is 60312.50")

    monkeypatch.setattr(security, "sign_in", broken)
    code, out, err = bo("users", "list")
    assert code == ExitCode.INTERNAL
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "60312.50" not in err and "E00001" not in err and "Traceback" not in err
    assert "internal error (ValueError)" in err
    logs = list(failures.crash_dir().glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(logs[0].parent.stat().st_mode) == 0o700
    text = logs[0].read_text()
    assert "Traceback" in text and "salary of E00001" in text


def test_a_full_disk_is_one_line_and_exit_1(
    bo: Bo, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from bo_console.core import io

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/full/users.csv")

    monkeypatch.setattr(io, "write_file", full)
    code, _, err = bo("users", "export", "-o", "/tmp/nowhere/users.csv")
    assert code == ExitCode.ERROR, err
    assert (
        err.strip()
        == "bo: no space left on the device writing /full/users.csv; nothing more was written"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_disk_is_one_line_and_exit_1(
    store: Store, make_user: Callable[..., Actor], db_url: str
) -> None:
    import pwd

    me = pwd.getpwuid(os.getuid()).pw_name
    make_user(me, "admin")
    rows = "\n".join(f"user{n},analyst,User {n}" for n in range(300))
    users = store.path.parent / "many.csv" if store.path else Path("x")
    users.write_text(f"login,roles,full_name\n{rows}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSH_")}
    run = [sys.executable, "-m", "bo_console", "--db", db_url]
    subprocess.run([*run, "users", "import", str(users)], env=env, check=True, capture_output=True)
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*run, "users", "list", "--format", "csv"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
        )
    assert result.returncode == ExitCode.ERROR, result.stderr
    assert result.stderr.strip() == (
        "bo: no space left on the device writing the output; nothing more was written"
    )


def test_a_refused_job_writes_nothing(
    bo: Bo, store: Store, make_user: Callable[..., Actor], as_os_user: Callable[[str], None]
) -> None:
    make_user("aisha", "auditor")
    assert store.path is not None

    def job_rows() -> int:
        conn = sqlite3.connect(store.path)  # type: ignore[arg-type]
        try:
            return int(conn.execute("SELECT COUNT(*) FROM job_run").fetchone()[0])
        finally:
            conn.close()

    before = job_rows()
    as_os_user("aisha")
    for args in (
        ["hr", "payroll", "approve", "1", "--yes"],
        ["hr", "payroll", "run", "--period", "2026-11"],
    ):
        code, _, err = bo(*args)
        assert code == ExitCode.PERMISSION, err
    assert job_rows() == before
