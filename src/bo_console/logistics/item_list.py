"""The item list and one item, as plain SQL over a Reader or a session.

``bo logistics items list`` and ``items show`` read through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor the
table models, and its rows are frozen dataclasses with the fields of
:class:`~bo_console.logistics.models.ItemView`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bo_console.core.reading import reader_of
from bo_console.core.text import fold

if TYPE_CHECKING:
    from bo_console.core.money import Currency
    from bo_console.core.reading import Reader, Reads, Row
    from bo_console.core.security import Actor


def divide(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero (integers only)."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    q, r = divmod(abs(numerator), abs(denominator))
    return sign * (q + (1 if 2 * r >= abs(denominator) else 0))


def unit_cost(costing: str, standard_cost: int, on_hand: int, stock_value: int) -> int:
    """An item's average unit cost in minor units (rounded); standard cost when it has one."""
    if costing == "standard":
        return standard_cost
    if on_hand > 0:
        return divide(stock_value, on_hand)
    return 0


@dataclass(frozen=True)
class ItemFilter:
    text: str = ""
    below_reorder: bool = False
    active_only: bool = True
    after_sku: str = ""
    limit: int = 200


@dataclass(frozen=True)
class ItemRow:
    """An item as the list shows it (amounts in minor units; average cost rounded)."""

    id: int
    sku: str
    name: str
    name_ar: str
    unit: str
    purchase_unit: str
    purchase_factor: int
    lot_tracked: bool
    serial_tracked: bool
    allow_negative: bool
    reorder_point: int
    reorder_qty: int
    supplier: str | None
    costing: str
    standard_cost: int
    sale_price: int
    tax_code: str
    barcodes: list[str]
    active: bool
    on_hand: int
    stock_value: int
    average_cost: int


_ITEMS = """
SELECT i.id, i.sku, i.name, i.name_ar, i.unit, i.purchase_unit, i.purchase_factor,
       i.lot_tracked, i.serial_tracked, i.allow_negative, i.reorder_point, i.reorder_qty,
       s.code, i.costing, i.standard_cost, i.sale_price, i.tax_code, i.active, i.on_hand,
       i.stock_value
FROM lg_item i
LEFT JOIN fin_party s ON s.id = i.supplier_id
"""
"""Items with their supplier's code (the item's foreign key to finance's parties)."""


def _barcodes_of(db: Reads, item_ids: list[int]) -> dict[int, list[str]]:
    """Each item's barcodes, sorted, read a few hundred items to a query."""
    reader = reader_of(db)
    found: dict[int, list[str]] = {}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start : start + 500]
        for item_id, barcode in reader.rows(
            "SELECT item_id, barcode FROM lg_item_barcode WHERE item_id IN :ids", {"ids": chunk}
        ):
            found.setdefault(int(item_id), []).append(barcode)
    for codes in found.values():
        codes.sort()
    return found


def list_items(db: Reads, actor: Actor, flt: ItemFilter) -> list[ItemRow]:
    """Items in SKU order, a page at a time (``after_sku``: keyset paging)."""
    actor.require("logistics.read", "see items")
    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, Any] = {"limit": flt.limit}
    if flt.text.strip():
        # The folded search key (SKU, names, barcodes); a plain substring, as the ORM's
        # contains() without escaping wrote it.
        where.append("i.search_key LIKE '%' || :text || '%'")
        params["text"] = fold(flt.text)
    if flt.active_only:
        where.append("i.active")
    if flt.below_reorder:
        where.append("i.on_hand < i.reorder_point")
    if flt.after_sku:
        where.append("i.sku > :after_sku")
        params["after_sku"] = flt.after_sku
    sql = _ITEMS
    if where:
        sql += "WHERE " + " AND ".join(where) + "\n"
    sql += "ORDER BY i.sku LIMIT :limit"
    return _item_rows(reader, reader.rows(sql, params))


def get_item(db: Reads, actor: Actor, ref: str) -> ItemRow:
    """One item by SKU, barcode or ``#id``: the row of :func:`list_items` (inactive too).

    Raises:
        NotFound: nothing matches.
    """
    from bo_console.logistics.stock_lists import item_ref

    actor.require("logistics.read", "see items")
    reader = reader_of(db)
    found = item_ref(reader, ref)
    return _item_rows(reader, reader.rows(_ITEMS + "WHERE i.id = :id", {"id": found.id}))[0]


def _item_rows(reader: Reader, found: list[Row]) -> list[ItemRow]:
    """Rows of :data:`_ITEMS` as items, with their barcodes."""
    barcodes = _barcodes_of(reader, [int(r[0]) for r in found])
    out = []
    for row in found:
        (id_, sku, name, name_ar, unit, purchase_unit, factor, lots, serials, negative) = row[:10]
        (point, qty, supplier, costing, standard, price, tax, active, on_hand, value) = row[10:]
        out.append(
            ItemRow(
                id=int(id_),
                sku=sku,
                name=name,
                name_ar=name_ar,
                unit=unit,
                purchase_unit=purchase_unit,
                purchase_factor=int(factor),
                lot_tracked=bool(lots),
                serial_tracked=bool(serials),
                allow_negative=bool(negative),
                reorder_point=int(point),
                reorder_qty=int(qty),
                supplier=supplier,
                costing=costing,
                standard_cost=int(standard),
                sale_price=int(price),
                tax_code=tax,
                barcodes=barcodes.get(int(id_), []),
                active=bool(active),
                on_hand=int(on_hand),
                stock_value=int(value),
                average_cost=unit_cost(costing, int(standard), int(on_hand), int(value)),
            )
        )
    return out


def item_record(row: Any, currency: Currency) -> dict[str, Any]:
    """An item (a list's row or a record's view) as output shows it: amounts in major units,
    barcodes in one cell."""
    dump = getattr(row, "model_dump", None)
    record: dict[str, Any] = (
        dump()
        if callable(dump)
        else {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
    )
    record["average_cost"] = currency.from_minor(row.average_cost)
    record["stock_value"] = currency.from_minor(row.stock_value)
    record["standard_cost"] = currency.from_minor(row.standard_cost)
    record["sale_price"] = currency.from_minor(row.sale_price)
    record["barcodes"] = " ".join(row.barcodes)
    return record
