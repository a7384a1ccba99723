"""What a work item concerns: links to records (a party, a document, an order, ...).

Part of the inbox (:mod:`bo_console.core.inbox`, which re-exports these names): the kinds of
record an item may link to, checking a link, linking an item, and the items of one record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.core.text import clean

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import WorkItem, WorkItemLink
    from bo_console.core.security import Actor

LINK_ENTITIES: dict[str, str] = {
    "party": "finance",
    "document": "finance",
    "employee": "hr",
    "candidate": "hr",
    "certification": "hr",
    "asset": "it",
    "ticket": "it",
    "licence": "it",
    "item": "logistics",
    "order": "logistics",
    "receipt": "logistics",
    "delivery": "logistics",
    "purchase-order": "logistics",
    "return": "logistics",
}
"""The kinds of record an item may link to, and the department whose screen shows them."""

_REF_RE = re.compile(r"^[^\s:][^\n]{0,63}$")


@dataclass(frozen=True)
class Link:
    """A record a work item concerns: ``order:SO-2026-0012``, ``party:C0042``."""

    entity: str
    ref: str
    label: str = ""

    @classmethod
    def parse(cls, text: str) -> Link:
        """``ENTITY:REF`` as a link.

        Raises:
            ValidationFailed: not of that shape, or an unknown kind of record.
        """
        entity, sep, ref = text.partition(":")
        if not sep:
            raise ValidationFailed(f"{text!r} must look like ENTITY:REF, e.g. order:SO-2026-0012")
        return check_link(cls(entity.strip().casefold(), ref.strip()))


def check_link(link: Link) -> Link:
    """``link`` if its kind of record is known and its reference is one short line."""
    if link.entity not in LINK_ENTITIES:
        raise ValidationFailed(
            f"unknown kind of record {link.entity!r} (one of: {', '.join(LINK_ENTITIES)})"
        )
    ref = clean(link.ref)
    if not _REF_RE.match(ref):
        raise ValidationFailed(f"{link.entity} reference {link.ref!r} is empty or too long")
    return Link(link.entity, ref, clean(link.label)[:120])


def links(session: Session, actor: Actor, item_id: int) -> list[WorkItemLink]:
    """The records an item concerns, in the order they were linked."""
    from sqlmodel import col, select

    from bo_console.core.inbox import get_item
    from bo_console.core.models import WorkItemLink

    get_item(session, actor, item_id)
    return list(
        session.exec(
            select(WorkItemLink)
            .where(WorkItemLink.item_id == item_id)
            .order_by(col(WorkItemLink.id))
        ).all()
    )


def add_link(session: Session, actor: Actor, item_id: int, link: Link) -> WorkItemLink:
    """Link an item to one more record.

    Raises:
        RuleViolation: the item is already linked to that record.
    """
    from sqlmodel import select

    from bo_console.core.inbox import _workable
    from bo_console.core.models import WorkItemLink

    _workable(session, actor, item_id, "link work items")
    checked = check_link(link)
    exists = session.exec(
        select(WorkItemLink).where(
            WorkItemLink.item_id == item_id,
            WorkItemLink.entity == checked.entity,
            WorkItemLink.ref == checked.ref,
        )
    ).first()
    if exists is not None:
        raise RuleViolation(
            f"work item {item_id} is already linked to {checked.entity} {checked.ref}"
        )
    row = WorkItemLink(item_id=item_id, entity=checked.entity, ref=checked.ref, label=checked.label)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="link",
        entity="work_item",
        entity_id=item_id,
        changes={"link": (None, f"{checked.entity}:{checked.ref}")},
    )
    return row


def items_for(
    session: Session, actor: Actor, entity: str, ref: str, *, open_only: bool = True
) -> list[WorkItem]:
    """The items linked to one record, in the inboxes the actor can read (and those they
    raised), soonest due first."""
    from sqlmodel import col, or_, select

    from bo_console.core.inbox import visible_departments
    from bo_console.core.models import WorkItem, WorkItemLink

    link = check_link(Link(entity, ref))
    depts = visible_departments(actor)
    stmt = (
        select(WorkItem)
        .join(WorkItemLink, col(WorkItemLink.item_id) == col(WorkItem.id))
        .where(WorkItemLink.entity == link.entity, WorkItemLink.ref == link.ref)
        .where(or_(col(WorkItem.to_dept).in_(depts), WorkItem.created_by == actor.login))
    )
    if open_only:
        stmt = stmt.where(col(WorkItem.closed_at).is_(None))
    stmt = stmt.order_by(col(WorkItem.due_date).is_(None), col(WorkItem.due_date), col(WorkItem.id))
    return list(session.exec(stmt).all())
