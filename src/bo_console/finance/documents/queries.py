"""Reading documents: lists and one document with its lines and allocations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.reading import Reads
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


_DOCUMENT_STATUSES = ("draft", "posted", "partly_paid", "paid", "void")
"""``document_models.DOCUMENT_STATUSES``, which a test holds equal (the list reads without
the models)."""

_OWED_KINDS = ("invoice", "bill")
"""The kinds something is owed on (``CREDIT_OF``'s keys): a credit note's open amount is 0."""


def list_documents(db: Reads, actor: Actor, flt: DocumentFilter) -> list[DocumentRow]:
    """Invoices and credit notes (``side='sales'``) or bills and supplier credit notes
    (``'purchases'``), newest first, read through a Reader or a session."""
    from bo_console.core.lookups import base_currency_of, day_of
    from bo_console.core.reading import reader_of
    from bo_console.core.text import fold
    from bo_console.finance.parties import party_id_of

    actor.require("finance.read", "read invoices and bills")
    if flt.side not in SIDES:
        raise ValidationFailed("side is sales or purchases")
    reader = reader_of(db)
    where = ["d.kind IN :kinds"]
    params: dict[str, Any] = {"kinds": list(SIDES[flt.side])}
    if flt.status:
        if flt.status == "open":
            where.append("d.status IN ('posted', 'partly_paid')")
        elif flt.status not in _DOCUMENT_STATUSES:
            raise ValidationFailed(f"status is open or one of {', '.join(_DOCUMENT_STATUSES)}")
        else:
            where.append("d.status = :status")
            params["status"] = flt.status
    if flt.party:
        where.append("d.party_id = :party_id")
        params["party_id"] = party_id_of(reader, flt.party)
    if flt.date_from:
        where.append("d.date >= :date_from")
        params["date_from"] = flt.date_from
    if flt.date_to:
        where.append("d.date <= :date_to")
        params["date_to"] = flt.date_to
    if flt.overdue_on:
        where.append("d.status IN ('posted', 'partly_paid') AND d.due_date < :overdue_on")
        params["overdue_on"] = flt.overdue_on
    if flt.search:
        # As the ORM's ilike: case-insensitive on both databases.
        where.append(
            "(p.search_key LIKE '%' || :key || '%' OR lower(d.number) LIKE lower(:like)"
            " OR lower(d.reference) LIKE lower(:like) OR lower(d.memo) LIKE lower(:like))"
        )
        params["key"] = fold(flt.search)
        params["like"] = f"%{flt.search.strip()}%"
    sql = (
        "SELECT d.id, d.number, d.kind, d.date, d.due_date, p.code, p.name, d.reference,"
        " d.status, d.net, d.tax, d.total, d.paid FROM fin_document AS d"
        " JOIN fin_party AS p ON p.id = d.party_id WHERE "
        + " AND ".join(where)
        + " ORDER BY d.date DESC, d.id DESC LIMIT :limit"
    )
    params["limit"] = flt.limit
    money = base_currency_of(reader).from_minor
    out = []
    for row in reader.rows(sql, params):
        doc_id, number, kind, day, due, code, name, reference, status, net, tax, total, paid = row
        owed = status in ("posted", "partly_paid") and kind in _OWED_KINDS
        out.append(
            DocumentRow(
                id=int(doc_id),
                ref=number or f"draft #{doc_id}",
                kind=kind,
                date=cast("date", day_of(day)),
                due_date=cast("date", day_of(due)),
                party=code,
                party_name=name,
                reference=reference,
                status=status,
                net=money(int(net)),
                tax=money(int(tax)),
                total=money(int(total)),
                paid=money(int(paid)),
                open=money(int(total) - int(paid) if owed else 0),
            )
        )
    return out


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
