"""Keyset paging in QuerySource agrees with a brute-force ordering, in every direction."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Column as SAColumn
from sqlalchemy import Integer, MetaData, String, Table, select

from bo_console.core.db import Store
from bo_console.core.paging import Column, QuerySource

metadata = MetaData()
thing = Table(
    "thing",
    metadata,
    SAColumn("id", Integer, primary_key=True),
    SAColumn("name", String),
    SAColumn("grp", Integer),
)


def _make(tmp_path: Path, rows: list[tuple[str, int]]) -> Store:
    path = tmp_path / "things.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT, grp INTEGER)")
    conn.execute("CREATE INDEX ix_thing_name ON thing (name)")
    conn.execute("CREATE INDEX ix_thing_grp ON thing (grp)")
    conn.executemany("INSERT INTO thing (name, grp) VALUES (?, ?)", rows)
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
            Column("name", "Name", 10, sort=thing.c.name),
            Column("grp", "Group", 5, "right", sort=thing.c.grp),
        ],
        filter_fn=lambda text: thing.c.name.like(f"%{text}%"),
        block_size=block,
        cache_blocks=3,
    )


ROWS = [(f"n{random.Random(i).randint(0, 40):02d}", i % 5) for i in range(250)]


def _expected(sort: str | None, descending: bool, needle: str = "") -> list[int]:
    data = [(i + 1, name, grp) for i, (name, grp) in enumerate(ROWS) if needle in name]
    index = {"id": 0, "name": 1, "grp": 2}
    if sort is None or sort == "id":
        data.sort(key=lambda r: r[0], reverse=descending)
    else:
        data.sort(key=lambda r: (r[index[sort]], r[0]), reverse=descending)
    return [r[0] for r in data]


@pytest.mark.parametrize("sort", [None, "id", "name", "grp"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_access_pattern_matches_brute_force(
    tmp_path: Path, sort: str | None, descending: bool
) -> None:
    source = _source(_make(tmp_path, ROWS))
    source.set_sort(sort, descending)
    expected = _expected(sort, descending)
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


def test_filter_count_and_rows(tmp_path: Path) -> None:
    source = _source(_make(tmp_path, ROWS))
    source.set_filter("n1")
    expected = _expected("id", False, "n1")
    assert source.count() == len(expected)
    assert [source.key_of(r) for r in source.rows(0, 1000)] == expected
    assert source.row(len(expected)) is None
    assert source.row(-1) is None


def test_empty_and_single_row(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "one").mkdir()
    source = _source(_make(tmp_path / "empty", []))
    assert source.count() == 0 and source.row(0) is None and source.rows(0, 10) == []
    one = _source(_make(tmp_path / "one", [("only", 1)]))
    assert one.count() == 1 and one.key_of(one.row(0) or {}) == 1


def test_only_indexed_columns_sort(tmp_path: Path) -> None:
    store = _make(tmp_path, ROWS)
    source = QuerySource(
        store,
        select(thing.c.id, thing.c.name),
        thing.c.id,
        [Column("id", "ID", 6), Column("name", "Name", 10)],
    )
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
