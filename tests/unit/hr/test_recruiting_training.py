"""Recruiting (stages, hiring hands IT the onboarding), training (capacity, certifications,
expiry for cron) and benefits (no overlapping enrollment)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select

from bo_console.core import inbox
from bo_console.core.db import Store
from bo_console.core.errors import NotFound, PermissionDenied, RuleViolation, ValidationFailed
from bo_console.hr.models import Candidate, CandidateEvent, Employee
from bo_console.hr.service import benefits, people, recruiting, training
from tests.unit.hr.factories import Staff, add_employee, iban


def _opening(store: Store, staff: Staff, headcount: int = 1) -> int:
    with store.write() as session:
        opening = recruiting.add_opening(
            session,
            staff.clerk,
            title="",
            position="ACC",
            org_unit="FIN",
            headcount=headcount,
            opened_on=date(2026, 9, 1),
        )
    assert opening.title == "Accountant"
    return opening.id or 0


def _candidate(store: Store, staff: Staff, opening: int, name: str, *stages: str) -> int:
    with store.write() as session:
        candidate = recruiting.add_candidate(
            session,
            staff.clerk,
            opening_id=opening,
            name=name,
            name_ar="منى فاروق",
            email=f"{name.lower()}@mail.example",
            applied_on=date(2026, 9, 3),
        )
        for stage in stages:
            recruiting.move_candidate(session, staff.clerk, candidate.id or 0, stage, note=stage)
    return candidate.id or 0


def test_stages_and_history(store: Store, staff: Staff) -> None:
    opening = _opening(store, staff)
    cid = _candidate(store, staff, opening, "Mona", "screening", "interview")
    with store.write() as session:
        with pytest.raises(RuleViolation, match="hire a candidate"):
            recruiting.move_candidate(session, staff.clerk, cid, "hired")
        with pytest.raises(ValidationFailed):
            recruiting.move_candidate(session, staff.clerk, cid, "promoted")
        recruiting.add_note(session, staff.clerk, cid, "strong on IFRS")
        recruiting.move_candidate(session, staff.clerk, cid, "rejected")
        with pytest.raises(RuleViolation, match="process is over"):
            recruiting.move_candidate(session, staff.clerk, cid, "offer")
    with store.read() as session:
        history = recruiting.candidate_history(session, staff.auditor, cid)
        found = recruiting.list_candidates(session, staff.auditor, search="مني فاروق")
    assert [(e.from_stage, e.to_stage) for e in history] == [
        (None, "applied"),
        ("applied", "screening"),
        ("screening", "interview"),
        (None, None),
        ("interview", "rejected"),
    ]
    assert [c["id"] for c in found] == [cid]


def test_hiring_creates_the_employee_and_asks_it_to_onboard(store: Store, staff: Staff) -> None:
    opening = _opening(store, staff)
    cid = _candidate(store, staff, opening, "Mona", "screening", "interview", "offer")
    other = _candidate(store, staff, opening, "Bandar", "screening")
    terms = people.HireTerms(base_salary=1500000, iban=iban(4))
    with store.write() as session, pytest.raises(PermissionDenied, match="hr.manage"):
        recruiting.hire_candidate(session, staff.clerk, cid, hire_date=date(2026, 12, 1))
    with store.write() as session, pytest.raises(RuleViolation, match="offer"):
        recruiting.hire_candidate(session, staff.manager, other, hire_date=date(2026, 12, 1))
    with store.write() as session:
        employee = recruiting.hire_candidate(
            session, staff.manager, cid, hire_date=date(2026, 12, 1), terms=terms
        )
    with store.read() as session:
        row = people.get_employee(session, staff.manager, employee.number)
        items = inbox.list_items(session, staff.admin, dept="it")
        candidate = session.get(Candidate, cid)
        openings = recruiting.list_openings(session, staff.clerk)
    assert (row.name, row.name_ar, row.org_unit, row.position) == (
        "Mona",
        "منى فاروق",
        "FIN",
        "Accountant",
    )
    assert row.base_salary == 1500000 and row.email == "mona@mail.example"
    assert candidate is not None and (candidate.stage, candidate.employee_id) == ("hired", 1)
    assert [(i.kind, i.ref_id, i.due_date) for i in items] == [
        ("onboarding", employee.number, date(2026, 12, 1))
    ]
    assert openings[0]["status"] == "filled" and openings[0]["hired"] == 1
    assert recruiting.open_count(openings) == 0  # a filled opening takes no one
    assert recruiting.open_count([openings[0].model_copy(update={"status": "open"})]) == 1
    with store.write() as session, pytest.raises(RuleViolation, match="no applications"):
        recruiting.add_candidate(
            session, staff.clerk, opening_id=opening, name="Late", applied_on=date(2026, 12, 2)
        )


def test_a_failed_hire_leaves_nothing(store: Store, staff: Staff) -> None:
    opening = _opening(store, staff)
    cid = _candidate(store, staff, opening, "Mona", "screening", "interview", "offer")
    with store.write() as session, pytest.raises(ValidationFailed):
        bad = people.hire_terms({"email": "not an e-mail"})
        recruiting.hire_candidate(
            session, staff.manager, cid, hire_date=date(2026, 12, 1), terms=bad
        )
    with store.read() as session:
        assert session.exec(select(Employee)).all() == []
        assert inbox.list_items(session, staff.admin, dept="it") == []
        candidate = session.get(Candidate, cid)
        assert candidate is not None and candidate.stage == "offer"
        assert len(session.exec(select(CandidateEvent)).all()) == 4


def test_training_capacity_completion_and_expiry(store: Store, staff: Staff) -> None:
    people_ = [add_employee(store, staff.manager, f"P{n}", n=n) for n in range(3)]
    with store.write() as session:
        training.add_course(
            session, staff.clerk, code="fire", title="Fire safety", hours=4, cert_months=12
        )
        row = training.add_session(
            session,
            staff.clerk,
            course="FIRE",
            starts_on=date(2025, 12, 8),
            trainer="Civil Defence",
            capacity=2,
        )
        training.enroll(session, staff.clerk, row.id or 0, people_[0])
        training.enroll(session, staff.clerk, row.id or 0, people_[1])
        assert training.places_taken(session, staff.clerk, row.id or 0) == (2, 2)
        with pytest.raises(RuleViolation, match="full"):
            training.enroll(session, staff.clerk, row.id or 0, people_[2])
        with pytest.raises(RuleViolation, match="already enrolled"):
            training.enroll(session, staff.clerk, row.id or 0, people_[0])
        cert = training.complete(
            session, staff.clerk, row.id or 0, people_[0], on=date(2025, 12, 8)
        )
        assert (
            training.complete(
                session,
                staff.clerk,
                row.id or 0,
                people_[1],
                on=date(2025, 12, 8),
                outcome="no_show",
            )
            is None
        )
    assert cert is not None and cert.expires_on == date(2026, 12, 8)
    today = date(2026, 11, 26)
    with store.read() as session:
        soon = training.expiring(session, staff.clerk, today=today, within_days=30)
        later = training.expiring(session, staff.clerk, today=today, within_days=5)
        sessions = training.list_sessions(session, staff.clerk)
    assert [(r["employee"], r["days_left"]) for r in soon] == [(people_[0], 12)]
    assert later == [] and sessions[0]["enrolled"] == 2
    with store.write() as session:
        assert training.notify_expiring(session, staff.clerk, soon) == 1
        assert training.notify_expiring(session, staff.clerk, soon) == 0
        items = inbox.list_items(session, staff.clerk, dept="hr")
    assert [i.ref_entity for i in items] == ["certification"]
    # A renewal supersedes the old certification.
    with store.write() as session:
        training.add_certification(
            session,
            staff.clerk,
            employee=people_[0],
            name="Fire safety",
            issued_on=date(2026, 11, 20),
            expires_on=date(2027, 11, 20),
        )
        assert training.expiring(session, staff.clerk, today=today, within_days=30) == []


def test_benefit_enrollments_do_not_overlap(store: Store, staff: Staff) -> None:
    number = add_employee(store, staff.manager, "One")
    with store.write() as session:
        benefits.add_plan(
            session, staff.manager, code="med", name="Medical", employee_contribution=15000
        )
        with pytest.raises(ValidationFailed, match="cash allowance"):
            benefits.add_plan(
                session, staff.manager, code="T", name="T", employee_contribution=1, cash=True
            )
        with pytest.raises(PermissionDenied):
            benefits.add_plan(session, staff.clerk, code="X", name="X")
        benefits.enroll(
            session, staff.clerk, plan="MED", employee=number, starts_on=date(2026, 1, 1)
        )
        with pytest.raises(RuleViolation, match="already in MED"):
            benefits.enroll(
                session, staff.clerk, plan="MED", employee=number, starts_on=date(2026, 6, 1)
            )
        benefits.end_enrollment(
            session, staff.clerk, plan="MED", employee=number, ends_on=date(2026, 5, 31)
        )
        benefits.enroll(
            session, staff.clerk, plan="MED", employee=number, starts_on=date(2026, 7, 1)
        )
        rows = benefits.list_enrollments(session, staff.auditor, employee=number)
        plans = benefits.list_plans(session, staff.auditor)
    assert [(r["starts_on"], r["ends_on"]) for r in rows] == [
        (date(2026, 1, 1), date(2026, 5, 31)),
        (date(2026, 7, 1), None),
    ]
    assert plans[0]["enrolled"] == 1 and str(plans[0]["employee_contribution"]) == "150.00"


def test_enroll_many_checks_as_enroll_does_and_writes_all_or_none(
    store: Store, staff: Staff
) -> None:
    one, two = add_employee(store, staff.manager, "One"), add_employee(store, staff.manager, "Two")
    with store.write() as session:
        for code in ("MED", "GYM"):
            benefits.add_plan(session, staff.manager, code=code, name=code)
        benefits.enroll(session, staff.clerk, plan="MED", employee=one, starts_on=date(2026, 1, 1))
        benefits.end_enrollment(
            session, staff.clerk, plan="MED", employee=one, ends_on=date(2026, 5, 31)
        )
    refused = [
        ([("MED", one, date(2026, 5, 1))], "already in MED from 2026-01-01"),
        # Two of the batch overlap each other: the second is refused, the first with it.
        ([("GYM", two, date(2026, 1, 1)), ("gym", two, date(2026, 3, 1))], "already in GYM"),
        ([("MED", "E09999", date(2026, 7, 1))], "no employee"),
    ]
    for wanted, message in refused:
        with pytest.raises((RuleViolation, NotFound), match=message), store.write() as session:
            benefits.enroll_many(session, staff.clerk, wanted)
    with store.write() as session:
        assert (
            benefits.enroll_many(
                session,
                staff.clerk,
                [("MED", one, date(2026, 7, 1)), ("GYM", two, date(2026, 1, 1))],
            )
            == 2
        )
    with store.read() as session:
        rows = benefits.list_enrollments(session, staff.auditor, employee=one)
        assert [(r["starts_on"], r["ends_on"]) for r in rows] == [
            (date(2026, 1, 1), date(2026, 5, 31)),
            (date(2026, 7, 1), None),
        ]
        audited = session.execute(
            text("SELECT entity_id, changes FROM audit_event WHERE action = 'enroll' ORDER BY id")
        ).all()
    assert [r[0] for r in audited] == ["MED", "MED", "GYM"]
    assert f'"employee":[null,"{two}"]' in audited[-1][1]
