"""A store held by another write never costs a clerk their work: the form stays, the console
says what it waits for, and the clerk tries again or cancels."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from textual.widgets import Input, Static

from bo_console.core.db import Store
from bo_console.core.jobs import run_job
from bo_console.core.security import Actor
from bo_console.finance.screen import EntryForm, EntryScreen
from bo_console.ui.app import BoApp
from bo_console.ui.kit import BusyDialog
from tests.ui.test_finance_screen import _entries, _lines, _new_entry, _open_finance

SIZE = (80, 24)


def _text(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_saving_an_entry_while_a_job_holds_the_store_keeps_it_and_saves_on_retry(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    assert seeded.path is not None
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await _open_finance(pilot)
        await _new_entry(
            pilot, "shift+tab", *"Rent", "tab", *_lines(("1110", "100", ""), ("3100", "", "100"))
        )
        with run_job(seeded, admin, "finance.journal.import", key="big.csv"):
            holder = sqlite3.connect(seeded.path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                # ctrl+s waits SQLite's busy timeout, then says what holds the store.
                await pilot.press("ctrl+s")
                await pilot.pause()
                dialog = app.screen
                assert isinstance(dialog, BusyDialog)
                said = _text(dialog, "#busy-message")
                assert "job finance.journal.import, started by boadmin" in said
                assert "what you typed is kept" in said
                # Cancel: the form is there as it was typed, saying why nothing was saved.
                await pilot.press("escape")
                await pilot.pause()
                form = app.screen
                assert isinstance(form, EntryForm)
                assert form.query_one("#account-1", Input).value == "1110"
                assert form.query_one("#entry-memo", Input).value == "Rent"
                assert "database busy" in _text(form, "#entry-message")
                assert _entries(seeded) == []
                await pilot.press("ctrl+s")
                await pilot.pause()
                assert isinstance(app.screen, BusyDialog)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
        # The store is free: trying again saves the draft, which opens.
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
    [(_, state, _, _, memo, _)] = _entries(seeded)
    assert (state, memo) == ("draft", "Rent")
