"""Partial indexes: the same WHERE in SQLite and PostgreSQL DDL, without loading PostgreSQL's
dialect into SQLite processes."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex


def test_partial_index_has_its_where_in_both_dialects() -> None:
    from bo_console.finance.models import Entry

    index = next(i for i in Entry.__table__.indexes if i.name == "ix_fin_entry_source_ref")  # type: ignore[attr-defined]
    where = "WHERE source_ref IS NOT NULL AND state IN ('draft', 'posted')"
    for dialect in (postgresql.dialect(), sqlite.dialect()):  # type: ignore[no-untyped-call]
        ddl = str(CreateIndex(index).compile(dialect=dialect))
        assert ddl.startswith("CREATE UNIQUE INDEX ix_fin_entry_source_ref ON fin_entry")
        assert ddl.endswith(where)


TABLE_MODULES = (
    "bo_console.core.models",
    "bo_console.finance.models",
    "bo_console.finance.document_models",
    "bo_console.hr.models",
    "bo_console.it.models",
    "bo_console.logistics.models",
)


def test_no_department_s_tables_load_the_postgresql_dialect() -> None:
    """A partial index written with ``postgresql_where`` would load the dialect (and asyncpg's
    module) into every process that imports the tables: about 17 ms of a list command."""
    code = (
        f"import sys, importlib; [importlib.import_module(m) for m in {TABLE_MODULES!r}]; "
        "print(sorted(m for m in sys.modules if 'dialects.postgresql' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_hr_and_documents_partial_indexes_keep_their_where() -> None:
    from bo_console.finance.document_models import Document
    from bo_console.hr.models import PayRun

    pay_run, document = PayRun.__table__, Document.__table__  # type: ignore[attr-defined]
    for table, name, where in (
        (pay_run, "ux_hr_pay_run_period", "WHERE status <> 'discarded' AND kind = 'monthly'"),
        (document, "ix_fin_document_voids", "WHERE voids_id IS NOT NULL"),
    ):
        index = next(i for i in table.indexes if i.name == name)
        for dialect in (postgresql.dialect(), sqlite.dialect()):  # type: ignore[no-untyped-call]
            ddl = str(CreateIndex(index).compile(dialect=dialect))
            assert ddl.startswith(f"CREATE UNIQUE INDEX {name} ON ")
            assert ddl.endswith(where)
