"""Fixtures for Pilot tests: an app over a small seeded database."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bo_console.core import inbox
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.ui.app import BoApp
from tests.conftest import SeedOnce


@pytest.fixture
def seeded(
    store: Store, admin: Actor, make_user: Callable[..., Actor], seed_once: SeedOnce
) -> Store:
    """A database with a few users and work items."""

    def seed() -> None:
        make_user("omar", "finance-clerk", full_name="عمر الشهري")
        make_user("aisha", "auditor", full_name="Aisha Al-Mutairi")
        with store.write() as session:
            for to, subject in [
                ("it", "Laptop for [new] hire"),
                ("finance", "Bill PO-1043 to enter"),
            ]:
                inbox.create_item(
                    session,
                    admin,
                    from_dept="front",
                    item=inbox.NewWorkItem(to_dept=to, kind="general", subject=subject),
                )

    seed_once("ui:seeded", seed)
    return store


@pytest.fixture
def app_for(seeded: Store) -> Callable[[Actor], BoApp]:
    def make(actor: Actor) -> BoApp:
        return BoApp(store=seeded, actor=actor)

    return make
