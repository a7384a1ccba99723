"""Recruiting's lists as plain SQL over a Reader or a session: job openings with their
candidates counted, the openings a walk-in CV can be handed in for, candidates and a
candidate's history.

``bo hr openings list``, ``bo hr candidates list``, ``bo hr candidates show`` and
``bo front openings`` read through the
standard library's ``sqlite3`` (:mod:`bo_console.core.reading`): this module imports neither
SQLAlchemy nor pydantic nor HR's table models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.core.lookups import day_of, moment_of
from bo_console.core.reading import reader_of
from bo_console.core.text import fold
from bo_console.hr.codes import CANDIDATE_STAGES, OPENING_STATUSES
from bo_console.hr.service.employee_list import like_contains
from bo_console.hr.service.lists import ListRow

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

ACTIVE_STAGES = ("applied", "screening", "interview", "offer")
"""The stages of a candidate still in process."""


def _day(value: Any) -> date:
    found = day_of(value)
    assert found is not None  # NOT NULL columns
    return found


@dataclass(frozen=True)
class OpeningRow(ListRow):
    id: int
    title: str
    position: str
    org_unit: str
    headcount: int
    status: str
    opened_on: date
    candidates: int
    in_process: int
    hired: int


OPENING_COLUMNS = [
    "id",
    "title",
    "position",
    "org_unit",
    "headcount",
    "status",
    "opened_on",
    "candidates",
    "in_process",
    "hired",
]


def list_openings(db: Reads, actor: Actor, *, status: str | None = None) -> list[OpeningRow]:
    """Openings with their candidates counted by stage."""
    actor.require("hr.read", "list job openings")
    params: dict[str, Any] = {"active": list(ACTIVE_STAGES), "stages": list(CANDIDATE_STAGES)}
    where = ""
    if status:
        if status not in OPENING_STATUSES:
            raise ValidationFailed(f"status is one of: {', '.join(OPENING_STATUSES)}")
        where = "WHERE o.status = :status"
        params["status"] = status
    rows = reader_of(db).rows(
        f"""
SELECT o.id, o.title, p.code, u.code, o.headcount, o.status, o.opened_on,
       (SELECT count(*) FROM hr_candidate c WHERE c.opening_id = o.id AND c.stage IN :stages),
       (SELECT count(*) FROM hr_candidate c WHERE c.opening_id = o.id AND c.stage IN :active),
       (SELECT count(*) FROM hr_candidate c WHERE c.opening_id = o.id AND c.stage = 'hired')
FROM hr_opening o
JOIN hr_org_unit u ON u.id = o.org_unit_id
JOIN hr_position p ON p.id = o.position_id
{where}
ORDER BY o.id""",
        params,
    )
    return [
        OpeningRow(
            id=int(r[0]),
            title=str(r[1]),
            position=str(r[2]),
            org_unit=str(r[3]),
            headcount=int(r[4]),
            status=str(r[5]),
            opened_on=_day(r[6]),
            candidates=int(r[7]),
            in_process=int(r[8]),
            hired=int(r[9]),
        )
        for r in rows
    ]


def openings_taking_applications(db: Reads, actor: Actor) -> list[tuple[int, str]]:
    """Open openings as (id, title): what a walk-in CV can be handed in for (front.write or
    hr.read)."""
    if not actor.can("front.write"):
        actor.require("hr.read", "list job openings")
    rows = reader_of(db).rows("SELECT id, title FROM hr_opening WHERE status = 'open' ORDER BY id")
    return [(int(i), str(t)) for i, t in rows]


@dataclass(frozen=True)
class CandidateRow(ListRow):
    id: int
    opening: int
    name: str
    name_ar: str
    email: str
    phone: str
    stage: str
    applied_on: date
    employee: str


CANDIDATE_COLUMNS = [
    "id",
    "opening",
    "name",
    "name_ar",
    "email",
    "phone",
    "stage",
    "applied_on",
    "employee",
]


def list_candidates(
    db: Reads,
    actor: Actor,
    *,
    opening_id: int | None = None,
    stage: str | None = None,
    search: str = "",
) -> list[CandidateRow]:
    """Candidates, newest applications first; ``search`` matches the folded name, e-mail or
    phone (any alef form, any case)."""
    actor.require("hr.read", "list candidates")
    where: list[str] = []
    params: dict[str, Any] = {}
    if opening_id is not None:
        where.append("c.opening_id = :opening")
        params["opening"] = opening_id
    if stage:
        if stage not in CANDIDATE_STAGES:
            raise ValidationFailed(f"stage is one of: {', '.join(CANDIDATE_STAGES)}")
        where.append("c.stage = :stage")
        params["stage"] = stage
    needle = fold(search)
    if needle:
        where.append("c.search_text LIKE '%' || :needle || '%' ESCAPE '/'")
        params["needle"] = like_contains(needle)
    rows = reader_of(db).rows(
        "SELECT c.id, c.opening_id, c.name, c.name_ar, c.email, c.phone, c.stage, c.applied_on,"
        " e.number FROM hr_candidate c LEFT JOIN hr_employee e ON e.id = c.employee_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY c.applied_on DESC, c.id DESC",
        params,
    )
    return [
        CandidateRow(
            id=int(id_),
            opening=int(opening),
            name=str(name),
            name_ar=str(name_ar),
            email=str(email),
            phone=str(phone),
            stage=str(stage_),
            applied_on=_day(applied_on),
            employee=str(number or ""),
        )
        for id_, opening, name, name_ar, email, phone, stage_, applied_on, number in rows
    ]


@dataclass(frozen=True)
class CandidateEventRow:
    """A stage change or a note on a candidate: the application has no ``from_stage``, a
    note neither stage."""

    id: int
    candidate_id: int
    at: datetime
    by_login: str
    from_stage: str | None
    to_stage: str | None
    note: str


def candidate_history(db: Reads, actor: Actor, candidate_id: int) -> list[CandidateEventRow]:
    """A candidate's stage changes and notes, oldest first.

    Raises:
        NotFound: there is no such candidate.
    """
    actor.require("hr.read", "read candidates")
    reader = reader_of(db)
    if reader.scalar("SELECT id FROM hr_candidate WHERE id = :id", {"id": candidate_id}) is None:
        raise NotFound(f"no candidate {candidate_id}")
    rows = reader.rows(
        "SELECT id, at, by_login, from_stage, to_stage, note FROM hr_candidate_event"
        " WHERE candidate_id = :id ORDER BY id",
        {"id": candidate_id},
    )
    events = []
    for id_, at, by_login, from_stage, to_stage, note in rows:
        moment = moment_of(at)
        assert moment is not None  # NOT NULL column
        events.append(
            CandidateEventRow(
                id=int(id_),
                candidate_id=candidate_id,
                at=moment,
                by_login=str(by_login),
                from_stage=from_stage,
                to_stage=to_stage,
                note=str(note),
            )
        )
    return events
