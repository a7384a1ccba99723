"""Payments received from customers and made to suppliers, and their allocation to documents.

A payment is posted when it is entered (bank against receivables, or payables against bank)
and numbered per direction and year (``RCPT-2026-00042``, ``PAY-2026-00007``). Its amount is
allocated to one or more open documents of the same party, partly or fully; what is left
stays on the party's account and can be allocated later. A finance manager voids a payment:
its entry is reversed and its allocations no longer count.

The allocation rule (:func:`plan_allocation`): documents given with an amount get exactly that
amount; the others, in the order given (or, with ``auto``, oldest due date first), each get
what they still owe until the payment runs out. Nothing is rounded, so the allocations plus
what stays on account always equal the payment.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from bo_console.core.errors import FieldError, NotFound, RuleViolation, ValidationFailed
from bo_console.finance.payment_list import PaymentRow as PaymentRow
from bo_console.finance.payment_list import list_payments as list_payments
from bo_console.finance.payment_view import PaymentAllocationView as PaymentAllocationView
from bo_console.finance.payment_view import PaymentView as PaymentView
from bo_console.finance.payment_view import read_payment

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.security import Actor
    from bo_console.finance.document_models import Document, Party, Payment

K = TypeVar("K", bound=Hashable)

DIRECTION_LABELS = {"received": "Receipt", "made": "Payment"}


def plan_allocation(
    amount: int, owed: dict[K, int], requests: Sequence[tuple[K, int | None]]
) -> list[tuple[K, int]]:
    """Split ``amount`` over documents: ``requests`` are (document, amount or None) in order;
    ``owed`` is what each document still owes. Returns (document, amount) for every document
    that gets more than zero.

    Raises:
        ValueError: a document twice, an amount not above zero, more than a document owes, or
            more in total than ``amount``.
    """
    seen: set[K] = set()
    for key, wanted in requests:
        if key in seen:
            raise ValueError(f"{key} is given twice")
        seen.add(key)
        if wanted is not None and wanted <= 0:
            raise ValueError(f"the amount for {key} must be above zero")
        if wanted is not None and wanted > owed[key]:
            raise ValueError(f"{key} owes less than the amount given for it")
    fixed = sum(wanted for _, wanted in requests if wanted is not None)
    if fixed > amount:
        raise ValueError("the amounts given add up to more than the payment")
    left = amount - fixed
    out: list[tuple[K, int]] = []
    for key, wanted in requests:
        if wanted is None:
            wanted = min(owed[key], left)
            left -= wanted
        if wanted > 0:
            out.append((key, wanted))
    return out


@dataclass(frozen=True)
class PaymentCreate:
    """A payment as the faces give it: ``apply`` lists (document number, amount or None)."""

    direction: str
    party: str
    date: date
    amount: int
    account: str | None = None
    reference: str = ""
    memo: str = ""
    apply: tuple[tuple[str, int | None], ...] = ()
    auto: bool = False


def _open_documents(session: Session, party_id: int, kind: str) -> list[Document]:
    from sqlmodel import col, select

    from bo_console.finance.document_models import Document

    return list(
        session.exec(
            select(Document)
            .where(
                Document.party_id == party_id,
                Document.kind == kind,
                col(Document.status).in_(("posted", "partly_paid")),
            )
            .order_by(col(Document.due_date), col(Document.date), col(Document.id))
        ).all()
    )


def _plan(
    session: Session,
    direction: str,
    party: Party,
    left: int,
    apply: Sequence[tuple[str, int | None]],
    auto: bool,
) -> list[tuple[Document, int]]:
    """Which documents get how much of ``left``; checks everything, writes nothing."""
    from bo_console.finance.documents import find_document

    kind = "invoice" if direction == "received" else "bill"
    documents: dict[str, Document] = {}
    requests: list[tuple[str, int | None]] = []
    for ref, wanted in apply:
        document = find_document(session, ref, (kind,))
        session.refresh(document)  # paid and status move with allocations, in the database
        if document.party_id != party.id:
            raise RuleViolation(f"{document.ref} belongs to another party, not {party.code}")
        if document.status not in ("posted", "partly_paid"):
            raise RuleViolation(f"{document.ref} is {document.status}; nothing is owed on it")
        documents[document.ref] = document
        requests.append((document.ref, wanted))
    if auto:
        assert party.id is not None
        for document in _open_documents(session, party.id, kind):
            if document.ref not in documents:
                documents[document.ref] = document
                requests.append((document.ref, None))
    owed = {ref: d.open_amount for ref, d in documents.items()}
    try:
        plan = plan_allocation(left, owed, requests)
    except ValueError as exc:
        raise ValidationFailed(f"allocation: {exc}", [FieldError("apply", str(exc))]) from None
    return [(documents[ref], amount) for ref, amount in plan]


def _allocate(
    session: Session,
    actor: Actor,
    payment: Payment,
    plan: Sequence[tuple[Document, int]],
    on: date,
) -> list[tuple[Document, int]]:
    from bo_console.finance.document_models import Allocation
    from bo_console.finance.documents import _flush

    for document, amount in plan:
        assert payment.id is not None and document.id is not None
        session.add(
            Allocation(
                payment_id=payment.id,
                document_id=document.id,
                amount=amount,
                date=max(on, document.date),
                created_by=actor.login,
            )
        )
    _flush(session)
    for document, _ in plan:
        session.refresh(document)
    return list(plan)


def _cash_account(session: Session, account: str | None) -> str:
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.chart import role_code

    code = account or role_code(session, "bank")
    found = load_chart(session).get(code)
    control = {role_code(session, r) for r in ("receivables", "payables")}
    if found.type != "asset" or found.code in control or not found.postable or not found.active:
        raise ValidationFailed(
            f"{found.code} {found.name} is not a bank or cash account payments can use",
            [FieldError("account", "not a bank or cash account")],
        )
    return found.code


def enter_payment(session: Session, actor: Actor, data: PaymentCreate) -> Payment:
    """Post a payment received or made and allocate it as asked (finance clerks).

    Raises:
        ValidationFailed: the amount or the allocation does not add up, or the account is
            not a bank or cash account.
        RuleViolation: the party or a document does not fit, or the period is closed.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.core.text import clean
    from bo_console.finance.chart import role_code
    from bo_console.finance.document_models import PAYMENT_DIRECTIONS, Payment, document_number
    from bo_console.finance.documents import _flush, _next_seq
    from bo_console.finance.ledger import amount_problem, post_entry
    from bo_console.finance.models import EntryCreate, LineCreate
    from bo_console.finance.parties import find_party, require_role

    if data.direction not in PAYMENT_DIRECTIONS:
        raise ValidationFailed("a payment is received or made")
    actor.require("finance.post", "enter payments")
    if data.amount <= 0:
        raise ValidationFailed("a payment is above zero", [FieldError("amount", "not above 0")])
    too_large = amount_problem(data.amount, base_currency(session).exponent)
    if too_large:
        raise ValidationFailed(too_large, [FieldError("amount", too_large)])
    received = data.direction == "received"
    party = find_party(session, data.party)
    require_role(party, "customer" if received else "supplier")
    account = _cash_account(session, data.account)
    plan = _plan(session, data.direction, party, data.amount, data.apply, data.auto)
    control = role_code(session, "receivables" if received else "payables")
    year = data.date.year
    seq = _next_seq(session, "fin_payment", "direction", data.direction, year)
    number = document_number(data.direction, year, seq)
    memo = f"{number} {party.name}"[:200]
    sign = 1 if received else -1
    entry = post_entry(
        session,
        actor,
        EntryCreate(
            date=data.date,
            memo=f"{DIRECTION_LABELS[data.direction]} {number} - {party.name}"[:200],
            source="payment",
            source_ref=number,
            lines=[
                LineCreate.signed(account, sign * data.amount, memo),
                LineCreate.signed(control, -sign * data.amount, memo, party_id=party.id),
            ],
        ),
    )
    assert party.id is not None and entry.id is not None
    payment = Payment(
        direction=data.direction,
        year=year,
        seq=seq,
        number=number,
        party_id=party.id,
        date=data.date,
        amount=data.amount,
        account_id=_account_id(session, account),
        reference=clean(data.reference)[:60],
        memo=clean(data.memo)[:200],
        entry_id=entry.id,
        created_by=actor.login,
    )
    session.add(payment)
    _flush(session)
    allocated = _allocate(session, actor, payment, plan, data.date)
    currency = base_currency(session)
    audit.record(
        session,
        actor,
        action="create",
        entity="payment",
        entity_id=number,
        changes={
            "direction": (None, data.direction),
            "party": (None, party.code),
            "date": (None, data.date),
            "amount": (None, currency.from_minor(data.amount)),
            "account": (None, account),
            "entry": (None, entry.ref),
            "allocations": (None, _allocations_text(allocated, currency) or None),
        },
    )
    return payment


def _account_id(session: Session, code: str) -> int:
    from bo_console.finance.accounts import load_chart

    account_id = load_chart(session).get(code).id
    assert account_id is not None
    return account_id


def _allocations_text(allocated: Sequence[tuple[Document, int]], currency: Currency) -> str:
    return "; ".join(f"{d.ref} {currency.format(a, grouping=False)}" for d, a in allocated)


def find_payment(session: Session, ref: str | int) -> Payment:
    """A payment by number (``RCPT-2026-00042``) or id (``#7``).

    Raises:
        NotFound: no such payment.
    """
    from sqlmodel import select

    from bo_console.finance.document_models import Payment

    text = str(ref).strip()
    if text.lstrip("#").isdigit():
        found = session.get(Payment, int(text.lstrip("#")))
    else:
        found = session.exec(select(Payment).where(Payment.number == text.upper())).first()
    if found is None:
        raise NotFound(f"no payment {text}")
    return found


def allocated_of(session: Session, payment_id: int) -> int:
    """How much of a payment is allocated to documents."""
    from sqlalchemy import text

    return int(
        session.execute(
            text("SELECT COALESCE(SUM(amount), 0) FROM fin_allocation WHERE payment_id = :p"),
            {"p": payment_id},
        ).scalar_one()
    )


def allocate_payment(
    session: Session,
    actor: Actor,
    ref: str,
    *,
    apply: Sequence[tuple[str, int | None]] = (),
    auto: bool = False,
    on: date,
) -> list[tuple[Document, int]]:
    """Allocate what a payment still has on account to documents, from ``on`` (clerks).

    Raises:
        RuleViolation: the payment is void or has nothing left, or ``on`` is before it.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.finance.document_models import Party

    actor.require("finance.post", "allocate payments")
    payment = find_payment(session, ref)
    assert payment.id is not None
    if payment.status != "posted":
        raise RuleViolation(f"{payment.number} is void")
    if on < payment.date:
        raise RuleViolation(f"{payment.number} is dated {payment.date}; allocate on or after it")
    left = payment.amount - allocated_of(session, payment.id)
    if left <= 0:
        raise RuleViolation(f"{payment.number} is fully allocated")
    if not apply and not auto:
        raise ValidationFailed("name the documents to allocate to, or ask for auto")
    party = session.get(Party, payment.party_id)
    assert party is not None
    plan = _plan(session, payment.direction, party, left, apply, auto)
    allocated = _allocate(session, actor, payment, plan, on)
    if not allocated:
        raise RuleViolation(f"{party.code} has no open documents to allocate {payment.number} to")
    currency = base_currency(session)
    audit.record(
        session,
        actor,
        action="allocate",
        entity="payment",
        entity_id=payment.number,
        changes={"allocations": (None, _allocations_text(allocated, currency))},
    )
    return allocated


def void_payment(
    session: Session, actor: Actor, ref: str, *, on: date, reason: str = ""
) -> Payment:
    """Void a payment: reverse its entry on ``on`` and release its allocations (managers).

    Raises:
        RuleViolation: already void, ``on`` before the payment, or the period is closed.
    """
    from bo_console.core import audit
    from bo_console.core.clock import utcnow
    from bo_console.core.text import clean
    from bo_console.finance.documents import _flush
    from bo_console.finance.ledger import reverse_entry

    actor.require("finance.manage", "void payments")
    payment = find_payment(session, ref)
    if payment.status == "void":
        raise RuleViolation(f"{payment.number} is already void")
    if on < payment.date:
        raise RuleViolation(f"{payment.number} is dated {payment.date}; void it on or after")
    reversal = reverse_entry(
        session,
        actor,
        f"#{payment.entry_id}",
        on=on,
        memo=f"Void of {payment.number}" + (f": {clean(reason)}" if reason else ""),
        permission="finance.manage",
        from_document=True,
    )
    payment.status, payment.void_date, payment.void_entry_id = "void", on, reversal.id
    payment.voided_at, payment.voided_by = utcnow(), actor.login
    session.add(payment)
    _flush(session)
    _expire_documents(session, payment.id or 0)
    audit.record(
        session,
        actor,
        action="void",
        entity="payment",
        entity_id=payment.number,
        changes={
            "status": ("posted", "void"),
            "entry": (None, reversal.ref),
            "reason": (None, clean(reason) or None),
        },
    )
    return payment


def _expire_documents(session: Session, payment_id: int) -> None:
    """The database changed these documents' paid and status (a trigger): reload them."""
    from sqlmodel import select

    from bo_console.finance.document_models import Allocation, Document

    ids = set(
        session.exec(select(Allocation.document_id).where(Allocation.payment_id == payment_id))
    )
    for document_id in ids:
        cached = session.get(Document, document_id)
        if cached is not None:
            session.refresh(cached)


# -- reading ------------------------------------------------------------------------------------


def payment_actions(actor: Actor, view: PaymentView) -> frozenset[str]:
    """What ``actor`` may do next with this payment: ``allocate`` what is left on account
    (``finance.post``), ``void`` it (``finance.manage``), open its ``entry``."""
    posted = view.row.status == "posted"
    allowed = {"entry"}
    if actor.can("finance.post") and posted and view.row.unallocated:
        allowed.add("allocate")
    if actor.can("finance.manage") and posted:
        allowed.add("void")
    return frozenset(allowed)


def get_payment(session: Session, actor: Actor, ref: str) -> PaymentView:
    """One payment with its allocations."""
    return read_payment(session, actor, ref)
