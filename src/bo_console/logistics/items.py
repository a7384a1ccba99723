"""The item master, warehouses and their bins."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics.common import find_item, flush, validated
from bo_console.logistics.item_list import ItemFilter as ItemFilter
from bo_console.logistics.item_list import list_items as list_items
from bo_console.logistics.place_lists import LocationRow as LocationRow
from bo_console.logistics.place_lists import list_locations as list_locations

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import Item, ItemCreate, ItemUpdate, ItemView, Location


def _supplier_id(session: Session, ref: str | None) -> int | None:
    from bo_console.finance import service as finance

    if not ref:
        return None
    party = finance.find_party(session, ref)
    finance.require_role(party, "supplier")
    return party.id


def _search_key(item: Item, barcodes: Sequence[str]) -> str:
    from bo_console.core.text import fold

    return " ".join(fold(p) for p in (item.sku, item.name, item.name_ar, *barcodes) if p)[:400]


def _barcodes(session: Session, item_id: int) -> list[str]:
    return _barcodes_of(session, [item_id]).get(item_id, [])


def _barcodes_of(session: Session, item_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each item's barcodes, sorted, read a few hundred items to a query."""
    from sqlmodel import col, select

    from bo_console.logistics.models import ItemBarcode

    found: dict[int, list[str]] = {}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start : start + 500]
        rows = session.exec(
            select(ItemBarcode.item_id, ItemBarcode.barcode).where(
                col(ItemBarcode.item_id).in_(chunk)
            )
        ).all()
        for item_id, barcode in rows:
            found.setdefault(item_id, []).append(barcode)
    for codes in found.values():
        codes.sort()
    return found


def view(session: Session, item: Item) -> ItemView:
    """An item as the faces show it."""
    return views(session, [item])[0]


def views(session: Session, items: Sequence[Item]) -> list[ItemView]:
    """Items as the faces show them; their suppliers and barcodes are read for all of them
    at once (a list of 500 items used to cost a thousand queries)."""
    from bo_console.finance import service as finance
    from bo_console.logistics.models import ItemView
    from bo_console.logistics.stock import average_cost

    suppliers = finance.party_codes(session, (i.supplier_id for i in items if i.supplier_id))
    barcodes = _barcodes_of(session, [i.id for i in items if i.id is not None])
    out = []
    for item in items:
        assert item.id is not None
        out.append(
            ItemView(
                id=item.id,
                sku=item.sku,
                name=item.name,
                name_ar=item.name_ar,
                unit=item.unit,
                purchase_unit=item.purchase_unit,
                purchase_factor=item.purchase_factor,
                lot_tracked=item.lot_tracked,
                serial_tracked=item.serial_tracked,
                allow_negative=item.allow_negative,
                reorder_point=item.reorder_point,
                reorder_qty=item.reorder_qty,
                supplier=suppliers.get(item.supplier_id) if item.supplier_id else None,
                costing=item.costing,
                standard_cost=item.standard_cost,
                sale_price=item.sale_price,
                tax_code=item.tax_code,
                barcodes=barcodes.get(item.id, []),
                active=item.active,
                on_hand=item.on_hand,
                stock_value=item.stock_value,
                average_cost=average_cost(item),
            )
        )
    return out


def add_item(session: Session, actor: Actor, data: ItemCreate) -> Item:
    """Add an item to the master.

    Raises:
        ValidationFailed: bad fields. RuleViolation: the SKU or a barcode is taken.
    """
    return add_items(session, actor, [data])[0]


def add_items(session: Session, actor: Actor, data: Sequence[ItemCreate]) -> list[Item]:
    """Add items to the master (all or none), with :func:`add_item`'s checks: the SKUs and
    barcodes taken are read in one query each, the items and their barcodes written with one
    statement each.

    Raises:
        ValidationFailed: bad fields. RuleViolation: a SKU or a barcode is taken (or given
            twice).
    """
    from sqlmodel import col, select

    from bo_console.core import audit
    from bo_console.core.engine import insert_all
    from bo_console.logistics.models import Item, ItemBarcode, ItemCreate

    actor.require("logistics.write", "add items")
    wanted = [validated(ItemCreate, d, "item") for d in data]
    skus = [d.sku for d in wanted]
    codes = [code for d in wanted for code in d.barcodes]
    taken = set(session.exec(select(Item.sku).where(col(Item.sku).in_(skus))).all())
    owned = set(
        session.exec(select(ItemBarcode.barcode).where(col(ItemBarcode.barcode).in_(codes))).all()
    )
    seen_skus: set[str] = set()
    seen_codes: set[str] = set()
    for d in wanted:
        if d.sku in taken or d.sku in seen_skus:
            raise RuleViolation(f"SKU {d.sku} is taken")
        seen_skus.add(d.sku)
        for code in d.barcodes:
            if code in owned or code in seen_codes:
                raise RuleViolation(f"barcode {code} already names another item")
            seen_codes.add(code)
    suppliers = {
        ref: _supplier_id(session, ref) for ref in dict.fromkeys(d.supplier for d in wanted)
    }
    items = []
    for d in wanted:
        fields = d.model_dump(exclude={"supplier", "barcodes"})
        item = Item(**fields, supplier_id=suppliers[d.supplier])
        item.search_key = _search_key(item, d.barcodes)
        items.append(item)
    # One statement for the items (the ORM inserts them one at a time to learn each id), then
    # read back as the session's objects, in the order given.
    insert_all(session, items)
    stored = {
        item.sku: item for item in session.exec(select(Item).where(col(Item.sku).in_(skus))).all()
    }
    items = [stored[d.sku] for d in wanted]
    insert_all(
        session,
        [
            ItemBarcode(barcode=code, item_id=item.id or 0)
            for item, d in zip(items, wanted, strict=True)
            for code in d.barcodes
        ],
    )
    audit.record_many(
        session,
        [
            audit.Entry(
                actor,
                action="create",
                entity="item",
                entity_id=item.sku,
                changes={
                    k: (None, v) for k, v in d.model_dump().items() if v not in ("", None, [])
                },
            )
            for item, d in zip(items, wanted, strict=True)
        ],
    )
    return items


def update_item(session: Session, actor: Actor, sku: str, data: ItemUpdate) -> Item:
    """Change an item's names, reorder levels, preferred supplier, price or activity."""
    from bo_console.core import audit
    from bo_console.core.text import clean
    from bo_console.logistics.models import ItemUpdate

    actor.require("logistics.manage", "change items and reorder levels")
    data = validated(ItemUpdate, data, "item")
    item = find_item(session, sku)
    changes: dict[str, tuple[object, object]] = {}
    for field, value in data.model_dump(exclude_unset=True).items():
        if field == "supplier":
            new_id = _supplier_id(session, value)
            if new_id != item.supplier_id:
                changes["supplier_id"] = (item.supplier_id, new_id)
                item.supplier_id = new_id
            continue
        if value is None:
            continue
        if isinstance(value, str):
            value = clean(value)
        old = getattr(item, field)
        if old != value:
            changes[field] = (old, value)
            setattr(item, field, value)
    if not changes:
        return item
    assert item.id is not None
    item.search_key = _search_key(item, _barcodes(session, item.id))
    session.add(item)
    flush(session)
    audit.record(
        session, actor, action="update", entity="item", entity_id=item.sku, changes=changes
    )
    return item


def get_item(session: Session, actor: Actor, ref: str) -> ItemView:
    """One item by SKU, barcode or ``#id``."""
    actor.require("logistics.read", "see items")
    return view(session, find_item(session, ref))


# -- warehouses and bins ------------------------------------------------------------------------


def add_warehouse(session: Session, actor: Actor, code: str, name: str, name_ar: str = "") -> str:
    """Add a warehouse (with no bins yet); returns its code."""
    from sqlmodel import select

    from bo_console.core import audit
    from bo_console.logistics.models import Warehouse, WarehouseCreate

    actor.require("logistics.manage", "add warehouses")
    data = validated(WarehouseCreate, {"code": code, "name": name, "name_ar": name_ar}, "warehouse")
    if session.exec(select(Warehouse.id).where(Warehouse.code == data.code)).first() is not None:
        raise RuleViolation(f"warehouse {data.code} exists")
    house = Warehouse(code=data.code, name=data.name, name_ar=data.name_ar)
    session.add(house)
    flush(session)
    audit.record(
        session,
        actor,
        action="create",
        entity="warehouse",
        entity_id=house.code,
        changes={"name": (None, house.name), "name_ar": (None, house.name_ar)},
    )
    return house.code


def add_location(session: Session, actor: Actor, warehouse: str, code: str) -> Location:
    """Add a bin to a warehouse (``A-01-02``); people then write it ``WAREHOUSE/A-01-02``."""
    from sqlmodel import select

    from bo_console.core import audit
    from bo_console.core.text import clean
    from bo_console.logistics.models import Location, Warehouse

    actor.require("logistics.manage", "add bins")
    house = session.exec(
        select(Warehouse).where(Warehouse.code == warehouse.strip().upper())
    ).first()
    if house is None:
        raise ValidationFailed(f"no warehouse {warehouse!r}")
    code = clean(code).upper()
    if not code or len(code) > 24 or not all(c.isalnum() or c in "-_." for c in code):
        raise ValidationFailed("a bin code is up to 24 letters, digits, '-', '_' or '.'")
    label = f"{house.code}/{code}"
    if session.exec(select(Location.id).where(Location.label == label)).first() is not None:
        raise RuleViolation(f"bin {label} exists")
    assert house.id is not None
    location = Location(warehouse_id=house.id, code=code, label=label)
    session.add(location)
    flush(session)
    audit.record(session, actor, action="create", entity="location", entity_id=label, changes={})
    return location
