"""Fixtures for command tests: `bo` run in process against the test database."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bo_console.cli import run

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
