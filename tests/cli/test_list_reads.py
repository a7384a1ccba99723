"""List commands that only read go through a plain ``sqlite3`` Reader: neither SQLAlchemy nor
SQLModel is loaded, and no module of the program imports pydantic (Typer may load it for its
own option parsing; that is its business, not a list's)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bo_console.core.db import Store
from tests.cli.conftest import Bo
from tests.cli.guard import Guarded, guarded_runs
from tests.conftest import _isolate_env

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


@pytest.fixture(scope="module")
def list_results(
    _template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, ...], Guarded]:
    """Every list and refusal below, under the guard, on one new database."""
    path = tmp_path_factory.mktemp("list-reads") / "bo.db"
    shutil.copyfile(_template_db, path)
    commands = COMMANDS + REFUSED
    with pytest.MonkeyPatch.context() as monkeypatch:
        _isolate_env(monkeypatch, tmp_path_factory.mktemp("list-reads-home"))
        results = guarded_runs(f"sqlite:///{path}", commands)
    return dict(zip(commands, results, strict=True))


@pytest.mark.parametrize(
    ("args", "code"),
    [(a, "0") for a in COMMANDS] + [(a, "1") for a in REFUSED],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else f"exit {v}",
)
def test_a_list_reads_without_sqlalchemy_or_pydantic(
    list_results: dict[tuple[str, ...], Guarded], args: tuple[str, ...], code: str
) -> None:
    result = list_results[args]
    assert result.code == code, result
    assert result.found == "[]", result.found


def test_the_batch_reports_each_command_as_a_fresh_process_would(store: Store) -> None:
    """A command that loads SQLAlchemy ends its batch: the list before it and the list after it
    are still found clean, and it alone is named."""
    if not store.url.startswith("sqlite"):
        pytest.skip("SQLite only")
    writes = ("it", "assets", "add", "T-1", "--serial", "S-1", "--model", "M", "--category", "X")
    results = guarded_runs(store.url, [("it", "assets", "list"), writes, ("hr", "units", "list")])
    assert [r.code for r in results] == ["0", "1", "0"], results
    assert results[0].found == "[]" and results[2].found == "[]", results
    assert "sqlalchemy" in results[1].found, results
    # Each command's own complaints, not its neighbours'.
    assert results[1].stderr.startswith("bo: ") and results[2].stderr == "", results


def test_the_guard_sees_a_command_that_imports_them(store: Store) -> None:
    """The check above can fail: a command that writes loads SQLAlchemy."""
    if not store.url.startswith("sqlite"):
        pytest.skip("SQLite only")
    args = ("it", "assets", "add", "T-1", "--serial", "S-1", "--model", "M", "--category", "LAPTOP")
    (result,) = guarded_runs(store.url, [args])
    assert result.code == "0", result
    assert "sqlalchemy" in result.found and "imports pydantic" in result.found


@pytest.mark.both_stores
def test_the_same_lists_run_on_both_stores(bo: Bo, store: Store) -> None:
    """The SQL text of each list is the same on PostgreSQL, where the Reader wraps a session."""
    for args in COMMANDS:
        code, _, err = bo(*args)
        assert code == 0, (args, err)
    for args in REFUSED:
        code, _, err = bo(*args)
        assert code == 1 and err.startswith("bo: not found"), (args, err)
