"""Reading documents: lists and one document with its lines and allocations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import ValidationFailed
from bo_console.finance.document_view import (
    AllocationView,
    DocumentLineView,
    DocumentRow,
    DocumentView,
    document_row,
)
from bo_console.finance.documents.common import SIDES

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

__all__ = ["AllocationView", "DocumentLineView", "DocumentRow", "DocumentView"]

# -- reading ------------------------------------------------------------------------------------


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


_DOCUMENT_STATUSES = ("draft", "posted", "partly_paid", "paid", "void")
"""``document_models.DOCUMENT_STATUSES``, which a test holds equal (the list reads without
the models)."""


def list_documents(db: Reads, actor: Actor, flt: DocumentFilter) -> list[DocumentRow]:
    """Invoices and credit notes (``side='sales'``) or bills and supplier credit notes
    (``'purchases'``), newest first, read through a Reader or a session."""
    from bo_console.core.lookups import base_currency_of
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
    return [document_row(row, money) for row in reader.rows(sql, params)]


def get_document(session: Session, actor: Actor, ref: str | int) -> DocumentView:
    """One document with its lines, its allocations and the entries and notes it links."""
    from bo_console.finance.document_view import read_document

    return read_document(session, actor, ref)


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
