"""Transfers between warehouses through goods in transit.

A dispatch takes stock out of a bin into the transit bin of the destination warehouse
(``TRANSIT/RUH``, in the ``TRANSIT`` warehouse, made when first needed), under one transfer
number; an arrival takes it from there into a bin of that warehouse, all at once or in parts.
What is still on the road is what the transfer's moves left in its transit bin. Its value
moves to the goods-in-transit account at dispatch (Dr goods in transit / Cr inventory) and
back on each arrival, so the inventory account holds what is in real warehouses and the
goods-in-transit account (a control account only stock entries post to) what is on the road;
no one picks from a transit bin, because it is in no real warehouse.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.logistics.common import (
    Posting,
    find_item,
    find_location,
    find_lot,
    flush,
    post_stock_entry,
)
from bo_console.logistics.place_lists import TRANSIT as TRANSIT
from bo_console.logistics.place_lists import InTransit as InTransit
from bo_console.logistics.place_lists import in_transit as in_transit
from bo_console.logistics.place_lists import on_the_road
from bo_console.logistics.stock import add_move

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import Location


def _transit_bin(session: Session, actor: Actor, warehouse: str) -> Location:
    """The transit bin of ``warehouse`` (made, and audited, the first time)."""
    from sqlmodel import select

    from bo_console.logistics.models import Location, Warehouse

    code = warehouse.strip().upper()
    if code == TRANSIT:
        raise ValidationFailed("goods go in transit to a real warehouse")
    if session.exec(select(Warehouse.id).where(Warehouse.code == code)).first() is None:
        raise NotFound(f"no warehouse {warehouse!r}")
    label = f"{TRANSIT}/{code}"
    found = session.exec(select(Location).where(Location.label == label)).first()
    if found is not None:
        return found
    house = session.exec(select(Warehouse).where(Warehouse.code == TRANSIT)).first()
    if house is None:
        house = Warehouse(code=TRANSIT, name="Goods in transit")
        session.add(house)
        flush(session)
    location = Location(warehouse_id=int(house.id or 0), code=code, label=label)
    session.add(location)
    flush(session)
    audit.record(session, actor, action="create", entity="location", entity_id=label, changes={})
    return location


def dispatch(
    session: Session,
    actor: Actor,
    *,
    item: str,
    quantity: int,
    source: str,
    warehouse: str,
    on: date,
    lot: str | None = None,
) -> str:
    """Send stock from the bin ``source`` towards ``warehouse`` (logistics.write): it leaves
    the bin now and waits in transit until it arrives. Returns the transfer's number.

    Raises:
        ValidationFailed: a quantity not above zero, the same warehouse, a lot-tracked item
            without its lot.
        RuleViolation: not that much on hand in the bin.
    """
    from bo_console.logistics.stock import _transfer_number

    actor.require("logistics.write", "transfer stock")
    if quantity <= 0:
        raise ValidationFailed("a transfer moves a positive quantity")
    found = find_item(session, item)
    src = find_location(session, source)
    if src.label.split("/", 1)[0] == warehouse.strip().upper():
        raise ValidationFailed("within one warehouse, move stock with `stock transfer`")
    transit = _transit_bin(session, actor, warehouse)
    the_lot = find_lot(session, found, lot) if lot else None
    if found.lot_tracked and the_lot is None:
        raise ValidationFailed(f"{found.sku} is tracked by lot; give the lot")
    number = _transfer_number(session, on.year)
    lot_id = the_lot.id if the_lot else None
    out = add_move(
        session,
        actor,
        item=found,
        location_id=int(src.id or 0),
        lot_id=lot_id,
        on=on,
        kind="transfer",
        quantity=-quantity,
        value=None,
        source="transfer",
        source_ref=number,
        memo=f"to {warehouse.strip().upper()}",
    )
    add_move(
        session,
        actor,
        item=found,
        location_id=int(transit.id or 0),
        lot_id=lot_id,
        on=on,
        kind="transfer",
        quantity=quantity,
        value=-out.value,
        source="transfer",
        source_ref=number,
        memo="in transit",
    )
    entry = _post_transit(session, actor, on, number, number, -out.value, f"to {transit.code}")
    audit.record(
        session,
        actor,
        action="dispatch",
        entity="stock",
        entity_id=number,
        changes={
            "item": (None, found.sku),
            "quantity": (None, quantity),
            "from": (None, src.label),
            "to": (None, transit.label),
            "entry": (None, entry),
        },
    )
    return number


def _post_transit(
    session: Session, actor: Actor, on: date, number: str, ref: str, value: int, where: str
) -> str:
    """Move ``value`` of a transfer into goods in transit (negative: back out of it)."""
    return post_stock_entry(
        session,
        actor,
        on=on,
        memo=f"Transfer {number} {where}",
        source_ref=ref,
        postings=[Posting("in_transit", value), Posting("inventory", -value)],
        permission="logistics.write",
    )


def arrive(
    session: Session,
    actor: Actor,
    *,
    number: str,
    target: str,
    on: date,
    quantity: int | None = None,
) -> InTransit:
    """Take a transfer (all that is left of it, or ``quantity``) out of transit into the bin
    ``target`` of its destination warehouse (logistics.write). Returns what arrived.

    Raises:
        NotFound: nothing of that transfer is in transit.
        ValidationFailed: a bin of another warehouse, a quantity not above zero, or an arrival
            dated before the dispatch.
        RuleViolation: more than is in transit.
    """
    from bo_console.logistics.models import Item, Location, Lot

    actor.require("logistics.write", "receive transfers")
    number = number.strip().upper()
    road = on_the_road(session, number)
    if not road:
        raise NotFound(f"nothing of transfer {number} is in transit")
    left = road[0]
    dst = find_location(session, target)
    if dst.label.split("/", 1)[0] != left.destination:
        raise ValidationFailed(f"{number} goes to {left.destination}; {dst.label} is elsewhere")
    qty = left.quantity if quantity is None else quantity
    if qty <= 0:
        raise ValidationFailed("an arrival takes a positive quantity")
    if qty > left.quantity:
        raise RuleViolation(f"{number}: {left.quantity} in transit; cannot take {qty}")
    if on < left.dispatched:
        raise ValidationFailed(f"{number} was dispatched on {left.dispatched}")
    from sqlmodel import select

    item = session.exec(select(Item).where(Item.sku == left.sku)).one()
    lot = (
        session.exec(select(Lot).where(Lot.item_id == item.id, Lot.lot_no == left.lot)).one()
        if left.lot
        else None
    )
    transit = session.exec(
        select(Location).where(Location.label == f"{TRANSIT}/{left.destination}")
    ).one()
    # The value leaves transit in proportion (the last part takes what is left).
    value = left.value if qty == left.quantity else left.value * qty // left.quantity
    lot_id = lot.id if lot else None
    from sqlalchemy import text

    # Each arrival posts under its own reference: the transfer's number and its count.
    earlier = session.execute(
        text(
            "SELECT COUNT(*) FROM lg_stock_move WHERE source = 'transfer' AND source_ref = :n "
            "AND location_id = :t AND quantity < 0"
        ),
        {"n": number, "t": transit.id},
    ).scalar_one()
    for location_id, sign in ((int(transit.id or 0), -1), (int(dst.id or 0), 1)):
        add_move(
            session,
            actor,
            item=item,
            location_id=location_id,
            lot_id=lot_id,
            on=on,
            kind="transfer",
            quantity=sign * qty,
            value=sign * value,
            source="transfer",
            source_ref=number,
            memo="arrived",
        )
    ref = f"{number}-A{int(earlier) + 1}"
    entry = _post_transit(session, actor, on, number, ref, -value, f"arrived in {dst.label}")
    audit.record(
        session,
        actor,
        action="arrive",
        entity="stock",
        entity_id=number,
        changes={
            "item": (None, item.sku),
            "quantity": (None, qty),
            "to": (None, dst.label),
            "entry": (None, entry),
        },
    )
    return InTransit(number, item.sku, left.lot, qty, value, left.destination, on)
