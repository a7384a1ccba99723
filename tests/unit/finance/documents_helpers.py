"""Shared set-up for the receivables and payables tests: parties and quick documents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from bo_console.core.security import Actor
from bo_console.finance import documents, parties, payments
from bo_console.finance.document_models import (
    Document,
    DocumentCreate,
    DocumentLineCreate,
    PartyCreate,
    Payment,
)

Line = tuple[str, int, int, str] | tuple[str, int, int, str, str]
"""(description, quantity in thousandths, unit price in minor units, tax code[, account])."""

GLOVES: Line = ("Nitrile gloves", 10_000, 4_550, "S15")  # 10 x 45.50: net 455.00, tax 68.25


def add_parties(session: Session, actor: Actor) -> None:
    """C1 customer (30 days), S1 supplier (60 days), B1 both (15 days)."""
    for code, name, customer, supplier, terms in (
        ("C1", "Al Safa Hospital", True, False, 30),
        ("S1", "مصنع الخليج للتغليف", False, True, 60),
        ("B1", "Medline Arabia", True, True, 15),
    ):
        parties.add_party(
            session,
            actor,
            PartyCreate(
                code=code,
                name=name,
                is_customer=customer,
                is_supplier=supplier,
                payment_terms=terms,
            ),
        )


def doc(
    session: Session,
    actor: Actor,
    kind: str = "invoice",
    party: str = "C1",
    day: date = date(2026, 3, 10),
    lines: Sequence[Line] = (GLOVES,),
    *,
    post: bool = True,
    due: date | None = None,
    reference: str = "",
) -> Document:
    """Enter (and by default post) an invoice or bill."""
    document = documents.create_document(
        session,
        actor,
        DocumentCreate(
            kind=kind,
            party=party,
            date=day,
            due_date=due,
            reference=reference,
            lines=[
                DocumentLineCreate(
                    description=line[0],
                    quantity=line[1],
                    unit_price=line[2],
                    tax_code=line[3],
                    account=line[4] if len(line) == 5 else ("6240" if kind == "bill" else None),
                )
                for line in lines
            ],
        ),
    )
    if post:
        document = documents.post_document(session, actor, document.id or 0)
    return document


def pay(
    session: Session,
    actor: Actor,
    amount: int,
    *apply: tuple[str, int | None],
    party: str = "C1",
    day: date = date(2026, 3, 20),
    direction: str = "received",
    auto: bool = False,
) -> Payment:
    """Enter a payment received (or made) and allocate it."""
    return payments.enter_payment(
        session,
        actor,
        payments.PaymentCreate(
            direction=direction,
            party=party,
            date=day,
            amount=amount,
            apply=tuple(apply),
            auto=auto,
        ),
    )
