"""The management dashboard: one set of figures across the departments.

Built to open fast on a large ledger: a closed month's revenue, expenses and month-end cash
come from its month-end snapshot (:mod:`bo_console.data.snapshots`), an open month's from the
ledger's month balances (``v_fin_account_month``), today's balances from finance's own
``balances`` (month totals plus the current month's lines), the rest from small views.
Each figure is what the owning department reports: the tests compare them. A section the
actor may not read is left out.
Payroll cost is given per org unit as a total only; a unit of fewer than
:data:`MIN_PAYSLIPS` payslips is masked for a reader without ``hr.confidential`` (its total
would be one person's pay).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from bo_console.core.security import DEPARTMENT_READ, DEPARTMENTS, Actor
from bo_console.data.month import BUCKETS, MIN_PAYSLIPS

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads

MONTHS = 12
"""Months of revenue and expenses shown, the current one last."""


@dataclass(frozen=True)
class MonthFigures:
    month: str
    revenue: int
    expenses: int
    closed: bool
    cash: int | None = None
    """Cash and banks at the month's end, from its snapshot (None: an open month)."""
    snapshot: int | None = None
    """The snapshot version the figures come from (None: the live ledger)."""


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    headcount: int
    payroll_cost: int | None
    """Gross pay plus employer contributions of the last pay run (None: masked)."""


@dataclass
class Dashboard:
    """Every figure in minor units of ``currency`` (``exponent`` decimals)."""

    as_of: date
    currency: str
    exponent: int
    months: list[MonthFigures] = field(default_factory=list)
    cash: int | None = None
    receivables: dict[str, int] | None = None
    payables: dict[str, int] | None = None
    payroll_period: str | None = None
    units: list[UnitFigures] | None = None
    open_tickets: int | None = None
    sla_breaches: int | None = None
    stock_value: int | None = None
    below_reorder: int | None = None
    quality_findings: dict[str, int] = field(default_factory=dict)
    overdue_inbox: dict[str, int] = field(default_factory=dict)

    @property
    def headcount(self) -> int | None:
        return None if self.units is None else sum(u.headcount for u in self.units)


def _rows(reader: Reader, sql: str, **params: Any) -> list[Any]:
    return reader.rows(sql, params)


def _month_list(as_of: date, count: int) -> list[str]:
    year, month = as_of.year, as_of.month
    out: list[str] = []
    for _ in range(count):
        out.append(f"{year}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


def bucket_of(days_overdue: int) -> str:
    """The age bucket of an amount ``days_overdue`` days past its due date."""
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "1-30"
    if days_overdue <= 60:
        return "31-60"
    return "61-90" if days_overdue <= 90 else "90+"


def _finance(reader: Reader, actor: Actor, board: Dashboard) -> None:
    # Finance's read-only door: its service facade would load the ORM.
    from bo_console.data.snapshot_list import latest_totals
    from bo_console.finance import reading as finance

    months = _month_list(board.as_of, MONTHS)
    closed = finance.closed_periods(reader)
    frozen = latest_totals(reader, [m for m in months if m in closed])
    live = [m for m in months if m not in frozen]
    sums: dict[str, list[int]] = {m: [0, 0] for m in live}
    if live:
        for period, kind, debit, credit in reader.rows(
            "SELECT period, account_type, SUM(debit), SUM(credit) FROM v_fin_account_month "
            "WHERE period IN :months AND account_type IN ('income', 'expense') "
            "GROUP BY period, account_type",
            {"months": live},
        ):
            if kind == "income":
                sums[period][0] += int(credit) - int(debit)
            else:
                sums[period][1] += int(debit) - int(credit)
    board.months = []
    for m in months:
        snap = frozen.get(m)
        if snap is None:
            board.months.append(MonthFigures(m, sums[m][0], sums[m][1], m in closed))
        else:
            version, t = snap
            board.months.append(MonthFigures(m, t.revenue, t.expenses, True, t.cash, version))
    chart = finance.load_chart(reader)
    found = finance.balances(reader, actor, board.as_of)
    bank = chart.get(finance.account_for_role(reader, "bank"))
    cash_group = bank.parent_id if bank.parent_id is not None else bank.id
    board.cash = found.total.get(cash_group or 0, 0)
    board.receivables = _aged(reader, "invoice", board.as_of)
    board.payables = _aged(reader, "bill", board.as_of)


def _aged(reader: Reader, kind: str, as_of: date) -> dict[str, int]:
    """Open amounts of posted invoices (or bills) by days past due, as of ``as_of``: the
    documents' buckets of finance's aged report."""
    out = dict.fromkeys(BUCKETS, 0)
    for due, amount in _rows(
        reader,
        "SELECT due_date, outstanding FROM v_fin_document WHERE kind = :k "
        "AND status NOT IN ('draft', 'void') AND outstanding > 0 AND date <= :d",
        k=kind,
        d=as_of.isoformat(),
    ):
        out[bucket_of((as_of - date.fromisoformat(str(due)[:10])).days)] += int(amount)
    return out


def _hr(reader: Reader, actor: Actor, board: Dashboard) -> None:
    heads = dict(
        _rows(
            reader,
            "SELECT coalesce(org_unit, ''), count(*) FROM v_hr_employee "
            "WHERE status <> 'terminated' GROUP BY 1",
        )
    )
    last = _rows(
        reader,
        "SELECT max(period) FROM v_hr_payslip WHERE run_status IN ('approved', 'posted', 'paid')",
    )
    period = last[0][0] if last else None
    costs: dict[str, tuple[int, int]] = {}
    if period is not None:
        for unit, n, cost in _rows(
            reader,
            "SELECT org_unit, count(*), SUM(gross + employer_si + benefit_employer) "
            "FROM v_hr_payslip WHERE period = :p AND run_status IN ('approved', 'posted', 'paid')"
            " GROUP BY org_unit",
            p=period,
        ):
            costs[str(unit)] = (int(n), int(cost))
    reveal = actor.can("hr.confidential")
    units = []
    for unit in sorted(set(heads) | set(costs)):
        n, cost = costs.get(unit, (0, 0))
        shown: int | None = cost if reveal or n == 0 or n >= MIN_PAYSLIPS else None
        units.append(UnitFigures(unit, int(heads.get(unit, 0)), shown))
    board.payroll_period = period
    board.units = units


def _it(reader: Reader, board: Dashboard) -> None:
    row = _rows(
        reader,
        "SELECT count(*), coalesce(SUM(breached), 0) FROM v_it_ticket "
        "WHERE status NOT IN ('resolved', 'closed')",
    )[0]
    board.open_tickets, board.sla_breaches = int(row[0]), int(row[1])


def _logistics(reader: Reader, board: Dashboard) -> None:
    row = _rows(
        reader,
        "SELECT coalesce(SUM(stock_value), 0), "
        "coalesce(SUM(CASE WHEN active THEN below_reorder ELSE 0 END), 0) FROM v_lg_item",
    )[0]
    board.stock_value, board.below_reorder = int(row[0]), int(row[1])


def _inbox(reader: Reader, actor: Actor, board: Dashboard) -> None:
    """Open work items past their due date in each inbox the actor may read (the inboxes
    of :func:`bo_console.core.inbox.visible_departments`), counted in SQL: the inbox's own
    module would cost the command its audit and work-kind imports."""
    visible = [d for d in DEPARTMENTS if actor.can(DEPARTMENT_READ[d])]
    overdue = dict.fromkeys(visible, 0)
    if visible:
        for dept, count in reader.rows(
            "SELECT to_dept, count(*) FROM work_item WHERE closed_at IS NULL "
            "AND due_date < :d AND to_dept IN :depts GROUP BY to_dept",
            {"d": board.as_of, "depts": visible},
        ):
            overdue[str(dept)] += int(count)
    board.overdue_inbox = overdue


def dashboard(db: Reads, actor: Actor, as_of: date | None = None) -> Dashboard:
    """The management dashboard as of ``as_of`` (today), for a reader with ``data.read``:
    through a Reader (``bo data dashboard``) or the session of the console's tab."""
    from bo_console.core.clock import today
    from bo_console.core.money import base_currency
    from bo_console.core.reading import reader_of
    from bo_console.data.quality import open_findings

    actor.require("data.read", "read the dashboard")
    reader = reader_of(db)
    currency = base_currency(reader)
    board = Dashboard(as_of or today(), currency.code, currency.exponent)
    if actor.can(DEPARTMENT_READ["finance"]):
        _finance(reader, actor, board)
    if actor.can(DEPARTMENT_READ["hr"]):
        _hr(reader, actor, board)
    if actor.can(DEPARTMENT_READ["it"]):
        _it(reader, board)
    if actor.can(DEPARTMENT_READ["logistics"]):
        _logistics(reader, board)
    found = open_findings(reader, actor)
    board.quality_findings = {d: found.get(d, 0) for d in DEPARTMENTS if d in found}
    _inbox(reader, actor, board)
    return board
