"""Customers and suppliers settling the year's trade for ``bo demo``: the invoices logistics
made from its deliveries and the bills it matched to its receipts.

Runs after logistics' builder and before the ledger's (whose bank statements and VAT
settlements then include these payments). Each party pays a month's documents in one
payment around their due date (statement style, so a year of trade is about a hundred
payments); one month in twenty-five is not paid at all and one in ten is paid but for its
last document, so the aged reports show slow payers. Documents falling due after the demo
date are open. Deterministic (its own seeded generator).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.demo import DemoContext


_Doc = tuple[str, date, date, int]
"""A document to pay: number, date, due date, total."""


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def build(ctx: DemoContext) -> None:
    """Pay the trade's invoices and bills that are due by the demo date."""
    from sqlalchemy import text

    from bo_console.finance import payments
    from bo_console.finance.ledger.batch import posting_batch

    rng = random.Random(6_2026)
    session, clerk = ctx.session, ctx.staff("omar")
    rows = session.execute(
        text(
            """SELECT d.number, d.kind, d.date, d.due_date, d.total, p.code FROM fin_document d
               JOIN fin_party p ON p.id = d.party_id
               WHERE d.status = 'posted' AND d.paid = 0
                 AND ((d.kind = 'invoice' AND d.reference LIKE 'SO-%')
                   OR (d.kind = 'bill' AND d.memo LIKE 'PO-%'))
               ORDER BY d.date, d.id"""
        )
    ).all()
    groups: dict[tuple[str, str, str], list[_Doc]] = {}
    for number, kind, day, due, total, party in rows:
        key = (str(kind), str(party), str(due)[:7])
        groups.setdefault(key, []).append((str(number), _day(day), _day(due), int(total)))
    plan: list[tuple[date, str, str, list[_Doc]]] = []
    for (kind, party, _), docs in groups.items():
        roll = rng.random()
        pay_day = max(d[2] for d in docs) + timedelta(days=rng.randrange(-12, 8))
        pay_day = max(pay_day, max(d[1] for d in docs) + timedelta(days=2))
        if pay_day > ctx.today or (kind == "invoice" and roll < 0.04):
            continue
        if kind == "invoice" and roll < 0.14 and len(docs) > 1:
            docs = docs[:-1]  # the last one disputed: still open
        plan.append((pay_day, kind, party, docs))
    plan.sort(key=lambda p: (p[0], p[1], p[2]))
    # One posting batch: the parties, control accounts and numbering are read once.
    with posting_batch(session):
        for pay_day, kind, party, docs in plan:
            payments.enter_payment(
                session,
                clerk,
                payments.PaymentCreate(
                    direction="received" if kind == "invoice" else "made",
                    party=party,
                    date=pay_day,
                    amount=sum(d[3] for d in docs),
                    # Customers pay into either account; suppliers mostly from the main one.
                    account=rng.choice(
                        ["1110", "1120"] if kind == "invoice" else ["1110", "1110", "1120"]
                    ),
                    reference=f"TRF{rng.randrange(100_000, 999_999)}",
                    apply=tuple((d[0], None) for d in docs),
                ),
            )
