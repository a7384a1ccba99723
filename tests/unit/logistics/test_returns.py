"""Customer returns: never more than shipped less returned (also in raw SQL), stock back in at
its original cost, a quarantine bin, and a credit-note request to finance for invoiced units."""

from __future__ import annotations

import sqlite3

import pytest
from sqlmodel import select

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.core.models import WorkItem, WorkItemLink
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


def _take_back(
    store: Store,
    team: Team,
    order: str,
    quantity: int,
    *,
    location: str | None = None,
    lot: str | None = None,
) -> service.CustomerReturn:
    with store.write() as session:
        return service.take_back(
            session,
            team.clerk,
            service.ReturnCreate(
                order=order,
                date=DAY,
                location=location,
                reason="damaged in transit",
                lines=[service.ReturnLineCreate(line=1, quantity=quantity, lot=lot)],
            ),
        )


def _credit_requests(store: Store) -> list[tuple[WorkItem, list[str]]]:
    with store.read() as session:
        items = session.exec(select(WorkItem).where(WorkItem.kind == "credit-note-request")).all()
        out = []
        for item in items:
            links = session.exec(select(WorkItemLink).where(WorkItemLink.item_id == item.id)).all()
            out.append((item, sorted(f"{x.entity}:{x.ref}" for x in links)))
        return out


def test_return_of_invoiced_goods_restocks_at_cost_and_asks_finance(
    store: Store, team: Team
) -> None:
    add_item(store, team.clerk, "RET")
    buy(store, team, "RET", 10, 1000)
    buy(store, team, "RET", 10, 1300)
    order = sell(store, team, "RET", 6, price=2500)
    ship(store, team.clerk, order, 6)
    with store.write() as session:
        invoice = service.invoice_order(session, team.accountant, order, on=DAY)
    cogs = balance(store, "5110")
    assert cogs == 6 * 1150
    note = _take_back(store, team, order, 2, location="DMM/A-02")
    assert note.number.startswith("RET-") and note.disposition == "restock"
    assert note.value == 2 * 1150 and note.credit_value == 2 * 2500
    assert note.invoice == invoice
    assert balance(store, "5110") == cogs - 2300
    assert stock_value(store) == balance(store, "1310")
    with store.read() as session:
        where = {b.location: b.quantity for b in service.on_hand(session, team.clerk, "RET")}
    assert where == {"DMM/A-01": 20 - 6, "DMM/A-02": 2}
    [(item, links)] = _credit_requests(store)
    assert item.to_dept == "finance" and item.from_dept == "logistics"
    assert links == [f"document:{invoice}", f"order:{order}", f"return:{note.number}"]
    assert "2 x 2500" in item.body
    # The rest that is still out comes back too, exactly at what it left for.
    last = _take_back(store, team, order, 4)
    assert last.disposition == "quarantine"
    assert last.value == 6 * 1150 - 2300 and balance(store, "5110") == 0
    assert checks_ok(store) == {}


def test_never_more_than_shipped_less_returned(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "LIM")
    buy(store, team, "LIM", 10, 1000)
    order = sell(store, team, "LIM", 8)
    ship(store, team.clerk, order, 5)
    _take_back(store, team, order, 3)
    with pytest.raises(RuleViolation, match="5 shipped, 3 returned; at most 2 more"):
        _take_back(store, team, order, 3)
    with pytest.raises(ValidationFailed, match="no line 2"):
        with store.write() as session:
            service.take_back(
                session,
                team.clerk,
                service.ReturnCreate(
                    order=order,
                    date=DAY,
                    reason="wrong item",
                    lines=[service.ReturnLineCreate(line=2, quantity=1)],
                ),
            )
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    ret_id, so_line, item_id = conn.execute(
        "SELECT return_id, so_line_id, item_id FROM lg_return_line"
    ).fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="more than the order line shipped"):
        conn.execute(
            "INSERT INTO lg_return_line (return_id, so_line_id, item_id, quantity, value, "
            "credit_qty, unit_price) VALUES (?, ?, ?, 3, 0, 0, 0)",
            (ret_id, so_line, item_id),
        )
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        conn.execute("UPDATE lg_return_line SET quantity = 1")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        conn.execute("DELETE FROM lg_return_line")
    conn.close()


def test_return_before_invoicing_is_left_out_of_the_invoice(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "UNI")
    buy(store, team, "UNI", 10, 1000)
    order = sell(store, team, "UNI", 5, price=2000)
    ship(store, team.clerk, order, 5)
    note = _take_back(store, team, order, 2)
    assert note.credit_value == 0 and note.invoice is None
    assert _credit_requests(store) == []
    with store.write() as session:
        service.invoice_order(session, team.accountant, order, on=DAY)
    assert balance(store, "4100") == -3 * 2000


def test_lots_come_back_to_the_lot_they_left_from(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "LOT", lot_tracked=True)
    buy(store, team, "LOT", 3, 1000, lot="A1", expiry=DAY.replace(year=2027))
    buy(store, team, "LOT", 3, 1000, lot="B2", expiry=DAY.replace(year=2028))
    order = sell(store, team, "LOT", 5)
    ship(store, team.clerk, order, 5)
    with pytest.raises(ValidationFailed, match="shipped from 2 lots; name the lot"):
        _take_back(store, team, order, 1)
    with pytest.raises(RuleViolation, match="3 shipped from that lot"):
        _take_back(store, team, order, 4, lot="A1")
    _take_back(store, team, order, 2, lot="B2", location="DMM/A-02")
    with store.read() as session:
        rows = service.list_returns(session, team.clerk, order=order)
    assert [(r.quantity, r.location) for r in rows] == [(2, "DMM/A-02")]


def test_returns_need_logistics_write(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "PER")
    buy(store, team, "PER", 2, 1000)
    order = sell(store, team, "PER", 2)
    ship(store, team.clerk, order, 2)
    with pytest.raises(PermissionDenied):
        with store.write() as session:
            service.take_back(
                session,
                team.accountant,
                service.ReturnCreate(
                    order=order,
                    date=DAY,
                    reason="x",
                    lines=[service.ReturnLineCreate(line=1, quantity=1)],
                ),
            )


def test_two_clerks_take_back_the_last_units_at_once(store: Store, team: Team) -> None:
    import threading

    from bo_console.core.errors import BoError

    add_item(store, team.clerk, "TWO")
    buy(store, team, "TWO", 5, 1000)
    order = sell(store, team, "TWO", 5)
    ship(store, team.clerk, order, 5)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def clerk(actor_index: int) -> None:
        actor = (team.clerk, team.clerk2)[actor_index]
        barrier.wait()
        try:
            with store.write() as session:
                service.take_back(
                    session,
                    actor,
                    service.ReturnCreate(
                        order=order,
                        date=DAY,
                        reason="duplicate delivery",
                        lines=[service.ReturnLineCreate(line=1, quantity=4)],
                    ),
                )
            outcomes.append("taken back")
        except BoError as exc:
            outcomes.append(f"refused: {exc.message}")

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [
        f"refused: {order} line 1: 5 shipped, 4 returned; at most 1 more can come back",
        "taken back",
    ]
    assert stock_value(store) == balance(store, "1310") == 4 * 1000
    assert checks_ok(store) == {}
