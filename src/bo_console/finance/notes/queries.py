"""Reading notes and write-offs: lists and one note with its lines and applications."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class NoteRow:
    """One note as lists show it."""

    number: str
    kind: str
    label: str
    date: date
    party: str
    party_name: str
    original: str
    original_date: dt.date
    net: Decimal
    tax: Decimal
    total: Decimal
    applied: Decimal
    left: Decimal
    reason: str


@dataclass(frozen=True)
class NoteLineView:
    line_no: int
    original_line: int
    description: str
    quantity: Decimal
    tax_code: str
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class NoteApplicationView:
    date: date
    to: str
    """The document the credit went to, or the bank or cash account money moved through."""
    amount: Decimal
    entry: str


@dataclass(frozen=True)
class NoteView:
    """A note with its lines, what it was applied to, and its entry."""

    row: NoteRow
    lines: tuple[NoteLineView, ...]
    applications: tuple[NoteApplicationView, ...]
    entry: str
    created_by: str


@dataclass(frozen=True)
class WriteOffRow:
    number: str
    kind: str
    date: date
    invoice: str
    party: str
    amount: Decimal
    vat_relief: Decimal
    account: str
    reason: str


_COLUMNS = """
    SELECT n.id, n.number, n.kind, n.date, p.code, p.name, d.number, d.date, n.net, n.tax,
           n.total, n.applied, n.reason"""
_FROM = """
    FROM fin_note n JOIN fin_party p ON p.id = n.party_id
    JOIN fin_document d ON d.id = n.original_id
"""
_SELECT = _COLUMNS + _FROM


_NOTE_LABELS = {
    "sales_credit": "Credit note",
    "sales_debit": "Debit note",
    "purchase_credit": "Supplier credit note",
    "purchase_debit": "Supplier debit note",
}
"""``note_models.NOTE_LABELS``, which a test holds equal (the lists read without the models)."""


def _row(values: Sequence[Any], money: Callable[[int], Decimal]) -> NoteRow:
    day, original_day = (
        v if isinstance(v, date) else date.fromisoformat(str(v)) for v in (values[3], values[7])
    )
    return NoteRow(
        number=str(values[1]),
        kind=str(values[2]),
        label=_NOTE_LABELS[str(values[2])],
        date=day,
        party=str(values[4]),
        party_name=str(values[5]),
        original=str(values[6]),
        original_date=original_day,
        net=money(int(values[8])),
        tax=money(int(values[9])),
        total=money(int(values[10])),
        applied=money(int(values[11])),
        left=money(int(values[10]) - int(values[11])),
        reason=str(values[12]),
    )


def list_notes(
    db: Reads,
    actor: Actor,
    *,
    side: str | None = None,
    party: str | None = None,
    original: str | None = None,
    open_only: bool = False,
) -> list[NoteRow]:
    """Credit and debit notes, newest first: of ``side`` (sales or purchases), a party, an
    original document, or only those with something left (through a Reader or a session)."""
    from bo_console.core.lookups import base_currency_of
    from bo_console.core.reading import reader_of

    actor.require("finance.read", "read credit and debit notes")
    where, args = [], {}
    if side is not None:
        if side not in ("sales", "purchases"):
            raise ValidationFailed("side is sales or purchases")
        where.append("n.kind LIKE :side")
        args["side"] = "sales_%" if side == "sales" else "purchase_%"
    if party:
        where.append("p.code = :party")
        args["party"] = party.strip().upper()
    if original:
        where.append("d.number = :original")
        args["original"] = original.strip().upper()
    if open_only:
        where.append("n.applied < n.total")
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY n.date DESC, n.id DESC"
    reader = reader_of(db)
    money = base_currency_of(reader).from_minor
    return [_row(r, money) for r in reader.rows(sql, args)]


_NOTE_ID = re.compile(r"^#?(\d{1,12})$")
"""A note's id as ``find_note`` reads it (``#4``, ``4``)."""


def get_note(db: Reads, actor: Actor, ref: str) -> NoteView:
    """One note, by number (``CRN-2026-00003``) or id (``#4``), with its lines and
    applications (through a Reader or a session).

    Raises:
        NotFound: no such note.
    """
    from bo_console.core.errors import NotFound
    from bo_console.core.lookups import base_currency_of
    from bo_console.core.reading import reader_of
    from bo_console.finance.documents.common import format_quantity
    from bo_console.finance.fiscal import entry_ref

    actor.require("finance.read", "read credit and debit notes")
    reader = reader_of(db)
    text = str(ref).strip()
    by_id = _NOTE_ID.match(text)
    where, key = ("n.id", int(by_id[1])) if by_id else ("n.number", text.upper())
    found = reader.first(
        f"{_COLUMNS}, n.created_by, e.id, e.year, e.number{_FROM}"
        " LEFT JOIN fin_entry e ON e.id = n.entry_id"
        f" WHERE {where} = :key",
        {"key": key},
    )
    if found is None:
        raise NotFound(f"no credit or debit note {text}")
    money = base_currency_of(reader).from_minor
    note_id, created_by, entry_id, entry_year, entry_number = found[0], *found[13:]
    lines = tuple(
        NoteLineView(
            line_no=int(r[0]),
            original_line=int(r[1]),
            description=str(r[2]),
            quantity=format_quantity(int(r[3])),
            tax_code=str(r[4]),
            net=money(int(r[5])),
            tax=money(int(r[6])),
        )
        for r in reader.rows(
            "SELECT line_no, original_line_no, description, quantity, tax_code, net, tax "
            "FROM fin_note_line WHERE note_id = :n ORDER BY line_no",
            {"n": note_id},
        )
    )
    applications = tuple(
        NoteApplicationView(
            date=day if isinstance(day, date) else date.fromisoformat(str(day)),
            to=str(doc_number or account),
            amount=money(int(amount)),
            entry=entry_ref(year, number, app_entry) if app_entry is not None else "",
        )
        for day, doc_number, account, amount, app_entry, year, number in reader.rows(
            "SELECT a.date, d.number, acc.code || ' ' || acc.name, a.amount, e.id, e.year,"
            " e.number FROM fin_note_application a"
            " LEFT JOIN fin_document d ON d.id = a.document_id"
            " LEFT JOIN fin_account acc ON acc.id = a.account_id"
            " LEFT JOIN fin_entry e ON e.id = a.entry_id WHERE a.note_id = :n ORDER BY a.id",
            {"n": note_id},
        )
    )
    return NoteView(
        row=_row(found, money),
        lines=lines,
        applications=applications,
        entry=entry_ref(entry_year, entry_number, entry_id) if entry_id is not None else "",
        created_by=created_by,
    )


def list_writeoffs(db: Reads, actor: Actor) -> list[WriteOffRow]:
    """Write-offs, newest first (through a Reader or a session)."""
    from bo_console.core.lookups import base_currency_of
    from bo_console.core.reading import reader_of

    actor.require("finance.read", "read write-offs")
    reader = reader_of(db)
    money = base_currency_of(reader).from_minor
    return [
        WriteOffRow(
            number=str(r[0]),
            kind=str(r[1]),
            date=r[2] if isinstance(r[2], date) else date.fromisoformat(str(r[2])),
            invoice=str(r[3]),
            party=str(r[4]),
            amount=money(int(r[5])),
            vat_relief=money(int(r[6])),
            account=str(r[7]),
            reason=str(r[8]),
        )
        for r in reader.rows(
            "SELECT w.number, w.kind, w.date, d.number, p.code, w.amount, w.tax, a.code, "
            "w.reason FROM fin_writeoff w JOIN fin_document d ON d.id = w.document_id "
            "JOIN fin_party p ON p.id = d.party_id JOIN fin_account a ON a.id = w.account_id "
            "ORDER BY w.date DESC, w.id DESC"
        )
    ]
