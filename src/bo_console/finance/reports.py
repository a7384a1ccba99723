"""Financial reports: trial balance, general ledger, income statement, balance sheet.

Each returns plain dataclasses with exact ``Decimal`` amounts in the base currency; the CLI
and the screen only render them. Sums come from the per-account monthly balances
(``fin_balance``) for whole months, and from the lines' ``(account_id, date)`` index only for
the part of a month a date range cuts, so a statement reads a few thousand rows however big
the journal is. Posted and reversed entries count (a reversal is a second entry); drafts never.

Each reads through ``db``, a Reader or a session (:mod:`bo_console.core.reading`): a command's
Reader costs no SQLAlchemy on SQLite, and a screen passes the session it holds.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from bo_console.core.money import Currency
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart

Sums = dict[int, list[int]]
"""account id -> [debit, credit] in minor units."""


# -- sums over date ranges ----------------------------------------------------------------------


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _period(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _add(into: Sums, rows: Iterable[Any], sign: int = 1) -> None:
    for account_id, debit, credit in rows:
        slot = into.setdefault(int(account_id), [0, 0])
        slot[0] += sign * int(debit or 0)
        slot[1] += sign * int(credit or 0)


def _months(reader: Reader, into: Sums, first: str | None, last: str) -> None:
    """Whole months ``first``..``last`` (``first`` None: from the beginning)."""
    sql = (
        "SELECT account_id, SUM(debit), SUM(credit) FROM fin_balance WHERE period <= :last"
        + (" AND period >= :first" if first else "")
        + " GROUP BY account_id"
    )
    _add(into, reader.rows(sql, {"first": first, "last": last}))


def _lines(reader: Reader, into: Sums, start: date, end: date, sign: int = 1) -> None:
    """Add (or with ``sign`` -1 take away) the lines dated ``start``..``end``, drafts left out."""
    from bo_console.core.reading import dialect_of

    # One index range per account on (account_id, date, debit, credit): CROSS JOIN keeps
    # SQLite from scanning the whole line index for the date range. Joining every line to its
    # entry to leave drafts out would cost five times as much, so the (few) draft lines are
    # taken back out instead. Lines whose entry is missing exist only if someone wrote them
    # with foreign keys off; `bo db check` reports them.
    join = "CROSS JOIN" if dialect_of(reader) == "sqlite" else "JOIN"
    _add(
        into,
        reader.rows(
            f"SELECT a.id, SUM(l.debit), SUM(l.credit) FROM fin_account a "
            f"{join} fin_line l ON l.account_id = a.id "
            "WHERE l.date >= :a AND l.date <= :b GROUP BY a.id",
            {"a": start, "b": end},
        ),
        sign,
    )
    _add(
        into,
        reader.rows(
            "SELECT l.account_id, SUM(l.debit), SUM(l.credit) FROM fin_entry e "
            "JOIN fin_line l ON l.entry_id = e.id "
            "WHERE e.state = 'draft' AND e.date >= :a AND e.date <= :b GROUP BY l.account_id",
            {"a": start, "b": end},
        ),
        -sign,
    )


def _days(reader: Reader, into: Sums, start: date, end: date) -> None:
    """Part of one month: from its lines, or, when it is most of the month, the month's
    balances less the lines of the days left out (fewer lines to read)."""
    first, last = start.replace(day=1), _month_end(start)
    inside = (end - start).days + 1
    if inside * 2 <= (last - first).days + 1:
        _lines(reader, into, start, end)
        return
    _months(reader, into, _period(start), _period(start))
    if start > first:
        _lines(reader, into, first, start - timedelta(days=1), sign=-1)
    if end < last:
        _lines(reader, into, end + timedelta(days=1), last, sign=-1)


def sums_between(db: Reads, start: date | None, end: date) -> Sums:
    """Debits and credits per account of entries dated ``start``..``end`` (inclusive;
    ``start`` None: from the beginning of the books)."""
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    out: Sums = {}
    if start is not None and start > end:
        return out
    if start is not None and start.day != 1:
        head_end = min(end, _month_end(start))
        _days(reader, out, start, head_end)
        if head_end == end:
            return out
        start = head_end + timedelta(days=1)
    # ``start`` is now None or the first of a month.
    if end == _month_end(end):
        _months(reader, out, _period(start) if start else None, _period(end))
        return out
    month_start = end.replace(day=1)
    if start is None or start < month_start:
        before = month_start - timedelta(days=1)
        _months(reader, out, _period(start) if start else None, _period(before))
    _days(reader, out, month_start, end)
    return out


def sums_until(db: Reads, as_of: date) -> Sums:
    """Debits and credits per account of everything dated up to ``as_of``."""
    return sums_between(db, None, as_of)


# -- trial balance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialBalanceRow:
    """One account: its balance in the debit or the credit column; ``balance`` = debit - credit."""

    code: str
    account: str
    type: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class TrialBalance:
    as_of: date
    currency: str
    rows: tuple[TrialBalanceRow, ...]
    total_debit: Decimal
    total_credit: Decimal

    @property
    def balanced(self) -> bool:
        return self.total_debit == self.total_credit


def _context(db: Reads) -> tuple[Chart, Currency]:
    from bo_console.core.money import base_currency
    from bo_console.finance.accounts import load_chart

    return load_chart(db), base_currency(db)


def trial_balance(
    db: Reads, actor: Actor, as_of: date, *, include_zero: bool = False
) -> TrialBalance:
    """Every account's balance at the end of ``as_of``, ordered by code.

    Args:
        include_zero: also list active postable accounts whose balance is zero.
    """
    actor.require("finance.read", "read financial reports")
    chart, currency = _context(db)
    sums = sums_until(db, as_of)
    rows = []
    total_debit = total_credit = 0
    for account in sorted(chart.accounts.values(), key=lambda a: a.code):
        assert account.id is not None
        debit, credit = sums.get(account.id, (0, 0))
        net = debit - credit
        if net == 0 and not (include_zero and account.postable and account.active):
            continue
        dr, cr = (net, 0) if net > 0 else (0, -net)
        total_debit += dr
        total_credit += cr
        rows.append(
            TrialBalanceRow(
                code=account.code,
                account=chart.full_name(account.id),
                type=account.type,
                debit=currency.from_minor(dr),
                credit=currency.from_minor(cr),
                balance=currency.from_minor(net),
            )
        )
    return TrialBalance(
        as_of=as_of,
        currency=currency.code,
        rows=tuple(rows),
        total_debit=currency.from_minor(total_debit),
        total_credit=currency.from_minor(total_credit),
    )


# -- general ledger -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """One posting on the account, with the running balance after it (debit - credit)."""

    date: date
    ref: str
    memo: str
    source: str
    account: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class GeneralLedger:
    code: str
    account: str
    date_from: date
    date_to: date
    currency: str
    opening: Decimal
    rows: tuple[LedgerRow, ...]
    total_debit: Decimal
    total_credit: Decimal
    closing: Decimal


def general_ledger(
    db: Reads, actor: Actor, account: str, date_from: date, date_to: date
) -> GeneralLedger:
    """The postings of one account (and of the accounts under it) between two dates, with the
    opening balance, a running balance and the closing balance."""
    from bo_console.core.reading import reader_of
    from bo_console.finance.fiscal import entry_ref

    actor.require("finance.read", "read financial reports")
    if date_from > date_to:
        raise ValidationFailed("--from is after --to")
    reader = reader_of(db)
    chart, currency = _context(reader)
    target = chart.get(account)
    ids = chart.descendants(target.id)
    opening_sums = sums_until(reader, date_from - timedelta(days=1))
    running = sum(opening_sums.get(i, (0, 0))[0] - opening_sums.get(i, (0, 0))[1] for i in ids)
    opening = running
    sql = (
        "SELECT l.date, e.year, e.number, e.id, e.memo, l.memo, e.source, l.account_id, "
        "l.debit, l.credit FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id "
        "WHERE l.account_id IN :ids AND l.date >= :a AND l.date <= :b AND e.state <> 'draft' "
        "ORDER BY l.date, e.year, e.number, l.line_no"
    )
    rows = []
    total_debit = total_credit = 0
    for (
        day,
        year,
        number,
        entry_id,
        memo,
        line_memo,
        source,
        account_id,
        debit,
        credit,
    ) in reader.rows(sql, {"ids": ids, "a": date_from, "b": date_to}):
        running += int(debit) - int(credit)
        total_debit += int(debit)
        total_credit += int(credit)
        rows.append(
            LedgerRow(
                date=day if isinstance(day, date) else date.fromisoformat(str(day)),
                ref=entry_ref(year, number, entry_id),
                memo=f"{memo} - {line_memo}" if line_memo and line_memo != memo else memo,
                source=str(source),
                account=chart.accounts[int(account_id)].code,
                debit=currency.from_minor(int(debit)),
                credit=currency.from_minor(int(credit)),
                balance=currency.from_minor(running),
            )
        )
    return GeneralLedger(
        code=target.code,
        account=chart.full_name(target.id),
        date_from=date_from,
        date_to=date_to,
        currency=currency.code,
        opening=currency.from_minor(opening),
        rows=tuple(rows),
        total_debit=currency.from_minor(total_debit),
        total_credit=currency.from_minor(total_credit),
        closing=currency.from_minor(running),
    )


# -- income statement ---------------------------------------------------------------------------


def previous_range(start: date, end: date) -> tuple[date, date]:
    """The period of equal length just before ``start``..``end``: whole months when the range
    is whole months (November -> October), else the same number of days."""
    if start.day == 1 and end == _month_end(end):
        months = (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1
        prev_end = start - timedelta(days=1)
        index = prev_end.year * 12 + (prev_end.month - 1) - (months - 1)
        return date(index // 12, index % 12 + 1, 1), prev_end
    length = (end - start).days
    prev_end = start - timedelta(days=1)
    return prev_end - timedelta(days=length), prev_end


@dataclass(frozen=True)
class StatementRow:
    """One account on a statement, signed as the statement reads (income and liabilities
    positive when they are credits)."""

    section: str
    group: str
    code: str
    account: str
    amount: Decimal
    previous: Decimal | None = None


@dataclass(frozen=True)
class IncomeStatement:
    date_from: date
    date_to: date
    previous_from: date | None
    previous_to: date | None
    currency: str
    rows: tuple[StatementRow, ...]
    total_income: Decimal
    total_expense: Decimal
    net_income: Decimal
    previous_income: Decimal | None = None
    previous_expense: Decimal | None = None
    previous_net: Decimal | None = None
    revenue: Decimal = Decimal(0)
    """Income from trading: the income accounts outside its sub-groups (other income)."""
    cost_of_sales: Decimal = Decimal(0)
    """The expense accounts in the group of the cost-of-sales account (5100)."""
    previous_gross: Decimal | None = None
    cost_centre: str | None = None
    """Only the lines of this cost centre, when given."""

    @property
    def gross_profit(self) -> Decimal:
        return self.revenue - self.cost_of_sales


def _trading(db: Reads, chart: Chart, sums: Sums) -> tuple[int, int]:
    """(revenue, cost of sales) in minor units: income accounts whose parent is a top-level
    group (so not 4900 Other income's), and expense accounts under the cost-of-sales role
    account's group."""
    from bo_console.finance.chart import role_code

    cost_group = None
    found = chart.find(role_code(db, "cost_of_sales"))
    if found is not None:
        cost_group = found.parent_id

    def under(account_id: int, group: int | None) -> bool:
        current = chart.accounts[account_id].parent_id
        while current is not None:
            if current == group:
                return True
            current = chart.accounts[current].parent_id
        return False

    revenue = cost = 0
    for account_id, (debit, credit) in sums.items():
        account = chart.accounts[account_id]
        parent = chart.accounts[account.parent_id] if account.parent_id in chart.accounts else None
        if account.type == "income" and (parent is None or parent.parent_id is None):
            revenue += credit - debit
        elif account.type == "expense" and cost_group is not None and under(account_id, cost_group):
            cost += debit - credit
    return revenue, cost


def _group_name(chart: Chart, account_id: int) -> str:
    """The name of the account's second-level ancestor (``Operating expenses``), or ''."""
    chain = []
    current: int | None = account_id
    while current is not None:
        chain.append(current)
        current = chart.accounts[current].parent_id
    if len(chain) >= 3:
        return chart.accounts[chain[-2]].name
    return ""


def _net_income(chart: Chart, sums: Sums) -> tuple[int, int]:
    income = expense = 0
    for account_id, (debit, credit) in sums.items():
        kind = chart.accounts[account_id].type
        if kind == "income":
            income += credit - debit
        elif kind == "expense":
            expense += debit - credit
    return income, expense


def _operating_sums(db: Reads, start: date, end: date) -> Sums:
    """Sums between two dates without the year-end closing entries (and their reversals)."""
    from bo_console.finance.fiscal import closing_sums

    sums = sums_between(db, start, end)
    _add(sums, ((k, d, c) for k, (d, c) in closing_sums(db, start, end).items()), -1)
    return sums


def income_statement(
    db: Reads,
    actor: Actor,
    date_from: date,
    date_to: date,
    *,
    compare: bool = False,
    cost_centre: str | None = None,
) -> IncomeStatement:
    """Income and expenses between two dates, optionally beside the previous period of the
    same length, and of one cost centre's lines only (``cost_centre``)."""
    from bo_console.core.reading import reader_of
    from bo_console.finance.cost_centres import centre_sums

    actor.require("finance.read", "read financial reports")
    if date_from > date_to:
        raise ValidationFailed("--from is after --to")
    reader = reader_of(db)
    chart, currency = _context(reader)

    def sums(start: date, end: date) -> Sums:
        if cost_centre:
            return centre_sums(reader, cost_centre, start, end)
        return _operating_sums(reader, start, end)

    current = sums(date_from, date_to)
    prev_range = previous_range(date_from, date_to) if compare else None
    previous = sums(*prev_range) if prev_range else {}
    rows = []
    for account in sorted(chart.accounts.values(), key=lambda a: a.code):
        if account.type not in ("income", "expense"):
            continue
        assert account.id is not None
        sign = 1 if account.type == "expense" else -1
        now = current.get(account.id, [0, 0])
        before = previous.get(account.id, [0, 0])
        amount = sign * (now[0] - now[1])
        prev_amount = sign * (before[0] - before[1])
        if amount == 0 and prev_amount == 0:
            continue
        rows.append(
            StatementRow(
                section=account.type,
                group=_group_name(chart, account.id),
                code=account.code,
                account=chart.full_name(account.id),
                amount=currency.from_minor(amount),
                previous=currency.from_minor(prev_amount) if prev_range else None,
            )
        )
    income, expense = _net_income(chart, current)
    p_income, p_expense = _net_income(chart, previous)
    revenue, cost = _trading(reader, chart, current)
    p_revenue, p_cost = _trading(reader, chart, previous)
    return IncomeStatement(
        date_from=date_from,
        date_to=date_to,
        previous_from=prev_range[0] if prev_range else None,
        previous_to=prev_range[1] if prev_range else None,
        currency=currency.code,
        rows=tuple(rows),
        total_income=currency.from_minor(income),
        total_expense=currency.from_minor(expense),
        net_income=currency.from_minor(income - expense),
        previous_income=currency.from_minor(p_income) if prev_range else None,
        previous_expense=currency.from_minor(p_expense) if prev_range else None,
        previous_net=currency.from_minor(p_income - p_expense) if prev_range else None,
        revenue=currency.from_minor(revenue),
        cost_of_sales=currency.from_minor(cost),
        previous_gross=currency.from_minor(p_revenue - p_cost) if prev_range else None,
        cost_centre=cost_centre.strip() if cost_centre else None,
    )


# -- balance sheet ------------------------------------------------------------------------------

CURRENT_YEAR_EARNINGS = "Current-year earnings"
PRIOR_YEARS_EARNINGS = "Prior years' earnings not yet closed"


@dataclass(frozen=True)
class BalanceSheet:
    as_of: date
    currency: str
    rows: tuple[StatementRow, ...]
    total_assets: Decimal
    total_liabilities: Decimal
    total_equity: Decimal
    current_year_earnings: Decimal

    @property
    def balanced(self) -> bool:
        """Assets equal liabilities plus equity (always, unless the store is damaged)."""
        return self.total_assets == self.total_liabilities + self.total_equity


def balance_sheet(db: Reads, actor: Actor, as_of: date) -> BalanceSheet:
    """Assets, liabilities and equity at the end of ``as_of``.

    Equity shows this fiscal year's profit so far as current-year earnings, and the profit of
    earlier years not yet closed into retained earnings (no year-end close) on a line of its
    own.
    """
    from bo_console.core.reading import reader_of
    from bo_console.finance.fiscal import year_bounds

    actor.require("finance.read", "read financial reports")
    reader = reader_of(db)
    chart, currency = _context(reader)
    sums = sums_until(reader, as_of)
    year_start = year_bounds(reader, as_of)[0]
    prior = sums_until(reader, year_start - timedelta(days=1))
    rows = []
    totals = {"asset": 0, "liability": 0, "equity": 0}
    for account in sorted(chart.accounts.values(), key=lambda a: a.code):
        if account.type not in totals:
            continue
        assert account.id is not None
        debit, credit = sums.get(account.id, (0, 0))
        amount = debit - credit if account.type == "asset" else credit - debit
        if amount == 0:
            continue
        totals[account.type] += amount
        rows.append(
            StatementRow(
                section=account.type,
                group=_group_name(chart, account.id),
                code=account.code,
                account=chart.full_name(account.id),
                amount=currency.from_minor(amount),
            )
        )
    income, expense = _net_income(chart, sums)
    prior_income, prior_expense = _net_income(chart, prior)
    prior_earnings = prior_income - prior_expense
    year_earnings = (income - expense) - prior_earnings
    if prior_earnings:
        rows.append(
            StatementRow(
                "equity", "", "", PRIOR_YEARS_EARNINGS, currency.from_minor(prior_earnings)
            )
        )
    rows.append(
        StatementRow("equity", "", "", CURRENT_YEAR_EARNINGS, currency.from_minor(year_earnings))
    )
    totals["equity"] += prior_earnings + year_earnings
    return BalanceSheet(
        as_of=as_of,
        currency=currency.code,
        rows=tuple(rows),
        total_assets=currency.from_minor(totals["asset"]),
        total_liabilities=currency.from_minor(totals["liability"]),
        total_equity=currency.from_minor(totals["equity"]),
        current_year_earnings=currency.from_minor(year_earnings),
    )
