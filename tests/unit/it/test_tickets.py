"""Helpdesk rules: who sees and works what, the status flow, SLA due times on the working
calendar, escalation once per breach, and closing by itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bo_console.core import inbox
from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.it import common, service
from bo_console.it import moment as moment_module
from bo_console.it.calendar import WorkCalendar
from tests.unit.it.conftest import IT
from tests.unit.it.factories import ticket

THURSDAY_2PM_RIYADH = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(moment_module, "utcnow", lambda: moment)


def test_anyone_raises_a_ticket_and_sees_only_their_own(it: IT) -> None:
    mine = ticket(it)
    other = ticket(it, it.auditor, subject="Screen flickers")
    with it.store.read() as session:
        rows = service.list_tickets(session, it.requester, service.TicketFilter())
        assert [r.ref for r in rows] == [mine]
        assert {r.ref for r in service.list_tickets(session, it.clerk, service.TicketFilter())} == {
            mine,
            other,
        }
        with pytest.raises(PermissionDenied, match="not yours"):
            service.get_ticket(session, it.requester, other)


def test_a_ticket_is_worked_resolved_and_confirmed(it: IT) -> None:
    ref = ticket(it)
    with it.store.write() as session:
        view = service.assign(session, it.clerk, ref)
        assert (view.row.status, view.row.assignee) == ("assigned", "khalid")
        assert view.first_response_at is not None
        service.start(session, it.clerk, ref)
        service.comment(session, it.clerk, ref, "Checked the driver", internal=True)
        with pytest.raises(ValidationFailed, match="note"):
            service.resolve(session, it.clerk, ref, "  ")
        service.resolve(session, it.clerk, ref, "Replaced the fuser")
    with it.store.read() as session:
        seen = service.get_ticket(session, it.requester, ref)
        assert seen.row.status == "resolved"
        assert seen.resolution_note == "Replaced the fuser"
        assert [c.text for c in seen.comments] == []  # internal comments are IT's
        assert [e.action for e in seen.history] == ["new", "assigned", "in_progress", "resolved"]
    with it.store.write() as session:
        assert service.close(session, it.requester, ref).row.status == "closed"
        with pytest.raises(RuleViolation, match="closed"):
            service.reopen(session, it.requester, ref, "again")


def test_working_a_ticket_needs_it_write_and_assigning_others_it_manage(it: IT) -> None:
    ref = ticket(it)
    with it.store.write() as session:
        with pytest.raises(PermissionDenied, match="it.write"):
            service.start(session, it.requester, ref)
        with pytest.raises(PermissionDenied, match="it.manage"):
            service.assign(session, it.clerk, ref, "james")
        with pytest.raises(PermissionDenied):
            service.assign(session, it.auditor, ref)
        with pytest.raises(RuleViolation, match="cannot work tickets"):
            service.assign(session, it.manager, ref, "omar")
        assert service.assign(session, it.manager, ref, "khalid").row.assignee == "khalid"


def test_the_requester_answers_a_waiting_ticket_and_may_reopen_within_the_window(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = ticket(it)
    with it.store.write() as session:
        service.wait(session, it.clerk, ref, "Which floor?")
        assert service.comment(session, it.requester, ref, "Third").row.status == "in_progress"
        service.resolve(session, it.clerk, ref, "Cleared the jam")
        assert service.reopen(session, it.requester, ref, "Jams again").row.status == "reopened"
        service.resolve(session, it.clerk, ref, "New roller")
    _at(monkeypatch, common.now() + timedelta(days=8))
    with it.store.write() as session, pytest.raises(RuleViolation, match="within 7 days"):
        service.reopen(session, it.requester, ref, "still")


def test_p1_opened_thursday_afternoon_is_due_after_the_weekend(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, THURSDAY_2PM_RIYADH)
    ref = ticket(it, priority="P1")
    with it.store.read() as session:
        view = service.get_ticket(session, it.clerk, ref)
    assert view.response_due == datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # Thu 15:00
    assert view.row.resolution_due == datetime(2026, 12, 6, 7, 0, tzinfo=UTC)  # Sun 10:00


def test_a_holiday_is_not_a_working_day() -> None:
    calendar = WorkCalendar(holidays=frozenset({date(2026, 12, 6)}))
    due = calendar.add(THURSDAY_2PM_RIYADH, 240)
    assert due == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 10:00
    assert calendar.between(THURSDAY_2PM_RIYADH, due) == 240


def test_breaches_show_in_the_list_and_escalate_once_to_the_it_manager(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, THURSDAY_2PM_RIYADH)
    late = ticket(it, priority="P1")
    calm = ticket(it, priority="P4")
    _at(monkeypatch, datetime(2026, 12, 6, 6, 30, tzinfo=UTC))  # Sun 09:30, 30 min left
    with it.store.read() as session:
        states = {
            r.ref: r.sla for r in service.list_tickets(session, it.clerk, service.TicketFilter())
        }
    assert states == {late: "breached", calm: "ok"}  # its response was due Thursday
    _at(monkeypatch, datetime(2026, 12, 6, 8, 0, tzinfo=UTC))
    with it.store.write() as session:
        first = service.escalate(session, it.manager)
    assert sorted(first.breaches) == [f"{late} resolution", f"{late} response"]
    with it.store.write() as session:
        assert service.escalate(session, it.manager).breaches == []
        items = inbox.list_items(session, it.manager, dept="it")
    breaches = [i for i in items if i.kind == "sla-breach"]
    assert len(breaches) == 2 and all(i.assignee_id == it.manager.user_id for i in breaches)
    with it.store.read() as session:
        breached = service.list_tickets(session, it.clerk, service.TicketFilter(sla="breached"))
    assert [r.ref for r in breached] == [late]


def test_near_breach_shows_in_the_list(it: IT, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, THURSDAY_2PM_RIYADH)
    ref = ticket(it, priority="P2")  # 2 h response, 8 h resolution
    with it.store.write() as session:
        service.assign(session, it.clerk, ref)
    _at(monkeypatch, datetime(2026, 12, 6, 10, 0, tzinfo=UTC))  # Sun 13:00: 1 h of 8 left
    with it.store.read() as session:
        rows = service.list_tickets(session, it.clerk, service.TicketFilter(sla="near"))
    assert [(r.ref, r.sla) for r in rows] == [(ref, "near")]


def test_resolved_tickets_close_themselves_after_the_reopen_window(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = ticket(it)
    with it.store.write() as session:
        service.resolve(session, it.clerk, ref, "Done")
    with it.store.write() as session:
        assert service.escalate(session, it.manager).closed == []
    _at(monkeypatch, common.now() + timedelta(days=8))
    with it.store.write() as session:
        assert service.escalate(session, it.manager).closed == [ref]
        assert service.get_ticket(session, it.requester, ref).row.status == "closed"


def test_escalation_needs_it_manage(it: IT) -> None:
    with it.store.write() as session, pytest.raises(PermissionDenied, match="it.manage"):
        service.escalate(session, it.clerk)


def test_bad_ticket_input_is_a_clear_refusal(it: IT) -> None:
    with it.store.write() as session:
        with pytest.raises(ValidationFailed, match="priority must be one of"):
            service.raise_ticket(
                session,
                it.requester,
                service.TicketCreate.model_construct(subject="x", priority="P9"),
            )
        with pytest.raises(PermissionDenied, match="behalf"):
            service.raise_ticket(
                session, it.requester, service.TicketCreate(subject="x", for_employee=it.ali)
            )
        view = service.raise_ticket(
            session, it.clerk, service.TicketCreate(subject="Phone", for_employee=it.ali)
        )
        assert view.employee.startswith(it.ali)


def test_a_new_priority_moves_the_due_times(it: IT) -> None:
    ref = ticket(it, priority="P4")
    with it.store.write() as session:
        before = service.get_ticket(session, it.clerk, ref).row.resolution_due
        after = service.update(session, it.clerk, ref, service.TicketUpdate(priority="P1"))
    assert after.row.resolution_due < before and after.row.priority == "P1"


def test_waiting_on_the_requester_pauses_the_resolution_clock(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, THURSDAY_2PM_RIYADH)
    ref = ticket(it, priority="P2")  # 8 working hours: due Sunday 14:00 Riyadh
    with it.store.write() as session:
        service.assign(session, it.clerk, ref)
    _at(monkeypatch, THURSDAY_2PM_RIYADH + timedelta(hours=1))  # Thu 15:00
    with it.store.write() as session:
        service.wait(session, it.clerk, ref, "Which printer is it?")
    _at(monkeypatch, datetime(2026, 12, 6, 12, 0, tzinfo=UTC))  # Sun 15:00, past the old due
    with it.store.read() as session:
        row = service.list_tickets(session, it.clerk, service.TicketFilter())[0]
        breached = service.list_tickets(session, it.clerk, service.TicketFilter(sla="breached"))
    assert (row.sla, row.resolution_due) == ("paused", datetime(2026, 12, 6, 11, 0, tzinfo=UTC))
    assert breached == []
    with it.store.write() as session:
        assert service.escalate(session, it.manager).breaches == []
        service.comment(session, it.requester, ref, "The one on the second floor")
    with it.store.read() as session:
        view = service.get_ticket(session, it.clerk, ref)
    # Paused Thu 15:00-16:00 and Sun 08:00-15:00: 480 working minutes, so Monday 14:00.
    assert view.row.resolution_due == datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
    assert (view.row.status, view.row.sla) == ("in_progress", "ok")
    assert "SLA clock paused 480 working minutes" in view.history[-1].detail


def test_a_ticket_that_breached_before_it_waited_stays_breached(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, THURSDAY_2PM_RIYADH)
    ref = ticket(it, priority="P1")  # resolution due Sunday 10:00 Riyadh
    _at(monkeypatch, datetime(2026, 12, 6, 8, 0, tzinfo=UTC))  # Sun 11:00
    with it.store.write() as session:
        service.wait(session, it.clerk, ref, "Still broken?")
    with it.store.read() as session:
        assert service.get_ticket(session, it.clerk, ref).row.sla == "breached"
    with it.store.write() as session:
        assert f"{ref} resolution" in service.escalate(session, it.manager).breaches
    _at(monkeypatch, datetime(2026, 12, 6, 10, 0, tzinfo=UTC))
    with it.store.write() as session:
        view = service.start(session, it.clerk, ref)
    assert view.row.resolution_due == datetime(2026, 12, 6, 7, 0, tzinfo=UTC)


def test_what_may_be_done_to_a_ticket_follows_its_status_and_who_asks(it: IT) -> None:
    ref = ticket(it)
    with it.store.write() as session:
        new = service.get_ticket(session, it.clerk, ref)
        assert service.ticket_actions(new, it.clerk) == {"take", "start", "resolve", "comment"}
        assert service.ticket_actions(new, it.requester) == {"comment"}
        assert service.ticket_actions(new, it.auditor) == set()
        started = service.start(session, it.clerk, ref)
        assert service.ticket_actions(started, it.clerk) == {"take", "resolve", "comment"}
        resolved = service.resolve(session, it.clerk, ref, "Replaced the fuser")
        assert service.ticket_actions(resolved, it.requester) == {"comment", "close", "reopen"}
        closed = service.close(session, it.requester, ref)
        assert service.ticket_actions(closed, it.clerk) == set()


def test_the_escalation_job_reports_progress_by_chunk_and_records_its_summary(
    it: IT, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bo_console.core import jobs
    from bo_console.it import sla

    _at(monkeypatch, THURSDAY_2PM_RIYADH)
    late = [ticket(it, priority="P1") for _ in range(3)]
    done = ticket(it)
    with it.store.write() as session:
        service.resolve(session, it.clerk, done, "Done")
    _at(monkeypatch, THURSDAY_2PM_RIYADH + timedelta(days=9))
    monkeypatch.setattr(sla, "ESCALATION_CHUNK", 2)
    heard: list[tuple[int, int]] = []
    result = service.run_escalation(
        it.store, it.manager, progress=lambda d, t: heard.append((d, t))
    )
    # Six breaches (three tickets, response and resolution) in chunks of two, then the closing.
    assert heard == [(2, 7), (4, 7), (6, 7), (7, 7)]
    assert len(result.breaches) == 6 and result.closed == [done] and late
    assert result.summary == "6 breaches escalated, 1 closed"
    heard.clear()
    again = service.run_escalation(it.store, it.manager, progress=lambda d, t: heard.append((d, t)))
    assert heard == [(1, 1)] and again.summary == "0 breaches escalated, 0 closed"
    with it.store.read() as session:
        runs = jobs.list_runs(session, it.admin, name="it.tickets.escalate")
    assert [(r.outcome, r.summary) for r in runs] == [
        ("ok", "0 breaches escalated, 0 closed"),
        ("ok", "6 breaches escalated, 1 closed"),
    ]
