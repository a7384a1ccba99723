"""The logistics lists as virtual-table sources (the screen shows them; tens of thousands of
items and millions of moves are paged from the database, never loaded whole)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bo_console.core.db import Store
    from bo_console.core.money import Currency
    from bo_console.core.paging import QuerySource
    from bo_console.core.security import Actor


def _money(currency: Currency) -> Any:
    def fmt(value: Any) -> str:
        return currency.format(int(value))

    return fmt


def item_source(store: Store, actor: Actor) -> tuple[QuerySource, Currency]:
    """Active items in SKU order; ``/`` matches SKU, names and barcodes (what a scanner
    types), Arabic folded as search folds it.

    Raises:
        PermissionDenied: without logistics.read.
    """
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.core.money import base_currency
    from bo_console.core.paging import Column, QuerySource, text_filter
    from bo_console.core.text import fold
    from bo_console.logistics.models import Item

    actor.require("logistics.read", "see items")
    with store.read() as session:
        currency = base_currency(session)
    base: Any = select(
        col(Item.id).label("id"),
        col(Item.sku).label("sku"),
        col(Item.name).label("name"),
        col(Item.on_hand).label("on_hand"),
        col(Item.stock_value).label("stock_value"),
        col(Item.reorder_point).label("reorder_point"),
    ).where(col(Item.active).is_(True))
    columns = [
        Column("sku", "SKU", 15, sort=col(Item.sku)),
        Column("name", "Name", 26),
        Column("on_hand", "On hand", 8, "right", fmt=lambda v: f"{int(v):,}"),
        Column("stock_value", "Value", 13, "right", fmt=_money(currency)),
        Column("reorder_point", "Reorder", 7, "right"),
    ]
    source = QuerySource(
        store,
        base,
        col(Item.id),
        columns,
        filter_fn=text_filter(col(Item.search_key), transform=fold),
        sort_key="sku",
    )
    return source, currency


def move_source(store: Store, actor: Actor) -> tuple[QuerySource, Currency]:
    """The stock ledger, newest first; ``/`` takes a SKU or barcode (that item's moves, found
    by item id on the ledger's index) or else the start of a document number.

    The count reads the ledger alone: its joins to items and bins never drop or repeat a move.
    """
    from sqlalchemy import select
    from sqlmodel import col

    from bo_console.core.errors import NotFound
    from bo_console.core.money import base_currency
    from bo_console.core.paging import Column, QuerySource, text_filter
    from bo_console.logistics.common import find_item
    from bo_console.logistics.models import Item, Location, Lot, StockMove

    actor.require("logistics.read", "see stock moves")
    with store.read() as session:
        currency = base_currency(session)
    base: Any = (
        select(
            col(StockMove.id).label("id"),
            col(StockMove.date).label("date"),
            col(StockMove.kind).label("kind"),
            col(Item.sku).label("sku"),
            col(Location.label).label("location"),
            col(Lot.lot_no).label("lot"),
            col(StockMove.quantity).label("quantity"),
            col(StockMove.value).label("value"),
            col(StockMove.source_ref).label("ref"),
        )
        .join(Item, col(Item.id) == StockMove.item_id)
        .join(Location, col(Location.id) == StockMove.location_id)
        .outerjoin(Lot, col(Lot.id) == StockMove.lot_id)
    )
    document = text_filter(col(StockMove.source_ref), prefix=True, transform=str.upper)
    items: dict[str, int | None] = {}

    def item_or_document(text: str) -> Any:
        if text not in items:
            with store.read() as session:
                try:
                    items[text] = find_item(session, text).id
                except NotFound:
                    items[text] = None
        item_id = items[text]
        return col(StockMove.item_id) == item_id if item_id is not None else document(text)

    columns = [
        Column("date", "Date", 10, fmt=lambda d: str(d)[:10]),
        Column("kind", "Kind", 10, flex=False),
        Column("sku", "SKU", 18, flex=False),
        Column("location", "Bin", 11, flex=False),
        Column("lot", "Lot", 9, flex=False, optional=True),
        Column("quantity", "Qty", 6, "right", fmt=lambda v: f"{int(v):,}"),
        Column("value", "Value", 12, "right", fmt=_money(currency)),
        Column("ref", "Document", 14, flex=False, optional=True),
    ]
    source = QuerySource(
        store,
        base,
        col(StockMove.id),
        columns,
        filter_fn=item_or_document,
        descending=True,
        count_base=select(col(StockMove.id)),
    )
    return source, currency
