"""A few snapshot tests of whole screens at 80x24 (update with --snapshot-update)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot

from bo_console.core.security import Actor
from bo_console.ui import base
from bo_console.ui.app import BoApp

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "today", lambda: date(2026, 11, 26))


def test_home(snap_compare: Any, app_for: Callable[[Actor], BoApp], admin: Actor) -> None:
    assert snap_compare(app_for(admin), terminal_size=SIZE)


def test_help_on_home(snap_compare: Any, app_for: Callable[[Actor], BoApp], admin: Actor) -> None:
    assert snap_compare(app_for(admin), press=["f1"], terminal_size=SIZE)


def test_new_user_form_with_error(
    snap_compare: Any, app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("a", "n", *"Bad", "tab", *"Mona Farouk")
        await pilot.pause()

    assert snap_compare(app_for(admin), run_before=run_before, terminal_size=SIZE)
