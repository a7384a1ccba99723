"""Reading entries: one with its lines, and lists of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

# The journal list reads without the ORM; these names stay importable from here.
from bo_console.finance.journal import EntryFilter as EntryFilter
from bo_console.finance.journal import EntryRow as EntryRow
from bo_console.finance.journal import list_entries as list_entries
from bo_console.finance.ledger.posting import _stored_lines, find_entry
from bo_console.finance.models import Entry

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor


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


def entry_actions(actor: Actor, view: EntryView) -> frozenset[str]:
    """What ``actor`` may do next with this entry: ``post``, ``edit`` or ``delete`` a draft
    and ``reverse`` a posted entry that no document owns (``finance.post``; a document's entry
    is undone by voiding the document), ``open`` the entry it reverses or that reverses it,
    open its ``source`` document."""
    from bo_console.finance.models import DOCUMENT_SOURCES

    allowed: set[str] = set()
    if actor.can("finance.post"):
        if view.state == "draft":
            allowed |= {"post", "edit", "delete"}
        if view.state == "posted" and view.source not in DOCUMENT_SOURCES:
            allowed.add("reverse")
    if view.reverses or view.reversed_by:
        allowed.add("open")
    if view.source in DOCUMENT_SOURCES and view.source_ref:
        allowed.add("source")
    return frozenset(allowed)
