"""What a record may do next is decided by the services (the screens only show it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bo_console.core.security import Actor
from bo_console.finance.documents import DocumentRow, DocumentView, document_actions, owes
from bo_console.finance.ledger import EntryView, entry_actions
from bo_console.finance.payments import PaymentRow, PaymentView, payment_actions

NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
DAY = date(2026, 11, 3)


def actor(*permissions: str) -> Actor:
    return Actor(
        user_id=1,
        login="sara",
        full_name="Sara",
        os_user="sara",
        origin="local",
        roles=(),
        permissions=frozenset(permissions),
    )


CLERK = actor("finance.read", "finance.post")
MANAGER = actor("finance.read", "finance.post", "finance.manage")
READER = actor("finance.read")


def document(
    status: str, *, kind: str = "invoice", open_: str = "115", entry: str = ""
) -> DocumentView:
    row = DocumentRow(
        id=1,
        ref="INV-2026-00001",
        kind=kind,
        date=DAY,
        due_date=DAY,
        party="C001",
        party_name="Najd Trading",
        reference="",
        status=status,
        net=Decimal(100),
        tax=Decimal(15),
        total=Decimal(115),
        paid=Decimal(115) - Decimal(open_),
        open=Decimal(open_),
    )
    return DocumentView(
        row=row,
        memo="",
        entry=entry,
        voids="",
        voided_by="",
        created_by="sara",
        created_at=NOW,
        posted_by="",
        posted_at=None,
        lines=(),
        allocations=(),
    )


@pytest.mark.parametrize(
    ("who", "view", "expected"),
    [
        (CLERK, document("draft"), {"post", "delete"}),
        (READER, document("draft"), set()),
        (CLERK, document("posted", entry="JE-1"), {"pay", "entry"}),
        (MANAGER, document("posted", entry="JE-1"), {"pay", "void", "entry"}),
        (MANAGER, document("partly_paid", open_="15", entry="JE-1"), {"pay", "entry"}),
        (MANAGER, document("paid", open_="0", entry="JE-1"), {"entry"}),
        (MANAGER, document("posted", kind="credit_note", entry="JE-1"), {"pay", "entry"}),
        (READER, document("posted", entry="JE-1"), {"entry"}),
    ],
)
def test_document_actions(who: Actor, view: DocumentView, expected: set[str]) -> None:
    assert document_actions(who, view) == expected


def test_owes_only_posted_documents_with_something_open() -> None:
    assert owes(document("posted").row)
    assert owes(document("partly_paid", open_="1").row)
    assert not owes(document("posted", open_="0").row)
    assert not owes(document("draft").row)
    assert not owes(document("void").row)


def entry(
    state: str, *, source: str = "manual", source_ref: str = "", reverses: str = ""
) -> EntryView:
    return EntryView(
        id=1,
        ref="JE-2026-00001",
        date=DAY,
        memo="",
        source=source,
        source_ref=source_ref,
        state=state,
        total=Decimal(10),
        reverses=reverses,
        reversed_by="",
        created_by="sara",
        created_at=NOW,
        posted_by="",
        posted_at=None,
        lines=(),
    )


@pytest.mark.parametrize(
    ("who", "view", "expected"),
    [
        (CLERK, entry("draft"), {"post", "edit", "delete"}),
        (READER, entry("draft"), set()),
        (CLERK, entry("posted"), {"reverse"}),
        (CLERK, entry("posted", source="invoice", source_ref="INV-1"), {"source"}),
        (CLERK, entry("posted", source="reversal", reverses="JE-0"), {"reverse", "open"}),
        (READER, entry("posted", source="payroll", source_ref="2026-11"), {"source"}),
        (READER, entry("posted", source="invoice"), set()),
    ],
)
def test_entry_actions(who: Actor, view: EntryView, expected: set[str]) -> None:
    assert entry_actions(who, view) == expected


def payment(status: str, unallocated: str) -> PaymentView:
    row = PaymentRow(
        id=1,
        number="RCPT-2026-00001",
        direction="received",
        date=DAY,
        party="C001",
        party_name="Najd Trading",
        account="1100",
        reference="",
        status=status,
        amount=Decimal(100),
        allocated=Decimal(100) - Decimal(unallocated),
        unallocated=Decimal(unallocated),
    )
    return PaymentView(
        row=row,
        memo="",
        entry="JE-1",
        void_entry="",
        void_date=None,
        created_by="sara",
        created_at=NOW,
        voided_by="",
    )


def test_payment_actions() -> None:
    assert payment_actions(CLERK, payment("posted", "40")) == {"entry", "allocate"}
    assert payment_actions(CLERK, payment("posted", "0")) == {"entry"}
    assert payment_actions(MANAGER, payment("posted", "0")) == {"entry", "void"}
    assert payment_actions(MANAGER, payment("void", "0")) == {"entry"}
    assert payment_actions(READER, payment("posted", "40")) == {"entry"}


def test_bank_line_actions() -> None:
    from bo_console.finance.bank import LineView, line_actions

    line = LineView(
        id=1,
        bank="RAJHI",
        date=DAY,
        amount=Decimal(5),
        text="fee",
        reference="",
        status="open",
        entry="",
    )
    assert line_actions(CLERK, line) == {"reconcile"}
    assert line_actions(READER, line) == set()
    done = LineView(**{**line.__dict__, "status": "reconciled", "entry": "JE-1"})
    assert line_actions(CLERK, done) == set()


def test_period_actions() -> None:
    from bo_console.finance.ledger import PeriodView, period_actions

    month = PeriodView("2026-10", "open", posted=3, drafts=0, changed_by="", changed_at=None)
    closed = PeriodView("2026-09", "closed", posted=3, drafts=0, changed_by="", changed_at=None)
    admin = replace(MANAGER, roles=("admin",))
    assert period_actions(MANAGER, month) == {"close"}
    assert period_actions(CLERK, month) == set()
    assert period_actions(MANAGER, closed) == set()
    assert period_actions(admin, closed) == {"reopen"}
