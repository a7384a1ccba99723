"""Reading documents: lists and one document with its lines and allocations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.security import Actor
    from bo_console.finance.document_models import (
        Document,
        Party,
    )
from bo_console.finance.documents.common import (
    SIDES,
    _lines_of,
    find_document,
    format_quantity,
)

# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRow:
    """A document as lists show it (amounts in major units)."""

    id: int
    ref: str
    kind: str
    date: date
    due_date: dt.date
    party: str
    party_name: str
    reference: str
    status: str
    net: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal
    open: Decimal


@dataclass(frozen=True)
class DocumentLineView:
    line_no: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    account: str
    tax_code: str
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class AllocationView:
    payment: str
    date: date
    amount: Decimal
    payment_status: str


@dataclass(frozen=True)
class DocumentView:
    """A document with its lines, allocations and links."""

    row: DocumentRow
    memo: str
    entry: str
    voids: str
    voided_by: str
    created_by: str
    created_at: datetime
    posted_by: str
    posted_at: datetime | None
    lines: tuple[DocumentLineView, ...]
    allocations: tuple[AllocationView, ...]


@dataclass(frozen=True)
class DocumentFilter:
    """What document lists filter on."""

    side: str = "sales"
    status: str | None = None
    party: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue_on: date | None = None
    search: str | None = None
    limit: int = 200


def _row(document: Document, party: Party, money: Currency) -> DocumentRow:
    return DocumentRow(
        id=document.id or 0,
        ref=document.ref,
        kind=document.kind,
        date=document.date,
        due_date=document.due_date,
        party=party.code,
        party_name=party.name,
        reference=document.reference,
        status=document.status,
        net=money.from_minor(document.net),
        tax=money.from_minor(document.tax),
        total=money.from_minor(document.total),
        paid=money.from_minor(document.paid),
        open=money.from_minor(document.open_amount),
    )


def list_documents(session: Session, actor: Actor, flt: DocumentFilter) -> list[DocumentRow]:
    """Invoices and credit notes (``side='sales'``) or bills and supplier credit notes
    (``'purchases'``), newest first."""
    from sqlmodel import col, select

    from bo_console.core.money import base_currency
    from bo_console.core.text import fold
    from bo_console.finance.document_models import DOCUMENT_STATUSES, Document, Party
    from bo_console.finance.parties import find_party

    actor.require("finance.read", "read invoices and bills")
    if flt.side not in SIDES:
        raise ValidationFailed("side is sales or purchases")
    stmt = (
        select(Document, Party)
        .join(Party, col(Party.id) == col(Document.party_id))
        .where(col(Document.kind).in_(SIDES[flt.side]))
    )
    if flt.status:
        if flt.status == "open":
            stmt = stmt.where(col(Document.status).in_(("posted", "partly_paid")))
        elif flt.status not in DOCUMENT_STATUSES:
            raise ValidationFailed(f"status is open or one of {', '.join(DOCUMENT_STATUSES)}")
        else:
            stmt = stmt.where(Document.status == flt.status)
    if flt.party:
        stmt = stmt.where(Document.party_id == find_party(session, flt.party).id)
    if flt.date_from:
        stmt = stmt.where(col(Document.date) >= flt.date_from)
    if flt.date_to:
        stmt = stmt.where(col(Document.date) <= flt.date_to)
    if flt.overdue_on:
        stmt = stmt.where(
            col(Document.status).in_(("posted", "partly_paid")),
            col(Document.due_date) < flt.overdue_on,
        )
    if flt.search:
        key = fold(flt.search)
        like = f"%{flt.search.strip()}%"
        stmt = stmt.where(
            col(Party.search_key).contains(key)
            | col(Document.number).ilike(like)
            | col(Document.reference).ilike(like)
            | col(Document.memo).ilike(like)
        )
    stmt = stmt.order_by(col(Document.date).desc(), col(Document.id).desc()).limit(flt.limit)
    currency = base_currency(session)
    return [_row(d, p, currency) for d, p in session.exec(stmt).all()]


def get_document(session: Session, actor: Actor, ref: str | int) -> DocumentView:
    """One document with its lines, its allocations and the entries and notes it links."""
    from sqlmodel import col, select

    from bo_console.core.money import base_currency
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.document_models import Allocation, Document, Party, Payment
    from bo_console.finance.models import Entry

    actor.require("finance.read", "read invoices and bills")
    document = find_document(session, ref)
    assert document.id is not None
    party = session.get(Party, document.party_id)
    assert party is not None
    currency = base_currency(session)
    chart = load_chart(session)
    entry = session.get(Entry, document.entry_id) if document.entry_id else None

    def ref_of(document_id: int | None) -> str:
        other = session.get(Document, document_id) if document_id else None
        return other.ref if other is not None else ""

    lines = tuple(
        DocumentLineView(
            line_no=line.line_no,
            description=line.description,
            quantity=format_quantity(line.quantity),
            unit_price=currency.from_minor(line.unit_price),
            account=chart.accounts[line.account_id].code,
            tax_code=line.tax_code,
            net=currency.from_minor(line.net),
            tax=currency.from_minor(line.tax),
        )
        for line in _lines_of(session, document.id)
    )
    allocations = tuple(
        AllocationView(
            payment=payment.number,
            date=allocation.date,
            amount=currency.from_minor(allocation.amount),
            payment_status=payment.status,
        )
        for allocation, payment in session.exec(
            select(Allocation, Payment)
            .join(Payment, col(Payment.id) == col(Allocation.payment_id))
            .where(Allocation.document_id == document.id)
            .order_by(col(Allocation.date), col(Allocation.id))
        ).all()
    )
    return DocumentView(
        row=_row(document, party, currency),
        memo=document.memo,
        entry=entry.ref if entry is not None else "",
        voids=ref_of(document.voids_id),
        voided_by=ref_of(document.voided_by_id),
        created_by=document.created_by,
        created_at=document.created_at,
        posted_by=document.posted_by or "",
        posted_at=document.posted_at,
        lines=lines,
        allocations=allocations,
    )


def owes(row: DocumentRow) -> bool:
    """Whether a payment can still be applied to the document: posted (or partly paid) with
    something left open."""
    return row.status in ("posted", "partly_paid") and row.open > 0


def document_actions(actor: Actor, view: DocumentView) -> frozenset[str]:
    """What ``actor`` may do next with this document: ``post`` or ``delete`` a draft and
    ``pay`` what it still owes (``finance.post``), ``void`` a posted invoice or bill with
    nothing paid on it (``finance.manage``), open its journal ``entry``."""
    r = view.row
    allowed: set[str] = set()
    if actor.can("finance.post"):
        if r.status == "draft":
            allowed |= {"post", "delete"}
        if owes(r):
            allowed.add("pay")
    if actor.can("finance.manage") and r.status == "posted" and r.kind in ("invoice", "bill"):
        allowed.add("void")
    if view.entry:
        allowed.add("entry")
    return frozenset(allowed)
