"""The item list: each item's supplier and barcodes, read for the whole page at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from bo_console.core.db import Store
from bo_console.logistics import service
from tests.unit.logistics.conftest import Team, add_item


def test_a_page_of_items_reads_suppliers_and_barcodes_in_a_few_queries(
    store: Store, team: Team
) -> None:
    for n in range(12):
        add_item(
            store,
            team.manager,
            f"SKU-{n:02d}",
            supplier="S1" if n % 2 else None,
            barcodes=[f"62{n:02d}2", f"62{n:02d}1"],
        )
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        with store.read() as session:
            views = service.list_items(session, team.clerk, service.ItemFilter(limit=50))
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # the items, their suppliers, their barcodes (and nothing per item)
    assert len(selects) <= 4, selects
    assert [v.sku for v in views] == [f"SKU-{n:02d}" for n in range(12)]
    assert [v.supplier for v in views[:3]] == [None, "S1", None]
    assert views[5].barcodes == ["62051", "62052"]
    with store.read() as session:
        one = service.get_item(session, team.clerk, "SKU-03")
    assert one.supplier == "S1" and one.barcodes == ["62031", "62032"]
