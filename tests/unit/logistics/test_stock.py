"""The stock ledger: moving-average valuation to the halala, the books tying after every move,
refusals by the services and by the database itself."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation
from bo_console.logistics import service
from tests.unit.logistics.conftest import (
    DAY,
    Team,
    add_item,
    balance,
    buy,
    checks_ok,
    sell,
    ship,
    stock_value,
)


def _db(store: Store) -> sqlite3.Connection:
    assert store.path is not None
    return sqlite3.connect(store.path)


def test_receive_then_deliver_too_much_is_refused(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "GLV-M")
    buy(store, team, "GLV-M", 100, 1000)
    assert stock_value(store) == 100_000 == balance(store, "1310")
    assert balance(store, "2130") == -100_000
    order = sell(store, team, "GLV-M", 100)
    with store.write() as session:
        session.execute(__import__("sqlalchemy").text("UPDATE lg_so_line SET quantity = 120"))
    with pytest.raises(RuleViolation, match="100 on hand"):
        with store.write() as session:
            service.deliver(
                session,
                team.clerk,
                service.DeliveryCreate(
                    order=order,
                    date=DAY,
                    location="DMM/A-01",
                    lines=[service.DeliveryLineCreate(line=1, quantity=120)],
                ),
            )
    assert stock_value(store) == 100_000
    assert checks_ok(store) == {}


def test_moving_average_cogs(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "GWN")
    buy(store, team, "GWN", 100, 1000)
    buy(store, team, "GWN", 100, 1200)
    order = sell(store, team, "GWN", 150)
    ship(store, team.clerk, order, 150)
    assert balance(store, "5110") == 165_000
    assert stock_value(store) == 55_000 == balance(store, "1310")
    assert checks_ok(store) == {}


def test_valuation_ties_to_the_halala_after_every_move(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "MSK")
    for price in (1000, 1001, 1002):
        buy(store, team, "MSK", 3, price)
    order = sell(store, team, "MSK", 9)
    for _ in range(9):
        ship(store, team.clerk, order, 1)
        assert stock_value(store) == balance(store, "1310")
        assert checks_ok(store) == {}
    assert stock_value(store) == 0 and balance(store, "5110") == 9009


def test_raw_sql_negative_move_is_refused(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "NEG")
    buy(store, team, "NEG", 5, 100)
    conn = _db(store)
    with pytest.raises(sqlite3.IntegrityError, match="below zero"):
        conn.execute(
            "INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, "
            "source, source_ref, memo, created_at, created_by) "
            "SELECT id, 1, '2026-11-11', 'issue', -6, -600, 'raw', 'X', '', '2026-11-11', 'x' "
            "FROM lg_item WHERE sku = 'NEG'"
        )
    conn.execute(
        "INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, "
        "source, source_ref, memo, created_at, created_by) "
        "SELECT id, 1, '2026-11-11', 'issue', -5, -500, 'raw', 'X', '', '2026-11-11', 'x' "
        "FROM lg_item WHERE sku = 'NEG'"
    )
    assert conn.execute(
        "SELECT on_hand, stock_value FROM lg_item WHERE sku = 'NEG'"
    ).fetchone() == (0, 0)
    conn.rollback()
    conn.close()


def test_raw_sql_cannot_change_or_delete_moves_or_balances(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "IMM")
    buy(store, team, "IMM", 5, 100)
    conn = _db(store)
    for sql in (
        "UPDATE lg_stock_move SET quantity = 50",
        "DELETE FROM lg_stock_move",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="never changed or deleted"):
            conn.execute(sql)
    for sql in (
        "UPDATE lg_stock_balance SET quantity = 500",
        "DELETE FROM lg_stock_balance",
        "INSERT INTO lg_stock_balance (item_id, location_id, lot_key, quantity) "
        "VALUES (1, 2, 0, 9)",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="kept from the stock moves"):
            conn.execute(sql)
    conn.close()


def test_allow_negative_item(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "SVC", allow_negative=True, standard_cost=500, costing="standard")
    with store.write() as session:
        service.adjust(
            session,
            team.manager,
            location="DMM/A-01",
            on=DAY,
            reason="issued ahead of receipt",
            lines=[service.AdjustmentLine(item="SVC", quantity=-2)],
        )
        assert service.get_item(session, team.clerk, "SVC").on_hand == -2
    assert stock_value(store) == -1000 == balance(store, "1310")
    assert checks_ok(store) == {}


def test_lots_are_required_and_raw_sql_without_lot_is_refused(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "LOT", lot_tracked=True)
    with pytest.raises(Exception, match="tracked by lot"):
        buy(store, team, "LOT", 5, 100)
    buy(store, team, "LOT", 5, 100, lot="L1", expiry=date(2027, 1, 31))
    conn = _db(store)
    with pytest.raises(sqlite3.IntegrityError, match="lot-tracked"):
        conn.execute(
            "INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, "
            "source, source_ref, memo, created_at, created_by) "
            "SELECT id, 1, '2026-11-11', 'receipt', 1, 0, 'raw', 'X', '', '2026-11-11', 'x' "
            "FROM lg_item WHERE sku = 'LOT'"
        )
    conn.close()


def test_closed_period_refuses_backdated_moves(store: Store, team: Team) -> None:
    from bo_console.finance import service as finance

    add_item(store, team.clerk, "OLD")
    with store.write() as session:
        finance.close_period(session, team.admin, "2026-10")
    with pytest.raises(RuleViolation, match="closed"):
        buy(store, team, "OLD", 1, 100, on=date(2026, 10, 15))
    conn = _db(store)
    with pytest.raises(sqlite3.IntegrityError, match="period of this move is closed"):
        conn.execute(
            "INSERT INTO lg_stock_move (item_id, location_id, date, kind, quantity, value, "
            "source, source_ref, memo, created_at, created_by) "
            "SELECT id, 1, '2026-10-11', 'receipt', 1, 0, 'raw', 'X', '', '2026-11-11', 'x' "
            "FROM lg_item WHERE sku = 'OLD'"
        )
    conn.close()


def test_adjustment_needs_a_manager_and_reverses(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "ADJ")
    buy(store, team, "ADJ", 10, 300)
    line = service.AdjustmentLine(item="ADJ", quantity=-4)
    with pytest.raises(PermissionDenied):
        with store.write() as session:
            service.adjust(
                session, team.clerk, location="DMM/A-01", on=DAY, reason="damaged", lines=[line]
            )
    with store.write() as session:
        number = service.adjust(
            session, team.manager, location="DMM/A-01", on=DAY, reason="damaged", lines=[line]
        )
    assert balance(store, "5130") == 1200 and stock_value(store) == 1800
    with store.write() as session:
        service.reverse_adjustment(session, team.manager, number, on=DAY, reason="found them")
    assert balance(store, "5130") == 0 and stock_value(store) == 3000 == balance(store, "1310")
    with pytest.raises(RuleViolation, match="already reversed"):
        with store.write() as session:
            service.reverse_adjustment(session, team.manager, number, on=DAY, reason="again")
    assert checks_ok(store) == {}


def test_transfer_keeps_value_and_needs_stock(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "TRF")
    buy(store, team, "TRF", 3, 1000)
    with store.write() as session:
        service.transfer(
            session,
            team.clerk,
            item="TRF",
            quantity=2,
            source="DMM/A-01",
            target="DMM/A-02",
            on=DAY,
        )
    with store.read() as session:
        rows = {r.location: r.quantity for r in service.on_hand(session, team.clerk, "TRF")}
    assert rows == {"DMM/A-01": 1, "DMM/A-02": 2}
    with pytest.raises(RuleViolation, match="1 on hand"):
        with store.write() as session:
            service.transfer(
                session,
                team.clerk,
                item="TRF",
                quantity=2,
                source="DMM/A-01",
                target="DMM/A-02",
                on=DAY,
            )
    assert stock_value(store) == 3000 and checks_ok(store) == {}


def test_valuation_as_of_a_date_is_stable(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "VAL")
    buy(store, team, "VAL", 10, 100, on=date(2026, 10, 20))
    with store.read() as session:
        before = service.valuation(session, team.clerk, as_of=date(2026, 10, 31))
    buy(store, team, "VAL", 10, 300, on=date(2026, 11, 20))
    with store.read() as session:
        after = service.valuation(session, team.clerk, as_of=date(2026, 10, 31))
        now = service.valuation(session, team.clerk)
    assert before == after and after[0].value == 1000
    assert now[0].value == 4000 and now[0].average_cost == 200


def test_db_check_catches_a_tampered_item_value(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "TMP")
    buy(store, team, "TMP", 2, 100)
    conn = _db(store)
    conn.execute("UPDATE lg_item SET stock_value = 999 WHERE sku = 'TMP'")
    conn.commit()
    conn.close()
    failing = checks_ok(store)
    assert "logistics: item totals" in failing
    assert "logistics: item values = their moves" in failing


def test_take_on_brings_in_exactly_what_the_books_hold(store: Store, team: Team) -> None:
    from bo_console.finance import service as finance
    from bo_console.finance.models import EntryCreate, LineCreate
    from bo_console.logistics.adjustments import AdjustmentLine, take_on

    add_item(store, team.clerk, "OLDSTOCK")
    with store.write() as session:
        finance.post_entry(
            session,
            team.admin,
            EntryCreate(
                date=DAY,
                source="opening",
                lines=[
                    LineCreate(account="1310", debit=1001),
                    LineCreate(account="3900", credit=1001),
                ],
            ),
        )
    assert checks_ok(store) != {}
    lines = [("DMM/A-01", AdjustmentLine("OLDSTOCK", 3, unit_cost=333))]
    with pytest.raises(RuleViolation, match="1001 minor units"):
        with store.write() as session:
            take_on(session, team.manager, on=DAY, lines=lines)
    lines.append(("DMM/A-02", AdjustmentLine("OLDSTOCK", 1, unit_cost=2)))
    with store.write() as session:
        take_on(session, team.manager, on=DAY, lines=lines)
        # The item the session holds has the totals the moves' triggers wrote.
        item = service.find_item(session, "OLDSTOCK")
        assert (item.on_hand, item.stock_value) == (4, 1001)
    assert stock_value(store) == 1001 == balance(store, "1310")
    assert checks_ok(store) == {}
