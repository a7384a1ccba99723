"""Logistics' part of `bo demo`: a year of receipts, deliveries, bills, invoices, returns and
counts posted to the books, whose cost of sales is what the deliveries posted and whose stock
ledger equals the inventory account at every month end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.demo import DEMO_DATE

MONTHS = ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]


def _one(store: Store, sql: str) -> int:
    with store.read() as session:
        return int(session.execute(text(sql)).scalar_one() or 0)


def test_cost_of_sales_is_what_deliveries_and_returns_posted(demo: Store) -> None:
    lines = """FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id
               JOIN fin_account a ON a.id = l.account_id
               WHERE a.code = '5110' AND e.state <> 'draft' AND e.source <> 'closing'"""
    posted = _one(demo, f"SELECT SUM(l.debit) - SUM(l.credit) {lines}")  # noqa: S608
    # No hand-keyed cost of sales: every line on 5110 is a delivery's or a return's entry.
    strays = _one(
        demo,
        f"""SELECT count(*) {lines} AND NOT (e.source = 'stock'
              AND (e.source_ref IN (SELECT number FROM lg_delivery)
                OR e.source_ref IN (SELECT number FROM lg_return)))""",  # noqa: S608
    )
    delivered = _one(demo, "SELECT SUM(cost) FROM lg_delivery")
    returned = _one(demo, "SELECT SUM(value) FROM lg_return")
    assert strays == 0
    assert posted == delivered - returned > 40_000_000_00  # a year's trade: SAR 40M+
    # Each delivery posted its own cost, once.
    assert (
        _one(
            demo,
            """SELECT count(*) FROM lg_delivery d WHERE d.cost <> (
                 SELECT COALESCE(SUM(l.debit), 0) FROM fin_entry e
                 JOIN fin_line l ON l.entry_id = e.id JOIN fin_account a ON a.id = l.account_id
                 WHERE e.source = 'stock' AND e.source_ref = d.number AND a.code = '5110')""",
        )
        == 0
    )


def test_stock_valuation_ties_to_the_inventory_account_every_quarter(
    demo: Store, demo_admin: Actor
) -> None:
    from bo_console.departments import check_store
    from bo_console.finance import service as finance
    from bo_console.logistics import service

    for day in (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), DEMO_DATE):
        with demo.read() as session:
            rows = service.valuation(session, demo_admin, as_of=day)
            tb = finance.trial_balance(session, demo_admin, day)
        ledger = next(r.balance for r in tb.rows if r.code == "1310")
        assert Decimal(sum(r.value for r in rows)).scaleb(-2) == ledger > 0, day
    failed = [(r.name, r.detail) for r in check_store(demo, demo_admin) if not r.ok]
    assert failed == []


def test_every_demo_month_has_logistics_activity(demo: Store, demo_admin: Actor) -> None:
    from bo_console.finance import service as finance

    def by_month(sql: str) -> dict[str, int]:
        with demo.read() as session:
            return {str(m): int(n) for m, n in session.execute(text(sql)).all()}

    receipts = by_month("SELECT substr(date, 1, 7), count(*) FROM lg_receipt GROUP BY 1")
    deliveries = by_month("SELECT substr(date, 1, 7), count(*) FROM lg_delivery GROUP BY 1")
    invoices = by_month(
        """SELECT substr(date, 1, 7), count(*) FROM fin_document
           WHERE kind = 'invoice' AND reference LIKE 'SO-%' AND status <> 'draft' GROUP BY 1"""
    )
    bills = by_month(
        """SELECT substr(date, 1, 7), count(*) FROM fin_document
           WHERE kind = 'bill' AND memo LIKE 'PO-%' AND status <> 'draft' GROUP BY 1"""
    )
    for month in MONTHS:
        assert receipts.get(month, 0) >= 1, month
        assert deliveries.get(month, 0) >= 5, month
        assert invoices.get(month, 0) >= 5, month
        assert bills.get(month, 0) >= 1, month
    with demo.read() as session:
        statuses = dict(
            session.execute(text("SELECT status, count(*) FROM lg_delivery GROUP BY 1")).all()
        )
        counts = session.execute(
            text("SELECT date, status FROM lg_count WHERE status = 'posted' ORDER BY date")
        ).all()
        closed = finance.closed_periods(session)
    returns = _one(demo, "SELECT count(*) FROM lg_return")
    variances = _one(
        demo, "SELECT count(*) FROM fin_entry WHERE source_ref LIKE 'PPV-%' AND state = 'posted'"
    )
    # The trade went in before the months were closed: history in closed months.
    assert {"2025-12", "2026-09"} <= set(closed)
    assert statuses["delivered"] > 50 and statuses["shipped"] > 0
    assert len(counts) >= 3 and returns >= 3 and variances >= 3
