"""`bo` opening the console takes a short way past the command line; everything else does not.

The short way must say and exit exactly as the command line would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bo_console.cli import run
from bo_console.console import ConsoleArgs, console_args
from bo_console.core.db import Store
from bo_console.core.errors import ExitCode


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ConsoleArgs()),
        (["--db", "x.db"], ConsoleArgs(db="x.db")),
        (["--db=x.db", "tui"], ConsoleArgs(db="x.db", tui=True)),
        (["tui", "--screen", "finance"], ConsoleArgs(screen="finance", tui=True)),
        (["--db", "x.db", "tui", "-s", "hr"], ConsoleArgs(db="x.db", screen="hr", tui=True)),
        (["tui", "--screen=admin"], ConsoleArgs(screen="admin", tui=True)),
        (["--help"], None),
        (["tui", "--help"], None),
        (["tui", "--screen"], None),
        (["tui", "-s", "--help"], None),
        (["--db", "--help"], None),
        (["--db"], None),
        (["users", "list"], None),
        (["tui", "-s", "hr", "extra"], None),
        (["--version"], None),
    ],
)
def test_only_console_command_lines_take_the_short_way(
    argv: list[str], expected: ConsoleArgs | None
) -> None:
    assert console_args(argv) == expected


def test_the_short_way_imports_no_command_line_machinery() -> None:
    code = (
        "import sys, bo_console.console; "
        "print([m for m in ('typer', 'textual', 'sqlalchemy', 'sqlmodel') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    "argv",
    [
        ["tui"],
        ["tui", "-s", "payroll"],
        ["tui", "--screen", "finance"],
    ],
)
def test_the_short_way_says_and_exits_as_the_command_line_does(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "none.db")]
    fast = subprocess.run(
        [sys.executable, "-m", "bo_console", *db, *argv],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    code = run([*db, *argv])
    out, err = capsys.readouterr()
    assert (fast.returncode, fast.stdout, fast.stderr) == (code, out, err)
    assert code in (ExitCode.USAGE, ExitCode.STORE)
    assert err.startswith("bo: ") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_opening_the_finance_screen_imports_neither_typer_nor_sqlmodel() -> None:
    code = (
        "import sys, bo_console.console, bo_console.ui.app, bo_console.finance.screen; "
        "print([m for m in ('typer', 'sqlmodel', 'pydantic') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_store_session_execs_as_sqlmodels_does(store: Store) -> None:
    from sqlalchemy import text, update
    from sqlmodel import col, select

    from bo_console.core.models import User

    with store.write() as session:
        logins = session.exec(select(User.login)).all()  # scalars, as SQLModel gives them
        assert "boadmin" in logins and all(isinstance(login, str) for login in logins)
        users = session.exec(select(User)).all()
        assert [u.login for u in users] == logins and isinstance(users[0], User)
        pairs = session.exec(select(User.login, User.active)).all()  # rows
        assert [tuple(p) for p in pairs] == [(u.login, u.active) for u in users]
        count = session.exec(text("SELECT count(*) FROM console_user"))  # type: ignore[call-overload]
        assert count.scalar() == len(users)
        changed = session.exec(update(User).where(col(User.login) == "boadmin").values(active=True))
        assert changed.rowcount == 1


def test_a_store_session_imports_no_sqlmodel(tmp_path: Path) -> None:
    code = (
        "import sys; from bo_console.core.db import Store; from sqlalchemy import text; "
        f"store = Store('sqlite:///{tmp_path / 'x.db'}'); cm = store.read(); "
        "session = cm.__enter__(); session.exec(text('SELECT 1')).scalar(); "
        "cm.__exit__(None, None, None); "
        "print([m for m in ('sqlmodel', 'pydantic') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
