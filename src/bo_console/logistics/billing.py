"""The supplier's bill for a goods receipt: the three-way match of order, receipt and bill.

The bill is finance's document: its lines go to GRNI at the billed price, and the difference
between what they clear and what the receipt put there goes to the price-variance account, so
GRNI always equals what was received and not yet billed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.logistics.common import Posting, flush, item_by_id, post_stock_entry
from bo_console.logistics.purchasing import find_receipt
from bo_console.logistics.stock import divide

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor


@dataclass(frozen=True)
class BillLine:
    """What the supplier bills for one line of a receipt (its line number there, 1-based)."""

    line: int
    quantity: int
    unit_price: int


@dataclass(frozen=True)
class BillResult:
    bill: str
    total: int
    variance: int
    variance_entry: str


def bill_receipt(
    session: Session,
    actor: Actor,
    number: str,
    *,
    on: date,
    reference: str,
    lines: Sequence[BillLine],
    tax_code: str = "S15",
) -> BillResult:
    """Enter and post the supplier's bill for a receipt (three-way: order, receipt, bill).

    Billed is never more than received; the bill's lines clear GRNI at the receipt's value and
    any price difference goes to the price-variance account.

    Raises:
        RuleViolation: more billed than received (and not yet billed).
        PermissionDenied: without finance.post (the bill is finance's document).
    """
    from sqlmodel import col, select

    from bo_console.core import audit
    from bo_console.finance import service as finance
    from bo_console.logistics.common import account
    from bo_console.logistics.models import (
        PurchaseOrder,
        PurchaseOrderLine,
        ReceiptLine,
    )

    actor.require("finance.post", "enter supplier bills")
    receipt = find_receipt(session, number)
    order = session.get(PurchaseOrder, receipt.order_id)
    assert order is not None and receipt.id is not None
    received = list(
        session.exec(
            select(ReceiptLine)
            .where(ReceiptLine.receipt_id == receipt.id)
            .order_by(col(ReceiptLine.id))
        ).all()
    )
    if not lines:
        raise ValidationFailed("a bill needs at least one line")
    grni = account(session, "grni")
    # The order lines read in one query before any change (a look-up per line would flush
    # the line changed before it, one UPDATE at a time).
    po_lines = {
        po_line.id: po_line
        for po_line in session.exec(
            select(PurchaseOrderLine).where(
                col(PurchaseOrderLine.id).in_({got.po_line_id for got in received})
            )
        ).all()
    }
    doc_lines = []
    cleared = 0
    for bl in lines:
        if not 1 <= bl.line <= len(received):
            raise ValidationFailed(f"{receipt.number} has no line {bl.line}")
        if bl.quantity <= 0 or bl.unit_price < 0:
            raise ValidationFailed(f"line {bl.line}: a positive quantity and a price")
        got = received[bl.line - 1]
        left = got.quantity - got.billed_qty
        if bl.quantity > left:
            raise RuleViolation(
                f"{receipt.number} line {bl.line}: {got.quantity} received, {got.billed_qty} "
                f"billed; at most {left} more can be billed"
            )
        # The last units billed clear what is left of the line's value (no rounding residue).
        part = (
            got.value - got.billed_value
            if bl.quantity == left
            else divide(bl.quantity * got.value, got.quantity)
        )
        got.billed_qty += bl.quantity
        got.billed_value += part
        cleared += part
        session.add(got)
        po_line = po_lines[got.po_line_id]
        po_line.billed_qty += bl.quantity
        session.add(po_line)
        item = item_by_id(session, got.item_id)
        assert item is not None
        doc_lines.append(
            finance.DocumentLineCreate(
                description=f"{item.sku} {item.name} ({receipt.number})"[:200],
                quantity=bl.quantity * 1000,
                unit_price=bl.unit_price,
                tax_code=tax_code,
                account=grni,
            )
        )
    flush(session)
    party_code = _party_code(session, order.supplier_id)
    draft = finance.create_document(
        session,
        actor,
        finance.DocumentCreate(
            kind="bill",
            party=party_code,
            date=on,
            reference=reference,
            memo=f"{order.number} / {receipt.number}",
            lines=doc_lines,
        ),
    )
    assert draft.id is not None
    document = finance.post_document(session, actor, draft.id)
    assert document.number is not None
    variance = document.net - cleared
    variance_entry = post_stock_entry(
        session,
        actor,
        on=on,
        memo=f"Price difference {document.number} against {receipt.number}",
        source_ref=f"PPV-{document.number}",
        postings=[Posting("price_variance", variance), Posting("grni", -variance)],
        permission="finance.post",
    )
    audit.record(
        session,
        actor,
        action="bill",
        entity="receipt",
        entity_id=receipt.number,
        changes={
            "bill": (None, document.number),
            "cleared": (None, cleared),
            "variance": (None, variance),
        },
    )
    return BillResult(document.number, document.total, variance, variance_entry)


def _party_code(session: Session, party_id: int) -> str:
    from bo_console.finance import service as finance

    return finance.find_party(session, f"#{party_id}").code
