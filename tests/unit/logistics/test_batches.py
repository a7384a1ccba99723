"""Many items and documents at once: add_items' checks, and a stock batch reading items and
bins once while the rules stay those of one document at a time."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from bo_console.core.db import Store
from bo_console.core.errors import NotFound, RuleViolation
from bo_console.logistics import service
from tests.unit.logistics.conftest import DAY, Team, add_item, buy


def _item(sku: str, *barcodes: str, supplier: str | None = "S1") -> service.ItemCreate:
    return service.ItemCreate(sku=sku, name=f"Item {sku}", supplier=supplier, barcodes=[*barcodes])


def test_add_items_writes_every_item_with_its_barcodes_and_audit_rows(
    store: Store, team: Team
) -> None:
    with store.write() as session:
        added = service.add_items(
            session, team.clerk, [_item("A-1", "6201"), _item("A-2", "6202", "6203"), _item("A-3")]
        )
        assert [i.sku for i in added] == ["A-1", "A-2", "A-3"]
    with store.read() as session:
        views = service.list_items(session, team.clerk, service.ItemFilter(limit=10))
        assert [(v.sku, v.barcodes, v.supplier) for v in views] == [
            ("A-1", ["6201"], "S1"),
            ("A-2", ["6202", "6203"], "S1"),
            ("A-3", [], "S1"),
        ]
        audited = session.execute(
            text("SELECT entity_id FROM audit_event WHERE entity = 'item' ORDER BY id")
        ).all()
        assert [r[0] for r in audited] == ["A-1", "A-2", "A-3"]


@pytest.mark.parametrize(
    ("batch", "message"),
    [
        ([_item("B-1"), _item("B-1")], "SKU B-1 is taken"),
        ([_item("B-1", "7001"), _item("B-2", "7001")], "barcode 7001 already names"),
        ([_item("OLD")], "SKU OLD is taken"),
        ([_item("B-1", "9999")], "barcode 9999 already names"),
    ],
)
def test_add_items_adds_none_when_one_is_refused(
    store: Store, team: Team, batch: list[service.ItemCreate], message: str
) -> None:
    add_item(store, team.clerk, "OLD", barcodes=["9999"])
    with pytest.raises(RuleViolation, match=message), store.write() as session:
        service.add_items(session, team.clerk, batch)
    with store.read() as session:
        with pytest.raises(NotFound):
            service.find_item(session, "B-1")


def test_add_items_refuses_a_supplier_that_is_not_one(store: Store, team: Team) -> None:
    with pytest.raises(RuleViolation), store.write() as session:
        service.add_items(session, team.clerk, [_item("C-1", supplier="C1")])


def test_a_stock_batch_reads_each_item_once_and_sees_the_moves(store: Store, team: Team) -> None:
    add_item(store, team.clerk, "D-1")
    buy(store, team, "D-1", 10, 500)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    with store.write() as session, service.stock_batch(session):
        event.listen(store.engine, "before_cursor_execute", count)
        try:
            first = service.find_item(session, "D-1")
            again = [service.find_item(session, ref) for ref in ("d-1", f"#{first.id}")]
        finally:
            event.remove(store.engine, "before_cursor_execute", count)
        assert all(i is first for i in again)
        item_reads = [s.split("FROM")[-1] for s in statements if "FROM lg_item" in s]
        assert len(item_reads) == 1, item_reads
        assert service.find_location(session, "dmm/a-01") is service.find_location(
            session, "DMM/A-01"
        )
        before = first.on_hand
        service.adjust(
            session,
            team.manager,
            location="DMM/A-01",
            on=DAY,
            reason="breakage",
            lines=[service.AdjustmentLine("D-1", -2)],
        )
        assert service.find_item(session, "D-1").on_hand == before - 2
