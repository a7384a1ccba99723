"""Fixtures for HR service tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bo_console.core.db import Store
from bo_console.core.security import Actor
from tests.conftest import SeedOnce
from tests.unit.hr.factories import Staff, make_staff, setup_org


@pytest.fixture
def staff(
    store: Store, admin: Actor, make_user: Callable[..., Actor], seed_once: SeedOnce
) -> Staff:
    """An org with two units and positions, and users in every HR-relevant role."""

    def seed() -> Staff:
        setup_org(store, admin)
        return make_staff(make_user, admin)

    return seed_once("hr:staff", seed)
