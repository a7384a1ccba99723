"""Fixtures for `bo it` command tests: IT staff, a requester and two employees."""

from __future__ import annotations

from tests.unit.it.conftest import it  # noqa: F401  (the same set-up as the service tests)
