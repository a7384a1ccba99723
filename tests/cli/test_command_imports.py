"""What a report or list command loads: its own department's modules for what it runs, not the
console, the spreadsheet and data-frame libraries, Alembic, PostgreSQL's dialect, the other
departments or (within its department) the service facade and sibling command groups."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from bo_console.core.db import Store

NEVER = (
    "textual",
    "pandas",
    "openpyxl",
    "alembic",
    "tomllib",
    "sqlalchemy.dialects.postgresql",
    "bo_console.ui",
    "bo_console.data",
    "bo_console.front_office",
    "bo_console.it.service",
    "bo_console.logistics.service",
    "bo_console.finance.cli.journal",
    "bo_console.hr.cli.payroll",
)

COMMANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("finance", "report", "trial-balance"): ("bo_console.finance.service", "bo_console.hr"),
    ("finance", "accounts", "list"): ("bo_console.finance.service", "bo_console.hr"),
    ("it", "assets", "list"): ("bo_console.finance.service", "bo_console.it.tickets"),
    ("hr", "employees", "list"): ("bo_console.finance.service", "bo_console.it"),
    # Items name their supplier: finance's parties, through finance's service facade.
    ("logistics", "items", "list"): ("bo_console.hr", "bo_console.it"),
}


@pytest.mark.parametrize("args", list(COMMANDS), ids=" ".join)
def test_a_command_loads_only_what_it_runs(store: Store, args: tuple[str, ...]) -> None:
    code = (
        "import sys\n"
        "from bo_console.core import security\n"
        "security.os_identity = lambda: security.Identity('boadmin', 'test')\n"
        "from bo_console.cli import run\n"
        f"code = run(['--db', {store.url!r}, *{args!r}])\n"
        "print(code, sorted(m for m in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    status, _, modules = result.stderr.strip().splitlines()[-1].partition(" ")
    assert status == "0", result.stderr
    loaded = ast.literal_eval(modules)
    unwanted = (*NEVER, *COMMANDS[args])
    assert [m for m in loaded if m.startswith(unwanted)] == []


HELP_NEVER = ("pydantic", "sqlalchemy", "sqlmodel", "rich", "textual", "bo_console.core.db")
"""What help, the version and a mistyped name have no use for: the models, the store, the
console (typer's help is plain text here, without rich)."""


def _help_lines() -> list[tuple[str, ...]]:
    from bo_console.cli import GROUPS

    return [
        ("--help",),
        ("--version",),
        ("nosuch",),
        ("finance", "nosuch"),
        ("finance", "report", "--help"),
        ("finance", "report", "trial-balance", "--help"),
        *((name, "--help") for name in GROUPS),
    ]


@pytest.mark.parametrize("args", _help_lines(), ids=" ".join)
def test_help_imports_neither_models_nor_the_store(args: tuple[str, ...]) -> None:
    code = (
        "import sys\n"
        "from bo_console.console import main\n"
        f"sys.argv = ['bo', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    print(exit.code, sorted(sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    status, _, modules = result.stderr.strip().splitlines()[-1].partition(" ")
    assert status == ("2" if "nosuch" in args else "0"), result.stderr
    assert result.stdout if status == "0" else "No such command 'nosuch'" in result.stderr
    loaded = ast.literal_eval(modules)
    assert [m for m in loaded if m.startswith(HELP_NEVER)] == []
