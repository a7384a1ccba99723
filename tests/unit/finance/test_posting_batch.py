"""A posting batch: the services read what postings share once per batch, with the same
numbers and refusals as one posting at a time."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bo_console.core.db import Store
from bo_console.core.errors import RuleViolation
from bo_console.finance import cost_centres, service
from bo_console.finance.checks import ledger_checks
from bo_console.finance.cost_centre_models import CostCentreCreate
from bo_console.finance.document_checks import document_checks
from bo_console.finance.ledger.batch import current, posting_batch
from bo_console.finance.models import EntryCreate, LineCreate
from tests.unit.finance.conftest import Poster, Team, entry, sale
from tests.unit.finance.documents_helpers import add_parties, doc, pay

D = date(2026, 3, 10)


def _problems(store: Store) -> list[str]:
    with store.read() as session:
        checks = [*ledger_checks(session), *document_checks(session)]
    return [f"{c.name}: {c.detail}" for c in checks if not c.ok]


def test_documents_payments_and_entries_number_on_from_the_books(
    store: Store, team: Team, post: Poster
) -> None:
    with store.write() as session:
        add_parties(session, team.clerk)
        first = doc(session, team.clerk)
    post(D, *sale(100))
    with store.write() as session, posting_batch(session) as batch:
        invoices = [doc(session, team.clerk, day=D) for _ in range(2)]
        receipt = pay(session, team.clerk, invoices[0].total, (invoices[0].ref, None))
        reversal = service.reverse_entry(session, team.manager, "2026-000002", on=D)
        manual = service.post_entry(session, team.clerk, entry(D, *sale(200)))
        assert batch.parties and batch.controls is not None  # read once, kept
        numbers = [d.ref for d in invoices], receipt.number, reversal.ref, manual.ref
    assert first.ref == "INV-2026-00001"
    assert numbers == (
        ["INV-2026-00002", "INV-2026-00003"],
        "RCPT-2026-00001",
        "2026-000006",  # entries 3 and 4 are the invoices', 5 the receipt's
        "2026-000007",
    )
    assert _problems(store) == []


def test_a_month_closed_in_a_batch_takes_no_more_postings(store: Store, team: Team) -> None:
    with store.write() as session, posting_batch(session):
        service.post_entry(session, team.clerk, entry(date(2026, 2, 3), *sale(100)))
        service.close_period(session, team.manager, "2026-02", after_close=False)
        with pytest.raises(RuleViolation, match="2026-02 is closed"):
            service.post_entry(session, team.clerk, entry(date(2026, 2, 4), *sale(100)))


def test_a_cost_centre_deactivated_in_a_batch_is_refused(store: Store, team: Team) -> None:
    def with_centre() -> EntryCreate:
        return EntryCreate(
            date=D,
            memo="repairs",
            lines=[
                LineCreate(account="6200", debit=700, cost_centre="OPS"),
                LineCreate(account="1110", credit=700),
            ],
        )

    with store.write() as session, posting_batch(session):
        cost_centres.add_cost_centre(
            session,
            team.manager,
            CostCentreCreate(code="OPS", name="Operations", department="Logistics"),
        )
        service.post_entry(session, team.clerk, with_centre())
        cost_centres.update_cost_centre(session, team.manager, "OPS", active=False)
        with pytest.raises(RuleViolation, match="OPS is inactive"):
            service.post_entry(session, team.clerk, with_centre())


def test_a_savepoint_rolled_back_in_a_batch_leaves_no_gap(store: Store, team: Team) -> None:
    with store.write() as session, posting_batch(session):
        service.post_entry(session, team.clerk, entry(D, *sale(100)))
        savepoint = session.begin_nested()
        service.post_entry(session, team.clerk, entry(D, *sale(200)))
        savepoint.rollback()
        last = service.post_entry(session, team.clerk, entry(D, *sale(300)))
    assert last.ref == "2026-000002"
    with store.read() as session:
        numbers = session.execute(text("SELECT number FROM fin_entry ORDER BY id")).all()
    assert [n[0] for n in numbers] == [1, 2]
    assert _problems(store) == []


def test_a_batch_ends_with_its_block(store: Store) -> None:
    with store.write() as session:
        with posting_batch(session) as batch, posting_batch(session) as inner:
            assert inner is batch  # an inner block joins the open batch
        assert current(session) is None
