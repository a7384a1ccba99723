"""The reconciliation report (statement balance to ledger balance) and whether a month's
bank accounts are reconciled (an item of the month-close checklist).

As of a date, for one bank account::

    statement balance            opening balance + statement lines up to the date
  - statement lines not in the ledger (open lines)
  + ledger lines not on the statement (unreconciled lines on the bank's ledger account since
    the first statement)
  = adjusted statement balance, which equals the ledger balance when the books agree

The opening balance is the first statement's (CAMT.053 gives it); a CSV statement without one
starts from the ledger balance on the day before its first line, less the ledger lines dated
before it that are reconciled with its lines. What is left is the
``difference``: zero when the statement and the ledger agree.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class OpenItem:
    """A statement line not in the ledger, or a ledger line not on the statement."""

    side: str
    date: date
    amount: Decimal
    text: str
    ref: str


@dataclass(frozen=True)
class Reconciliation:
    bank: str
    account: str
    as_of: date
    currency: str
    starts: date | None
    statement_balance: Decimal
    open_statement: Decimal
    open_ledger: Decimal
    adjusted_balance: Decimal
    ledger_balance: Decimal
    items: tuple[OpenItem, ...]

    @property
    def difference(self) -> Decimal:
        """Ledger balance less adjusted statement balance: zero when they agree."""
        return self.ledger_balance - self.adjusted_balance

    @property
    def balances(self) -> bool:
        return self.difference == 0


def _ledger_balance(reader: Reader, account_id: int, day: date) -> int:
    value = reader.scalar(
        "SELECT COALESCE(SUM(l.debit) - SUM(l.credit), 0) FROM fin_line l "
        "JOIN fin_entry e ON e.id = l.entry_id "
        "WHERE l.account_id = :a AND e.state <> 'draft' AND l.date <= :d",
        {"a": account_id, "d": day},
    )
    return int(value)


def _figures(reader: Reader, bank_id: int, account_id: int, as_of: date) -> tuple[
    date | None, int, list[tuple[str, date, int, str, str]], int
]:  # fmt: skip
    """(start, statement balance, open items, ledger balance) in minor units."""
    first = reader.first(
        "SELECT first_date, opening_balance FROM fin_bank_statement "
        "WHERE bank_account_id = :b ORDER BY first_date, id LIMIT 1",
        {"b": bank_id},
    )
    ledger = _ledger_balance(reader, account_id, as_of)
    if first is None:
        return None, 0, [], ledger
    start = _day(first[0])
    if first[1] is not None:
        opening = int(first[1])
    else:
        # What the ledger held the day before, less what it recorded early of the statement's
        # own lines (a receipt booked the day before the bank shows it).
        early = reader.scalar(
            "SELECT COALESCE(SUM(l.debit - l.credit), 0) FROM fin_bank_line b "
            "JOIN fin_line l ON l.entry_id = b.entry_id AND l.line_no = b.line_no "
            "WHERE b.bank_account_id = :b AND l.date < :s",
            {"b": bank_id, "s": start},
        )
        opening = _ledger_balance(reader, account_id, start - timedelta(days=1)) - int(early)
    moved = reader.scalar(
        "SELECT COALESCE(SUM(amount), 0) FROM fin_bank_line "
        "WHERE bank_account_id = :b AND date <= :d",
        {"b": bank_id, "d": as_of},
    )
    items: list[tuple[str, date, int, str, str]] = []
    for day, amount, text_, ref in reader.rows(
        "SELECT date, amount, text, reference FROM fin_bank_line WHERE bank_account_id = :b "
        "AND status = 'open' AND date <= :d ORDER BY date, id",
        {"b": bank_id, "d": as_of},
    ):
        items.append(("statement", _day(day), int(amount), str(text_), str(ref)))
    for day, amount, memo, year, number in reader.rows(
        "SELECT l.date, l.debit - l.credit, COALESCE(NULLIF(l.memo, ''), e.memo), e.year, "
        "e.number FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id "
        "WHERE l.account_id = :a AND e.state <> 'draft' AND l.date BETWEEN :s AND :d "
        "AND NOT EXISTS (SELECT 1 FROM fin_bank_line b "
        "                WHERE b.entry_id = l.entry_id AND b.line_no = l.line_no) "
        "ORDER BY l.date, l.entry_id, l.line_no",
        {"a": account_id, "s": start, "d": as_of},
    ):
        items.append(("ledger", _day(day), int(amount), str(memo), f"{year}-{int(number):06d}"))
    return start, opening + int(moved), items, ledger


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _bank(reader: Reader, code: str) -> tuple[int, str, int, str]:
    """(id, code, ledger account id, ledger account code) of a bank account by its code
    (case folded).

    Raises:
        NotFound: no such bank account.
    """
    from bo_console.core.errors import NotFound

    found = reader.first(
        "SELECT b.id, b.code, b.account_id, a.code FROM fin_bank_account b"
        " LEFT JOIN fin_account a ON a.id = b.account_id WHERE b.code = :code",
        {"code": code.strip().upper()},
    )
    if found is None:
        raise NotFound(f"no bank account {code!r} (bo finance bank accounts list)")
    return int(found[0]), str(found[1]), int(found[2]), str(found[3] or "")


def reconciliation(db: Reads, actor: Actor, bank_code: str, as_of: date) -> Reconciliation:
    """The reconciliation of a bank account as of a date (see the module docstring), read
    through a Reader or a session."""
    from bo_console.core.lookups import base_currency_of
    from bo_console.core.reading import reader_of

    actor.require("finance.read", "read bank reconciliations")
    reader = reader_of(db)
    bank_id, code, account_id, account = _bank(reader, bank_code)
    currency = base_currency_of(reader)
    money = currency.from_minor
    start, statement, items, ledger = _figures(reader, bank_id, account_id, as_of)
    open_statement = sum(a for side, _, a, _, _ in items if side == "statement")
    open_ledger = sum(a for side, _, a, _, _ in items if side == "ledger")
    return Reconciliation(
        bank=code,
        account=account,
        as_of=as_of,
        currency=currency.code,
        starts=start,
        statement_balance=money(statement),
        open_statement=money(open_statement),
        open_ledger=money(open_ledger),
        adjusted_balance=money(statement - open_statement + open_ledger),
        ledger_balance=money(ledger),
        items=tuple(OpenItem(s, d, money(a), t, r) for s, d, a, t, r in items),
    )


@dataclass(frozen=True)
class MonthStatus:
    """One bank account's state for a month: reconciled, or why not."""

    bank: str
    reconciled: bool
    reason: str


def bank_accounts_reconciled(db: Reads, actor: Actor, period: str) -> list[MonthStatus]:
    """For each bank account, whether month ``period`` (``YYYY-MM``) is reconciled: a
    statement reaches the month's last day, no statement line up to it is open, and the
    reconciliation at that day balances (for the month-close checklist), read through a
    Reader or a session."""
    from bo_console.core.reading import reader_of
    from bo_console.finance.fiscal import parse_period

    actor.require("finance.read", "read bank reconciliations")
    period = parse_period(period)
    reader = reader_of(db)
    year, month = int(period[:4]), int(period[5:7])
    last = date(year, month, calendar.monthrange(year, month)[1])
    found = []
    for code, reach in reader.rows(
        "SELECT b.code, (SELECT MAX(s.last_date) FROM fin_bank_statement s"
        " WHERE s.bank_account_id = b.id) FROM fin_bank_account b ORDER BY b.code"
    ):
        if reach is None or _day(reach) < last:
            found.append(MonthStatus(code, False, f"no statement up to {last}"))
            continue
        report = reconciliation(reader, actor, code, last)
        open_lines = sum(1 for i in report.items if i.side == "statement")
        if open_lines:
            found.append(MonthStatus(code, False, f"{open_lines} statement lines open"))
        elif not report.balances:
            found.append(MonthStatus(code, False, f"difference {report.difference}"))
        else:
            found.append(MonthStatus(code, True, "reconciled"))
    return found
