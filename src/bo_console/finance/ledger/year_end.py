"""The fiscal year and its close.

The fiscal year starts in the month of the ``finance.fiscal_year_start`` setting (1-12,
default January) and is named after the calendar year it ends in. Closing the last month of
a fiscal year closes the year: a flagged closing entry (source ``closing``, ref
``year:<name>``) dated on its last day moves every income and expense account's balance for
the year to retained earnings, so the trial balance shows the closed year in retained
earnings and this year's income and expenses alone. The income statement leaves closing
entries out (a reversed one cancels with its reversal), so a closed year's statement is
unchanged. The entry is
reversed only by reopening that month (admins, audited), which reverses it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import PermissionDenied, RuleViolation, ValidationFailed
from bo_console.finance.fiscal import FISCAL_YEAR_START as FISCAL_YEAR_START
from bo_console.finance.fiscal import FiscalYear as FiscalYear
from bo_console.finance.fiscal import closing_sums as closing_sums
from bo_console.finance.fiscal import fiscal_year as fiscal_year
from bo_console.finance.fiscal import start_month as start_month
from bo_console.finance.fiscal import year_bounds as year_bounds

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.models import Entry


def year_end_of(session: Session, period: str) -> str | None:
    """The fiscal year's name when ``period`` is its last month, else None."""
    year, month = int(period[:4]), int(period[5:])
    if month % 12 + 1 != start_month(session):
        return None
    return f"{year:04d}"


def last_month(session: Session, year: str) -> str:
    """The last month of fiscal year ``year`` (named after the calendar year it ends in).

    Raises:
        ValidationFailed: not a year.
    """
    text = year.strip()
    if not (len(text) == 4 and text.isdigit()):
        raise ValidationFailed(f"{year!r} is not a fiscal year (use YYYY, e.g. 2025)")
    month = (start_month(session) - 2) % 12 + 1
    return f"{text}-{month:02d}"


def set_start_month(session: Session, actor: Actor, month: int) -> FiscalYear:
    """Change the month the fiscal year starts in (admins; audited). Refused once a year has
    been closed, since that would move closed years' boundaries.

    Raises:
        PermissionDenied: not an admin.
        RuleViolation: a year is closed.
        ValidationFailed: not a month number.
    """
    from sqlalchemy import text

    from bo_console.core import settings
    from bo_console.core.clock import today

    if not actor.can("users.admin"):
        raise PermissionDenied(f"{actor.login} may not change the fiscal year: only an admin may")
    if not 1 <= month <= 12:
        raise ValidationFailed("the fiscal year's start month is 1 to 12")
    closed = session.execute(
        text("SELECT source_ref FROM fin_entry WHERE source = 'closing' AND state = 'posted'")
    ).first()
    if closed is not None and month != start_month(session):
        raise RuleViolation(
            f"{closed[0]} is closed; reopen it before changing the fiscal year's start"
        )
    settings.put(session, actor, FISCAL_YEAR_START, str(month))
    return fiscal_year(session, actor, today())


def post_closing_entry(session: Session, actor: Actor, period: str) -> Entry | None:
    """When ``period`` ends a fiscal year, post the year's closing entry; None otherwise (or
    when the year moved no income or expense)."""
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.chart import role_code
    from bo_console.finance.ledger.posting import post_entry
    from bo_console.finance.models import EntryCreate, LineCreate
    from bo_console.finance.reports import sums_between

    name = year_end_of(session, period)
    if name is None:
        return None
    last = date(int(period[:4]), int(period[5:]), 1)
    first, last = year_bounds(session, last)
    chart = load_chart(session)
    sums = sums_between(session, first, last)
    lines: list[LineCreate] = []
    net = 0
    for account_id, (debit, credit) in sorted(sums.items()):
        account = chart.accounts[account_id]
        if account.type not in ("income", "expense") or debit == credit:
            continue
        balance = debit - credit
        net += balance
        lines.append(LineCreate.signed(account.code, -balance, f"Close {name}"))
    if not lines:
        return None
    retained = role_code(session, "retained_earnings")
    if net:
        lines.append(LineCreate.signed(retained, net, f"Result of {name}"))
    return post_entry(
        session,
        actor,
        EntryCreate(
            date=last,
            memo=f"Year-end close {name}: income and expenses to retained earnings",
            source="closing",
            source_ref=f"year:{name}",
            lines=lines,
        ),
        permission="finance.manage",
    )


def reverse_closing_entry(session: Session, actor: Actor, period: str) -> Entry | None:
    """Reverse the closing entry of the fiscal year ``period`` ends (when a year-end month is
    reopened); None when there is none."""
    from sqlalchemy import text

    from bo_console.finance.ledger.posting import reverse_entry

    name = year_end_of(session, period)
    if name is None:
        return None
    row = session.execute(
        text(
            "SELECT id FROM fin_entry WHERE source = 'closing' AND source_ref = :r "
            "AND state = 'posted'"
        ),
        {"r": f"year:{name}"},
    ).first()
    if row is None:
        return None
    return reverse_entry(
        session,
        actor,
        int(row[0]),
        memo=f"Year {name} reopened: closing entry reversed",
        from_document=True,
    )


def close_year(
    session: Session,
    actor: Actor,
    year: str,
    *,
    overrides: dict[str, str] | None = None,
    notes: list[str] | None = None,
) -> bool:
    """Close fiscal year ``year``: close its last month, which posts the closing entry.
    Returns False when it was closed already; the after-close hooks' notes go to ``notes``."""
    from bo_console.finance.ledger.periods import close_period

    return close_period(session, actor, last_month(session, year), overrides=overrides, notes=notes)
