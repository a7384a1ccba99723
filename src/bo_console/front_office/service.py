"""The front office's service: each step a customer-facing clerk takes, as one call that the
``bo front`` commands and the Front office screen share.

The front office reaches the departments only through their services; each of those checks
the front office's permissions (``front.read``, ``front.write``) itself, so what the front
office sees of an order is its stage, lines, shipments and whether its invoices are paid, and
never a cost, a ledger or a salary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.core import inbox
from bo_console.core.errors import NotFound, RuleViolation
from bo_console.finance import service as finance
from bo_console.front_office.models import (
    CustomerRequest,
    GateDelivery,
    QuotationCreate,
    TicketRequest,
    WalkInCV,
)
from bo_console.front_office.status import order_status as order_status
from bo_console.logistics import service as logistics

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import WorkItem
    from bo_console.core.security import Actor
    from bo_console.it.service import TicketView

CustomerRegistration = finance.CustomerRegistration
CustomerView = finance.CustomerView
OrderStatus = logistics.OrderStatus

__all__ = [
    "CustomerRegistration",
    "CustomerRequest",
    "CustomerView",
    "GateDelivery",
    "OrderStatus",
    "QuotationCreate",
    "TicketRequest",
    "WalkInCV",
    "convert_quotation",
    "enter_quotation",
    "hand_in_cv",
    "my_requests",
    "order_actions",
    "order_status",
    "raise_ticket",
    "record_gate_delivery",
    "register_customer",
    "request_invoice_copy",
    "request_statement",
]


def _desk(actor: Actor, doing: str) -> None:
    actor.require("front.write", doing)


def register_customer(
    session: Session, actor: Actor, data: CustomerRegistration
) -> tuple[CustomerView, int]:
    """Register a new customer, pending finance's approval (returns it and the approval
    item's id)."""
    _desk(actor, "register customers")
    return finance.register_customer(session, actor, data)


def enter_quotation(session: Session, actor: Actor, data: QuotationCreate) -> OrderStatus:
    """Enter a quotation: a draft sales order, nothing reserved yet."""
    from bo_console.core.errors import FieldError, ValidationFailed
    from bo_console.core.money import base_currency

    _desk(actor, "enter quotations")
    data = QuotationCreate.model_validate(data.model_dump())
    currency = base_currency(session)
    prices: list[int | None] = []
    for n, x in enumerate(data.lines, start=1):
        try:
            prices.append(currency.parse(x.price) if x.price else None)
        except ValueError as exc:
            raise ValidationFailed("", [FieldError("lines", f"line {n}: {exc}")]) from None
    order = logistics.create_sales_order(
        session,
        actor,
        logistics.SalesOrderCreate(
            customer=data.customer,
            date=data.date,
            requested=data.requested,
            memo=data.memo,
            lines=[
                logistics.OrderLineCreate(item=x.item, quantity=x.quantity, unit_price=price)
                for x, price in zip(data.lines, prices, strict=True)
            ],
        ),
    )
    return logistics.order_status(session, actor, order.number)


def convert_quotation(session: Session, actor: Actor, number: str) -> OrderStatus:
    """The customer accepts: the quotation becomes a sales order and its stock is reserved.

    Raises:
        RuleViolation: not a quotation, or the stock does not cover it.
    """
    _desk(actor, "turn quotations into orders")
    order = logistics.confirm_sales_order(session, actor, number.strip().upper())
    return logistics.order_status(session, actor, order.number)


def order_actions(actor: Actor, status: OrderStatus) -> frozenset[str]:
    """What ``actor`` may do next with an order at the desk: ``convert`` a quotation the
    customer accepted into a sales order (``front.write``)."""
    may = actor.can("front.write") and status.stage == "quotation"
    return frozenset({"convert"}) if may else frozenset()


def _customer(session: Session, actor: Actor, ref: str) -> CustomerView:
    view = finance.customer_status(session, actor, ref)
    if view.status != "approved":
        raise RuleViolation(f"customer {view.code} {view.name} is {view.status}")
    return view


def request_invoice_copy(session: Session, actor: Actor, data: CustomerRequest) -> WorkItem:
    """Ask finance to send a copy of one of the customer's invoices.

    Raises:
        NotFound: no such invoice.
    """
    _desk(actor, "request invoice copies")
    data = CustomerRequest.model_validate(data.model_dump())
    customer = _customer(session, actor, data.customer)
    number = data.document.upper()
    if not number or number not in finance.invoice_states(session, actor, [number]):
        raise NotFound(f"no sales invoice {data.document!r}")
    return inbox.create_item(
        session,
        actor,
        from_dept="front",
        item=inbox.NewWorkItem(
            kind="invoice-copy",
            subject=f"Copy of {number} for {customer.name}",
            body=data.note,
            links=(
                inbox.Link("party", customer.code, customer.name[:120]),
                inbox.Link("document", number),
            ),
        ),
    )


def request_statement(session: Session, actor: Actor, data: CustomerRequest) -> WorkItem:
    """Ask finance to send the customer a statement of account."""
    _desk(actor, "request statements")
    data = CustomerRequest.model_validate(data.model_dump())
    customer = _customer(session, actor, data.customer)
    return inbox.create_item(
        session,
        actor,
        from_dept="front",
        item=inbox.NewWorkItem(
            kind="customer-statement",
            subject=f"Statement of account for {customer.name}",
            body=data.note,
            links=(inbox.Link("party", customer.code, customer.name[:120]),),
        ),
    )


def raise_ticket(session: Session, actor: Actor, data: TicketRequest) -> TicketView:
    """Raise an IT ticket as the front-desk clerk."""
    from bo_console.it import service as it

    data = TicketRequest.model_validate(data.model_dump())
    return it.raise_ticket(
        session,
        actor,
        it.TicketCreate(subject=data.subject, description=data.description, priority=data.priority),
    )


def hand_in_cv(session: Session, actor: Actor, data: WalkInCV) -> int:
    """Record a walk-in CV as a candidate for an opening; HR gets an item to review it.
    Returns the candidate's id."""
    from bo_console.core.clock import today
    from bo_console.hr.service import recruiting

    _desk(actor, "hand in CVs")
    data = WalkInCV.model_validate(data.model_dump())
    candidate = recruiting.walk_in_cv(
        session,
        actor,
        opening_id=data.opening,
        name=data.name,
        email=data.email,
        phone=data.phone,
        applied_on=today(),
        note=data.note,
    )
    return candidate.id or 0


def openings(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Openings a walk-in CV can be handed in for, as (id, title)."""
    from bo_console.hr.service import recruiting

    return recruiting.openings_taking_applications(session, actor)


def record_gate_delivery(session: Session, actor: Actor, data: GateDelivery) -> WorkItem:
    """A supplier's truck is at the gate: logistics gets an item to receive it against the
    purchase order (receiving closes the item).

    Raises:
        NotFound: no such purchase order.
        RuleViolation: the order is not open to receive.
    """
    _desk(actor, "record deliveries at the gate")
    data = GateDelivery.model_validate(data.model_dump())
    order = logistics.purchase_order_brief(session, actor, data.order)
    if order.status not in logistics.OPEN_TO_RECEIVE:
        raise RuleViolation(f"{order.number} is {order.status}; nothing is expected against it")
    note = f"Delivery note {data.delivery_note}, " if data.delivery_note else ""
    return inbox.create_item(
        session,
        actor,
        from_dept="front",
        item=inbox.NewWorkItem(
            kind="gate-delivery",
            subject=f"At the gate: {order.supplier_name} for {order.number}",
            body=f"{note}{data.packages} packages. {data.note}".strip(),
            links=(
                inbox.Link("purchase-order", order.number),
                inbox.Link("party", order.supplier, order.supplier_name[:120]),
            ),
        ),
    )


def my_requests(session: Session, actor: Actor, *, status: str = "all") -> list[WorkItem]:
    """The items the actor raised, in any department, and where each stands."""
    return inbox.list_items(session, actor, raised=True, status=status)
