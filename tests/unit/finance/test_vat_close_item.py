"""F5: the month-end checklist's VAT item: a month that ends a VAT period closes only after
its return is filed (or with an audited override), once the VAT filing period is set."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.errors import RuleViolation
from bo_console.finance import service, vat
from tests.unit.finance.conftest import Poster, Team, sale


def _close(store: Store, team: Team, period: str, **overrides: str) -> bool:
    with store.write() as session:
        return service.close_period(session, team.manager, period, overrides=overrides)


def _item(store: Store, team: Team, period: str) -> tuple[str, ...]:
    with store.read() as session:
        found = service.checklist(session, team.clerk, period)
    return next(i for i in found.items if i.key == "vat").problems


def test_a_quarter_end_waits_for_its_filed_return(store: Store, team: Team, post: Poster) -> None:
    for month in (1, 2, 3, 4):
        post(date(2026, month, 5), *sale(100_000))
    with store.write() as session:
        vat.set_filing(session, team.manager, "quarterly")
    assert _close(store, team, "2026-01") and _close(store, team, "2026-02")
    assert _item(store, team, "2026-03") == (
        "the VAT return 2026-Q1 is not filed (bo finance vat file --period 2026-Q1)",
    )
    with pytest.raises(RuleViolation, match="VAT return 2026-Q1 is not filed"):
        _close(store, team, "2026-03")
    with store.write() as session:
        vat.file_return(session, team.manager, "2026-Q1")
    assert _item(store, team, "2026-03") == ()
    assert _close(store, team, "2026-03")
    assert _item(store, team, "2026-04") == ()  # not the last month of its quarter


def test_monthly_filing_holds_every_month_and_an_override_is_audited(
    store: Store, team: Team, post: Poster
) -> None:
    post(date(2026, 5, 5), *sale(100_000))
    with store.write() as session:
        vat.set_filing(session, team.manager, "monthly")
    assert _item(store, team, "2026-05") != ()
    assert _close(store, team, "2026-05", vat="filed on the portal by the tax adviser")
    with store.read() as session:
        row = session.execute(
            text("SELECT changes FROM audit_event WHERE entity = 'period' AND action = 'close'")
        ).scalar_one()
    assert "override vat" in row and "tax adviser" in row


def test_no_item_until_vat_filing_is_in_use(store: Store, team: Team, post: Poster) -> None:
    post(date(2026, 5, 5), *sale(100_000))
    assert _item(store, team, "2026-05") == ()
    with store.write() as session:
        vat.set_filing(session, team.manager, "monthly")
    post(date(2026, 6, 5), ("6200", 100, 0), ("1110", 0, 100))  # no VAT in June
    assert _item(store, team, "2026-06") == ()
