"""The dashboard's figures equal what each department reports itself (on the demo)."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.data import service


def minor(amount: Decimal, exponent: int) -> int:
    return int(amount.scaleb(exponent))


def test_dashboard_figures_equal_the_departments_reports(
    demo: Store, demo_admin: Actor, make_user: Callable[..., Actor]
) -> None:
    from sqlalchemy import text

    from bo_console.finance import aging
    from bo_console.finance import service as finance
    from bo_console.hr.service import people
    from bo_console.logistics import stock

    admin = demo_admin
    with demo.read() as session:
        board = service.dashboard(session, admin)
        exp = board.exponent
        closed = [m for m in board.months if m.closed]
        assert closed, "the demo closes past months"
        for figures in closed:
            year, month = map(int, figures.month.split("-"))
            last = calendar.monthrange(year, month)[1]
            statement = finance.income_statement(
                session, admin, date(year, month, 1), date(year, month, last)
            )
            assert figures.revenue == minor(statement.total_income, exp), figures.month
            assert figures.expenses == minor(statement.total_expense, exp), figures.month
        assert any(m.revenue for m in closed)
        chart = finance.load_chart(session)
        bank = chart.get(finance.account_for_role(session, "bank"))
        assert bank.parent_id is not None
        group = chart.accounts[bank.parent_id].code
        cash = finance.account_balance(session, admin, group, as_of=board.as_of)
        assert board.cash == minor(cash, exp) and board.cash != 0
        for side, ages in (("receivables", board.receivables), ("payables", board.payables)):
            report = aging.aged(session, admin, side, board.as_of).totals()
            assert ages is not None
            assert list(ages.values()) == list(report.amounts.values()), side
            assert sum(ages.values()) > 0
        heads = {r.org_unit: r.headcount for r in people.headcount_report(session, admin)}
        assert board.units is not None
        assert {u.unit: u.headcount for u in board.units if u.headcount} == {
            unit: n for unit, n in heads.items() if n
        }
        assert board.payroll_period is not None
        assert all(u.payroll_cost is not None for u in board.units)
        paid = session.execute(
            text(
                "SELECT SUM(gross + employer_si + benefit_employer) FROM hr_payslip "
                "WHERE period = :p"
            ),
            {"p": board.payroll_period},
        ).scalar_one()
        assert sum(u.payroll_cost or 0 for u in board.units) == paid
        assert board.stock_value == stock.stock_value(session) and board.stock_value > 0
        open_tickets = session.execute(
            text(
                "SELECT count(*) FROM it_ticket WHERE status IN "
                "('new', 'assigned', 'in_progress', 'waiting', 'reopened')"
            )
        ).scalar_one()
        assert board.open_tickets == open_tickets
        assert board.sla_breaches is not None and board.sla_breaches <= open_tickets
        assert sum(board.overdue_inbox.values()) >= 1

    analyst = make_user("ana", "analyst")
    with demo.read() as session:
        masked = service.dashboard(session, analyst)
    assert masked.units is not None
    assert any(u.payroll_cost is None for u in masked.units) or all(
        (u.headcount >= 3) for u in masked.units
    )
    clerk = make_user("dc", "data-clerk")
    with demo.read() as session:
        bare = service.dashboard(session, clerk)
    assert bare.months == [] and bare.cash is None and bare.units is None


def test_the_pack_of_a_closed_month_is_the_same_twice_and_refuses_an_open_one(
    demo: Store, demo_admin: Actor, tmp_path: Path
) -> None:
    import hashlib

    import pytest
    from openpyxl import load_workbook

    from bo_console.core.errors import RuleViolation
    from bo_console.finance import service as finance

    with demo.read() as session:
        closed = sorted(finance.closed_periods(session))
        period = closed[-1]
        first = service.management_pack(session, demo_admin, period)
        second = service.management_pack(session, demo_admin, period)
        open_month = service.dashboard(session, demo_admin).months[-1].month
        with pytest.raises(RuleViolation, match="not closed"):
            service.management_pack(session, demo_admin, open_month)
        year, month = map(int, period.split("-"))
        statement = finance.income_statement(
            session,
            demo_admin,
            date(year, month, 1),
            date(year, month, calendar.monthrange(year, month)[1]),
        )
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    service.write_pack(first, a)
    service.write_pack(second, b)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    book = load_workbook(a)
    assert book.sheetnames == [
        "contents",
        "income statement",
        "balance sheet",
        "control accounts",
        "aged balances",
        "headcount",
        "payroll",
        "tickets",
        "stock moves",
        "stock at month end",
        "data quality",
    ]
    net = [
        row
        for row in book["income statement"].iter_rows(values_only=True)
        if row[2] == "Net income"
    ]
    assert Decimal(str(net[0][3])) == statement.net_income
    assert book["contents"]["B2"].value == period


def test_a_closed_months_snapshot_equals_the_departments_reports_at_its_end(
    demo: Store, demo_admin: Actor
) -> None:
    from sqlalchemy import text

    from bo_console.data import snapshots
    from bo_console.finance import aging
    from bo_console.finance import service as finance

    with demo.read() as session:
        closed = sorted(finance.closed_periods(session))
        assert [s.period for s in service.list_snapshots(session, demo_admin)] == sorted(
            closed, reverse=True
        ), "the demo takes a snapshot of every month it closes"
        period = closed[-1]
        snap = snapshots.latest(session, period)
        assert snap is not None
        year, month = map(int, period.split("-"))
        last = date(year, month, calendar.monthrange(year, month)[1])
        exp = snap.exponent
        chart = finance.load_chart(session)
        bank = chart.get(finance.account_for_role(session, "bank"))
        assert bank.parent_id is not None
        group = chart.accounts[bank.parent_id].code
        cash = finance.account_balance(session, demo_admin, group, as_of=last)
        assert snap.month.cash == minor(cash, exp)
        for side, ages in (
            ("receivables", snap.month.receivables),
            ("payables", snap.month.payables),
        ):
            assert ages == aging.aged(session, demo_admin, side, last).totals().amounts, side
        paid = session.execute(
            text(
                "SELECT SUM(gross + employer_si + benefit_employer) FROM hr_payslip "
                "WHERE period = :p"
            ),
            {"p": period},
        ).scalar_one()
        assert snap.month.payroll_cost == paid and paid > 0
        opened = session.execute(
            text("SELECT count(*) FROM v_it_ticket WHERE month = :p"), {"p": period}
        ).scalar_one()
        assert snap.month.tickets_opened == opened and opened > 0


def test_a_packs_small_units_payroll_is_masked_unless_the_reader_has_hr_confidential(
    demo: Store, demo_admin: Actor, make_user: Callable[..., Actor]
) -> None:
    from bo_console.finance import service as finance

    analyst = make_user("ana", "analyst")
    assert not analyst.can("hr.confidential")
    with demo.read() as session:
        period = sorted(finance.closed_periods(session))[-1]
        whole = dict(service.management_pack(session, demo_admin, period))["payroll"]
        seen = dict(service.management_pack(session, analyst, period))["payroll"]
    assert whole.rows and all(isinstance(r[2], int) for r in whole.rows)
    assert len(seen.rows) == len(whole.rows)
    for mine, full in zip(seen.rows, whole.rows, strict=True):
        assert mine == (full if full[1] >= 3 else (full[0], full[1], "masked", "masked"))
