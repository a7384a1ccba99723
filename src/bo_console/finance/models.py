"""Finance tables: the chart of accounts, journal entries and their lines, fiscal periods,
and per-account monthly balances.

Amounts are integer minor units of the base currency. The database itself (triggers in the
``0002`` migration) refuses an unbalanced posted entry, any change to a posted entry or its
lines, lines added to a posted entry, a posting dated in a closed period, and a gap in the
entry numbers of a year; it also keeps ``fin_balance`` in step with every posting. An entry
becomes posted either by an update of a draft, or (bulk imports) by being inserted posted
after its lines.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow
from bo_console.core.schema import partial_index
from bo_console.finance.fiscal import entry_ref as entry_ref

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense")
"""Account types; the first two and equity make the balance sheet, the last two the P&L."""

ENTRY_STATES = ("draft", "posted", "reversed")

SOURCES = (
    "manual",
    "import",
    "opening",
    "reversal",
    "invoice",
    "bill",
    "payment",
    "payroll",
    "stock",
    "shipment",
    "asset",
    "closing",
    "vat",
    "bank",
    "note",
    "writeoff",
)
"""Where an entry comes from; all but ``manual``, ``import`` and ``opening`` are documents of
another service, which keeps the link in ``source_ref``."""

DOCUMENT_SOURCES = frozenset(SOURCES) - {"manual", "import", "opening", "reversal"}

PERIOD_STATES = ("open", "closed")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# -- chart of accounts --------------------------------------------------------------------------


class AccountBase(SQLModel):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=120)
    name_ar: str = Field(default="", max_length=120)
    type: str = Field(max_length=10)
    parent_id: int | None = Field(default=None, foreign_key="fin_account.id")
    postable: bool = Field(default=True)


def _check_name(value: str) -> str:
    from bo_console.core.text import clean

    value = clean(value)
    if ":" in value:
        raise ValueError("an account name cannot contain ':' (it separates levels of full names)")
    if "  " in value or "\t" in value or "\n" in value or ";" in value:
        raise ValueError("an account name cannot contain double spaces, tabs, newlines or ';'")
    return value


class AccountCreate(AccountBase):
    """What a finance manager gives to add an account."""

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.strip()
        if not value or any(c.isspace() or c in ":;" for c in value):
            raise ValueError("an account code is letters, digits, '.' or '-', without spaces")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _check_name(value)

    @field_validator("name_ar")
    @classmethod
    def _name_ar(cls, value: str) -> str:
        from bo_console.core.text import clean

        return clean(value)

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in ACCOUNT_TYPES:
            raise ValueError(f"type must be one of {', '.join(ACCOUNT_TYPES)}")
        return value


class AccountUpdate(SQLModel):
    """Changes to an account; every field optional. Its type cannot change once it has postings."""

    name: str | None = Field(default=None, min_length=1, max_length=120)
    name_ar: str | None = Field(default=None, max_length=120)
    parent_id: int | None = None
    postable: bool | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return None if value is None else _check_name(value)


class Account(AccountBase, table=True):
    """An account of the chart. Accounts with postings are never deleted, only deactivated."""

    __tablename__ = "fin_account"
    __table_args__ = (
        CheckConstraint(_in("type", ACCOUNT_TYPES), name="ck_fin_account_type"),
        UniqueConstraint("parent_id", "name", name="uq_fin_account_sibling_name"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


# -- fiscal periods -----------------------------------------------------------------------------


class Period(SQLModel, table=True):
    """A month of the books (``2026-03``). A month without a row is open."""

    __tablename__ = "fin_period"
    __table_args__ = (CheckConstraint(_in("status", PERIOD_STATES), name="ck_fin_period_status"),)

    period: str = Field(primary_key=True, max_length=7)
    status: str = Field(default="open", max_length=8)
    changed_at: datetime = Field(default_factory=utcnow)
    changed_by: str = Field(max_length=64)


# -- journal --------------------------------------------------------------------------------


class LineCreate(SQLModel):
    """One line of a new entry: an account (code or full name) and a debit or a credit.

    Amounts are integer minor units of the base currency; exactly one of them is positive.
    """

    account: str = Field(min_length=1, max_length=400)
    debit: int = Field(default=0, ge=0)
    credit: int = Field(default=0, ge=0)
    memo: str = Field(default="", max_length=200)
    party_id: int | None = None
    tax_code: str | None = Field(default=None, max_length=16)
    cost_centre: str | None = Field(default=None, max_length=16)

    @model_validator(mode="after")
    def _one_side(self) -> LineCreate:
        if (self.debit > 0) == (self.credit > 0):
            raise ValueError("give a debit or a credit (one of them, more than zero)")
        return self

    @classmethod
    def signed(cls, account: str, amount: int, memo: str = "", **extra: object) -> LineCreate:
        """A debit for a positive ``amount``, a credit for a negative one."""
        if amount >= 0:
            return cls.model_validate({"account": account, "debit": amount, "memo": memo, **extra})
        return cls.model_validate({"account": account, "credit": -amount, "memo": memo, **extra})


class EntryCreate(SQLModel):
    """A new journal entry as other services and the faces give it to the ledger."""

    date: date
    memo: str = Field(default="", max_length=200)
    source: str = Field(default="manual", max_length=20)
    source_ref: str | None = Field(default=None, max_length=120)
    lines: list[LineCreate] = Field(min_length=1)

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        if value not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}")
        return value


class Entry(SQLModel, table=True):
    """A journal entry. Drafts change freely; posted ones never change (a reversal corrects
    them), except that posting a reversal marks the original ``reversed``."""

    __tablename__ = "fin_entry"
    __table_args__ = (
        CheckConstraint(_in("state", ENTRY_STATES), name="ck_fin_entry_state"),
        CheckConstraint(
            "(state = 'draft' AND number IS NULL AND year IS NULL) OR "
            "(state <> 'draft' AND number IS NOT NULL AND year IS NOT NULL)",
            name="ck_fin_entry_number",
        ),
        CheckConstraint("total >= 0", name="ck_fin_entry_total"),
        UniqueConstraint("year", "number", name="uq_fin_entry_number"),
        Index("ix_fin_entry_date", "date"),
        partial_index(
            "ix_fin_entry_source_ref",
            "source",
            "source_ref",
            unique=True,
            where="source_ref IS NOT NULL AND state IN ('draft', 'posted')",
        ),
        partial_index("ix_fin_entry_drafts", "date", where="state = 'draft'"),
        # Foreign keys to this table itself: without these, checking them scans the table.
        partial_index("ix_fin_entry_reverses", "reverses_id", where="reverses_id IS NOT NULL"),
        partial_index(
            "ix_fin_entry_reversed_by", "reversed_by_id", where="reversed_by_id IS NOT NULL"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int | None = None
    number: int | None = None
    date: date
    memo: str = Field(default="", max_length=200)
    source: str = Field(default="manual", max_length=20)
    source_ref: str | None = Field(default=None, max_length=120)
    state: str = Field(default="draft", max_length=10)
    total: int = Field(default=0)
    reverses_id: int | None = Field(default=None, foreign_key="fin_entry.id")
    reversed_by_id: int | None = Field(default=None, foreign_key="fin_entry.id")
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)
    posted_at: datetime | None = None
    posted_by: str | None = Field(default=None, max_length=64)

    @property
    def ref(self) -> str:
        """The entry's number as people quote it (``2026-000123``), or ``draft #7``."""
        return entry_ref(self.year, self.number, self.id)


class Line(SQLModel, table=True):
    """One line of an entry: an account and a debit or a credit (never both, never neither).

    ``date`` repeats the entry's date (kept equal by triggers) so reports over a date range
    read one index of this table.
    """

    __tablename__ = "fin_line"
    __table_args__ = (
        CheckConstraint(
            "debit >= 0 AND credit >= 0 AND (debit = 0) <> (credit = 0)", name="ck_fin_line_side"
        ),
        Index("ix_fin_line_account_date", "account_id", "date", "debit", "credit"),
        # The cost-centre list's guard and the income statement by cost centre read it.
        partial_index("ix_fin_line_cost_centre", "cost_centre", where="cost_centre IS NOT NULL"),
        {"sqlite_with_rowid": False},
    )

    entry_id: int = Field(foreign_key="fin_entry.id", primary_key=True)
    line_no: int = Field(primary_key=True)
    account_id: int = Field(foreign_key="fin_account.id")
    date: date
    debit: int = Field(default=0)
    credit: int = Field(default=0)
    memo: str = Field(default="", max_length=200)
    party_id: int | None = None
    tax_code: str | None = Field(default=None, max_length=16)
    cost_centre: str | None = Field(default=None, max_length=16)


class Balance(SQLModel, table=True):
    """Debits and credits of one account in one month, over posted (and reversed) entries.

    Maintained by a trigger in the same transaction as each posting; ``bo db check`` proves it
    equals the lines.
    """

    __tablename__ = "fin_balance"
    __table_args__ = ({"sqlite_with_rowid": False},)

    account_id: int = Field(foreign_key="fin_account.id", primary_key=True)
    period: str = Field(primary_key=True, max_length=7)
    debit: int = Field(default=0)
    credit: int = Field(default=0)


__all__ = [
    "ACCOUNT_TYPES",
    "Account",
    "AccountCreate",
    "AccountUpdate",
    "Balance",
    "Entry",
    "EntryCreate",
    "Line",
    "LineCreate",
    "Period",
]
