"""Fixtures for the ledger tests: finance staff and a quick way to post."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import service
from bo_console.finance.models import Entry, EntryCreate, LineCreate
from tests.conftest import SeedOnce


@dataclass(frozen=True)
class Team:
    admin: Actor
    clerk: Actor
    manager: Actor
    auditor: Actor


@pytest.fixture
def team(admin: Actor, make_user: Callable[..., Actor], seed_once: SeedOnce) -> Team:
    def seed() -> Team:
        return Team(
            admin=admin,
            clerk=make_user("omar", "finance-clerk"),
            manager=make_user("layla", "finance-manager"),
            auditor=make_user("aisha", "auditor"),
        )

    return seed_once("unit/finance:team", seed)


Line = tuple[str, int, int] | tuple[str, int, int, str]
"""(account code, debit, credit[, tax code]) in minor units."""


def entry(day: date, *lines: Line, memo: str = "test", **extra: object) -> EntryCreate:
    return EntryCreate.model_validate(
        {
            "date": day,
            "memo": memo,
            "lines": [
                LineCreate(
                    account=line[0],
                    debit=line[1],
                    credit=line[2],
                    tax_code=line[3] if len(line) > 3 else None,
                )
                for line in lines
            ],
            **extra,
        }
    )


Poster = Callable[..., Entry]


@pytest.fixture
def post(store: Store, team: Team) -> Poster:
    """Post an entry as the clerk in its own transaction; returns the entry."""

    def call(day: date, *lines: Line, memo: str = "test", **extra: object) -> Entry:
        with store.write() as session:
            return service.post_entry(session, team.clerk, entry(day, *lines, memo=memo, **extra))

    return call


def sale(amount: int) -> tuple[Line, Line, Line]:
    """A cash sale with 15 % VAT: bank against sales and VAT output (tagged, as a VAT
    account takes only tax-coded lines from a manual entry)."""
    vat = amount * 15 // 100
    return ("1110", amount + vat, 0), ("4100", 0, amount, "S15"), ("2210", 0, vat, "S15")
