"""Entries one at a time: draft, edit, post, delete and reverse them.

Other departments post through :func:`post_entry` (payroll, stock, invoices, ...) with their
document as ``source``/``source_ref``; one live entry per document. Every function takes the
caller's session and never commits. The rules themselves are in :mod:`.rules`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import (
    FieldError,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from bo_console.finance.ledger.rules import (
    EntryNumbers,
    account_problem,
    amount_problem,
    check_permission,
    refuse_closed,
    totals_problem,
)
from bo_console.finance.models import (
    DOCUMENT_SOURCES,
    Account,
    Entry,
    EntryCreate,
    Line,
    LineCreate,
    entry_ref,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart, ChartAccount

_ENTRY_NUMBER = re.compile(r"^(\d{4})[-/](\d{1,9})$")
_ENTRY_ID = re.compile(r"^(?:draft\s*)?#?(\d{1,12})$")


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
    account: ChartAccount
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
        unusable = account_problem(account)
        if unusable:
            errors.append(FieldError(f"{where} account", unusable))
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


def _refuse_uncontrolled(
    session: Session, actor: Actor, source: str, lines: Sequence[_Checked]
) -> None:
    """Raise when a line goes to a control account its sub-ledger does not own, or names a
    cost centre the list lacks or has deactivated."""
    from bo_console.finance.cost_centres import check_line_centres
    from bo_console.finance.ledger.controls import load_controls

    check_line_centres(session, actor, source, (c.line.cost_centre for c in lines))
    problem = load_controls(session).problem(
        source, ((c.account.id or 0, c.account.code, c.line.tax_code) for c in lines)
    )
    if problem is not None:
        raise RuleViolation(problem)


def _totals(lines: Sequence[_Checked]) -> tuple[int, int]:
    return sum(c.line.debit for c in lines), sum(c.line.credit for c in lines)


_TOTALS_FIELD = {
    "unbalanced": "debits must equal credits",
    "empty": "empty",
    "too_large": "too large",
}


def _require_balanced(lines: Sequence[_Checked], currency: Currency) -> int:
    debit, credit = _totals(lines)
    problem = totals_problem(debit, credit, currency)
    if problem is not None:
        raise ValidationFailed(problem.message, [FieldError("lines", _TOTALS_FIELD[problem.kind])])
    return debit


def _lines_text(lines: Sequence[_Checked], currency: Currency) -> str:
    parts = []
    for c in lines:
        side, amount = ("Dr", c.line.debit) if c.line.debit else ("Cr", c.line.credit)
        parts.append(f"{c.account.code} {side} {currency.format(amount, grouping=False)}")
    return "; ".join(parts)


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


def _write_lines(session: Session, entries: Sequence[tuple[Entry, Sequence[_Checked]]]) -> None:
    """Insert entries' lines in one statement (plain rows: nothing reads them back as
    objects within the posting, and the triggers see each row as before)."""
    rows = []
    for entry, lines in entries:
        assert entry.id is not None
        for number, c in enumerate(lines, start=1):
            assert c.account.id is not None
            rows.append(
                {
                    "entry_id": entry.id,
                    "line_no": number,
                    "account_id": c.account.id,
                    "date": entry.date,
                    "debit": c.line.debit,
                    "credit": c.line.credit,
                    "memo": c.line.memo,
                    "party_id": c.line.party_id,
                    "tax_code": c.line.tax_code,
                    "cost_centre": c.line.cost_centre,
                }
            )
    if rows:
        _execute(session, Line.__table__.insert(), rows)  # type: ignore[attr-defined]


def _execute(session: Session, statement: Any, params: Any) -> None:
    """Execute, turning a refusal by the ledger's triggers into a rule violation."""
    from sqlalchemy.exc import IntegrityError

    try:
        session.execute(statement, params)
    except IntegrityError as exc:
        message = str(exc.orig)
        if message.startswith(("fin_entry:", "fin_line:", "fin_period:")):
            raise RuleViolation(f"the ledger refused: {message.split(':', 1)[1].strip()}") from exc
        raise


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
    _write_lines(session, [(entry, lines)])
    return entry


def _post(session: Session, actor: Actor, entry: Entry) -> None:
    from bo_console.core.clock import utcnow
    from bo_console.finance.ledger.locks import refuse_future

    refuse_future(session, actor, entry.date)

    # Taken before any change: reading the books autoflushes.
    number = EntryNumbers.of(session).next(entry.date.year)
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
    check_permission(actor, data.source, permission, "draft journal entries")
    lines = _check_lines(session, load_chart(session), data.lines)
    _refuse_uncontrolled(session, actor, data.source, lines)
    refuse_closed(session, data.date, "draft")
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
    from bo_console.finance.ledger.bulk import post_entries

    return post_entries(session, actor, [data], permission=permission)[0]


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
    _refuse_uncontrolled(session, actor, entry.source, lines)
    refuse_closed(session, data.date, "draft")
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
    _write_lines(session, [(entry, lines)])
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

    from bo_console.finance.accounts import ChartAccount

    out = []
    for line, account in session.exec(
        select(Line, Account)
        .join(Account, col(Account.id) == col(Line.account_id))
        .where(Line.entry_id == entry_id)
        .order_by(col(Line.line_no))
    ).all():
        out.append(
            _Checked(
                ChartAccount.of(account),
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
    _refuse_uncontrolled(session, actor, entry.source, lines)
    refuse_closed(session, entry.date)
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
    refuse_closed(session, day, "post the reversal of")
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
