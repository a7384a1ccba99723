"""A snapshot of the Finance screen at 80x24 (update with --snapshot-update)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from textual.pilot import Pilot

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import service
from bo_console.finance.models import EntryCreate, LineCreate
from bo_console.ui import base
from bo_console.ui.app import BoApp

SIZE = (80, 24)
DAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "today", lambda: DAY)


def test_entry_form_with_difference_and_error(
    snap_compare: Any, app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    with seeded.write() as session:
        service.post_entry(
            session,
            admin,
            EntryCreate(
                date=DAY,
                memo="Capital",
                lines=[
                    LineCreate(account="1110", debit=50_000_000),
                    LineCreate(account="3100", credit=50_000_000),
                ],
            ),
        )

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f", "n", *"Office chairs", "tab")
        await pilot.press(*"6390", "tab", *"2,500", "tab", "tab", "tab", "tab")
        await pilot.press(*"rajhi", "tab", "tab", *"2,300.5", "tab", "tab", *"zz")
        # Let every hint and total land, however busy the machine.
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app_for(admin), run_before=run_before, terminal_size=SIZE)
