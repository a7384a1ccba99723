"""Fixtures for `bo logistics` command tests: the parties, a warehouse and the staff."""

from __future__ import annotations

from tests.unit.logistics.conftest import team

__all__ = ["team"]
