"""Fixtures for the end-to-end tests: the demo they open is the per-process copy in
tests/conftest.py (`demo_db`), built as the OS account that runs `bo` here."""

from __future__ import annotations

import pytest

from tests.e2e.tmux import require_tmux


@pytest.fixture(scope="session", autouse=True)
def _tmux() -> None:
    """Every test here drives tmux: without it, skip them before any demo is built."""
    require_tmux()
