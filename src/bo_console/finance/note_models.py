"""Credit and debit notes on part of a posted invoice or bill, what their credit is applied
to, and write-offs of what an invoice still owes.

A note is born posted (like a payment): numbered in its own gap-free sequence per kind and
year, with its ledger entry on the original's control account. Each of its lines names a line
of the original; a credit never takes more quantity or amount (or VAT) than remains on that
line after the notes before it. A credit note's amount is then applied to open documents of
the same party (first the original) or refunded; what is neither stays on the party's account.
A debit note is owed like an invoice and settled by money received (or paid).

The database itself (triggers in the ``0014`` migration) refuses a note against a document
that is not posted, of another party, dated before it or in a closed month, a line beyond
what remains, a change or delete of a note, its lines, applications or write-offs, and an
application beyond what the note has left or the document still owes. A document's ``paid``
counts the payments allocated to it, the credit applied to it and its write-off.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator
from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow

NOTE_KINDS = ("sales_credit", "sales_debit", "purchase_credit", "purchase_debit")

NOTE_PREFIXES = {
    "sales_credit": "CRN",
    "sales_debit": "DRN",
    "purchase_credit": "PCN",
    "purchase_debit": "PDN",
}
"""Number prefixes: ``CRN-2026-00003`` is the third credit note issued to a customer in 2026.
(``CN``/``SCN`` stay the credit notes that void a whole document.)"""

NOTE_LABELS = {
    "sales_credit": "Credit note",
    "sales_debit": "Debit note",
    "purchase_credit": "Supplier credit note",
    "purchase_debit": "Supplier debit note",
}

NOTE_OF = {
    ("invoice", "credit"): "sales_credit",
    ("invoice", "debit"): "sales_debit",
    ("bill", "credit"): "purchase_credit",
    ("bill", "debit"): "purchase_debit",
}
"""The kind of note that credits or debits a document of each kind."""

CREDIT_KINDS = ("sales_credit", "purchase_credit")
WRITEOFF_KINDS = ("bad_debt", "residual")
WRITEOFF_PREFIX = "WO"

NOTE_SOURCE = "note"
WRITEOFF_SOURCE = "writeoff"
"""The ledger entry sources of notes (their refunds and settlements too) and write-offs."""


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def note_number(kind: str, year: int, seq: int) -> str:
    """``CRN-2026-00003``."""
    return f"{NOTE_PREFIXES[kind]}-{year:04d}-{seq:05d}"


def writeoff_number(year: int, seq: int) -> str:
    """``WO-2026-00001``."""
    return f"{WRITEOFF_PREFIX}-{year:04d}-{seq:05d}"


class NoteLineCreate(SQLModel):
    """One line of a new note: the original line it corrects, the quantity returned (or
    added; thousandths, zero for a price correction) and, for a price correction or a part of
    a line, the net amount (minor units; without it, quantity times the line's unit price)."""

    line: int = Field(ge=1, le=500)
    quantity: int = Field(default=0, ge=0, le=10**12)
    amount: int | None = Field(default=None, ge=0, le=10**15)


class NoteCreate(SQLModel):
    """A new credit or debit note on a posted invoice or bill (``original``: its number)."""

    kind: str
    original: str = Field(min_length=1, max_length=40)
    date: date
    reason: str = Field(default="", max_length=200)
    lines: list[NoteLineCreate] = Field(min_length=1, max_length=500)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in ("credit", "debit"):
            raise ValueError("a note is a credit or a debit note")
        return value

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        from bo_console.core.text import clean

        return clean(value)


class Note(SQLModel, table=True):
    """A posted credit or debit note on part of an invoice or bill. ``applied`` is what its
    credit has been applied to documents or refunded (credit notes), or what has been settled
    (debit notes); the database keeps it from the applications."""

    __tablename__ = "fin_note"
    __table_args__ = (
        CheckConstraint(_in("kind", NOTE_KINDS), name="ck_fin_note_kind"),
        CheckConstraint(
            "net >= 0 AND tax >= 0 AND total = net + tax AND total > 0 "
            "AND applied >= 0 AND applied <= total",
            name="ck_fin_note_amounts",
        ),
        UniqueConstraint("kind", "year", "seq", name="uq_fin_note_seq"),
        Index("ix_fin_note_original", "original_id"),
        Index("ix_fin_note_party", "party_id", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    year: int
    seq: int
    number: str = Field(max_length=20, unique=True)
    original_id: int = Field(foreign_key="fin_document.id")
    party_id: int = Field(foreign_key="fin_party.id")
    date: date
    reason: str = Field(default="", max_length=200)
    net: int = Field(default=0)
    tax: int = Field(default=0)
    total: int = Field(default=0)
    applied: int = Field(default=0)
    entry_id: int = Field(foreign_key="fin_entry.id", unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)

    @property
    def is_credit(self) -> bool:
        return self.kind in CREDIT_KINDS

    @property
    def open_amount(self) -> int:
        """Credit not yet applied or refunded, or debit not yet settled."""
        return self.total - self.applied


class NoteLine(SQLModel, table=True):
    """One line of a note: the original line it corrects, the quantity returned (or added;
    zero for a price correction), the net credited (or debited) and its VAT under the
    original line's tax code."""

    __tablename__ = "fin_note_line"
    __table_args__ = (
        CheckConstraint(
            "quantity >= 0 AND net >= 0 AND tax >= 0 AND net + tax > 0",
            name="ck_fin_note_line_amounts",
        ),
        {"sqlite_with_rowid": False},
    )

    note_id: int = Field(foreign_key="fin_note.id", primary_key=True)
    line_no: int = Field(primary_key=True)
    original_line_no: int
    description: str = Field(max_length=200)
    quantity: int = Field(default=0)
    account_id: int = Field(foreign_key="fin_account.id")
    tax_code: str = Field(foreign_key="fin_tax_code.code", max_length=16)
    net: int = Field(default=0)
    tax: int = Field(default=0)


class NoteApplication(SQLModel, table=True):
    """Part of a note applied: a credit note's amount to an open document (``document_id``),
    or paid out as a refund, or a debit note settled by money (``account_id`` and the
    ``entry_id`` that moves it)."""

    __tablename__ = "fin_note_application"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_fin_note_application_amount"),
        CheckConstraint(
            "(document_id IS NULL) <> (account_id IS NULL)", name="ck_fin_note_application_to"
        ),
        CheckConstraint(
            "(account_id IS NULL) = (entry_id IS NULL)", name="ck_fin_note_application_entry"
        ),
        Index("ix_fin_note_application_note", "note_id"),
        Index("ix_fin_note_application_document", "document_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    note_id: int = Field(foreign_key="fin_note.id")
    document_id: int | None = Field(default=None, foreign_key="fin_document.id")
    account_id: int | None = Field(default=None, foreign_key="fin_account.id")
    entry_id: int | None = Field(default=None, foreign_key="fin_entry.id", unique=True)
    amount: int
    date: date
    reference: str = Field(default="", max_length=60)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)


class WriteOff(SQLModel, table=True):
    """What an invoice still owed, written off to an expense account on ``date``. A bad debt
    also takes back the output VAT in it (``tax``, the relief the VAT return's corrections box
    claims); a small residual does not."""

    __tablename__ = "fin_writeoff"
    __table_args__ = (
        CheckConstraint(_in("kind", WRITEOFF_KINDS), name="ck_fin_writeoff_kind"),
        CheckConstraint(
            "amount > 0 AND tax >= 0 AND tax <= amount AND (kind = 'bad_debt' OR tax = 0)",
            name="ck_fin_writeoff_amounts",
        ),
        UniqueConstraint("year", "seq", name="uq_fin_writeoff_seq"),
        Index("ix_fin_writeoff_document", "document_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int
    seq: int
    number: str = Field(max_length=20, unique=True)
    kind: str = Field(max_length=10)
    document_id: int = Field(foreign_key="fin_document.id")
    date: date
    amount: int
    tax: int = Field(default=0)
    account_id: int = Field(foreign_key="fin_account.id")
    reason: str = Field(default="", max_length=200)
    entry_id: int = Field(foreign_key="fin_entry.id", unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)


__all__ = ["Note", "NoteApplication", "NoteCreate", "NoteLine", "NoteLineCreate", "WriteOff"]
