"""The console's start on Finance: its first frame without the SQL toolkit, the toolkit loaded
in the background after it, the journal read once as the screen opens and again on return."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from typing import Any

import pytest

from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance import service
from bo_console.finance.models import EntryCreate, LineCreate
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.virtual_table import VirtualTable
from tests.conftest import ADMIN_LOGIN

SIZE = (80, 24)

FIRST_FRAME = """
import asyncio, json, sys
from bo_console.core import security
from bo_console.core.security import Identity

security.os_identity = lambda: Identity(sys.argv[2], "test")
from bo_console import console

store, actor = console.signed_in(sys.argv[1], sys.argv[3])
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.virtual_table import VirtualTable

TOOLKIT = ("sqlalchemy", "sqlmodel", "pydantic")
seen = {}


start_warm_up = BoApp._start_warm_up


def probe(self):
    # The moment the console would start its background import: the first frame is drawn.
    seen["screen"] = type(self.screen).__name__
    if sys.argv[3] == "finance":
        seen["row"] = self.screen.query_one(VirtualTable).render_line(1).text
    else:
        seen["row"] = str(self.screen.query_one("#inbox-title").render())
    seen["loaded"] = sorted(m for m in TOOLKIT if m in sys.modules)
    start_warm_up(self)


BoApp._start_warm_up = probe


async def main():
    app = BoApp(store=store, actor=actor, screen=sys.argv[3])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        warmed = (*TOOLKIT, "bo_console.finance.service")
        seen["warmed"] = sorted(m for m in warmed if m in sys.modules)


asyncio.run(main())
print(json.dumps(seen))
"""


def _post(store: Store, actor: Actor, day: date, memo: str) -> str:
    with store.write() as session:
        entry = service.post_entry(
            session,
            actor,
            EntryCreate(
                date=day,
                memo=memo,
                lines=[
                    LineCreate(account="6110", debit=100, credit=0),
                    LineCreate(account="1110", debit=0, credit=100),
                ],
            ),
        )
        return entry.ref


def _first_frame(store: Store, screen: str) -> dict[str, Any]:
    """What a console opening on ``screen`` had drawn and loaded at its first frame."""
    out = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, store.url, ADMIN_LOGIN, screen],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return seen


def test_first_frame_on_finance_without_the_sql_toolkit(store: Store, admin: Actor) -> None:
    _post(store, admin, date(2026, 3, 9), "Older")
    newest = _post(store, admin, date(2026, 3, 10), "Rent of March")
    seen = _first_frame(store, "finance")
    assert seen["screen"] == "FinanceScreen"
    assert newest in seen["row"] and "Rent of March" in seen["row"]
    assert seen["loaded"] == []
    # After the first frame the toolkit and the finance service are loaded in the background.
    assert seen["warmed"] == sorted(
        ["sqlalchemy", "sqlmodel", "pydantic", "bo_console.finance.service"]
    )


@pytest.mark.asyncio
async def test_journal_read_once_on_opening_and_again_on_return(
    store: Store, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    _post(store, admin, date(2026, 3, 9), "First")
    reads: list[int] = []
    refresh = VirtualTable.refresh_data

    def counted(self: VirtualTable, *, keep_cursor: bool = True) -> None:
        reads.append(self.count)
        refresh(self, keep_cursor=keep_cursor)

    monkeypatch.setattr(VirtualTable, "refresh_data", counted)
    app = BoApp(store=store, actor=admin, screen="finance")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(VirtualTable)
        assert len(reads) == 1 and table.count == 1
        await pilot.press("escape")  # Home
        await pilot.pause()
        second = _post(store, admin, date(2026, 3, 10), "Second")
        await pilot.press("f")
        await pilot.pause()
        assert len(reads) == 2 and table.count == 2
        assert second in table.render_line(1).text


def test_first_frame_on_home_shows_the_inbox_without_the_sql_toolkit(seeded: Store) -> None:
    seen = _first_frame(seeded, "home")
    assert seen["screen"] == "HomeScreen"
    # The admin reads every inbox: the seeded IT and finance items.
    assert "2 open items" in seen["row"]
    assert seen["loaded"] == []
    assert seen["warmed"] == ["pydantic", "sqlalchemy", "sqlmodel"]
