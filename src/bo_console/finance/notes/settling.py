"""Using a note: a credit note's amount applied to another open document of the party or
refunded, a debit note settled with money."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.note_models import NoteApplication


def apply_note(
    session: Session,
    actor: Actor,
    note_ref: str,
    document_ref: str,
    *,
    on: date,
    amount: int | None = None,
) -> NoteApplication:
    """Apply what is left of a credit note (all of it, or ``amount`` minor units, at most what
    the document owes) to an open invoice (bill) of the same party. Audited.

    Raises:
        RuleViolation: a debit note, nothing left, another party's or a settled document,
            a date before either, or a closed month.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.finance.documents import find_document
    from bo_console.finance.ledger import is_closed, period_of
    from bo_console.finance.note_models import NoteApplication
    from bo_console.finance.notes.common import find_note, flush

    actor.require("finance.post", "apply credit notes")
    note = find_note(session, note_ref)
    session.refresh(note)
    if not note.is_credit:
        raise RuleViolation(f"{note.number} is a debit note; settle it with money instead")
    side = "invoice" if note.kind == "sales_credit" else "bill"
    document = find_document(session, document_ref, (side,))
    session.refresh(document)
    if document.party_id != note.party_id:
        raise RuleViolation(f"{document.ref} is another party's {side}")
    if document.status not in ("posted", "partly_paid"):
        raise RuleViolation(f"{document.ref} is {document.status}; nothing is owed on it")
    if note.open_amount <= 0:
        raise RuleViolation(f"{note.number} has nothing left to apply")
    if on < max(note.date, document.date):
        raise RuleViolation(f"apply {note.number} on or after {max(note.date, document.date)}")
    if is_closed(session, period_of(on)):
        raise RuleViolation(f"period {period_of(on)} is closed")
    owed = document.total - document.paid
    value = min(note.open_amount, owed) if amount is None else amount
    money = base_currency(session)
    if value <= 0:
        raise ValidationFailed("the amount to apply is above zero")
    if value > note.open_amount or value > owed:
        raise RuleViolation(
            f"{money.format(value)} is more than {note.number} has left "
            f"({money.format(note.open_amount)}) or {document.ref} owes ({money.format(owed)})"
        )
    assert note.id is not None and document.id is not None
    application = NoteApplication(
        note_id=note.id, document_id=document.id, amount=value, date=on, created_by=actor.login
    )
    session.add(application)
    flush(session)
    session.refresh(note)
    session.refresh(document)
    audit.record(
        session,
        actor,
        action="apply",
        entity=note.kind,
        entity_id=note.number,
        changes={"document": (None, document.ref), "amount": (None, money.from_minor(value))},
    )
    return application


def settle_note(
    session: Session,
    actor: Actor,
    note_ref: str,
    *,
    on: date,
    amount: int | None = None,
    account: str | None = None,
    reference: str = "",
) -> NoteApplication:
    """Move money for a note: refund what is left of a credit note (to the customer, or from
    the supplier) or settle a debit note, through a bank or cash account (default: the main
    bank account), with its own entry. Audited.

    Raises:
        RuleViolation: nothing left, more than is left, a date before the note, a closed month.
        ValidationFailed: the account is not a bank or cash account.
    """
    from sqlalchemy import text

    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.core.text import clean
    from bo_console.finance.chart import role_code
    from bo_console.finance.document_models import Party
    from bo_console.finance.ledger import is_closed, period_of, post_entry
    from bo_console.finance.models import EntryCreate, LineCreate
    from bo_console.finance.note_models import NOTE_SOURCE, NoteApplication
    from bo_console.finance.notes.common import find_note, flush
    from bo_console.finance.payments import _account_id, _cash_account

    actor.require("finance.post", "refund credit notes and settle debit notes")
    note = find_note(session, note_ref)
    session.refresh(note)
    money = base_currency(session)
    value = note.open_amount if amount is None else amount
    if note.open_amount <= 0:
        raise RuleViolation(f"{note.number} has nothing left to {_doing(note.kind)}")
    if value <= 0:
        raise ValidationFailed("the amount is above zero")
    if value > note.open_amount:
        raise RuleViolation(
            f"{money.format(value)} is more than {note.number} has left "
            f"({money.format(note.open_amount)})"
        )
    if on < note.date:
        raise RuleViolation(f"{_doing(note.kind)} {note.number} on or after {note.date}")
    if is_closed(session, period_of(on)):
        raise RuleViolation(f"period {period_of(on)} is closed")
    cash = _cash_account(session, account)
    party = session.get(Party, note.party_id)
    assert party is not None and note.id is not None
    sales = note.kind.startswith("sales")
    control = role_code(session, "receivables" if sales else "payables")
    # Money goes out for a customer's refund and a supplier's debit note, comes in otherwise.
    out = note.kind in ("sales_credit", "purchase_debit")
    count = 1 + int(
        session.execute(
            text(
                "SELECT count(*) FROM fin_note_application "
                "WHERE note_id = :n AND account_id IS NOT NULL"
            ),
            {"n": note.id},
        ).scalar_one()
    )
    ref = f"{note.number}/{count}"
    memo = f"{_doing(note.kind).capitalize()} {note.number} - {party.name}"[:200]
    entry = post_entry(
        session,
        actor,
        EntryCreate(
            date=on,
            memo=memo,
            source=NOTE_SOURCE,
            source_ref=ref,
            lines=[
                LineCreate.signed(control, value if out else -value, memo, party_id=party.id),
                LineCreate.signed(cash, -value if out else value, memo),
            ],
        ),
    )
    application = NoteApplication(
        note_id=note.id,
        account_id=_account_id(session, cash),
        entry_id=entry.id,
        amount=value,
        date=on,
        reference=clean(reference)[:60],
        created_by=actor.login,
    )
    session.add(application)
    flush(session)
    session.refresh(note)
    audit.record(
        session,
        actor,
        action="refund" if note.is_credit else "settle",
        entity=note.kind,
        entity_id=note.number,
        changes={
            "amount": (None, money.from_minor(value)),
            "account": (None, cash),
            "entry": (None, entry.ref),
        },
    )
    return application


def _doing(kind: str) -> str:
    return "refund" if kind in ("sales_credit", "purchase_credit") else "settle"
