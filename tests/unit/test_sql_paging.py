"""SqlSource pages SQL text through a Reader exactly as QuerySource pages a select()."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bo_console.core.db import Store
from bo_console.core.paging import Column
from bo_console.core.sql_paging import KeptReading, SqlQuery, SqlSource
from tests.unit.test_paging import ROWS, Data, _expected, _make


def _query(text: str) -> SqlQuery:
    """The things, with the ``/`` text as a contains match on the name (as text_filter)."""
    sql = "SELECT t.id AS id, t.name AS name, t.grp AS grp, t.name_key AS name_key FROM thing AS t"
    if not text:
        return sql, {}
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"{sql} WHERE t.name LIKE :needle ESCAPE '/'", {"needle": f"%{escaped}%"}


def _source(store: Store, block: int = 7) -> SqlSource:
    return SqlSource(
        store,
        _query,
        ["id", "name", "grp", "name_key"],
        "id",
        [
            Column("id", "ID", 6, "right", sort="id"),
            Column("name", "Name", 10, sort="name_key"),
            Column("grp", "Group", 5, "right", sort="grp"),
        ],
        block_size=block,
        cache_blocks=3,
    )


@pytest.mark.parametrize("sort", [None, "id", "name", "grp"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_access_pattern_matches_brute_force(
    tmp_path: Path, sort: str | None, descending: bool
) -> None:
    source = _source(_make(tmp_path, ROWS))
    source.set_sort(sort, descending)
    expected = _expected(ROWS, sort, descending)
    assert source.count() == len(expected)
    assert [source.key_of(r) for r in source.rows(0, 250)] == expected
    source.invalidate()
    assert [source.key_of(source.row(p) or {}) for p in range(249, -1, -1)] == expected[::-1]
    source.invalidate()
    rng = random.Random(7)
    for _ in range(100):
        position = rng.randrange(250)
        row = source.row(position)
        assert row is not None and source.key_of(row) == expected[position]


@pytest.mark.parametrize("descending", [False, True])
def test_ties_and_nulls_across_block_edges(tmp_path: Path, descending: bool) -> None:
    data: Data = [(None if i % 3 == 0 else "same", i % 2 or None) for i in range(60)]
    source = _source(_make(tmp_path, data), block=4)
    for sort in ("name", "grp"):
        source.set_sort(sort, descending)
        expected = _expected(data, sort, descending)
        assert [source.key_of(r) for r in source.rows(0, 60)] == expected
        source.invalidate()
        assert [source.key_of(source.row(p) or {}) for p in range(59, -1, -1)] == expected[::-1]


def test_filter_export_and_wildcards(tmp_path: Path) -> None:
    source = _source(_make(tmp_path, ROWS))
    source.set_sort("name", descending=True)
    source.set_filter("n1")
    expected = _expected(ROWS, "name", True, "n1")
    assert 0 < source.count() == len(expected) < len(ROWS)
    assert [source.key_of(r) for r in source.iter_rows(batch=5)] == expected
    assert source._blocks == {}
    (tmp_path / "x").mkdir()
    literal = _source(_make(tmp_path / "x", [("50% off", 1), ("500 off", 2), ("a_b", 3)]))
    literal.set_filter("0%")
    assert [r["name"] for r in literal.rows(0, 10)] == ["50% off"]


def test_keyset_steps_are_index_ranges(tmp_path: Path) -> None:
    """The wrapped query still reads one index range a block: SQLite folds the subquery."""
    store = _make(tmp_path, ROWS)
    source = _source(store)
    source.set_sort("name", descending=True)
    seen: list[tuple[str, dict[str, Any]]] = []
    reading = source.reading

    class Spy:
        def __init__(self, reader: Any) -> None:
            self.reader = reader

        def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
            seen.append((sql, dict(params or {})))
            return list(self.reader.rows(sql, params))

        def scalar(self, sql: str, params: dict[str, Any] | None = None) -> Any:
            return self.reader.scalar(sql, params)

    from contextlib import contextmanager

    @contextmanager
    def spied() -> Any:
        with reading() as reader:
            yield Spy(reader)

    source.reading = spied  # type: ignore[assignment]
    source.rows(0, 250)
    stepped = [(sql, params) for sql, params in seen if "WHERE" in sql]
    assert stepped and all("OFFSET" not in sql for sql, _ in seen)
    conn = sqlite3.connect(tmp_path / "things.db")
    for sql, params in stepped:
        plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "SEARCH" in plan and "TEMP B-TREE" not in plan, (sql, plan)
    conn.close()


def test_convert_and_rows_match_the_stored_values(tmp_path: Path) -> None:
    path = tmp_path / "days.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE day (id INTEGER PRIMARY KEY, day DATE)")
    conn.executemany("INSERT INTO day (day) VALUES (?)", [("2026-01-02",), ("2026-01-01",)])
    conn.commit()
    conn.close()
    source = SqlSource(
        Store(f"sqlite:///{path}"),
        lambda _text: ("SELECT d.id AS id, d.day AS day FROM day AS d", {}),
        ["id", "day"],
        "id",
        [Column("id", "ID", 3), Column("day", "Day", 10, sort="day")],
        sort_key="day",
        convert={"day": date.fromisoformat},
    )
    first = source.row(0)
    assert first is not None
    assert (first["id"], first["day"], first["_sort_value"]) == (2, date(2026, 1, 1), "2026-01-01")


def test_unknown_sort_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="sorts by"):
        SqlSource(
            _make(tmp_path, []),
            _query,
            ["id", "name"],
            "id",
            [Column("name", "Name", 10, sort="nosuch")],
        )


def test_reading_pages_imports_no_sql_toolkit(tmp_path: Path) -> None:
    """Paging through SQL text loads neither SQLAlchemy nor pydantic."""
    _make(tmp_path, ROWS)
    code = f"""
import sys
from bo_console.core.db import Store
from bo_console.core.paging import Column
from bo_console.core.sql_paging import SqlSource
source = SqlSource(
    Store("sqlite:///{tmp_path / "things.db"}"),
    lambda text: ("SELECT t.id AS id, t.name AS name FROM thing AS t", {{}}),
    ["id", "name"], "id", [Column("name", "Name", 10)],
)
assert source.count() == 250 and len(source.rows(0, 250)) == 250
loaded = sorted(m for m in ("sqlalchemy", "sqlmodel", "pydantic") if m in sys.modules)
print(",".join(loaded))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_kept_reading_keeps_one_connection_per_thread_and_no_transaction(tmp_path: Path) -> None:
    store = _make(tmp_path, ROWS[:3])
    kept = KeptReading(store)
    with kept() as first:
        assert first.scalar("SELECT count(*) FROM thing") == 3
        connection = first.connection  # type: ignore[attr-defined]
        assert connection.in_transaction
    # Between reads nothing is held: a writer commits, the next read sees it.
    assert not connection.in_transaction
    writer = sqlite3.connect(tmp_path / "things.db")
    writer.execute("INSERT INTO thing (name, grp, name_key) VALUES ('new', 1, 'new')")
    writer.commit()
    writer.close()
    with kept() as again:
        assert again.connection is connection  # type: ignore[attr-defined]
        assert again.scalar("SELECT count(*) FROM thing") == 4
    other: list[Any] = []

    def elsewhere() -> None:
        with kept() as reader:
            other.append(reader.connection)  # type: ignore[attr-defined]

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert other and other[0] is not connection
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        with kept() as reader:
            reader.connection.execute("DELETE FROM thing")  # type: ignore[attr-defined]
    assert not connection.in_transaction
