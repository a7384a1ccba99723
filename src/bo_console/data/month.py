"""A closed month's figures as the management pack shows them: what a month-end snapshot
stores (:mod:`bo_console.data.snapshots`).

The statements come from finance's own reports, aged balances from finance's aged report at
the month's end, the rest from the published views filtered to the month: headcount from
hire and termination dates, payroll from that month's approved pay run, stock from the moves
up to the month's end, data quality from the findings opened and resolved in it. Every
figure is computed whole (confidential payroll totals too); a reader's view is cut when the
pack is built.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.data.models import ResultSet

MIN_PAYSLIPS = 3
"""A unit's payroll total of fewer payslips is one person's pay: masked without
``hr.confidential`` (on the dashboard and in the pack)."""
BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
"""Age buckets of receivables and payables, by days past due."""

Sheets: TypeAlias = "list[tuple[str, ResultSet]]"
PAYROLL_SHEET = "payroll"
"""The sheet whose small units are masked: (org unit, payslips, gross, employer cost)."""


def _sheet(columns: list[str], rows: list[Any]) -> ResultSet:
    """A sheet's rows (pydantic is imported here, not by the dashboard's constants above)."""
    from bo_console.data.models import ResultSet

    return ResultSet(columns=columns, rows=rows)


def masked_payroll(result: ResultSet) -> ResultSet:
    """The payroll sheet with the amounts of units under :data:`MIN_PAYSLIPS` masked."""
    rows = [
        row if int(row[1]) >= MIN_PAYSLIPS else (row[0], row[1], "masked", "masked")
        for row in result.rows
    ]
    return _sheet(result.columns, rows)


def _rows(session: Session, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    return [tuple(r) for r in session.execute(text(sql), params).all()]


def _finance(session: Session, actor: Actor, first: date, last: date) -> Sheets:
    from bo_console.finance import service as finance

    statement = finance.income_statement(session, actor, first, last)
    income = [(r.section, r.code, r.account, r.amount) for r in statement.rows]
    income += [
        ("total", "", "Total income", statement.total_income),
        ("total", "", "Total expenses", statement.total_expense),
        ("total", "", "Net income", statement.net_income),
    ]
    sheet = finance.balance_sheet(session, actor, last)
    position = [(r.section, r.code, r.account, r.amount) for r in sheet.rows]
    position += [
        ("total", "", "Total assets", sheet.total_assets),
        ("total", "", "Total liabilities", sheet.total_liabilities),
        ("total", "", "Total equity", sheet.total_equity),
    ]
    controls = []
    for role in ("bank", "receivables", "payables"):
        code = finance.account_for_role(session, role)
        balance = finance.account_balance(session, actor, code, as_of=last, rollup=True)
        controls.append((role, code, balance))
    aged = []
    for side in ("receivables", "payables"):
        totals = finance.aged(session, actor, side, last).totals()
        aged.append((side, *totals.amounts.values(), totals.total))
    columns = ["section", "code", "account", "amount"]
    return [
        ("income statement", _sheet(columns, income)),
        ("balance sheet", _sheet(columns, position)),
        ("control accounts", _sheet(["role", "code", "balance"], controls)),
        (
            "aged balances",
            _sheet(["side", *BUCKETS, "total"], aged),
        ),
    ]


def _hr(session: Session, period: str, last: date) -> Sheets:
    heads = _rows(
        session,
        "SELECT coalesce(org_unit, ''), count(*) FROM v_hr_employee WHERE hire_date <= :d "
        "AND (termination_date IS NULL OR termination_date > :d) GROUP BY 1 ORDER BY 1",
        d=last.isoformat(),
    )
    pay = []
    for unit, n, gross, employer in _rows(
        session,
        "SELECT org_unit, count(*), SUM(gross), SUM(employer_si + benefit_employer) "
        "FROM v_hr_payslip WHERE period = :p AND run_status IN ('approved', 'posted', 'paid') "
        "GROUP BY org_unit ORDER BY org_unit",
        p=period,
    ):
        pay.append((unit, n, gross, employer))
    return [
        ("headcount", _sheet(["org_unit", "headcount"], heads)),
        (
            PAYROLL_SHEET,
            _sheet(["org_unit", "payslips", "gross", "employer_cost"], pay),
        ),
    ]


def _it(session: Session, period: str) -> Sheets:
    tickets = _rows(
        session,
        "SELECT category, count(*), count(resolved_at), SUM(breached) "
        "FROM v_it_ticket WHERE month = :p GROUP BY category ORDER BY category",
        p=period,
    )
    columns = ["category", "opened", "resolved", "breached"]
    return [("tickets", _sheet(columns, tickets))]


def _logistics(session: Session, period: str, last: date) -> Sheets:
    moves = _rows(
        session,
        "SELECT kind, count(*), SUM(quantity), SUM(value) FROM v_lg_stock_move "
        "WHERE month = :p GROUP BY kind ORDER BY kind",
        p=period,
    )
    value = _rows(
        session,
        "SELECT coalesce(SUM(quantity), 0), coalesce(SUM(value), 0) FROM v_lg_stock_move "
        "WHERE date <= :d",
        d=last.isoformat(),
    )
    return [
        ("stock moves", _sheet(["kind", "moves", "quantity", "value"], moves)),
        ("stock at month end", _sheet(["quantity", "value"], value)),
    ]


def _quality(session: Session, period: str) -> Sheets:
    # Time ranges rather than string functions: the same SQL on SQLite and PostgreSQL.
    first, last = month_bounds(period)
    found_in = "found_at >= :a AND found_at < :b"
    resolved_in = "resolved_at >= :a AND resolved_at < :b"
    found = _rows(
        session,
        f"SELECT rule, dept, SUM(CASE WHEN {found_in} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {resolved_in} THEN 1 ELSE 0 END) FROM dq_finding "
        f"WHERE ({found_in}) OR ({resolved_in}) GROUP BY rule, dept ORDER BY rule",
        a=first.isoformat(),
        b=(last + timedelta(days=1)).isoformat(),
    )
    columns = ["rule", "department", "found", "resolved"]
    return [("data quality", _sheet(columns, found))]


def month_sheets(session: Session, reader: Actor, period: str) -> list[tuple[str, str, ResultSet]]:
    """Every sheet of closed month ``period`` as (department, name, rows), unmasked: what a
    snapshot stores. ``reader`` must read every department and confidential HR figures."""
    first, last = month_bounds(period)
    out: list[tuple[str, str, ResultSet]] = []
    parts: list[tuple[str, Sheets]] = [
        ("finance", _finance(session, reader, first, last)),
        ("hr", _hr(session, period, last)),
        ("it", _it(session, period)),
        ("logistics", _logistics(session, period, last)),
        ("data", _quality(session, period)),
    ]
    for dept, sheets in parts:
        out.extend((dept, name, result) for name, result in sheets)
    return out


def month_bounds(period: str) -> tuple[date, date]:
    year, month = map(int, period.split("-"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
