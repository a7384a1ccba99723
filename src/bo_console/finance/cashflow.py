"""The cash-flow statement, indirect method: from the period's profit to the change in cash.

Every balance-sheet account has a cash-flow class:

- ``cash``: cash and cash equivalents, whose change the statement explains;
- ``non_cash``: accumulated depreciation and amortisation, allowances and provisions, added
  back to profit (their movement is an expense or income that moved no cash);
- ``working_capital``: receivables, inventory, prepayments, VAT, payables, accruals;
- ``investing``: property, equipment and intangible assets (at cost);
- ``financing``: loans, lease liabilities and equity.

The class comes from the account's type, code and name (:func:`default_class`) unless a
finance manager set one (``finance.cash_flow.<code>``, :func:`set_cash_flow_class`). Income
and expense accounts make the profit line and take no class.

Each account's line is its credit less its debit over the period (a rise in an asset used
cash, a rise in a liability brought it), so with every entry balanced the lines sum to what
the cash accounts moved: opening cash + net change = closing cash, always. Year-end closing
entries are left out, as the income statement leaves them out (they move profit into
retained earnings and no cash), and opening-balance entries (source ``opening``) count as
brought forward: their cash is in the opening cash, their other lines in no section. So do
adjustments of opening balances against retained earnings that touch no cash and no income
or expense (payroll's provisions earned before its first run, a prior-period correction):
they restate what was brought forward and are no cash flow of the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart, ChartAccount

CASH_FLOW_CLASSES = ("cash", "non_cash", "working_capital", "investing", "financing")
"""The classes a balance-sheet account may have."""

SETTING_PREFIX = "finance.cash_flow."

SECTIONS = {
    "non_cash": "operating",
    "working_capital": "operating",
    "investing": "investing",
    "financing": "financing",
}

_NON_CASH_WORDS = ("accumulated", "allowance", "provision", "impairment")
_FINANCING_WORDS = ("loan", "lease liabilit", "borrowing", "dividend")


def default_class(chart: Chart, account: ChartAccount) -> str | None:
    """The class an account has unless one is set: None for income and expense accounts."""
    if account.type in ("income", "expense"):
        return None
    if account.type == "equity":
        return "financing"
    names = chart.full_name(account.id).casefold() if account.id is not None else ""
    own = account.name.casefold()
    if any(word in own for word in _NON_CASH_WORDS):
        return "non_cash"
    if account.type == "asset":
        if account.code.startswith("11") or "cash and bank" in names:
            return "cash"
        if account.code[:2] in ("15", "16", "17", "18"):
            return "investing"
        return "working_capital"
    if any(word in own for word in _FINANCING_WORDS) or account.code.startswith("25"):
        return "financing"
    return "working_capital"


def _set_classes(db: Reads) -> dict[str, str]:
    from bo_console.core.reading import reader_of

    rows = reader_of(db).rows(
        "SELECT key, value FROM setting WHERE key LIKE :p", {"p": SETTING_PREFIX + "%"}
    )
    return {
        str(key)[len(SETTING_PREFIX) :]: str(value)
        for key, value in rows
        if str(value) in CASH_FLOW_CLASSES
    }


def class_of_accounts(db: Reads, chart: Chart) -> dict[int, str]:
    """Account id -> class of every balance-sheet account, settings applied."""
    chosen = _set_classes(db)
    out: dict[int, str] = {}
    for account in chart.accounts.values():
        assert account.id is not None
        found = default_class(chart, account)
        if found is None:
            continue
        out[account.id] = chosen.get(account.code, found)
    return out


@dataclass(frozen=True)
class AccountClass:
    """An account's cash-flow class, and whether it was set or comes from the default."""

    code: str
    account: str
    type: str
    cash_flow: str
    set: bool


def cash_flow_classes(db: Reads, actor: Actor) -> list[AccountClass]:
    """Every postable balance-sheet account's class, ordered by code."""
    from bo_console.finance.accounts import load_chart

    actor.require("finance.read", "read cash-flow classes")
    chart = load_chart(db)
    chosen = _set_classes(db)
    out = []
    for account in sorted(chart.accounts.values(), key=lambda a: a.code):
        found = default_class(chart, account)
        if found is None or not account.postable or account.id is None:
            continue
        out.append(
            AccountClass(
                code=account.code,
                account=chart.full_name(account.id),
                type=account.type,
                cash_flow=chosen.get(account.code, found),
                set=account.code in chosen,
            )
        )
    return out


def set_cash_flow_class(session: Session, actor: Actor, account: str, value: str) -> AccountClass:
    """Set an account's cash-flow class (``default`` goes back to the one its type and code
    give). Finance managers; audited.

    Raises:
        NotFound: no such account.
        ValidationFailed: not a class, or an income or expense account.
    """
    from bo_console.core import audit
    from bo_console.core.models import Setting
    from bo_console.finance.accounts import load_chart

    actor.require("finance.manage", "set cash-flow classes")
    chart = load_chart(session)
    target = chart.get(account)
    assert target.id is not None
    found = default_class(chart, target)
    if found is None:
        raise ValidationFailed(
            f"{target.code} is an {target.type} account: it is part of the profit, not a "
            "cash-flow class"
        )
    value = value.strip().lower().replace("-", "_")
    if value not in (*CASH_FLOW_CLASSES, "default"):
        raise ValidationFailed(
            f"a cash-flow class is one of {', '.join(CASH_FLOW_CLASSES)} or default, not {value!r}"
        )
    key = SETTING_PREFIX + target.code
    row = session.get(Setting, key)
    was_set = row is not None
    before = row.value if row is not None else found
    after = found if value == "default" else value
    if value == "default":
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
        session.add(row)
    session.flush()
    if before != after or was_set != (value != "default"):
        audit.record(
            session,
            actor,
            action="set",
            entity="setting",
            entity_id=key,
            changes={"value": (before, after)},
        )
    return AccountClass(
        code=target.code,
        account=chart.full_name(target.id),
        type=target.type,
        cash_flow=after,
        set=value != "default",
    )


# -- the statement ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CashFlowRow:
    """One account's effect on cash (positive: it brought cash), in its section."""

    section: str
    kind: str
    code: str
    account: str
    amount: Decimal


@dataclass(frozen=True)
class CashFlowStatement:
    date_from: date
    date_to: date
    currency: str
    profit: Decimal
    rows: tuple[CashFlowRow, ...]
    non_cash: Decimal
    working_capital: Decimal
    operating: Decimal
    investing: Decimal
    financing: Decimal
    net_change: Decimal
    opening_cash: Decimal
    closing_cash: Decimal

    @property
    def ties(self) -> bool:
        """Opening cash plus the net change equals closing cash."""
        return self.opening_cash + self.net_change == self.closing_cash


def _opening_sums(
    reader: Reader, start: date, end: date, classes: dict[int, str], retained: int | None
) -> dict[int, list[int]]:
    """Debits and credits per account of the entries dated in the period that bring balances
    forward (opening-balance entries, and adjustments of them against retained earnings
    touching no cash and no income or expense), which the statement starts from rather than
    explains."""
    restating: set[int] = set()
    if retained is not None:
        lines = reader.rows(
            "SELECT l.entry_id, l.account_id FROM fin_line l WHERE l.entry_id IN ("
            "SELECT e.id FROM fin_entry e JOIN fin_line r ON r.entry_id = e.id "
            "WHERE r.account_id = :retained AND e.source NOT IN ('opening', 'closing') "
            "AND e.state = 'posted' AND e.date >= :a AND e.date <= :b)",
            {"retained": retained, "a": start, "b": end},
        )
        touched: dict[int, set[int]] = {}
        for entry_id, account_id in lines:
            touched.setdefault(int(entry_id), set()).add(int(account_id))
        restating = {
            entry_id
            for entry_id, accounts in touched.items()
            if all(classes.get(a) not in (None, "cash") for a in accounts)
        }
    rows = reader.rows(
        "SELECT l.account_id, SUM(l.debit), SUM(l.credit) FROM fin_line l "
        "JOIN fin_entry e ON e.id = l.entry_id WHERE e.state <> 'draft' "
        "AND (e.source = 'opening' AND e.date >= :a AND e.date <= :b "
        "OR e.id IN :restating) GROUP BY l.account_id",
        {"a": start, "b": end, "restating": sorted(restating) or [0]},
    )
    return {int(a): [int(d or 0), int(c or 0)] for a, d, c in rows}


def cash_flow(db: Reads, actor: Actor, date_from: date, date_to: date) -> CashFlowStatement:
    """The cash-flow statement (indirect method) for ``date_from``..``date_to``.

    Raises:
        ValidationFailed: the range is backwards.
    """
    from bo_console.core.money import base_currency
    from bo_console.core.reading import reader_of
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.chart import role_code
    from bo_console.finance.reports import _operating_sums, sums_until

    actor.require("finance.read", "read financial reports")
    if date_from > date_to:
        raise ValidationFailed("--from is after --to")
    reader = reader_of(db)
    chart = load_chart(reader)
    money = base_currency(reader).from_minor
    classes = class_of_accounts(reader, chart)
    moved = _operating_sums(reader, date_from, date_to)
    retained = chart.id_of(role_code(reader, "retained_earnings"))
    brought = _opening_sums(reader, date_from, date_to, classes, retained)
    for account_id, (debit, credit) in brought.items():
        slot = moved.setdefault(account_id, [0, 0])
        slot[0], slot[1] = slot[0] - debit, slot[1] - credit
    profit = 0
    totals = dict.fromkeys(SECTIONS, 0)
    rows = []
    for account in sorted(chart.accounts.values(), key=lambda a: a.code):
        assert account.id is not None
        debit, credit = moved.get(account.id, (0, 0))
        kind = classes.get(account.id)
        if kind is None:
            profit += credit - debit
            continue
        if kind == "cash" or debit == credit:
            continue
        totals[kind] += credit - debit
        rows.append(
            CashFlowRow(
                section=SECTIONS[kind],
                kind=kind,
                code=account.code,
                account=chart.full_name(account.id),
                amount=money(credit - debit),
            )
        )

    def cash_at(day: date) -> int:
        sums = sums_until(reader, day)
        return sum(
            sums.get(i, (0, 0))[0] - sums.get(i, (0, 0))[1]
            for i, kind in classes.items()
            if kind == "cash"
        )

    opening = cash_at(date_from - timedelta(days=1)) + sum(
        brought.get(i, (0, 0))[0] - brought.get(i, (0, 0))[1]
        for i, kind in classes.items()
        if kind == "cash"
    )
    closing = cash_at(date_to)
    operating = profit + totals["non_cash"] + totals["working_capital"]
    net = operating + totals["investing"] + totals["financing"]
    return CashFlowStatement(
        date_from=date_from,
        date_to=date_to,
        currency=base_currency(reader).code,
        profit=money(profit),
        rows=tuple(rows),
        non_cash=money(totals["non_cash"]),
        working_capital=money(totals["working_capital"]),
        operating=money(operating),
        investing=money(totals["investing"]),
        financing=money(totals["financing"]),
        net_change=money(net),
        opening_cash=money(opening),
        closing_cash=money(closing),
    )
