"""F5: months close in order, after a checklist a manager may override with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.core.reading import Reads
from bo_console.core.security import Actor
from bo_console.finance import service
from bo_console.finance.ledger import closing
from tests.unit.finance.conftest import Poster, Team, entry, sale


def _close(store: Store, team: Team, period: str, **overrides: str) -> bool:
    with store.write() as session:
        return service.close_period(session, team.manager, period, overrides=overrides)


def test_months_close_in_order(store: Store, team: Team, post: Poster) -> None:
    post(date(2026, 10, 5), *sale(100))
    post(date(2026, 11, 5), *sale(100))
    with pytest.raises(RuleViolation, match="2026-11 is still open; months close in order"):
        _close(store, team, "2026-12")
    with pytest.raises(RuleViolation, match="2026-10 is still open"):
        _close(store, team, "2026-11")
    assert _close(store, team, "2026-10")
    assert _close(store, team, "2026-11")
    with store.read() as session:
        ready = service.checklist(session, team.clerk, "2026-12")
    assert ready.ready and ready.order_problem is None


def test_drafts_block_the_close_unless_overridden_with_a_reason(
    store: Store, team: Team, post: Poster
) -> None:
    post(date(2026, 11, 5), *sale(100))
    with store.write() as session:
        service.create_draft(session, team.clerk, entry(date(2026, 11, 30), *sale(300)))
    with store.read() as session:
        found = service.checklist(session, team.clerk, "2026-11")
    drafts = next(i for i in found.items if i.key == "drafts")
    assert not drafts.ok and "1 draft entry" in drafts.problems[0]
    assert "pay_runs" in {c.key for c in closing.registered_checks()}
    with pytest.raises(RuleViolation, match="override with a reason"):
        _close(store, team, "2026-11")
    with pytest.raises(ValidationFailed, match="needs a reason"):
        _close(store, team, "2026-11", drafts=" ")
    with pytest.raises(ValidationFailed, match="no checklist item"):
        _close(store, team, "2026-11", nonsense="x")
    assert _close(store, team, "2026-11", drafts="accrual estimate stays a draft")
    with store.read() as session:
        row = session.execute(
            text("SELECT changes FROM audit_event WHERE entity = 'period' AND action = 'close'")
        ).scalar_one()
    assert "override drafts" in row and "accrual estimate" in row


@pytest.fixture
def bank_unreconciled() -> Iterator[None]:
    def check(db: Reads, actor: Actor, period: str) -> list[str]:
        return ["bank 1110 is not reconciled"] if period == "2026-11" else []

    closing.register_close_check("statements", "Statements arrived", check)
    yield
    closing._REGISTRY.pop("statements", None)


def test_other_parts_add_items(
    store: Store, team: Team, post: Poster, bank_unreconciled: None
) -> None:
    post(date(2026, 11, 5), *sale(100))
    with pytest.raises(RuleViolation, match="bank 1110 is not reconciled"):
        _close(store, team, "2026-11")
    assert _close(store, team, "2026-11", statements="statement arrives late")


def test_a_bank_account_without_its_statement_holds_the_month(
    store: Store, team: Team, post: Poster
) -> None:
    from bo_console.finance import bank

    post(date(2026, 11, 5), *sale(100))
    with store.write() as session:
        bank.add_bank_account(session, team.manager, code="RAJHI", name="Al Rajhi", account="1110")
    with pytest.raises(RuleViolation, match="bank account RAJHI: no statement up to 2026-11-30"):
        _close(store, team, "2026-11")
    assert _close(store, team, "2026-11", bank="November's statement is late")
