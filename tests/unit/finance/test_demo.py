"""Finance's part of `bo demo`: a year of books that balance, whose aged receivables and
payables equal the control accounts and whose every VAT return ties to the ledger, built the
same way every time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.demo import DEMO_DATE
from bo_console.finance import aging, service, tax
from bo_console.finance.checks import ledger_checks
from bo_console.finance.document_checks import document_checks
from bo_console.finance.ledger.controls import control_checks

MONTHS = ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]


def test_the_finance_demo(demo: Store, demo_admin: Actor) -> None:
    with demo.read() as session:
        assert all(r.ok for r in ledger_checks(session))
        assert all(r.ok for r in document_checks(session))
        months = service.list_periods(session, demo_admin, year=2026)
        tb = service.trial_balance(session, demo_admin, DEMO_DATE)
        sheet = service.balance_sheet(session, demo_admin, DEMO_DATE)
        pl = service.income_statement(session, demo_admin, date(2026, 1, 1), DEMO_DATE)
        receivables = aging.aged(session, demo_admin, "receivables", DEMO_DATE).totals()
        payables = aging.aged(session, demo_admin, "payables", DEMO_DATE).totals()
        returns = [tax.vat_return(session, demo_admin, month) for month in MONTHS]
        counts = dict(
            session.execute(text("SELECT state, count(*) FROM fin_entry GROUP BY state")).all()
        )
        first_day = session.execute(text("SELECT MIN(date) FROM fin_entry")).scalar_one()
        last_day = session.execute(text("SELECT MAX(date) FROM fin_entry")).scalar_one()
    assert [m.status for m in months] == ["closed"] * 9 + ["open"] * 3
    assert counts["draft"] == 2 and counts["reversed"] == 3 and 1_000 < counts["posted"] < 2_000
    assert (str(first_day), str(last_day)) == ("2025-12-01", str(DEMO_DATE))
    assert tb.balanced and sheet.balanced
    balances = {r.code: r.balance for r in tb.rows}
    assert balances["1110"] > 0 and balances["1120"] > 0 and balances["1310"] > 0
    assert balances["2210"] < 0 and balances["4100"] < 0
    # Payroll's first run (August) books the end-of-service provision the demo staff's years of
    # service had earned and the books never held (review P-GL1, about 11 M), so 2026 shows a
    # loss; without that catch-up the year makes about 9.9 M.
    assert pl.net_income < -balances["4100"] / 5
    # What customers and suppliers owe, document by document, is what the accounts hold.
    assert Decimal(receivables.balance).scaleb(-2) == balances["1210"] > 0
    assert Decimal(payables.balance).scaleb(-2) == -balances["2110"] > 0
    assert all(receivables.amounts[b] > 0 for b in aging.BUCKETS), receivables.amounts
    # Every month's return ties to what the VAT accounts moved; the quarterly settlements
    # (January, April, July, October) are set apart, not hidden in the movement.
    assert [r.period for r in returns if not r.ties] == []
    assert all(r.output_tax > 0 and r.input_tax > 0 for r in returns)
    settled = [r.period[5:] for r in returns if r.settled_output_tax or r.settled_input_tax]
    assert settled == ["01", "04", "07", "10"]
    # Deterministic: the same books every time.
    # (Logistics' demo date adds its invoices, cost of sales and count differences.)
    # December 2025 closed the fiscal year 2025: its sales (6,849,825.40) are in retained
    # earnings, so 4100 holds fiscal 2026 alone, as the income statement does.
    # Its credit notes take 15,034.38 off sales, and its bad debt costs 12,289.00 net of VAT.
    assert (balances["4100"], pl.net_income) == (Decimal("-91047432.82"), Decimal("-2815784.37"))
    with demo.read() as session:
        closing = (
            session.execute(
                text(
                    "SELECT source_ref FROM fin_entry WHERE source = 'closing' AND state = 'posted'"
                )
            )
            .scalars()
            .all()
        )
        controls = control_checks(session)
        notes = session.execute(
            text("SELECT number, total > applied FROM fin_note ORDER BY id")
        ).all()
        writeoffs = session.execute(text("SELECT number, tax > 0 FROM fin_writeoff")).all()
    # A price correction on a paid invoice, partly applied to the customer's next invoice (the
    # rest on account), goods returned, a supplier's credit note, and a bad debt.
    assert [tuple(n) for n in notes] == [
        ("CRN-2026-00001", 1),
        ("CRN-2026-00002", 0),
        ("PCN-2026-00001", 0),
    ]
    assert [tuple(w) for w in writeoffs] == [("WO-2026-00001", 1)]
    assert closing == ["year:2025"]
    assert all(r.ok for r in controls), [r.detail for r in controls]
