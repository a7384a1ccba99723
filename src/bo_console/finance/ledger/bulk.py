"""Posting many entries at once: the same rules as :func:`.posting.post_entry`, entry by
entry and in order, with the chart, control accounts and currency read once per batch and one
flush per step (drafts, lines, numbers) for the whole batch. The ledger's triggers still see
every row. Used by the demo's builders; an import can use it as well."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.models import Entry, EntryCreate


def post_entries(
    session: Session,
    actor: Actor,
    entries: Sequence[EntryCreate],
    *,
    permission: str = "finance.post",
) -> list[Entry]:
    """Post balanced entries in the order given (their numbers follow it); all or none.

    Args:
        permission: as for :func:`.posting.post_entry`.

    Raises:
        ValidationFailed: an entry is unbalanced, or names unknown, inactive or group accounts.
        RuleViolation: a period is closed or in the future, or a document already has a live
            entry (also twice in the batch).
        PermissionDenied: the actor lacks ``permission``.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.core.text import clean
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.cost_centres import check_line_centres
    from bo_console.finance.ledger.batch import current
    from bo_console.finance.ledger.controls import load_controls
    from bo_console.finance.ledger.locks import refuse_future
    from bo_console.finance.ledger.posting import (
        _check_document,
        _check_lines,
        _flush,
        _lines_text,
        _require_balanced,
        _totals,
        _validated,
        _write_lines,
    )
    from bo_console.finance.ledger.rules import (
        check_permission,
        period_of,
        refuse_closed,
    )
    from bo_console.finance.models import Entry

    if not entries:
        return []
    currency = base_currency(session)
    chart = load_chart(session)
    controls = load_controls(session)
    batch = current(session)
    open_periods: set[str] = batch.open_periods if batch is not None else set()
    documents: set[tuple[str, str]] = set()
    checked = []
    for raw in entries:
        data = _validated(raw)
        check_permission(actor, data.source, permission, "post journal entries")
        lines = _check_lines(session, chart, data.lines)
        _require_balanced(lines, currency)
        check_line_centres(session, actor, data.source, (c.line.cost_centre for c in lines))
        problem = controls.problem(
            data.source, ((c.account.id or 0, c.account.code, c.line.tax_code) for c in lines)
        )
        if problem is not None:
            raise RuleViolation(problem)
        if period_of(data.date) not in open_periods:
            refuse_closed(session, data.date)
            open_periods.add(period_of(data.date))
        source_ref = clean(data.source_ref) if data.source_ref else None
        _check_document(session, data.source, data.source_ref)
        if source_ref is not None:
            if (data.source, source_ref) in documents:
                raise RuleViolation(f"{data.source} {source_ref} comes twice in one posting")
            documents.add((data.source, source_ref))
        refuse_future(session, actor, data.date)
        checked.append((data, lines))

    drafts = [
        Entry(
            date=data.date,
            memo=clean(data.memo),
            source=data.source,
            source_ref=clean(data.source_ref) if data.source_ref else None,
            state="draft",
            total=_totals(lines)[0],
            created_by=actor.login,
        )
        for data, lines in checked
    ]
    session.add_all(drafts)
    _flush(session)
    _write_lines(
        session, [(entry, lines) for entry, (_, lines) in zip(drafts, checked, strict=True)]
    )
    _post_drafts(session, actor, drafts)
    for entry, (_, lines) in zip(drafts, checked, strict=True):
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
    return drafts


def _post_drafts(session: Session, actor: Actor, drafts: Sequence[Entry]) -> None:
    """Number the batch's drafts and post them in one statement (the triggers check each
    row as they would an update through the ORM); the objects then hold what was written,
    as loaded, so nothing flushes them again."""
    from sqlalchemy import bindparam
    from sqlalchemy.orm.attributes import set_committed_value

    from bo_console.core.clock import utcnow
    from bo_console.finance.ledger.posting import _execute
    from bo_console.finance.ledger.rules import EntryNumbers
    from bo_console.finance.models import Entry

    numbers = EntryNumbers.of(session)
    rows = [
        {
            "entry": entry.id,
            "year": entry.date.year,
            "number": numbers.next(entry.date.year),
            "at": utcnow(),
        }
        for entry in drafts
    ]
    table = Entry.__table__  # type: ignore[attr-defined]
    _execute(
        session,
        table.update()
        .where(table.c.id == bindparam("entry"))
        .values(
            state="posted",
            year=bindparam("year"),
            number=bindparam("number"),
            posted_by=actor.login,
            posted_at=bindparam("at"),
        ),
        rows,
    )
    for entry, row in zip(drafts, rows, strict=True):
        for key, value in (
            ("state", "posted"),
            ("year", row["year"]),
            ("number", row["number"]),
            ("posted_by", actor.login),
            ("posted_at", row["at"]),
        ):
            set_committed_value(entry, key, value)
