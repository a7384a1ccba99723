"""Receivables and payables tables: parties, tax codes, invoices and bills with their lines,
payments and their allocations to documents.

Amounts are integer minor units of the base currency; quantities are thousandths. The
database itself (triggers in the ``0004`` migration) refuses a change to a posted document or
its lines, a document number out of sequence, a status that does not follow from what has
been paid, an allocation to the wrong kind of document or party, an allocation beyond what a
document still owes or a payment still holds, and any change to a payment but its void.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow
from bo_console.core.schema import partial_index

DOCUMENT_KINDS = ("invoice", "bill", "credit_note", "supplier_credit")
"""Sales invoices, supplier bills, and the credit notes that void each."""

CREDIT_OF = {"invoice": "credit_note", "bill": "supplier_credit"}
"""The kind of credit note that voids a document of each kind."""

SALES_KINDS = ("invoice", "credit_note")
PURCHASE_KINDS = ("bill", "supplier_credit")

DOCUMENT_STATUSES = ("draft", "posted", "partly_paid", "paid", "void")

PREFIXES = {
    "invoice": "INV",
    "bill": "BILL",
    "credit_note": "CN",
    "supplier_credit": "SCN",
    "received": "RCPT",
    "made": "PAY",
}
"""Number prefixes: ``INV-2026-00017`` is the 17th invoice posted in 2026."""

PAYMENT_DIRECTIONS = ("received", "made")
PAYMENT_STATUSES = ("posted", "void")

TAX_CATEGORIES = ("standard", "reduced", "zero", "exempt", "out_of_scope")
TAX_TREATMENTS = ("domestic", "export", "import", "reverse_charge", "citizen")
"""Where a code's lines go in the VAT return: domestic supplies, exports (zero-rated), imports
with VAT paid at customs, imports under the reverse charge (the buyer accounts for the tax),
and sales to citizens the state bears the VAT of (private healthcare, private education, a
first home: ZATCA's box 2)."""
"""A tax code's VAT category; the first two charge tax, the others do not."""

QTY_SCALE = 1000
"""Quantities are stored in thousandths (``2.5`` is ``2500``)."""


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def document_number(kind: str, year: int, seq: int) -> str:
    """``INV-2026-00017``."""
    return f"{PREFIXES[kind]}-{year:04d}-{seq:05d}"


# -- parties ------------------------------------------------------------------------------------


PARTY_STATUSES = ("approved", "pending", "rejected")


class PartyBase(SQLModel):
    code: str = Field(default="", max_length=20)
    name: str = Field(min_length=1, max_length=160)
    name_ar: str = Field(default="", max_length=160)
    is_customer: bool = True
    is_supplier: bool = False
    tax_number: str = Field(default="", max_length=20)
    contact_name: str = Field(default="", max_length=120)
    email: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=300)
    payment_terms: int = Field(default=30, ge=0, le=365)


def _clean(value: str) -> str:
    from bo_console.core.text import clean

    return clean(value)


def _check_tax_number(value: str) -> str:
    value = _clean(value).replace(" ", "").upper()
    if value and not (value.isascii() and value.isalnum() and 5 <= len(value) <= 20):
        raise ValueError("a tax number is 5 to 20 letters and digits")
    if value.isdigit() and len(value) == 15 and not (value[0] == "3" and value[-1] == "3"):
        raise ValueError("a Saudi VAT number has 15 digits and starts and ends with 3")
    return value


def _check_code(value: str) -> str:
    value = _clean(value).upper()
    if value and not all(c.isascii() and (c.isalnum() or c in "-_.") for c in value):
        raise ValueError("a code is letters, digits, '-', '_' or '.', without spaces")
    return value


class PartyCreate(PartyBase):
    """A new customer or supplier. Without a code, the next free ``P00001`` is given."""

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        return _check_code(value)

    @field_validator("name", "name_ar", "contact_name", "address")
    @classmethod
    def _text(cls, value: str) -> str:
        return _clean(value)

    @field_validator("tax_number")
    @classmethod
    def _tax_number(cls, value: str) -> str:
        return _check_tax_number(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = _clean(value)
        if value and (value.count("@") != 1 or " " in value or "." not in value.split("@")[1]):
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        value = _clean(value)
        if value and not all(c.isdigit() or c in "+-() " for c in value):
            raise ValueError("a phone number is digits, spaces and + - ( )")
        return value

    @model_validator(mode="after")
    def _a_role(self) -> PartyCreate:
        if not (self.is_customer or self.is_supplier):
            raise ValueError("a party is a customer, a supplier, or both")
        if not self.name:
            raise ValueError("a party needs a name")
        return self


class PartyUpdate(SQLModel):
    """Changes to a party; every field optional."""

    name: str | None = Field(default=None, min_length=1, max_length=160)
    name_ar: str | None = Field(default=None, max_length=160)
    is_customer: bool | None = None
    is_supplier: bool | None = None
    tax_number: str | None = Field(default=None, max_length=20)
    contact_name: str | None = Field(default=None, max_length=120)
    email: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=300)
    payment_terms: int | None = Field(default=None, ge=0, le=365)

    @field_validator("tax_number")
    @classmethod
    def _tax_number(cls, value: str | None) -> str | None:
        return None if value is None else _check_tax_number(value)


class Party(PartyBase, table=True):
    """A customer, a supplier, or both. Parties with documents are deactivated, not deleted."""

    __tablename__ = "fin_party"
    __table_args__ = (
        CheckConstraint("is_customer OR is_supplier", name="ck_fin_party_role"),
        CheckConstraint("payment_terms BETWEEN 0 AND 365", name="ck_fin_party_terms"),
        CheckConstraint(_in("status", PARTY_STATUSES), name="ck_fin_party_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)
    search_key: str = Field(default="", max_length=400, index=True)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)
    status: str = Field(default="approved", max_length=12)
    """``pending`` while finance checks a customer the front office registered."""
    cr_number: str = Field(default="", max_length=10)
    approved_by: str | None = Field(default=None, max_length=64)
    approved_at: datetime | None = None


# -- tax codes ----------------------------------------------------------------------------------


class TaxCode(SQLModel, table=True):
    """A VAT code: its rate in basis points (1500 = 15 %) and the accounts its tax posts to."""

    __tablename__ = "fin_tax_code"
    __table_args__ = (
        CheckConstraint(_in("category", TAX_CATEGORIES), name="ck_fin_tax_code_category"),
        CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="ck_fin_tax_code_rate"),
        CheckConstraint(
            "(category IN ('standard', 'reduced')) = (rate_bp > 0)",
            name="ck_fin_tax_code_charges",
        ),
        CheckConstraint(
            "rate_bp = 0 OR (output_account_id IS NOT NULL AND input_account_id IS NOT NULL)",
            name="ck_fin_tax_code_accounts",
        ),
        CheckConstraint(_in("treatment", TAX_TREATMENTS), name="ck_fin_tax_code_treatment"),
    )

    code: str = Field(primary_key=True, max_length=16)
    name: str = Field(max_length=120)
    name_ar: str = Field(default="", max_length=120)
    category: str = Field(max_length=16)
    rate_bp: int = Field(default=0)
    output_account_id: int | None = Field(default=None, foreign_key="fin_account.id")
    input_account_id: int | None = Field(default=None, foreign_key="fin_account.id")
    active: bool = Field(default=True)
    treatment: str = Field(default="domestic", max_length=16)


# -- documents ----------------------------------------------------------------------------------


class DocumentLineCreate(SQLModel):
    """One line of a new invoice or bill. ``account`` defaults to sales (invoices) or is
    required (bills); ``quantity`` has at most three decimals, ``unit_price`` is minor units."""

    description: str = Field(min_length=1, max_length=200)
    quantity: int = Field(default=QTY_SCALE, gt=0, le=10**12)
    unit_price: int = Field(ge=0, le=10**15)
    tax_code: str = Field(min_length=1, max_length=16)
    account: str | None = Field(default=None, max_length=400)

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        value = _clean(value)
        if not value:
            raise ValueError("a line needs a description")
        return value


class DocumentCreate(SQLModel):
    """A new invoice or bill (saved as a draft until posted)."""

    kind: str
    party: str = Field(min_length=1, max_length=160)
    date: date
    due_date: dt.date | None = None
    reference: str = Field(default="", max_length=60)
    memo: str = Field(default="", max_length=200)
    lines: list[DocumentLineCreate] = Field(min_length=1, max_length=500)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in ("invoice", "bill"):
            raise ValueError("a new document is an invoice or a bill")
        return value

    @field_validator("reference", "memo")
    @classmethod
    def _text(cls, value: str) -> str:
        return _clean(value)

    @model_validator(mode="after")
    def _due(self) -> DocumentCreate:
        if self.due_date is not None and self.due_date < self.date:
            raise ValueError("the due date cannot be before the document date")
        return self


class Document(SQLModel, table=True):
    """An invoice, bill or credit note. Drafts change freely; once posted only ``paid`` and
    ``status`` move (with the allocations), and a void links the credit note that undid it."""

    __tablename__ = "fin_document"
    __table_args__ = (
        CheckConstraint(_in("kind", DOCUMENT_KINDS), name="ck_fin_document_kind"),
        CheckConstraint(_in("status", DOCUMENT_STATUSES), name="ck_fin_document_status"),
        CheckConstraint(
            "net >= 0 AND tax >= 0 AND total = net + tax AND paid >= 0 AND paid <= total",
            name="ck_fin_document_amounts",
        ),
        CheckConstraint(
            "(status = 'draft' AND number IS NULL AND year IS NULL AND seq IS NULL "
            "AND entry_id IS NULL) OR (status <> 'draft' AND number IS NOT NULL "
            "AND year IS NOT NULL AND seq IS NOT NULL AND entry_id IS NOT NULL)",
            name="ck_fin_document_number",
        ),
        CheckConstraint("due_date >= date", name="ck_fin_document_due"),
        CheckConstraint(
            "(kind IN ('credit_note', 'supplier_credit')) = (voids_id IS NOT NULL)",
            name="ck_fin_document_credit",
        ),
        CheckConstraint(
            "(status = 'void') = (voided_by_id IS NOT NULL)", name="ck_fin_document_void"
        ),
        UniqueConstraint("kind", "year", "seq", name="uq_fin_document_seq"),
        Index("ix_fin_document_party", "party_id", "status"),
        Index("ix_fin_document_kind_date", "kind", "date"),
        partial_index(
            "ix_fin_document_open",
            "kind",
            "due_date",
            where="status IN ('posted', 'partly_paid')",
        ),
        # A supplier's invoice number is entered once (a voided bill frees it).
        partial_index(
            "ix_fin_document_supplier_ref",
            "party_id",
            "reference",
            where="kind = 'bill' AND reference <> '' AND status <> 'void'",
            unique=True,
        ),
        partial_index(
            "ix_fin_document_entry",
            "entry_id",
            where="entry_id IS NOT NULL",
            unique=True,
        ),
        partial_index(
            "ix_fin_document_voids",
            "voids_id",
            where="voids_id IS NOT NULL",
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    year: int | None = None
    seq: int | None = None
    number: str | None = Field(default=None, max_length=20, unique=True)
    party_id: int = Field(foreign_key="fin_party.id")
    date: date
    due_date: dt.date
    reference: str = Field(default="", max_length=60)
    memo: str = Field(default="", max_length=200)
    status: str = Field(default="draft", max_length=12)
    net: int = Field(default=0)
    tax: int = Field(default=0)
    total: int = Field(default=0)
    paid: int = Field(default=0)
    entry_id: int | None = Field(default=None, foreign_key="fin_entry.id")
    voids_id: int | None = Field(default=None, foreign_key="fin_document.id")
    voided_by_id: int | None = Field(default=None, foreign_key="fin_document.id")
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)
    posted_at: datetime | None = None
    posted_by: str | None = Field(default=None, max_length=64)

    @property
    def ref(self) -> str:
        """The number people quote (``INV-2026-00017``), or ``draft #7``."""
        return self.number or f"draft #{self.id}"

    @property
    def open_amount(self) -> int:
        """What is still owed on it (zero for drafts, voids and credit notes)."""
        if self.status in ("posted", "partly_paid") and self.kind in CREDIT_OF:
            return self.total - self.paid
        return 0


class DocumentLine(SQLModel, table=True):
    """One line of a document: net is quantity times unit price, rounded half-up to a minor
    unit; tax is the line's share of its tax code's tax on the document."""

    __tablename__ = "fin_document_line"
    __table_args__ = (
        CheckConstraint(
            "quantity > 0 AND unit_price >= 0 AND net >= 0 AND tax >= 0",
            name="ck_fin_document_line_amounts",
        ),
        {"sqlite_with_rowid": False},
    )

    document_id: int = Field(foreign_key="fin_document.id", primary_key=True)
    line_no: int = Field(primary_key=True)
    description: str = Field(max_length=200)
    quantity: int = Field(default=QTY_SCALE)
    unit_price: int = Field(default=0)
    account_id: int = Field(foreign_key="fin_account.id")
    tax_code: str = Field(foreign_key="fin_tax_code.code", max_length=16)
    net: int = Field(default=0)
    tax: int = Field(default=0)


# -- payments -----------------------------------------------------------------------------------


class Payment(SQLModel, table=True):
    """Money received from a customer or paid to a supplier, posted when entered. What is not
    allocated to documents stays on the party's account. A void reverses its entry and
    releases its allocations."""

    __tablename__ = "fin_payment"
    __table_args__ = (
        CheckConstraint(_in("direction", PAYMENT_DIRECTIONS), name="ck_fin_payment_direction"),
        CheckConstraint(_in("status", PAYMENT_STATUSES), name="ck_fin_payment_status"),
        CheckConstraint("amount > 0", name="ck_fin_payment_amount"),
        CheckConstraint(
            "(status = 'void') = (void_date IS NOT NULL AND void_entry_id IS NOT NULL)",
            name="ck_fin_payment_void",
        ),
        UniqueConstraint("direction", "year", "seq", name="uq_fin_payment_seq"),
        Index("ix_fin_payment_party", "party_id", "date"),
        Index("ix_fin_payment_date", "date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    direction: str = Field(max_length=10)
    year: int
    seq: int
    number: str = Field(max_length=20, unique=True)
    party_id: int = Field(foreign_key="fin_party.id")
    date: date
    amount: int
    account_id: int = Field(foreign_key="fin_account.id")
    reference: str = Field(default="", max_length=60)
    memo: str = Field(default="", max_length=200)
    status: str = Field(default="posted", max_length=8)
    entry_id: int = Field(foreign_key="fin_entry.id", unique=True)
    void_date: dt.date | None = None
    void_entry_id: int | None = Field(default=None, foreign_key="fin_entry.id")
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)
    voided_at: datetime | None = None
    voided_by: str | None = Field(default=None, max_length=64)


class Allocation(SQLModel, table=True):
    """Part of a payment applied to one document, from ``date`` on. Never changed or deleted;
    a void of the payment releases it."""

    __tablename__ = "fin_allocation"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_fin_allocation_amount"),
        Index("ix_fin_allocation_payment", "payment_id"),
        Index("ix_fin_allocation_document", "document_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="fin_payment.id")
    document_id: int = Field(foreign_key="fin_document.id")
    amount: int
    date: date
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)


__all__ = [
    "Allocation",
    "Document",
    "DocumentCreate",
    "DocumentLine",
    "DocumentLineCreate",
    "Party",
    "PartyCreate",
    "PartyUpdate",
    "Payment",
    "TaxCode",
]
