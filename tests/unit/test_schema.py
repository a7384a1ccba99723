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


def test_finance_tables_do_not_load_the_postgresql_dialect() -> None:
    code = (
        "import sys, bo_console.finance.models; "
        "print(any('dialects.postgresql' in m for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
