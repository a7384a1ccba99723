"""The ledger's PostgreSQL triggers refuse what the SQLite ones refuse.

Runs only when ``BO_TEST_PSQL`` holds ``psql`` connection options for a server the test may
create a database on, e.g. ``BO_TEST_PSQL="-h /tmp/pg -p 5432 -U postgres"``; the project
has no PostgreSQL driver among its dependencies, so the schema (compiled for PostgreSQL from
the models) and the checks go through ``psql``.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

PSQL = os.environ.get("BO_TEST_PSQL")
pytestmark = pytest.mark.skipif(
    not PSQL or shutil.which("psql") is None,
    reason="set BO_TEST_PSQL to psql connection options to test against PostgreSQL",
)
MIGRATION = (
    Path(__file__).resolve().parents[3] / "src/bo_console/migrations/versions/0002_ledger.py"
)
TABLES = ["console_user", "fin_account", "fin_period", "fin_entry", "fin_line", "fin_balance"]


def _schema() -> str:
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    import bo_console.models_registry  # noqa: F401  (registers the tables)

    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    out = []
    for name in TABLES:
        table = SQLModel.metadata.tables[name]
        out.append(f"{CreateTable(table).compile(dialect=dialect)};")
        out += [f"{CreateIndex(index).compile(dialect=dialect)};" for index in table.indexes]
    spec = importlib.util.spec_from_file_location("ledger_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out += [f"{statement};" for statement in module.LEDGER_TRIGGERS["postgresql"]]
    return "\n".join(out)


CHECKS = Path(__file__).with_name("postgres_checks.sql")


def _psql(*args: str, sql: str | None = None) -> None:
    assert PSQL is not None
    subprocess.run(
        ["psql", *shlex.split(PSQL), "-q", "-v", "ON_ERROR_STOP=1", *args],
        input=sql,
        text=True,
        check=True,
        capture_output=True,
    )


def test_postgres_triggers_refuse_what_sqlite_refuses() -> None:
    database = f"bo_ledger_{uuid.uuid4().hex[:8]}"
    _psql("-d", "postgres", "-c", f"CREATE DATABASE {database}")
    try:
        _psql("-d", database, sql=_schema())
        _psql("-d", database, sql=CHECKS.read_text())
    finally:
        _psql("-d", "postgres", "-c", f"DROP DATABASE {database}")
