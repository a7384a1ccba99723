"""Accounts for the screen: completion while typing, and the chart tree with balances
(:func:`bo_console.finance.accounts.balances`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.finance.journal import (
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
    from sqlmodel import Session

    from bo_console.core.money import Currency
    from bo_console.core.security import Actor
    from bo_console.finance.accounts import Chart


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
