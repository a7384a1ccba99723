"""Finance use cases that both faces call: an account's balance, who may reopen a period,
and the posting rules the single-entry ledger and the bulk import share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied
from bo_console.core.money import Currency, base_currency
from bo_console.core.security import Actor
from bo_console.finance import ledger, service, sources
from tests.unit.finance.conftest import Poster, Team, sale


def _node(nodes: list[sources.AccountNode], code: str) -> sources.AccountNode:
    for node in nodes:
        if node.code == code:
            return node
        try:
            return _node(node.children, code)
        except LookupError:
            continue
    raise LookupError(code)


def test_a_groups_balance_is_the_same_in_the_service_and_the_chart_tree(
    store: Store, team: Team, post: Poster
) -> None:
    post(date(2026, 1, 5), *sale(10000))  # 1110 + 115.00
    post(date(2026, 1, 6), ("1150", 5000, 0), ("1110", 0, 5000))  # 1110 -> petty cash 1150
    post(date(2026, 2, 1), ("6200", 2000, 0), ("1150", 0, 2000))
    with store.read() as session:
        jan = date(2026, 1, 31)
        group = service.account_balance(session, team.clerk, "1100", as_of=jan)
        own = service.account_balance(session, team.clerk, "1100", as_of=jan, rollup=False)
        bank = service.account_balance(session, team.clerk, "1110", as_of=jan)
        later = service.account_balance(session, team.clerk, "1100", as_of=date(2026, 2, 28))
        tree, _ = sources.account_tree(session, team.clerk, jan)
    assert (group, own, bank, later) == (
        Decimal("115.00"),
        Decimal("0.00"),
        Decimal("65.00"),
        Decimal("95.00"),
    )
    assert _node(tree, "1100").total == group and _node(tree, "1110").own == bank


def test_a_balance_needs_finance_read(
    store: Store, team: Team, make_user: Callable[..., Actor]
) -> None:
    outsider = make_user("sara", "hr-manager")
    with store.read() as session, pytest.raises(PermissionDenied, match="finance.read"):
        service.account_balance(session, outsider, "1100", as_of=date(2026, 1, 31))


def test_who_may_reopen_a_period_is_decided_once(store: Store, team: Team) -> None:
    assert service.can_reopen_periods(team.admin)
    assert not service.can_reopen_periods(team.manager)
    refusal = service.reopen_refusal(team.manager)
    assert refusal is not None and "only an admin" in refusal
    with store.write() as session:
        service.close_period(session, team.manager, "2026-03")
    with store.write() as session, pytest.raises(PermissionDenied) as denied:
        service.reopen_period(session, team.manager, "2026-03")
    assert denied.value.message == refusal


def test_the_totals_rules() -> None:
    sar = Currency("SAR", 2)
    assert ledger.totals_problem(100, 100, sar) is None
    unbalanced = ledger.totals_problem(1000, 900, sar)
    assert unbalanced is not None and unbalanced.kind == "unbalanced"
    assert unbalanced.message == "debits (10.00) do not equal credits (9.00); difference 1.00"
    empty = ledger.totals_problem(0, 0, sar)
    assert empty is not None and empty.kind == "empty"
    big = ledger.totals_problem(ledger.MAX_AMOUNT + 1, ledger.MAX_AMOUNT + 1, sar)
    assert big is not None and big.kind == "too_large" and "too large" in big.message


def test_entry_numbers_continue_the_books_per_year(store: Store, post: Poster) -> None:
    post(date(2026, 1, 5), *sale(100))
    post(date(2026, 1, 6), *sale(100))
    with store.read() as session:
        numbers = ledger.EntryNumbers(session)
        assert [numbers.next(2026), numbers.next(2026), numbers.next(2025)] == [3, 4, 1]
        assert base_currency(session).exponent == 2


def test_one_journal_query_for_both_faces(store: Store, team: Team, post: Poster) -> None:
    """``list_entries`` (the CLI) filters as the journal tab does: a group account includes
    the accounts under it; the text is an entry number, a draft id or words in the memo."""
    post(date(2026, 1, 5), *sale(10000), memo="cash sale")
    post(date(2026, 1, 6), ("1150", 5000, 0), ("1110", 0, 5000), memo="top up petty cash")
    post(date(2026, 2, 1), ("6200", 2000, 0), ("3100", 0, 2000), memo="February rent")
    Filter = service.EntryFilter

    def refs(flt: service.EntryFilter) -> list[str]:
        with store.read() as session:
            return [r.ref for r in service.list_entries(session, team.clerk, flt)]

    assert refs(Filter(account="1100")) == ["2026-000002", "2026-000001"]
    assert refs(Filter(account="1150")) == ["2026-000002"]
    assert refs(Filter(text="2026-000003")) == ["2026-000003"]
    assert refs(Filter(text="rent")) == ["2026-000003"]
    assert refs(Filter(text="petty")) == ["2026-000002"]
    assert refs(Filter(date_from=date(2026, 1, 6), date_to=date(2026, 1, 31))) == ["2026-000002"]
    assert refs(Filter(limit=1)) == ["2026-000003"]
