"""The journal: draft, post and reverse entries; open and close fiscal periods.

This is the company's book of record. Other departments post through :func:`post_entry`
(payroll, stock, invoices, ...) with their document as ``source``/``source_ref``; one live
entry per document. Every function takes the caller's session and never commits, so a
document and its entry are one transaction. The database repeats the essential rules in
triggers (``0002_ledger``), so the checks here are the friendly first line, not the only one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import (
    FieldError,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from bo_console.finance.models import (
    DOCUMENT_SOURCES,
    Account,
    Entry,
    EntryCreate,
    Line,
    LineCreate,
    Period,
    entry_ref,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_ENTRY_NUMBER = re.compile(r"^(\d{4})[-/](\d{1,9})$")
_ENTRY_ID = re.compile(r"^(?:draft\s*)?#?(\d{1,12})$")

MAX_AMOUNT = 10**15
"""The largest amount, in minor units, that a line, an entry, a document or a payment may
carry (10 trillion in a 2-decimal currency): far above any real one, and far enough below the
database's 64-bit integers that the sums the books keep cannot overflow."""


def amount_problem(minor: int, exponent: int) -> str | None:
    """Why an amount in minor units cannot be booked (too large), or None."""
    if abs(minor) <= MAX_AMOUNT:
        return None
    from bo_console.core.money import format_amount

    return f"amount too large: at most {format_amount(MAX_AMOUNT, exponent)}"


# -- periods ----------------------------------------------------------------------------------


def period_of(day: date) -> str:
    """The fiscal period (month) of a date: ``2026-03``."""
    return f"{day.year:04d}-{day.month:02d}"


def parse_period(text: str) -> str:
    """A ``YYYY-MM`` month, checked.

    Raises:
        ValidationFailed: the text is not a month.
    """
    value = text.strip()
    if not _PERIOD.match(value):
        raise ValidationFailed(f"{text!r} is not a month (use YYYY-MM, e.g. 2026-03)")
    return value


def month_sql(session: Session, column: str) -> str:
    """SQL for the ``YYYY-MM`` of a date column, in the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def closed_periods(session: Session) -> set[str]:
    """Every closed month."""
    from sqlalchemy import text

    rows = session.execute(text("SELECT period FROM fin_period WHERE status = 'closed'")).all()
    return {str(r[0]) for r in rows}


def is_closed(session: Session, period: str) -> bool:
    from sqlalchemy import text

    row = session.execute(
        text("SELECT status FROM fin_period WHERE period = :p"), {"p": period}
    ).first()
    return row is not None and row[0] == "closed"


def _refuse_closed(session: Session, day: date, doing: str = "post") -> None:
    period = period_of(day)
    if is_closed(session, period):
        raise RuleViolation(
            f"period {period} is closed; cannot {doing} an entry dated {day.isoformat()} "
            "(use a date in an open period, or ask an admin to reopen it)"
        )


@dataclass(frozen=True)
class PeriodView:
    """A month of the books with its state and what is in it."""

    period: str
    status: str
    posted: int
    drafts: int
    changed_by: str
    changed_at: datetime | None


def list_periods(session: Session, actor: Actor, *, year: int) -> list[PeriodView]:
    """The twelve months of ``year`` with their status and entry counts."""
    from sqlalchemy import text

    actor.require("finance.read", "list periods")
    counts: dict[tuple[str, str], int] = {}
    for period, state, count in session.execute(
        text(
            f"SELECT {month_sql(session, 'date')}, state = 'draft', count(*) FROM fin_entry "
            "WHERE date >= :a AND date <= :b GROUP BY 1, 2"
        ),
        {"a": date(year, 1, 1), "b": date(year, 12, 31)},
    ).all():
        counts[(str(period), "draft" if state else "posted")] = int(count)
    rows = {
        str(r[0]): r
        for r in session.execute(
            text(
                "SELECT period, status, changed_by, changed_at FROM fin_period WHERE period LIKE :y"
            ),
            {"y": f"{year:04d}-%"},
        ).all()
    }
    out = []
    for month in range(1, 13):
        key = f"{year:04d}-{month:02d}"
        row = rows.get(key)
        changed_at = None
        if row is not None and row[3] is not None:
            changed_at = row[3] if isinstance(row[3], datetime) else datetime.fromisoformat(row[3])
        out.append(
            PeriodView(
                period=key,
                status=str(row[1]) if row else "open",
                posted=counts.get((key, "posted"), 0),
                drafts=counts.get((key, "draft"), 0),
                changed_by=str(row[2]) if row else "",
                changed_at=changed_at,
            )
        )
    return out


def _month_bounds(period: str) -> tuple[date, date]:
    import calendar

    year, month = int(period[:4]), int(period[5:])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def close_period(session: Session, actor: Actor, period: str) -> bool:
    """Close a month: nothing can be posted into it afterwards. Returns False if already closed.

    Raises:
        RuleViolation: drafts are dated in the month (post or delete them first).
    """
    from sqlalchemy import text

    from bo_console.core import audit
    from bo_console.core.clock import utcnow

    actor.require("finance.manage", "close periods")
    period = parse_period(period)
    row = session.get(Period, period)
    if row is not None and row.status == "closed":
        return False
    first, last = _month_bounds(period)
    drafts = session.execute(
        text("SELECT count(*) FROM fin_entry WHERE state = 'draft' AND date BETWEEN :a AND :b"),
        {"a": first, "b": last},
    ).scalar_one()
    if drafts:
        raise RuleViolation(
            f"{period} has {drafts} draft entr{'y' if drafts == 1 else 'ies'}; "
            "post or delete them before closing (bo finance journal list --state draft)"
        )
    if row is None:
        row = Period(period=period, status="closed", changed_by=actor.login)
    else:
        row.status, row.changed_by, row.changed_at = "closed", actor.login, utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="close",
        entity="period",
        entity_id=period,
        changes={"status": ("open", "closed")},
    )
    return True


def reopen_period(session: Session, actor: Actor, period: str, *, reason: str = "") -> bool:
    """Reopen a closed month (admins only; audited). Returns False if it was open.

    Raises:
        PermissionDenied: the actor is not an admin.
    """
    from bo_console.core import audit
    from bo_console.core.clock import utcnow
    from bo_console.core.text import clean

    actor.require("finance.read", "reopen periods")
    if "admin" not in actor.roles:
        raise PermissionDenied(
            f"{actor.login} may not reopen a closed period: only an admin may (role admin)"
        )
    period = parse_period(period)
    row = session.get(Period, period)
    if row is None or row.status != "closed":
        return False
    row.status, row.changed_by, row.changed_at = "open", actor.login, utcnow()
    session.add(row)
    session.flush()
    changes: dict[str, tuple[object, object]] = {"status": ("closed", "open")}
    if reason:
        changes["reason"] = (None, clean(reason)[:200])
    audit.record(
        session, actor, action="reopen", entity="period", entity_id=period, changes=changes
    )
    return True


# -- entries: validation ------------------------------------------------------------------------


def _flush(session: Session) -> None:
    """Flush, turning a refusal by the ledger's triggers into a rule violation."""
    from sqlalchemy.exc import IntegrityError

    try:
        session.flush()
    except IntegrityError as exc:
        message = str(exc.orig)
        if message.startswith(("fin_entry:", "fin_line:", "fin_period:")):
            raise RuleViolation(f"the ledger refused: {message.split(':', 1)[1].strip()}") from exc
        raise


@dataclass(frozen=True)
class _Checked:
    account: Account
    line: LineCreate


def _check_lines(session: Session, chart: Chart, lines: Sequence[LineCreate]) -> list[_Checked]:
    from bo_console.core.money import base_currency
    from bo_console.core.text import clean

    exponent = base_currency(session).exponent
    errors: list[FieldError] = []
    out: list[_Checked] = []
    debit_total = credit_total = 0
    for number, raw in enumerate(lines, start=1):
        line = LineCreate.model_validate(raw.model_dump())
        where = f"line {number}"
        debit_total, credit_total = debit_total + line.debit, credit_total + line.credit
        too_large = amount_problem(max(line.debit, line.credit), exponent)
        if too_large:
            errors.append(FieldError(f"{where} amount", too_large))
        account = chart.find(line.account)
        if account is None:
            errors.append(FieldError(f"{where} account", f"no account {line.account!r}"))
            continue
        if not account.active:
            errors.append(FieldError(f"{where} account", f"{account.code} is inactive"))
        if not account.postable:
            errors.append(
                FieldError(
                    f"{where} account",
                    f"{account.code} {account.name} is a group account; post to one under it",
                )
            )
        cleaned = line.model_copy(
            update={
                "memo": clean(line.memo),
                "cost_centre": clean(line.cost_centre) or None if line.cost_centre else None,
                "tax_code": clean(line.tax_code) or None if line.tax_code else None,
            }
        )
        out.append(_Checked(account, cleaned))
    total_problem = amount_problem(max(debit_total, credit_total), exponent)
    if total_problem and not errors:
        errors.append(FieldError("lines", f"the entry's total: {total_problem}"))
    if errors:
        more = f" (and {len(errors) - 2} more)" if len(errors) > 2 else ""
        raise ValidationFailed("; ".join(str(e) for e in errors[:2]) + more, errors)
    return out


def _totals(lines: Sequence[_Checked]) -> tuple[int, int]:
    return sum(c.line.debit for c in lines), sum(c.line.credit for c in lines)


def _require_balanced(lines: Sequence[_Checked], currency: Currency) -> int:
    debit, credit = _totals(lines)
    if debit != credit:
        raise ValidationFailed(
            f"debits ({currency.format(debit)}) do not equal credits ({currency.format(credit)}); "
            f"difference {currency.format(debit - credit)}",
            [FieldError("lines", "debits must equal credits")],
        )
    if debit <= 0:
        raise ValidationFailed("an entry moves more than zero", [FieldError("lines", "empty")])
    return debit


def _lines_text(lines: Sequence[_Checked], currency: Currency) -> str:
    parts = []
    for c in lines:
        side, amount = ("Dr", c.line.debit) if c.line.debit else ("Cr", c.line.credit)
        parts.append(f"{c.account.code} {side} {currency.format(amount, grouping=False)}")
    return "; ".join(parts)


def _check_permission(actor: Actor, source: str, permission: str, doing: str) -> None:
    if permission != "finance.post" and source in ("manual", "import", "opening", "reversal"):
        raise PermissionDenied(f"a {source} entry needs finance.post, not {permission}")
    actor.require(permission, doing)


def _check_document(session: Session, source: str, source_ref: str | None) -> None:
    from sqlalchemy import text

    if source_ref is None:
        return
    row = session.execute(
        text(
            "SELECT id, year, number FROM fin_entry WHERE source = :s AND source_ref = :r "
            "AND state IN ('draft', 'posted')"
        ),
        {"s": source, "r": source_ref},
    ).first()
    if row is not None:
        raise RuleViolation(
            f"{source} {source_ref} already has entry {entry_ref(row[1], row[2], row[0])}; "
            "reverse it before entering the document again"
        )


# -- entries: writing ---------------------------------------------------------------------------


def _next_number(session: Session, year: int) -> int:
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        # SQLite serialises writers with BEGIN IMMEDIATE; PostgreSQL needs a lock so two
        # postings cannot take the same number (the unique index would refuse the second).
        session.execute(text("SELECT pg_advisory_xact_lock(7271002)"))
    value = session.execute(
        text("SELECT COALESCE(MAX(number), 0) + 1 FROM fin_entry WHERE year = :y"), {"y": year}
    ).scalar_one()
    return int(value)


def _write_lines(session: Session, entry: Entry, lines: Sequence[_Checked]) -> None:

    assert entry.id is not None
    for number, c in enumerate(lines, start=1):
        assert c.account.id is not None
        session.add(
            Line(
                entry_id=entry.id,
                line_no=number,
                account_id=c.account.id,
                date=entry.date,
                debit=c.line.debit,
                credit=c.line.credit,
                memo=c.line.memo,
                party_id=c.line.party_id,
                tax_code=c.line.tax_code,
                cost_centre=c.line.cost_centre,
            )
        )


def _new_draft(
    session: Session, actor: Actor, data: EntryCreate, lines: Sequence[_Checked]
) -> Entry:
    from bo_console.core.text import clean

    entry = Entry(
        date=data.date,
        memo=clean(data.memo),
        source=data.source,
        source_ref=clean(data.source_ref) if data.source_ref else None,
        state="draft",
        total=_totals(lines)[0],
        created_by=actor.login,
    )
    session.add(entry)
    _flush(session)
    _write_lines(session, entry, lines)
    _flush(session)
    return entry


def _post(session: Session, actor: Actor, entry: Entry) -> None:
    from bo_console.core.clock import utcnow

    number = _next_number(session, entry.date.year)  # before any change: it autoflushes
    entry.state = "posted"
    entry.year = entry.date.year
    entry.number = number
    entry.posted_by = actor.login
    entry.posted_at = utcnow()
    session.add(entry)
    _flush(session)


def _validated(data: EntryCreate) -> EntryCreate:
    from pydantic import ValidationError

    from bo_console.finance.messages import invalid

    try:
        return EntryCreate.model_validate(data.model_dump())
    except ValidationError as exc:
        raise invalid(exc, fallback="entry") from None


def create_draft(
    session: Session, actor: Actor, data: EntryCreate, *, permission: str = "finance.post"
) -> Entry:
    """Save an entry as a draft (it may not balance yet). Nothing reaches the books.

    Raises:
        ValidationFailed: unknown, inactive or group accounts; bad lines.
        RuleViolation: its period is closed, or its document already has an entry.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.finance.accounts import load_chart

    data = _validated(data)
    _check_permission(actor, data.source, permission, "draft journal entries")
    lines = _check_lines(session, load_chart(session), data.lines)
    _refuse_closed(session, data.date, "draft")
    _check_document(session, data.source, data.source_ref)
    entry = _new_draft(session, actor, data, lines)
    currency = base_currency(session)
    audit.record(
        session,
        actor,
        action="create",
        entity="journal_entry",
        entity_id=entry.ref,
        changes={
            "date": (None, entry.date),
            "memo": (None, entry.memo),
            "source": (None, entry.source),
            "source_ref": (None, entry.source_ref),
            "lines": (None, _lines_text(lines, currency)),
        },
    )
    return entry


def post_entry(
    session: Session, actor: Actor, data: EntryCreate, *, permission: str = "finance.post"
) -> Entry:
    """Post a balanced entry in one step: what other departments call.

    Args:
        permission: the permission that authorises the posting. Clerks post with
            ``finance.post``; another department's service passes the permission it already
            checked for its document (payroll posts with ``payroll.approve``). Manual, import
            and opening entries always need ``finance.post``.

    Raises:
        ValidationFailed: unbalanced, or unknown, inactive or group accounts.
        RuleViolation: the period is closed, or the document already has a live entry.
        PermissionDenied: the actor lacks ``permission``.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.finance.accounts import load_chart

    data = _validated(data)
    _check_permission(actor, data.source, permission, "post journal entries")
    currency = base_currency(session)
    lines = _check_lines(session, load_chart(session), data.lines)
    _require_balanced(lines, currency)
    _refuse_closed(session, data.date)
    _check_document(session, data.source, data.source_ref)
    entry = _new_draft(session, actor, data, lines)
    _post(session, actor, entry)
    audit.record(
        session,
        actor,
        action="post",
        entity="journal_entry",
        entity_id=entry.ref,
        changes={
            "date": (None, entry.date),
            "memo": (None, entry.memo),
            "source": (None, entry.source),
            "source_ref": (None, entry.source_ref),
            "total": (None, currency.from_minor(entry.total)),
            "lines": (None, _lines_text(lines, currency)),
        },
    )
    return entry


def find_entry(session: Session, ref: str | int) -> Entry:
    """An entry by its number (``2026-000123``, ``2026-123``) or id (``#7``, ``7``).

    Raises:
        NotFound: no such entry.
    """
    from sqlmodel import select

    text = str(ref).strip()
    number = _ENTRY_NUMBER.match(text)
    entry: Entry | None = None
    if number:
        entry = session.exec(
            select(Entry).where(
                Entry.year == int(number.group(1)), Entry.number == int(number.group(2))
            )
        ).first()
    else:
        by_id = _ENTRY_ID.match(text)
        if by_id:
            entry = session.get(Entry, int(by_id.group(1)))
        else:
            raise ValidationFailed(f"{text!r} is not an entry number (2026-000123) or id (#7)")
    if entry is None:
        raise NotFound(f"no journal entry {text}")
    return entry


def _own_draft(session: Session, actor: Actor, ref: str | int, doing: str) -> Entry:
    entry = find_entry(session, ref)
    if entry.state != "draft":
        raise RuleViolation(
            f"entry {entry.ref} is {entry.state} and cannot be {doing}; "
            "a correction is a reversal (bo finance journal reverse)"
        )
    if entry.source in DOCUMENT_SOURCES:
        raise RuleViolation(
            f"draft {entry.ref} belongs to {entry.source} {entry.source_ref}; change it there"
        )
    return entry


def update_draft(session: Session, actor: Actor, ref: str | int, data: EntryCreate) -> Entry:
    """Replace a draft's date, memo and lines."""
    from sqlalchemy import text

    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.core.text import clean
    from bo_console.finance.accounts import load_chart

    data = _validated(data)
    actor.require("finance.post", "change draft entries")
    entry = _own_draft(session, actor, ref, "changed")
    assert entry.id is not None
    lines = _check_lines(session, load_chart(session), data.lines)
    _refuse_closed(session, data.date, "draft")
    currency = base_currency(session)
    before = _lines_text(_stored_lines(session, entry.id), currency)
    changes: dict[str, tuple[object, object]] = {}
    if data.date != entry.date:
        changes["date"] = (entry.date, data.date)
    if clean(data.memo) != entry.memo:
        changes["memo"] = (entry.memo, clean(data.memo))
    session.execute(text("DELETE FROM fin_line WHERE entry_id = :e"), {"e": entry.id})
    entry.date, entry.memo, entry.total = data.date, clean(data.memo), _totals(lines)[0]
    session.add(entry)
    _flush(session)
    _write_lines(session, entry, lines)
    _flush(session)
    after = _lines_text(lines, currency)
    if after != before:
        changes["lines"] = (before, after)
    if changes:
        audit.record(
            session,
            actor,
            action="update",
            entity="journal_entry",
            entity_id=entry.ref,
            changes=changes,
        )
    return entry


def _stored_lines(session: Session, entry_id: int) -> list[_Checked]:
    from sqlmodel import col, select

    out = []
    for line, account in session.exec(
        select(Line, Account)
        .join(Account, col(Account.id) == col(Line.account_id))
        .where(Line.entry_id == entry_id)
        .order_by(col(Line.line_no))
    ).all():
        out.append(
            _Checked(
                account,
                LineCreate(
                    account=account.code,
                    debit=line.debit,
                    credit=line.credit,
                    memo=line.memo,
                    party_id=line.party_id,
                    tax_code=line.tax_code,
                    cost_centre=line.cost_centre,
                ),
            )
        )
    return out


def delete_draft(session: Session, actor: Actor, ref: str | int) -> None:
    """Delete a draft entry (posted entries are never deleted)."""
    from sqlalchemy import text

    from bo_console.core import audit
    from bo_console.core.money import base_currency

    actor.require("finance.post", "delete draft entries")
    entry = _own_draft(session, actor, ref, "deleted")
    assert entry.id is not None
    lines = _lines_text(_stored_lines(session, entry.id), base_currency(session))
    label = entry.ref
    session.execute(text("DELETE FROM fin_line WHERE entry_id = :e"), {"e": entry.id})
    session.delete(entry)
    _flush(session)
    audit.record(
        session,
        actor,
        action="delete",
        entity="journal_entry",
        entity_id=label,
        changes={"memo": (entry.memo, None), "lines": (lines, None)},
    )


def post_draft(session: Session, actor: Actor, ref: str | int) -> Entry:
    """Post a draft: it must balance, its accounts be active and its period open.

    Raises:
        ValidationFailed: it does not balance, or an account is no longer usable.
        RuleViolation: it is not a draft, or its period is closed.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.finance.accounts import load_chart

    actor.require("finance.post", "post journal entries")
    entry = _own_draft(session, actor, ref, "posted again")
    assert entry.id is not None
    currency = base_currency(session)
    chart = load_chart(session)
    lines = _check_lines(session, chart, [c.line for c in _stored_lines(session, entry.id)])
    _require_balanced(lines, currency)
    _refuse_closed(session, entry.date)
    draft_label = entry.ref
    _post(session, actor, entry)
    audit.record(
        session,
        actor,
        action="post",
        entity="journal_entry",
        entity_id=entry.ref,
        changes={
            "state": ("draft", "posted"),
            "number": (draft_label, entry.ref),
            "total": (None, currency.from_minor(entry.total)),
        },
    )
    return entry


def reverse_entry(
    session: Session,
    actor: Actor,
    ref: str | int,
    *,
    on: date | None = None,
    memo: str | None = None,
    permission: str = "finance.post",
    from_document: bool = False,
) -> Entry:
    """Reverse a posted entry: a new posted entry with debits and credits swapped, linked both
    ways. Returns the reversal.

    Args:
        on: the reversal's date (default: the original's date; it must be in an open period).
        from_document: set by the service that owns the entry's document (a void, a credit
            note) to reverse an entry that came from an invoice, bill, payroll, ...

    Raises:
        RuleViolation: not posted, already reversed, from a document, or the date's period is
            closed.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.finance.accounts import load_chart

    actor.require(permission, "reverse journal entries")
    if permission != "finance.post" and not from_document:
        raise PermissionDenied(f"reversing a journal entry needs finance.post, not {permission}")
    original = find_entry(session, ref)
    assert original.id is not None
    if original.state == "draft":
        raise RuleViolation(f"{original.ref} is a draft; delete it instead of reversing it")
    if original.state == "reversed":
        by = session.get(Entry, original.reversed_by_id) if original.reversed_by_id else None
        raise RuleViolation(
            f"{original.ref} is already reversed by {by.ref if by else 'another entry'}"
        )
    if original.source in DOCUMENT_SOURCES and not from_document:
        raise RuleViolation(
            f"{original.ref} comes from {original.source} {original.source_ref or ''}".rstrip()
            + "; reverse it through that document"
        )
    day = on or original.date
    _refuse_closed(session, day, "post the reversal of")
    currency = base_currency(session)
    stored = _stored_lines(session, original.id)
    swapped = [
        c.line.model_copy(update={"debit": c.line.credit, "credit": c.line.debit}) for c in stored
    ]
    text_memo = memo if memo is not None else f"Reversal of {original.ref}: {original.memo}"
    data = EntryCreate(
        date=day,
        memo=text_memo[:200],
        source="reversal",
        lines=[LineCreate.model_validate(line.model_dump()) for line in swapped],
    )
    lines = _check_lines(session, load_chart(session), data.lines)
    reversal = _new_draft(session, actor, data, lines)
    reversal.reverses_id = original.id
    session.add(reversal)
    _flush(session)
    _post(session, actor, reversal)
    original.state = "reversed"
    original.reversed_by_id = reversal.id
    session.add(original)
    _flush(session)
    audit.record(
        session,
        actor,
        action="post",
        entity="journal_entry",
        entity_id=reversal.ref,
        changes={
            "date": (None, reversal.date),
            "memo": (None, reversal.memo),
            "source": (None, "reversal"),
            "reverses": (None, original.ref),
            "total": (None, currency.from_minor(reversal.total)),
            "lines": (None, _lines_text(lines, currency)),
        },
    )
    audit.record(
        session,
        actor,
        action="reverse",
        entity="journal_entry",
        entity_id=original.ref,
        changes={"state": ("posted", "reversed"), "reversed_by": (None, reversal.ref)},
    )
    return reversal


# -- entries: reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    """A line as an entry's detail shows it (amounts in major units)."""

    line_no: int
    code: str
    account: str
    debit: Decimal
    credit: Decimal
    memo: str
    cost_centre: str
    tax_code: str
    party_id: int | None


@dataclass(frozen=True)
class EntryView:
    """An entry with its lines."""

    id: int
    ref: str
    date: date
    memo: str
    source: str
    source_ref: str
    state: str
    total: Decimal
    reverses: str
    reversed_by: str
    created_by: str
    created_at: datetime
    posted_by: str
    posted_at: datetime | None
    lines: tuple[LineView, ...]

    @property
    def debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal(0))

    @property
    def credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal(0))


def get_entry(session: Session, actor: Actor, ref: str | int) -> EntryView:
    """One entry with its lines."""
    from bo_console.core.money import base_currency
    from bo_console.finance.accounts import load_chart

    actor.require("finance.read", "read journal entries")
    entry = find_entry(session, ref)
    assert entry.id is not None
    currency = base_currency(session)
    chart = load_chart(session)

    def ref_of(entry_id: int | None) -> str:
        if entry_id is None:
            return ""
        other = session.get(Entry, entry_id)
        return other.ref if other is not None else f"#{entry_id}"

    lines = tuple(
        LineView(
            line_no=number,
            code=c.account.code,
            account=chart.full_name(c.account.id or 0),
            debit=currency.from_minor(c.line.debit),
            credit=currency.from_minor(c.line.credit),
            memo=c.line.memo,
            cost_centre=c.line.cost_centre or "",
            tax_code=c.line.tax_code or "",
            party_id=c.line.party_id,
        )
        for number, c in enumerate(_stored_lines(session, entry.id), start=1)
    )
    return EntryView(
        id=entry.id,
        ref=entry.ref,
        date=entry.date,
        memo=entry.memo,
        source=entry.source,
        source_ref=entry.source_ref or "",
        state=entry.state,
        total=currency.from_minor(entry.total),
        reverses=ref_of(entry.reverses_id),
        reversed_by=ref_of(entry.reversed_by_id),
        created_by=entry.created_by,
        created_at=entry.created_at,
        posted_by=entry.posted_by or "",
        posted_at=entry.posted_at,
        lines=lines,
    )


@dataclass(frozen=True)
class EntryFilter:
    """What ``bo finance journal list`` filters on (see :class:`~bo_console.finance.journal.
    JournalFilter`, which it becomes): ``account`` includes the accounts under it."""

    date_from: date | None = None
    date_to: date | None = None
    state: str | None = None
    source: str | None = None
    account: str | None = None
    text: str | None = None
    limit: int = 200


@dataclass(frozen=True)
class EntryRow:
    """An entry as a list shows it."""

    id: int
    ref: str
    date: date
    memo: str
    source: str
    source_ref: str
    state: str
    total: Decimal
    created_by: str


def list_entries(session: Session, actor: Actor, flt: EntryFilter) -> list[EntryRow]:
    """Entries matching the filter, newest first: the journal tab's query
    (:func:`bo_console.finance.journal.journal_select`), so an account filter includes the
    accounts under it in both faces.

    Raises:
        NotFound: the filter names an account that does not exist.
    """
    from bo_console.core.money import base_currency
    from bo_console.finance.journal import (
        JournalFilter,
        entry_number_text,
        journal_columns,
        journal_select,
    )

    actor.require("finance.read", "read journal entries")
    query = JournalFilter(
        date_from=flt.date_from,
        date_to=flt.date_to,
        account=flt.account or "",
        state=flt.state or "",
        source=flt.source or "",
        text=(flt.text or "").strip(),
    )
    e = journal_columns()
    stmt = journal_select(session, query).order_by(e.date.desc(), e.id.desc()).limit(flt.limit)
    currency = base_currency(session)
    return [
        EntryRow(
            id=row.id,
            ref=entry_number_text(int(row.number)),
            date=row.date,
            memo=row.memo,
            source=row.source,
            source_ref=row.source_ref or "",
            state=row.state,
            total=currency.from_minor(int(row.total)),
            created_by=row.created_by,
        )
        for row in session.execute(stmt).all()
    ]
