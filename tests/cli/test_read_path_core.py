"""The core's read commands (users, audit, jobs, inbox, db check) and finance's journal export
read through a plain ``sqlite3`` Reader: neither SQLAlchemy nor SQLModel is loaded, and no
module of the program imports pydantic. Refusals are read the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bo_console.core.db import Store
from tests.cli.conftest import Bo
from tests.cli.guard import Guarded, guarded_runs
from tests.conftest import SeedOnce

COMMANDS = [
    ("users", "list"),
    ("users", "list", "-f", "json"),
    ("users", "export", "-o", "OUT/users.csv"),
    ("users", "export", "-o", "OUT/users.xlsx"),
    ("audit", "log"),
    ("audit", "log", "--user", "boadmin", "--since", "2020-01-01", "--limit", "0", "-f", "csv"),
    ("audit", "log", "--entity", "work_item", "--action", "comment", "-f", "json"),
    ("audit", "verify"),
    ("audit", "verify", "--no-anchor"),
    ("audit", "head"),
    ("jobs", "list"),
    ("jobs", "list", "--name", "db.backup", "--limit", "3", "-f", "json"),
    ("inbox", "list"),
    ("inbox", "list", "--status", "all", "--dept", "it", "-f", "json"),
    ("inbox", "list", "--assignee", "boadmin", "--kind", "general"),
    ("inbox", "show", "1"),
    ("inbox", "show", "1", "-f", "json"),
    ("finance", "journal", "export"),
    ("finance", "journal", "export", "-f", "csv", "--from", "2026-01-01", "-o", "OUT/j.csv"),
    ("finance", "export", "journal", "--to", "2026-12-31"),
]
REFUSED = [
    # A refusal is read the same way: the record is looked up through the Reader.
    ("inbox", "show", "99999"),
    ("inbox", "list", "--assignee", "nobody"),
]
BROKEN = [
    # Exit 5: the chain does not hold this anchor (read through the Reader too).
    ("audit", "verify", "--anchor", "1:0000"),
]


@pytest.fixture
def with_work(bo: Bo, store: Store, seed_once: SeedOnce) -> Store:
    """The store with a work item that has a comment and a link, and a job run."""

    def seed() -> None:
        code, _, err = bo(
            "inbox", "add", "--to", "it", "--from", "hr", "-s", "Laptop", "--ref", "employee:7"
        )
        assert code == 0, err
        for args in (("inbox", "assign", "1", "boadmin"), ("inbox", "comment", "1", "Ordered")):
            code, _, err = bo(*args)
            assert code == 0, err

    seed_once("cli/read_path_core:with_work", seed)
    return store


# One worker runs them all: spread over four, each worker ran every batch.
pytestmark = pytest.mark.xdist_group("read-path-core")

_READS: dict[tuple[str, ...], Guarded] = {}
"""Each read below as the guard found it (the seeded store is the same for every test, so one
batch serves them all; the module's tests run on one worker, so the batch runs once)."""


@pytest.fixture
def reads(with_work: Store, tmp_path: Path) -> dict[tuple[str, ...], Guarded]:
    if not _READS:
        commands = COMMANDS + REFUSED + BROKEN
        out = [tuple(a.replace("OUT", str(tmp_path)) for a in args) for args in commands]
        _READS.update(zip(commands, guarded_runs(with_work.url, out), strict=True))
    return _READS


@pytest.mark.parametrize(
    ("args", "code"),
    [(a, "0") for a in COMMANDS] + [(a, "1") for a in REFUSED] + [(a, "5") for a in BROKEN],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else f"exit {v}",
)
def test_a_core_read_loads_no_sqlalchemy_or_pydantic(
    reads: dict[tuple[str, ...], Guarded], args: tuple[str, ...], code: str
) -> None:
    result = reads[args]
    assert result.code == code, result
    assert result.found == "[]", result.found


def test_the_guard_sees_the_session_path(with_work: Store, tmp_path: Path) -> None:
    """The check above can fail: the same kind of command through a unit of work is seen."""
    if not with_work.url.startswith("sqlite"):
        pytest.skip("SQLite only")
    (result,) = guarded_runs(with_work.url, [("inbox", "comment", "1", "again")])
    assert result.code == "0", result
    assert "sqlalchemy" in result.found


@pytest.mark.both_stores
def test_the_core_reads_run_on_both_stores(bo: Bo, with_work: Store, tmp_path: Path) -> None:
    """The SQL text is the same on PostgreSQL, where the Reader wraps a session."""
    for args in COMMANDS:
        code, _, err = bo(*(a.replace("OUT", str(tmp_path)) for a in args))
        assert code == 0, (args, err)
    code, out, _ = bo("inbox", "show", "1")
    assert "employee:7" in out and "boadmin: Ordered" in out
    code, out, _ = bo("audit", "log", "--entity", "work_item", "--action", "comment", "-f", "csv")
    assert code == 0 and out.count("\n") == 2, out
    for args in REFUSED:
        code, _, err = bo(*args)
        assert code == 1 and err.startswith("bo: not found"), (args, err)
    code, _, err = bo(*BROKEN[0])
    assert code == 5 and "differs from the anchor" in err, err


@pytest.mark.both_stores
def test_db_check_reads_every_check_through_one_reader(bo: Bo, with_work: Store) -> None:
    """Every check runs through the Reader (on PostgreSQL a session's): all of them pass on a
    sound store, the ledger's period checks among them (``bo`` here runs with ``-v``, which
    lists every check)."""
    code, out, err = bo("db", "check", "-f", "json")
    assert code == 0, err
    results = {r["check"]: r["result"] for r in json.loads(out)}
    assert set(results.values()) == {"ok"}, results
    for name in (
        "audit chain",
        "ledger: month closes and reopens are audited",
        "control accounts: lines only from their sub-ledgers",
        "IT asset register cost = ledger",
        "month-end snapshots",
        "hr pay run totals",
        "logistics: stock ledger = inventory account",
    ):
        assert name in results, sorted(results)
