"""The core's read queries (users, the audit trail, job runs, a work item) give through a plain
``sqlite3`` Reader exactly what they give through a session, and what the ORM queries they
stand beside give."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from bo_console.core import audit, inbox, jobs, security
from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied
from bo_console.core.inbox_view import item_detail
from bo_console.core.security import Actor


def _stamps(store: Store) -> list[str]:
    """The audit rows' times as stored (text on SQLite)."""
    conn = sqlite3.connect(store.path or "")
    try:
        return [r[0] for r in conn.execute("SELECT at FROM audit_event ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def busy(store: Store, admin: Actor, make_user: Callable[..., Actor]) -> Actor:
    """A store with users, a work item with a link, comments and an assignee, and job runs."""
    make_user("sara", "hr-clerk", full_name="سارة العتيبي")
    make_user("khalid", "it-clerk")
    make_user("omar", "finance-clerk")
    with store.write() as session:
        item = inbox.create_item(
            session,
            admin,
            from_dept="hr",
            item=inbox.NewWorkItem(
                to_dept="it",
                subject="Laptop for Mona",
                ref_entity="employee",
                ref_id="7",
                due_date=date(2026, 12, 1),
                links=[inbox.Link("order", "SO-2026-0012")],
            ),
        )
        assert item.id == 1
        inbox.assign(session, admin, 1, "khalid")
        inbox.add_comment(session, admin, 1, "Ordered")
        inbox.add_comment(session, admin, 1, "Delivered to HR")
    for name in ("data.quality.check", "db.backup", "data.quality.check"):
        with jobs.run_job(store, admin, name, force=True) as job:
            job.summary = f"{name} done"
    return admin


def test_users_read_the_same_through_a_reader_and_a_session(store: Store, busy: Actor) -> None:
    with store.reading() as reader:
        read = security.list_users(reader, busy)
    with store.read() as session:
        assert security.list_users(session, busy) == read
    assert [u.login for u in read] == ["boadmin", "khalid", "omar", "sara"]
    sara = read[-1]
    assert sara.roles == ("hr-clerk",) and sara.active and sara.full_name == "سارة العتيبي"
    assert len(sara.created_at) == 16  # YYYY-MM-DD HH:MM


def test_listing_users_needs_a_permission(store: Store, busy: Actor) -> None:
    omar = _actor(store, "omar")
    with store.reading() as reader, pytest.raises(PermissionDenied):
        security.list_users(reader, omar)


def _actor(store: Store, login: str) -> Actor:
    with store.reading() as reader:
        return security.sign_in(reader, security.Identity(login, "test"))


def test_the_log_matches_the_orm_query_for_every_filter(store: Store, busy: Actor) -> None:
    stamps = _stamps(store)
    middle = datetime.fromisoformat(stamps[len(stamps) // 2]).replace(tzinfo=UTC)
    filters = [
        audit.AuditFilter(),
        audit.AuditFilter(limit=None),
        audit.AuditFilter(limit=3),
        audit.AuditFilter(user="boadmin", entity="work_item"),
        audit.AuditFilter(entity="user", entity_id="sara"),
        audit.AuditFilter(action="comment"),
        # A stored time itself, to the microsecond: >= takes it, < leaves it.
        audit.AuditFilter(since=middle),
        audit.AuditFilter(until=middle),
        audit.AuditFilter(since=datetime(2000, 1, 1, tzinfo=UTC), until=middle, limit=2),
        audit.AuditFilter(until=datetime(2000, 1, 1, tzinfo=UTC)),
    ]
    for flt in filters:
        with store.read() as session:
            expected = [
                (e.id, e.at, e.user_login, e.action, e.entity_id, e.changes)
                for e in audit.query_log(session, busy, flt)
            ]
            through_session = audit.log_rows(session, busy, flt)
        with store.reading() as reader:
            rows = audit.log_rows(reader, busy, flt)
        assert rows == through_session, flt
        assert [(r.id, r.at, r.user_login, r.action, r.entity_id, r.changes) for r in rows] == (
            expected
        ), flt
    with store.reading() as reader:
        assert len(audit.log_rows(reader, busy, audit.AuditFilter(since=middle))) == (
            len(stamps) - len(stamps) // 2
        )


def test_the_log_needs_audit_read(store: Store, busy: Actor) -> None:
    with store.reading() as reader, pytest.raises(PermissionDenied):
        audit.log_rows(reader, _actor(store, "omar"), audit.AuditFilter())


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("", None),
        ("UPDATE audit_event SET changes = '{}' WHERE id = 3", "row 3 was modified"),
        ("UPDATE audit_event SET at = at || ' ' WHERE id = 4", "row 4 was modified"),
        ("DELETE FROM audit_event WHERE id = 2", "row 2 is missing"),
        ("DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)", "were deleted"),
    ],
)
def test_the_chain_walk_is_the_same_through_a_reader(
    store: Store, busy: Actor, tamper: str, problem: str | None
) -> None:
    if tamper:
        conn = sqlite3.connect(store.path or "")
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("DROP TRIGGER audit_event_no_delete")
        conn.execute(tamper)
        conn.commit()
        conn.close()
    with store.read() as session:
        expected = audit.verify(session)
    with store.reading() as reader:
        report = audit.verify_chain(reader, busy)
        anchored = audit.verify(reader, (report.head_id, "0" * 64))
    assert report == expected
    assert (report.problem is None) if problem is None else (problem in (report.problem or ""))
    if problem is None:
        assert anchored.problem == f"row {report.head_id} differs from the anchor"


def test_job_runs_match_the_orm_list(store: Store, busy: Actor) -> None:
    for name, limit in ((None, 200), ("data.quality.check", 200), (None, 2), ("nothing", 5)):
        with store.read() as session:
            expected = [
                (r.id, r.name, r.key, r.user_login, r.started_at, r.ended_at, r.outcome, r.summary)
                for r in jobs.list_runs(session, busy, name=name, limit=limit)
            ]
            through_session = jobs.run_rows(session, busy, name=name, limit=limit)
        with store.reading() as reader:
            rows = jobs.run_rows(reader, busy, name=name, limit=limit)
        assert rows == through_session
        assert [tuple(vars(r).values()) for r in rows] == expected
    assert [r.name for r in rows] == []
    with store.reading() as reader, pytest.raises(PermissionDenied):
        jobs.run_rows(reader, _actor(store, "omar"))


def test_a_work_item_reads_as_the_orm_shows_it(store: Store, busy: Actor) -> None:
    khalid = _actor(store, "khalid")
    with store.reading() as reader:
        detail = item_detail(reader, khalid, 1)
    with store.read() as session:
        assert item_detail(session, khalid, 1) == detail
        item = inbox.get_item(session, khalid, 1)
        notes = inbox.comments(session, khalid, 1)
        links = inbox.links(session, khalid, 1)
        moves = inbox.next_states(session, khalid, 1)
    assert (detail.status, detail.assignee, detail.due_date) == (
        item.status,
        "khalid",
        item.due_date,
    )
    assert (detail.created_at, detail.body, detail.ref) == (
        item.created_at,
        item.body,
        "employee:7",
    )
    assert detail.links == tuple(f"{x.entity}:{x.ref}" for x in links)
    assert detail.links == ("employee:7", "order:SO-2026-0012")
    assert [(c.at, c.author, c.text) for c in detail.comments] == [
        (c.at, c.author, c.text) for c in notes
    ]
    assert detail.next_states == moves and moves
    assert detail.kind_title == inbox.item_kind(item).title


def test_a_work_item_is_refused_as_get_item_refuses_it(store: Store, busy: Actor) -> None:
    sara = _actor(store, "sara")  # hr-clerk: may not read the IT inbox
    omar = _actor(store, "omar")
    with store.reading() as reader:
        with pytest.raises(NotFound, match="no work item 99"):
            item_detail(reader, busy, 99)
        with pytest.raises(PermissionDenied, match="read the it inbox"):
            item_detail(reader, omar, 1)
        # Someone who may read but not work it sees no next states.
        auditor_view = item_detail(reader, busy, 1)
    assert auditor_view.next_states
    with store.write() as session:
        security.grant_role(session, busy, login="sara", role="auditor")
    sara = _actor(store, "sara")
    with store.reading() as reader:
        assert item_detail(reader, sara, 1).next_states == ()


def test_inbox_rows_carry_the_first_reference(store: Store, busy: Actor) -> None:
    with store.reading() as reader:
        rows = inbox.item_rows(reader, busy)
    assert [(r.id, r.ref, r.assignee) for r in rows] == [(1, "employee:7", "khalid")]


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 5, 9, 39, 38, 714509),
        datetime(2026, 1, 1),
        datetime(1000, 2, 3, 4, 5, 6, 7),
        datetime(9999, 12, 31, 23, 59, 59, 999999),
    ],
)
def test_the_chain_walk_stamps_a_stored_time_as_the_writer_hashed_it(moment: datetime) -> None:
    from bo_console.core.audit_reads import _stamp_of

    stored = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    assert _stamp_of(stored) == audit._stamp(moment.replace(tzinfo=UTC))


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-05 09:39:38",
        "2026-12-05T09:39:38.714509",
        "2026-12-05 09:39:38.714509+00:00",
        "2026-12-05 09:39:38.7145",
        "2026-13-05 09:39:38.714509",
        "0999-12-05 09:39:38.714509",
        " 2026-12-05 09:39:38.714509",
    ],
)
def test_a_time_not_as_the_program_writes_it_is_refused(text: str) -> None:
    from bo_console.core.audit_reads import _stamp_of

    with pytest.raises(ValueError):
        _stamp_of(text)


def test_db_check_reports_a_check_the_database_cannot_answer(store: Store, admin: Actor) -> None:
    """A database error inside a check (raised by sqlite3 through the Reader) ends the
    checks with one "readable" failure naming the cause, as it did through a session."""
    from bo_console import departments

    conn = sqlite3.connect(store.path or "")
    conn.execute("DROP TABLE fin_balance")
    conn.commit()
    conn.close()
    results = departments.check_store(store, admin)
    assert results[-1].name == "readable" and not results[-1].ok
    assert results[-1].detail == "the database cannot be read: no such table: fin_balance"
    assert [r.name for r in results][:3] == ["integrity_check", "foreign_key_check", "audit chain"]
