"""The documents' PostgreSQL triggers refuse what the SQLite ones refuse.

Runs only when ``BO_TEST_PSQL`` holds ``psql`` connection options for a server the test may
create a database on (as ``test_postgres_triggers.py``); the schema is compiled for
PostgreSQL from the models, the triggers come from the ``0002`` and ``0004`` migrations, and
the checks in ``documents_postgres_checks.sql`` go through ``psql``.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import uuid
from pathlib import Path
from types import ModuleType

import pytest

PSQL = os.environ.get("BO_TEST_PSQL")
pytestmark = pytest.mark.skipif(
    not PSQL or shutil.which("psql") is None,
    reason="set BO_TEST_PSQL to psql connection options to test against PostgreSQL",
)
VERSIONS = Path(__file__).resolve().parents[3] / "src/bo_console/migrations/versions"
TABLES = [
    "console_user",
    "fin_account",
    "fin_period",
    "fin_entry",
    "fin_line",
    "fin_balance",
    "fin_party",
    "fin_tax_code",
    "fin_document",
    "fin_document_line",
    "fin_payment",
    "fin_allocation",
]
CHECKS = Path(__file__).with_name("documents_postgres_checks.sql")


def _migration(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py"), VERSIONS / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    out += [f"{s};" for s in _migration("0002_ledger.py").LEDGER_TRIGGERS["postgresql"]]
    documents = _migration("0004_receivables_payables.py")
    out += [f"{s};" for s in documents.DOCUMENT_TRIGGERS["postgresql"]]
    return "\n".join(out)


def _psql(*args: str, sql: str | None = None) -> None:
    assert PSQL is not None
    done = subprocess.run(
        ["psql", *shlex.split(PSQL), "-q", "-v", "ON_ERROR_STOP=1", *args],
        input=sql,
        text=True,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr


def test_postgres_triggers_refuse_what_sqlite_refuses() -> None:
    database = f"bo_documents_{uuid.uuid4().hex[:8]}"
    _psql("-d", "postgres", "-c", f"CREATE DATABASE {database}")
    try:
        _psql("-d", database, sql=_schema())
        _psql("-d", database, sql=CHECKS.read_text())
    finally:
        _psql("-d", "postgres", "-c", f"DROP DATABASE {database}")
