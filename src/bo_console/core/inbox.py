"""The shared inbox: work that one department (or the front office) hands to another.

Services of each department create items inside their own transactions (a hire asks IT to
onboard); people see their department's inbox on its screen and through ``bo inbox``. Each
item has a kind (:mod:`bo_console.core.work_kinds`) that decides its owning department, its
states and moves, and its due date when the sender gives none, and links to the records it
concerns (a party, an employee, a document, an order, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.clock import today, utcnow
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.core.inbox_list import ItemRow as ItemRow
from bo_console.core.inbox_list import item_rows as item_rows
from bo_console.core.inbox_list import list_items as list_items
from bo_console.core.security import (
    DEPARTMENT_READ,
    DEPARTMENT_WRITE,
    DEPARTMENTS,
    FRONT_OFFICE,
    Actor,
)
from bo_console.core.text import clean
from bo_console.core.work_kinds import WorkKind, kind_of, registry
from bo_console.core.work_kinds import kind as find_kind

# Links are their own module; the inbox's callers keep reaching them here.
from bo_console.core.work_links import LINK_ENTITIES as LINK_ENTITIES
from bo_console.core.work_links import Link as Link
from bo_console.core.work_links import add_link as add_link
from bo_console.core.work_links import check_link as check_link
from bo_console.core.work_links import items_for as items_for
from bo_console.core.work_links import links as links

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import WorkItem, WorkItemComment

STATUSES = ("open", "in_progress", "done", "cancelled")
"""The states of the standard kinds (a kind may declare others)."""
OPEN_STATUSES = ("open", "in_progress")


@dataclass(frozen=True)
class NewWorkItem:
    """What a sender gives to hand work to another department.

    ``to_dept`` may be left empty for a kind that has an owning department; ``due_date``
    defaults to the kind's service level. ``ref_entity``/``ref_id`` is a first link.
    """

    to_dept: str = ""
    kind: str = "general"
    subject: str = ""
    body: str = ""
    ref_entity: str | None = None
    ref_id: str | None = None
    due_date: date | None = None
    links: Sequence[Link] = ()


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


def _item_links(item: NewWorkItem) -> list[Link]:
    links: list[Link] = []
    if item.ref_entity and item.ref_id and item.ref_entity in LINK_ENTITIES:
        links.append(check_link(Link(item.ref_entity, item.ref_id)))
    for link in item.links:
        checked = check_link(link)
        if all((x.entity, x.ref) != (checked.entity, checked.ref) for x in links):
            links.append(checked)
    return links


def create_item(session: Session, actor: Actor, *, from_dept: str, item: NewWorkItem) -> WorkItem:
    """Hand a piece of work to the kind's owning department (or ``item.to_dept``).

    The sender must work in ``from_dept`` (its write permission), or hold ``inbox.send``.
    """
    from bo_console.core.models import WorkItem, WorkItemLink

    from_dept = _check_dept(from_dept, sender=True)
    kind = find_kind(clean(item.kind) or "general")
    if item.to_dept:
        _check_dept(item.to_dept)
    if kind.dept is not None:
        if item.to_dept and item.to_dept != kind.dept:
            raise ValidationFailed(f"a {kind.code} item goes to {kind.dept}, not to {item.to_dept}")
        to_dept = kind.dept
    else:
        if not item.to_dept:
            raise ValidationFailed(f"a {kind.code} item needs a department to go to")
        to_dept = item.to_dept
    if not actor.can("inbox.send"):
        if from_dept == FRONT_OFFICE:
            actor.require("inbox.send", "send work from the front office")
        actor.require(DEPARTMENT_WRITE[from_dept], f"send work from {from_dept}")
    subject = clean(item.subject)
    if not subject:
        raise ValidationFailed("a work item needs a subject")
    if len(subject) > 200:
        raise ValidationFailed("subject is longer than 200 characters")
    links = _item_links(item)
    due = item.due_date
    if due is None and kind.sla_days is not None:
        due = today() + timedelta(days=kind.sla_days)
    row = WorkItem(
        kind=kind.code,
        subject=subject,
        body=clean(item.body),
        from_dept=from_dept,
        to_dept=to_dept,
        ref_entity=item.ref_entity,
        ref_id=item.ref_id,
        status=kind.start,
        due_date=due,
        created_by=actor.login,
    )
    session.add(row)
    session.flush()
    for link in links:
        session.add(
            WorkItemLink(item_id=row.id or 0, entity=link.entity, ref=link.ref, label=link.label)
        )
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
            "due_date": (None, due),
            "links": (None, ", ".join(f"{x.entity}:{x.ref}" for x in links) or None),
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


def known_states() -> list[str]:
    """Every state any kind declares (for filters)."""
    states: list[str] = []
    for kind in registry().values():
        states += [x for x in kind.states if x not in states]
    return states


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
    """One work item, if the actor may read its department's inbox, it is assigned to them,
    or they raised it."""
    from bo_console.core.models import WorkItem

    item = session.get(WorkItem, item_id)
    if item is None:
        raise NotFound(f"no work item {item_id}")
    if item.assignee_id != actor.user_id and item.created_by != actor.login:
        actor.require(DEPARTMENT_READ[item.to_dept], f"read the {item.to_dept} inbox")
    return item


def item_kind(item: WorkItem | ItemRow) -> WorkKind:
    """The kind of ``item`` (a record or a row of :func:`item_rows`)."""
    return kind_of(item.kind)


def next_states(session: Session, actor: Actor, item_id: int) -> tuple[str, ...]:
    """Where the item may move next (empty when the actor may not work it)."""
    item = get_item(session, actor, item_id)
    if item.assignee_id != actor.user_id and not actor.can(DEPARTMENT_WRITE[item.to_dept]):
        return ()
    return item_kind(item).next_states(item.status)


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
    """Assign an open item to a console user (who may then work it); an item in its kind's
    start state moves to its working state."""
    from sqlmodel import select

    from bo_console.core.models import User

    item = get_item(session, actor, item_id)
    actor.require(DEPARTMENT_WRITE[item.to_dept], f"assign {item.to_dept} work")
    kind = item_kind(item)
    if item.closed_at is not None or kind.is_closed(item.status):
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
    changes: dict[str, tuple[object, object]] = {"assignee": (before_login, login)}
    if item.status == kind.start and kind.allows(kind.start, kind.working):
        changes["status"] = (item.status, kind.working)
        item.status = kind.working
    session.add(item)
    audit.record(
        session, actor, action="assign", entity="work_item", entity_id=item_id, changes=changes
    )
    return item


def add_comment(session: Session, actor: Actor, item_id: int, text: str) -> WorkItemComment:
    """Add a comment to an item the actor can work, or raised."""
    from bo_console.core.models import WorkItemComment

    item = get_item(session, actor, item_id)
    if item.created_by != actor.login:
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


def move(session: Session, actor: Actor, item_id: int, state: str, note: str = "") -> WorkItem:
    """Move an item to ``state`` if its kind allows it from where it stands, with a note.

    Raises:
        ValidationFailed: the kind has no such state.
        RuleViolation: the kind does not allow that move from the current state.
    """
    item = _workable(session, actor, item_id, "work items")
    kind = item_kind(item)
    if state in kind.by_service:
        raise RuleViolation(
            f"a {kind.code} item becomes {state} when the work is done: {kind.service_hint}"
        )
    return _move(session, actor, item, state, note)


def _move(session: Session, actor: Actor, item: WorkItem, state: str, note: str) -> WorkItem:
    kind = item_kind(item)
    item_id = item.id or 0
    if state not in kind.states:
        raise ValidationFailed(
            f"unknown status {state!r} for a {kind.code} item (one of: {', '.join(kind.states)})"
        )
    if item.status == state:
        raise RuleViolation(f"work item {item_id} is already {state}")
    if not kind.allows(item.status, state):
        allowed = ", ".join(kind.next_states(item.status)) or "nothing"
        raise RuleViolation(
            f"work item {item_id} is {item.status}; a {kind.code} item goes from there to "
            f"{allowed}, not to {state}"
        )
    before = item.status
    item.status = state
    closing = kind.is_closed(state)
    item.closed_at = utcnow() if closing else None
    session.add(item)
    reopening = kind.is_closed(before) and not closing
    audit.record(
        session,
        actor,
        action=state if closing else ("reopen" if reopening else "move"),
        entity="work_item",
        entity_id=item_id,
        changes={"status": (before, state)},
    )
    if note.strip():
        add_comment(session, actor, item_id, note)
    return item


def set_status(
    session: Session, actor: Actor, item_id: int, status: str, note: str = ""
) -> WorkItem:
    """Close (``done``/``cancelled``) or reopen an item, with an optional note; the same as
    :func:`move`."""
    return move(session, actor, item_id, status, note)


def close_linked(
    session: Session, actor: Actor, *, kind: str, link: Link, state: str, note: str = ""
) -> list[WorkItem]:
    """Move every open item of ``kind`` linked to ``link`` to ``state`` (a service that does the
    work itself, such as finance approving a customer, closes the request it answers).

    The caller has checked its own permission; this moves the items on its behalf."""
    from sqlmodel import col, select

    from bo_console.core.models import WorkItem, WorkItemLink

    rows = session.exec(
        select(WorkItem)
        .join(WorkItemLink, col(WorkItemLink.item_id) == col(WorkItem.id))
        .where(WorkItem.kind == kind)
        .where(WorkItemLink.entity == link.entity, WorkItemLink.ref == link.ref)
        .where(col(WorkItem.closed_at).is_(None))
    ).all()
    return [_move(session, actor, item, state, note) for item in rows]
