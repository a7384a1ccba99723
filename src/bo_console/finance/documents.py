"""Sales invoices and supplier bills: draft, post, void by credit note; list and show.

A document is entered as a draft (clerks, ``finance.post``), then posted: it takes the next
number of its kind and year (``INV-2026-00017``) and its journal entry is posted through the
ledger in the same transaction (receivables against income and VAT output for an invoice;
expense and VAT input against payables for a bill). A finance manager (``finance.manage``)
voids a posted document with nothing paid on it by a credit note, which reverses its entry.
Amounts and tax follow the one rule in :mod:`bo_console.finance.tax`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import FieldError, NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart
    from bo_console.finance.document_models import (
        Document,
        DocumentCreate,
        DocumentLine,
        Party,
    )
    from bo_console.finance.models import LineCreate

_ID = re.compile(r"^(?:draft\s*)?#?(\d{1,12})$", re.IGNORECASE)

KIND_LABELS = {
    "invoice": "Invoice",
    "bill": "Bill",
    "credit_note": "Credit note",
    "supplier_credit": "Supplier credit note",
}
SIDES = {"sales": ("invoice", "credit_note"), "purchases": ("bill", "supplier_credit")}


def parse_quantity(text: str) -> int:
    """A quantity as typed (``2``, ``2.5``, ``0.125``) in thousandths, above zero.

    Raises:
        ValueError: not a number, more than three decimals, or not above zero.
    """
    from bo_console.finance.document_models import QTY_SCALE

    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not a quantity") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{text.strip()!r}: a quantity is above zero")
    scaled = value * QTY_SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{text.strip()!r} has more than three decimals")
    return int(scaled)


def format_quantity(quantity: int) -> Decimal:
    """Thousandths as a Decimal without trailing zeros beyond the point (``2500`` -> ``2.5``)."""
    value = Decimal(quantity).scaleb(-3)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


_REFUSALS = (
    "fin_document:",
    "fin_payment:",
    "fin_allocation:",
    "fin_entry:",
    "fin_line:",
    "fin_period:",
)


def _flush(session: Session) -> None:
    """Flush, turning a refusal by the database's triggers into a rule violation."""
    from sqlalchemy.exc import IntegrityError

    try:
        session.flush()
    except IntegrityError as exc:
        message = str(exc.orig)
        if message.startswith(_REFUSALS):
            raise RuleViolation(f"refused: {message.split(':', 1)[1].strip()}") from exc
        if "ix_fin_document_supplier_ref" in message or (
            "UNIQUE" in message and "fin_document.party_id" in message
        ):
            raise RuleViolation(
                "this supplier's bill with that reference is already entered"
            ) from exc
        raise


# -- finding ------------------------------------------------------------------------------------


def find_document(session: Session, ref: str | int, kinds: Sequence[str] = ()) -> Document:
    """A document by number (``INV-2026-00017``) or id (``#7``, ``7``), of ``kinds`` if given.

    Raises:
        NotFound: no such document (of those kinds).
    """
    from sqlmodel import select

    from bo_console.finance.document_models import Document

    text = str(ref).strip()
    by_id = _ID.match(text)
    if by_id:
        found = session.get(Document, int(by_id.group(1)))
    else:
        found = session.exec(select(Document).where(Document.number == text.upper())).first()
    if found is None or (kinds and found.kind not in kinds):
        what = " or ".join(KIND_LABELS[k].lower() for k in kinds) if kinds else "document"
        raise NotFound(f"no {what} {text}")
    return found


def _account_for_line(
    chart: Chart, session: Session, kind: str, account: str | None, where: str
) -> int:
    from bo_console.finance.chart import role_code

    if not account:
        if kind == "bill":
            raise ValidationFailed(
                f"{where}: a bill line needs the account it is spent on (e.g. 6240)",
                [FieldError(f"{where} account", "required on bills")],
            )
        account = role_code(session, "sales")
    found = chart.find(account)
    if found is None:
        raise ValidationFailed(
            f"{where}: no account {account!r}", [FieldError(f"{where} account", "unknown")]
        )
    control = {role_code(session, r) for r in ("receivables", "payables")}
    if not found.active or not found.postable or found.code in control:
        raise ValidationFailed(
            f"{where}: {found.code} {found.name} cannot take document lines "
            "(inactive, a group, or a receivables/payables control account)",
            [FieldError(f"{where} account", "not usable")],
        )
    assert found.id is not None
    return found.id


def _party_for(session: Session, kind: str, ref: str) -> Party:
    from bo_console.finance.parties import find_party, require_role

    party = find_party(session, ref)
    require_role(party, "customer" if kind in SIDES["sales"] else "supplier")
    return party


# -- writing ------------------------------------------------------------------------------------


def validate_document(values: dict[str, Any]) -> DocumentCreate:
    """A :class:`DocumentCreate` from plain values, or a one-line ``ValidationFailed``."""
    from pydantic import ValidationError

    from bo_console.finance.document_models import DocumentCreate
    from bo_console.finance.messages import invalid

    try:
        return DocumentCreate.model_validate(values)
    except ValidationError as exc:  # a rule across fields names them in its message
        raise invalid(exc, fallback="document", every=False) from None


def create_document(session: Session, actor: Actor, data: DocumentCreate) -> Document:
    """Save a new invoice or bill as a draft, with its lines' nets and taxes worked out.

    Raises:
        ValidationFailed: a line's account or tax code is not usable.
        RuleViolation: the party is inactive or not a customer (supplier).
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.finance import tax as vat
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.document_models import Document, DocumentLine
    from bo_console.finance.ledger import amount_problem

    data = validate_document(data.model_dump())
    actor.require("finance.post", f"enter {data.kind}s")
    party = _party_for(session, data.kind, data.party)
    chart = load_chart(session)
    codes = {}
    accounts = []
    for number, line in enumerate(data.lines, start=1):
        where = f"line {number}"
        try:
            codes[line.tax_code.upper()] = vat.get_tax_code(session, line.tax_code)
        except (NotFound, RuleViolation) as exc:
            raise ValidationFailed(
                f"{where}: {exc.message}", [FieldError(f"{where} tax_code", exc.message)]
            ) from None
        accounts.append(_account_for_line(chart, session, data.kind, line.account, where))
    nets = [vat.line_net(line.quantity, line.unit_price) for line in data.lines]
    taxes = vat.line_taxes(
        [(line.tax_code.upper(), net) for line, net in zip(data.lines, nets, strict=True)],
        {code: t.rate_bp for code, t in codes.items()},
    )
    too_large = amount_problem(sum(nets) + sum(taxes), base_currency(session).exponent)
    if too_large:
        raise ValidationFailed(
            f"the {data.kind}'s total: {too_large}", [FieldError("lines", too_large)]
        )
    assert party.id is not None
    document = Document(
        kind=data.kind,
        party_id=party.id,
        date=data.date,
        due_date=data.due_date or data.date + timedelta(days=party.payment_terms),
        reference=data.reference,
        memo=data.memo,
        net=sum(nets),
        tax=sum(taxes),
        total=sum(nets) + sum(taxes),
        created_by=actor.login,
    )
    session.add(document)
    _flush(session)
    assert document.id is not None
    for line_no, (line, account_id, net, tax) in enumerate(
        zip(data.lines, accounts, nets, taxes, strict=True), start=1
    ):
        session.add(
            DocumentLine(
                document_id=document.id,
                line_no=line_no,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                account_id=account_id,
                tax_code=line.tax_code.upper(),
                net=net,
                tax=tax,
            )
        )
    _flush(session)
    currency = base_currency(session)
    audit.record(
        session,
        actor,
        action="create",
        entity=data.kind,
        entity_id=document.ref,
        changes={
            "party": (None, party.code),
            "date": (None, document.date),
            "due_date": (None, document.due_date),
            "reference": (None, document.reference or None),
            "lines": (None, len(data.lines)),
            "net": (None, currency.from_minor(document.net)),
            "tax": (None, currency.from_minor(document.tax)),
            "total": (None, currency.from_minor(document.total)),
        },
    )
    return document


def _lines_of(session: Session, document_id: int) -> list[DocumentLine]:
    from sqlmodel import col, select

    from bo_console.finance.document_models import DocumentLine

    return list(
        session.exec(
            select(DocumentLine)
            .where(DocumentLine.document_id == document_id)
            .order_by(col(DocumentLine.line_no))
        ).all()
    )


def _next_seq(session: Session, table: str, column: str, value: str, year: int) -> int:
    from sqlalchemy import text

    row = session.execute(
        text(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE {column} = :v AND year = :y"),
        {"v": value, "y": year},
    ).scalar_one()
    return int(row)


def _entry_lines(
    session: Session, document: Document, party: Party, number: str
) -> list[LineCreate]:
    """The journal lines that post a document: the control account for its total against
    one line per account and tax code for the nets and one per tax code for the tax."""
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.chart import role_code
    from bo_console.finance.document_models import TaxCode
    from bo_console.finance.models import LineCreate

    chart = load_chart(session)
    sales = document.kind == "invoice"
    sign = -1 if sales else 1  # nets and tax are credits on an invoice, debits on a bill
    memo = f"{number} {party.name}"[:200]
    lines: list[LineCreate] = [
        LineCreate.signed(
            role_code(session, "receivables" if sales else "payables"),
            -sign * document.total,
            memo,
            party_id=party.id,
        )
    ]
    assert document.id is not None
    nets: dict[tuple[int, str], int] = {}
    taxes: dict[str, int] = {}
    for line in _lines_of(session, document.id):
        key = (line.account_id, line.tax_code)
        nets[key] = nets.get(key, 0) + line.net
        taxes[line.tax_code] = taxes.get(line.tax_code, 0) + line.tax
    for (account_id, code), net in nets.items():
        if net:
            lines.append(
                LineCreate.signed(
                    chart.accounts[account_id].code,
                    sign * net,
                    memo,
                    party_id=party.id,
                    tax_code=code,
                )
            )
    for code, tax in taxes.items():
        if not tax:
            continue
        info = session.get(TaxCode, code)
        vat_account = (
            None if info is None else (info.output_account_id if sales else info.input_account_id)
        )
        if vat_account is None or vat_account not in chart.accounts:
            raise RuleViolation(f"tax code {code} has no VAT account to post {number}'s tax to")
        lines.append(
            LineCreate.signed(
                chart.accounts[vat_account].code, sign * tax, memo, party_id=party.id, tax_code=code
            )
        )
    return lines


def post_document(session: Session, actor: Actor, ref: str | int) -> Document:
    """Post a draft invoice or bill: number it and post its journal entry.

    Raises:
        RuleViolation: not a draft, nothing to post, its party unusable, or its period closed.
    """
    from bo_console.core import audit
    from bo_console.core.clock import utcnow
    from bo_console.core.money import base_currency
    from bo_console.finance.document_models import Party, document_number
    from bo_console.finance.ledger import post_entry
    from bo_console.finance.models import EntryCreate

    actor.require("finance.post", "post invoices and bills")
    document = find_document(session, ref, ("invoice", "bill"))
    if document.status != "draft":
        raise RuleViolation(f"{document.ref} is already {document.status}")
    if document.total <= 0:
        raise RuleViolation(f"{document.ref} totals zero; there is nothing to post")
    party = session.get(Party, document.party_id)
    assert party is not None and document.id is not None
    _party_for(session, document.kind, party.code)
    year = document.date.year
    seq = _next_seq(session, "fin_document", "kind", document.kind, year)
    number = document_number(document.kind, year, seq)
    lines = _entry_lines(session, document, party, number)
    entry = post_entry(
        session,
        actor,
        EntryCreate(
            date=document.date,
            memo=f"{KIND_LABELS[document.kind]} {number} - {party.name}"[:200],
            source=document.kind,
            source_ref=number,
            lines=lines,
        ),
    )
    draft_label = document.ref
    document.status, document.year, document.seq, document.number = "posted", year, seq, number
    document.entry_id = entry.id
    document.posted_at, document.posted_by = utcnow(), actor.login
    session.add(document)
    _flush(session)
    audit.record(
        session,
        actor,
        action="post",
        entity=document.kind,
        entity_id=number,
        changes={
            "status": ("draft", "posted"),
            "number": (draft_label, number),
            "entry": (None, entry.ref),
            "total": (None, base_currency(session).from_minor(document.total)),
        },
    )
    return document


def delete_draft(session: Session, actor: Actor, ref: str | int) -> None:
    """Delete a draft invoice or bill (posted ones are voided, never deleted)."""
    from sqlalchemy import text

    from bo_console.core import audit

    actor.require("finance.post", "delete draft invoices and bills")
    document = find_document(session, ref, ("invoice", "bill"))
    if document.status != "draft":
        raise RuleViolation(
            f"{document.ref} is {document.status}; a posted document is voided, not deleted"
        )
    label, kind = document.ref, document.kind
    session.execute(
        text("DELETE FROM fin_document_line WHERE document_id = :d"), {"d": document.id}
    )
    session.delete(document)
    _flush(session)
    audit.record(
        session,
        actor,
        action="delete",
        entity=kind,
        entity_id=label,
        changes={"total": (document.total, None)},
    )


def void_document(
    session: Session, actor: Actor, ref: str | int, *, on: date, reason: str = ""
) -> Document:
    """Void a posted invoice or bill with a credit note dated ``on`` that reverses its entry.
    Returns the credit note (finance managers).

    Raises:
        RuleViolation: not posted, already void, something is paid on it (void those payments
            first), ``on`` is before the document, or its period is closed.
    """
    from sqlmodel import col, select

    from bo_console.core import audit
    from bo_console.core.clock import utcnow
    from bo_console.core.money import base_currency
    from bo_console.core.text import clean
    from bo_console.finance.document_models import (
        CREDIT_OF,
        Allocation,
        Document,
        DocumentLine,
        Payment,
        document_number,
    )
    from bo_console.finance.ledger import is_closed, period_of, reverse_entry

    actor.require("finance.manage", "void invoices and bills")
    original = find_document(session, ref, ("invoice", "bill"))
    assert original.id is not None
    session.refresh(original)  # paid and status move with allocations, in the database
    if original.status == "draft":
        raise RuleViolation(f"{original.ref} is a draft; delete it instead")
    if original.status == "void":
        other = session.get(Document, original.voided_by_id or 0)
        raise RuleViolation(
            f"{original.ref} is already void (by {other.ref if other else 'a credit note'})"
        )
    if original.paid:
        payments = session.exec(
            select(Payment.number)
            .join(Allocation, col(Allocation.payment_id) == col(Payment.id))
            .where(Allocation.document_id == original.id, Payment.status == "posted")
        ).all()
        raise RuleViolation(
            f"{original.ref} has payments allocated ({', '.join(sorted(set(payments)))}); "
            "void those payments first"
        )
    if on < original.date:
        raise RuleViolation(
            f"a credit note cannot be dated before {original.ref} ({original.date})"
        )
    if is_closed(session, period_of(on)):
        raise RuleViolation(
            f"period {period_of(on)} is closed; date the credit note in an open period"
        )
    kind = CREDIT_OF[original.kind]
    note = Document(
        kind=kind,
        party_id=original.party_id,
        date=on,
        due_date=on,
        reference=original.number or "",
        memo=(clean(reason) or f"Voids {original.ref}")[:200],
        net=original.net,
        tax=original.tax,
        total=original.total,
        voids_id=original.id,
        created_by=actor.login,
    )
    session.add(note)
    _flush(session)
    assert note.id is not None
    for line in _lines_of(session, original.id):
        session.add(DocumentLine.model_validate({**line.model_dump(), "document_id": note.id}))
    _flush(session)
    year = on.year
    seq = _next_seq(session, "fin_document", "kind", kind, year)
    number = document_number(kind, year, seq)
    reversal = reverse_entry(
        session,
        actor,
        f"#{original.entry_id}",
        on=on,
        memo=f"{KIND_LABELS[kind]} {number} voids {original.ref}",
        permission="finance.manage",
        from_document=True,
    )
    note.status, note.year, note.seq, note.number = "posted", year, seq, number
    note.entry_id = reversal.id
    note.posted_at, note.posted_by = utcnow(), actor.login
    session.add(note)
    _flush(session)
    original.status, original.voided_by_id = "void", note.id
    session.add(original)
    _flush(session)
    total = base_currency(session).from_minor(original.total)
    audit.record(
        session,
        actor,
        action="post",
        entity=kind,
        entity_id=number,
        changes={
            "voids": (None, original.ref),
            "entry": (None, reversal.ref),
            "total": (None, total),
            "reason": (None, clean(reason) or None),
        },
    )
    audit.record(
        session,
        actor,
        action="void",
        entity=original.kind,
        entity_id=original.ref,
        changes={"status": ("posted", "void"), "credit_note": (None, number)},
    )
    return note


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
