"""Fixtures for command tests: `bo` run in process against the test database."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bo_console.cli import run

Bo = Callable[..., tuple[int, str, str]]


@pytest.fixture
def bo(db_url: str, capsys: pytest.CaptureFixture[str]) -> Bo:
    """Run `bo --db <test db> -v ARGS` in process; returns (exit code, stdout, stderr).

    ``-v``: commands say what they did although the test has no terminal (without it they are
    quiet on success, as cron wants; ``tests/cli/test_cron_quiet.py`` checks that)."""

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["--db", db_url, "-v", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return call
