"""Bank accounts, imported statements and their lines, and rules for recurring lines.

A statement is imported once: its file's digest is unique per bank account, and each line's
fingerprint (date, amount, reference, text and its occurrence in the file) is unique too, so a
second import of the same file, or of an overlapping one, adds nothing. A line is reconciled
with one ledger line on the bank's account (``entry_id``, ``line_no``); a ledger line is
reconciled with at most one statement line.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow
from bo_console.core.schema import partial_index

# The tables' foreign keys name fin_account, fin_entry and fin_tax_code: their modules must be
# loaded for a command that imports only these tables to write them.
from bo_console.finance import document_models as _tax_codes  # noqa: F401
from bo_console.finance import models as _ledger  # noqa: F401

BANK_LINE_STATES = ("open", "reconciled")


class BankAccount(SQLModel, table=True):
    """A bank account: the ledger account it is kept in and the saved CSV column mapping."""

    __tablename__ = "fin_bank_account"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=120)
    account_id: int = Field(foreign_key="fin_account.id", unique=True)
    iban: str = Field(default="", max_length=34)
    csv_mapping: str = Field(default="", max_length=2000)
    """JSON: which CSV column holds the date, amount (or debit and credit), text, reference."""
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)


class BankStatement(SQLModel, table=True):
    """One imported statement file."""

    __tablename__ = "fin_bank_statement"
    __table_args__ = (
        UniqueConstraint("bank_account_id", "digest", name="uq_fin_bank_statement_digest"),
    )

    id: int | None = Field(default=None, primary_key=True)
    bank_account_id: int = Field(foreign_key="fin_bank_account.id")
    digest: str = Field(max_length=64)
    format: str = Field(max_length=10)
    reference: str = Field(default="", max_length=60)
    first_date: date
    last_date: date
    opening_balance: int | None = None
    closing_balance: int | None = None
    lines: int = 0
    imported_at: datetime = Field(default_factory=utcnow)
    imported_by: str = Field(max_length=64)


class BankLine(SQLModel, table=True):
    """One line of a statement: money in (positive) or out (negative), and what it matched."""

    __tablename__ = "fin_bank_line"
    __table_args__ = (
        UniqueConstraint("bank_account_id", "fingerprint", name="uq_fin_bank_line_fingerprint"),
        CheckConstraint("amount <> 0", name="ck_fin_bank_line_amount"),
        CheckConstraint(
            "(status = 'reconciled') = (entry_id IS NOT NULL AND line_no IS NOT NULL)",
            name="ck_fin_bank_line_status",
        ),
        partial_index(
            "ix_fin_bank_line_ledger",
            "entry_id",
            "line_no",
            where="entry_id IS NOT NULL",
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    bank_account_id: int = Field(foreign_key="fin_bank_account.id", index=True)
    statement_id: int = Field(foreign_key="fin_bank_statement.id")
    seq: int
    date: date
    amount: int
    text: str = Field(default="", max_length=200)
    reference: str = Field(default="", max_length=60)
    fingerprint: str = Field(max_length=64)
    status: str = Field(default="open", max_length=12)
    entry_id: int | None = Field(default=None, foreign_key="fin_entry.id")
    line_no: int | None = None
    reconciled_at: datetime | None = None
    reconciled_by: str | None = Field(default=None, max_length=64)


class BankRule(SQLModel, table=True):
    """A recurring line (bank charges, a standing order): statement lines whose text holds
    ``match_text`` are posted against ``account_id`` and reconciled with that entry."""

    __tablename__ = "fin_bank_rule"

    id: int | None = Field(default=None, primary_key=True)
    bank_account_id: int = Field(foreign_key="fin_bank_account.id")
    match_text: str = Field(max_length=60)
    account_id: int = Field(foreign_key="fin_account.id")
    tax_code: str | None = Field(default=None, foreign_key="fin_tax_code.code", max_length=16)
    memo: str = Field(default="", max_length=120)
    active: bool = True
    created_by: str = Field(max_length=64)
