"""Tax rounding and payment allocation never lose or create a minor unit (hypothesis), and any
mix of invoices, bills, payments and voids keeps documents, reports and ledger in step."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import Session

from bo_console.core.db import Store
from bo_console.core.errors import BoError
from bo_console.finance import aging, documents, payments, tax
from bo_console.finance.document_checks import document_checks
from bo_console.finance.document_models import QTY_SCALE
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import add_parties, doc, pay

RATES = {"S15": 1500, "R5": 500, "R2.5": 250, "Z": 0}

nets = st.integers(min_value=0, max_value=10**11)
coded_lines = st.lists(st.tuples(st.sampled_from(sorted(RATES)), nets), min_size=1, max_size=12)


def _half_up(value: Fraction) -> int:
    """Round a non-negative exact value half up (the rule, computed another way)."""
    whole = value.numerator // value.denominator
    return whole + (1 if value - whole >= Fraction(1, 2) else 0)


@given(quantity=st.integers(min_value=1, max_value=10**9), price=st.integers(0, 10**9))
def test_a_line_net_is_quantity_times_price_rounded_half_up(quantity: int, price: int) -> None:
    exact = Fraction(quantity * price, QTY_SCALE)
    assert tax.line_net(quantity, price) == _half_up(exact)
    assert abs(tax.line_net(quantity, price) - exact) <= Fraction(1, 2)


@given(lines=coded_lines)
def test_each_line_tax_is_its_net_times_the_rate_rounded_half_up(
    lines: list[tuple[str, int]],
) -> None:
    taxes = tax.line_taxes(lines, RATES)
    assert len(taxes) == len(lines) and all(t >= 0 for t in taxes)
    for (code, net), line_tax in zip(lines, taxes, strict=True):
        assert (
            line_tax
            == tax.tax_of(net, RATES[code])
            == _half_up(Fraction(net * RATES[code], 10_000))
        )


@st.composite
def allocation_cases(draw: st.DrawFn) -> tuple[int, dict[int, int], list[tuple[int, int | None]]]:
    owed = draw(st.lists(st.integers(min_value=1, max_value=10**8), min_size=0, max_size=8))
    order = draw(st.permutations(list(range(len(owed)))))
    requests: list[tuple[int, int | None]] = []
    for key in order:
        fixed = draw(st.none() | st.integers(min_value=1, max_value=owed[key]))
        requests.append((key, fixed))
    amount = draw(st.integers(min_value=1, max_value=2 * sum(owed) + 1))
    return amount, dict(enumerate(owed)), requests


@given(case=allocation_cases())
def test_an_allocation_plan_splits_the_payment_exactly(
    case: tuple[int, dict[int, int], list[tuple[int, int | None]]],
) -> None:
    amount, owed, requests = case
    fixed = sum(f for _, f in requests if f is not None)
    try:
        plan = payments.plan_allocation(amount, owed, requests)
    except ValueError:
        assert fixed > amount  # the only way a well-formed request fails
        return
    given_amounts = dict(plan)
    on_account = amount - sum(given_amounts.values())
    assert on_account >= 0 and all(0 < a <= owed[k] for k, a in plan)
    for key, wanted in requests:
        if wanted is not None:
            assert given_amounts[key] == wanted
    open_left = [
        k for k, wanted in requests if wanted is None and given_amounts.get(k, 0) < owed[k]
    ]
    if on_account:
        assert not open_left  # money stays on account only when every open document is paid
    # Documents without an amount are paid in the order given: once one falls short,
    # the ones after it get nothing.
    free = [k for k, wanted in requests if wanted is None]
    short = [k for k in free if given_amounts.get(k, 0) < owed[k]]
    if short:
        after = free[free.index(short[0]) + 1 :]
        assert all(k not in given_amounts for k in after)


def test_plan_allocation_refuses_bad_requests() -> None:
    with pytest.raises(ValueError, match="twice"):
        payments.plan_allocation(10, {1: 5}, [(1, None), (1, None)])
    with pytest.raises(ValueError, match="owes less"):
        payments.plan_allocation(10, {1: 5}, [(1, 6)])
    with pytest.raises(ValueError, match="above zero"):
        payments.plan_allocation(10, {1: 5}, [(1, 0)])


# -- through the services -----------------------------------------------------------------------

START = date(2026, 1, 1)
days = st.integers(min_value=0, max_value=200).map(lambda n: START + timedelta(days=n))
doc_lines = st.lists(
    st.tuples(
        st.just("item"),
        st.integers(min_value=1, max_value=50_000),
        st.integers(min_value=0, max_value=5_000_000),
        st.sampled_from(["S15", "Z", "E"]),
    ),
    min_size=1,
    max_size=4,
)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("invoice"), st.sampled_from(["C1", "B1"]), days, doc_lines),
        st.tuples(st.just("bill"), st.sampled_from(["S1", "B1"]), days, doc_lines),
        st.tuples(
            st.just("pay"),
            st.sampled_from(["C1", "B1", "S1"]),
            days,
            st.integers(min_value=1, max_value=20_000_000),
        ),
        st.tuples(st.just("void"), st.integers(min_value=0, max_value=50), days, st.just(0)),
    ),
    min_size=1,
    max_size=8,
)


def _step(session: Session, team: Team, action: str, who: object, day: date, what: object) -> None:
    if action in ("invoice", "bill"):
        assert isinstance(what, list)
        doc(session, team.clerk, action, str(who), day, what)
    elif action == "pay":
        assert isinstance(what, int)
        direction = "made" if who == "S1" else "received"
        pay(session, team.clerk, what, party=str(who), day=day, direction=direction, auto=True)
    else:
        posted = session.execute(
            text(
                "SELECT id FROM fin_document WHERE kind IN ('invoice', 'bill') "
                "AND status = 'posted' ORDER BY id"
            )
        ).all()
        if posted:
            target = posted[int(str(who)) % len(posted)][0]
            documents.void_document(session, team.manager, f"#{target}", on=day)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=actions, as_of=days)
def test_documents_payments_and_reports_stay_in_step_with_the_ledger(
    store: Store, team: Team, steps: list[tuple[str, object, date, object]], as_of: date
) -> None:
    with store.write() as session:
        if not session.execute(text("SELECT count(*) FROM fin_party")).scalar_one():
            add_parties(session, team.clerk)
    for step in steps:
        try:
            with store.write() as session:
                _step(session, team, *step)
        except BoError:
            pass  # a refused step (zero total, void dated before its document) writes nothing
    with store.read() as session:
        assert all(r.ok for r in document_checks(session))
        for side, control, direction in (("receivables", "1210", 1), ("payables", "2110", -1)):
            report = aging.aged(session, team.clerk, side, as_of)
            totals = report.totals()
            ledger = session.execute(
                text(
                    "SELECT COALESCE(SUM(l.debit) - SUM(l.credit), 0) FROM fin_line l "
                    "JOIN fin_entry e ON e.id = l.entry_id JOIN fin_account a "
                    "ON a.id = l.account_id WHERE e.state <> 'draft' AND a.code = :c "
                    "AND l.date <= :d"
                ),
                {"c": control, "d": as_of},
            ).scalar_one()
            assert totals.balance == direction * int(ledger)
        month = f"{as_of.year:04d}-{as_of.month:02d}"
        vat = tax.vat_return(session, team.clerk, month)
        assert vat.ties
        assert vat.net_payable == vat.output_tax - vat.input_tax
        assert vat.output_tax == sum((r.tax for r in vat.rows if r.side == "sales"), Decimal(0))
