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

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

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
    status: str, delivered: int, invoiced: int, shipments: list[str], invoices: dict[str, str]
) -> str:
    """The stage of an order of ``status`` whose lines delivered and invoiced so many units,
    with shipments in the states ``shipments`` and its invoices in ``invoices``."""
    if status == "cancelled":
        return "cancelled"
    if status == "draft":
        return "quotation"
    live = {n: s for n, s in invoices.items() if s != "void"}
    if live and invoiced and invoiced >= delivered:
        return "paid" if all(s == "paid" for s in live.values()) else "invoiced"
    if any(s in ("shipped", "delivered") for s in shipments):
        return "shipped"
    if shipments:
        return "picked"
    return "reserved"


def order_status(db: Reads, actor: Actor, number: str) -> OrderStatus:
    """Where sales order ``number`` stands (logistics, or the front office), through a Reader
    (``bo front status``) or a session.

    Raises:
        NotFound: no such order.
    """
    from bo_console.core.errors import NotFound
    from bo_console.core.lookups import day_of
    from bo_console.core.reading import reader_of
    from bo_console.finance import reading as finance

    if not actor.can("front.read"):
        actor.require("logistics.read", "see sales orders")
    reader = reader_of(db)
    wanted = number.strip().upper()
    order = reader.first(
        """SELECT o.id, o.number, p.code, p.name, o.date, o.requested, o.status, o.total
           FROM lg_sales_order o JOIN fin_party p ON p.id = o.customer_id
           WHERE o.number = :n""",
        {"n": wanted},
    )
    if order is None:
        raise NotFound(f"no sales order {wanted!r}")
    order_id, found, code, name, day, requested, status, total = order
    lines = tuple(
        OrderLineStatus(int(n), str(sku), str(item), int(q), int(d), int(i), int(price))
        for n, sku, item, q, d, i, price in reader.rows(
            """SELECT x.line_no, i.sku, i.name, x.quantity, x.delivered_qty, x.invoiced_qty,
                      x.unit_price
               FROM lg_so_line x JOIN lg_item i ON i.id = x.item_id
               WHERE x.order_id = :o ORDER BY x.line_no""",
            {"o": order_id},
        )
    )
    shipments = tuple(
        ShipmentStatus(str(n), _day(d), str(carrier), str(tracking), str(state), invoice)
        for n, d, carrier, tracking, state, invoice in reader.rows(
            "SELECT number, date, carrier, tracking, status, invoice FROM lg_delivery "
            "WHERE order_id = :o ORDER BY id",
            {"o": order_id},
        )
    )
    numbers = sorted({s.invoice for s in shipments if s.invoice})
    invoices = finance.invoice_states(reader, actor, numbers)
    stage = _stage(
        str(status),
        sum(x.shipped for x in lines),
        sum(x.invoiced for x in lines),
        [s.status for s in shipments],
        invoices,
    )
    return OrderStatus(
        number=str(found),
        customer=str(code),
        customer_name=str(name),
        date=_day(day),
        requested=day_of(requested),
        stage=stage,
        total=int(total),
        lines=lines,
        shipments=shipments,
        invoices=invoices,
    )


def _day(value: object) -> date:
    """A date column that is never empty, as a date."""
    from bo_console.core.lookups import day_of

    found = day_of(value)
    assert found is not None
    return found


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
