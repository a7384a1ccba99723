"""Watching the inboxes: overdue items escalate to the owning department's manager (once per
item), and a plain-text digest per department that a cron job can mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.clock import today, utcnow
from bo_console.core.inbox import _check_dept, add_comment, item_kind
from bo_console.core.security import DEPARTMENT_READ, DEPARTMENTS, Actor

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import WorkItem


@dataclass(frozen=True)
class Escalation:
    """One overdue item and whom it went to (None: the department has no active manager)."""

    item_id: int
    dept: str
    subject: str
    due_date: date
    manager: str | None


def managers(session: Session, dept: str) -> list[str]:
    """Logins of the active users holding ``<dept>-manager``, alphabetically."""
    from sqlmodel import col, select

    from bo_console.core.models import User, UserRole

    rows = session.exec(
        select(User.login)
        .join(UserRole, col(UserRole.user_id) == col(User.id))
        .where(UserRole.role == f"{dept}-manager", col(User.active).is_(True))
        .order_by(col(User.login))
    ).all()
    return list(rows)


def overdue(session: Session, on: date) -> list[WorkItem]:
    """Open items due before ``on`` that have not been escalated yet."""
    from sqlmodel import col, select

    from bo_console.core.models import WorkItem

    return list(
        session.exec(
            select(WorkItem)
            .where(col(WorkItem.closed_at).is_(None))
            .where(col(WorkItem.escalated_at).is_(None))
            .where(col(WorkItem.due_date) < on)
            .order_by(col(WorkItem.due_date), col(WorkItem.id))
        ).all()
    )


def escalate(session: Session, actor: Actor, *, on: date | None = None) -> list[Escalation]:
    """Escalate each overdue open item to its department's manager, once per item.

    The first manager (by login) becomes the item's escalation contact and gets a comment on
    the item; an item whose department has no active manager is reported and tried again on
    the next run.
    """
    actor.require("inbox.manage", "escalate overdue work items")
    on = on or today()
    found: list[Escalation] = []
    by_dept: dict[str, list[str]] = {}
    for item in overdue(session, on):
        dept = item.to_dept
        if dept not in by_dept:
            by_dept[dept] = managers(session, dept)
        manager = by_dept[dept][0] if by_dept[dept] else None
        assert item.id is not None and item.due_date is not None
        found.append(Escalation(item.id, dept, item.subject, item.due_date, manager))
        if manager is None:
            continue
        item.escalated_at = utcnow()
        item.escalated_to = manager
        session.add(item)
        audit.record(
            session,
            actor,
            action="escalate",
            entity="work_item",
            entity_id=item.id,
            changes={"escalated_to": (None, manager)},
        )
        add_comment(
            session,
            actor,
            item.id,
            f"Overdue since {item.due_date.isoformat()}: escalated to {manager} ({dept}-manager).",
        )
    return found


def digest(session: Session, actor: Actor, dept: str, *, on: date | None = None) -> str:
    """A department's morning digest as plain text: overdue, due today, new since yesterday,
    and the rest of the open items, each with its kind, assignee and due date."""
    from bo_console.core.inbox import assignee_logins, list_items

    dept = _check_dept(dept)
    if not actor.can("inbox.manage"):
        actor.require(DEPARTMENT_READ[dept], f"read the {dept} inbox")
    on = on or today()
    items = list_items(session, actor, dept=dept, status="open", limit=10_000)
    logins = assignee_logins(session, items)
    since = on - timedelta(days=1)
    groups: dict[str, list[WorkItem]] = {"Overdue": [], "Due today": [], "New": [], "Open": []}
    for item in items:
        if item.due_date is not None and item.due_date < on:
            groups["Overdue"].append(item)
        elif item.due_date == on:
            groups["Due today"].append(item)
        elif item.created_at.date() >= since:
            groups["New"].append(item)
        else:
            groups["Open"].append(item)
    title = f"{DEPARTMENTS[dept]} inbox, {on.isoformat()}"
    counts = ", ".join(f"{len(v)} {k.lower()}" for k, v in groups.items() if v)
    summary = f"{len(items)} open items" + (f": {counts}" if counts else "")
    lines = [title, "=" * len(title), summary]
    for name, group in groups.items():
        if not group:
            continue
        lines += ["", f"{name} ({len(group)})"]
        for item in group:
            who = logins.get(item.assignee_id or 0, "unassigned")
            due = f"due {item.due_date.isoformat()}" if item.due_date else "no due date"
            late = ""
            if item.escalated_to:
                late = f", escalated to {item.escalated_to}"
            lines.append(
                f"  #{item.id} [{item_kind(item).title}] {item.subject} - {item.status}, "
                f"{who}, {due}{late}"
            )
    return "\n".join(lines) + "\n"
