"""Invoices, bills and payments as the screen's list sources, and the party finder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from bo_console.core.paging import Column, QuerySource
from bo_console.finance.journal import (
    ENTRY_STATES as ENTRY_STATES,
)
from bo_console.finance.journal import (
    NUMBER_SCALE as NUMBER_SCALE,
)
from bo_console.finance.journal import (
    JournalFilter as JournalFilter,
)
from bo_console.finance.journal import (
    entry_number_text as entry_number_text,
)
from bo_console.finance.journal import (
    journal_columns as journal_columns,
)
from bo_console.finance.journal import (
    journal_select as journal_select,
)
from bo_console.finance.journal import (
    journal_text_filter as journal_text_filter,
)

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement, Select
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.money import Currency
    from bo_console.core.security import Actor


# -- invoices, bills and payments ---------------------------------------------------------------

DOCUMENT_KINDS = {"sales": ("invoice", "credit_note"), "purchases": ("bill", "supplier_credit")}
"""The kinds each documents tab lists: invoices with their credit notes, bills with theirs."""

DOCUMENT_STATUS_CHOICES = ("draft", "open", "posted", "partly_paid", "paid", "void")
"""What the documents filter offers (``open``: posted or partly paid)."""


@dataclass(frozen=True)
class DocumentListFilter:
    """The documents tabs' filter form."""

    status: str = ""
    party: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def describe(self) -> str:
        parts = []
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "…"
            end = self.date_to.isoformat() if self.date_to else "…"
            parts.append(f"{start}..{end}")
        if self.party:
            parts.append(self.party)
        if self.status:
            parts.append(self.status)
        return " · ".join(parts)


def _tables(*names: str) -> list[Any]:
    from bo_console.finance.document_models import Document

    return [Document.metadata.tables[name] for name in names]


def document_select(session: Session, side: str, flt: DocumentListFilter) -> Select[Any]:
    """Invoices (``side='sales'``) or bills with their credit notes, for a documents tab.

    Raises:
        NotFound: the filter's party does not exist.
    """
    from sqlalchemy import String, and_, case, cast, func, label, literal, select

    from bo_console.finance.parties import find_party

    documents, parties = _tables("fin_document", "fin_party")
    d, p = documents.c, parties.c
    # What is still owed, as ``Document.open_amount`` has it: posted invoices and bills only.
    open_amount = case(
        (
            and_(d.status.in_(("posted", "partly_paid")), d.kind.in_(("invoice", "bill"))),
            d.total - d.paid,
        ),
        else_=0,
    )
    number = func.coalesce(d.number, literal("draft #") + cast(d.id, String))
    stmt = (
        select(
            d.id,
            label("number", number),
            d.kind,
            d.date,
            d.due_date,
            label("party", p.name),
            label("party_code", p.code),
            d.reference,
            d.status,
            d.total,
            d.paid,
            label("open", open_amount),
            d.memo,
        )
        .select_from(documents.join(parties, p.id == d.party_id))
        .where(d.kind.in_(DOCUMENT_KINDS[side]))
    )
    if flt.status == "open":
        stmt = stmt.where(d.status.in_(("posted", "partly_paid")))
    elif flt.status:
        stmt = stmt.where(d.status == flt.status)
    if flt.party:
        stmt = stmt.where(d.party_id == find_party(session, flt.party).id)
    if flt.date_from is not None:
        stmt = stmt.where(d.date >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(d.date <= flt.date_to)
    return stmt


def document_text_filter(text: str) -> ColumnElement[bool] | None:
    """The ``/`` filter of a documents tab: the party (names folded), number, reference, memo."""
    from sqlalchemy import or_

    from bo_console.core.text import fold

    d, p = (t.c for t in _tables("fin_document", "fin_party"))
    needle = text.strip()
    if not needle:
        return None
    return or_(
        p.search_key.contains(fold(needle), autoescape=True),
        d.number.contains(needle.upper(), autoescape=True),
        d.reference.contains(needle, autoescape=True),
        d.memo.contains(needle, autoescape=True),
    )


def document_source(
    store: Store, actor: Actor, side: str, flt: DocumentListFilter | None = None
) -> tuple[QuerySource, Currency]:
    """Invoices or bills as a virtual-table source, newest first, and the books' currency."""
    from bo_console.core.money import base_currency

    actor.require("finance.read", "read invoices and bills")
    with store.read() as session:
        currency = base_currency(session)
        base = document_select(session, side, flt or DocumentListFilter())
    d = _tables("fin_document")[0].c

    def money(value: Any) -> str:
        return currency.format(int(value)) if value else ""

    columns = [
        # Sorting by the key sorts by entry order, which the status line calls "by Number".
        Column("number", "Number", 14, sort=d.id),
        Column("due_date", "Due", 10, sort=d.due_date, fmt=lambda v: str(v)[:10]),
        Column("party", "Party", 14),
        Column("status", "Status", 11),
        Column("total", "Total", 12, "right", fmt=money),
        Column("open", "Open", 12, "right", fmt=money),
    ]
    source = QuerySource(
        store,
        base,
        d.id,
        columns,
        filter_fn=document_text_filter,
        sort_key=None,
        descending=True,
    )
    return source, currency


def refilter_documents(
    store: Store, source: QuerySource, side: str, flt: DocumentListFilter
) -> None:
    """Point a documents source at a new filter form (the ``/`` text is kept)."""
    with store.read() as session:
        source.base = document_select(session, side, flt)
    source.invalidate()


def payment_source(store: Store, actor: Actor) -> tuple[QuerySource, Currency]:
    """Payments received and made as a virtual-table source, newest first."""
    from sqlalchemy import case, func, label, or_, select

    from bo_console.core.money import base_currency
    from bo_console.core.text import fold

    actor.require("finance.read", "read payments")
    with store.read() as session:
        currency = base_currency(session)
    payments, allocations, parties = _tables("fin_payment", "fin_allocation", "fin_party")
    pay, alloc, p = payments.c, allocations.c, parties.c
    allocated = (
        select(func.coalesce(func.sum(alloc.amount), 0))
        .where(alloc.payment_id == pay.id)
        .scalar_subquery()
    )
    # What a payment still holds on account, as ``payments.list_payments`` has it.
    left = case((pay.status == "posted", pay.amount - allocated), else_=0)
    base = select(
        pay.id,
        pay.number,
        pay.direction,
        pay.date,
        label("party", p.name),
        label("party_code", p.code),
        pay.status,
        pay.amount,
        label("unallocated", left),
        pay.reference,
        pay.memo,
    ).select_from(payments.join(parties, p.id == pay.party_id))

    def matching(text: str) -> ColumnElement[bool] | None:
        needle = text.strip()
        if not needle:
            return None
        return or_(
            p.search_key.contains(fold(needle), autoescape=True),
            pay.number.contains(needle.upper(), autoescape=True),
            pay.reference.contains(needle, autoescape=True),
            pay.memo.contains(needle, autoescape=True),
        )

    def money(value: Any) -> str:
        return currency.format(int(value)) if value else ""

    columns = [
        Column("number", "Number", 15, sort=pay.id),
        Column("date", "Date", 10, sort=pay.date, fmt=lambda v: str(v)[:10]),
        Column("party", "Party", 16),
        Column("status", "Status", 6),
        Column("amount", "Amount", 12, "right", fmt=money),
        Column("unallocated", "On account", 12, "right", fmt=money),
    ]
    source = QuerySource(
        store, base, pay.id, columns, filter_fn=matching, sort_key="date", descending=True
    )
    return source, currency


def note_source(store: Store, actor: Actor) -> tuple[QuerySource, Currency]:
    """Credit and debit notes (customers' and suppliers') as a virtual-table source, newest
    first: what each was issued on, its total and what it still has to apply or settle."""
    from sqlalchemy import label, or_, select

    from bo_console.core.money import base_currency
    from bo_console.core.text import fold
    from bo_console.finance.note_models import Note

    actor.require("finance.read", "read credit and debit notes")
    with store.read() as session:
        currency = base_currency(session)
    notes = Note.metadata.tables["fin_note"]
    documents, parties = _tables("fin_document", "fin_party")
    n, d, p = notes.c, documents.c, parties.c
    base = select(
        n.id,
        n.number,
        n.kind,
        n.date,
        label("party", p.name),
        label("party_code", p.code),
        label("original", d.number),
        n.total,
        label("left", n.total - n.applied),
        n.reason,
    ).select_from(notes.join(parties, p.id == n.party_id).join(documents, d.id == n.original_id))

    def matching(text: str) -> ColumnElement[bool] | None:
        needle = text.strip()
        if not needle:
            return None
        return or_(
            p.search_key.contains(fold(needle), autoescape=True),
            n.number.contains(needle.upper(), autoescape=True),
            d.number.contains(needle.upper(), autoescape=True),
            n.reason.contains(needle, autoescape=True),
        )

    def money(value: Any) -> str:
        return currency.format(int(value)) if value else ""

    columns = [
        Column("number", "Number", 15, sort=n.id),
        Column("date", "Date", 10, sort=n.date, fmt=lambda v: str(v)[:10]),
        Column("original", "On", 15),
        Column("party", "Party", 14),
        Column("total", "Total", 11, "right", fmt=money),
        Column("left", "Left", 11, "right", fmt=money),
    ]
    source = QuerySource(
        store, base, n.id, columns, filter_fn=matching, sort_key="date", descending=True
    )
    return source, currency


def parse_apply(text: str, currency: Currency) -> tuple[tuple[tuple[str, int | None], ...], bool]:
    """What a payment form's "apply to" field asks: ``INV-2026-00017=500, INV-2026-00018``
    (a document with an amount, or what it owes), or ``auto`` (oldest due first).

    Raises:
        ValueError: with a message for the field.
    """
    value = text.strip()
    if value.lower() == "auto":
        return (), True
    out: list[tuple[str, int | None]] = []
    for part in value.replace(";", ",").split(","):
        if not part.strip():
            continue
        ref, sep, amount = part.partition("=")
        if not ref.strip():
            raise ValueError(f"{part.strip()!r}: give a document number before '='")
        out.append((ref.strip().upper(), currency.parse(amount) if sep else None))
    return tuple(out), False


@dataclass
class PartyFinder:
    """Active parties of one role (customers or suppliers), for completion."""

    codes: dict[str, str]
    """code -> name"""

    @classmethod
    def load(cls, session: Session, actor: Actor, role: str) -> PartyFinder:
        from bo_console.finance.parties import list_parties

        rows = list_parties(session, actor, role=role, include_inactive=False)
        return cls({r.code: r.name for r in rows})

    @property
    def suggestions(self) -> list[str]:
        return [*self.codes, *self.codes.values()]

    def matches(self, text: str, limit: int = 3) -> list[tuple[str, str]]:
        """(code, name) of the parties whose code or name contains every word of ``text``."""
        from bo_console.core.text import fold

        words = fold(text).split()
        found = [
            (code, name)
            for code, name in self.codes.items()
            if words and all(w in fold(f"{code} {name}") for w in words)
        ]
        return found[:limit]

    def resolve(self, text: str) -> tuple[str, str] | None:
        """The party ``text`` names: its code, its exact name, or the only one matching."""
        from bo_console.core.text import fold

        value = text.strip()
        if value.upper() in self.codes:
            return value.upper(), self.codes[value.upper()]
        exact = [(c, n) for c, n in self.codes.items() if fold(n) == fold(value)]
        if len(exact) == 1:
            return exact[0]
        near = self.matches(value, limit=2)
        return near[0] if len(near) == 1 else None
