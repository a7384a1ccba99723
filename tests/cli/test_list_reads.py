"""List commands that only read go through a plain ``sqlite3`` Reader: neither SQLAlchemy nor
SQLModel is loaded, and no module of the program imports pydantic (Typer may load it for its
own option parsing; that is its business, not a list's)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bo_console.core.db import Store
from tests.cli.conftest import Bo

GUARD = """
import builtins, sys
BANNED = ("sqlalchemy", "sqlmodel", "pydantic", "pydantic_core")
offenders = []
real_import = builtins.__import__

def guarded(name, globals=None, locals=None, fromlist=(), level=0):
    importer = str((globals or {}).get("__name__", ""))
    if level == 0 and name.partition(".")[0] in BANNED and importer.startswith("bo_console"):
        offenders.append(f"{importer} imports {name}")
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = guarded
from bo_console.core import security
security.os_identity = lambda: security.Identity("boadmin", "test")
from bo_console.cli import run
code = run(["--db", URL, *ARGS])
loaded = sorted(m for m in sys.modules if m.partition(".")[0] in ("sqlalchemy", "sqlmodel"))
print(code, offenders + loaded, file=sys.stderr)
"""

COMMANDS = [
    ("it", "assets", "list"),
    ("it", "assets", "list", "--status", "all", "--search", "lap", "-f", "json"),
    ("it", "tickets", "list"),
    ("it", "tickets", "list", "--status", "all", "--sla", "breached", "-f", "csv"),
    ("it", "tickets", "list", "--sla", "near", "--search", "vpn"),
    ("it", "boarding", "list"),
    ("it", "boarding", "list", "--status", "all", "-f", "json"),
    ("it", "stocktake", "list"),
    ("it", "sla", "show"),
    ("it", "sla", "show", "-f", "json"),
    ("hr", "employees", "list"),
    ("hr", "employees", "list", "--search", "ahmed", "--all", "-f", "csv"),
    ("hr", "employees", "report"),
    ("hr", "employees", "report", "-f", "json"),
    ("hr", "units", "list"),
    ("hr", "positions", "list", "-f", "csv"),
    ("hr", "openings", "list"),
    ("hr", "openings", "list", "--status", "open", "-f", "json"),
    ("hr", "candidates", "list"),
    ("hr", "candidates", "list", "--stage", "applied", "--search", "a", "-f", "json"),
    ("hr", "training", "courses"),
    ("hr", "training", "sessions", "--upcoming", "-f", "json"),
    ("hr", "training", "certs"),
    ("hr", "training", "expiring", "--within", "12m", "-f", "json"),
    ("hr", "benefits", "plans"),
    ("hr", "benefits", "enrollments", "-f", "json"),
    ("hr", "leave", "types"),
    ("hr", "salary", "components", "-f", "json"),
    ("hr", "leave", "requests", "--status", "pending", "-f", "json"),
    ("hr", "leave", "balances"),
    ("hr", "payroll", "list"),
    ("front", "openings"),
    ("front", "openings", "-f", "json"),
    ("front", "requests"),
    ("front", "requests", "--status", "open", "-f", "json"),
    ("logistics", "items", "list"),
    ("logistics", "items", "list", "--below-reorder", "-f", "json"),
    ("logistics", "po", "list"),
    ("logistics", "so", "list", "--status", "draft", "-f", "json"),
    ("logistics", "shipments", "list", "--date", "2026-06-10"),
    ("logistics", "stock", "valuation"),
    ("logistics", "stock", "moves", "--from", "2026-03-01", "-f", "json"),
    ("logistics", "stock", "valuation", "--as-of", "2026-03-10", "-f", "csv"),
    ("logistics", "returns", "list"),
    ("logistics", "locations", "list", "-f", "csv"),
    ("logistics", "reorder", "--location", "DMM/A-01", "--dry-run", "-f", "json"),
    ("data", "views"),
    ("data", "views", "v_fin_party", "-f", "json"),
    ("data", "query", "list"),
    ("data", "quality", "rules", "-f", "csv"),
    ("data", "snapshot", "list"),
    ("data", "quality", "check", "-f", "csv"),
    ("data", "snapshot", "list", "--period", "2026-03", "-f", "json"),
    ("logistics", "stock", "in-transit"),
    ("logistics", "returns", "list", "--order", "so-2026-00001", "-f", "json"),
]
REFUSED = [
    # A refusal is read the same way: the item is looked up through the Reader.
    ("logistics", "stock", "on-hand", "NO-SUCH-SKU"),
    ("it", "assets", "list", "--holder", "E9999"),
    ("logistics", "stock", "moves", "--location", "NOWHERE/X"),
    ("logistics", "serials", "list", "NO-SUCH-SKU"),
    ("logistics", "counts", "show", "CNT-2026-99999"),
    ("logistics", "po", "show", "PO-2026-99999"),
    ("logistics", "serials", "history", "NO-SUCH-SKU", "SN-1"),
]


@pytest.mark.parametrize(
    ("args", "code"),
    [(a, "0") for a in COMMANDS] + [(a, "1") for a in REFUSED],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else f"exit {v}",
)
def test_a_list_reads_without_sqlalchemy_or_pydantic(
    store: Store, args: tuple[str, ...], code: str
) -> None:
    if not store.url.startswith("sqlite"):
        pytest.skip("on PostgreSQL the Reader wraps a session")
    script = GUARD.replace("URL", repr(store.url)).replace("ARGS", repr(args))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    status, _, found = result.stderr.strip().splitlines()[-1].partition(" ")
    assert status == code, result.stderr
    assert found == "[]", found


def test_the_guard_sees_a_command_that_imports_them(store: Store) -> None:
    """The check above can fail: a command that writes loads SQLAlchemy."""
    if not store.url.startswith("sqlite"):
        pytest.skip("SQLite only")
    args = ("it", "assets", "add", "T-1", "--serial", "S-1", "--model", "M", "--category", "LAPTOP")
    script = GUARD.replace("URL", repr(store.url)).replace("ARGS", repr(args))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    status, _, found = result.stderr.strip().splitlines()[-1].partition(" ")
    assert status == "0", result.stderr
    assert "sqlalchemy" in found and "imports pydantic" in found


@pytest.mark.both_stores
def test_the_same_lists_run_on_both_stores(bo: Bo, store: Store) -> None:
    """The SQL text of each list is the same on PostgreSQL, where the Reader wraps a session."""
    for args in COMMANDS:
        code, _, err = bo(*args)
        assert code == 0, (args, err)
    for args in REFUSED:
        code, _, err = bo(*args)
        assert code == 1 and err.startswith("bo: not found"), (args, err)
