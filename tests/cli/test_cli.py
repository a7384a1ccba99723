"""The `bo` command as scripts and cron use it: exit codes, streams, help, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer

from bo_console.cli import app, run
from bo_console.core.errors import ExitCode
from bo_console.core.security import Actor


@pytest.fixture
def bo(db_url: str, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `bo --db <test db> ARGS` in process; returns (exit code, stdout, stderr)."""

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--db", db_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return call


def _commands(group: object, prefix: str = "") -> Iterator[tuple[str, object]]:
    commands = getattr(group, "commands", {})
    for name, command in commands.items():
        path = f"{prefix} {name}".strip()
        yield path, command
        yield from _commands(command, path)


def test_every_command_and_group_has_help() -> None:
    root = typer.main.get_command(app)
    found = list(_commands(root))
    assert len(found) > 25
    missing = [path for path, command in found if not (getattr(command, "help", "") or "").strip()]
    assert missing == []


def test_import_hygiene() -> None:
    code = (
        "import sys, bo_console.cli; "
        "print([m for m in ('textual', 'pandas', 'sqlmodel', 'sqlalchemy') "
        "if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_no_args_without_terminal_prints_help_and_exits_usage() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bo_console"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == ExitCode.USAGE
    assert "Usage: bo" in result.stdout and "users" in result.stdout


def test_exit_codes(
    bo: Callable[..., tuple[int, str, str]],
    store: object,
    make_user: Callable[..., Actor],
    as_os_user: Callable[[str], None],
) -> None:
    assert bo("users", "list")[0] == ExitCode.OK
    assert bo("users", "add", "x", "--role", "wizard")[0] == ExitCode.ERROR
    assert bo("users", "list", "--format", "xml")[0] == ExitCode.USAGE
    assert bo("users", "frobnicate")[0] == ExitCode.USAGE
    make_user("omar", "finance-clerk")
    as_os_user("omar")
    code, out, err = bo("users", "add", "y", "--role", "analyst")
    assert code == ExitCode.PERMISSION and "lacks users.admin" in err and out == ""
    as_os_user("stranger")
    code, _, err = bo("inbox", "list")
    assert code == ExitCode.PERMISSION and "bo users add stranger" in err


def test_store_problems_exit_6(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_os_user: Callable[[str], None]
) -> None:
    code = run(["--db", str(tmp_path / "none.db"), "users", "list"])
    assert code == ExitCode.STORE
    assert "bo init" in capsys.readouterr().err
    assert run(["--db", str(tmp_path), "users", "list"]) == ExitCode.STORE


def test_data_on_stdout_messages_on_stderr(
    bo: Callable[..., tuple[int, str, str]], store: object
) -> None:
    code, out, err = bo("users", "add", "mona", "--role", "hr-clerk", "--name", "منى")
    assert code == 0 and out == "" and "added mona" in err
    code, out, err = bo("users", "list", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {"login": "mona", "full_name": "منى", "roles": ["hr-clerk"]}.items() <= data[1].items()
    code, out, _ = bo("users", "list", "--format", "csv")
    assert out.splitlines()[0] == "login,full_name,roles,active,created_at"
    assert "\x1b[" not in out


def test_output_file(
    bo: Callable[..., tuple[int, str, str]], store: object, tmp_path: Path
) -> None:
    target = tmp_path / "users.json"
    code, out, err = bo("users", "list", "--format", "json", "-o", str(target))
    assert code == 0 and out == "" and "wrote 1 rows" in err
    assert json.loads(target.read_text())[0]["login"] == "boadmin"


def test_destructive_restore_needs_yes_without_terminal(
    db_url: str, store: object, tmp_path: Path, as_os_user: Callable[[str], None]
) -> None:
    backup = tmp_path / "b.db"
    assert run(["--db", db_url, "db", "backup", str(backup)]) == 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    # A real process: the OS user there is the machine's, not the pinned one, so use the
    # pinned login's database only for the refusal, which happens before signing in matters.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bo_console",
            "--db",
            str(tmp_path / "fresh.db"),
            "db",
            "restore",
            str(backup),
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        check=False,
    )
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "--yes" in result.stderr
    assert not (tmp_path / "fresh.db").exists()


def test_check_and_verify_exit_5_on_tampering(
    bo: Callable[..., tuple[int, str, str]], store: object, db_url: str
) -> None:
    import sqlite3

    assert bo("db", "check")[0] == 0
    code, out, _ = bo("audit", "head")
    assert code == 0 and out.startswith("1:")
    anchor = out.strip()
    assert bo("audit", "verify", "--anchor", anchor)[0] == 0
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET origin = 'elsewhere'")
    conn.commit()
    conn.close()
    code, _, err = bo("audit", "verify")
    assert code == ExitCode.INTEGRITY and "row 1" in err
    code, out, _ = bo("db", "check", "--format", "csv")
    assert code == ExitCode.INTEGRITY and "audit chain,FAILED" in out
    assert bo("audit", "verify", "--anchor", "garbage")[0] == ExitCode.ERROR


def test_inbox_commands(bo: Callable[..., tuple[int, str, str]], store: object) -> None:
    code, out, _ = bo(
        "inbox",
        "add",
        "--to",
        "it",
        "--subject",
        "New laptop",
        "--due",
        "+3",
        "--ref",
        "employee:7",
    )
    assert code == 0
    item = out.strip()
    assert bo("inbox", "assign", item, "boadmin")[0] == 0
    assert bo("inbox", "comment", item, "ordered")[0] == 0
    code, out, _ = bo("inbox", "show", item)
    assert "New laptop" in out and "ordered" in out and "employee:7" in out
    assert bo("inbox", "done", item, "-m", "delivered")[0] == 0
    code, out, _ = bo("inbox", "list", "--format", "json")
    assert json.loads(out) == []
    code, out, _ = bo("inbox", "list", "--status", "done", "--format", "json")
    assert [row["subject"] for row in json.loads(out)] == ["New laptop"]
    assert bo("inbox", "add", "--to", "it", "--subject", "x", "--due", "someday")[0] == 1
    assert bo("inbox", "show", "999")[0] == 1


def test_users_import_export_commands(
    bo: Callable[..., tuple[int, str, str]], store: object, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("login,full_name,roles\nmona,Mona,analyst\nbad login,X,analyst\n")
    code, _, err = bo("users", "import", str(source))
    assert code == ExitCode.ERROR and "row 3, column login" in err
    source.write_text("login,full_name,roles\nmona,Mona,analyst\n")
    assert bo("users", "import", str(source), "--dry-run")[0] == 0
    assert bo("users", "import", str(source))[0] == 0
    out_file = tmp_path / "out.xlsx"
    assert bo("users", "export", "-o", str(out_file))[0] == 0
    assert out_file.stat().st_size > 0
    assert bo("users", "export", "-o", str(tmp_path / "out.bin"))[0] == ExitCode.ERROR


BAD_INPUT = [
    ["audit", "log", "--since", "yesterday-ish"],
    ["users", "grant", "ghost", "analyst"],
    ["users", "import", "/nonexistent/file.csv"],
    ["inbox", "add", "--to", "nowhere", "--subject", "x"],
    ["db", "backup", "/nonexistent/dir/b.db"],
    ["db", "restore", "/etc/hostname", "--yes"],
]


@pytest.mark.parametrize("args", BAD_INPUT, ids=[" ".join(a[:2]) for a in BAD_INPUT])
def test_cron_environment_bad_input_gives_one_line(args: list[str], tmp_path: Path) -> None:
    db = tmp_path / "cron.db"
    bo_bin = [sys.executable, "-m", "bo_console", "--db", str(db)]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    setup = subprocess.run(
        [*bo_bin, "init"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr
    result = subprocess.run(
        [*bo_bin, *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode in (ExitCode.ERROR, ExitCode.USAGE), result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "\x1b[" not in result.stderr + result.stdout
