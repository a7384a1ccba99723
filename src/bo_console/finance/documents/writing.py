"""Entering documents: create a draft, post it (with its journal entry), delete a draft,
void a posted document by a credit note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import FieldError, NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.document_models import (
        Document,
        DocumentCreate,
        DocumentLine,
        Party,
        TaxCode,
    )
    from bo_console.finance.models import LineCreate
from bo_console.finance.documents.common import (
    KIND_LABELS,
    _account_for_line,
    _flush,
    _lines_of,
    _party_for,
    find_document,
)

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
            code = codes[line.tax_code.upper()] = vat.get_tax_code(session, line.tax_code)
        except (NotFound, RuleViolation) as exc:
            raise ValidationFailed(
                f"{where}: {exc.message}", [FieldError(f"{where} tax_code", exc.message)]
            ) from None
        if code.treatment == "reverse_charge" and data.kind != "bill":
            message = f"{code.code} is a reverse-charge code, for bills only"
            raise ValidationFailed(
                f"{where}: {message}", [FieldError(f"{where} tax_code", message)]
            )
        accounts.append(_account_for_line(chart, session, data.kind, line.account, where))
    nets, taxes = vat.line_amounts(
        [(line.quantity, line.unit_price, line.tax_code.upper()) for line in data.lines],
        vat.document_rates(codes),
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


def _next_seq(session: Session, table: str, column: str, value: str, year: int) -> int:
    from sqlalchemy import text

    from bo_console.core.db import lock_numbering
    from bo_console.finance.ledger.batch import current

    batch = current(session)
    key = (table, value, year)
    if batch is not None and key in batch.sequences:
        batch.sequences[key] += 1  # the series is locked since the batch first read it
        return batch.sequences[key]
    lock_numbering(session, f"{table}:{value}")
    row = int(
        session.execute(
            text(
                f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE {column} = :v AND year = :y"
            ),
            {"v": value, "y": year},
        ).scalar_one()
    )
    if batch is not None:
        batch.sequences[key] = row
    return row


@dataclass(frozen=True)
class _StoredLines:
    """A draft document's lines and their tax codes, read once for both of its entries."""

    lines: list[DocumentLine]
    codes: dict[str, TaxCode | None]

    @classmethod
    def read(cls, session: Session, document_id: int) -> _StoredLines:
        from bo_console.finance.document_models import TaxCode

        lines = _lines_of(session, document_id)
        codes = {code: session.get(TaxCode, code) for code in {line.tax_code for line in lines}}
        return cls(lines, codes)


def _entry_lines(
    session: Session,
    document: Document,
    party: Party,
    number: str,
    stored: _StoredLines,
) -> list[LineCreate]:
    """The journal lines that post a document: the control account for its total against
    one line per account and tax code for the nets and one per tax code for the tax."""
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.chart import role_code
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
    for line in stored.lines:
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
        info = stored.codes[code]
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


def _reverse_charge_lines(
    session: Session,
    document: Document,
    party: Party,
    number: str,
    stored: _StoredLines,
) -> list[LineCreate]:
    """The buyer's own VAT on a bill's reverse-charge lines (net times rate, per line): a
    debit to the code's input VAT account and a credit to its output VAT account. Posted as
    an entry of its own beside the bill's (the bill's total holds no tax)."""
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.models import LineCreate
    from bo_console.finance.tax import reverse_charge_tax

    owed: dict[str, int] = {}
    codes = stored.codes
    for line in stored.lines:
        info = codes[line.tax_code]
        if info is not None and info.treatment == "reverse_charge":
            owed[line.tax_code] = owed.get(line.tax_code, 0) + reverse_charge_tax(line.net, info)
    chart = load_chart(session)
    memo = f"Reverse charge VAT {number} {party.name}"[:200]
    lines: list[LineCreate] = []
    for code, tax in owed.items():
        info = codes[code]
        assert info is not None
        if not tax:
            continue
        in_id, out_id = info.input_account_id, info.output_account_id
        if (
            in_id is None
            or out_id is None
            or in_id not in chart.accounts
            or out_id not in chart.accounts
        ):
            raise RuleViolation(f"tax code {code} has no VAT account to post {number}'s tax to")
        assert in_id is not None and out_id is not None
        for account_id, amount in ((in_id, tax), (out_id, -tax)):
            lines.append(
                LineCreate.signed(
                    chart.accounts[account_id].code, amount, memo, party_id=party.id, tax_code=code
                )
            )
    return lines


REVERSE_CHARGE_SOURCE = "vat"
"""The source of the entry that accounts for a bill's reverse-charge VAT (its ref: the bill's
number)."""


def post_document(session: Session, actor: Actor, ref: str | int) -> Document:
    """Post a draft invoice or bill: number it and post its journal entry.

    Raises:
        RuleViolation: not a draft, nothing to post, its party unusable, or its period closed.
    """
    from bo_console.core import audit
    from bo_console.core.clock import utcnow
    from bo_console.core.money import base_currency
    from bo_console.finance.document_models import document_number
    from bo_console.finance.ledger import post_entry
    from bo_console.finance.models import EntryCreate

    actor.require("finance.post", "post invoices and bills")
    document = find_document(session, ref, ("invoice", "bill"))
    if document.status != "draft":
        raise RuleViolation(f"{document.ref} is already {document.status}")
    if document.total <= 0:
        raise RuleViolation(f"{document.ref} totals zero; there is nothing to post")
    party = _party_for(session, document.kind, f"#{document.party_id}")
    assert document.id is not None
    year = document.date.year
    seq = _next_seq(session, "fin_document", "kind", document.kind, year)
    number = document_number(document.kind, year, seq)
    stored = _StoredLines.read(session, document.id)
    lines = _entry_lines(session, document, party, number, stored)
    reverse_charge = _reverse_charge_lines(session, document, party, number, stored)
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
    if reverse_charge:
        post_entry(
            session,
            actor,
            EntryCreate(
                date=document.date,
                memo=f"Reverse charge VAT on {number} - {party.name}"[:200],
                source=REVERSE_CHARGE_SOURCE,
                source_ref=number,
                lines=reverse_charge,
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
    from bo_console.finance.models import Entry

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
    from sqlalchemy import text

    noted = session.execute(
        text("SELECT number FROM fin_note WHERE original_id = :d ORDER BY id"),
        {"d": original.id},
    ).all()
    if noted:
        raise RuleViolation(
            f"{original.ref} has credit or debit notes ({', '.join(str(r[0]) for r in noted)}); "
            "credit what is left with a note instead"
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
    reverse_charge = session.exec(
        select(Entry.id).where(
            Entry.source == REVERSE_CHARGE_SOURCE, Entry.source_ref == original.number
        )
    ).first()
    if reverse_charge is not None:
        reverse_entry(
            session,
            actor,
            f"#{reverse_charge}",
            on=on,
            memo=f"Reverse charge VAT: {number} voids {original.ref}",
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
