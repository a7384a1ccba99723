"""Fiscal periods (months): list them, close them, reopen them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.core.errors import PermissionDenied
from bo_console.finance.ledger.rules import parse_period
from bo_console.finance.models import Period

# The list reads without the ORM; these names stay importable from here.
from bo_console.finance.period_list import PeriodView as PeriodView
from bo_console.finance.period_list import list_periods as list_periods

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor


def close_period(
    session: Session,
    actor: Actor,
    period: str,
    *,
    overrides: dict[str, str] | None = None,
    after_close: bool = True,
    notes: list[str] | None = None,
) -> bool:
    """Close a month: nothing can be posted into it afterwards. Returns False if already
    closed (or before the books' first month, which counts as closed).

    Months close in order, after the month-end checklist (:mod:`.closing`); ``overrides``
    maps a failing item's key to the reason a manager closes anyway (audited). Closing a
    fiscal year's last month closes the year (:mod:`.year_end`). Then the after-close hooks
    run (:func:`.closing.run_after_close`: the month-end snapshot); ``after_close=False``
    leaves that to the caller (the demo, which lays down other departments' history after
    closing its months, takes the snapshots at the end). The hooks' notes for the closer (a
    snapshot left to the backfill) are added to ``notes``.

    Raises:
        RuleViolation: an earlier month is open, or a checklist item fails.
    """
    from bo_console.core import audit
    from bo_console.core.clock import utcnow
    from bo_console.finance.ledger.batch import current
    from bo_console.finance.ledger.closing import refuse_unready
    from bo_console.finance.ledger.locks import before_books, fix_books_start
    from bo_console.finance.ledger.year_end import post_closing_entry

    actor.require("finance.manage", "close periods")
    period = parse_period(period)
    row = session.get(Period, period)
    if (row is not None and row.status == "closed") or before_books(session, period):
        return False
    changes: dict[str, tuple[object, object]] = {"status": ("open", "closed")}
    changes.update(refuse_unready(session, actor, period, overrides or {}))
    fix_books_start(session, period)
    closing = post_closing_entry(session, actor, period)
    if closing is not None:
        changes["closing_entry"] = (None, closing.ref)
    if row is None:
        row = Period(period=period, status="closed", changed_by=actor.login)
    else:
        row.status, row.changed_by, row.changed_at = "closed", actor.login, utcnow()
    session.add(row)
    session.flush()
    batch = current(session)
    if batch is not None:
        batch.open_periods.discard(period)
    audit.record(session, actor, action="close", entity="period", entity_id=period, changes=changes)
    if after_close:
        from bo_console.finance.ledger.closing import run_after_close

        found = run_after_close(session, actor, period)
        if notes is not None:
            notes.extend(found)
    return True


REOPEN_ROLE = "admin"
"""Reopening a closed month changes what was reported from it, so only an admin may."""


def reopen_refusal(actor: Actor) -> str | None:
    """Why ``actor`` may not reopen a closed period, or None when they may: the one place
    that decides it (the period commands and the Periods tab both ask here)."""
    if not actor.can("finance.read"):
        return f"{actor.login} may not reopen periods: it needs finance.read"
    if REOPEN_ROLE not in actor.roles:
        return f"{actor.login} may not reopen a closed period: only an admin may (role admin)"
    return None


def can_reopen_periods(actor: Actor) -> bool:
    """Whether ``actor`` may reopen closed periods (see :func:`reopen_refusal`)."""
    return reopen_refusal(actor) is None


def period_actions(actor: Actor, view: PeriodView) -> frozenset[str]:
    """What ``actor`` may do next with a month: ``close`` an open one (``finance.manage``),
    ``reopen`` a closed one (see :func:`reopen_refusal`)."""
    if view.status == "open":
        return frozenset({"close"}) if actor.can("finance.manage") else frozenset()
    return frozenset({"reopen"}) if can_reopen_periods(actor) else frozenset()


def reopen_period(session: Session, actor: Actor, period: str, *, reason: str = "") -> bool:
    """Reopen a closed month (admins only; audited). Returns False if it was open.

    Raises:
        PermissionDenied: the actor is not an admin.
    """
    from bo_console.core import audit
    from bo_console.core.clock import utcnow
    from bo_console.core.text import clean
    from bo_console.finance.ledger.year_end import reverse_closing_entry

    actor.require("finance.read", "reopen periods")
    refusal = reopen_refusal(actor)
    if refusal is not None:
        raise PermissionDenied(refusal)
    period = parse_period(period)
    row = session.get(Period, period)
    if row is None or row.status != "closed":
        return False
    row.status, row.changed_by, row.changed_at = "open", actor.login, utcnow()
    session.add(row)
    session.flush()
    changes: dict[str, tuple[object, object]] = {"status": ("closed", "open")}
    reversal = reverse_closing_entry(session, actor, period)
    if reversal is not None:
        changes["closing_entry"] = (None, f"reversed by {reversal.ref}")
    if reason:
        changes["reason"] = (None, clean(reason)[:200])
    audit.record(
        session, actor, action="reopen", entity="period", entity_id=period, changes=changes
    )
    return True
