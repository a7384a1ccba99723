"""Report and list commands that read through a Reader import no SQL toolkit and no pydantic
(on SQLite): each runs in a fresh process whose every ``import`` statement is recorded, so
a module imported later cannot bring SQLAlchemy, SQLModel or pydantic back unnoticed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bo_console.core.db import Store

READ_COMMANDS: list[tuple[str, ...]] = [
    ("finance", "report", "trial-balance", "--as-of", "2026-12-31"),
    ("finance", "report", "income-statement", "--from", "2026-01-01", "--to", "2026-12-31"),
    ("finance", "report", "balance-sheet", "--as-of", "2026-12-31"),
    ("finance", "accounts", "list"),
    ("finance", "accounts", "list", "--format", "json"),
    ("finance", "accounts", "show", "1110"),
    ("finance", "report", "general-ledger", "1110", "--from", "2026-01-01", "--to", "2026-12-31"),
    ("finance", "report", "vat-return", "--period", "2026-11"),
    ("finance", "report", "aged-receivables", "--as-of", "2026-12-31"),
    ("finance", "report", "aged-payables", "--as-of", "2026-12-31", "--detail"),
    ("finance", "report", "cashflow", "--from", "2026-01-01", "--to", "2026-12-31"),
    ("finance", "cost-centres", "list", "--active-only"),
    ("finance", "tax-codes", "list"),
    ("finance", "parties", "list", "--role", "customer", "--search", "co", "-n", "5"),
    ("finance", "invoices", "list", "--status", "open", "--search", "a"),
    ("finance", "bills", "list", "--overdue", "--from", "2026-01-01"),
    ("finance", "payments", "list", "--direction", "made", "--status", "posted"),
    ("finance", "period", "list", "--year", "2026"),
    ("finance", "period", "limits"),
    ("finance", "period", "fiscal-year"),
    ("finance", "note", "list", "--side", "sales", "--open"),
    ("finance", "writeoff", "list"),
    ("finance", "vat", "list"),
    ("finance", "vat", "filing"),
    ("finance", "vat", "seller"),
    ("finance", "bank", "accounts", "list"),
    ("finance", "customers", "pending"),
    ("finance", "journal", "list", "--account", "1100", "--search", "a", "--from", "2026-01-01"),
]

NOT_FOUND_COMMANDS: list[tuple[str, ...]] = [
    ("finance", "bank", "lines", "NONE", "--open"),
    ("finance", "invoices", "list", "--party", "C0001"),
    ("finance", "journal", "show", "2026-000001"),
]
"""Read commands that name a record the empty store does not hold: they fail as a lookup
fails (exit 1), and still without SQLAlchemy."""

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic")

PROBE = """
import builtins, json, sys

heavy = {heavy!r}
seen = []
real_import = builtins.__import__


def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.split(".")[0] in heavy:
        importer = (globals or {{}}).get("__name__", "?")
        seen.append([importer, name])
    return real_import(name, globals, locals, fromlist, level)


builtins.__import__ = recording_import
from bo_console.core import security

security.os_identity = lambda: security.Identity("boadmin", "test")
from bo_console.cli import run

code = run(["--db", {url!r}, *{args!r}])
print(json.dumps({{"code": code, "seen": seen, "modules": sorted(sys.modules)}}), file=sys.stderr)
"""


def _heavy_imports(store: Store, args: tuple[str, ...]) -> tuple[int, list[str], list[str]]:
    """Run ``bo ARGS`` in a new process: its exit code, who imported a heavy package (other
    than Typer, which loads pydantic to parse a command line from 0.29 on), and the heavy
    packages loaded at the end."""
    script = PROBE.format(heavy=HEAVY, url=store.url, args=args)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    by_us = [
        f"{importer} imports {name}"
        for importer, name in report["seen"]
        if importer.split(".")[0] not in ("typer", *HEAVY)
    ]
    loaded = [m for m in report["modules"] if m in HEAVY]
    if "typer._adapters" in report["modules"]:
        loaded = [m for m in loaded if m != "pydantic"]
    return int(report["code"]), by_us, loaded


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_commands_import_no_sql_toolkit_nor_pydantic(
    store: Store, args: tuple[str, ...]
) -> None:
    code, by_us, loaded = _heavy_imports(store, args)
    assert code == 0
    assert by_us == []
    assert loaded == []


@pytest.mark.parametrize("args", NOT_FOUND_COMMANDS, ids=" ".join)
def test_read_commands_look_records_up_without_sql_toolkit_nor_pydantic(
    store: Store, args: tuple[str, ...]
) -> None:
    code, by_us, loaded = _heavy_imports(store, args)
    assert code == 1
    assert by_us == []
    assert loaded == []


def test_the_probe_sees_a_command_that_writes(store: Store) -> None:
    """The check can fail: a command that writes imports SQLAlchemy (and it is seen)."""
    code, by_us, loaded = _heavy_imports(store, ("finance", "accounts", "deactivate", "9999"))
    assert code != 0  # no such account; it opened a unit of work to look
    assert "sqlalchemy" in loaded
    assert any(line.endswith("imports sqlalchemy") for line in by_us)
