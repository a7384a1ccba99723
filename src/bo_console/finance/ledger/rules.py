"""The rules every posting into the ledger obeys, in one place.

An entry posts only when its lines balance and move more than zero, no amount is beyond
:data:`MAX_AMOUNT`, every account is active and postable, and its month is open; a posted
entry takes its year's next number. :mod:`.posting` applies these to one entry at a time,
the bulk journal import (:mod:`bo_console.finance.interchange`) to a whole file; both word a
refusal with the functions here. The database's triggers (``0002_ledger``) repeat the
essentials as the last word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import PermissionDenied, RuleViolation
from bo_console.finance.fiscal import parse_period as parse_period

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import ChartAccount


MAX_AMOUNT = 10**15
"""The largest amount, in minor units, that a line, an entry, a document or a payment may
carry (10 trillion in a 2-decimal currency): far above any real one, and far enough below the
database's 64-bit integers that the sums the books keep cannot overflow."""


def amount_problem(minor: int, exponent: int) -> str | None:
    """Why an amount in minor units cannot be booked (too large), or None."""
    if abs(minor) <= MAX_AMOUNT:
        return None
    from bo_console.core.money import format_amount

    return f"amount too large: at most {format_amount(MAX_AMOUNT, exponent)}"


@dataclass(frozen=True)
class TotalsProblem:
    """Why an entry with these totals cannot post: ``kind`` is ``unbalanced``, ``empty`` or
    ``too_large``."""

    kind: str
    message: str
    short: str
    """The same in a few words, for a report that names the entry and row itself."""


def totals_problem(debit: int, credit: int, currency: Currency) -> TotalsProblem | None:
    """Whether an entry's debit and credit totals (minor units) may post: they are equal,
    more than zero, and within :data:`MAX_AMOUNT`."""
    fmt = currency.format
    if debit != credit:
        return TotalsProblem(
            "unbalanced",
            f"debits ({fmt(debit)}) do not equal credits ({fmt(credit)}); "
            f"difference {fmt(debit - credit)}",
            f"debits {fmt(debit)} do not equal credits {fmt(credit)}",
        )
    if debit <= 0:
        return TotalsProblem("empty", "an entry moves more than zero", "moves nothing")
    too_large = amount_problem(debit, currency.exponent)
    if too_large:
        return TotalsProblem("too_large", f"the entry's total: {too_large}", too_large)
    return None


def account_problem(account: ChartAccount) -> str | None:
    """Why an entry cannot post to ``account`` (inactive, or a group account), or None."""
    if not account.active:
        return f"{account.code} {account.name} is inactive"
    if not account.postable:
        return f"{account.code} {account.name} is a group account; post to one under it"
    return None


def check_permission(actor: Actor, source: str, permission: str, doing: str) -> None:
    """Refuse an actor without ``permission``; manual, import, opening and reversal entries
    always need ``finance.post`` (another department's permission covers its documents only).
    """
    if permission != "finance.post" and source in ("manual", "import", "opening", "reversal"):
        raise PermissionDenied(f"a {source} entry needs finance.post, not {permission}")
    actor.require(permission, doing)


# -- periods ----------------------------------------------------------------------------------


def period_of(day: date) -> str:
    """The fiscal period (month) of a date: ``2026-03``."""
    return f"{day.year:04d}-{day.month:02d}"


def month_sql(db: Reads, column: str) -> str:
    """SQL for the ``YYYY-MM`` of a date column, in the dialect of ``db`` (a session or a
    Reader)."""
    from bo_console.core.reading import dialect_of

    if dialect_of(db) == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def closed_periods(session: Session) -> set[str]:
    """Every closed month."""
    from bo_console.finance.period_list import closed_periods as closed

    return closed(session)


def is_closed(db: Reads, period: str) -> bool:
    """Whether ``period`` takes no postings: closed, or before the books' first month
    (through a Reader or a session)."""
    from bo_console.finance.period_list import period_closed

    return period_closed(db, period)


def closed_problem(day: date, doing: str = "post") -> str:
    """What a posting dated ``day`` into a closed month is told."""
    return (
        f"period {period_of(day)} is closed; cannot {doing} an entry dated {day.isoformat()} "
        "(use a date in an open period, or ask an admin to reopen it)"
    )


def refuse_closed(session: Session, day: date, doing: str = "post") -> None:
    """Raise unless ``day`` is in an open month.

    Raises:
        RuleViolation: the month is closed, or before the books' first month.
    """
    from bo_console.finance.ledger.locks import before_books_problem, books_start

    start = books_start(session)
    if start is not None and period_of(day) < start:
        raise RuleViolation(before_books_problem(day, start, doing))
    if is_closed(session, period_of(day)):
        raise RuleViolation(closed_problem(day, doing))


# -- numbering ----------------------------------------------------------------------------------


@dataclass
class EntryNumbers:
    """Hands out posted entries' numbers: each year counts from 1, with no gaps.

    One instance serves one transaction: a single posting takes one number, the bulk import
    thousands. On PostgreSQL the first number taken holds a transaction lock, so two postings
    cannot take the same number (SQLite serialises writers with BEGIN IMMEDIATE already).
    """

    session: Session
    _last: dict[int, int] = field(default_factory=dict)
    _locked: bool = False
    _every_year: bool = False

    def next(self, year: int) -> int:
        """The next number of ``year`` (the first call per year reads the books)."""
        last = self._last.get(year)
        if last is None:
            last = self._read(year)
        self._last[year] = last + 1
        return last + 1

    def read_all(self) -> None:
        """Read every year's last number at once; from then on :meth:`next` never reads the
        database (the bulk import, whose writer thread then owns the connection)."""
        from sqlalchemy import text

        self._lock()
        rows = self.session.execute(
            text("SELECT year, MAX(number) FROM fin_entry WHERE year IS NOT NULL GROUP BY year")
        ).all()
        self._last.update({int(year): int(number) for year, number in rows})
        self._every_year = True

    @classmethod
    def of(cls, session: Session) -> EntryNumbers:
        """The numbering for a posting: a posting batch's own (:mod:`.batch`), which carries
        the last numbers from posting to posting, else a new one."""
        from bo_console.finance.ledger.batch import current

        batch = current(session)
        if batch is None:
            return cls(session)
        if batch.numbers is None:
            batch.numbers = cls(session)
        return batch.numbers

    def _lock(self) -> None:
        from bo_console.core.db import lock_numbering

        if not self._locked:
            lock_numbering(self.session, "fin_entry")
            self._locked = True

    def _read(self, year: int) -> int:
        from sqlalchemy import text

        if self._every_year:
            return 0
        self._lock()
        value = self.session.execute(
            text("SELECT COALESCE(MAX(number), 0) FROM fin_entry WHERE year = :y"), {"y": year}
        ).scalar_one()
        return int(value)
