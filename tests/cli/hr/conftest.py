"""Fixtures for `bo hr` command tests: an org and its staff, as HR's service tests have them
(the in-process runner, ``bo``, is the command tests' own)."""

from __future__ import annotations

from tests.unit.hr.conftest import staff

__all__ = ["staff"]
