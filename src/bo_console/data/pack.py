"""The month-end management pack: one workbook of a closed month's figures.

Only a closed month is packed, so its figures no longer move: the statements come from
finance's own reports, the rest from the published views filtered to the month (headcount
from hire and termination dates, payroll from that month's approved pay run, stock from the
moves up to the month's end, data quality from the findings opened and resolved in it). Built
twice it gives the same workbook, byte for byte (:func:`analysis.write_workbook`). A section
of a department the actor may not read is left out, and the contents sheet says so.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import RuleViolation
from bo_console.core.security import DEPARTMENT_READ, Actor
from bo_console.data.dashboard import MIN_PAYSLIPS
from bo_console.data.models import ResultSet

if TYPE_CHECKING:
    from sqlmodel import Session

Sheets = list[tuple[str, ResultSet]]


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
    columns = ["section", "code", "account", "amount"]
    return [
        ("income statement", ResultSet(columns=columns, rows=income)),
        ("balance sheet", ResultSet(columns=columns, rows=position)),
        ("control accounts", ResultSet(columns=["role", "code", "balance"], rows=controls)),
    ]


def _hr(session: Session, actor: Actor, period: str, last: date) -> Sheets:
    heads = _rows(
        session,
        "SELECT coalesce(org_unit, ''), count(*) FROM v_hr_employee WHERE hire_date <= :d "
        "AND (termination_date IS NULL OR termination_date > :d) GROUP BY 1 ORDER BY 1",
        d=last.isoformat(),
    )
    reveal = actor.can("hr.confidential")
    pay = []
    for unit, n, gross, employer in _rows(
        session,
        "SELECT org_unit, count(*), SUM(gross), SUM(employer_si + benefit_employer) "
        "FROM v_hr_payslip WHERE period = :p AND run_status IN ('approved', 'posted', 'paid') "
        "GROUP BY org_unit ORDER BY org_unit",
        p=period,
    ):
        shown = reveal or int(n) >= MIN_PAYSLIPS
        pay.append((unit, n, gross if shown else "masked", employer if shown else "masked"))
    return [
        ("headcount", ResultSet(columns=["org_unit", "headcount"], rows=heads)),
        (
            "payroll",
            ResultSet(columns=["org_unit", "payslips", "gross", "employer_cost"], rows=pay),
        ),
    ]


def _it(session: Session, period: str) -> Sheets:
    tickets = _rows(
        session,
        "SELECT category, count(*), SUM(resolved_at IS NOT NULL), SUM(breached) "
        "FROM v_it_ticket WHERE month = :p GROUP BY category ORDER BY category",
        p=period,
    )
    columns = ["category", "opened", "resolved", "breached"]
    return [("tickets", ResultSet(columns=columns, rows=tickets))]


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
        ("stock moves", ResultSet(columns=["kind", "moves", "quantity", "value"], rows=moves)),
        ("stock at month end", ResultSet(columns=["quantity", "value"], rows=value)),
    ]


def _quality(session: Session, period: str) -> Sheets:
    found = _rows(
        session,
        "SELECT rule, dept, SUM(substr(found_at, 1, 7) = :p), "
        "SUM(substr(resolved_at, 1, 7) = :p) FROM dq_finding "
        "WHERE substr(found_at, 1, 7) = :p OR substr(resolved_at, 1, 7) = :p "
        "GROUP BY rule, dept ORDER BY rule",
        p=period,
    )
    columns = ["rule", "department", "found", "resolved"]
    return [("data quality", ResultSet(columns=columns, rows=found))]


def build(session: Session, actor: Actor, period: str) -> Sheets:
    """The pack of closed month ``period`` (``YYYY-MM``), sheet by sheet.

    Raises:
        ValidationFailed: not a month.
        RuleViolation: the month is not closed in the books.
    """
    from bo_console.core.money import base_currency
    from bo_console.finance import service as finance

    actor.require("data.read", "build the management pack")
    period = finance.parse_period(period)
    if not finance.is_closed(session, period):
        raise RuleViolation(
            f"{period} is not closed; the pack is built from closed months only "
            "(bo finance period close)"
        )
    year, month = map(int, period.split("-"))
    first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    sheets: Sheets = []
    left_out = [
        d for d in ("finance", "hr", "it", "logistics") if not actor.can(DEPARTMENT_READ[d])
    ]
    if "finance" not in left_out:
        sheets.extend(_finance(session, actor, first, last))
    if "hr" not in left_out:
        sheets.extend(_hr(session, actor, period, last))
    if "it" not in left_out:
        sheets.extend(_it(session, period))
    if "logistics" not in left_out:
        sheets.extend(_logistics(session, period, last))
    sheets.extend(_quality(session, period))
    contents = [
        ("period", period),
        ("currency", base_currency(session).code),
        ("amounts", "in the currency; payroll and stock in minor units"),
        ("left out", ", ".join(left_out) or "nothing"),
        *((f"sheet {i + 1}", name) for i, (name, _) in enumerate(sheets)),
    ]
    return [("contents", ResultSet(columns=["item", "value"], rows=contents)), *sheets]
