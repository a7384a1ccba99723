"""The shared inbox: who may send, see and work items, and what gets recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest

from bo_console.core import audit, inbox
from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.core.security import Actor


def _send(
    store: Store, actor: Actor, to: str = "it", sender: str = "hr", subject: str = "Laptop for Mona"
) -> int:
    with store.write() as session:
        item = inbox.create_item(
            session,
            actor,
            from_dept=sender,
            item=inbox.NewWorkItem(
                to_dept=to,
                kind="general",
                subject=subject,
                ref_entity="employee",
                ref_id="7",
                due_date=date(2026, 12, 1),
            ),
        )
        assert item.id is not None
        return item.id


def test_flow_between_departments(store: Store, make_user: Callable[..., Actor]) -> None:
    hr = make_user("sara", "hr-clerk")
    it = make_user("khalid", "it-clerk")
    finance = make_user("omar", "finance-clerk")
    item_id = _send(store, hr)
    with store.read() as session:
        assert [i.id for i in inbox.list_items(session, it)] == [item_id]
        assert inbox.list_items(session, finance) == []
        with pytest.raises(PermissionDenied):
            inbox.list_items(session, finance, dept="it")
        with pytest.raises(PermissionDenied):
            inbox.get_item(session, finance, item_id)
    with store.write() as session:
        inbox.assign(session, it, item_id, "khalid")
        inbox.add_comment(session, it, item_id, "  Ordered the laptop  ")
        inbox.set_status(session, it, item_id, "done", "Delivered")
    with store.read() as session:
        item = inbox.get_item(session, it, item_id)
        notes = [c.text for c in inbox.comments(session, it, item_id)]
        trail = [
            e.action
            for e in audit.query_log(
                session, make_user("aisha", "auditor"), audit.AuditFilter(entity="work_item")
            )
        ]
        assert inbox.list_items(session, it) == []
        assert [i.id for i in inbox.list_items(session, it, status="done")] == [item_id]
    assert item.status == "done" and item.closed_at is not None
    assert notes == ["Ordered the laptop", "Delivered"]
    assert trail == ["comment", "done", "comment", "assign", "create"]


def test_sender_must_work_in_the_sending_department(
    store: Store, make_user: Callable[..., Actor]
) -> None:
    finance = make_user("omar", "finance-clerk")
    auditor = make_user("aisha", "auditor")
    with pytest.raises(PermissionDenied):
        _send(store, finance, sender="hr")
    with pytest.raises(PermissionDenied):
        _send(store, auditor, sender="front")
    assert _send(store, finance, sender="finance")


def test_bad_input_is_refused(store: Store, admin: Actor) -> None:
    with pytest.raises(ValidationFailed, match="unknown department"):
        _send(store, admin, to="sales")
    with pytest.raises(ValidationFailed, match="subject"):
        _send(store, admin, subject="   ")
    with store.write() as session, pytest.raises(NotFound):
        inbox.assign(session, admin, 999, "boadmin")


def test_assignee_works_item_outside_own_department(
    store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    finance = make_user("omar", "finance-clerk")
    item_id = _send(store, admin, to="it", sender="front")
    with store.write() as session:
        inbox.assign(session, admin, item_id, "omar")
    with store.read() as session:
        assert [i.id for i in inbox.list_items(session, finance, mine=True)] == [item_id]
    with store.write() as session:
        inbox.add_comment(session, finance, item_id, "I know the vendor")
        inbox.set_status(session, finance, item_id, "done")


def test_assignment_rules(store: Store, admin: Actor, make_user: Callable[..., Actor]) -> None:
    from bo_console.core import security

    make_user("reem", "it-clerk")
    with store.write() as session:
        security.set_active(session, admin, login="reem", active=False)
    item_id = _send(store, admin, sender="front")
    with store.write() as session:
        with pytest.raises(RuleViolation, match="disabled"):
            inbox.assign(session, admin, item_id, "reem")
        inbox.set_status(session, admin, item_id, "cancelled")
        with pytest.raises(RuleViolation, match="only open items"):
            inbox.assign(session, admin, item_id, "boadmin")
        with pytest.raises(RuleViolation, match="already cancelled"):
            inbox.set_status(session, admin, item_id, "cancelled")
        inbox.set_status(session, admin, item_id, "open")
        with pytest.raises(ValidationFailed, match="comment"):
            inbox.add_comment(session, admin, item_id, " ")


WORKER = {
    "finance": "finance-clerk",
    "hr": "hr-clerk",
    "it": "it-clerk",
    "logistics": "logistics-clerk",
    "data": "data-manager",
}
OUTSIDER = {
    "finance": "hr-clerk",
    "hr": "finance-clerk",
    "it": "logistics-clerk",
    "logistics": "it-clerk",
    "data": "data-clerk",  # reads the data inbox but may not work it
}


def _trail(store: Store, admin: Actor, item_id: int) -> list[str]:
    with store.read() as session:
        rows = audit.query_log(
            session, admin, audit.AuditFilter(entity="work_item", entity_id=str(item_id))
        )
    return [e.action for e in reversed(rows)]


@pytest.mark.parametrize("dept", list(WORKER))
def test_lifecycle_and_permissions_per_department(
    store: Store, admin: Actor, make_user: Callable[..., Actor], dept: str
) -> None:
    worker = make_user("worker", WORKER[dept])
    outsider = make_user("outsider", OUTSIDER[dept])
    make_user("helper", "analyst")
    item_id = _send(store, admin, to=dept, sender="front")

    # Someone who may not work this inbox can do nothing to the item, and nothing changes.
    for attempt in (
        lambda s: inbox.assign(s, outsider, item_id, "outsider"),
        lambda s: inbox.add_comment(s, outsider, item_id, "mine now"),
        lambda s: inbox.set_status(s, outsider, item_id, "done"),
        lambda s: inbox.set_status(s, outsider, item_id, "cancelled"),
    ):
        with store.write() as session, pytest.raises(PermissionDenied):
            attempt(session)
    assert _trail(store, admin, item_id) == ["create"]

    with store.write() as session:
        inbox.assign(session, worker, item_id, "helper")
        inbox.assign(session, worker, item_id, "helper")  # the same again: no new row
        inbox.add_comment(session, worker, item_id, "Started")
        inbox.set_status(session, worker, item_id, "done")
    with store.read() as session:
        item = inbox.get_item(session, worker, item_id)
        assert (item.status, item.closed_at is not None) == ("done", True)
    with store.write() as session:
        inbox.set_status(session, worker, item_id, "open", "Not finished after all")
        reopened = inbox.get_item(session, worker, item_id)
        assert (reopened.status, reopened.closed_at) == ("open", None)
        inbox.set_status(session, worker, item_id, "cancelled")
    assert _trail(store, admin, item_id) == [
        "create",
        "assign",
        "comment",
        "done",
        "reopen",
        "comment",
        "cancelled",
    ]
    with store.read() as session:
        event = audit.query_log(session, admin, audit.AuditFilter(action="assign"))[0]
        assert json.loads(event.changes) == {
            "assignee": [None, "helper"],
            "status": ["open", "in_progress"],
        }
        assert [i.id for i in inbox.list_items(session, worker, status="cancelled")] == [item_id]
        assert inbox.list_items(session, worker) == []


def test_listing_filters(store: Store, admin: Actor, make_user: Callable[..., Actor]) -> None:
    it = make_user("khalid", "it-clerk")
    first = _send(store, admin, to="it", sender="front", subject="First")
    second = _send(store, admin, to="it", sender="front", subject="Second")
    _send(store, admin, to="hr", sender="front", subject="Elsewhere")
    with store.write() as session:
        inbox.assign(session, admin, second, "khalid")
    with store.read() as session:
        assert {i.id for i in inbox.list_items(session, it)} == {first, second}
        assert [i.id for i in inbox.list_items(session, it, mine=True)] == [second]
        assert [i.id for i in inbox.list_items(session, it, assignee="khalid")] == [second]
        assert [i.id for i in inbox.list_items(session, it, status="in_progress")] == [second]
        assert len(inbox.list_items(session, admin, status="all")) == 3
        with pytest.raises(ValidationFailed, match="unknown status"):
            inbox.list_items(session, it, status="finished")
        with pytest.raises(NotFound):
            inbox.list_items(session, it, assignee="ghost")


def test_an_unknown_assignee_or_status_changes_nothing(store: Store, admin: Actor) -> None:
    item_id = _send(store, admin, sender="front")
    with store.write() as session:
        with pytest.raises(NotFound, match="ghost"):
            inbox.assign(session, admin, item_id, "ghost")
        with pytest.raises(ValidationFailed, match="unknown status"):
            inbox.set_status(session, admin, item_id, "finished")
    assert _trail(store, admin, item_id) == ["create"]


def test_assignee_logins_and_who_an_item_may_go_to(
    store: Store, make_user: Callable[..., Actor]
) -> None:
    hr = make_user("sara", "hr-clerk")
    it = make_user("khalid", "it-clerk")
    make_user("omar", "finance-clerk")
    item_id = _send(store, hr)
    with store.write() as session:
        inbox.assign(session, it, item_id, "khalid")
    with store.read() as session:
        items = inbox.list_items(session, it)
        assert inbox.assignee_logins(session, items) == {it.user_id: "khalid"}
        assert inbox.assignee_logins(session, []) == {}
        logins = inbox.assignable_logins(session, it, item_id)
        assert {"khalid", "omar", "sara"} <= set(logins) and logins == sorted(logins)
        with pytest.raises(PermissionDenied):
            inbox.assignable_logins(session, hr, item_id)  # hr may read it, not assign it


def test_the_audit_trail_source_needs_audit_read(
    store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    source = audit.audit_source(store, make_user("aisha", "auditor"))
    assert [c.key for c in source.columns][:3] == ["id", "at", "user_login"]
    with pytest.raises(PermissionDenied):
        audit.audit_source(store, make_user("omar", "finance-clerk"))


def test_many_items_at_once_are_checked_assigned_and_audited_as_one_by_one(
    store: Store, make_user: Callable[..., Actor]
) -> None:
    it = make_user("khalid", "it-manager")
    finance = make_user("omar", "finance-clerk")
    make_user("gone", "it-clerk")
    items = [
        inbox.NewWorkItem(to_dept="it", kind="sla-breach", subject=f"Breach {n}", ref_id=str(n))
        for n in range(3)
    ]
    with store.write() as session, pytest.raises(PermissionDenied):
        inbox.create_items(session, finance, from_dept="it", items=items)
    with store.write() as session, pytest.raises(NotFound):
        inbox.create_items(session, it, from_dept="it", items=items, assignee="nobody")
    bad = [*items, inbox.NewWorkItem(to_dept="it", kind="x", subject=" ")]
    with store.write() as session, pytest.raises(ValidationFailed, match="subject"):
        inbox.create_items(session, it, from_dept="it", items=bad)
    with store.write() as session:
        made = inbox.create_items(session, it, from_dept="it", items=items, assignee="khalid")
        assert inbox.create_items(session, it, from_dept="it", items=[]) == []
    with store.read() as session:
        listed = inbox.list_items(session, it)
        trail = audit.query_log(
            session, make_user("aisha", "auditor"), audit.AuditFilter(entity="work_item")
        )
        report = audit.verify(session)
    assert sorted(i.subject for i in listed) == ["Breach 0", "Breach 1", "Breach 2"]
    assert {i.status for i in listed} == {"in_progress"}
    assert len({i.assignee_id for i in listed}) == 1 and listed[0].assignee_id is not None
    assert [e.action for e in trail] == ["assign", "create"] * 3
    assert [e.entity_id for e in trail][::2] == [str(m.id) for m in reversed(made)]
    assert report.ok


def test_rows_through_a_reader_match_the_records(
    store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    """Home reads the inbox as rows through a Reader: the same items, order and assignees as
    the records the services list, under every filter."""
    hr = make_user("sara", "hr-clerk")
    it = make_user("khalid", "it-clerk")
    first = _send(store, hr, subject="First")
    second = _send(store, hr, subject="Second")
    _send(store, hr, to="finance", subject="Third")
    with store.write() as session:
        inbox.assign(session, it, second, "khalid")
        inbox.set_status(session, it, first, "done", "")
    cases: list[tuple[Actor, dict[str, object]]] = [
        (admin, {}),
        (admin, {"status": "all"}),
        (it, {"status": "closed"}),
        (it, {"mine": True}),
        (it, {"assignee": "khalid"}),
        (hr, {"raised": True, "status": "all"}),
        (admin, {"dept": "finance"}),
        (it, {"status": "done"}),
    ]
    for actor, filters in cases:
        with store.read() as session:
            records = inbox.list_items(session, actor, **filters)  # type: ignore[arg-type]
            logins = inbox.assignee_logins(session, records)
        with store.reading() as reader:
            rows = inbox.item_rows(reader, actor, **filters)  # type: ignore[arg-type]
        assert [(r.id, r.subject, r.status, r.due_date, r.assignee) for r in rows] == [
            (i.id, i.subject, i.status, i.due_date, logins.get(i.assignee_id or 0, ""))
            for i in records
        ], filters
    with store.reading() as reader:
        assert [r.id for r in inbox.item_rows(reader, it, status="all")] == [first, second]
        with pytest.raises(NotFound):
            inbox.item_rows(reader, it, assignee="ghost")
        with pytest.raises(PermissionDenied):
            inbox.item_rows(reader, hr, dept="it")
