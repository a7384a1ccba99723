"""Typed, linked work items: kinds and their state machines, links, escalation, digest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from bo_console.core import audit, inbox, inbox_watch
from bo_console.core.clock import today
from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.core.security import Actor
from bo_console.core.work_kinds import kind, registry


def _raise(
    store: Store,
    actor: Actor,
    *,
    kind: str = "general",
    to: str = "",
    sender: str = "front",
    links: tuple[inbox.Link, ...] = (),
    due: date | None = None,
) -> int:
    with store.write() as session:
        item = inbox.create_item(
            session,
            actor,
            from_dept=sender,
            item=inbox.NewWorkItem(
                to_dept=to, kind=kind, subject=f"a {kind} item", links=links, due_date=due
            ),
        )
        assert item.id is not None
        return item.id


def test_every_department_contributes_kinds() -> None:
    owners = {k.code: k.dept for k in registry().values()}
    assert owners["general"] is None
    assert owners["onboarding"] == "it"
    assert owners["customer-approval"] == "finance"
    assert owners["candidate"] == "hr"
    assert owners["gate-delivery"] == "logistics"


def test_kind_decides_department_and_due_date(store: Store, admin: Actor) -> None:
    item_id = _raise(store, admin, kind="invoice-copy")
    with store.read() as session:
        item = inbox.get_item(session, admin, item_id)
    assert item.to_dept == "finance"
    assert item.due_date == today() + timedelta(days=2)
    with pytest.raises(ValidationFailed, match="goes to finance, not to it"):
        _raise(store, admin, kind="invoice-copy", to="it")
    with pytest.raises(ValidationFailed, match="unknown kind 'request'"):
        _raise(store, admin, kind="request", to="it")
    with pytest.raises(ValidationFailed, match="needs a department"):
        _raise(store, admin, kind="general")


def test_customer_approval_state_machine(store: Store, admin: Actor) -> None:
    party = inbox.Link("party", "C0042")
    item_id = _raise(store, admin, kind="customer-approval", links=(party,))
    with store.write() as session:
        with pytest.raises(ValidationFailed, match="unknown status 'done' for a customer-approval"):
            inbox.move(session, admin, item_id, "done")
        inbox.assign(session, admin, item_id, admin.login)
        assert inbox.get_item(session, admin, item_id).status == "in_progress"
        assert inbox.next_states(session, admin, item_id) == ("open", "approved", "rejected")
        # Approval is finance's service's doing, not a hand move.
        with pytest.raises(RuleViolation, match="approve or reject the customer"):
            inbox.move(session, admin, item_id, "approved")
        moved = inbox.close_linked(
            session, admin, kind="customer-approval", link=party, state="approved", note="ok"
        )
        assert [i.id for i in moved] == [item_id]
        item = inbox.get_item(session, admin, item_id)
        assert item.closed_at is not None
        with pytest.raises(RuleViolation, match="goes from there to nothing"):
            inbox.move(session, admin, item_id, "open")
        with pytest.raises(RuleViolation, match="only open items"):
            inbox.assign(session, admin, item_id, admin.login)
    with store.read() as session:
        assert inbox.list_items(session, admin, dept="finance") == []
        assert [i.id for i in inbox.list_items(session, admin, status="approved")] == [item_id]
        assert [i.id for i in inbox.list_items(session, admin, status="closed")] == [item_id]


def test_standard_kind_reopens(store: Store, admin: Actor) -> None:
    item_id = _raise(store, admin, to="it")
    with store.write() as session:
        inbox.move(session, admin, item_id, "done")
        with pytest.raises(RuleViolation, match="to open, not to cancelled"):
            inbox.move(session, admin, item_id, "cancelled")
        inbox.move(session, admin, item_id, "open")
        assert inbox.get_item(session, admin, item_id).closed_at is None


def test_links_and_the_open_items_of_a_record(
    store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    order = inbox.Link("order", "SO-2026-0001")
    first = _raise(store, admin, kind="order-followup", links=(order, inbox.Link("party", "C1")))
    second = _raise(store, admin, kind="invoice-copy", links=(order,))
    with store.write() as session:
        inbox.add_link(session, admin, second, inbox.Link.parse("document:INV-2026-0001"))
        with pytest.raises(RuleViolation, match="already linked"):
            inbox.add_link(session, admin, second, inbox.Link.parse("order:SO-2026-0001"))
        with pytest.raises(ValidationFailed, match="unknown kind of record"):
            inbox.add_link(session, admin, second, inbox.Link.parse("planet:Mars"))
        with pytest.raises(ValidationFailed, match="ENTITY:REF"):
            inbox.Link.parse("SO-1")
    logistics = make_user("maria", "logistics-clerk")
    with store.read() as session:
        assert [(x.entity, x.ref) for x in inbox.links(session, admin, first)] == [
            ("order", "SO-2026-0001"),
            ("party", "C1"),
        ]
        assert [i.id for i in inbox.items_for(session, admin, "order", "SO-2026-0001")] == [
            first,
            second,
        ]
        # Logistics reads its own inbox, not finance's.
        assert [i.id for i in inbox.items_for(session, logistics, "order", "SO-2026-0001")] == [
            first
        ]
        trail = audit.query_log(session, admin, audit.AuditFilter(entity="work_item"))
        assert any(e.action == "link" for e in trail)


def test_my_requests(store: Store, make_user: Callable[..., Actor]) -> None:
    clerk = make_user("omar", "finance-clerk")
    other = make_user("sara", "hr-clerk")
    mine = _raise(store, clerk, kind="gate-delivery", sender="finance")
    _raise(store, other, kind="gate-delivery", sender="hr")
    with store.read() as session:
        assert [i.id for i in inbox.list_items(session, clerk, raised=True)] == [mine]
        # The raiser reads the item in logistics' inbox without reading that inbox.
        assert inbox.get_item(session, clerk, mine).status == "open"
        with pytest.raises(PermissionDenied):
            inbox.list_items(session, clerk, dept="logistics")
    with store.write() as session:
        inbox.add_comment(session, clerk, mine, "Truck is still waiting")
        with pytest.raises(PermissionDenied):
            inbox.move(session, clerk, mine, "done")


def test_escalation_happens_once(
    store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    make_user("nadia", "finance-manager")
    late = _raise(store, admin, kind="invoice-copy", due=today() - timedelta(days=2))
    _raise(store, admin, kind="invoice-copy", due=today())
    no_manager = _raise(store, admin, kind="reorder", due=today() - timedelta(days=1))
    with store.write() as session:
        first = inbox_watch.escalate(session, admin)
    assert [(e.item_id, e.manager) for e in first] == [(late, "nadia"), (no_manager, None)]
    with store.write() as session:
        again = inbox_watch.escalate(session, admin)
        assert [(e.item_id, e.manager) for e in again] == [(no_manager, None)]
        item = inbox.get_item(session, admin, late)
        assert item.escalated_to == "nadia"
        notes = [c.text for c in inbox.comments(session, admin, late)]
    assert notes == [f"Overdue since {item.due_date}: escalated to nadia (finance-manager)."]


def test_escalation_needs_permission(store: Store, make_user: Callable[..., Actor]) -> None:
    manager = make_user("nadia", "finance-manager")
    with store.write() as session, pytest.raises(PermissionDenied):
        inbox_watch.escalate(session, manager)


def test_digest(store: Store, admin: Actor, make_user: Callable[..., Actor]) -> None:
    _raise(store, admin, kind="invoice-copy", due=today() - timedelta(days=1))
    _raise(store, admin, kind="customer-statement", due=today())
    hr = make_user("sara", "hr-clerk")
    with store.read() as session:
        text = inbox_watch.digest(session, admin, "finance")
        with pytest.raises(PermissionDenied):
            inbox_watch.digest(session, hr, "finance")
    assert text.startswith(f"Finance inbox, {today().isoformat()}\n")
    assert "2 open items: 1 overdue, 1 due today" in text
    assert "[Send a copy of an invoice] a invoice-copy item - open, unassigned" in text
    assert kind("customer-statement").title in text
