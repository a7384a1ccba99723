"""`bo init`, `bo db`, `bo audit` and jobs from the command line: modes, schema states, busy,
anchors, checks, and help and exit codes as documented."""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer

from bo_console.cli import full_app, run
from bo_console.core import jobs
from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from tests.unit.helpers import pretend_newer_program

Bo = Callable[..., tuple[int, str, str]]
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def bo(db_url: str, capsys: pytest.CaptureFixture[str], as_os_user: Callable[[str], None]) -> Bo:
    """Run `bo --db <test db> ARGS` in this process as OS user boadmin: (code, stdout, stderr)."""

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--db", db_url, "-v", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return call


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_init_makes_a_private_file_and_a_second_init_changes_nothing(
    bo: Bo, tmp_path: Path
) -> None:
    path = tmp_path / "bo.db"
    code, out, err = bo("init", "--company", "Al Noor")
    assert (code, out) == (0, "")
    assert "boadmin is its admin" in err
    assert _mode(path) == 0o600
    rows = _count(path, "audit_event")
    code, out, err = bo("init", "--group-shared")
    assert (code, out) == (0, "")
    assert "already set up; nothing changed" in err
    assert _mode(path) == 0o600 and _count(path, "audit_event") == rows


def test_init_group_shared_is_0660_whatever_the_umask(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, as_os_user: Callable[[str], None]
) -> None:
    old = os.umask(0o077)
    try:
        assert run(["--db", str(tmp_path / "g.db"), "init", "--group-shared"]) == 0
    finally:
        os.umask(old)
    assert _mode(tmp_path / "g.db") == 0o660
    assert _mode(tmp_path / "g.db") & 0o007 == 0


def test_an_older_schema_is_refused_until_bo_db_migrate(
    bo: Bo, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_head = pretend_newer_program(tmp_path, monkeypatch)
    code, out, err = bo("users", "list")
    assert (code, out) == (ExitCode.STORE, "")
    assert "older schema" in err and "`bo db migrate`" in err
    code, _, err = bo("db", "migrate")
    assert code == 0 and f"to {new_head}" in err
    code, out, _ = bo("audit", "log", "--action", "migrate", "--format", "csv")
    assert code == 0 and len(out.splitlines()) == 2
    assert bo("users", "list")[0] == 0
    code, _, err = bo("db", "migrate")
    assert code == 0 and "up to date" in err


def test_a_newer_schema_is_refused(bo: Bo, store: Store) -> None:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    conn.commit()
    conn.close()
    for args in (["users", "list"], ["db", "migrate"], ["init"]):
        code, _, err = bo(*args)
        assert code == ExitCode.STORE, args
        assert "newer than this program" in err, args


def test_a_job_held_by_another_copy_exits_busy(bo: Bo, tmp_path: Path, db_url: str) -> None:
    # `bo demo` runs its build as a job: hold that job's lock as a running copy would.
    lock = jobs.lock_path(Store(db_url), "demo.build")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, out, err = bo("demo")
    assert code == ExitCode.BUSY
    assert out == "" and "busy: job demo.build is already running" in err
    code, out, _ = bo("jobs", "list", "--format", "csv")
    assert code == 0 and ",demo.build," in out and ",busy," in out


def test_anchor_option_and_file(bo: Bo, store: Store, tmp_path: Path) -> None:
    code, out, _ = bo("audit", "head")
    assert code == 0 and re.fullmatch(r"\d+:[0-9a-f]{64}\n", out)
    anchor_file = tmp_path / "anchor.txt"
    anchor_file.write_text(out)
    assert bo("audit", "verify", "--anchor-file", str(anchor_file))[0] == 0
    assert bo("users", "add", "mona", "--role", "analyst", "--later")[0] == 0
    assert bo("audit", "verify", "--anchor", out.strip())[0] == 0  # the chain grew past it
    code, _, err = bo("audit", "verify", "--anchor", "1:" + "0" * 64)
    assert code == ExitCode.INTEGRITY and "differs from the anchor" in err
    code, _, err = bo("audit", "verify", "--anchor", "999:" + "0" * 64)
    assert code == ExitCode.INTEGRITY and "missing" in err
    code, _, err = bo("audit", "verify", "--anchor-file", str(tmp_path / "none.txt"))
    assert code == ExitCode.ERROR and "--anchor-file" in err


def test_db_check_exits_5_on_a_foreign_key_violation(bo: Bo, store: Store) -> None:
    code, out, _ = bo("db", "check", "--format", "csv")
    assert code == 0 and "FAILED" not in out
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.execute(
        "INSERT INTO work_item_comment (item_id, at, author, text) "
        "VALUES (4242, '2026-01-01 00:00:00', 'x', 'orphan')"
    )
    conn.commit()
    conn.close()
    code, out, err = bo("db", "check", "--format", "csv")
    assert code == ExitCode.INTEGRITY
    assert "foreign_key_check,FAILED" in out and "audit chain,ok" in out
    assert "1 check(s) failed" in err


def test_restore_without_yes_and_without_a_terminal_is_refused(
    bo: Bo, store: Store, tmp_path: Path
) -> None:
    backup = tmp_path / "b.db"
    assert bo("db", "backup", str(backup))[0] == 0
    assert bo("users", "add", "later", "--role", "analyst", "--later")[0] == 0
    code, _, err = bo("db", "restore", str(backup))  # stdin is not a terminal under pytest
    assert code == ExitCode.USAGE and "--yes" in err
    code, out, _ = bo("users", "list", "--format", "csv")
    assert "later," in out
    assert not list(tmp_path.glob("bo.db.before-restore-*"))
    code, _, err = bo("db", "restore", str(backup), "--yes")
    assert code == 0 and "before-restore-" in err
    assert "later," not in bo("users", "list", "--format", "csv")[1]


def _command_paths(command: object, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, sub in getattr(command, "commands", {}).items():
        yield (*prefix, name)
        yield from _command_paths(sub, (*prefix, name))


def test_every_command_prints_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`bo <group> <command> --help` for every command and group, departments included."""
    root = typer.main.get_command(full_app())  # built once: `run` would rebuild it for every call
    paths = list(_command_paths(root))
    assert len(paths) > 30
    problems = []
    for path in paths:
        code = root.main(args=[*path, "--help"], prog_name="bo", standalone_mode=False)
        out, err = capsys.readouterr()
        lines = [line for line in out.splitlines() if line.strip()]
        if code != 0 or err or f"Usage: bo {' '.join(path)}" not in out:
            problems.append(f"{' '.join(path)}: exit {code}, stderr {err[:80]!r}")
        elif len(lines) < 3:  # usage, a description, options or commands
            problems.append(f"{' '.join(path)}: only {lines}")
    assert problems == []


def test_every_exit_code_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \| \S", text, re.MULTILINE), code
