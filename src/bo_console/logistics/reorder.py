"""Reorder: items whose position (on hand + on order - reserved) is below their reorder point,
and the draft purchase orders, one per preferred supplier, that ``bo logistics reorder`` raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.logistics.purchasing import create_order
from bo_console.logistics.reorder_list import ReorderSuggestion as ReorderSuggestion
from bo_console.logistics.reorder_list import reorder_suggestions as reorder_suggestions

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.jobs import Progress
    from bo_console.core.security import Actor


# -- reorder ------------------------------------------------------------------------------------


def reorder(
    session: Session,
    actor: Actor,
    *,
    on: date,
    location: str,
    notify: bool = False,
    progress: Progress | None = None,
) -> list[str]:
    """Raise draft purchase orders, one per preferred supplier, for the items below their
    reorder point (items without a preferred supplier are only reported); with ``notify``,
    a note in the logistics inbox. Returns the new orders' numbers. ``progress`` hears
    ``(orders raised, suppliers + 1)``; the last step is the note.
    """
    from bo_console.core import inbox
    from bo_console.core.jobs import tell
    from bo_console.logistics.models import OrderLineCreate, PurchaseOrderCreate

    actor.require("logistics.write", "raise purchase orders")
    suggestions = reorder_suggestions(session, actor)
    per_supplier: dict[str, list[ReorderSuggestion]] = {}
    for s in suggestions:
        if s.supplier:
            per_supplier.setdefault(s.supplier, []).append(s)
    numbers: list[str] = []
    steps = len(per_supplier) + 1
    for supplier, wanted in sorted(per_supplier.items()):
        order = create_order(
            session,
            actor,
            PurchaseOrderCreate(
                supplier=supplier,
                date=on,
                location=location,
                memo=f"reorder {on.isoformat()}",
                lines=[OrderLineCreate(item=s.sku, quantity=s.quantity) for s in wanted],
            ),
        )
        numbers.append(order.number)
        tell(progress, len(numbers), steps)
    if notify and suggestions:
        without = [s.sku for s in suggestions if not s.supplier]
        body = f"Draft purchase orders: {', '.join(numbers) or 'none'}."
        if without:
            body += f" Items with no preferred supplier: {', '.join(without[:20])}."
        inbox.create_item(
            session,
            actor,
            from_dept="logistics",
            item=inbox.NewWorkItem(
                kind="reorder",
                subject=f"Reorder {on.isoformat()}: {len(suggestions)} items below reorder point",
                body=body,
                to_dept="logistics",
            ),
        )
    tell(progress, steps, steps)
    return numbers


@dataclass(frozen=True)
class ReorderRun:
    """What a day's reorder run did: the draft orders it raised."""

    numbers: list[str]

    @property
    def summary(self) -> str:
        """The run's one line (its job record, and what the faces say)."""
        return f"draft orders: {', '.join(self.numbers) or 'none'}"


def run_reorder(
    store: Store,
    actor: Actor,
    *,
    on: date,
    location: str,
    notify: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> ReorderRun:
    """:func:`reorder` as the job ``logistics.reorder``, once a day unless ``force``
    (locked, recorded with its summary): what cron and the console run.

    Raises:
        AlreadyDone: it ran today (recorded as skipped).
        Busy: another copy is running.
    """
    from bo_console.core.jobs import run_job

    with run_job(store, actor, "logistics.reorder", key=on.isoformat(), force=force) as job:
        with store.write() as session:
            done = ReorderRun(
                reorder(session, actor, on=on, location=location, notify=notify, progress=progress)
            )
            job.complete(session, done.summary)
    return done
