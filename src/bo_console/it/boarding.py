"""Onboarding and offboarding: the work items HR puts into the IT inbox (``onboarding`` when
someone is hired, ``offboarding`` when someone leaves), with IT's checklist on each.

An onboarding item is completed once its steps are ticked; an offboarding item once access is
revoked and the leaver holds no asset and no licence seat (the database refuses it too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.it.common import now

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import WorkItem
    from bo_console.core.security import Actor

KINDS = ("onboarding", "offboarding")
STEPS: dict[str, tuple[str, ...]] = {
    "onboarding": ("account", "equipment", "licences"),
    "offboarding": ("access",),
}
"""Steps IT ticks off; an offboarding's equipment and seats are checked from what the leaver
still holds, not ticked."""


@dataclass(frozen=True)
class BoardingView:
    item_id: int
    kind: str
    employee: str
    subject: str
    due_date: date | None
    status: str
    steps: list[tuple[str, bool]]
    holds: list[str]


def _item(session: Session, actor: Actor, item_id: int) -> WorkItem:
    from bo_console.core import inbox

    item = inbox.get_item(session, actor, item_id)
    if item.to_dept != "it" or item.kind not in KINDS:
        raise NotFound(f"work item {item_id} is not an IT onboarding or offboarding item")
    return item


def _view(session: Session, item: WorkItem) -> BoardingView:
    from sqlmodel import select

    from bo_console.it.assets import holdings
    from bo_console.it.common import employee
    from bo_console.it.models import ChecklistStep

    done = set(
        session.exec(select(ChecklistStep.step).where(ChecklistStep.work_item_id == item.id)).all()
    )
    holds: list[str] = []
    if item.kind == "offboarding" and item.ref_entity == "employee" and item.ref_id:
        try:
            holds = holdings(session, employee(session, item.ref_id).id)
        except NotFound:
            holds = []
    return BoardingView(
        item_id=int(item.id or 0),
        kind=item.kind,
        employee=item.ref_id or "",
        subject=item.subject,
        due_date=item.due_date,
        status=item.status,
        steps=[(step, step in done) for step in STEPS[item.kind]],
        holds=holds,
    )


def list_boarding(session: Session, actor: Actor, *, status: str = "open") -> list[BoardingView]:
    """Onboarding and offboarding items in the IT inbox (it.read), soonest due first."""
    from bo_console.core import inbox

    actor.require("it.read", "read onboarding and offboarding")
    items = inbox.list_items(session, actor, dept="it", status=status, limit=2000)
    return [_view(session, item) for item in items if item.kind in KINDS]


def get_boarding(session: Session, actor: Actor, item_id: int) -> BoardingView:
    actor.require("it.read", "read onboarding and offboarding")
    return _view(session, _item(session, actor, item_id))


def tick(session: Session, actor: Actor, item_id: int, step: str) -> BoardingView:
    """Tick a checklist step off (it.write)."""
    from bo_console.it.models import ChecklistStep

    actor.require("it.write", "work onboarding and offboarding")
    item = _item(session, actor, item_id)
    if step not in STEPS[item.kind]:
        raise ValidationFailed(f"{item.kind} steps are {', '.join(STEPS[item.kind])}")
    if item.status not in ("open", "in_progress"):
        raise RuleViolation(f"work item {item_id} is {item.status}")
    view = _view(session, item)
    if dict(view.steps)[step]:
        raise RuleViolation(f"{step} is already done")
    session.add(ChecklistStep(work_item_id=item_id, step=step, done_at=now(), done_by=actor.login))
    session.flush()
    audit.record(
        session,
        actor,
        action="tick",
        entity="work_item",
        entity_id=item_id,
        changes={"step": (None, step)},
    )
    return _view(session, item)


def complete(session: Session, actor: Actor, item_id: int) -> BoardingView:
    """Complete an item whose steps are done (it.write); an offboarding also needs the leaver
    to hold nothing.

    Raises:
        RuleViolation: a step is open, or the leaver still holds an asset or a seat.
    """
    from bo_console.core import inbox

    actor.require("it.write", "work onboarding and offboarding")
    item = _item(session, actor, item_id)
    view = _view(session, item)
    missing = [step for step, done in view.steps if not done]
    if missing:
        raise RuleViolation(f"not done yet: {', '.join(missing)}")
    if view.holds:
        raise RuleViolation(f"{view.employee} still holds {', '.join(view.holds)}")
    inbox.set_status(session, actor, item_id, "done")
    return _view(session, item)
