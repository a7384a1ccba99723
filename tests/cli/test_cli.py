"""The `bo` command as scripts and cron use it: exit codes, streams, help, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer

from bo_console.cli import full_app, run
from bo_console.core import maintenance
from bo_console.core.db import Store
from bo_console.core.errors import ExitCode
from bo_console.core.security import Actor


def _commands(group: object, prefix: str = "") -> Iterator[tuple[str, object]]:
    commands = getattr(group, "commands", {})
    for name, command in commands.items():
        path = f"{prefix} {name}".strip()
        yield path, command
        yield from _commands(command, path)


def test_every_command_and_group_has_help() -> None:
    root = typer.main.get_command(full_app())
    found = list(_commands(root))
    assert len(found) > 25
    missing = [path for path, command in found if not (getattr(command, "help", "") or "").strip()]
    assert missing == []


def test_each_group_is_listed_with_its_own_help_line() -> None:
    from bo_console.cli import GROUPS, load_group

    for name, (_, help_line) in GROUPS.items():
        assert load_group(name).info.help == help_line, name


def test_help_imports_no_group(tmp_path: Path) -> None:
    code = (
        "import sys; from bo_console.cli import run; code = run(['--help']); "
        "print(code, sorted(m for m in sys.modules if m.endswith(('.cli', '.commands.db'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "0 ['bo_console.cli']"
    assert "finance" in out and "Finance: chart of accounts" in out


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


def test_no_args_without_terminal_prints_help_and_exits_usage(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bo_console", "--db", str(tmp_path / "none.db")],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == ExitCode.USAGE
    assert result.stdout.startswith("Usage: bo") and "users" in result.stdout
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []  # nothing opened or created


def test_exit_codes(
    bo: Callable[..., tuple[int, str, str]],
    store: object,
    make_user: Callable[..., Actor],
    as_os_user: Callable[[str], None],
) -> None:
    assert bo("users", "list")[0] == ExitCode.OK
    assert bo("users", "add", "x", "--role", "wizard", "--later")[0] == ExitCode.ERROR
    assert bo("users", "list", "--format", "xml")[0] == ExitCode.USAGE
    assert bo("users", "frobnicate")[0] == ExitCode.USAGE
    make_user("omar", "finance-clerk")
    as_os_user("omar")
    code, out, err = bo("users", "add", "y", "--role", "analyst", "--later")
    assert code == ExitCode.PERMISSION and "lacks users.admin" in err and out == ""
    as_os_user("stranger")
    code, _, err = bo("inbox", "list")
    assert code == ExitCode.PERMISSION and "bo users add stranger" in err


def test_tui_screen_is_checked_before_the_terminal(
    bo: Callable[..., tuple[int, str, str]],
    store: object,
    make_user: Callable[..., Actor],
    as_os_user: Callable[[str], None],
) -> None:
    # Under pytest stdin is not a terminal: each refusal below comes before that check.
    code, out, err = bo("tui", "--screen", "payroll")
    assert code == ExitCode.USAGE and out == ""
    choices = "home, finance, hr, it, logistics, data, front, admin"
    assert f"unknown screen 'payroll'; choose one of: {choices}" in err
    make_user("omar", "finance-clerk")
    as_os_user("omar")
    code, out, err = bo("tui", "--screen", "hr")
    assert code == ExitCode.PERMISSION and out == ""
    assert "HR and payroll is not available to you: it needs hr.read" in err
    code, _, err = bo("tui", "-s", "admin")
    assert code == ExitCode.PERMISSION and "needs users.admin or audit.read" in err
    # Allowed: only then is the missing terminal the problem.
    code, _, err = bo("tui", "--screen", "Finance")
    assert code == ExitCode.USAGE and "needs a terminal" in err
    assert bo("tui", "-s", "home")[0] == ExitCode.USAGE


def test_tui_screen_name_is_checked_without_a_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bo_console", "--db", str(tmp_path / "none.db"), "tui", "-s", "x"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == ExitCode.USAGE
    assert "unknown screen 'x'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_command_line_builds_only_its_branch() -> None:
    from bo_console.cli import command_for

    def names(command: object) -> list[str]:
        return sorted(getattr(command, "commands", {}))

    root = command_for(["--db", "x.db", "finance", "report", "trial-balance", "--as-of", "t"])
    assert names(root) == ["finance"]
    finance = root.commands["finance"]  # type: ignore[attr-defined]
    assert names(finance) == ["report"]
    assert names(finance.commands["report"]) == ["trial-balance"]
    assert names(command_for(["--db=x.db", "tui", "-s", "hr"])) == ["tui"]
    full = names(typer.main.get_command(full_app()))
    # Help, options before a name, and names that do not exist get every top-level name (the
    # groups without their commands: the top-level help does not show those).
    outline = command_for(["--help"])
    assert names(outline) == full and names(outline.commands["finance"]) == []  # type: ignore[attr-defined]
    assert names(command_for(["--db", "x.db", "fnance"])) == full
    finance = command_for(["finance", "report", "--help"]).commands["finance"]  # type: ignore[attr-defined]
    assert names(finance) == ["report"] and len(names(finance.commands["report"])) > 3


def test_help_and_misspellings_show_what_the_whole_tree_shows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Help and mistyped names are answered from a listing (commands without their parameters,
    sub-groups without their commands): the same text and exit code as the whole tree's."""
    from bo_console import cli

    listing = cli.command_for(["finance", "--help"]).commands["finance"]  # type: ignore[attr-defined]
    assert listing.commands["report"].commands == {}
    root = cli.command_for(["--help"])
    assert root.commands["init"].params == []  # type: ignore[attr-defined]
    whole = typer.main.get_command(full_app())
    lines = [["--help"], ["nosuch"], ["-h"], ["init", "--help"]]
    for name in cli.GROUPS:  # (a bare group shows its help; a bare `bo demo` would run)
        lines += [[name, "--help"], [name, "no-such"], [name]]
        for sub, command in whole.commands[name].commands.items():  # type: ignore[attr-defined]
            if hasattr(command, "commands"):
                lines += [[name, sub, "--help"], [name, sub, "zz"]]

    def answers(args: list[str]) -> tuple[int, str, str]:
        code = run(args)
        out, err = capsys.readouterr()
        return code, out, err

    capsys.readouterr()
    shown = [answers(args) for args in lines]
    monkeypatch.setattr(cli, "command_for", lambda argv: whole)
    assert [answers(args) for args in lines] == shown
    assert all(code in (ExitCode.OK, ExitCode.USAGE) for code, _, _ in shown)
    assert len(lines) > 100 and sum("Commands" in out for _, out, _ in shown) > 50


def test_a_name_after_double_dash_runs_the_real_command() -> None:
    from bo_console.cli import command_for

    assert command_for(["--", "init"]).commands["init"].params != []  # type: ignore[attr-defined]
    finance = command_for(["finance", "--", "report"]).commands["finance"]  # type: ignore[attr-defined]
    assert finance.commands["report"].commands != {}


def test_a_command_line_imports_only_the_sub_group_it_names() -> None:
    code = (
        "import sys; from bo_console.cli import command_for; "
        "[command_for(args) for args in ("
        "['finance', 'report', 'trial-balance'], ['it', 'assets', 'list'], "
        "['hr', 'employees', 'list'], ['hr', 'payslip', '--help'])]; "
        "print(sorted(m for m in sys.modules if '.cli.' in m))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == str(
        sorted(
            [
                "bo_console.finance.cli.options",
                "bo_console.finance.cli.reports",
                "bo_console.it.cli.assets",
                "bo_console.it.cli.common",
                "bo_console.hr.cli.employees",
                "bo_console.hr.cli.options",
                "bo_console.hr.cli.payslip",
            ]
        )
    )


def test_a_department_s_help_lists_every_sub_group() -> None:
    from bo_console.cli import command_for
    from bo_console.finance.cli import SUBGROUPS as FINANCE
    from bo_console.hr.cli import SUBGROUPS as HR
    from bo_console.it.cli import SUBGROUPS as IT

    for name, subgroups in (("finance", FINANCE), ("hr", HR), ("it", IT)):
        for args in ([name, "--help"], [name, "no-such-group"], [name]):
            group = command_for(args).commands[name]  # type: ignore[attr-defined]
            assert set(subgroups) <= set(group.commands), args
    hr = command_for(["hr", "payslip", "--help"]).commands["hr"]  # type: ignore[attr-defined]
    assert sorted(hr.commands) == ["payslip"]


def test_the_collector_is_back_on_after_a_command(
    bo: Callable[..., tuple[int, str, str]], store: object
) -> None:
    import gc

    gc.unfreeze()
    assert bo("users", "list")[0] == ExitCode.OK
    assert bo("users", "frobnicate")[0] == ExitCode.USAGE  # fails before its store is opened
    assert gc.isenabled() and gc.get_freeze_count() == 0


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
    code, out, err = bo("users", "add", "mona", "--role", "hr-clerk", "--name", "منى", "--later")
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
    assert code == 0 and out == "" and "wrote 1 row to" in err
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
    mismatch = tmp_path / "other.xlsx"
    code, _, err = bo("users", "export", "--format", "csv", "-o", str(mismatch))
    assert code == ExitCode.USAGE and "does not match other.xlsx" in err
    assert not mismatch.exists()


def _bare_env(home: Path, **extra: str) -> dict[str, str]:
    """What cron gives a job: almost nothing."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), **extra}


def _bo_process(
    args: list[str], env: dict[str, str], stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bo_console", *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=stdin,
        check=False,
        timeout=60,
    )


def _prepare_folder(folder: Path) -> None:
    (folder / "not-a-db.db").write_text("just text\n")
    (folder / "users.csv").write_text("login,roles\nsomeone,wizard\n")


@pytest.fixture(scope="module")
def cron_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database made by `bo init` in a bare environment; its admin is this OS account."""
    folder = tmp_path_factory.mktemp("cron")
    db = folder / "cron.db"
    env = _bare_env(folder)
    setup = _bo_process(["--db", str(db), "init"], env)
    assert setup.returncode == 0, setup.stderr
    backup = _bo_process(["--db", str(db), "db", "backup", str(folder / "nightly.db")], env)
    assert backup.returncode == 0, backup.stderr
    _prepare_folder(folder)
    return db


def test_a_finished_command_leaves_the_whole_database_in_its_file(
    cron_db: Path, tmp_path: Path
) -> None:
    """Once `bo init` and `bo db backup` have ended, the write-ahead log holds nothing: a copy
    of the file alone is the database (it held a 4 KB file, the rest in ``-wal``)."""
    wal = cron_db.with_name(cron_db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    copy = tmp_path / "copy.db"
    shutil.copyfile(cron_db, copy)
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM console_user").fetchone()[0] >= 1
    finally:
        conn.close()


ERROR, USAGE, STORE = ExitCode.ERROR, ExitCode.USAGE, ExitCode.STORE
# name, arguments ({dir}: the database's folder), exit code, also run as a real bare process
BAD_INPUT: list[tuple[str, list[str], ExitCode, bool]] = [
    ("bad date", ["audit", "log", "--since", "yesterday-ish"], ERROR, True),
    ("bad due date", ["inbox", "add", "--to", "it", "-s", "x", "--due", "31/12"], ERROR, False),
    ("unknown role", ["users", "add", "someone", "--role", "wizard", "--later"], ERROR, True),
    ("unknown role in file", ["users", "import", "{dir}/users.csv"], ERROR, False),
    ("unknown user", ["users", "grant", "ghost", "analyst"], ERROR, True),
    ("unknown department", ["inbox", "add", "--to", "nowhere", "-s", "x"], ERROR, False),
    # a byte that is not UTF-8 reaches Python as a lone surrogate
    (
        "non-UTF-8 argument",
        ["users", "add", "bob", "-r", "analyst", "--name", "B\udcff", "--later"],
        ERROR,
        True,
    ),
    ("missing file", ["users", "import", "/nonexistent/file.csv"], ERROR, True),
    ("missing output dir", ["users", "export", "-o", "/nonexistent/u.csv"], ERROR, False),
    ("missing backup dir", ["db", "backup", "/nonexistent/dir/b.db"], ERROR, False),
    ("restore a text file", ["db", "restore", "/etc/hostname", "--yes"], ERROR, False),
    ("restore without --yes", ["db", "restore", "{dir}/nightly.db"], USAGE, True),
    ("bad option value", ["users", "list", "--format", "xml"], USAGE, False),
    ("garbage db url", ["--db", "nosuchscheme://x/y", "users", "list"], STORE, True),
    ("server driver missing", ["--db", "mysql://u:pw@h/x", "users", "list"], STORE, False),
    ("db in missing dir", ["--db", "/nonexistent/dir/bo.db", "users", "list"], STORE, False),
    ("directory as db", ["--db", "{dir}", "users", "list"], STORE, True),
    ("directory as db init", ["--db", "{dir}", "init"], STORE, False),
    ("text file as db", ["--db", "{dir}/not-a-db.db", "db", "check"], STORE, False),
    ("text file as db init", ["--db", "{dir}/not-a-db.db", "init"], STORE, False),
]


def _args(raw: list[str], db: Path) -> list[str]:
    args = [a.replace("{dir}", str(db.parent)) for a in raw]
    return args if "--db" in args else ["--db", str(db), *args]


def _problems(name: str, expected: int, code: int, out: str, err: str) -> list[str]:
    """What is wrong with how a bad command ended (empty when all is well)."""
    found = []
    lines = err.strip().splitlines()
    if code != expected:
        found.append(f"exit {code}, expected {expected}")
    if "Traceback" in err:
        found.append("a traceback")
    if out:
        found.append(f"stdout {out!r}")
    if "\x1b[" in err:
        found.append("colour codes")
    if "pw@" in err:
        found.append("a password shown")
    if not lines:
        found.append("no message")
    elif expected == ExitCode.USAGE and lines[0].startswith("Usage:"):
        if not lines[-1].startswith("Error:"):
            found.append("no Click error line")
    elif name == "unknown role in file":
        if not (lines[0].startswith("bo: invalid input:") and "row 2, column roles" in err):
            found.append("no per-row report")
    elif len(lines) != 1 or not lines[0].startswith("bo: "):
        found.append(f"not one 'bo: ' line: {lines}")
    return [f"{name}: {p} ({err.strip()[:200]!r})" for p in found]


def _dump(path: Path) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [(n, a, c) for n, a, c, _ in BAD_INPUT],
    ids=[n for n, *_ in BAD_INPUT],
)
def test_bad_input_gives_one_line_and_changes_nothing(
    bo: Callable[..., tuple[int, str, str]],
    store: Store,
    admin: Actor,
    name: str,
    raw: list[str],
    expected: int,
) -> None:
    assert store.path is not None
    _prepare_folder(store.path.parent)
    maintenance.backup(store, admin, store.path.parent / "nightly.db")
    before = _dump(store.path)
    # `bo` puts --db first; a case's own --db comes later and wins.
    code, out, err = bo(*[a.replace("{dir}", str(store.path.parent)) for a in raw])
    assert _problems(name, expected, code, out, err) == []
    assert _dump(store.path) == before


def test_cron_environment_bad_input_gives_one_line(cron_db: Path) -> None:
    """The same in real bare processes (run side by side), stdin from /dev/null."""
    before = _dump(cron_db)
    running = []
    for name, raw, expected, real in BAD_INPUT:
        if not real:
            continue
        process = subprocess.Popen(
            [sys.executable, "-m", "bo_console", *_args(raw, cron_db)],
            env=_bare_env(cron_db.parent),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        running.append((name, expected, process))
    problems = []
    for name, expected, process in running:
        out, err = process.communicate(timeout=60)
        problems += _problems(name, expected, process.returncode, out, err)
    assert problems == []
    assert _dump(cron_db) == before
    assert not list(cron_db.parent.glob("cron.db.before-restore-*"))


def test_no_colour_on_a_pipe_even_on_a_colour_terminal(cron_db: Path) -> None:
    env = _bare_env(cron_db.parent, TERM="xterm-256color", COLORTERM="truecolor")
    listing = _bo_process(["--db", str(cron_db), "users", "list"], env)
    assert listing.returncode == 0 and "login" in listing.stdout
    failure = _bo_process(["--db", str(cron_db), "users", "frobnicate"], env)
    assert failure.returncode == ExitCode.USAGE
    for stream in (listing.stdout, listing.stderr, failure.stdout, failure.stderr):
        assert "\x1b[" not in stream


def test_a_single_field_error_is_said_once(
    bo: Callable[..., tuple[int, str, str]], store: Store
) -> None:
    code, out, err = bo("users", "add", "Bad Login", "--role", "hr-clerk", "--later")
    assert code == 1
    assert out == ""
    assert err.startswith("bo: invalid input: invalid login 'Bad Login'")
    assert err.count("\n") == 1
