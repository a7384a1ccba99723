"""The journal's read query, used by the journal tab and by ``bo finance journal list``.

Plain SQLAlchemy Core over ``fin_entry`` and ``fin_line`` (see :func:`journal_columns`), so
the console can show the journal without building the finance models first; and the same
query as SQL text (:func:`journal_sql`), which the Journal tab pages through a Reader so the
console's first frame does not wait for SQLAlchemy. A test holds the two to the same rows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.sql import ColumnElement, Select
    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

ENTRY_STATES = ("draft", "posted", "reversed")

_NUMBER = re.compile(r"^(\d{4})[-/](\d{1,9})$")
_ID = re.compile(r"^(?:draft\s*)?#(\d{1,12})$")

NUMBER_SCALE = 1_000_000_000
"""The journal's ``number`` column is ``year * NUMBER_SCALE + number`` for numbered entries
and ``-id`` for drafts: one portable SQL value that :func:`entry_number_text` shows as
``2026-000123`` or ``draft #7``."""


def entry_number_text(value: int) -> str:
    """``2026-000123`` for a numbered entry, ``draft #7`` for a draft (see NUMBER_SCALE)."""
    if value < 0:
        return f"draft #{-value}"
    year, number = divmod(value, NUMBER_SCALE)
    return f"{year}-{number:06d}"


@dataclass(frozen=True)
class JournalFilter:
    """Which entries: a date range, one account (with every account under it), a state, a
    source (``payroll``, ``invoice``, ...) and a text (an entry number, ``#7``, or words in the
    memo or the document reference). Both the journal tab and ``bo finance journal list``
    filter with this."""

    date_from: date | None = None
    date_to: date | None = None
    account: str = ""
    state: str = ""
    source: str = ""
    text: str = ""

    def describe(self) -> str:
        """``2026-01-01..2026-03-31 · account 1110 · draft`` (empty when nothing is set)."""
        parts = []
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "…"
            end = self.date_to.isoformat() if self.date_to else "…"
            parts.append(f"{start}..{end}")
        if self.account:
            parts.append(f"account {self.account}")
        if self.state:
            parts.append(self.state)
        if self.source:
            parts.append(f"source {self.source}")
        if self.text:
            parts.append(f"text {self.text!r}")
        return " · ".join(parts)


def journal_columns() -> Any:
    """The columns of ``fin_entry`` the journal reads, as plain SQLAlchemy Core.

    Not the ``Entry`` model's table: building the finance models costs the console ~20 ms
    before its first screen, and the journal only reads these columns (their types are the
    model's, so values convert the same way).
    """
    return _journal_tables()[0].c


@functools.cache
def _journal_tables() -> tuple[Any, Any]:
    from sqlalchemy import Date, Integer, String, column, table

    entries = table(
        "fin_entry",
        column("id", Integer),
        column("year", Integer),
        column("number", Integer),
        column("date", Date),
        column("state", String),
        column("source", String),
        column("source_ref", String),
        column("total", Integer),
        column("memo", String),
        column("created_by", String),
    )
    lines = table("fin_line", column("entry_id", Integer), column("account_id", Integer))
    return entries, lines


def journal_select(session: Session, flt: JournalFilter) -> Select[Any]:
    """Entries matching ``flt``, with the columns the journal tab shows (the chart is read
    only when the filter names an account).

    Raises:
        NotFound: the filter's account does not exist.
    """
    from sqlalchemy import BigInteger, func, label, literal, select

    e = journal_columns()
    # A 64-bit product: year * 10^9 overflows PostgreSQL's 32-bit integer.
    number = func.coalesce(e.year * literal(NUMBER_SCALE, BigInteger) + e.number, -e.id)
    stmt = select(
        e.id,
        label("number", number),
        e.date,
        e.state,
        e.source,
        e.source_ref,
        e.total,
        e.memo,
        e.created_by,
    )
    if flt.date_from is not None:
        stmt = stmt.where(e.date >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(e.date <= flt.date_to)
    if flt.state:
        stmt = stmt.where(e.state == flt.state)
    if flt.source:
        stmt = stmt.where(e.source == flt.source)
    if flt.text:
        matching = journal_text_filter(flt.text)
        if matching is not None:
            stmt = stmt.where(matching)
    if flt.account:
        ids = journal_account_ids(session, flt.account)
        lines = _journal_tables()[1].c
        stmt = stmt.where(e.id.in_(select(lines.entry_id).where(lines.account_id.in_(ids))))
    return stmt


def journal_text_filter(text: str) -> ColumnElement[bool] | None:
    """The ``/`` filter: an entry number (``2026-000123``), a draft (``#7``), or text in the
    memo or the document reference."""
    e = journal_columns()
    needle = text.strip()
    if not needle:
        return None
    number = _NUMBER.match(needle)
    if number:
        return cast(
            "ColumnElement[bool]",
            (e.year == int(number.group(1))) & (e.number == int(number.group(2))),
        )
    by_id = _ID.match(needle)
    if by_id:
        return cast("ColumnElement[bool]", e.id == int(by_id.group(1)))
    memo = e.memo.contains(needle, autoescape=True)
    return cast("ColumnElement[bool]", memo | e.source_ref.contains(needle, autoescape=True))


JOURNAL_NAMES = (
    "id",
    "number",
    "date",
    "state",
    "source",
    "source_ref",
    "total",
    "memo",
    "created_by",
)
"""The columns of :func:`journal_sql`'s result, in order (those of :func:`journal_select`)."""


def journal_sql(
    flt: JournalFilter, account_ids: Sequence[int] = (), text: str = ""
) -> tuple[str, dict[str, Any]]:
    """:func:`journal_select` as SQL text with its parameters: entries matching ``flt`` and
    the ``/`` filter ``text``. A filter on an account takes ``account_ids``, the account and
    every account under it (:func:`journal_account_ids`)."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if flt.date_from is not None:
        conditions.append("e.date >= :date_from")
        params["date_from"] = flt.date_from
    if flt.date_to is not None:
        conditions.append("e.date <= :date_to")
        params["date_to"] = flt.date_to
    if flt.state:
        conditions.append("e.state = :state")
        params["state"] = flt.state
    if flt.source:
        conditions.append("e.source = :source")
        params["source"] = flt.source
    for name, needle in (("text", flt.text), ("find", text)):
        matching = journal_text_condition(needle, name)
        if matching is not None:
            conditions.append(f"({matching[0]})")
            params.update(matching[1])
    if flt.account:
        conditions.append(
            "e.id IN (SELECT l.entry_id FROM fin_line AS l WHERE l.account_id IN :account_ids)"
        )
        params["account_ids"] = list(account_ids)
    # A 64-bit product: year * 10^9 overflows PostgreSQL's 32-bit integer.
    sql = (
        f"SELECT e.id AS id, COALESCE(e.year * CAST({NUMBER_SCALE} AS BIGINT) + e.number, -e.id)"
        " AS number, e.date AS date, e.state AS state, e.source AS source,"
        " e.source_ref AS source_ref, e.total AS total, e.memo AS memo,"
        " e.created_by AS created_by FROM fin_entry AS e"
    )
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    return sql, params


def journal_text_condition(text: str, name: str = "text") -> tuple[str, dict[str, Any]] | None:
    """:func:`journal_text_filter` as SQL text: an entry number, a draft (``#7``), or text in
    the memo or the document reference (``%`` and ``_`` match themselves). Its parameters'
    names start with ``name``."""
    needle = text.strip()
    if not needle:
        return None
    number = _NUMBER.match(needle)
    if number:
        return (
            f"e.year = :{name}_year AND e.number = :{name}_number",
            {f"{name}_year": int(number.group(1)), f"{name}_number": int(number.group(2))},
        )
    by_id = _ID.match(needle)
    if by_id:
        return f"e.id = :{name}_id", {f"{name}_id": int(by_id.group(1))}
    escaped = needle.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return (
        f"e.memo LIKE :{name}_like ESCAPE '/' OR e.source_ref LIKE :{name}_like ESCAPE '/'",
        {f"{name}_like": f"%{escaped}%"},
    )


def journal_account_ids(db: Reads, account: str) -> list[int]:
    """The ids of ``account`` (a code or full name) and of every account under it.

    Raises:
        NotFound: no such account.
    """
    from bo_console.finance.accounts import load_chart

    chart = load_chart(db)
    found = chart.get(account)
    assert found.id is not None
    return sorted(chart.descendants(found.id))


@dataclass(frozen=True)
class EntryFilter:
    """What ``bo finance journal list`` filters on (see :class:`JournalFilter`, which it
    becomes): ``account`` includes the accounts under it."""

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


def list_entries(db: Reads, actor: Actor, flt: EntryFilter) -> list[EntryRow]:
    """Entries matching the filter, newest first: the journal tab's query
    (:func:`journal_sql`), so an account filter includes the accounts under it in both faces.
    Reads through a Reader or a session.

    Raises:
        NotFound: the filter names an account that does not exist.
    """
    from bo_console.core.lookups import base_currency_of, day_of
    from bo_console.core.reading import reader_of

    actor.require("finance.read", "read journal entries")
    query = JournalFilter(
        date_from=flt.date_from,
        date_to=flt.date_to,
        account=flt.account or "",
        state=flt.state or "",
        source=flt.source or "",
        text=(flt.text or "").strip(),
    )
    reader = reader_of(db)
    ids = journal_account_ids(reader, query.account) if query.account else []
    sql, params = journal_sql(query, ids)
    sql += " ORDER BY e.date DESC, e.id DESC LIMIT :limit"
    params["limit"] = flt.limit
    currency = base_currency_of(reader)
    out = []
    for row in reader.rows(sql, params):
        entry_id, number, day, state, source, source_ref, total, memo, created_by = row
        out.append(
            EntryRow(
                id=int(entry_id),
                ref=entry_number_text(int(number)),
                date=cast("date", day_of(day)),
                memo=memo,
                source=source,
                source_ref=source_ref or "",
                state=state,
                total=currency.from_minor(int(total)),
                created_by=created_by,
            )
        )
    return out


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


_ENTRY_COLUMNS = (
    "id, year, number, date, memo, source, source_ref, state, total, reverses_id,"
    " reversed_by_id, created_by, created_at, posted_by, posted_at"
)
_ENTRY_REF_ID = re.compile(r"^(?:draft\s*)?#?(\d{1,12})$")


def get_entry(db: Reads, actor: Actor, ref: str | int) -> EntryView:
    """One entry with its lines, by its number (``2026-000123``, ``2026-123``) or id (``#7``,
    ``7``), read through a Reader or a session.

    Raises:
        NotFound: no such entry.
        ValidationFailed: ``ref`` is neither a number nor an id.
    """
    from bo_console.core.errors import NotFound, ValidationFailed
    from bo_console.core.lookups import base_currency_of, day_of, moment_of
    from bo_console.core.reading import reader_of
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.fiscal import entry_ref

    actor.require("finance.read", "read journal entries")
    reader = reader_of(db)
    text = str(ref).strip()
    number, by_id = _NUMBER.match(text), _ENTRY_REF_ID.match(text)
    if number:
        found = reader.first(
            f"SELECT {_ENTRY_COLUMNS} FROM fin_entry WHERE year = :y AND number = :n",
            {"y": int(number.group(1)), "n": int(number.group(2))},
        )
    elif by_id:
        found = reader.first(
            f"SELECT {_ENTRY_COLUMNS} FROM fin_entry WHERE id = :id", {"id": int(by_id.group(1))}
        )
    else:
        raise ValidationFailed(f"{text!r} is not an entry number (2026-000123) or id (#7)")
    if found is None:
        raise NotFound(f"no journal entry {text}")
    (entry_id, year, seq, day, memo, source, source_ref, state, total, reverses_id,
     reversed_by_id, created_by, created_at, posted_by, posted_at) = found  # fmt: skip
    money = base_currency_of(reader).from_minor
    chart = load_chart(reader)

    def ref_of(other_id: int | None) -> str:
        if other_id is None:
            return ""
        other = reader.first("SELECT year, number FROM fin_entry WHERE id = :id", {"id": other_id})
        return entry_ref(other[0], other[1], other_id) if other is not None else f"#{other_id}"

    lines = tuple(
        LineView(
            line_no=n,
            code=chart.accounts[int(account_id)].code,
            account=chart.full_name(int(account_id)),
            debit=money(int(debit)),
            credit=money(int(credit)),
            memo=line_memo,
            cost_centre=cost_centre or "",
            tax_code=tax_code or "",
            party_id=party_id,
        )
        for n, (account_id, debit, credit, line_memo, cost_centre, tax_code, party_id) in enumerate(
            reader.rows(
                "SELECT account_id, debit, credit, memo, cost_centre, tax_code, party_id"
                " FROM fin_line WHERE entry_id = :e ORDER BY line_no",
                {"e": entry_id},
            ),
            start=1,
        )
    )
    return EntryView(
        id=int(entry_id),
        ref=entry_ref(year, seq, entry_id),
        date=cast("date", day_of(day)),
        memo=memo,
        source=source,
        source_ref=source_ref or "",
        state=state,
        total=money(int(total)),
        reverses=ref_of(reverses_id),
        reversed_by=ref_of(reversed_by_id),
        created_by=created_by,
        created_at=cast("datetime", moment_of(created_at)),
        posted_by=posted_by or "",
        posted_at=moment_of(posted_at),
        lines=lines,
    )
