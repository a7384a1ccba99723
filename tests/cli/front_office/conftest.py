"""Fixtures for `bo front` command tests: the logistics team (parties, a warehouse, staff)."""

from __future__ import annotations

from tests.unit.logistics.conftest import team

__all__ = ["team"]
