"""The read services give the same answers through a Reader as through a session: on SQLite
the Reader is a read-only sqlite3 connection, on PostgreSQL a session wrapped as a Reader."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bo_console.core import security
from bo_console.core.db import Store
from bo_console.core.reading import Reads, SessionReader, SqliteReader
from bo_console.core.security import Identity
from bo_console.finance import (
    accounts,
    aging,
    cashflow,
    cost_centres,
    parties,
    reports,
    tax,
)
from tests.conftest import ADMIN_LOGIN
from tests.unit.finance.conftest import Poster, Team, sale
from tests.unit.finance.documents_helpers import add_parties, doc, pay

DAY = date(2026, 3, 31)


def _answers(db: Reads, team: Team) -> list[Any]:
    who = team.auditor
    return [
        reports.trial_balance(db, who, DAY, include_zero=True),
        reports.trial_balance(db, who, date(2026, 3, 14)),
        reports.income_statement(db, who, date(2026, 3, 1), DAY, compare=True),
        reports.income_statement(db, who, date(2026, 3, 3), date(2026, 3, 29)),
        reports.balance_sheet(db, who, DAY),
        reports.general_ledger(db, who, "1100", date(2026, 3, 1), DAY),
        accounts.list_accounts(db, who, search="bank"),
        accounts.get_account(db, who, "1110"),
        accounts.account_balance(db, who, "1000", as_of=DAY),
        tax.vat_return(db, who, "2026-03"),
        aging.aged(db, who, "receivables", DAY, detail=True),
        aging.aged(db, who, "payables", DAY),
        cashflow.cash_flow(db, who, date(2026, 3, 1), DAY),
        cashflow.cash_flow_classes(db, who),
        cost_centres.list_cost_centres(db, who),
        cost_centres.list_cost_centres(db, who, include_inactive=False),
        tax.list_tax_codes(db, who),
        parties.list_parties(db, who),
        parties.list_parties(db, who, search="الخليج", role="supplier", include_inactive=False),
        parties.list_parties(db, who, role="customer", limit=2),
    ]


@pytest.mark.both_stores
def test_read_services_answer_the_same_through_a_reader(
    store: Store, backend: str, team: Team, post: Poster
) -> None:
    post(date(2026, 3, 2), *sale(10_000), memo="early sale")
    post(date(2026, 3, 20), *sale(4_000), memo="late sale")
    post(date(2026, 3, 25), ("6100", 2_500, 0), ("1110", 0, 2_500), memo="rent")
    with store.write() as session:
        add_parties(session, team.clerk)
        invoice = doc(session, team.clerk, "invoice", "B1")
        doc(session, team.clerk, "bill", "S1", day=date(2026, 2, 1))
        doc(session, team.clerk, "invoice", "C1", day=date(2025, 12, 1))
        pay(session, team.clerk, 10_000, (invoice.ref, None), party="B1")
    with store.reading() as reader:
        assert isinstance(reader, SqliteReader if backend == "sqlite" else SessionReader)
        fast = _answers(reader, team)
        signed_in = security.sign_in(reader, Identity(ADMIN_LOGIN, "test"))
    with store.read() as session:
        slow = _answers(session, team)
        assert security.sign_in(session, Identity(ADMIN_LOGIN, "test")) == signed_in
    assert fast == slow
    trial = fast[0]
    assert trial.balanced and trial.total_debit > 0
    ledger = fast[5]
    memos = [row.memo for row in ledger.rows]
    assert memos[:2] == ["early sale", "late sale"] and memos[-1] == "rent"
    assert memos[2].startswith("Receipt ")
    assert fast[8] == slow[8] != 0
    assert [row.code for row in fast[-3]] == ["B1", "C1", "S1"]
    assert fast[-3][0].receivable > 0 and fast[-3][2].payable > 0
    assert [row.code for row in fast[-2]] == ["S1"]
    assert fast[11].rows and fast[12].rows  # receivables and payables are open


def test_a_screen_session_sees_its_own_unflushed_work(store: Store, team: Team) -> None:
    """A read service called with a session mid-way through a unit of work reads what that
    unit has added and not yet flushed, as an ORM query would."""
    from bo_console.finance.models import AccountCreate

    with store.write() as session:
        accounts.add_account(
            session,
            team.admin,
            AccountCreate(code="1199", name="Till float", type="asset"),
            parent="1100",
        )
        found = accounts.get_account(session, team.auditor, "1199")
    assert found.full_name.endswith(":Till float")
    with store.reading() as reader:
        assert accounts.get_account(reader, team.auditor, "1199").parent == "1100"
