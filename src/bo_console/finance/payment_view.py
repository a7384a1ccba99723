"""One payment with its allocations, read through a Reader or a session without the ORM
(``bo finance payments show``); :mod:`bo_console.finance.payments` re-exports it.

This module imports neither SQLAlchemy nor pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from bo_console.finance.payment_list import PaymentRow, payment_row

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class PaymentAllocationView:
    document: str
    document_date: date
    date: date
    amount: Decimal


@dataclass(frozen=True)
class PaymentView:
    row: PaymentRow
    memo: str
    entry: str
    void_entry: str
    void_date: date | None
    created_by: str
    created_at: datetime
    voided_by: str
    allocations: tuple[PaymentAllocationView, ...] = field(default=())


_ID = re.compile(r"^#*(\d+)$")
"""An id as ``find_payment`` reads one: digits after any number of ``#``."""

_SELECT = (
    "SELECT y.id, y.number, y.direction, y.date, p.code, p.name, a.code, y.reference,"
    " y.status, y.amount, y.memo, e.id, e.year, e.number, v.id, v.year, v.number,"
    " y.void_date, y.created_by, y.created_at, y.voided_by FROM fin_payment AS y"
    " JOIN fin_party AS p ON p.id = y.party_id JOIN fin_account AS a ON a.id = y.account_id"
    " LEFT JOIN fin_entry AS e ON e.id = y.entry_id"
    " LEFT JOIN fin_entry AS v ON v.id = y.void_entry_id"
)


def read_payment(db: Reads, actor: Actor, ref: str | int) -> PaymentView:
    """One payment, by number (``RCPT-2026-00042``) or id (``#7``), with its allocations
    (through a Reader or a session).

    Raises:
        NotFound: no such payment.
    """
    from bo_console.core.errors import NotFound
    from bo_console.core.lookups import base_currency_of, day_of, moment_of
    from bo_console.core.reading import reader_of
    from bo_console.finance.fiscal import entry_ref

    actor.require("finance.read", "read payments")
    reader = reader_of(db)
    text = str(ref).strip()
    by_id = _ID.match(text)
    if by_id:
        found = reader.first(f"{_SELECT} WHERE y.id = :id", {"id": int(by_id[1])})
    else:
        found = reader.first(f"{_SELECT} WHERE y.number = :n", {"n": text.upper()})
    if found is None:
        raise NotFound(f"no payment {text}")
    (memo, entry_id, entry_year, entry_number, void_id, void_year, void_number, void_date,
     created_by, created_at, voided_by) = found[10:]  # fmt: skip
    money = base_currency_of(reader).from_minor
    rows = reader.rows(
        "SELECT d.id, d.number, d.date, a.date, a.amount FROM fin_allocation AS a"
        " JOIN fin_document AS d ON d.id = a.document_id WHERE a.payment_id = :y ORDER BY a.id",
        {"y": found[0]},
    )
    return PaymentView(
        row=payment_row((*found[:10], sum(int(r[4]) for r in rows)), money),
        memo=memo,
        entry=entry_ref(entry_year, entry_number, entry_id) if entry_id is not None else "",
        void_entry=entry_ref(void_year, void_number, void_id) if void_id is not None else "",
        void_date=day_of(void_date),
        created_by=created_by,
        created_at=cast("datetime", moment_of(created_at)),
        voided_by=voided_by or "",
        allocations=tuple(
            PaymentAllocationView(
                document=number or f"draft #{doc_id}",
                document_date=cast("date", day_of(doc_date)),
                date=cast("date", day_of(day)),
                amount=money(int(amount)),
            )
            for doc_id, number, doc_date, day, amount in rows
        ),
    )
