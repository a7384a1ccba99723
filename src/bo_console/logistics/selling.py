"""Sales orders, reservations, picking (first expiry first out), delivery notes and shipments,
and the invoice for what was delivered.

A confirmed order reserves its undelivered quantities: an order is confirmed only when what is
on hand, less what other confirmed orders reserve, covers it. A delivery takes stock out at
average cost and posts Dr cost of goods sold / Cr inventory; the invoice (finance's document)
is made from what was delivered and not yet invoiced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics.common import (
    Posting,
    find_item,
    find_location,
    find_lot,
    flush,
    item_by_id,
    next_number,
    post_stock_entry,
    validated,
)
from bo_console.logistics.moves import PlannedMove, add_moves
from bo_console.logistics.serials import move_serials
from bo_console.logistics.units import factor_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import (
        Delivery,
        DeliveryCreate,
        Item,
        SalesOrder,
        SalesOrderCreate,
        SalesOrderLine,
    )

OPEN_TO_DELIVER = ("confirmed", "partly_delivered")


def find_sales_order(session: Session, number: str) -> SalesOrder:
    from bo_console.logistics.common import by_number
    from bo_console.logistics.models import SalesOrder

    return by_number(session, SalesOrder, number, "sales order")


def sales_lines(session: Session, order_id: int) -> list[SalesOrderLine]:
    from sqlmodel import col, select

    from bo_console.logistics.models import SalesOrderLine

    return list(
        session.exec(
            select(SalesOrderLine)
            .where(SalesOrderLine.order_id == order_id)
            .order_by(col(SalesOrderLine.line_no))
        ).all()
    )


def reserved(session: Session, item_id: int, *, besides: int | None = None) -> int:
    """Units of an item that confirmed orders (other than ``besides``) still have to deliver."""
    return reserved_by_item(session, [item_id], besides=besides).get(item_id, 0)


def reserved_by_item(
    session: Session, item_ids: Sequence[int], *, besides: int | None = None
) -> dict[int, int]:
    """:func:`reserved` of many items in one query (items with none reserved are left out)."""
    from sqlalchemy import bindparam, text

    if not item_ids:
        return {}
    rows = session.execute(
        text(
            """SELECT l.item_id, SUM(l.quantity - l.delivered_qty) FROM lg_so_line l
               JOIN lg_sales_order o ON o.id = l.order_id
               WHERE l.item_id IN :items AND o.status IN ('confirmed', 'partly_delivered')
                 AND o.id <> COALESCE(:o, 0)
               GROUP BY l.item_id"""
        ).bindparams(bindparam("items", expanding=True)),
        {"items": list(item_ids), "o": besides},
    ).all()
    return {int(item_id): int(quantity or 0) for item_id, quantity in rows}


def create_sales_order(session: Session, actor: Actor, data: SalesOrderCreate) -> SalesOrder:
    """Enter a draft sales order; prices default to the items' sale prices."""
    from bo_console.core import audit
    from bo_console.core.engine import insert_all
    from bo_console.finance import service as finance
    from bo_console.logistics.models import SalesOrder, SalesOrderCreate, SalesOrderLine

    if not actor.can("front.write"):
        actor.require("logistics.write", "enter sales orders")
    data = validated(SalesOrderCreate, data, "sales order")
    party = finance.find_party(session, data.customer)
    finance.require_role(party, "customer")
    assert party.id is not None
    if data.external_ref is not None:
        from sqlmodel import select

        known = session.exec(
            select(SalesOrder.number).where(SalesOrder.external_ref == data.external_ref)
        ).first()
        if known is not None:
            raise RuleViolation(f"order {data.external_ref} was already received as {known}")
    order = SalesOrder(
        number=next_number(session, "lg_sales_order", "SO", data.date.year),
        customer_id=party.id,
        date=data.date,
        requested=data.requested,
        memo=data.memo,
        created_by=actor.login,
        external_ref=data.external_ref,
    )
    session.add(order)
    flush(session)
    assert order.id is not None
    total = 0
    new_lines = []
    for n, line in enumerate(data.lines, start=1):
        item = find_item(session, line.item)
        if not item.active:
            raise RuleViolation(f"line {n}: {item.sku} is inactive")
        assert item.id is not None
        if factor_of(item, line.unit)[1] != 1:
            raise ValidationFailed(f"line {n}: {item.sku} is sold in {item.unit}")
        price = line.unit_price if line.unit_price is not None else item.sale_price
        total += price * line.quantity
        new_lines.append(
            SalesOrderLine(
                order_id=order.id,
                line_no=n,
                item_id=item.id,
                quantity=line.quantity,
                unit_price=price,
                tax_code=item.tax_code,
            )
        )
    insert_all(session, new_lines)
    order.total = total
    session.add(order)
    flush(session)
    audit.record(
        session,
        actor,
        action="create",
        entity="sales_order",
        entity_id=order.number,
        changes={"customer": (None, party.code), "total": (None, total)},
    )
    return order


def confirm_sales_order(session: Session, actor: Actor, number: str) -> SalesOrder:
    """Confirm a draft order, reserving its quantities.

    Raises:
        RuleViolation: not a draft, or an item's available stock does not cover it.
    """
    from bo_console.core import audit

    if not actor.can("front.write"):
        actor.require("logistics.write", "confirm sales orders")
    order = find_sales_order(session, number)
    if order.status != "draft":
        raise RuleViolation(f"{order.number} is {order.status}, not a draft")
    assert order.id is not None
    wanted: dict[int, int] = {}
    for line in sales_lines(session, order.id):
        wanted[line.item_id] = wanted.get(line.item_id, 0) + line.quantity
    held = reserved_by_item(session, list(wanted), besides=order.id)
    for item_id, quantity in wanted.items():
        item = item_by_id(session, item_id)
        assert item is not None
        if item.allow_negative:
            continue
        free = item.on_hand - held.get(item_id, 0)
        if quantity > free:
            raise RuleViolation(
                f"{item.sku}: {max(free, 0)} available ({item.on_hand} on hand, "
                f"{item.on_hand - free} reserved); the order needs {quantity}"
            )
    order.status = "confirmed"
    session.add(order)
    flush(session)
    audit.record(
        session,
        actor,
        action="confirm",
        entity="sales_order",
        entity_id=order.number,
        changes={"status": ("draft", "confirmed")},
    )
    return order


@dataclass(frozen=True)
class Pick:
    lot_id: int | None
    lot: str | None
    expiry: date | None
    quantity: int


def suggest_picks(
    session: Session, item: Item, location_id: int, quantity: int, on: date
) -> list[Pick]:
    """Lots to take ``quantity`` from, earliest expiry first, never an expired one.

    Raises:
        RuleViolation: the unexpired stock at the location does not cover it.
    """
    from sqlalchemy import text

    if not item.lot_tracked:
        return [Pick(None, None, None, quantity)]
    rows = session.execute(
        text(
            """SELECT t.id, t.lot_no, t.expiry, b.quantity FROM lg_stock_balance b
               JOIN lg_lot t ON t.id = b.lot_key
               WHERE b.item_id = :i AND b.location_id = :l AND b.quantity > 0
                 AND (t.expiry IS NULL OR t.expiry >= :d)
               ORDER BY t.expiry IS NULL, t.expiry, t.id"""
        ),
        {"i": item.id, "l": location_id, "d": on.isoformat()},
    ).all()
    picks: list[Pick] = []
    left = quantity
    for lot_id, lot_no, expiry, have in rows:
        if left <= 0:
            break
        take = min(left, int(have))
        picks.append(
            Pick(
                int(lot_id), str(lot_no), date.fromisoformat(str(expiry)) if expiry else None, take
            )
        )
        left -= take
    if left > 0:
        raise RuleViolation(
            f"{item.sku}: only {quantity - left} unexpired on hand at this location; "
            f"{quantity} needed"
        )
    return picks


def deliver(session: Session, actor: Actor, data: DeliveryCreate) -> Delivery:
    """Ship goods for a confirmed order: a delivery note, its stock moves (first expiry first
    out unless a lot is named), and cost of goods sold posted against inventory.

    Raises:
        RuleViolation: the order is not confirmed, more than ordered, not enough stock, an
            expired lot, or a closed period.
    """
    from sqlalchemy import insert

    from bo_console.core import audit
    from bo_console.logistics.models import (
        Delivery,
        DeliveryCreate,
        DeliveryLine,
    )

    actor.require("logistics.write", "ship goods")
    data = validated(DeliveryCreate, data, "delivery")
    order = find_sales_order(session, data.order)
    if order.status not in OPEN_TO_DELIVER:
        raise RuleViolation(
            f"{order.number} is {order.status}; only a confirmed order is delivered"
        )
    assert order.id is not None
    location = find_location(session, data.location)
    assert location.id is not None
    lines = {line.line_no: line for line in sales_lines(session, order.id)}
    delivery = Delivery(
        number=next_number(session, "lg_delivery", "DN", data.date.year),
        order_id=order.id,
        date=data.date,
        location_id=location.id,
        carrier=data.carrier,
        tracking=data.tracking,
        route=data.route,
        created_by=actor.login,
    )
    session.add(delivery)
    flush(session)
    assert delivery.id is not None
    cost = 0
    # The moves, the delivery's lines and the order lines' new quantities are written
    # together after the lines are checked and picked (a statement per table, not per move);
    # a line of an item already picked for this delivery is picked after the earlier moves
    # are written, so it sees what they took.
    delivered: dict[int, int] = {}
    planned: list[PlannedMove] = []
    picked: list[tuple[int, int, int | None, int]] = []  # order line, item, lot, quantity
    new_lines: list[dict[str, object]] = []

    def write_moves() -> None:
        nonlocal cost
        values = add_moves(
            session,
            actor,
            planned,
            on=data.date,
            kind="issue",
            source="delivery",
            source_ref=delivery.number,
        )
        for (so_line_id, item_id, lot_id, quantity), value in zip(picked, values, strict=True):
            new_lines.append(
                {
                    "delivery_id": delivery.id,
                    "so_line_id": so_line_id,
                    "item_id": item_id,
                    "lot_id": lot_id,
                    "quantity": quantity,
                    "cost": -value,
                }
            )
            cost += -value
        planned.clear()
        picked.clear()

    for want in data.lines:
        line = lines.get(want.line)
        if line is None:
            raise ValidationFailed(f"{order.number} has no line {want.line}")
        before = line.delivered_qty + delivered.get(line.line_no, 0)
        if before + want.quantity > line.quantity:
            raise RuleViolation(
                f"{order.number} line {line.line_no}: {before} of {line.quantity} "
                f"delivered; at most {line.quantity - before} more"
            )
        item = item_by_id(session, line.item_id)
        assert item is not None and line.id is not None and item.id is not None
        if any(p.item is item for p in planned):
            write_moves()
        if want.lot:
            lot = find_lot(session, item, want.lot)
            if lot.expiry is not None and lot.expiry < data.date:
                raise RuleViolation(
                    f"{item.sku} lot {lot.lot_no} expired on {lot.expiry.isoformat()}; "
                    "it cannot be shipped"
                )
            picks = [Pick(lot.id, lot.lot_no, lot.expiry, want.quantity)]
        else:
            picks = suggest_picks(session, item, location.id, want.quantity, data.date)
        for pick in picks:
            planned.append(PlannedMove(item, location.id, pick.lot_id, -pick.quantity))
            picked.append((line.id, item.id, pick.lot_id, pick.quantity))
        move_serials(
            session,
            actor,
            item=item,
            serials=want.serials,
            quantity=-want.quantity,
            location_id=location.id,
            on=data.date,
            source="delivery",
            source_ref=delivery.number,
        )
        delivered[line.line_no] = delivered.get(line.line_no, 0) + want.quantity
    write_moves()
    for line_no, quantity in delivered.items():
        lines[line_no].delivered_qty += quantity
    if new_lines:
        session.execute(insert(DeliveryLine.__table__), new_lines)  # type: ignore[attr-defined]
    delivery.cost = cost
    flush(session)
    delivery.entry_ref = post_stock_entry(
        session,
        actor,
        on=data.date,
        memo=f"Cost of sales {delivery.number} for {order.number}",
        source_ref=delivery.number,
        postings=[Posting("cost_of_sales", cost), Posting("inventory", -cost)],
        permission="logistics.write",
    )
    session.add(delivery)
    done = all(x.delivered_qty >= x.quantity for x in lines.values())
    old = order.status
    order.status = "delivered" if done else "partly_delivered"
    session.add(order)
    flush(session)
    audit.record(
        session,
        actor,
        action="deliver",
        entity="delivery",
        entity_id=delivery.number,
        changes={
            "order": (None, order.number),
            "order status": (old, order.status),
            "cost": (None, cost),
            "entry": (None, delivery.entry_ref),
        },
    )
    return delivery


def find_delivery(session: Session, number: str) -> Delivery:
    from bo_console.logistics.common import by_number
    from bo_console.logistics.models import Delivery

    return by_number(session, Delivery, number, "delivery")


def set_shipment_status(
    session: Session, actor: Actor, number: str, status: str, *, tracking: str | None = None
) -> Delivery:
    """Record a shipment's progress (shipped, delivered, failed) by hand or from a carrier."""
    from bo_console.core import audit
    from bo_console.logistics.models import SHIPMENT_STATUSES

    actor.require("logistics.write", "update shipments")
    if status not in SHIPMENT_STATUSES:
        raise ValidationFailed(f"a shipment status is one of {', '.join(SHIPMENT_STATUSES)}")
    delivery = find_delivery(session, number)
    changes: dict[str, tuple[object, object]] = {}
    if delivery.status != status:
        changes["status"] = (delivery.status, status)
        delivery.status = status
    if tracking is not None and tracking != delivery.tracking:
        changes["tracking"] = (delivery.tracking, tracking)
        delivery.tracking = tracking
    if changes:
        session.add(delivery)
        flush(session)
        audit.record(
            session,
            actor,
            action="update",
            entity="delivery",
            entity_id=delivery.number,
            changes=changes,
        )
    return delivery


def invoice_order(session: Session, actor: Actor, number: str, *, on: date) -> str:
    """Invoice what was delivered and not yet invoiced on an order (finance's invoice, posted).
    Returns the invoice number.

    Raises:
        RuleViolation: nothing delivered (and kept) is left to invoice.
        PermissionDenied: without finance.post.
    """
    from sqlmodel import col, select

    from bo_console.core import audit
    from bo_console.finance import service as finance
    from bo_console.logistics.models import Delivery

    actor.require("finance.post", "invoice deliveries")
    order = find_sales_order(session, number)
    assert order.id is not None
    doc_lines = []
    lines = sales_lines(session, order.id)
    returned = returned_by_line(session, [line.id for line in lines if line.id is not None])
    for line in lines:
        # Units that came back before they were invoiced are not invoiced at all.
        due = line.delivered_qty - returned.get(line.id or 0, 0) - line.invoiced_qty
        if due <= 0:
            continue
        item = item_by_id(session, line.item_id)
        assert item is not None
        doc_lines.append(
            finance.DocumentLineCreate(
                description=f"{item.sku} {item.name}"[:200],
                quantity=due * 1000,
                unit_price=line.unit_price,
                tax_code=line.tax_code,
            )
        )
        line.invoiced_qty += due
        session.add(line)
    if not doc_lines:
        raise RuleViolation(f"{order.number}: nothing delivered is left to invoice")
    flush(session)
    party = finance.find_party(session, f"#{order.customer_id}")
    assert party is not None
    draft = finance.create_document(
        session,
        actor,
        finance.DocumentCreate(
            kind="invoice", party=party.code, date=on, reference=order.number, lines=doc_lines
        ),
    )
    assert draft.id is not None
    posted = finance.post_document(session, actor, draft.id)
    invoice = str(posted.number)
    for delivery in session.exec(
        select(Delivery).where(Delivery.order_id == order.id, col(Delivery.invoice).is_(None))
    ).all():
        delivery.invoice = invoice
        session.add(delivery)
    if all(x.invoiced_qty >= x.quantity for x in lines):
        order.status = "closed"
        session.add(order)
    flush(session)
    audit.record(
        session,
        actor,
        action="invoice",
        entity="sales_order",
        entity_id=order.number,
        changes={"invoice": (None, invoice)},
    )
    return invoice


def returned_qty(session: Session, so_line_id: int) -> int:
    """Units of a sales order line that customers sent back so far."""
    return returned_by_line(session, [so_line_id]).get(so_line_id, 0)


def returned_by_line(session: Session, so_line_ids: Sequence[int]) -> dict[int, int]:
    """Units customers sent back so far per sales order line (lines with none are left out),
    in one query for an order's lines."""
    from sqlalchemy import bindparam, text

    if not so_line_ids:
        return {}
    rows = session.execute(
        text(
            "SELECT so_line_id, SUM(quantity) FROM lg_return_line "
            "WHERE so_line_id IN :ids GROUP BY so_line_id"
        ).bindparams(bindparam("ids", expanding=True)),
        {"ids": list(so_line_ids)},
    ).all()
    return {int(line_id): int(quantity) for line_id, quantity in rows}
