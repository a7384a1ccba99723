"""What the front office may know of an order: where a sales order stands (quotation,
reserved, picked, shipped, invoiced, paid) and which purchase order a truck at the gate
delivers against; never a cost, a margin or another customer's balance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.logistics.models import Delivery, SalesOrder, SalesOrderLine

STAGES = ("quotation", "reserved", "picked", "shipped", "invoiced", "paid", "cancelled")
"""Where a sales order stands, as the front office tells the customer."""


@dataclass(frozen=True)
class OrderLineStatus:
    line: int
    sku: str
    name: str
    ordered: int
    shipped: int
    invoiced: int
    unit_price: int


@dataclass(frozen=True)
class ShipmentStatus:
    number: str
    date: date
    carrier: str
    tracking: str
    status: str
    invoice: str | None


@dataclass(frozen=True)
class OrderStatus:
    """A sales order as its customer may hear of it."""

    number: str
    customer: str
    customer_name: str
    date: date
    requested: dt.date | None
    stage: str
    total: int
    lines: tuple[OrderLineStatus, ...]
    shipments: tuple[ShipmentStatus, ...]
    invoices: dict[str, str]
    """Invoice number -> posted (unpaid), partly_paid, paid or void."""


def _stage(
    order: SalesOrder,
    lines: list[SalesOrderLine],
    shipments: list[Delivery],
    invoices: dict[str, str],
) -> str:
    if order.status == "cancelled":
        return "cancelled"
    if order.status == "draft":
        return "quotation"
    live = {n: s for n, s in invoices.items() if s != "void"}
    delivered = sum(x.delivered_qty for x in lines)
    invoiced = sum(x.invoiced_qty for x in lines)
    if live and invoiced and invoiced >= delivered:
        return "paid" if all(s == "paid" for s in live.values()) else "invoiced"
    if any(d.status in ("shipped", "delivered") for d in shipments):
        return "shipped"
    if shipments:
        return "picked"
    return "reserved"


def order_status(session: Session, actor: Actor, number: str) -> OrderStatus:
    """Where sales order ``number`` stands (logistics, or the front office).

    Raises:
        NotFound: no such order.
    """
    from sqlmodel import col, select

    from bo_console.finance import service as finance
    from bo_console.logistics.models import Delivery, Item
    from bo_console.logistics.selling import find_sales_order, sales_lines

    if not actor.can("front.read"):
        actor.require("logistics.read", "see sales orders")
    order = find_sales_order(session, number.strip().upper())
    assert order.id is not None
    lines = sales_lines(session, order.id)
    shipments = list(
        session.exec(
            select(Delivery).where(Delivery.order_id == order.id).order_by(col(Delivery.id))
        ).all()
    )
    numbers = sorted({d.invoice for d in shipments if d.invoice})
    invoices = finance.invoice_states(session, actor, numbers)
    party = finance.find_party(session, f"#{order.customer_id}")
    items = {
        i.id: i
        for i in session.exec(
            select(Item).where(col(Item.id).in_({x.item_id for x in lines}))
        ).all()
    }
    return OrderStatus(
        number=order.number,
        customer=party.code,
        customer_name=party.name,
        date=order.date,
        requested=order.requested,
        stage=_stage(order, lines, shipments, invoices),
        total=order.total,
        lines=tuple(
            OrderLineStatus(
                x.line_no,
                items[x.item_id].sku,
                items[x.item_id].name,
                x.quantity,
                x.delivered_qty,
                x.invoiced_qty,
                x.unit_price,
            )
            for x in lines
        ),
        shipments=tuple(
            ShipmentStatus(d.number, d.date, d.carrier, d.tracking, d.status, d.invoice)
            for d in shipments
        ),
        invoices=invoices,
    )


@dataclass(frozen=True)
class PurchaseOrderBrief:
    """What the gate needs to know of a purchase order."""

    number: str
    supplier: str
    supplier_name: str
    status: str


def purchase_order_brief(session: Session, actor: Actor, number: str) -> PurchaseOrderBrief:
    """The supplier and status of purchase order ``number`` (logistics, or the front office
    recording a delivery at the gate); no prices.

    Raises:
        NotFound: no such order.
    """
    from bo_console.finance import service as finance
    from bo_console.logistics.purchasing import find_order

    if not actor.can("front.write"):
        actor.require("logistics.read", "see purchase orders")
    order = find_order(session, number.strip().upper())
    party = finance.find_party(session, f"#{order.supplier_id}")
    return PurchaseOrderBrief(order.number, party.code, party.name, order.status)


def orders_by_reference(session: Session, actor: Actor, refs: list[str]) -> dict[str, str]:
    """The sales orders already received for senders' references: reference -> number."""
    from sqlmodel import col, select

    from bo_console.logistics.models import SalesOrder

    if not actor.can("front.read"):
        actor.require("logistics.read", "see sales orders")
    if not refs:
        return {}
    rows = session.exec(
        select(SalesOrder.external_ref, SalesOrder.number).where(
            col(SalesOrder.external_ref).in_(refs)
        )
    ).all()
    return {str(ref): str(number) for ref, number in rows}
