"""Monthly stock totals (valuation as at a date reads months, not moves) and the Stock tab's
source: filter by item id or document number, counted on the ledger alone."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.logistics import service
from bo_console.logistics.sources import move_source
from tests.unit.logistics.conftest import Team, add_item, buy, sell, ship


def _db(store: Store) -> sqlite3.Connection:
    assert store.path is not None
    return sqlite3.connect(store.path)


def _history(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "AAA")
    add_item(store, team.clerk, "BBB", barcodes=["6280000000017"])
    buy(store, team, "AAA", 10, 100, on=date(2026, 7, 5))
    buy(store, team, "BBB", 4, 250, on=date(2026, 7, 20))
    buy(store, team, "AAA", 10, 300, on=date(2026, 8, 14))
    ship(
        store, team.clerk, sell(store, team, "AAA", 7, on=date(2026, 9, 2)), 7, on=date(2026, 9, 3)
    )
    buy(store, team, "BBB", 6, 200, on=date(2026, 10, 1))
    ship(
        store,
        team.clerk,
        sell(store, team, "BBB", 10, on=date(2026, 10, 9)),
        10,
        on=date(2026, 10, 30),
    )
    buy(store, team, "AAA", 1, 500, on=date(2026, 11, 2))
    buy(store, team, "AAA", 2, 400, on=date(2026, 7, 25))  # back-dated: later months move too


def _from_moves(store: Store, on: date) -> list[tuple[str, int, int]]:
    """The valuation as at ``on`` summed from every move: what the monthly totals must give."""
    conn = _db(store)
    rows = conn.execute(
        "SELECT i.sku, SUM(m.quantity), SUM(m.value) FROM lg_stock_move m "
        "JOIN lg_item i ON i.id = m.item_id WHERE m.date <= ? GROUP BY i.sku "
        "HAVING SUM(m.quantity) <> 0 OR SUM(m.value) <> 0 ORDER BY i.sku",
        (on.isoformat(),),
    ).fetchall()
    conn.close()
    return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]


def test_valuation_as_at_any_date_equals_the_moves_summed(store: Store, team: Team) -> None:
    _history(store, team)
    dates = [
        date(2026, 6, 30),
        date(2026, 7, 5),
        date(2026, 7, 19),
        date(2026, 8, 10),
        date(2026, 8, 20),
        date(2026, 8, 31),
        date(2026, 9, 2),
        date(2026, 9, 3),
        date(2026, 10, 5),
        date(2026, 10, 29),
        date(2026, 10, 30),
        date(2026, 11, 1),
        date(2026, 11, 30),
        date(2027, 3, 1),
    ]
    with store.read() as session:
        for on in dates:
            got = service.valuation(session, team.clerk, as_of=on)
            assert [(r.sku, r.quantity, r.value) for r in got] == _from_moves(store, on), on
    assert _from_moves(store, date(2026, 10, 30)) == [("AAA", 15, 3400)]


def test_monthly_totals_are_running_totals_that_follow_the_moves(store: Store, team: Team) -> None:
    _history(store, team)
    conn = _db(store)
    months = conn.execute(
        "SELECT i.sku, s.period, s.quantity FROM lg_stock_month s JOIN lg_item i "
        "ON i.id = s.item_id ORDER BY i.sku, s.period"
    ).fetchall()
    conn.close()
    assert months == [  # running totals at each month end the item moved in
        ("AAA", "2026-07", 12),
        ("AAA", "2026-08", 22),
        ("AAA", "2026-09", 15),
        ("AAA", "2026-11", 16),
        ("BBB", "2026-07", 4),
        ("BBB", "2026-10", 0),
    ]


def test_raw_sql_cannot_write_the_monthly_totals(store: Store, team: Team) -> None:
    _history(store, team)
    conn = _db(store)
    for sql in (
        "UPDATE lg_stock_month SET quantity = 500",
        "DELETE FROM lg_stock_month",
        "INSERT INTO lg_stock_month (item_id, period, quantity, value) VALUES (1, '2026-01', 9, 9)",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="kept from the stock moves"):
            conn.execute(sql)
    conn.close()


def test_stock_tab_filters_by_item_or_document_and_counts_the_ledger(
    store: Store, team: Team
) -> None:
    _history(store, team)
    source, _ = move_source(store, team.clerk)
    assert source.count() == 8
    source.set_filter("aaa")
    assert source.count() == 5
    assert {r["sku"] for r in source.block(0)} == {"AAA"}
    source.set_filter("6280000000017")
    assert source.count() == 3
    assert [r["quantity"] for r in source.block(0)] == [-10, 6, 4]
    source.set_filter("DN-")
    assert source.count() == 2 and {r["kind"] for r in source.block(0)} == {"issue"}
    source.set_filter("nothing-like-it")
    assert source.count() == 0 and source.block(0) == []


def test_db_check_catches_monthly_totals_out_of_step(store: Store, team: Team) -> None:
    from tests.unit.logistics.conftest import checks_ok

    _history(store, team)
    assert checks_ok(store) == {}
    conn = _db(store)
    conn.execute("DROP TRIGGER lg_stock_month_update_guard")
    conn.execute("UPDATE lg_stock_month SET quantity = quantity + 1 WHERE period = '2026-11'")
    conn.commit()
    conn.close()
    assert set(checks_ok(store)) == {"logistics: monthly totals"}
