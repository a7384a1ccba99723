"""Finance's part of `bo demo`: a year of books that balance, built the same way every time."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.demo import DEMO_DATE, DemoContext, _core_demo
from bo_console.finance import demo, service
from bo_console.finance.checks import ledger_checks


def test_the_finance_demo(store: Store, admin: Actor) -> None:
    with store.write() as session:
        ctx = DemoContext(session=session, admin=admin, rng=random.Random(1), today=DEMO_DATE)
        _core_demo(ctx)
        demo.build(ctx)
    with store.read() as session:
        assert all(r.ok for r in ledger_checks(session))
        months = service.list_periods(session, admin, year=2026)
        tb = service.trial_balance(session, admin, DEMO_DATE)
        sheet = service.balance_sheet(session, admin, DEMO_DATE)
        pl = service.income_statement(session, admin, date(2026, 1, 1), DEMO_DATE)
        counts = dict(
            session.execute(text("SELECT state, count(*) FROM fin_entry GROUP BY state")).all()
        )
        first_day = session.execute(text("SELECT MIN(date) FROM fin_entry")).scalar_one()
        last_day = session.execute(text("SELECT MAX(date) FROM fin_entry")).scalar_one()
    assert [m.status for m in months] == ["closed"] * 9 + ["open"] * 3
    assert counts["draft"] == 2 and counts["reversed"] == 1 and 600 < counts["posted"] < 1500
    assert (str(first_day), str(last_day)) == ("2025-12-01", str(DEMO_DATE))
    assert tb.balanced and sheet.balanced
    balances = {r.code: r.balance for r in tb.rows}
    assert balances["1110"] > 0 and balances["1120"] > 0 and balances["1310"] > 0
    assert balances["2210"] < 0 and balances["4100"] < 0
    assert Decimal(0) < pl.net_income < -balances["4100"] / 5
    # Deterministic: the same books every time (without HR, whose pay runs post Aug-Oct).
    assert balances["4100"] == Decimal("-93167171.70") and pl.net_income == Decimal("13216785.09")
