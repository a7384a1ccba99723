"""Keyset paging in QuerySource agrees with a brute-force ordering, in every direction."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column as SAColumn
from sqlalchemy import Integer, MetaData, String, Table, event, select

from bo_console.core.db import Store
from bo_console.core.paging import Column, QuerySource, _after_prefix, text_filter

metadata = MetaData()
thing = Table(
    "thing",
    metadata,
    SAColumn("id", Integer, primary_key=True),
    SAColumn("name", String),
    SAColumn("grp", Integer),
    SAColumn("name_key", String),
)

Data = list[tuple[str | None, int | None]]


def _make(tmp_path: Path, rows: Data) -> Store:
    path = tmp_path / "things.db"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT, grp INTEGER, name_key TEXT)"
    )
    conn.execute("CREATE INDEX ix_thing_name_key ON thing (name_key)")
    conn.execute("CREATE INDEX ix_thing_grp ON thing (grp)")
    conn.executemany(
        "INSERT INTO thing (name, grp, name_key) VALUES (?, ?, lower(?))",
        [(name, grp, name) for name, grp in rows],
    )
    conn.commit()
    conn.close()
    return Store(f"sqlite:///{path}")


def _source(store: Store, block: int = 7) -> QuerySource:
    return QuerySource(
        store,
        select(thing.c.id, thing.c.name, thing.c.grp),
        thing.c.id,
        [
            Column("id", "ID", 6, "right", sort=thing.c.id),
            # Shown as typed, sorted by the lower-cased, indexed form.
            Column("name", "Name", 10, sort=thing.c.name_key),
            Column("grp", "Group", 5, "right", sort=thing.c.grp),
        ],
        filter_fn=text_filter(thing.c.name),
        block_size=block,
        cache_blocks=3,
    )


def _name(i: int) -> str | None:
    n = random.Random(i).randint(0, 40)
    # Mixed case makes the shown value and the sort value differ; some names are missing.
    return None if n % 9 == 0 else (f"N{n:02d}" if i % 2 else f"n{n:02d}")


ROWS: Data = [(_name(i), None if i % 11 == 0 else i % 5) for i in range(250)]


def _expected(data: Data, sort: str | None, descending: bool, needle: str = "") -> list[int]:
    """The order the console promises: NULLs first ascending (last descending), id breaks ties."""
    keyed = [
        (i + 1, name, grp)
        for i, (name, grp) in enumerate(data)
        if not needle or (name is not None and needle.lower() in name.lower())
    ]

    def order(row: tuple[int, str | None, int | None]) -> tuple[Any, ...]:
        value: Any = {"name": row[1].lower() if row[1] else None, "grp": row[2]}.get(sort or "")
        if sort in (None, "id"):
            return (row[0],)
        return (value is not None, value if value is not None else 0, row[0])

    keyed.sort(key=order, reverse=descending)
    return [r[0] for r in keyed]


@pytest.mark.parametrize("sort", [None, "id", "name", "grp"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_access_pattern_matches_brute_force(
    tmp_path: Path, sort: str | None, descending: bool
) -> None:
    source = _source(_make(tmp_path, ROWS))
    source.set_sort(sort, descending)
    expected = _expected(ROWS, sort, descending)
    assert source.count() == len(expected)
    # forward, one row at a time
    assert [source.key_of(r) for r in source.rows(0, 250)] == expected
    # backward from the end (reverse block first, then keyset before)
    source.invalidate()
    assert [source.key_of(source.row(p) or {}) for p in range(249, -1, -1)] == expected[::-1]
    # random jumps (OFFSET) mixed with neighbours
    source.invalidate()
    rng = random.Random(7)
    for _ in range(200):
        position = rng.randrange(250)
        row = source.row(position)
        assert row is not None and source.key_of(row) == expected[position]


@pytest.mark.parametrize("descending", [False, True])
def test_ties_and_nulls_across_block_edges(tmp_path: Path, descending: bool) -> None:
    # Long runs of one value and of NULL, longer than a block, so every block edge is a tie.
    data: Data = [(None if i % 3 == 0 else "same", i % 2 or None) for i in range(60)]
    source = _source(_make(tmp_path, data), block=4)
    for sort in ("name", "grp"):
        source.set_sort(sort, descending)
        expected = _expected(data, sort, descending)
        assert [source.key_of(r) for r in source.rows(0, 60)] == expected
        source.invalidate()
        assert [source.key_of(source.row(p) or {}) for p in range(59, -1, -1)] == expected[::-1]


def test_sequential_reads_use_keyset_not_offset(tmp_path: Path) -> None:
    store = _make(tmp_path, ROWS)
    source = _source(store)
    source.set_sort("name", descending=True)
    statements: list[tuple[str, tuple[Any, ...]]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        if "_sort_value" in statement:
            statements.append((statement, tuple(params)))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        source.rows(0, 250)  # forward from the top
        source.invalidate()
        for position in range(249, -1, -1):  # backward from the end
            source.row(position)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    # SQLite's dialect always writes "LIMIT ? OFFSET ?": the offset bound must be 0.
    assert statements and all(s.endswith("OFFSET ?") and p[-1] == 0 for s, p in statements)
    # Every keyset step is an index range: no full scan, no sort in a temporary b-tree.
    conn = sqlite3.connect(tmp_path / "things.db")
    for statement, params in statements:
        if "WHERE" not in statement:
            continue
        plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {statement}", params))
        assert "SEARCH" in plan and "TEMP B-TREE" not in plan, (statement, plan)
    conn.close()


@pytest.mark.parametrize("sort", [None, "name", "grp"])
def test_iter_rows_streams_everything_in_order(tmp_path: Path, sort: str | None) -> None:
    source = _source(_make(tmp_path, ROWS))
    source.set_sort(sort, descending=True)
    source.set_filter("n")  # NULL names drop out
    expected = _expected(ROWS, sort, True, "n")
    assert [source.key_of(r) for r in source.iter_rows(batch=9)] == expected
    assert source._blocks == {}  # the screen's cache is untouched


def test_filter_count_and_rows(tmp_path: Path) -> None:
    source = _source(_make(tmp_path, ROWS))
    source.set_filter("n1")
    expected = _expected(ROWS, "id", False, "n1")
    assert 0 < source.count() == len(expected) < len(ROWS)
    assert [source.key_of(r) for r in source.rows(0, 1000)] == expected
    assert source.row(len(expected)) is None
    assert source.row(-1) is None
    source.set_filter("   ")
    assert source.count() == len(ROWS)


def test_text_filter_takes_wildcards_literally(tmp_path: Path) -> None:
    source = _source(_make(tmp_path, [("50% off", 1), ("500 off", 2), ("a_b", 3), ("axb", 4)]))
    source.set_filter("0%")
    assert [r["name"] for r in source.rows(0, 10)] == ["50% off"]
    source.set_filter("a_b")
    assert [r["name"] for r in source.rows(0, 10)] == ["a_b"]


def test_text_filter_prefix_is_exact_and_uses_the_index(tmp_path: Path) -> None:
    names = ["Omar", "Omar Ali", "omari", "Salma Omar", "Omas", "Oma", "O%mar", "Omar\U0010ffff"]
    store = _make(tmp_path, [(n, 1) for n in names])
    source = _source(store)
    source.filter_fn = text_filter(thing.c.name, prefix=True)
    source.set_filter("Omar")
    assert [r["name"] for r in source.rows(0, 10)] == ["Omar", "Omar Ali", "Omar\U0010ffff"]
    source.set_filter("O%")
    assert [r["name"] for r in source.rows(0, 10)] == ["O%mar"]
    # On a lower-cased, indexed column with the same transform it ignores case.
    source.filter_fn = text_filter(thing.c.name_key, prefix=True, transform=str.lower)
    source.set_filter("OMAR")
    assert [r["name"] for r in source.rows(0, 10)] == [
        "Omar",
        "Omar Ali",
        "omari",
        "Omar\U0010ffff",
    ]
    condition = source.filter_fn("omar")
    assert condition is not None
    statement = select(thing.c.id).where(condition).compile(store.engine)
    conn = sqlite3.connect(tmp_path / "things.db")
    params = [statement.params[name] for name in statement.positiontup or []]
    plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {statement}", params))
    conn.close()
    assert "USING COVERING INDEX ix_thing_name_key (name_key>? AND name_key<?)" in plan


def test_prefix_upper_bound() -> None:
    assert _after_prefix("abc") == "abd"
    assert _after_prefix("a\U0010ffff") == "b"
    assert _after_prefix("\U0010ffff") is None
    assert _after_prefix("x\ud7ff") == "x\ue000"


def test_empty_and_single_row(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "one").mkdir()
    source = _source(_make(tmp_path / "empty", []))
    assert source.count() == 0 and source.row(0) is None and source.rows(0, 10) == []
    source.set_sort("name", descending=True)
    assert source.count() == 0 and source.row(0) is None
    one = _source(_make(tmp_path / "one", [("only", 1)]))
    for sort in (None, "name", "grp"):
        for descending in (False, True):
            one.set_sort(sort, descending)
            assert one.count() == 1 and one.key_of(one.row(0) or {}) == 1
            assert one.row(1) is None


def test_rows_carry_their_key_and_shown_values(tmp_path: Path) -> None:
    source = _source(_make(tmp_path, [("Zed", 4)]))
    source.set_sort("name")
    row = source.row(0)
    assert row is not None
    assert (row["id"], row["name"], row["grp"], source.key_of(row)) == (1, "Zed", 4, 1)


def test_only_indexed_columns_sort(tmp_path: Path) -> None:
    store = _make(tmp_path, ROWS)
    source = QuerySource(
        store,
        select(thing.c.id, thing.c.name),
        thing.c.id,
        [Column("id", "ID", 6), Column("name", "Name", 10)],
    )
    assert source.sortable == []
    with pytest.raises(ValueError, match="cannot sort"):
        source.set_sort("name")


def test_invalidate_sees_new_rows(tmp_path: Path) -> None:
    store = _make(tmp_path, ROWS[:10])
    source = _source(store)
    assert source.count() == 10
    with store.write() as session:
        session.execute(thing.insert().values(name="new", grp=1))
    assert source.count() == 10  # cached until asked to forget
    source.invalidate()
    assert source.count() == 11
    assert source.key_of(source.row(10) or {}) == 11
