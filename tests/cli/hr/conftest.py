"""Fixtures for `bo hr` command tests: the in-process runner, an org and its staff."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bo_console.cli import run
from bo_console.core.db import Store
from bo_console.core.security import Actor
from tests.unit.hr.factories import Staff, make_staff, setup_org

Bo = Callable[..., tuple[int, str, str]]


@pytest.fixture
def bo(db_url: str, capsys: pytest.CaptureFixture[str]) -> Bo:
    """Run `bo --db <test db> ARGS` in process; returns (exit code, stdout, stderr)."""

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--db", db_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture
def staff(store: Store, admin: Actor, make_user: Callable[..., Actor]) -> Staff:
    setup_org(store, admin)
    return make_staff(make_user, admin)
