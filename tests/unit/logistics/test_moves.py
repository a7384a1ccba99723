"""A document's stock moves written in one statement: each costed on the item's running
average after the moves before it, stock checked per lot, the balances kept by the triggers,
and the item the session holds equal to what the database has."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics import service
from tests.unit.logistics.conftest import (
    DAY,
    Team,
    add_item,
    buy,
    checks_ok,
    sell,
    ship,
    stock_value,
)

EARLY, LATE = date(2027, 3, 1), date(2027, 9, 1)


def _two_lots(store: Store, team: Team) -> None:
    """L-1: 3 units in lot A at 10.00 (expires first), 4 in lot B at 10.01 (7 for 70.04)."""
    add_item(store, team.clerk, "L-1", lot_tracked=True)
    buy(store, team, "L-1", 3, 1000, lot="A", expiry=EARLY)
    buy(store, team, "L-1", 4, 1001, lot="B", expiry=LATE)


def _order(store: Store, team: Team, *quantities: int) -> str:
    """A confirmed sales order for C1 with one line of L-1 per quantity."""
    with store.write() as session:
        order = service.create_sales_order(
            session,
            team.clerk,
            service.SalesOrderCreate(
                customer="C1",
                date=DAY,
                lines=[
                    service.OrderLineCreate(item="L-1", quantity=q, unit_price=2000)
                    for q in quantities
                ],
            ),
        )
        service.confirm_sales_order(session, team.clerk, order.number)
        return order.number


def _delivery_lines(store: Store, number: str) -> list[tuple[int, str, int, int]]:
    with store.read() as session:
        rows = session.execute(
            text(
                """SELECT s.line_no, t.lot_no, d.quantity, d.cost FROM lg_delivery_line d
                   JOIN lg_delivery n ON n.id = d.delivery_id
                   JOIN lg_so_line s ON s.id = d.so_line_id JOIN lg_lot t ON t.id = d.lot_id
                   WHERE n.number = :n ORDER BY d.id"""
            ),
            {"n": number},
        ).all()
    return [(int(a), str(b), int(c), int(d)) for a, b, c, d in rows]


def test_a_delivery_costs_each_move_on_the_average_left_by_the_moves_before_it(
    store: Store, team: Team
) -> None:
    _two_lots(store, team)
    order = _order(store, team, 4, 3)
    with store.write() as session:
        delivery = service.deliver(
            session,
            team.clerk,
            service.DeliveryCreate(
                order=order,
                date=DAY,
                location="DMM/A-01",
                lines=[
                    service.DeliveryLineCreate(line=1, quantity=4),
                    service.DeliveryLineCreate(line=2, quantity=3),
                ],
            ),
        )
        number, cost = delivery.number, delivery.cost
        # The item the session holds agrees with the database's running totals.
        item = service.find_item(session, "L-1")
        stored = session.execute(
            text("SELECT on_hand, stock_value FROM lg_item WHERE sku = 'L-1'")
        ).one()
        assert (item.on_hand, item.stock_value) == tuple(stored) == (0, 0)
    # Line 1 takes lot A (3 x 70.04 / 7 = 30.02, rounded) then 1 of lot B (40.02 / 4 = 10.005,
    # half away from zero); line 2 is picked after those moves, the last 3 units take what
    # value is left.
    assert _delivery_lines(store, number) == [
        (1, "A", 3, 3002),
        (1, "B", 1, 1001),
        (2, "B", 3, 3001),
    ]
    assert cost == 7004
    assert stock_value(store) == 0
    assert checks_ok(store) == {}


def test_a_named_lot_short_of_stock_refuses_the_whole_delivery(store: Store, team: Team) -> None:
    _two_lots(store, team)
    order = _order(store, team, 2, 2)
    with pytest.raises(RuleViolation, match="1 on hand at DMM/A-01 in lot A; cannot take 2"):
        with store.write() as session:
            service.deliver(
                session,
                team.clerk,
                service.DeliveryCreate(
                    order=order,
                    date=DAY,
                    location="DMM/A-01",
                    lines=[
                        service.DeliveryLineCreate(line=1, quantity=2, lot="A"),
                        # Lot A has 1 left after line 1: refused, and line 1 with it.
                        service.DeliveryLineCreate(line=2, quantity=2, lot="A"),
                    ],
                ),
            )
    assert stock_value(store) == 7004
    with store.read() as session:
        assert [b.quantity for b in service.on_hand(session, team.clerk, "L-1")] == [3, 4]


def test_a_receipt_writes_one_lot_named_twice_and_refuses_two_expiries(
    store: Store, team: Team
) -> None:
    add_item(store, team.clerk, "L-1", lot_tracked=True)

    def receive(expiries: tuple[date, date]) -> str:
        with store.write() as session:
            order = service.create_order(
                session,
                team.clerk,
                service.PurchaseOrderCreate(
                    supplier="S1",
                    date=DAY,
                    location="DMM/A-01",
                    lines=[
                        service.OrderLineCreate(item="L-1", quantity=5, unit_price=1000),
                        service.OrderLineCreate(item="L-1", quantity=2, unit_price=1200),
                    ],
                ),
            )
            service.approve_order(session, team.manager, order.number)
            return service.receive(
                session,
                team.clerk,
                service.ReceiptCreate(
                    order=order.number,
                    date=DAY,
                    lines=[
                        service.ReceiptLineCreate(line=n, quantity=q, lot="N1", expiry=e)
                        for n, q, e in ((1, 5, expiries[0]), (2, 2, expiries[1]))
                    ],
                ),
            ).number

    with pytest.raises(ValidationFailed, match="lot N1 of L-1 expires 2027-03-01, not 2027-09-01"):
        receive((EARLY, LATE))
    receive((EARLY, EARLY))
    with store.read() as session:
        [held] = service.on_hand(session, team.clerk, "L-1")
        assert (held.lot, held.expiry, held.quantity) == ("N1", EARLY, 7)
        assert service.find_item(session, "L-1").stock_value == 5 * 1000 + 2 * 1200
    assert checks_ok(store) == {}


def test_confirming_an_order_counts_what_other_confirmed_orders_still_reserve(
    store: Store, team: Team
) -> None:
    add_item(store, team.clerk, "R-1")
    add_item(store, team.clerk, "R-2")
    buy(store, team, "R-1", 10, 1000)
    buy(store, team, "R-2", 10, 1000)
    first = sell(store, team, "R-1", 6)
    sell(store, team, "R-2", 9)

    def confirm_second(quantity: int) -> None:
        with store.write() as session:
            order = service.create_sales_order(
                session,
                team.clerk,
                service.SalesOrderCreate(
                    customer="C1",
                    date=DAY,
                    lines=[
                        service.OrderLineCreate(item="R-2", quantity=1, unit_price=2000),
                        service.OrderLineCreate(item="R-1", quantity=quantity, unit_price=2000),
                    ],
                ),
            )
            service.confirm_sales_order(session, team.clerk, order.number)

    with pytest.raises(RuleViolation, match=r"R-1: 4 available \(10 on hand, 6 reserved\)"):
        confirm_second(5)
    ship(store, team.clerk, first, 2)  # 8 on hand, 4 of them still reserved
    confirm_second(4)
    with pytest.raises(RuleViolation, match=r"R-2: 0 available \(10 on hand, 10 reserved\)"):
        confirm_second(1)
