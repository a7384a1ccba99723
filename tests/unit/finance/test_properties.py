"""Ledger invariants under random input (hypothesis).

One database per test: the examples pile up in it, which is what a ledger does anyway, and
every invariant must hold after each of them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.finance import reports, service
from bo_console.finance.checks import ledger_checks
from bo_console.finance.models import EntryCreate, LineCreate
from tests.unit.finance.conftest import Team

# No control accounts (receivables, payables, VAT): a manual entry may not post to them.
ACCOUNTS = ["1110", "1140", "1120", "1150", "2120", "3200", "3100", "4100", "5110", "6200"]
START = date(2025, 11, 1)

amounts = st.integers(min_value=1, max_value=10**9)
# Up to 2026-12-06: within a clerk's forward limit of the tests' today (a far-future posting
# needs a finance manager).
days = st.integers(min_value=0, max_value=400).map(lambda n: START + timedelta(days=n))


@st.composite
def balanced_entries(draw: st.DrawFn) -> EntryCreate:
    """An entry of 2-6 lines whose debits equal its credits."""
    debits = draw(st.lists(amounts, min_size=1, max_size=3))
    total = sum(debits)
    credit_count = draw(st.integers(min_value=1, max_value=min(3, total)))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(min_value=1, max_value=max(1, total - 1)),
                min_size=credit_count - 1,
                max_size=credit_count - 1,
                unique=True,
            )
        )
    )
    credit_parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True) if b > a]
    pick = st.sampled_from(ACCOUNTS)
    lines = [LineCreate(account=draw(pick), debit=d) for d in debits]
    lines += [LineCreate(account=draw(pick), credit=c) for c in credit_parts]
    return EntryCreate(date=draw(days), memo="generated", lines=lines)


def _expected(store: Store, start: date | None, end: date) -> dict[str, int]:
    """Debit minus credit per account code, straight from the lines (no balances table)."""
    with store.read() as session:
        rows = session.execute(
            text(
                "SELECT a.code, SUM(l.debit) - SUM(l.credit) FROM fin_line l "
                "JOIN fin_entry e ON e.id = l.entry_id JOIN fin_account a ON a.id = l.account_id "
                "WHERE e.state <> 'draft' AND l.date >= :a AND l.date <= :b GROUP BY a.code"
            ),
            {"a": start or date(1900, 1, 1), "b": end},
        ).all()
    return {str(code): int(net) for code, net in rows if net}


def _minor(value: Decimal) -> int:
    return int(value * 100)


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(batch=st.lists(balanced_entries(), min_size=1, max_size=4), as_of=days)
def test_any_posted_entries_keep_the_trial_balance_at_zero(
    store: Store, team: Team, batch: list[EntryCreate], as_of: date
) -> None:
    with store.write() as session:
        for data in batch:
            service.post_entry(session, team.clerk, data)
    with store.read() as session:
        tb = service.trial_balance(session, team.clerk, as_of)
        sheet = service.balance_sheet(session, team.clerk, as_of)
        assert all(r.ok for r in ledger_checks(session))
    assert tb.balanced
    assert sum(r.balance for r in tb.rows) == 0
    assert all(r.balance == r.debit - r.credit for r in tb.rows)
    assert {r.code: _minor(r.balance) for r in tb.rows} == _expected(store, None, as_of)
    assert sheet.balanced


@SETTINGS
@given(data=balanced_entries(), as_of=days)
def test_a_reversal_nets_to_zero(store: Store, team: Team, data: EntryCreate, as_of: date) -> None:
    with store.read() as session:
        before = service.trial_balance(session, team.clerk, as_of)
    with store.write() as session:
        original = service.post_entry(session, team.clerk, data)
        service.reverse_entry(session, team.clerk, original.ref)
    with store.read() as session:
        after = service.trial_balance(session, team.clerk, as_of)
        assert all(r.ok for r in ledger_checks(session))
    assert after == before


@SETTINGS
@given(batch=st.lists(balanced_entries(), min_size=1, max_size=3), start=days, length=days)
def test_range_sums_from_monthly_balances_equal_the_lines(
    store: Store, team: Team, batch: list[EntryCreate], start: date, length: date
) -> None:
    end = start + (length - START)
    with store.write() as session:
        for data in batch:
            service.post_entry(session, team.clerk, data)
        service.create_draft(session, team.clerk, batch[0])  # drafts never count
    with store.read() as session:
        sums = reports.sums_between(session, start, end)
        chart = service.load_chart(session)
    got = {chart.accounts[i].code: d - c for i, (d, c) in sums.items() if d - c}
    assert got == _expected(store, start, end)


def test_previous_range() -> None:
    assert reports.previous_range(date(2026, 11, 1), date(2026, 11, 30)) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
    )
    assert reports.previous_range(date(2026, 1, 1), date(2026, 3, 31)) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )
    assert reports.previous_range(date(2026, 3, 5), date(2026, 3, 14)) == (
        date(2026, 2, 23),
        date(2026, 3, 4),
    )
