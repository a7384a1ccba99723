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
    assert counts["draft"] == 2 and counts["reversed"] == 3 and 700 < counts["posted"] < 2_000
    assert (str(first_day), str(last_day)) == ("2025-12-01", str(DEMO_DATE))
    assert tb.balanced and sheet.balanced
    balances = {r.code: r.balance for r in tb.rows}
    assert balances["1110"] > 0 and balances["1120"] > 0 and balances["1310"] > 0
    assert balances["2210"] < 0 and balances["4100"] < 0
    # The end-of-service and leave provisions the staff had earned before payroll's first run
    # (August) are an opening entry against retained earnings, not August's expense: 2026
    # makes a profit of about a twelfth of its sales.
    assert 0 < pl.net_income < -balances["4100"] / 5
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
    # Deterministic: the same books every time. The wholesale trade is logistics': its
    # invoices come from deliveries, whose cost of sales is what the stock ledger issued
    # (about 61% of sales, against the 55-62% finance used to key by hand), and from January
    # to the demo date its sales are about 95 million of the 98 million here.
    # December 2025 closed the fiscal year 2025: its sales are in retained earnings, so 4100
    # holds fiscal 2026 alone, as the income statement does.
    assert (balances["4100"], pl.net_income) == (Decimal("-98444854.55"), Decimal("8396826.14"))
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
        # The ledger's end-of-service provision is what payroll holds per employee.
        provided = session.execute(
            text(
                "SELECT (SELECT SUM(eos) FROM hr_provision_opening)"
                " + (SELECT SUM(s.eos_accrual - s.eos_award) FROM hr_payslip s"
                " JOIN hr_pay_run r ON r.id = s.run_id WHERE r.status IN ('posted', 'paid'))"
            )
        ).scalar_one()
    assert balances["2520"] == -Decimal(provided).scaleb(-2) < -1_000_000
    # A price correction on a paid invoice, applied in full to the customer's next open invoice
    # (the documents builder's smaller invoices are the ones open by then), goods returned, a
    # supplier's credit note on a packaging bill already paid (its credit waits on account), and a
    # bad debt.
    assert [tuple(n) for n in notes] == [
        ("CRN-2026-00001", 0),
        ("CRN-2026-00002", 0),
        ("PCN-2026-00001", 1),
    ]
    assert [tuple(w) for w in writeoffs] == [("WO-2026-00001", 1)]
    assert closing == ["year:2025"]
    assert all(r.ok for r in controls), [r.detail for r in controls]


def test_the_demo_cash_flow_ties_and_its_cost_centres_are_listed(
    demo: Store, demo_admin: Actor
) -> None:
    from bo_console.finance import cashflow, cost_centres

    with demo.read() as session:
        year = cashflow.cash_flow(session, demo_admin, date(2025, 12, 1), DEMO_DATE)
        quarter = cashflow.cash_flow(session, demo_admin, date(2026, 7, 1), date(2026, 9, 30))
        sheet = service.balance_sheet(session, demo_admin, DEMO_DATE)
        listed = {c.code for c in cost_centres.list_cost_centres(session, demo_admin)}
        used = {
            str(r[0])
            for r in session.execute(
                text("SELECT DISTINCT cost_centre FROM fin_line WHERE cost_centre IS NOT NULL")
            )
        }
    cash = sum(r.amount for r in sheet.rows if r.code in ("1110", "1120", "1130", "1140", "1150"))
    assert year.ties and quarter.ties and year.closing_cash == cash
    assert year.opening_cash == Decimal("11790000.00")  # the opening balances' cash
    assert used <= listed and {"LOG", "SALES", "ADMIN"} <= listed


def test_the_demo_reconciles_its_banks_and_files_its_vat(demo: Store, demo_admin: Actor) -> None:
    from bo_console.finance import bank, vat

    with demo.read() as session:
        months = [bank.bank_accounts_reconciled(session, demo_admin, m) for m in MONTHS[:-1]]
        filed = [f.period for f in vat.list_filings(session, demo_admin)]
        ready = service.checklist(session, demo_admin, "2026-10")
    assert all(s.reconciled for month in months for s in month)
    assert {s.bank for s in months[0]} == {"RAJHI", "SNB"}
    assert filed == ["2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4"]
    assert ready.ready  # October: reconciled, not a quarter's end, nothing left as a draft


def test_logistics_take_on_makes_stock_accounts_control_accounts(
    demo: Store, demo_admin: Actor
) -> None:
    from bo_console.finance.ledger.controls import load_controls

    with demo.read() as session:
        controls = {c.code: c for c in load_controls(session).accounts.values()}
        checks = {c.name: c.ok for c in control_checks(session)}
    # Taken on the day after the opening balances: the whole demo year is the stock ledger's.
    assert controls["1310"].sources == {"stock"} and controls["1310"].since == "2025-12-02"
    assert controls["2130"].sources == {"stock", "bill"}
    assert checks["control accounts: lines only from their sub-ledgers"]
