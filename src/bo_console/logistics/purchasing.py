"""Purchase orders, goods receipts (inventory against goods received not invoiced) and the
three-way match of the supplier's bill with what was received.

A receipt posts Dr inventory (its stock value) / Cr GRNI (quantity x order price); an item at
standard cost puts the difference on the price-variance account. The bill is finance's
document: its lines go to GRNI at the billed price, and the difference between what they
clear and what the receipt put there goes to the price-variance account, so GRNI always
equals what was received and not yet billed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics.common import (
    Posting,
    find_item,
    find_location,
    flush,
    item_by_id,
    lots_for_receipts,
    next_number,
    post_stock_entry,
    setting,
    validated,
)
from bo_console.logistics.moves import PlannedMove, add_moves
from bo_console.logistics.order_view import OrderLineView as OrderLineView
from bo_console.logistics.order_view import OrderView as OrderView
from bo_console.logistics.order_view import get_order as get_order
from bo_console.logistics.sales_lists import OrderRow as OrderRow
from bo_console.logistics.sales_lists import list_orders as list_orders
from bo_console.logistics.serials import move_serials
from bo_console.logistics.units import to_base

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import (
        Item,
        PurchaseOrder,
        PurchaseOrderCreate,
        PurchaseOrderLine,
        Receipt,
        ReceiptCreate,
        ReceiptLineCreate,
    )

OPEN_TO_RECEIVE = ("approved", "sent", "partly_received")


def find_order(session: Session, number: str) -> PurchaseOrder:
    from bo_console.logistics.common import by_number
    from bo_console.logistics.models import PurchaseOrder

    return by_number(session, PurchaseOrder, number, "purchase order")


def order_lines(session: Session, order_id: int) -> list[PurchaseOrderLine]:
    from sqlmodel import col, select

    from bo_console.logistics.models import PurchaseOrderLine

    return list(
        session.exec(
            select(PurchaseOrderLine)
            .where(PurchaseOrderLine.order_id == order_id)
            .order_by(col(PurchaseOrderLine.line_no))
        ).all()
    )


def create_order(session: Session, actor: Actor, data: PurchaseOrderCreate) -> PurchaseOrder:
    """Raise a draft purchase order; each line's price defaults to the item's last cost.

    Raises:
        ValidationFailed: bad lines, unknown items or location. RuleViolation: not a supplier.
    """
    from bo_console.core import audit
    from bo_console.core.engine import insert_all
    from bo_console.finance import service as finance
    from bo_console.logistics.models import PurchaseOrder, PurchaseOrderCreate, PurchaseOrderLine
    from bo_console.logistics.stock import average_cost

    actor.require("logistics.write", "raise purchase orders")
    data = validated(PurchaseOrderCreate, data, "purchase order")
    party = finance.find_party(session, data.supplier)
    finance.require_role(party, "supplier")
    location = find_location(session, data.location)
    assert party.id is not None and location.id is not None
    tolerance = setting(session, "receipt_tolerance_pct")
    order = PurchaseOrder(
        number=next_number(session, "lg_purchase_order", "PO", data.date.year),
        supplier_id=party.id,
        date=data.date,
        expected=data.expected,
        location_id=location.id,
        memo=data.memo,
        approval_limit=setting(session, "po_approval_limit"),
        created_by=actor.login,
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
        try:
            given = to_base(item, line.quantity, line.unit_price, line.unit)
        except ValidationFailed as exc:
            raise ValidationFailed(f"line {n}: {exc.message}") from None
        price = given.unit_price if given.unit_price is not None else average_cost(item)
        quantity = given.quantity
        total += quantity * price
        new_lines.append(
            PurchaseOrderLine(
                order_id=order.id,
                line_no=n,
                item_id=item.id,
                quantity=quantity,
                unit_price=price,
                max_receive=quantity + quantity * tolerance // 100,
                unit=given.unit,
                unit_factor=given.factor,
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
        entity="purchase_order",
        entity_id=order.number,
        changes={
            "supplier": (None, party.code),
            "total": (None, total),
            "lines": (None, len(data.lines)),
        },
    )
    return order


def _set_status(
    session: Session, actor: Actor, order: PurchaseOrder, status: str, action: str
) -> None:
    from bo_console.core import audit

    old = order.status
    order.status = status
    session.add(order)
    flush(session)
    audit.record(
        session,
        actor,
        action=action,
        entity="purchase_order",
        entity_id=order.number,
        changes={"status": (old, status)},
    )


def approve_order(session: Session, actor: Actor, number: str) -> PurchaseOrder:
    """Approve a draft order. Above the approval limit it takes a logistics manager who did
    not raise it.

    Raises:
        PermissionDenied: above the limit without logistics.manage.
        RuleViolation: not a draft, or above the limit and raised by the approver.
    """
    actor.require("logistics.write", "approve purchase orders")
    order = find_order(session, number)
    if order.status != "draft":
        raise RuleViolation(f"{order.number} is {order.status}, not a draft")
    if order.total > order.approval_limit:
        actor.require("logistics.manage", f"approve {order.number} (above the approval limit)")
        if order.created_by == actor.login:
            raise RuleViolation(
                f"{order.number} is above the approval limit; someone other than "
                f"{order.created_by}, who raised it, approves it"
            )
    order.approved_by = actor.login
    _set_status(session, actor, order, "approved", "approve")
    return order


def send_order(session: Session, actor: Actor, number: str) -> PurchaseOrder:
    """Mark an approved order as sent to the supplier."""
    actor.require("logistics.write", "send purchase orders")
    order = find_order(session, number)
    if order.status != "approved":
        raise RuleViolation(f"{order.number} is {order.status}; only an approved order is sent")
    _set_status(session, actor, order, "sent", "send")
    return order


def cancel_order(session: Session, actor: Actor, number: str) -> PurchaseOrder:
    """Cancel an order nothing has been received against."""
    actor.require("logistics.write", "cancel purchase orders")
    order = find_order(session, number)
    assert order.id is not None
    if order.status in ("cancelled", "closed") or any(
        line.received_qty for line in order_lines(session, order.id)
    ):
        raise RuleViolation(f"{order.number} is {order.status}; it cannot be cancelled")
    _set_status(session, actor, order, "cancelled", "cancel")
    return order


def close_order(session: Session, actor: Actor, number: str) -> PurchaseOrder:
    """Close an order short: nothing more is expected against it."""
    actor.require("logistics.manage", "close purchase orders")
    order = find_order(session, number)
    if order.status not in ("partly_received", "received", "sent", "approved"):
        raise RuleViolation(f"{order.number} is {order.status}; it cannot be closed")
    _set_status(session, actor, order, "closed", "close")
    return order


# -- receipts -----------------------------------------------------------------------------------


def receive(session: Session, actor: Actor, data: ReceiptCreate) -> Receipt:
    """Receive goods against an order: stock moves in, inventory posted against GRNI.

    Raises:
        RuleViolation: the order is not open to receive, more than the line allows, or the
            period is closed.
        ValidationFailed: a lot-tracked item without its lot, an unknown line.
    """
    from sqlalchemy import insert

    from bo_console.core import audit, inbox
    from bo_console.logistics.models import Receipt, ReceiptCreate, ReceiptLine

    actor.require("logistics.write", "receive goods")
    data = validated(ReceiptCreate, data, "receipt")
    order = find_order(session, data.order)
    if order.status not in OPEN_TO_RECEIVE:
        raise RuleViolation(
            f"{order.number} is {order.status}; goods are received only against an approved order"
        )
    assert order.id is not None
    location = find_location(session, data.location) if data.location else None
    location_id = location.id if location is not None else order.location_id
    assert location_id is not None
    lines = {line.line_no: line for line in order_lines(session, order.id)}
    receipt = Receipt(
        number=next_number(session, "lg_receipt", "GRN", data.date.year),
        order_id=order.id,
        date=data.date,
        location_id=location_id,
        created_by=actor.login,
    )
    session.add(receipt)
    flush(session)
    assert receipt.id is not None
    stock_total = grni_total = 0
    # The lots, the moves, the receipt's lines and the order lines' new quantities are each
    # written with one statement after every line is checked.
    received: dict[int, int] = {}
    checked: list[tuple[PurchaseOrderLine, Item, ReceiptLineCreate]] = []
    for got in data.lines:
        line = lines.get(got.line)
        if line is None:
            raise ValidationFailed(f"{order.number} has no line {got.line}")
        before = line.received_qty + received.get(line.line_no, 0)
        if before + got.quantity > line.max_receive:
            left = line.max_receive - before
            raise RuleViolation(
                f"{order.number} line {line.line_no}: {before} of {line.quantity} "
                f"received; at most {left} more can be"
            )
        item = item_by_id(session, line.item_id)
        assert item is not None and line.id is not None
        received[line.line_no] = received.get(line.line_no, 0) + got.quantity
        checked.append((line, item, got))
    lots = lots_for_receipts(session, [(item, got.lot, got.expiry) for _, item, got in checked])
    planned: list[PlannedMove] = []
    new_lines: list[dict[str, object]] = []
    for (line, item, got), lot in zip(checked, lots, strict=True):
        grni = got.quantity * line.unit_price
        value = got.quantity * item.standard_cost if item.costing == "standard" else grni
        assert location_id is not None
        planned.append(PlannedMove(item, location_id, lot.id if lot else None, got.quantity, value))
        move_serials(
            session,
            actor,
            item=item,
            serials=got.serials,
            quantity=got.quantity,
            location_id=location_id,
            on=data.date,
            source="receipt",
            source_ref=receipt.number,
        )
        new_lines.append(
            {
                "receipt_id": receipt.id,
                "po_line_id": line.id,
                "item_id": line.item_id,
                "lot_id": lot.id if lot else None,
                "quantity": got.quantity,
                "unit_price": line.unit_price,
                "value": grni,
                "billed_qty": 0,
                "billed_value": 0,
            }
        )
        stock_total += value
        grni_total += grni
    add_moves(
        session,
        actor,
        planned,
        on=data.date,
        kind="receipt",
        source="receipt",
        source_ref=receipt.number,
    )
    for line_no, quantity in received.items():
        lines[line_no].received_qty += quantity
    session.execute(insert(ReceiptLine.__table__), new_lines)  # type: ignore[attr-defined]
    flush(session)
    receipt.value = grni_total
    receipt.entry_ref = post_stock_entry(
        session,
        actor,
        on=data.date,
        memo=f"Goods receipt {receipt.number} for {order.number}",
        source_ref=receipt.number,
        postings=[
            Posting("inventory", stock_total),
            Posting("grni", -grni_total),
            Posting("price_variance", grni_total - stock_total),
        ],
        permission="logistics.write",
    )
    session.add(receipt)
    all_lines = lines.values()
    done = all(line.received_qty >= line.quantity for line in all_lines)
    _set_status(session, actor, order, "received" if done else "partly_received", "receive")
    audit.record(
        session,
        actor,
        action="receive",
        entity="receipt",
        entity_id=receipt.number,
        changes={
            "order": (None, order.number),
            "value": (None, grni_total),
            "entry": (None, receipt.entry_ref),
        },
    )
    # The truck the gate announced has been received: its inbox item is done.
    inbox.close_linked(
        session,
        actor,
        kind="gate-delivery",
        link=inbox.Link("purchase-order", order.number),
        state="done",
        note=f"Received as {receipt.number}.",
    )
    return receipt


def find_receipt(session: Session, number: str) -> Receipt:
    from bo_console.logistics.common import by_number
    from bo_console.logistics.models import Receipt

    return by_number(session, Receipt, number, "goods receipt")


# -- reading ------------------------------------------------------------------------------------
