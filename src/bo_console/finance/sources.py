"""What the finance screen reads: the journal as a virtual-table source, account lookups for
completion, the chart with rolled-up balances, and reports as rows.

Nothing here decides a business rule; the ledger and report services do. These builders only
shape queries and results for display, so the screen stays a thin layer over the service.
Reports come as rows from ``report_tables`` (re-exported here for the screen), the very rows
``bo finance report ... --format json`` writes, so what the screen shows and exports matches
the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from bo_console.core.paging import Column, QuerySource, Row
from bo_console.finance import report_tables
from bo_console.finance.journal import (  # re-exported: the screen reads the journal here
    ENTRY_STATES as ENTRY_STATES,
)
from bo_console.finance.journal import (
    NUMBER_SCALE as NUMBER_SCALE,
)
from bo_console.finance.journal import (
    JournalFilter as JournalFilter,
)
from bo_console.finance.journal import (
    entry_number_text as entry_number_text,
)
from bo_console.finance.journal import (
    journal_columns as journal_columns,
)
from bo_console.finance.journal import (
    journal_select as journal_select,
)
from bo_console.finance.journal import (
    journal_text_filter as journal_text_filter,
)

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement, Select
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.money import Currency
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart


def journal_source(
    store: Store, actor: Actor, flt: JournalFilter | None = None
) -> tuple[QuerySource, Currency]:
    """The journal as a virtual-table source, newest first, and the books' currency.

    Raises:
        PermissionDenied: the actor may not read the journal.
    """
    from bo_console.core.money import base_currency

    actor.require("finance.read", "read journal entries")
    with store.read() as session:
        currency = base_currency(session)
        base = journal_select(session, flt or JournalFilter())
    e = journal_columns()

    def money(value: Any) -> str:
        return currency.format(int(value))

    columns = [
        Column("number", "Number", 11, fmt=entry_number_text),
        Column("date", "Date", 10, sort=e.date, fmt=lambda d: str(d)[:10]),
        Column("state", "State", 8),
        Column("source", "Source", 8),
        Column("total", "Total", 14, "right", fmt=money),
        Column("memo", "Memo", 40),
    ]
    source = QuerySource(
        store,
        base,
        e.id,
        columns,
        filter_fn=journal_text_filter,
        sort_key="date",
        descending=True,
    )
    return source, currency


def refilter_journal(store: Store, source: QuerySource, flt: JournalFilter) -> None:
    """Point an existing journal source at a new filter form (the ``/`` text is kept).

    Raises:
        NotFound: the filter's account does not exist.
    """
    with store.read() as session:
        source.base = journal_select(session, flt)
    source.invalidate()


# -- accounts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountChoice:
    """A postable account as completion offers it."""

    code: str
    full_name: str
    key: str
    """Folded ``code full name`` for searching."""


@dataclass
class AccountFinder:
    """The postable, active accounts of the chart, for completion and checks as people type."""

    choices: list[AccountChoice]
    chart: Chart

    @classmethod
    def load(cls, session: Session) -> AccountFinder:
        from bo_console.core.text import fold
        from bo_console.finance.accounts import load_chart, tree_order

        chart = load_chart(session)
        choices = []
        for account in tree_order(chart):
            if account.postable and account.active and account.id is not None:
                full = chart.full_name(account.id)
                choices.append(AccountChoice(account.code, full, fold(f"{account.code} {full}")))
        return cls(choices, chart)

    @property
    def suggestions(self) -> list[str]:
        """Codes and full names, for inline completion by prefix."""
        return [c.code for c in self.choices] + [c.full_name for c in self.choices]

    def matches(self, text: str, limit: int = 3) -> list[AccountChoice]:
        """Accounts whose code or full name contains every word of ``text``."""
        from bo_console.core.text import fold

        words = fold(text).split()
        if not words:
            return []
        found = [c for c in self.choices if all(w in c.key for w in words)]
        return found[:limit]

    def problem(self, text: str) -> str | None:
        """What is wrong with ``text`` as a line's account, or None when it names one."""
        account = self.chart.find(text)
        if account is None:
            return f"no account {text.strip()!r}"
        if not account.postable:
            return f"{account.code} is a group account; post to one under it"
        if not account.active:
            return f"{account.code} is inactive"
        return None

    def only_match(self, text: str) -> AccountChoice | None:
        """The one account ``text`` can mean when it names none exactly (None: none or many)."""
        if self.chart.find(text) is not None:
            return None
        near = self.matches(text, limit=2)
        return near[0] if len(near) == 1 else None

    def describe(self, text: str) -> str:
        """The full name of the account ``text`` names (empty when it names none)."""
        account = self.chart.find(text)
        if account is None or account.id is None:
            return ""
        return f"{account.code} {self.chart.full_name(account.id)}"


@dataclass
class AccountNode:
    """An account of the chart tree with its balance and the total of everything under it."""

    id: int
    code: str
    name: str
    full_name: str
    type: str
    postable: bool
    active: bool
    own: Decimal
    total: Decimal
    children: list[AccountNode] = field(default_factory=list)


def account_tree(session: Session, actor: Actor, as_of: date) -> tuple[list[AccountNode], Currency]:
    """The chart as a tree; balances (debit - credit) at the end of ``as_of``, with each group
    totalling the accounts under it (:func:`bo_console.finance.accounts.balances`)."""
    from bo_console.finance.accounts import balances, load_chart

    actor.require("finance.read", "read the chart of accounts")
    chart = load_chart(session)
    found = balances(session, actor, as_of)
    currency = found.currency

    def build(parent: int | None) -> list[AccountNode]:
        nodes = []
        for account in chart.children(parent):
            assert account.id is not None
            nodes.append(
                AccountNode(
                    id=account.id,
                    code=account.code,
                    name=account.name,
                    full_name=chart.full_name(account.id),
                    type=account.type,
                    postable=account.postable,
                    active=account.active,
                    own=currency.from_minor(found.own.get(account.id, 0)),
                    total=currency.from_minor(found.total.get(account.id, 0)),
                    children=build(account.id),
                )
            )
        return nodes

    return build(None), currency


# -- rows held in memory ------------------------------------------------------------------------


class ListSource(QuerySource):
    """A virtual-table source over rows already in memory (a report, a general ledger).

    The rows come from a service call; the table pages through them like any other list,
    ``/`` keeps rows whose text contains the words typed, and ``o`` flips the order.
    """

    order_name = "line"
    """How status lines name the rows' own order (``by line ↑``)."""

    def __init__(self, rows: Sequence[Row], columns: Sequence[Column]) -> None:
        from sqlalchemy import literal_column, select

        key: ColumnElement[Any] = literal_column("0")
        # No store: every method a table calls is answered from ``rows``.
        super().__init__(cast("Store", None), select(key), key, columns)
        self.all_rows = [{**row, "_row_key": index} for index, row in enumerate(rows)]
        self._shown: list[Row] | None = None

    def invalidate(self) -> None:
        super().invalidate()
        self._shown = None

    def _visible(self) -> list[Row]:
        if self._shown is None:
            from bo_console.core.text import fold

            rows = self.all_rows
            words = fold(self.filter_text).split()
            if words:
                keys = [c.key for c in self.columns]
                rows = [
                    r
                    for r in rows
                    if all(w in fold(" ".join(str(r.get(k) or "") for k in keys)) for w in words)
                ]
            self._shown = list(reversed(rows)) if self.descending else list(rows)
        return self._shown

    def count(self) -> int:
        return len(self._visible())

    def block(self, index: int) -> list[Row]:
        start = index * self.block_size
        return self._visible()[start : start + self.block_size]

    def iter_rows(self, batch: int = 1000) -> Iterator[Row]:
        yield from self._visible()


# -- reports as rows ----------------------------------------------------------------------------


# Built in ``report_tables`` (the command line uses them too); here under the names the screen
# imports them by.
ReportTable = report_tables.ReportTable
trial_balance_table = report_tables.trial_balance_table
income_statement_table = report_tables.income_statement_table
balance_sheet_table = report_tables.balance_sheet_table
general_ledger_table = report_tables.general_ledger_table
vat_return_table = report_tables.vat_return_table
aged_table = report_tables.aged_table


@dataclass(frozen=True)
class ReportKind:
    """A report the Reports tab offers: its key, name, the dates it asks for, how to run it."""

    key: str
    name: str
    fields: tuple[str, ...]
    """Which of ``as_of``, ``date_from``, ``date_to``, ``compare``, ``account`` it takes."""
    run: Callable[[Session, Actor, dict[str, Any]], ReportTable]


def _trial_balance(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import reports

    return trial_balance_table(reports.trial_balance(session, actor, args["as_of"]))


def _income_statement(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import reports

    pl = reports.income_statement(
        session, actor, args["date_from"], args["date_to"], compare=bool(args.get("compare"))
    )
    return income_statement_table(pl)


def _balance_sheet(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import reports

    return balance_sheet_table(reports.balance_sheet(session, actor, args["as_of"]))


def _general_ledger(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import reports

    gl = reports.general_ledger(session, actor, args["account"], args["date_from"], args["date_to"])
    return general_ledger_table(gl)


REPORTS: list[ReportKind] = [
    ReportKind("trial-balance", "Trial balance", ("as_of",), _trial_balance),
    ReportKind(
        "income-statement",
        "Income statement",
        ("date_from", "date_to", "compare"),
        _income_statement,
    ),
    ReportKind("balance-sheet", "Balance sheet", ("as_of",), _balance_sheet),
    ReportKind(
        "general-ledger", "General ledger", ("account", "date_from", "date_to"), _general_ledger
    ),
]
"""The reports the screen offers, in menu order (receivables and payables add theirs)."""


# -- invoices, bills and payments ---------------------------------------------------------------

DOCUMENT_KINDS = {"sales": ("invoice", "credit_note"), "purchases": ("bill", "supplier_credit")}
"""The kinds each documents tab lists: invoices with their credit notes, bills with theirs."""

DOCUMENT_STATUS_CHOICES = ("draft", "open", "posted", "partly_paid", "paid", "void")
"""What the documents filter offers (``open``: posted or partly paid)."""


@dataclass(frozen=True)
class DocumentListFilter:
    """The documents tabs' filter form."""

    status: str = ""
    party: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def describe(self) -> str:
        parts = []
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "…"
            end = self.date_to.isoformat() if self.date_to else "…"
            parts.append(f"{start}..{end}")
        if self.party:
            parts.append(self.party)
        if self.status:
            parts.append(self.status)
        return " · ".join(parts)


def _tables(*names: str) -> list[Any]:
    from bo_console.finance.document_models import Document

    return [Document.metadata.tables[name] for name in names]


def document_select(session: Session, side: str, flt: DocumentListFilter) -> Select[Any]:
    """Invoices (``side='sales'``) or bills with their credit notes, for a documents tab.

    Raises:
        NotFound: the filter's party does not exist.
    """
    from sqlalchemy import String, and_, case, cast, func, label, literal, select

    from bo_console.finance.parties import find_party

    documents, parties = _tables("fin_document", "fin_party")
    d, p = documents.c, parties.c
    # What is still owed, as ``Document.open_amount`` has it: posted invoices and bills only.
    open_amount = case(
        (
            and_(d.status.in_(("posted", "partly_paid")), d.kind.in_(("invoice", "bill"))),
            d.total - d.paid,
        ),
        else_=0,
    )
    number = func.coalesce(d.number, literal("draft #") + cast(d.id, String))
    stmt = (
        select(
            d.id,
            label("number", number),
            d.kind,
            d.date,
            d.due_date,
            label("party", p.name),
            label("party_code", p.code),
            d.reference,
            d.status,
            d.total,
            d.paid,
            label("open", open_amount),
            d.memo,
        )
        .select_from(documents.join(parties, p.id == d.party_id))
        .where(d.kind.in_(DOCUMENT_KINDS[side]))
    )
    if flt.status == "open":
        stmt = stmt.where(d.status.in_(("posted", "partly_paid")))
    elif flt.status:
        stmt = stmt.where(d.status == flt.status)
    if flt.party:
        stmt = stmt.where(d.party_id == find_party(session, flt.party).id)
    if flt.date_from is not None:
        stmt = stmt.where(d.date >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(d.date <= flt.date_to)
    return stmt


def document_text_filter(text: str) -> ColumnElement[bool] | None:
    """The ``/`` filter of a documents tab: the party (names folded), number, reference, memo."""
    from sqlalchemy import or_

    from bo_console.core.text import fold

    d, p = (t.c for t in _tables("fin_document", "fin_party"))
    needle = text.strip()
    if not needle:
        return None
    return or_(
        p.search_key.contains(fold(needle), autoescape=True),
        d.number.contains(needle.upper(), autoescape=True),
        d.reference.contains(needle, autoescape=True),
        d.memo.contains(needle, autoescape=True),
    )


def document_source(
    store: Store, actor: Actor, side: str, flt: DocumentListFilter | None = None
) -> tuple[QuerySource, Currency]:
    """Invoices or bills as a virtual-table source, newest first, and the books' currency."""
    from bo_console.core.money import base_currency

    actor.require("finance.read", "read invoices and bills")
    with store.read() as session:
        currency = base_currency(session)
        base = document_select(session, side, flt or DocumentListFilter())
    d = _tables("fin_document")[0].c

    def money(value: Any) -> str:
        return currency.format(int(value)) if value else ""

    columns = [
        # Sorting by the key sorts by entry order, which the status line calls "by Number".
        Column("number", "Number", 14, sort=d.id),
        Column("due_date", "Due", 10, sort=d.due_date, fmt=lambda v: str(v)[:10]),
        Column("party", "Party", 14),
        Column("status", "Status", 11),
        Column("total", "Total", 12, "right", fmt=money),
        Column("open", "Open", 12, "right", fmt=money),
    ]
    source = QuerySource(
        store,
        base,
        d.id,
        columns,
        filter_fn=document_text_filter,
        sort_key=None,
        descending=True,
    )
    return source, currency


def refilter_documents(
    store: Store, source: QuerySource, side: str, flt: DocumentListFilter
) -> None:
    """Point a documents source at a new filter form (the ``/`` text is kept)."""
    with store.read() as session:
        source.base = document_select(session, side, flt)
    source.invalidate()


def payment_source(store: Store, actor: Actor) -> tuple[QuerySource, Currency]:
    """Payments received and made as a virtual-table source, newest first."""
    from sqlalchemy import case, func, label, or_, select

    from bo_console.core.money import base_currency
    from bo_console.core.text import fold

    actor.require("finance.read", "read payments")
    with store.read() as session:
        currency = base_currency(session)
    payments, allocations, parties = _tables("fin_payment", "fin_allocation", "fin_party")
    pay, alloc, p = payments.c, allocations.c, parties.c
    allocated = (
        select(func.coalesce(func.sum(alloc.amount), 0))
        .where(alloc.payment_id == pay.id)
        .scalar_subquery()
    )
    # What a payment still holds on account, as ``payments.list_payments`` has it.
    left = case((pay.status == "posted", pay.amount - allocated), else_=0)
    base = select(
        pay.id,
        pay.number,
        pay.direction,
        pay.date,
        label("party", p.name),
        label("party_code", p.code),
        pay.status,
        pay.amount,
        label("unallocated", left),
        pay.reference,
        pay.memo,
    ).select_from(payments.join(parties, p.id == pay.party_id))

    def matching(text: str) -> ColumnElement[bool] | None:
        needle = text.strip()
        if not needle:
            return None
        return or_(
            p.search_key.contains(fold(needle), autoescape=True),
            pay.number.contains(needle.upper(), autoescape=True),
            pay.reference.contains(needle, autoescape=True),
            pay.memo.contains(needle, autoescape=True),
        )

    def money(value: Any) -> str:
        return currency.format(int(value)) if value else ""

    columns = [
        Column("number", "Number", 15, sort=pay.id),
        Column("date", "Date", 10, sort=pay.date, fmt=lambda v: str(v)[:10]),
        Column("party", "Party", 16),
        Column("status", "Status", 6),
        Column("amount", "Amount", 12, "right", fmt=money),
        Column("unallocated", "On account", 12, "right", fmt=money),
    ]
    source = QuerySource(
        store, base, pay.id, columns, filter_fn=matching, sort_key="date", descending=True
    )
    return source, currency


def parse_apply(text: str, currency: Currency) -> tuple[tuple[tuple[str, int | None], ...], bool]:
    """What a payment form's "apply to" field asks: ``INV-2026-00017=500, INV-2026-00018``
    (a document with an amount, or what it owes), or ``auto`` (oldest due first).

    Raises:
        ValueError: with a message for the field.
    """
    value = text.strip()
    if value.lower() == "auto":
        return (), True
    out: list[tuple[str, int | None]] = []
    for part in value.replace(";", ",").split(","):
        if not part.strip():
            continue
        ref, sep, amount = part.partition("=")
        if not ref.strip():
            raise ValueError(f"{part.strip()!r}: give a document number before '='")
        out.append((ref.strip().upper(), currency.parse(amount) if sep else None))
    return tuple(out), False


@dataclass
class PartyFinder:
    """Active parties of one role (customers or suppliers), for completion."""

    codes: dict[str, str]
    """code -> name"""

    @classmethod
    def load(cls, session: Session, actor: Actor, role: str) -> PartyFinder:
        from bo_console.finance.parties import list_parties

        rows = list_parties(session, actor, role=role, include_inactive=False)
        return cls({r.code: r.name for r in rows})

    @property
    def suggestions(self) -> list[str]:
        return [*self.codes, *self.codes.values()]

    def matches(self, text: str, limit: int = 3) -> list[tuple[str, str]]:
        """(code, name) of the parties whose code or name contains every word of ``text``."""
        from bo_console.core.text import fold

        words = fold(text).split()
        found = [
            (code, name)
            for code, name in self.codes.items()
            if words and all(w in fold(f"{code} {name}") for w in words)
        ]
        return found[:limit]

    def resolve(self, text: str) -> tuple[str, str] | None:
        """The party ``text`` names: its code, its exact name, or the only one matching."""
        from bo_console.core.text import fold

        value = text.strip()
        if value.upper() in self.codes:
            return value.upper(), self.codes[value.upper()]
        exact = [(c, n) for c, n in self.codes.items() if fold(n) == fold(value)]
        if len(exact) == 1:
            return exact[0]
        near = self.matches(value, limit=2)
        return near[0] if len(near) == 1 else None


def _vat_return(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
    from bo_console.finance import tax

    return vat_return_table(tax.vat_return(session, actor, args["period"]))


def _aged(side: str) -> Callable[[Session, Actor, dict[str, Any]], ReportTable]:
    def run(session: Session, actor: Actor, args: dict[str, Any]) -> ReportTable:
        from bo_console.finance import aging

        detail = bool(args.get("detail"))
        report = aging.aged(session, actor, side, args["as_of"], detail=detail)
        return aged_table(report, detail)

    return run


REPORTS += [
    ReportKind("vat-return", "VAT return", ("period",), _vat_return),
    ReportKind("aged-receivables", "Aged receivables", ("as_of", "detail"), _aged("receivables")),
    ReportKind("aged-payables", "Aged payables", ("as_of", "detail"), _aged("payables")),
]
