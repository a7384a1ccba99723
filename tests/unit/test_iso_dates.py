"""Every DATE column of the store refuses a value that is not a ``YYYY-MM-DD`` date, whatever
revision added it (raw SQL, as a ``sqlite3`` session would write it)."""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Iterator

import pytest

from bo_console.core.db import Store

DATE_COLUMNS = importlib.import_module(
    "bo_console.migrations.versions.0020_store_fixes"
).DATE_COLUMNS


@pytest.fixture
def conn(store: Store) -> Iterator[sqlite3.Connection]:
    assert store.path is not None
    connection = sqlite3.connect(store.path, isolation_level=None)
    yield connection
    connection.close()


def date_columns(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
        "WHERE m.type = 'table' AND upper(p.type) = 'DATE' ORDER BY m.name, p.cid"
    ).fetchall()


def test_every_date_column_has_its_iso_triggers(conn: sqlite3.Connection) -> None:
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    columns = date_columns(conn)
    assert ("lg_stock_move", "date") in columns and ("hr_salary_line", "effective_from") in columns
    missing = [
        f"{table}.{column}"
        for table, column in columns
        if not {f"{table}_{column}_iso_insert", f"{table}_{column}_iso_update"} <= triggers
    ]
    assert missing == []


@pytest.mark.parametrize(("table", "column"), DATE_COLUMNS)
def test_raw_writes_of_other_date_formats_are_refused(
    conn: sqlite3.Connection, table: str, column: str
) -> None:
    for value in (20261103, "2026-11-3", "2026-02-30", "2026-11-03 00:00:00"):
        with pytest.raises(sqlite3.IntegrityError, match="YYYY-MM-DD"):
            conn.execute(f"INSERT INTO {table} ({column}) VALUES (?)", (value,))
    # A real date gets past the guard (and stops at the next missing column).
    with pytest.raises(sqlite3.IntegrityError) as caught:
        conn.execute(f"INSERT INTO {table} ({column}) VALUES ('2026-11-03')")
    assert "YYYY-MM-DD" not in str(caught.value)
