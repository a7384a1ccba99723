"""One work item with its links, comments and next states (``bo inbox show``), read in plain
SQL through a Reader or a session, so the command reads without SQLAlchemy. The same rules as
:func:`bo_console.core.inbox.get_item` and :func:`~bo_console.core.inbox.next_states`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from bo_console.core.errors import NotFound
from bo_console.core.security import DEPARTMENT_READ, DEPARTMENT_WRITE

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class CommentRow:
    """A comment on a work item."""

    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class ItemDetail:
    """A work item as ``bo inbox show`` shows it."""

    id: int
    kind: str
    kind_title: str
    subject: str
    body: str
    status: str
    from_dept: str
    to_dept: str
    ref: str
    """The record the sender named first, as ``entity:id`` (empty when none)."""
    assignee: str
    """The assignee's login (empty when nobody has it)."""
    due_date: date | None
    created_by: str
    created_at: datetime
    escalated_to: str
    links: tuple[str, ...]
    """The records the item concerns, as ``entity:ref``, in the order they were linked."""
    next_states: tuple[str, ...]
    """Where the actor may move it next (empty when they may not work it)."""
    comments: tuple[CommentRow, ...]


def item_detail(db: Reads, actor: Actor, item_id: int) -> ItemDetail:
    """Work item ``item_id``, if the actor may read its department's inbox, it is assigned to
    them, or they raised it.

    Raises:
        NotFound: no such item.
        PermissionDenied: the actor may not read it.
    """
    from bo_console.core.lookups import day_of, moment_of
    from bo_console.core.reading import reader_of
    from bo_console.core.work_kinds import kind_of

    reader = reader_of(db)
    found = reader.first(
        "SELECT w.id, w.kind, w.subject, w.body, w.status, w.from_dept, w.to_dept,"
        " w.ref_entity, w.ref_id, w.assignee_id, u.login, w.due_date, w.created_by,"
        " w.created_at, w.escalated_to FROM work_item AS w"
        " LEFT JOIN console_user AS u ON u.id = w.assignee_id WHERE w.id = :id",
        {"id": item_id},
    )
    if found is None:
        raise NotFound(f"no work item {item_id}")
    (_, code, subject, body, status, from_dept, to_dept, ref_entity, ref_id, assignee_id) = found[
        :10
    ]
    assignee, due, created_by, created_at, escalated_to = found[10:]
    if assignee_id != actor.user_id and created_by != actor.login:
        actor.require(DEPARTMENT_READ[to_dept], f"read the {to_dept} inbox")
    kind = kind_of(str(code))
    moves: tuple[str, ...] = ()
    if assignee_id == actor.user_id or actor.can(DEPARTMENT_WRITE[to_dept]):
        moves = kind.next_states(str(status))
    links = reader.rows(
        "SELECT entity, ref FROM work_item_link WHERE item_id = :id ORDER BY id", {"id": item_id}
    )
    notes = reader.rows(
        "SELECT at, author, text FROM work_item_comment WHERE item_id = :id ORDER BY id",
        {"id": item_id},
    )
    return ItemDetail(
        id=item_id,
        kind=str(code),
        kind_title=kind.title,
        subject=str(subject),
        body=str(body),
        status=str(status),
        from_dept=str(from_dept),
        to_dept=str(to_dept),
        ref=f"{ref_entity}:{ref_id}" if ref_entity else "",
        assignee=str(assignee or ""),
        due_date=day_of(due),
        created_by=str(created_by),
        created_at=cast(datetime, moment_of(created_at)),
        escalated_to=str(escalated_to or ""),
        links=tuple(f"{entity}:{ref}" for entity, ref in links),
        next_states=moves,
        comments=tuple(
            CommentRow(cast(datetime, moment_of(at)), str(a), str(t)) for at, a, t in notes
        ),
    )
