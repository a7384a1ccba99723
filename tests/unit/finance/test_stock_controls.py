"""Inventory and goods received not invoiced as control accounts: from the day logistics takes
the books' stock on, only stock entries move 1310 (and stock entries and bills 2130)."""

from __future__ import annotations

from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation
from bo_console.finance import service
from bo_console.finance.ledger.controls import control_checks
from tests.unit.finance.conftest import Poster, Team, entry


def test_stock_accounts_become_control_accounts(store: Store, team: Team, post: Poster) -> None:
    post(date(2026, 3, 2), ("5110", 1_000, 0), ("1310", 0, 1_000))  # before: finance's own
    with store.write() as session:
        with pytest.raises(PermissionDenied):
            service.start_stock_controls(
                session, team.clerk, date(2026, 3, 5), permission="logistics.manage"
            )
        assert service.start_stock_controls(
            session, team.manager, date(2026, 3, 5), permission="finance.manage"
        )
        assert not service.start_stock_controls(
            session, team.manager, date(2026, 3, 6), permission="finance.manage"
        )
    for lines in (
        (("5110", 1_000, 0), ("1310", 0, 1_000)),
        (("1310", 1_000, 0), ("1110", 0, 1_000)),
        (("2130", 1_000, 0), ("1110", 0, 1_000)),
    ):
        with pytest.raises(RuleViolation, match="control account"):
            post(date(2026, 3, 10), *lines)
    with store.write() as session:
        service.post_entry(
            session, team.clerk,
            entry(date(2026, 3, 10), ("1310", 2_000, 0), ("2130", 0, 2_000),
                  source="stock", source_ref="receipt:1"),
        )  # fmt: skip
        checks = {c.name: c for c in control_checks(session)}
    stray = checks["control accounts: lines only from their sub-ledgers"]
    assert stray.ok  # the line of 2026-03-02 came before the control
