"""Fixtures for IT service tests: IT staff, a requester from finance, two employees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from bo_console.core.db import Store
from bo_console.core.security import Actor
from tests.conftest import SeedOnce
from tests.unit.hr.factories import add_employee, setup_org


@dataclass(frozen=True)
class IT:
    store: Store
    admin: Actor
    manager: Actor  # it-manager
    clerk: Actor  # it-clerk
    requester: Actor  # finance-clerk: raises tickets, sees only their own
    auditor: Actor
    ali: str  # employee numbers
    badr: str


@pytest.fixture
def it(store: Store, admin: Actor, make_user: Callable[..., Actor], seed_once: SeedOnce) -> IT:
    def seed() -> IT:
        setup_org(store, admin)
        return IT(
            store=store,
            admin=admin,
            manager=make_user("james", "it-manager"),
            clerk=make_user("khalid", "it-clerk"),
            requester=make_user("omar", "finance-clerk"),
            auditor=make_user("aisha", "auditor"),
            ali=add_employee(store, admin, "Ali Hassan", n=1),
            badr=add_employee(store, admin, "Badr Saleh", n=2),
        )

    return replace(seed_once("unit/it:it", seed), store=store)
