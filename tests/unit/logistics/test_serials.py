"""Serial numbers: one per unit received, named when shipped, a serial's history, and the
database refusing a serial in stock twice or shipped from where it is not (raw SQL too)."""

from __future__ import annotations

import sqlite3

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics import service
from tests.unit.logistics.conftest import DAY, Team, add_item, checks_ok, sell


def _receive(store: Store, team: Team, sku: str, serials: list[str], quantity: int = 0) -> str:
    with store.write() as session:
        order = service.create_order(
            session,
            team.clerk,
            service.PurchaseOrderCreate(
                supplier="S1",
                date=DAY,
                location="DMM/A-01",
                lines=[
                    service.OrderLineCreate(
                        item=sku, quantity=quantity or len(serials), unit_price=50_000
                    )
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
                    service.ReceiptLineCreate(
                        line=1, quantity=quantity or len(serials), serials=serials
                    )
                ],
            ),
        ).number


def _ship(
    store: Store, team: Team, order: str, serials: list[str], location: str = "DMM/A-01"
) -> str:
    with store.write() as session:
        return service.deliver(
            session,
            team.clerk,
            service.DeliveryCreate(
                order=order,
                date=DAY,
                location=location,
                lines=[service.DeliveryLineCreate(line=1, quantity=len(serials), serials=serials)],
            ),
        ).number


def test_received_with_serials_shipped_by_name_with_a_history(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "PUMP", serial_tracked=True)
    receipt = _receive(store, team, "PUMP", ["sn-001", "SN-002", "SN-003"])
    order = sell(store, team, "PUMP", 3)
    delivery = _ship(store, team, order, ["SN-002", "SN-003"])
    with store.read() as session:
        assert service.serials_in_stock(session, team.clerk, "PUMP") == [("SN-001", "DMM/A-01")]
        history = service.serial_history(session, team.clerk, "PUMP", "sn-002")
    assert [(e.direction, e.location, e.source_ref) for e in history] == [
        ("in", "DMM/A-01", receipt),
        ("out", "DMM/A-01", delivery),
    ]
    with pytest.raises(RuleViolation, match="SN-002 is not in stock"):
        _ship(store, team, order, ["SN-002"])
    # A serial that left may come in again (a repaired unit bought back).
    _receive(store, team, "PUMP", ["SN-002"])
    assert checks_ok(store) == {}


def test_one_serial_per_unit_and_never_twice_in_stock(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "MON", serial_tracked=True)
    add_item(store, team.clerk, "TAPE")
    with pytest.raises(ValidationFailed, match="give 2 serial"):
        _receive(store, team, "MON", ["A1"], quantity=2)
    with pytest.raises(ValidationFailed, match="given twice"):
        _receive(store, team, "MON", ["A1", "a1"])
    with pytest.raises(ValidationFailed, match="not tracked by serial"):
        _receive(store, team, "TAPE", ["X"])
    _receive(store, team, "MON", ["A1"])
    with pytest.raises(RuleViolation, match="A1 is already in stock"):
        _receive(store, team, "MON", ["A1"])
    with store.write() as session, pytest.raises(RuleViolation, match="tracked by serial"):
        service.transfer(
            session,
            team.clerk,
            item="MON",
            quantity=1,
            source="DMM/A-01",
            target="DMM/A-02",
            on=DAY,
        )
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    serial_id, location_id = conn.execute(
        "SELECT serial_id, location_id FROM lg_serial_move"
    ).fetchone()
    insert = (
        "INSERT INTO lg_serial_move (serial_id, direction, location_id, date, source, "
        "source_ref, created_at, created_by) VALUES (?, ?, ?, '2026-11-10', 'receipt', 'X', "
        "'2026-11-10 00:00:00', 'x')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="comes in only when out of stock"):
        conn.execute(insert, (serial_id, "in", location_id))
    with pytest.raises(sqlite3.IntegrityError, match="leaves only from where it is"):
        conn.execute(insert, (serial_id, "out", location_id + 1))
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        conn.execute("DELETE FROM lg_serial_move")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        conn.execute("UPDATE lg_serial SET serial = 'B2'")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute(
            "INSERT INTO lg_serial (item_id, serial) SELECT item_id, serial FROM lg_serial"
        )
    conn.close()
