"""Onboarding and offboarding: the work items HR puts into the IT inbox (``onboarding`` when
someone is hired, ``offboarding`` when someone leaves), with IT's checklist on each.

An onboarding item is completed once its steps are ticked; an offboarding item once access is
revoked and the leaver holds no asset and no licence seat (the database refuses it too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.it.common import now
from bo_console.it.work_lists import KINDS, STEPS, boarding_views
from bo_console.it.work_lists import BoardingView as BoardingView
from bo_console.it.work_lists import list_boarding as list_boarding

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import WorkItem
    from bo_console.core.security import Actor


def _item(session: Session, actor: Actor, item_id: int) -> WorkItem:
    from bo_console.core import inbox

    item = inbox.get_item(session, actor, item_id)
    if item.to_dept != "it" or item.kind not in KINDS:
        raise NotFound(f"work item {item_id} is not an IT onboarding or offboarding item")
    return item


def _view(session: Session, item: WorkItem) -> BoardingView:
    return boarding_views(session, [int(item.id or 0)])[0]


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
