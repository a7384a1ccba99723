"""The lock on the books' edges: where they start and how far ahead one may post.

Every month before the books' first month counts as closed, in this service and in the
database (the ``0010`` triggers read the same setting). While the books are being set up
(opening balances, history imported) nothing is closed; the first month closed fixes the
books' first month at the earliest posting unless an admin set it before. Only an admin moves
it, and never past a posting. Postings dated more than ``finance.future_days`` ahead of today need a
finance manager (a typo in the year is the usual cause).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.finance.ledger.rules import parse_period

# The books' limits are read without the ORM (the period list and ``period limits``).
from bo_console.finance.period_list import BOOKS_START as BOOKS_START
from bo_console.finance.period_list import DEFAULT_FUTURE_DAYS as DEFAULT_FUTURE_DAYS
from bo_console.finance.period_list import FUTURE_DAYS as FUTURE_DAYS
from bo_console.finance.period_list import BookLimits as BookLimits
from bo_console.finance.period_list import book_limits as book_limits
from bo_console.finance.period_list import books_start as books_start
from bo_console.finance.period_list import future_days as future_days

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


def before_books(db: Reads, period: str) -> bool:
    """Whether ``period`` lies before the books' first month (and so counts as closed),
    through a Reader or a session."""
    start = books_start(db)
    return start is not None and period < start


def before_books_problem(day: date, start: str, doing: str = "post") -> str:
    """What a posting dated before the books' first month is told."""
    return (
        f"the books start in {start}; cannot {doing} an entry dated {day.isoformat()} "
        "(every month before the books' first month is closed)"
    )


def refuse_future(session: Session, actor: Actor, day: date) -> None:
    """Raise unless ``day`` is within the forward limit or the actor is a finance manager.

    Raises:
        PermissionDenied: dated too far ahead for the actor.
    """
    from bo_console.core.clock import today

    days = future_days(session)
    if day <= today() + timedelta(days=days) or actor.can("finance.manage"):
        return
    raise PermissionDenied(
        f"{day.isoformat()} is more than {days} days ahead; only a finance manager may post "
        "that far ahead (check the year)"
    )


def fix_books_start(session: Session, period: str) -> str:
    """The books' first month, fixed now (at the earliest posting, else ``period``) if
    nothing has fixed it yet."""
    from bo_console.core import settings

    start = books_start(session)
    if start is None:
        start = min(filter(None, (_first_posted_month(session), period)))
        settings.put(session, None, BOOKS_START, start)
    return start


def _first_posted_month(session: Session) -> str | None:
    from sqlalchemy import text

    first = session.execute(
        text("SELECT MIN(date) FROM fin_entry WHERE state <> 'draft'")
    ).scalar_one()
    return None if first is None else str(first)[:7]


def set_book_limits(
    session: Session,
    actor: Actor,
    *,
    start: str | None = None,
    days: int | None = None,
    reason: str = "",
) -> BookLimits:
    """Change the books' first month (admins) or the forward limit (finance managers).

    Moving the first month earlier opens months that were closed; later, it may not pass
    the first posting. Both changes are audited (the setting's own audit row).

    Raises:
        PermissionDenied: the actor may not change that limit.
        RuleViolation: the new first month is after a posting.
        ValidationFailed: not a month, or a negative number of days.
    """
    from bo_console.core import audit, settings
    from bo_console.core.text import clean
    from bo_console.finance.ledger.periods import reopen_refusal

    actor.require("finance.manage", "change the books' limits")
    if start is not None:
        start = parse_period(start)
        refusal = reopen_refusal(actor)
        if refusal is not None:
            raise PermissionDenied(
                refusal.replace("reopen a closed period", "move the books' first month")
            )
        first = _first_posted_month(session)
        if first is not None and start > first:
            raise RuleViolation(f"entries are posted in {first}; the books cannot start after it")
        before = books_start(session)
        if before != start:
            row_actor = actor if actor.can("users.admin") else None
            settings.put(session, row_actor, BOOKS_START, start)
            if row_actor is None or reason:
                audit.record(
                    session,
                    actor,
                    action="set",
                    entity="books_start",
                    entity_id=start,
                    changes={"value": (before, start), "reason": (None, clean(reason)[:200])},
                )
    if days is not None:
        if days < 0 or days > 3660:
            raise ValidationFailed("future days must be between 0 and 3660")
        before_days = future_days(session)
        if before_days != days:
            settings.put(session, None, FUTURE_DAYS, str(days))
            audit.record(
                session,
                actor,
                action="set",
                entity="setting",
                entity_id=FUTURE_DAYS,
                changes={"value": (before_days, days)},
            )
    return BookLimits(books_start(session), future_days(session))
