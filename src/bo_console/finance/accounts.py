"""The chart of accounts: a tree of accounts, looked up by code or full name.

An account's full name is the path of names from the top, joined by ``:`` (``Assets:Cash and
banks:Petty cash``), as plain-text accounting tools name accounts; reports, exports and
imports use it. Accounts with postings are never deleted, only deactivated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import FieldError, NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.finance.models import Account, AccountCreate, AccountUpdate

SEPARATOR = ":"


@dataclass(frozen=True, slots=True)
class ChartAccount:
    """An account as the chart holds it: its row, read with plain SQL (no ORM). A service
    that changes an account loads the ORM record by ``id``."""

    id: int
    code: str
    name: str
    name_ar: str
    type: str
    parent_id: int | None
    postable: bool
    active: bool

    @classmethod
    def of(cls, account: Account) -> ChartAccount:
        """The chart's copy of an ORM account (flushed: it has an id)."""
        assert account.id is not None
        return cls(
            account.id,
            account.code,
            account.name,
            account.name_ar,
            account.type,
            account.parent_id,
            bool(account.postable),
            bool(account.active),
        )


def _key(text: str) -> str:
    from bo_console.core.text import fold

    return SEPARATOR.join(fold(part) for part in text.split(SEPARATOR))


@dataclass
class Chart:
    """Every account of the chart in memory (a few hundred rows), with full names and lookups."""

    accounts: dict[int, ChartAccount]
    _full: dict[int, str] = field(default_factory=dict)
    _by_code: dict[str, ChartAccount] = field(default_factory=dict)
    _by_name: dict[str, ChartAccount] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for account in self.accounts.values():
            self._index(account)

    def _index(self, account: ChartAccount) -> None:
        self._by_code[account.code.casefold()] = account
        self._by_name[_key(self.full_name(account.id))] = account

    def add(self, account: Account | ChartAccount) -> None:
        """Take a newly flushed account into the lookups."""
        record = account if isinstance(account, ChartAccount) else ChartAccount.of(account)
        self.accounts[record.id] = record
        self._index(record)

    def full_name(self, account_id: int) -> str:
        """``Assets:Cash and banks:Petty cash``."""
        cached = self._full.get(account_id)
        if cached is not None:
            return cached
        account = self.accounts[account_id]
        name = account.name
        if account.parent_id is not None:
            name = self.full_name(account.parent_id) + SEPARATOR + name
        self._full[account_id] = name
        return name

    def has_code(self, code: str) -> bool:
        return code.strip().casefold() in self._by_code

    def id_of(self, code: str) -> int | None:
        """The id of the account whose code is exactly ``code``, or None."""
        account = self._by_code.get(code.casefold())
        return account.id if account is not None and account.code == code else None

    def find(self, text: str) -> ChartAccount | None:
        """The account with this code, or else this full name (case and Arabic forms folded)."""
        text = text.strip()
        return self._by_code.get(text.casefold()) or self._by_name.get(_key(text))

    def get(self, text: str) -> ChartAccount:
        """Like :meth:`find`, but a missing account is an error that says what to do."""
        account = self.find(text)
        if account is None:
            raise NotFound(f"no account {text!r} (see `bo finance accounts list`)")
        return account

    def children(self, account_id: int | None) -> list[ChartAccount]:
        return sorted(
            (a for a in self.accounts.values() if a.parent_id == account_id), key=lambda a: a.code
        )

    def descendants(self, account_id: int) -> list[int]:
        """Ids of the account and everything under it."""
        out = [account_id]
        for child in self.children(account_id):
            assert child.id is not None
            out.extend(self.descendants(child.id))
        return out

    def depth(self, account_id: int) -> int:
        account = self.accounts[account_id]
        return 0 if account.parent_id is None else 1 + self.depth(account.parent_id)


_CACHE_KEY = "bo.finance.chart"


def load_chart(db: Reads) -> Chart:
    """The whole chart, read once per unit of work or Reader (kept in its ``info``; every
    change to an account goes through this module, which updates or forgets it)."""
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    info = getattr(reader, "info", None)
    cached = info.get(_CACHE_KEY) if isinstance(info, dict) else None
    if isinstance(cached, Chart):
        return cached
    rows = reader.rows(
        "SELECT id, code, name, name_ar, type, parent_id, postable, active FROM fin_account"
    )
    chart = Chart(
        {
            int(row[0]): ChartAccount(
                int(row[0]),
                str(row[1]),
                str(row[2]),
                str(row[3]),
                str(row[4]),
                None if row[5] is None else int(row[5]),
                bool(row[6]),
                bool(row[7]),
            )
            for row in rows
        }
    )
    if isinstance(info, dict):
        info[_CACHE_KEY] = chart
    return chart


def forget_chart(session: Session) -> None:
    """Drop the session's copy of the chart (after accounts change or a rollback)."""
    session.info.pop(_CACHE_KEY, None)


def _record(session: Session, account: ChartAccount) -> Account:
    """The ORM record of a chart's account, to change or delete it."""
    from bo_console.finance.models import Account

    record = session.get(Account, account.id)
    if record is None:  # deleted since the chart was read in this unit of work
        raise NotFound(f"no account {account.code!r} (see `bo finance accounts list`)")
    return record


@dataclass(frozen=True)
class AccountView:
    """An account as lists show it."""

    id: int
    code: str
    name: str
    name_ar: str
    full_name: str
    type: str
    parent: str
    depth: int
    postable: bool
    active: bool


def _view(chart: Chart, account: ChartAccount) -> AccountView:
    parent = chart.accounts.get(account.parent_id) if account.parent_id is not None else None
    return AccountView(
        id=account.id,
        code=account.code,
        name=account.name,
        name_ar=account.name_ar,
        full_name=chart.full_name(account.id),
        type=account.type,
        parent=parent.code if parent is not None else "",
        depth=chart.depth(account.id),
        postable=account.postable,
        active=account.active,
    )


def tree_order(chart: Chart) -> list[ChartAccount]:
    """Accounts depth-first, children by code: the order a chart is read in."""
    out: list[ChartAccount] = []

    def walk(parent: int | None) -> None:
        for child in chart.children(parent):
            out.append(child)
            walk(child.id)

    walk(None)
    return out


def list_accounts(
    db: Reads,
    actor: Actor,
    *,
    include_inactive: bool = True,
    account_type: str | None = None,
    search: str | None = None,
) -> list[AccountView]:
    """The chart in tree order."""
    from bo_console.core.text import fold

    actor.require("finance.read", "read the chart of accounts")
    chart = load_chart(db)
    needle = fold(search) if search else None
    views = []
    for account in tree_order(chart):
        if not include_inactive and not account.active:
            continue
        if account_type and account.type != account_type:
            continue
        view = _view(chart, account)
        if needle and needle not in fold(f"{view.code} {view.full_name} {view.name_ar}"):
            continue
        views.append(view)
    return views


def get_account(db: Reads, actor: Actor, ref: str) -> AccountView:
    """One account by code or full name."""
    actor.require("finance.read", "read the chart of accounts")
    chart = load_chart(db)
    return _view(chart, chart.get(ref))


def has_lines(db: Reads, account_id: int) -> bool:
    """Whether any entry (draft or posted) has a line on the account."""
    from bo_console.core.reading import reader_of

    row = reader_of(db).first(
        "SELECT 1 FROM fin_line WHERE account_id = :a LIMIT 1", {"a": account_id}
    )
    return row is not None


def _an(word: str) -> str:
    """``an`` before ``asset``, ``income`` and ``expense``; ``a`` before the other types."""
    return "an" if word[:1] in "aeiou" else "a"


def _parent(chart: Chart, code: str | None, kind: str) -> ChartAccount | None:
    if not code:
        return None
    parent = chart.find(code)
    if parent is None:
        raise ValidationFailed(f"no parent account {code!r}", [FieldError("parent", "not found")])
    if parent.type != kind:
        raise ValidationFailed(
            f"{_an(kind)} {kind} account cannot sit under {parent.code} {parent.name} "
            f"({parent.type})",
            [FieldError("parent", f"must be {_an(kind)} {kind} account")],
        )
    return parent


def _check_unique(chart: Chart, code: str | None, name: str, parent_id: int | None) -> None:
    if code is not None and chart.has_code(code):
        raise RuleViolation(f"account code {code} is already used")
    for sibling in chart.children(parent_id):
        if _key(sibling.name) == _key(name):
            raise RuleViolation(
                f"{sibling.code} {sibling.name} already has that name at that level of the chart"
            )


def add_account(
    session: Session, actor: Actor, data: AccountCreate, *, parent: str | None = None
) -> Account:
    """Add an account (``parent``: the code or full name of the group it sits under).

    Raises:
        ValidationFailed: bad fields, an unknown parent or one of another type.
        RuleViolation: the code is taken, or a sibling has the same name.
    """
    from bo_console.core import audit
    from bo_console.finance.models import Account, AccountCreate

    actor.require("finance.manage", "add accounts")
    data = AccountCreate.model_validate(data.model_dump())
    chart = load_chart(session)
    parent_account = _parent(chart, parent, data.type) if parent else None
    if parent_account is None and data.parent_id is not None:
        parent_account = chart.accounts.get(data.parent_id)
        if parent_account is None or parent_account.type != data.type:
            raise ValidationFailed("the parent account does not exist or is of another type")
    parent_id = parent_account.id if parent_account is not None else None
    _check_unique(chart, data.code, data.name, parent_id)
    account = Account.model_validate(data.model_dump() | {"parent_id": parent_id})
    session.add(account)
    session.flush()
    assert account.id is not None
    chart.add(account)
    audit.record(
        session,
        actor,
        action="create",
        entity="account",
        entity_id=account.code,
        changes={
            "code": (None, account.code),
            "name": (None, account.name),
            "name_ar": (None, account.name_ar),
            "type": (None, account.type),
            "parent": (None, parent_account.code if parent_account else None),
            "postable": (None, account.postable),
        },
    )
    return account


def update_account(
    session: Session, actor: Actor, ref: str, data: AccountUpdate, *, parent: str | None = None
) -> Account:
    """Rename an account, move it under another group of its type, or make it (non-)postable."""
    from bo_console.core import audit
    from bo_console.finance.models import AccountUpdate

    actor.require("finance.manage", "change accounts")
    data = AccountUpdate.model_validate(data.model_dump())
    chart = load_chart(session)
    account = _record(session, chart.get(ref))
    assert account.id is not None
    changes: dict[str, tuple[object, object]] = {}
    new_parent_id = account.parent_id
    if parent is not None:
        target = _parent(chart, parent, account.type) if parent else None
        new_parent_id = target.id if target is not None else None
        if new_parent_id is not None and new_parent_id in chart.descendants(account.id):
            raise RuleViolation("an account cannot sit under itself or its own sub-accounts")
    name = data.name if data.name is not None else account.name
    if name != account.name or new_parent_id != account.parent_id:
        for sibling in chart.children(new_parent_id):
            if sibling.id != account.id and _key(sibling.name) == _key(name):
                raise RuleViolation(f"{sibling.code} {sibling.name} already has that name there")
    if new_parent_id != account.parent_id:
        old = chart.accounts.get(account.parent_id) if account.parent_id else None
        new = chart.accounts.get(new_parent_id) if new_parent_id else None
        changes["parent"] = (old.code if old else None, new.code if new else None)
        account.parent_id = new_parent_id
    for attr in ("name", "name_ar", "postable"):
        value = getattr(data, attr)
        if value is not None and value != getattr(account, attr):
            changes[attr] = (getattr(account, attr), value)
            setattr(account, attr, value)
    if not changes:
        return account
    session.add(account)
    session.flush()
    forget_chart(session)
    audit.record(
        session, actor, action="update", entity="account", entity_id=account.code, changes=changes
    )
    return account


@dataclass(frozen=True)
class Balances:
    """Every account's balance (debits - credits, minor units) at the end of ``as_of``: of its
    own lines, and in ``total`` with every account under it (a group's own is zero)."""

    as_of: date
    currency: Currency
    own: dict[int, int]
    total: dict[int, int]


def balances(db: Reads, actor: Actor, as_of: date) -> Balances:
    """The balance of every account at the end of ``as_of``, groups rolled up: what the
    chart tree shows and what :func:`account_balance` reads one account from."""
    from bo_console.core.money import base_currency
    from bo_console.finance.reports import sums_until

    actor.require("finance.read", "read account balances")
    chart = load_chart(db)
    own = {
        account_id: int(debit) - int(credit)
        for account_id, (debit, credit) in sums_until(db, as_of).items()
    }
    total: dict[int, int] = {}
    # Each account's children, found in one pass (asking the chart per account is quadratic).
    children: dict[int | None, list[ChartAccount]] = {}
    for account in sorted(chart.accounts.values(), key=lambda a: a.code):
        children.setdefault(account.parent_id, []).append(account)

    def roll_up(parent: int | None) -> int:
        amount = 0
        for account in children.get(parent, []):
            assert account.id is not None
            total[account.id] = own.get(account.id, 0) + roll_up(account.id)
            amount += total[account.id]
        return amount

    roll_up(None)
    return Balances(as_of, base_currency(db), own, total)


def account_balance(
    db: Reads, actor: Actor, ref: str, *, as_of: date, rollup: bool = True
) -> Decimal:
    """One account's balance (debits - credits) at the end of ``as_of``, with every account
    under it unless ``rollup`` is False: ``bo finance accounts show`` and the chart tree.

    Raises:
        NotFound: no such account.
    """
    from bo_console.core.reading import reader_of

    reader = reader_of(db)
    account = load_chart(reader).get(ref)
    found = balances(reader, actor, as_of)
    amount = found.total.get(account.id, 0) if rollup else found.own.get(account.id, 0)
    return found.currency.from_minor(amount)


def posted_balance(db: Reads, account_id: int) -> int:
    """Debits minus credits of an account over all posted entries, whatever their date
    (minor units): an account that holds anything stays active."""
    from bo_console.core.reading import reader_of

    value = reader_of(db).scalar(
        "SELECT COALESCE(SUM(debit), 0) - COALESCE(SUM(credit), 0) FROM fin_balance "
        "WHERE account_id = :a",
        {"a": account_id},
    )
    return int(value)


def set_active(session: Session, actor: Actor, ref: str, *, active: bool) -> bool:
    """Deactivate (or reactivate) an account; returns False when nothing changed.

    An account with a balance, or with active sub-accounts, stays active: move the balance or
    deactivate the sub-accounts first.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency

    actor.require("finance.manage", "deactivate accounts")
    chart = load_chart(session)
    account = chart.get(ref)
    assert account.id is not None
    if account.active == active:
        return False
    if not active:
        balance = posted_balance(session, account.id)
        if balance:
            amount = base_currency(session).format(balance)
            raise RuleViolation(
                f"{account.code} {account.name} has a balance of {amount}; "
                "move it to another account before deactivating"
            )
        live = [c.code for c in chart.children(account.id) if c.active]
        if live:
            raise RuleViolation(
                f"{account.code} has active sub-accounts ({', '.join(live)}); deactivate them first"
            )
    elif account.parent_id is not None and not chart.accounts[account.parent_id].active:
        raise RuleViolation("its parent account is inactive; reactivate the parent first")
    record = _record(session, account)
    record.active = active
    session.add(record)
    session.flush()
    forget_chart(session)
    audit.record(
        session,
        actor,
        action="activate" if active else "deactivate",
        entity="account",
        entity_id=account.code,
        changes={"active": (not active, active)},
    )
    return True


def delete_account(session: Session, actor: Actor, ref: str) -> None:
    """Delete an account that was never used (no lines, no sub-accounts).

    Raises:
        RuleViolation: it has postings (deactivate it instead) or sub-accounts.
    """
    from bo_console.core import audit

    actor.require("finance.manage", "delete accounts")
    chart = load_chart(session)
    account = chart.get(ref)
    assert account.id is not None
    if has_lines(session, account.id):
        raise RuleViolation(
            f"{account.code} {account.name} has postings and cannot be deleted; "
            f"deactivate it instead (bo finance accounts deactivate {account.code})"
        )
    if chart.children(account.id):
        raise RuleViolation(f"{account.code} has sub-accounts; delete or move them first")
    session.delete(_record(session, account))
    session.flush()
    forget_chart(session)
    audit.record(
        session,
        actor,
        action="delete",
        entity="account",
        entity_id=account.code,
        changes={"code": (account.code, None), "name": (account.name, None)},
    )
