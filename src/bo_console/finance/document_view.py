"""One invoice, bill or credit note with its lines and allocations, read through a Reader or
a session without the ORM (``bo finance invoices show``, ``bo finance bills show``);
:mod:`bo_console.finance.documents` re-exports the rows and its ``get_document`` reads here.

This module imports neither SQLAlchemy nor pydantic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor


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


_ID = re.compile(r"^(?:draft\s*)?#?(\d{1,12})$", re.IGNORECASE)
"""A draft's id as typed (``#7``, ``7``, ``draft #7``), as ``documents.find_document`` reads it."""

_OWED_KINDS = ("invoice", "bill")
"""The kinds something is owed on (``CREDIT_OF``'s keys): a credit note's open amount is 0."""

_COLUMNS = (
    "d.id, d.number, d.kind, d.date, d.due_date, p.code, p.name, d.reference, d.status,"
    " d.net, d.tax, d.total, d.paid, d.memo, e.id, e.year, e.number, v.id, v.number,"
    " w.id, w.number, d.created_by, d.created_at, d.posted_by, d.posted_at"
)
_FROM = (
    " FROM fin_document AS d JOIN fin_party AS p ON p.id = d.party_id"
    " LEFT JOIN fin_entry AS e ON e.id = d.entry_id"
    " LEFT JOIN fin_document AS v ON v.id = d.voids_id"
    " LEFT JOIN fin_document AS w ON w.id = d.voided_by_id"
)


def document_row(values: Sequence[Any], money: Callable[[int], Decimal]) -> DocumentRow:
    """A document as lists show it, from (id, number, kind, date, due date, party code, party
    name, reference, status, net, tax, total, paid) in minor units."""
    from bo_console.core.lookups import day_of

    doc_id, number, kind, day, due, code, name, reference, status, net, tax, total, paid = values[
        :13
    ]
    owed = status in ("posted", "partly_paid") and kind in _OWED_KINDS
    return DocumentRow(
        id=int(doc_id),
        ref=number or f"draft #{doc_id}",
        kind=kind,
        date=cast("date", day_of(day)),
        due_date=cast("date", day_of(due)),
        party=code,
        party_name=name,
        reference=reference,
        status=status,
        net=money(int(net)),
        tax=money(int(tax)),
        total=money(int(total)),
        paid=money(int(paid)),
        open=money(int(total) - int(paid) if owed else 0),
    )


def _found(reader: Reader, text: str) -> Sequence[Any] | None:
    by_id = _ID.match(text)
    if by_id:
        return reader.first(f"SELECT {_COLUMNS}{_FROM} WHERE d.id = :id", {"id": int(by_id[1])})
    return reader.first(f"SELECT {_COLUMNS}{_FROM} WHERE d.number = :n", {"n": text.upper()})


def read_document(
    db: Reads, actor: Actor, ref: str | int, kinds: Sequence[str] = ()
) -> DocumentView:
    """One document, by number (``INV-2026-00017``) or id (``#7``, ``7``) and of ``kinds`` if
    given, with its lines, its allocations and the entry and documents it links (through a
    Reader or a session).

    Raises:
        NotFound: no such document (of those kinds).
    """
    from bo_console.core.errors import NotFound
    from bo_console.core.lookups import base_currency_of, day_of, moment_of
    from bo_console.core.reading import reader_of
    from bo_console.finance.documents.common import KIND_LABELS, format_quantity
    from bo_console.finance.fiscal import entry_ref

    actor.require("finance.read", "read invoices and bills")
    reader = reader_of(db)
    text = str(ref).strip()
    found = _found(reader, text)
    if found is None or (kinds and found[2] not in kinds):
        what = " or ".join(KIND_LABELS[k].lower() for k in kinds) if kinds else "document"
        raise NotFound(f"no {what} {text}")
    (entry_id, entry_year, entry_number, voids_id, voids_number, voided_id, voided_number,
     created_by, created_at, posted_by, posted_at) = found[14:]  # fmt: skip
    money = base_currency_of(reader).from_minor
    lines = tuple(
        DocumentLineView(
            line_no=int(line_no),
            description=description,
            quantity=format_quantity(int(quantity)),
            unit_price=money(int(unit_price)),
            account=account,
            tax_code=tax_code,
            net=money(int(net)),
            tax=money(int(tax)),
        )
        for line_no, description, quantity, unit_price, account, tax_code, net, tax in reader.rows(
            "SELECT l.line_no, l.description, l.quantity, l.unit_price, a.code, l.tax_code,"
            " l.net, l.tax FROM fin_document_line AS l JOIN fin_account AS a"
            " ON a.id = l.account_id WHERE l.document_id = :d ORDER BY l.line_no",
            {"d": found[0]},
        )
    )
    allocations = tuple(
        AllocationView(
            payment=number,
            date=cast("date", day_of(day)),
            amount=money(int(amount)),
            payment_status=status,
        )
        for number, day, amount, status in reader.rows(
            "SELECT y.number, a.date, a.amount, y.status FROM fin_allocation AS a"
            " JOIN fin_payment AS y ON y.id = a.payment_id WHERE a.document_id = :d"
            " ORDER BY a.date, a.id",
            {"d": found[0]},
        )
    )

    def ref_of(other_id: int | None, number: str | None) -> str:
        return "" if other_id is None else number or f"draft #{other_id}"

    return DocumentView(
        row=document_row(found, money),
        memo=found[13],
        entry=entry_ref(entry_year, entry_number, entry_id) if entry_id is not None else "",
        voids=ref_of(voids_id, voids_number),
        voided_by=ref_of(voided_id, voided_number),
        created_by=created_by,
        created_at=cast("datetime", moment_of(created_at)),
        posted_by=posted_by or "",
        posted_at=moment_of(posted_at),
        lines=lines,
        allocations=allocations,
    )
