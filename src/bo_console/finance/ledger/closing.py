"""Closing a month: in order, after a checklist a finance manager may override item by item.

The checklist and its registry of items are :mod:`bo_console.finance.close_checklist`
(re-exported here), which reads without the ORM.

After a month closes, the after-close hooks run in the same transaction, registered the same
two ways (:func:`register_after_close`, or the ``bo_console.after_close`` entry-point group):
data management writes the month-end snapshot that way. A hook may write; if it fails, the
close fails with it. A hook may return a note for the person who closed the month (a step it
left to someone else), which the close shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.finance.close_checklist import _REGISTRY as _REGISTRY
from bo_console.finance.close_checklist import ENTRY_POINT_GROUP as ENTRY_POINT_GROUP
from bo_console.finance.close_checklist import Checklist as Checklist
from bo_console.finance.close_checklist import ChecklistItem as ChecklistItem
from bo_console.finance.close_checklist import CloseCheck as CloseCheck
from bo_console.finance.close_checklist import CloseCheckFn as CloseCheckFn
from bo_console.finance.close_checklist import checklist as checklist
from bo_console.finance.close_checklist import month_bounds as month_bounds
from bo_console.finance.close_checklist import order_problem as order_problem
from bo_console.finance.close_checklist import previous_month as previous_month
from bo_console.finance.close_checklist import register_close_check as register_close_check
from bo_console.finance.close_checklist import registered_checks as registered_checks

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

AFTER_CLOSE_GROUP = "bo_console.after_close"

AfterCloseFn = Callable[["Session", "Actor", str], "str | None"]
"""A hook run once a month has closed: (session, who closed it, month) -> a note for the
person who closed it, or None."""


_AFTER_CLOSE: dict[str, AfterCloseFn] = {}
_after_loaded = False


def register_after_close(key: str, hook: AfterCloseFn) -> None:
    """Add (or replace) a hook run after a month closes."""
    _AFTER_CLOSE[key] = hook


def after_close_hooks() -> dict[str, AfterCloseFn]:
    """Every after-close hook by key: those registered in process, then the entry points."""
    global _after_loaded
    if not _after_loaded:
        _after_loaded = True
        from importlib.metadata import entry_points

        for point in entry_points(group=AFTER_CLOSE_GROUP):
            try:
                found = point.load()
            except ImportError:  # a part not installed in this build
                continue
            _AFTER_CLOSE.setdefault(point.name, found)
    return dict(_AFTER_CLOSE)


def run_after_close(session: Session, actor: Actor, period: str) -> list[str]:
    """Run every after-close hook for ``period``, in registration order; their notes."""
    notes = []
    for hook in after_close_hooks().values():
        note = hook(session, actor, period)
        if note:
            notes.append(note)
    return notes


def refuse_unready(
    session: Session, actor: Actor, period: str, overrides: dict[str, str]
) -> dict[str, tuple[object, object]]:
    """Check the month may close; returns the audit changes for the overridden items.

    Raises:
        RuleViolation: an earlier month is open, or an item fails without an override.
        ValidationFailed: an override names no item or gives no reason.
    """
    from bo_console.core.text import clean

    found = checklist(session, actor, period)
    if found.order_problem is not None:
        raise RuleViolation(found.order_problem)
    keys = {i.key for i in found.items}
    for key, reason in overrides.items():
        if key not in keys:
            raise ValidationFailed(f"no checklist item {key!r} (items: {', '.join(sorted(keys))})")
        if not clean(reason):
            raise ValidationFailed(f"overriding {key!r} needs a reason")
    failing = [i for i in found.items if not i.ok and i.key not in overrides]
    if failing:
        first = failing[0]
        more = f" (and {len(failing) - 1} more item(s))" if len(failing) > 1 else ""
        raise RuleViolation(
            f"{period}: {first.problems[0]}{more}; fix it or override with a reason "
            f"(--override {first.key}=REASON)"
        )
    return {
        f"override {i.key}": ("; ".join(i.problems), clean(overrides[i.key])[:200])
        for i in found.items
        if not i.ok and i.key in overrides
    }
