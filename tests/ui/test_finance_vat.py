"""The Reports tab's ZATCA return shows the service's boxes for the period typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import service
from bo_console.finance.models import EntryCreate, LineCreate
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.virtual_table import VirtualTable
from tests.ui.test_finance_screen import SIZE, _open_finance, _run_report, _text


async def test_the_zatca_return_on_screen(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    with seeded.write() as session:
        service.post_entry(
            session,
            admin,
            EntryCreate(
                date=date(2026, 1, 20),
                memo="Cash sale",
                lines=[
                    LineCreate(account="1110", debit=115_000),
                    LineCreate(account="4100", credit=100_000, tax_code="S15"),
                    LineCreate(account="2210", credit=15_000, tax_code="S15"),
                ],
            ),
        )
    async with app_for(admin).run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        pane = await _run_report(pilot, "z", "ctrl+u", *"2026-01")
        table = pane.query_one(VirtualTable)
        rows = {r["box"]: r for r in table.source.rows(0, table.count)}
        assert (rows[1]["amount"], rows[1]["vat"]) == (Decimal("1000.00"), Decimal("150.00"))
        assert rows[16]["vat"] == Decimal("150.00")
        assert "ties to the VAT accounts" in _text(pane, "#report-note")
