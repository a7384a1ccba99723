"""Customer returns: goods back against a shipped sales order line, and the hand-off to finance.

A return takes back at most what a line shipped less what came back before (the database
refuses more, ``0017``). The goods go back into stock at the cost they left at (Dr inventory
/ Cr cost of sales): into a bin the clerk names, or into the quarantine bin ``RETURNS`` of
the warehouse they were shipped from. When the returned units had been invoiced, finance gets
a ``credit-note-request`` work item linked to the invoice and the return, so it issues the
credit note; units not yet invoiced are simply left out of the next invoice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlmodel import col, select

from bo_console.core import audit, inbox
from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics.common import (
    Posting,
    by_number,
    find_location,
    find_lot,
    flush,
    item_by_id,
    next_number,
    post_stock_entry,
    validated,
)
from bo_console.logistics.models import Delivery, Location, SalesOrderLine, Warehouse

# The list reads without the ORM; its old names stay importable from here.
from bo_console.logistics.return_list import ReturnRow as ReturnRow
from bo_console.logistics.return_list import list_returns as list_returns
from bo_console.logistics.return_models import (
    CustomerReturn,
    CustomerReturnLine,
    ReturnCreate,
)
from bo_console.logistics.selling import find_sales_order, returned_qty, sales_lines
from bo_console.logistics.stock import add_move, divide

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

RETURNS_BIN = "RETURNS"
"""The quarantine bin of a warehouse, where returned goods wait to be checked."""

CREDIT_NOTE_REQUEST = "credit-note-request"


def _shipped_lots(session: Session, so_line_id: int) -> dict[int | None, tuple[int, int]]:
    """Per lot (None: no lot) of a line, what is still out: (quantity, cost) shipped less
    returned."""
    out: dict[int | None, tuple[int, int]] = {}
    for table, sign in (("lg_delivery_line", 1), ("lg_return_line", -1)):
        rows = session.execute(
            text(
                f"SELECT lot_id, SUM(quantity), SUM({'cost' if sign > 0 else 'value'}) "  # noqa: S608
                f"FROM {table} WHERE so_line_id = :l GROUP BY lot_id"
            ),
            {"l": so_line_id},
        ).all()
        for lot_id, qty, value in rows:
            key = int(lot_id) if lot_id is not None else None
            have = out.get(key, (0, 0))
            out[key] = (have[0] + sign * int(qty), have[1] + sign * int(value))
    return out


def _returns_bin(session: Session, actor: Actor, order_id: int) -> Location:
    """The quarantine bin of the warehouse the order last shipped from (made the first time)."""
    shipped = session.exec(
        select(Delivery.location_id)
        .where(Delivery.order_id == order_id)
        .order_by(col(Delivery.id).desc())
    ).first()
    if shipped is None:
        raise RuleViolation("nothing was shipped on this order")
    origin = session.get(Location, shipped)
    assert origin is not None
    house = session.get(Warehouse, origin.warehouse_id)
    assert house is not None and house.id is not None
    label = f"{house.code}/{RETURNS_BIN}"
    found = session.exec(select(Location).where(Location.label == label)).first()
    if found is not None:
        return found
    location = Location(warehouse_id=house.id, code=RETURNS_BIN, label=label)
    session.add(location)
    flush(session)
    audit.record(session, actor, action="create", entity="location", entity_id=label, changes={})
    return location


def _invoices(session: Session, order_id: int) -> list[str]:
    """The invoices made from an order's deliveries, oldest first."""
    numbers = session.exec(
        select(Delivery.invoice)
        .where(Delivery.order_id == order_id, col(Delivery.invoice).is_not(None))
        .order_by(col(Delivery.id))
    ).all()
    return list(dict.fromkeys(str(n) for n in numbers))


def _credit_qty(line: SalesOrderLine, before: int, quantity: int) -> int:
    """Invoiced units this return takes back: what the invoices now cover beyond what stays
    delivered, less what earlier returns already took back."""
    after = before + quantity
    over_after = max(0, line.invoiced_qty - (line.delivered_qty - after))
    over_before = max(0, line.invoiced_qty - (line.delivered_qty - before))
    return over_after - over_before


def take_back(session: Session, actor: Actor, data: ReturnCreate) -> CustomerReturn:
    """Take goods back from a customer against a shipped order (logistics.write): stock in at
    its original cost, posted Dr inventory / Cr cost of sales, and a credit-note request to
    finance for what had been invoiced.

    Raises:
        ValidationFailed: an unknown line, or a lot missing where the line shipped several.
        RuleViolation: more than shipped less returned, a lot the line did not ship, a
            closed period.
    """
    actor.require("logistics.write", "take back returns")
    data = validated(ReturnCreate, data, "return")
    order = find_sales_order(session, data.order)
    assert order.id is not None
    if data.location is None:
        location = _returns_bin(session, actor, order.id)
    else:
        location = find_location(session, data.location)
    assert location.id is not None
    disposition = "quarantine" if location.code == RETURNS_BIN else "restock"
    lines = {line.line_no: line for line in sales_lines(session, order.id)}
    invoices = _invoices(session, order.id)
    note = CustomerReturn(
        number=next_number(session, "lg_return", "RET", data.date.year),
        order_id=order.id,
        date=data.date,
        location_id=location.id,
        disposition=disposition,
        reason=data.reason,
        invoice=invoices[-1] if invoices else None,
        created_by=actor.login,
    )
    session.add(note)
    flush(session)
    assert note.id is not None
    value = credit = 0
    credit_lines: list[str] = []
    for want in data.lines:
        line = lines.get(want.line)
        if line is None:
            raise ValidationFailed(f"{order.number} has no line {want.line}")
        assert line.id is not None
        item = item_by_id(session, line.item_id)
        assert item is not None and item.id is not None
        before = returned_qty(session, line.id)
        if want.quantity > line.delivered_qty - before:
            raise RuleViolation(
                f"{order.number} line {line.line_no}: {line.delivered_qty} shipped, {before} "
                f"returned; at most {line.delivered_qty - before} more can come back"
            )
        out = _shipped_lots(session, line.id)
        if want.lot:
            lot_id: int | None = find_lot(session, item, want.lot).id
        else:
            still = [k for k, (q, _v) in out.items() if q > 0]
            if len(still) != 1:
                raise ValidationFailed(
                    f"{order.number} line {line.line_no} shipped from {len(still)} lots; "
                    "name the lot that comes back"
                )
            lot_id = still[0]
        left_qty, left_cost = out.get(lot_id, (0, 0))
        if want.quantity > left_qty:
            raise RuleViolation(
                f"{order.number} line {line.line_no}: {max(left_qty, 0)} shipped from that lot "
                f"and not returned; cannot take back {want.quantity}"
            )
        cost = (
            left_cost if want.quantity == left_qty else divide(want.quantity * left_cost, left_qty)
        )
        add_move(
            session,
            actor,
            item=item,
            location_id=location.id,
            lot_id=lot_id,
            on=data.date,
            kind="return",
            quantity=want.quantity,
            value=cost,
            source="return",
            source_ref=note.number,
            memo=f"from {order.number}",
        )
        credit_qty = _credit_qty(line, before, want.quantity)
        session.add(
            CustomerReturnLine(
                return_id=note.id,
                so_line_id=line.id,
                item_id=item.id,
                lot_id=lot_id,
                quantity=want.quantity,
                value=cost,
                credit_qty=credit_qty,
                unit_price=line.unit_price,
            )
        )
        flush(session)
        value += cost
        if credit_qty:
            credit += credit_qty * line.unit_price
            credit_lines.append(
                f"line {line.line_no} {item.sku}: {credit_qty} x {line.unit_price} "
                f"({line.tax_code})"
            )
    note.value = value
    note.credit_value = credit
    note.entry_ref = post_stock_entry(
        session,
        actor,
        on=data.date,
        memo=f"Return {note.number} from {order.number}",
        source_ref=note.number,
        postings=[Posting("inventory", value), Posting("cost_of_sales", -value)],
        permission="logistics.write",
    )
    if credit:
        links = [inbox.Link("order", order.number)]
        links += [inbox.Link("document", number) for number in invoices]
        item_row = inbox.create_item(
            session,
            actor,
            from_dept="logistics",
            item=inbox.NewWorkItem(
                kind=CREDIT_NOTE_REQUEST,
                subject=f"Credit note for return {note.number} against {note.invoice}",
                body=(
                    f"{order.number}: {data.reason}. Returned and invoiced (unit prices in "
                    f"minor units, before VAT): {'; '.join(credit_lines)}."
                ),
                ref_entity="return",
                ref_id=note.number,
                links=links,
            ),
        )
        note.work_item_id = item_row.id
    session.add(note)
    flush(session)
    audit.record(
        session,
        actor,
        action="create",
        entity="return",
        entity_id=note.number,
        changes={
            "order": (None, order.number),
            "location": (None, location.label),
            "value": (None, value),
            "credit": (None, credit),
            "entry": (None, note.entry_ref),
        },
    )
    return note


def find_return(session: Session, number: str) -> CustomerReturn:
    return by_number(session, CustomerReturn, number, "return")


def return_lines(session: Session, return_id: int) -> list[CustomerReturnLine]:
    return list(
        session.exec(
            select(CustomerReturnLine)
            .where(CustomerReturnLine.return_id == return_id)
            .order_by(col(CustomerReturnLine.id))
        ).all()
    )
