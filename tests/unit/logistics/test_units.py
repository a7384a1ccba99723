"""Purchase units: an item bought in boxes of 12 and stocked in each; orders in boxes, stock
and the books in base units, conversions exact (a price that does not split is refused)."""

from __future__ import annotations

import sqlite3

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import ValidationFailed
from bo_console.logistics import service
from bo_console.logistics.units import in_units
from tests.unit.logistics.conftest import DAY, Team, add_item, balance, checks_ok


def _order(store: Store, team: Team, *lines: service.OrderLineCreate) -> str:
    with store.write() as session:
        return service.create_order(
            session,
            team.clerk,
            service.PurchaseOrderCreate(
                supplier="S1", date=DAY, location="DMM/A-01", lines=list(lines)
            ),
        ).number


def test_ordered_in_boxes_received_and_stocked_in_each(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "SYR", purchase_unit="box", purchase_factor=12)
    number = _order(
        store, team, service.OrderLineCreate(item="SYR", quantity=3, unit_price=12_000, unit="Box")
    )
    with store.read() as session:
        view = service.get_order(session, team.clerk, number)
    [line] = view.lines
    assert (line.quantity, line.unit_price, line.ordered) == (36, 1000, "3 box (36 each)")
    assert view.row.total == 36_000
    with store.write() as session:
        service.approve_order(session, team.manager, number)
        service.receive(
            session,
            team.clerk,
            service.ReceiptCreate(
                order=number, date=DAY, lines=[service.ReceiptLineCreate(line=1, quantity=30)]
            ),
        )
        item = service.get_item(session, team.clerk, "SYR")
    assert (item.on_hand, item.stock_value, item.purchase_unit) == (30, 30_000, "box")
    assert balance(store, "1310") == 30_000 and checks_ok(store) == {}


def test_conversions_are_exact_or_refused(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "GAU", purchase_unit="box", purchase_factor=12)
    with pytest.raises(ValidationFailed, match=r"line 1: GAU: .* 833\.3333 per each"):
        _order(
            store,
            team,
            service.OrderLineCreate(item="GAU", quantity=1, unit_price=10_000, unit="box"),
        )
    with pytest.raises(ValidationFailed, match="comes in each or box, not 'crate'"):
        _order(store, team, service.OrderLineCreate(item="GAU", quantity=1, unit="crate"))
    # In the base unit, any price goes.
    number = _order(store, team, service.OrderLineCreate(item="GAU", quantity=5, unit_price=833))
    with store.read() as session:
        assert service.get_order(session, team.clerk, number).lines[0].ordered == "5 each"
    assert in_units(30, "box", 12, "each") == "2.5 box (30 each)"
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="ck_lg_po_line_unit"):
        conn.execute("UPDATE lg_po_line SET unit = 'box', unit_factor = 12")
    with pytest.raises(sqlite3.IntegrityError, match="ck_lg_item_purchase_factor"):
        conn.execute("UPDATE lg_item SET purchase_factor = 0")
    conn.close()


def test_an_item_gives_both_or_neither(store: Store, team: Team) -> None:
    for fields, words in (
        ({"purchase_factor": 12}, "give both"),
        ({"purchase_unit": "each", "purchase_factor": 10}, "differs from the base unit"),
    ):
        with pytest.raises(ValidationFailed, match=words), store.write() as session:
            service.add_item(
                session,
                team.clerk,
                service.ItemCreate.model_construct(sku="BAD", name="Bad", **fields),
            )
