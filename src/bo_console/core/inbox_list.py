"""The inbox lists: which work items an actor sees, filtered and in order, as plain rows
read through a Reader (the console's Home shows them before SQLAlchemy is imported) or as
records (:func:`list_items`, the same items, for the services and commands that work on them).
Both are importable from :mod:`bo_console.core.inbox`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.core.security import DEPARTMENT_READ

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import WorkItem
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


class ItemRow(NamedTuple):
    """A work item as an inbox list shows it, read without the ORM (:func:`item_rows`)."""

    id: int
    kind: str
    subject: str
    status: str
    due_date: date | None
    from_dept: str
    to_dept: str
    assignee_id: int | None
    assignee: str
    """The assignee's login (empty when nobody has it)."""
    ref: str = ""
    """The record the sender named first, as ``entity:id`` (empty when none)."""


def item_rows(
    db: Reads,
    actor: Actor,
    *,
    dept: str | None = None,
    status: str | None = "open",
    assignee: str | None = None,
    mine: bool = False,
    raised: bool = False,
    kind: str | None = None,
    limit: int = 500,
) -> list[ItemRow]:
    """Work items the actor may see, filtered, soonest due first; ``open`` means not closed,
    whatever the state. Plain SQL through a Reader or a session: the console's Home shows
    them before SQLAlchemy is imported.

    ``mine`` lists items assigned to the actor in any department they can read; ``raised``
    lists the items the actor raised, in any department ("my requests").

    Raises:
        PermissionDenied: the actor may not read ``dept``'s inbox.
        ValidationFailed: an unknown department or status.
        NotFound: no console user ``assignee``.
    """
    from bo_console.core.inbox import _check_dept, known_states, visible_departments
    from bo_console.core.reading import reader_of
    from bo_console.core.work_kinds import kind as find_kind

    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, object] = {"limit": limit}
    if dept is not None:
        _check_dept(dept)
        if not raised:
            actor.require(DEPARTMENT_READ[dept], f"read the {dept} inbox")
        depts = [dept]
    else:
        depts = visible_departments(actor)
    if raised:
        where.append("w.created_by = :me")
        params["me"] = actor.login
        if dept is not None:
            where.append("w.to_dept = :dept")
            params["dept"] = dept
    elif mine:
        where.append("w.assignee_id = :my_id")
        params["my_id"] = actor.user_id
        if dept is not None:
            where.append("w.to_dept = :dept")
            params["dept"] = dept
    elif depts:
        where.append("w.to_dept IN :depts")
        params["depts"] = depts
    else:
        return []
    if kind is not None:
        where.append("w.kind = :kind")
        params["kind"] = find_kind(kind).code
    if status == "open":
        where.append("w.closed_at IS NULL")
    elif status == "closed":
        where.append("w.closed_at IS NOT NULL")
    elif status and status != "all":
        if status not in known_states():
            raise ValidationFailed(
                f"unknown status {status!r} "
                f"(one of: open, closed, all, {', '.join(known_states())})"
            )
        where.append("w.status = :status")
        params["status"] = status
    if assignee:
        user_id = reader.scalar(
            "SELECT id FROM console_user WHERE login = :login", {"login": assignee}
        )
        if user_id is None:
            raise NotFound(f"no console user {assignee!r}")
        where.append("w.assignee_id = :assignee_id")
        params["assignee_id"] = user_id
    found = reader.rows(
        "SELECT w.id, w.kind, w.subject, w.status, w.due_date, w.from_dept, w.to_dept,"
        " w.assignee_id, u.login, w.ref_entity, w.ref_id FROM work_item AS w"
        " LEFT JOIN console_user AS u ON u.id = w.assignee_id"
        f" WHERE {' AND '.join(where)}"
        " ORDER BY w.due_date IS NULL, w.due_date, w.id LIMIT :limit",
        params,
    )
    return [
        ItemRow(
            int(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            _day(r[4]),
            str(r[5]),
            str(r[6]),
            None if r[7] is None else int(r[7]),
            str(r[8] or ""),
            f"{r[9]}:{r[10]}" if r[9] else "",
        )
        for r in found
    ]


def link_refs(db: Reads, item_ids: list[int]) -> dict[int, list[str]]:
    """The records each item concerns as ``entity:ref``, in the order they were linked (no
    permission check: for items the caller already listed)."""
    from bo_console.core.reading import reader_of

    found: dict[int, list[str]] = {i: [] for i in item_ids}
    if not item_ids:
        return found
    for item_id, entity, ref in reader_of(db).rows(
        "SELECT item_id, entity, ref FROM work_item_link WHERE item_id IN :ids ORDER BY id",
        {"ids": item_ids},
    ):
        found[int(item_id)].append(f"{entity}:{ref}")
    return found


def _day(value: object) -> date | None:
    """A stored date (ISO text on SQLite) as a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def list_items(
    session: Session,
    actor: Actor,
    *,
    dept: str | None = None,
    status: str | None = "open",
    assignee: str | None = None,
    mine: bool = False,
    raised: bool = False,
    kind: str | None = None,
    limit: int = 500,
) -> list[WorkItem]:
    """The items of :func:`item_rows` (same filters, same order), as records."""
    rows = item_rows(
        session,
        actor,
        dept=dept,
        status=status,
        assignee=assignee,
        mine=mine,
        raised=raised,
        kind=kind,
        limit=limit,
    )
    if not rows:
        return []
    from sqlmodel import col, select

    from bo_console.core.models import WorkItem

    ids = [row.id for row in rows]
    found = {i.id: i for i in session.exec(select(WorkItem).where(col(WorkItem.id).in_(ids)))}
    return [found[i] for i in ids]
