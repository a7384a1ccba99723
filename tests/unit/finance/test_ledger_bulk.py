"""Posting many entries at once: the same rules, numbers and audit rows as one at a time."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bo_console.core import audit
from bo_console.core.audit import AuditFilter
from bo_console.core.db import Store
from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.finance import service
from bo_console.finance.checks import ledger_checks
from tests.unit.finance.conftest import Poster, Team, entry, sale

D = date(2026, 3, 10)


def _count(store: Store, sql: str) -> int:
    with store.read() as session:
        return int(session.execute(text(sql)).scalar_one())


def test_a_batch_posts_in_order_with_lines_numbers_and_audit(
    store: Store, team: Team, post: Poster
) -> None:
    post(D, *sale(100))
    with store.write() as session:
        posted = service.post_entries(
            session,
            team.clerk,
            [
                entry(D, *sale(10000), memo="first"),
                entry(date(2025, 12, 31), ("6200", 700, 0), ("1110", 0, 700), memo="old year"),
                entry(date(2026, 1, 2), *sale(500), memo="third"),
            ],
        )
        refs = [e.ref for e in posted]
    assert refs == ["2026-000002", "2025-000001", "2026-000003"]
    assert _count(store, "SELECT count(*) FROM fin_line") == 3 + 3 + 2 + 3
    with store.read() as session:
        assert [r for r in ledger_checks(session) if not r.ok] == []
        rows = audit.query_log(session, team.admin, AuditFilter(entity="journal_entry"))
    assert [(r.action, r.entity_id) for r in rows][:3] == [
        ("post", "2026-000003"),
        ("post", "2025-000001"),
        ("post", "2026-000002"),
    ]
    assert "1110 Dr 115.00" in rows[2].changes and "first" in rows[2].changes


def test_one_bad_entry_refuses_the_whole_batch(store: Store, team: Team) -> None:
    with pytest.raises(ValidationFailed, match="do not equal credits"), store.write() as session:
        service.post_entries(
            session,
            team.clerk,
            [entry(D, *sale(100)), entry(D, ("1110", 1000, 0), ("4100", 0, 999))],
        )
    assert _count(store, "SELECT count(*) FROM fin_entry") == 0
    assert _count(store, "SELECT count(*) FROM fin_line") == 0


def test_a_closed_period_refuses_the_batch(store: Store, team: Team) -> None:
    with store.write() as session:
        service.close_period(session, team.manager, "2026-02")
    with pytest.raises(RuleViolation, match="2026-02 is closed"), store.write() as session:
        service.post_entries(
            session, team.clerk, [entry(D, *sale(100)), entry(date(2026, 2, 3), *sale(100))]
        )
    assert _count(store, "SELECT count(*) FROM fin_entry") == 0


def test_a_document_twice_in_one_batch_is_refused(store: Store, team: Team) -> None:
    twice = [
        entry(D, *sale(100), source="import", source_ref="X-1"),
        entry(D, *sale(200), source="import", source_ref="X-1"),
    ]
    with pytest.raises(RuleViolation, match="twice"), store.write() as session:
        service.post_entries(session, team.clerk, twice)
    assert _count(store, "SELECT count(*) FROM fin_entry") == 0


def test_an_empty_batch_posts_nothing(store: Store, team: Team) -> None:
    with store.write() as session:
        assert service.post_entries(session, team.clerk, []) == []
