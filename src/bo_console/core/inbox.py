"""The shared inbox: work that one department (or the front office) hands to another.

Services of each department create items inside their own transactions (a hire asks IT to
onboard); people see their department's inbox on its screen and through ``bo inbox``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.core.security import (
    DEPARTMENT_READ,
    DEPARTMENT_WRITE,
    DEPARTMENTS,
    FRONT_OFFICE,
    Actor,
)
from bo_console.core.text import clean

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import WorkItem, WorkItemComment

STATUSES = ("open", "in_progress", "done", "cancelled")
OPEN_STATUSES = ("open", "in_progress")


@dataclass(frozen=True)
class NewWorkItem:
    """What a sender gives to hand work to another department."""

    to_dept: str
    kind: str
    subject: str
    body: str = ""
    ref_entity: str | None = None
    ref_id: str | None = None
    due_date: date | None = None


def _check_dept(code: str, *, sender: bool = False) -> str:
    if code in DEPARTMENTS or (sender and code == FRONT_OFFICE):
        return code
    allowed = ", ".join([*DEPARTMENTS, *([FRONT_OFFICE] if sender else [])])
    raise ValidationFailed(f"unknown department {code!r} (one of: {allowed})")


def sender_departments(actor: Actor) -> list[str]:
    """Departments the actor may send work from."""
    depts = [d for d in DEPARTMENTS if actor.can(DEPARTMENT_WRITE[d])]
    if actor.can("inbox.send"):
        depts.append(FRONT_OFFICE)
    return depts


def create_item(session: Session, actor: Actor, *, from_dept: str, item: NewWorkItem) -> WorkItem:
    """Hand a piece of work to ``item.to_dept``.

    The sender must work in ``from_dept`` (its write permission), or hold ``inbox.send``.
    """
    from bo_console.core.models import WorkItem

    from_dept = _check_dept(from_dept, sender=True)
    to_dept = _check_dept(item.to_dept)
    if not actor.can("inbox.send"):
        if from_dept == FRONT_OFFICE:
            actor.require("inbox.send", "send work from the front office")
        actor.require(DEPARTMENT_WRITE[from_dept], f"send work from {from_dept}")
    subject, kind = clean(item.subject), clean(item.kind)
    if not subject:
        raise ValidationFailed("a work item needs a subject")
    if not kind:
        raise ValidationFailed("a work item needs a kind")
    if len(subject) > 200:
        raise ValidationFailed("subject is longer than 200 characters")
    row = WorkItem(
        kind=kind[:40],
        subject=subject,
        body=clean(item.body),
        from_dept=from_dept,
        to_dept=to_dept,
        ref_entity=item.ref_entity,
        ref_id=item.ref_id,
        due_date=item.due_date,
        created_by=actor.login,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="work_item",
        entity_id=row.id or 0,
        changes={
            "to_dept": (None, to_dept),
            "from_dept": (None, from_dept),
            "kind": (None, row.kind),
            "subject": (None, subject),
            "due_date": (None, item.due_date),
        },
    )
    return row


def create_items(
    session: Session,
    actor: Actor,
    *,
    from_dept: str,
    items: Iterable[NewWorkItem],
    assignee: str | None = None,
) -> list[WorkItem]:
    """Hand many pieces of work at once (a nightly job's findings), each checked and audited
    as :func:`create_item` does, and each assigned to ``assignee`` when given; written in a
    few statements instead of several per item.

    Raises:
        PermissionDenied: as :func:`create_item`, or the assignment without the receiving
            department's write permission.
        NotFound, RuleViolation: ``assignee`` is not an active console user.
        ValidationFailed: an item without a subject or kind.
    """
    from sqlalchemy import insert
    from sqlmodel import col, select

    from bo_console.core.models import User, WorkItem

    from_dept = _check_dept(from_dept, sender=True)
    if not actor.can("inbox.send"):
        if from_dept == FRONT_OFFICE:
            actor.require("inbox.send", "send work from the front office")
        actor.require(DEPARTMENT_WRITE[from_dept], f"send work from {from_dept}")
    assignee_id: int | None = None
    if assignee is not None:
        user = session.exec(select(User).where(User.login == assignee)).first()
        if user is None:
            raise NotFound(f"no console user {assignee!r}")
        if not user.active:
            raise RuleViolation(f"console user {assignee!r} is disabled")
        assignee_id = user.id
    values: list[dict[str, object]] = []
    for item in items:
        to_dept = _check_dept(item.to_dept)
        if assignee_id is not None:
            actor.require(DEPARTMENT_WRITE[to_dept], f"assign {to_dept} work")
        subject, kind = clean(item.subject), clean(item.kind)
        if not subject:
            raise ValidationFailed("a work item needs a subject")
        if not kind:
            raise ValidationFailed("a work item needs a kind")
        if len(subject) > 200:
            raise ValidationFailed("subject is longer than 200 characters")
        values.append(
            {
                "kind": kind[:40],
                "subject": subject,
                "body": clean(item.body),
                "from_dept": from_dept,
                "to_dept": to_dept,
                "ref_entity": item.ref_entity,
                "ref_id": item.ref_id,
                "due_date": item.due_date,
                "created_at": utcnow(),
                "created_by": actor.login,
                "assignee_id": assignee_id,
                "status": "open" if assignee_id is None else "in_progress",
            }
        )
    if not values:
        return []
    session.flush()
    # Multi-row INSERTs: the ORM would write (and read back) each row on its own. A statement
    # numbers its rows in the order of its VALUES, so by id the rows are in the order given.
    ids = session.scalars(insert(WorkItem).returning(col(WorkItem.id)), values).all()
    rows = list(
        session.exec(
            select(WorkItem).where(col(WorkItem.id).in_(ids)).order_by(col(WorkItem.id))
        ).all()
    )
    entries: list[audit.Entry] = []
    for row in rows:
        entries.append(
            audit.Entry(
                actor,
                "create",
                "work_item",
                row.id or 0,
                {
                    "to_dept": (None, row.to_dept),
                    "from_dept": (None, row.from_dept),
                    "kind": (None, row.kind),
                    "subject": (None, row.subject),
                    "due_date": (None, row.due_date),
                },
            )
        )
        if assignee_id is not None:
            entries.append(
                audit.Entry(
                    actor, "assign", "work_item", row.id or 0, {"assignee": (None, assignee)}
                )
            )
    audit.record_many(session, entries)
    return rows


def visible_departments(actor: Actor) -> list[str]:
    """Departments whose inbox the actor may read."""
    return [d for d in DEPARTMENTS if actor.can(DEPARTMENT_READ[d])]


def list_items(
    session: Session,
    actor: Actor,
    *,
    dept: str | None = None,
    status: str | None = "open",
    assignee: str | None = None,
    mine: bool = False,
    limit: int = 500,
) -> list[WorkItem]:
    """Work items the actor may see, filtered; open means open or in progress.

    ``mine`` lists items assigned to the actor in any department they can read.
    """
    from sqlmodel import col, select

    from bo_console.core.models import User, WorkItem

    if dept is not None:
        _check_dept(dept)
        actor.require(DEPARTMENT_READ[dept], f"read the {dept} inbox")
        depts = [dept]
    else:
        depts = visible_departments(actor)
    stmt = select(WorkItem)
    if mine:
        stmt = stmt.where(WorkItem.assignee_id == actor.user_id)
        if dept is not None:
            stmt = stmt.where(WorkItem.to_dept == dept)
    elif depts:
        stmt = stmt.where(col(WorkItem.to_dept).in_(depts))
    else:
        return []
    if status == "open":
        stmt = stmt.where(col(WorkItem.status).in_(OPEN_STATUSES))
    elif status and status != "all":
        if status not in STATUSES:
            raise ValidationFailed(
                f"unknown status {status!r} (one of: all, {', '.join(STATUSES)})"
            )
        stmt = stmt.where(WorkItem.status == status)
    if assignee:
        user = session.exec(select(User).where(User.login == assignee)).first()
        if user is None:
            raise NotFound(f"no console user {assignee!r}")
        stmt = stmt.where(WorkItem.assignee_id == user.id)
    stmt = stmt.order_by(col(WorkItem.due_date).is_(None), col(WorkItem.due_date), col(WorkItem.id))
    return list(session.exec(stmt.limit(limit)).all())


def assignee_logins(session: Session, items: Iterable[WorkItem]) -> dict[int, str]:
    """The login of each assignee of ``items`` (items the actor was already allowed to read)."""
    from sqlmodel import col, select

    from bo_console.core.models import User

    ids = {i.assignee_id for i in items if i.assignee_id}
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.login).where(col(User.id).in_(ids))).all()
    return {uid: login for uid, login in rows if uid is not None}


def assignable_logins(session: Session, actor: Actor, item_id: int) -> list[str]:
    """Active console users the actor may assign item ``item_id`` to (for completion)."""
    from sqlmodel import col, select

    from bo_console.core.models import User

    item = get_item(session, actor, item_id)
    actor.require(DEPARTMENT_WRITE[item.to_dept], f"assign {item.to_dept} work")
    stmt = select(User.login).where(col(User.active).is_(True)).order_by(col(User.login))
    return list(session.exec(stmt).all())


def get_item(session: Session, actor: Actor, item_id: int) -> WorkItem:
    """One work item, if the actor may read its department's inbox (or it is assigned to them)."""
    from bo_console.core.models import WorkItem

    item = session.get(WorkItem, item_id)
    if item is None:
        raise NotFound(f"no work item {item_id}")
    if item.assignee_id != actor.user_id:
        actor.require(DEPARTMENT_READ[item.to_dept], f"read the {item.to_dept} inbox")
    return item


def comments(session: Session, actor: Actor, item_id: int) -> list[WorkItemComment]:
    """Comments on an item, oldest first."""
    from sqlmodel import col, select

    from bo_console.core.models import WorkItemComment

    get_item(session, actor, item_id)
    return list(
        session.exec(
            select(WorkItemComment)
            .where(WorkItemComment.item_id == item_id)
            .order_by(col(WorkItemComment.id))
        ).all()
    )


def _workable(session: Session, actor: Actor, item_id: int, doing: str) -> WorkItem:
    item = get_item(session, actor, item_id)
    if item.assignee_id != actor.user_id:
        actor.require(DEPARTMENT_WRITE[item.to_dept], doing)
    return item


def assign(session: Session, actor: Actor, item_id: int, login: str) -> WorkItem:
    """Assign an open item to a console user (who may then work it)."""
    from sqlmodel import select

    from bo_console.core.models import User

    item = get_item(session, actor, item_id)
    actor.require(DEPARTMENT_WRITE[item.to_dept], f"assign {item.to_dept} work")
    if item.status not in OPEN_STATUSES:
        raise RuleViolation(f"work item {item_id} is {item.status}; only open items are assigned")
    user = session.exec(select(User).where(User.login == login)).first()
    if user is None:
        raise NotFound(f"no console user {login!r}")
    if not user.active:
        raise RuleViolation(f"console user {login!r} is disabled")
    before = item.assignee_id
    if before == user.id:
        return item
    before_login = session.get(User, before).login if before else None  # type: ignore[union-attr]
    item.assignee_id = user.id
    if item.status == "open":
        item.status = "in_progress"
    session.add(item)
    audit.record(
        session,
        actor,
        action="assign",
        entity="work_item",
        entity_id=item_id,
        changes={"assignee": (before_login, login)},
    )
    return item


def add_comment(session: Session, actor: Actor, item_id: int, text: str) -> WorkItemComment:
    """Add a comment to an item the actor can work."""
    from bo_console.core.models import WorkItemComment

    _workable(session, actor, item_id, "comment on work items")
    body = clean(text)
    if not body:
        raise ValidationFailed("a comment cannot be empty")
    comment = WorkItemComment(item_id=item_id, author=actor.login, text=body)
    session.add(comment)
    session.flush()
    audit.record(
        session,
        actor,
        action="comment",
        entity="work_item",
        entity_id=item_id,
        changes={"comment": (None, body)},
    )
    return comment


def set_status(
    session: Session, actor: Actor, item_id: int, status: str, note: str = ""
) -> WorkItem:
    """Close (``done``/``cancelled``) or reopen an item, with an optional note."""
    if status not in STATUSES:
        raise ValidationFailed(f"unknown status {status!r} (one of: {', '.join(STATUSES)})")
    item = _workable(session, actor, item_id, "close work items")
    if item.status == status:
        raise RuleViolation(f"work item {item_id} is already {status}")
    before = item.status
    item.status = status
    item.closed_at = utcnow() if status in ("done", "cancelled") else None
    session.add(item)
    audit.record(
        session,
        actor,
        action=status if status in ("done", "cancelled") else "reopen",
        entity="work_item",
        entity_id=item_id,
        changes={"status": (before, status)},
    )
    if note.strip():
        add_comment(session, actor, item_id, note)
    return item
