"""Fixtures for `bo it` command tests: IT staff, a requester and two employees."""

from __future__ import annotations

from tests.unit.it import conftest as it_fixtures

it = it_fixtures.it  # the same set-up as the service tests
