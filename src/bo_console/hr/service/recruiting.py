"""Job openings and candidates, from application to hire.

Candidates move through ``applied``, ``screening``, ``interview`` and ``offer``; any of those can
end in ``rejected``. Only :func:`hire_candidate` makes someone ``hired``: it creates the employee,
fills the opening when its head count is reached, and asks IT to onboard them, all in the
caller's transaction.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.core.security import Actor
from bo_console.core.text import clean, fold
from bo_console.hr.models import CANDIDATE_STAGES, OPENING_STATUSES
from bo_console.hr.models.views import CandidateView, OpeningView
from bo_console.hr.service import recruiting_lists
from bo_console.hr.service.recruiting_lists import ACTIVE_STAGES as ACTIVE_STAGES
from bo_console.hr.service.recruiting_lists import CANDIDATE_COLUMNS as CANDIDATE_COLUMNS
from bo_console.hr.service.recruiting_lists import OPENING_COLUMNS as OPENING_COLUMNS
from bo_console.hr.service.recruiting_lists import CandidateEventRow as CandidateEventRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.hr.models import Candidate, CandidateEvent, Employee, Opening
    from bo_console.hr.models.employees import HireTerms


def _text(value: str, what: str, limit: int, *, required: bool = False) -> str:
    text = clean(value)
    if required and not text:
        raise ValidationFailed(f"{what} is required")
    if len(text) > limit:
        raise ValidationFailed(f"{what} is longer than {limit} characters")
    return text


def add_opening(
    session: Session,
    actor: Actor,
    *,
    title: str,
    position: str,
    org_unit: str,
    headcount: int = 1,
    opened_on: date,
    description: str = "",
) -> Opening:
    """Open a position for hiring in an org unit."""
    from bo_console.hr.models import Opening
    from bo_console.hr.service import people

    actor.require("hr.write", "open job openings")
    if headcount < 1:
        raise ValidationFailed("head count must be at least 1")
    pos = people.position(session, position)
    unit = people.org_unit(session, org_unit)
    opening = Opening(
        title=_text(title or pos.title, "title", 120, required=True),
        position_id=pos.id or 0,
        org_unit_id=unit.id or 0,
        headcount=headcount,
        opened_on=opened_on,
        description=clean(description),
    )
    session.add(opening)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="opening",
        entity_id=opening.id or 0,
        changes={
            "title": (None, opening.title),
            "position": (None, pos.code),
            "org_unit": (None, unit.code),
            "headcount": (None, headcount),
            "opened_on": (None, opened_on),
        },
    )
    return opening


def get_opening(session: Session, opening_id: int) -> Opening:
    """The opening with this id.

    Raises:
        NotFound: there is none.
    """
    from bo_console.hr.models import Opening

    opening = session.get(Opening, opening_id)
    if opening is None:
        raise NotFound(f"no opening {opening_id}")
    return opening


def set_opening_status(
    session: Session, actor: Actor, opening_id: int, status: str, *, on: date
) -> Opening:
    """Put an opening on hold, reopen it, or close it."""
    actor.require("hr.write", "change job openings")
    if status not in OPENING_STATUSES or status == "filled":
        raise ValidationFailed("status is one of: open, on_hold, closed")
    opening = get_opening(session, opening_id)
    if opening.status == status:
        raise RuleViolation(f"opening {opening_id} is already {status}")
    if opening.status == "filled":
        raise RuleViolation(f"opening {opening_id} is filled")
    before = opening.status
    opening.status = status
    opening.closed_on = on if status == "closed" else None
    session.add(opening)
    audit.record(
        session,
        actor,
        action="status",
        entity="opening",
        entity_id=opening_id,
        changes={"status": (before, status)},
    )
    return opening


def open_count(openings: Sequence[OpeningView]) -> int:
    """How many of ``openings`` still take candidates (status ``open``)."""
    return sum(1 for opening in openings if opening.status == "open")


def list_openings(
    session: Session, actor: Actor, *, status: str | None = None
) -> list[OpeningView]:
    """Openings with their candidates counted by stage."""
    rows = recruiting_lists.list_openings(session, actor, status=status)
    return [OpeningView(**r.record()) for r in rows]


def _event(
    session: Session,
    actor: Actor,
    candidate: Candidate,
    *,
    from_stage: str | None,
    to_stage: str | None,
    note: str,
) -> CandidateEvent:
    from bo_console.hr.models import CandidateEvent

    event = CandidateEvent(
        candidate_id=candidate.id or 0,
        by_login=actor.login,
        from_stage=from_stage,
        to_stage=to_stage,
        note=note,
    )
    session.add(event)
    return event


def add_candidate(
    session: Session,
    actor: Actor,
    *,
    opening_id: int,
    name: str,
    name_ar: str = "",
    email: str = "",
    phone: str = "",
    applied_on: date,
    note: str = "",
) -> Candidate:
    """Record an application to an open opening."""
    actor.require("hr.write", "add candidates")
    return _insert_candidate(
        session,
        actor,
        opening_id=opening_id,
        name=name,
        name_ar=name_ar,
        email=email,
        phone=phone,
        applied_on=applied_on,
        note=note,
    )


def walk_in_cv(
    session: Session,
    actor: Actor,
    *,
    opening_id: int,
    name: str,
    email: str = "",
    phone: str = "",
    applied_on: date,
    note: str = "",
) -> Candidate:
    """A CV handed in at the front desk: the candidate is recorded against the opening and a
    ``candidate`` item in HR's inbox asks for a review (the front office, or HR)."""
    from bo_console.core import inbox

    if not actor.can("front.write"):
        actor.require("hr.write", "add candidates")
    candidate = _insert_candidate(
        session,
        actor,
        opening_id=opening_id,
        name=name,
        email=email,
        phone=phone,
        applied_on=applied_on,
        note=note or "Walk-in CV handed in at the front desk.",
    )
    opening = get_opening(session, opening_id)
    inbox.create_item(
        session,
        actor,
        from_dept="front" if actor.can("inbox.send") else "hr",
        item=inbox.NewWorkItem(
            kind="candidate",
            subject=f"Walk-in CV: {candidate.name} for {opening.title}",
            body=note,
            links=(inbox.Link("candidate", str(candidate.id), candidate.name),),
        ),
    )
    return candidate


def openings_taking_applications(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Open openings as (id, title): what a walk-in CV can be handed in for."""
    return recruiting_lists.openings_taking_applications(session, actor)


def _insert_candidate(
    session: Session,
    actor: Actor,
    *,
    opening_id: int,
    name: str,
    name_ar: str = "",
    email: str = "",
    phone: str = "",
    applied_on: date,
    note: str = "",
) -> Candidate:
    from bo_console.hr.models import Candidate

    opening = get_opening(session, opening_id)
    if opening.status != "open":
        raise RuleViolation(f"opening {opening_id} is {opening.status}; it takes no applications")
    name = _text(name, "name", 120, required=True)
    name_ar = _text(name_ar, "Arabic name", 120)
    candidate = Candidate(
        opening_id=opening_id,
        name=name,
        name_ar=name_ar,
        search_text=fold(f"{name} {name_ar} {email}"),
        email=_text(email, "e-mail", 120),
        phone=_text(phone, "phone", 40),
        applied_on=applied_on,
    )
    session.add(candidate)
    session.flush()
    _event(session, actor, candidate, from_stage=None, to_stage="applied", note=clean(note))
    audit.record(
        session,
        actor,
        action="create",
        entity="candidate",
        entity_id=candidate.id or 0,
        changes={"opening": (None, opening_id), "name": (None, name), "stage": (None, "applied")},
    )
    return candidate


def get_candidate(session: Session, candidate_id: int) -> Candidate:
    """The candidate with this id.

    Raises:
        NotFound: there is none.
    """
    from bo_console.hr.models import Candidate

    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise NotFound(f"no candidate {candidate_id}")
    return candidate


def move_candidate(
    session: Session, actor: Actor, candidate_id: int, stage: str, *, note: str = ""
) -> Candidate:
    """Move a candidate to another stage (``hired`` only through :func:`hire_candidate`)."""
    actor.require("hr.write", "move candidates")
    if stage not in CANDIDATE_STAGES:
        raise ValidationFailed(f"stage is one of: {', '.join(CANDIDATE_STAGES)}")
    if stage == "hired":
        raise RuleViolation(
            "hire a candidate with `bo hr candidates hire` (it creates the employee)"
        )
    candidate = get_candidate(session, candidate_id)
    if candidate.stage not in ACTIVE_STAGES:
        raise RuleViolation(f"candidate {candidate_id} is {candidate.stage}; their process is over")
    if candidate.stage == stage:
        raise RuleViolation(f"candidate {candidate_id} is already at {stage}")
    before = candidate.stage
    candidate.stage = stage
    candidate.updated_at = utcnow()
    session.add(candidate)
    _event(session, actor, candidate, from_stage=before, to_stage=stage, note=clean(note))
    audit.record(
        session,
        actor,
        action="stage",
        entity="candidate",
        entity_id=candidate_id,
        changes={"stage": (before, stage)},
    )
    return candidate


def advance_candidate(session: Session, actor: Actor, candidate_id: int) -> Candidate:
    """Move a candidate to the next hiring stage (applied, screening, interview, offer).

    Raises:
        RuleViolation: they have an offer (hiring is :func:`hire_candidate`) or their process
            is over.
    """
    candidate = get_candidate(session, candidate_id)
    if candidate.stage == "offer":
        raise RuleViolation(f"candidate {candidate_id} has an offer: hire them (h)")
    if candidate.stage not in ACTIVE_STAGES:
        raise RuleViolation(f"the candidate is {candidate.stage}; their process is over")
    following = ACTIVE_STAGES[ACTIVE_STAGES.index(candidate.stage) + 1]
    return move_candidate(session, actor, candidate_id, following)


def add_note(session: Session, actor: Actor, candidate_id: int, note: str) -> CandidateEvent:
    """Add a note to a candidate's history."""
    actor.require("hr.write", "add notes to candidates")
    text = clean(note)
    if not text:
        raise ValidationFailed("a note cannot be empty")
    candidate = get_candidate(session, candidate_id)
    event = _event(session, actor, candidate, from_stage=None, to_stage=None, note=text)
    audit.record(
        session,
        actor,
        action="note",
        entity="candidate",
        entity_id=candidate_id,
        changes={"note": (None, text)},
    )
    return event


def list_candidates(
    session: Session,
    actor: Actor,
    *,
    opening_id: int | None = None,
    stage: str | None = None,
    search: str = "",
) -> list[CandidateView]:
    """Candidates, newest applications first."""
    rows = recruiting_lists.list_candidates(
        session, actor, opening_id=opening_id, stage=stage, search=search
    )
    return [CandidateView(**r.record()) for r in rows]


def candidate_history(db: Reads, actor: Actor, candidate_id: int) -> list[CandidateEventRow]:
    """A candidate's stage changes and notes, oldest first (through a session or a Reader)."""
    return recruiting_lists.candidate_history(db, actor, candidate_id)


def hire_candidate(
    session: Session,
    actor: Actor,
    candidate_id: int,
    *,
    hire_date: date,
    terms: HireTerms | None = None,
) -> Employee:
    """Hire a candidate who has an offer: create the employee and ask IT to onboard them.

    Args:
        terms: the employee's details beyond the candidate's (salary, IBAN, manager...);
            name, org unit, position and contact come from the candidate and opening when
            left empty.
    """
    from sqlmodel import col, func, select

    from bo_console.core import inbox
    from bo_console.hr.models import Candidate, OrgUnit, Position
    from bo_console.hr.service import people

    actor.require("hr.manage", "hire candidates")
    candidate = get_candidate(session, candidate_id)
    if candidate.stage != "offer":
        raise RuleViolation(
            f"candidate {candidate_id} is at {candidate.stage}; only a candidate with an offer "
            "can be hired"
        )
    opening = get_opening(session, candidate.opening_id)
    if opening.status not in ("open", "on_hold"):
        raise RuleViolation(f"opening {opening.id} is {opening.status}")
    unit = session.get(OrgUnit, opening.org_unit_id)
    pos = session.get(Position, opening.position_id)
    assert unit is not None and pos is not None
    given = terms.changes() if terms is not None else {}
    data = people.employee_create(
        {
            **{k: v for k, v in given.items() if v not in (None, "")},
            "name": given.get("name") or candidate.name,
            "name_ar": given.get("name_ar") or candidate.name_ar,
            "org_unit": given.get("org_unit") or unit.code,
            "position": given.get("position") or pos.code,
            "email": given.get("email") or candidate.email,
            "phone": given.get("phone") or candidate.phone,
            "hire_date": hire_date,
        }
    )
    employee = people.create_employee(session, actor, data, notify_it=False)
    candidate.stage = "hired"
    candidate.employee_id = employee.id
    candidate.updated_at = utcnow()
    session.add(candidate)
    _event(session, actor, candidate, from_stage="offer", to_stage="hired", note=employee.number)
    audit.record(
        session,
        actor,
        action="hire",
        entity="candidate",
        entity_id=candidate_id,
        changes={"stage": ("offer", "hired"), "employee": (None, employee.number)},
    )
    session.flush()
    hired = session.exec(
        select(func.count())
        .select_from(Candidate)
        .where(col(Candidate.opening_id) == opening.id, col(Candidate.stage) == "hired")
    ).one()
    if int(hired) >= opening.headcount:
        opening.status = "filled"
        opening.closed_on = hire_date
        session.add(opening)
        audit.record(
            session,
            actor,
            action="status",
            entity="opening",
            entity_id=opening.id or 0,
            changes={"status": ("open", "filled")},
        )
    inbox.create_item(
        session,
        actor,
        from_dept="hr",
        item=inbox.NewWorkItem(
            to_dept="it",
            kind="onboarding",
            subject=f"Onboarding: {employee.name} ({employee.number}) starts {hire_date}",
            body=(
                f"New {pos.title} in {unit.name} ({unit.code}) starting {hire_date}.\n"
                "Create accounts (e-mail, systems, console login if needed) and prepare "
                "equipment (laptop, badge, phone)."
            ),
            ref_entity="employee",
            ref_id=employee.number,
            due_date=hire_date,
        ),
    )
    return employee
