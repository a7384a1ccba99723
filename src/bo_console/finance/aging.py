"""Aged receivables and payables as of a date: what each party owed then, by days past due.

As of a date, a document counts if it was posted and dated by then and not yet voided by a
credit note dated by then; what was open on it is its total less the allocations dated by
then from payments not voided by then. Days past due are the as-of date less the due date:
zero or less is current, then 1-30, 31-60, 61-90 and over 90. Payment amounts not yet
allocated by then (or allocated to a document voided by then) show as the party's credit on
account, so ``balance`` is what the party's receivable (or payable) account holds for
documents and payments. Credit notes and write-offs dated by then reduce what was open on
the documents they were applied to; what a credit note had not applied or refunded by then
is credit on account too; a debit note is open like a document, due with its original.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

BUCKETS = ("current", "d1_30", "d31_60", "d61_90", "d90_plus")
"""Column names of the buckets: not yet due, then days past due."""

BUCKET_LABELS = {
    "current": "current",
    "d1_30": "1-30",
    "d31_60": "31-60",
    "d61_90": "61-90",
    "d90_plus": "90+",
}


def bucket_of(days_overdue: int) -> str:
    """The bucket of a document ``days_overdue`` days past its due date."""
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "d1_30"
    if days_overdue <= 60:
        return "d31_60"
    if days_overdue <= 90:
        return "d61_90"
    return "d90_plus"


@dataclass
class AgedRow:
    """One party (or, in detail, one document) with its open amounts by bucket."""

    party: str
    party_name: str
    document: str = ""
    date: date | None = None
    due_date: dt.date | None = None
    days_overdue: int | None = None
    amounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))
    on_account: int = 0

    @property
    def total(self) -> int:
        return sum(self.amounts.values())

    @property
    def balance(self) -> int:
        return self.total - self.on_account


@dataclass(frozen=True)
class AgedReport:
    """Aged receivables (``side='receivables'``) or payables, in minor units."""

    side: str
    as_of: date
    currency: str
    exponent: int
    rows: tuple[AgedRow, ...]

    def money(self, minor: int) -> Decimal:
        from bo_console.core.money import from_minor

        return from_minor(minor, self.exponent)

    def totals(self) -> AgedRow:
        out = AgedRow(party="", party_name="Total")
        for row in self.rows:
            for name in BUCKETS:
                out.amounts[name] += row.amounts[name]
            out.on_account += row.on_account
        return out


_OPEN_DOCUMENTS = """
    SELECT d.id, d.number, d.date, d.due_date, d.total, p.code, p.name,
           d.total - COALESCE((SELECT SUM(a.amount) FROM fin_allocation a
                               JOIN fin_payment pay ON pay.id = a.payment_id
                               WHERE a.document_id = d.id AND a.date <= :as_of
                                 AND (pay.status = 'posted' OR pay.void_date > :as_of)), 0)
             - COALESCE((SELECT SUM(na.amount) FROM fin_note_application na
                         WHERE na.document_id = d.id AND na.date <= :as_of), 0)
             - COALESCE((SELECT SUM(w.amount) FROM fin_writeoff w
                         WHERE w.document_id = d.id AND w.date <= :as_of), 0)
    FROM fin_document d JOIN fin_party p ON p.id = d.party_id
    LEFT JOIN fin_document note ON note.id = d.voided_by_id
    WHERE d.kind = :kind AND d.status <> 'draft' AND d.date <= :as_of
      AND (note.id IS NULL OR note.date > :as_of)
"""

_ON_ACCOUNT = """
    SELECT p.code, p.name,
           SUM(pay.amount - COALESCE((SELECT SUM(a.amount) FROM fin_allocation a
                                      JOIN fin_document d ON d.id = a.document_id
                                      LEFT JOIN fin_document note ON note.id = d.voided_by_id
                                      WHERE a.payment_id = pay.id AND a.date <= :as_of
                                        AND (note.id IS NULL OR note.date > :as_of)), 0))
    FROM fin_payment pay JOIN fin_party p ON p.id = pay.party_id
    WHERE pay.direction = :direction AND pay.date <= :as_of
      AND (pay.status = 'posted' OR pay.void_date > :as_of)
    GROUP BY p.code, p.name
"""

# Notes as of a date: a debit note is owed like a document (due with its original); what a
# credit note has not yet applied or refunded is on the party's account.
_NOTES = """
    SELECT n.number, n.date, o.due_date, p.code, p.name, n.kind,
           n.total - COALESCE((SELECT SUM(a.amount) FROM fin_note_application a
                               WHERE a.note_id = n.id AND a.date <= :as_of), 0)
    FROM fin_note n JOIN fin_party p ON p.id = n.party_id
    JOIN fin_document o ON o.id = n.original_id
    WHERE n.kind LIKE :side AND n.date <= :as_of
"""


def aged(db: Reads, actor: Actor, side: str, as_of: date, *, detail: bool = False) -> AgedReport:
    """Aged receivables or payables as of a date, per party (or per document with ``detail``),
    read through a Reader or a session.

    Parties with nothing open and no credit on account are left out.
    """
    from bo_console.core.money import base_currency
    from bo_console.core.reading import reader_of

    actor.require("finance.read", f"read aged {side}")
    if side not in ("receivables", "payables"):
        raise ValidationFailed("side is receivables or payables")
    kind, direction = ("invoice", "received") if side == "receivables" else ("bill", "made")
    reader = reader_of(db)
    rows: dict[str, AgedRow] = {}
    detail_rows: list[AgedRow] = []
    for _, number, day, due, _, code, name, open_ in reader.rows(
        _OPEN_DOCUMENTS, {"as_of": as_of, "kind": kind}
    ):
        if int(open_) <= 0:
            continue
        due_date = due if isinstance(due, date) else date.fromisoformat(str(due))
        days = (as_of - due_date).days
        bucket = bucket_of(days)
        party = rows.setdefault(str(code), AgedRow(party=str(code), party_name=str(name)))
        party.amounts[bucket] += int(open_)
        if detail:
            row = AgedRow(
                party=str(code),
                party_name=str(name),
                document=str(number),
                date=day if isinstance(day, date) else date.fromisoformat(str(day)),
                due_date=due_date,
                days_overdue=max(days, 0),
            )
            row.amounts[bucket] = int(open_)
            detail_rows.append(row)
    side_kinds = "sales_%" if side == "receivables" else "purchase_%"
    for number, day, due, code, name, note_kind, left in reader.rows(
        _NOTES, {"as_of": as_of, "side": side_kinds}
    ):
        if int(left) <= 0:
            continue
        party = rows.setdefault(str(code), AgedRow(party=str(code), party_name=str(name)))
        if str(note_kind).endswith("_credit"):
            party.on_account += int(left)
            if detail:
                detail_rows.append(
                    AgedRow(
                        party=str(code),
                        party_name=str(name),
                        document=str(number),
                        on_account=int(left),
                    )
                )
            continue
        due_date = max(
            due if isinstance(due, date) else date.fromisoformat(str(due)),
            day if isinstance(day, date) else date.fromisoformat(str(day)),
        )
        days = (as_of - due_date).days
        party.amounts[bucket_of(days)] += int(left)
        if detail:
            row = AgedRow(
                party=str(code),
                party_name=str(name),
                document=str(number),
                date=day if isinstance(day, date) else date.fromisoformat(str(day)),
                due_date=due_date,
                days_overdue=max(days, 0),
            )
            row.amounts[bucket_of(days)] = int(left)
            detail_rows.append(row)
    for code, name, left in reader.rows(_ON_ACCOUNT, {"as_of": as_of, "direction": direction}):
        if int(left or 0) <= 0:
            continue
        party = rows.setdefault(str(code), AgedRow(party=str(code), party_name=str(name)))
        party.on_account += int(left)
        if detail:
            detail_rows.append(AgedRow(party=str(code), party_name=str(name), on_account=int(left)))
    currency = base_currency(reader)
    if detail:
        ordered = sorted(
            detail_rows,
            key=lambda r: (r.party, r.document == "", r.due_date or as_of, r.document),
        )
    else:
        ordered = [rows[code] for code in sorted(rows)]
    return AgedReport(
        side=side,
        as_of=as_of,
        currency=currency.code,
        exponent=currency.exponent,
        rows=tuple(ordered),
    )
