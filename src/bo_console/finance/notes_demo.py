"""Credit notes and a write-off for ``bo demo``, on the documents the documents builder made.

Runs after it and before the ledger's builder closes the past months: a price correction on
a paid invoice (its credit stays on the customer's account until it is applied to the
customer's next open invoice), goods returned against an open invoice, a supplier's credit
note for damaged packaging, and a bad debt written off (the customer is in liquidation) with its
VAT relief. A handful of service calls, chosen by a few queries: it adds little to the demo's
time.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.demo import DemoContext


def _first(session: Session, sql: str, **args: object) -> tuple[object, ...] | None:
    from sqlalchemy import text

    row = session.execute(text(sql), args).first()
    return None if row is None else tuple(row)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def build(ctx: DemoContext) -> None:
    """Issue the demo's notes and its write-off."""
    from bo_console.finance import notes
    from bo_console.finance.note_models import NoteCreate, NoteLineCreate

    session = ctx.session
    clerk, manager = ctx.staff("omar"), ctx.staff("layla")
    today = ctx.today

    # 1. A price correction on a paid invoice, applied to the customer's next open invoice.
    found = _first(
        session,
        """SELECT d.number, d.date, l.net, n.number, n.date FROM fin_document d
           JOIN fin_document_line l ON l.document_id = d.id AND l.line_no = 1
           JOIN fin_document n ON n.party_id = d.party_id AND n.kind = 'invoice'
                AND n.status IN ('posted', 'partly_paid') AND n.date > d.date + 14
           WHERE d.kind = 'invoice' AND d.status = 'paid' AND d.date >= :a
           ORDER BY d.date, n.date LIMIT 1""",
        a=date(2026, 6, 1),
    )
    if found is not None:
        ref, day, net, later, later_day = found
        on = min(_day(day) + timedelta(days=12), today)
        note = notes.issue_note(
            session,
            clerk,
            NoteCreate(
                kind="credit",
                original=str(ref),
                date=on,
                reason="Agreed volume discount of 5% on the pallet order",
                lines=[NoteLineCreate(line=1, amount=int(str(net)) * 5 // 100)],
            ),
        )
        notes.apply_note(session, clerk, note.number, str(later), on=max(on, _day(later_day)))

    # 2. Goods returned against an open invoice: part of a line's quantity.
    found = _first(
        session,
        """SELECT d.number, d.date, l.line_no, l.quantity FROM fin_document d
           JOIN fin_document_line l ON l.document_id = d.id
           WHERE d.kind = 'invoice' AND d.status IN ('posted', 'partly_paid')
             AND l.quantity >= 4000 AND d.date >= :a
           ORDER BY d.date LIMIT 1""",
        a=date(2026, 9, 1),
    )
    if found is not None:
        ref, day, line_no, quantity = found
        notes.issue_note(
            session,
            clerk,
            NoteCreate(
                kind="credit",
                original=str(ref),
                date=min(_day(day) + timedelta(days=6), today),
                reason="Damaged cartons returned by the customer",
                lines=[
                    NoteLineCreate(
                        line=int(str(line_no)), quantity=int(str(quantity)) // 4000 * 1000
                    )
                ],
            ),
        )

    # 3. A supplier's credit note: part of a packaging bill's price, for damaged cartons (the
    # stock bills are logistics', matched to receipts, and come later).
    found = _first(
        session,
        """SELECT d.number, d.date, l.net FROM fin_document d
           JOIN fin_document_line l ON l.document_id = d.id AND l.line_no = 1
           JOIN fin_account a ON a.id = l.account_id AND a.code = '1330'
           WHERE d.kind = 'bill' AND d.status <> 'void' AND d.status <> 'draft'
             AND d.date >= :a
           ORDER BY d.date LIMIT 1""",
        a=date(2026, 7, 1),
    )
    if found is not None:
        ref, day, net = found
        notes.issue_note(
            session,
            clerk,
            NoteCreate(
                kind="credit",
                original=str(ref),
                date=min(_day(day) + timedelta(days=9), today),
                reason="Credit for packaging damaged in transit",
                lines=[NoteLineCreate(line=1, amount=int(str(net)) * 2 // 100)],
            ),
        )

    # 4. A bad debt: the oldest invoice nothing was paid on, its customer in liquidation.
    found = _first(
        session,
        """SELECT number FROM fin_document WHERE kind = 'invoice' AND status = 'posted'
           AND paid = 0 AND due_date < :due ORDER BY date LIMIT 1""",
        due=today - timedelta(days=120),
    )
    if found is not None:
        notes.write_off(
            session,
            manager,
            str(found[0]),
            on=today,
            kind="bad_debt",
            insolvent=True,
            reason="Customer in liquidation; the liquidator confirmed no dividend",
        )
