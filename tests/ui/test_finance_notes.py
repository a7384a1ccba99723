"""Pilot tests for credit notes from the Invoices tab: the form prefilled from the original's
lines, VAT as you type, what is left refused beside the line, issued after asking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from textual.widgets import Static

from bo_console.core.clock import today
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.finance.screen import FinanceScreen
from bo_console.finance.screen.note_form import NoteForm
from bo_console.finance.screen.notes import NoteScreen, NotesDialog
from bo_console.ui.app import BoApp
from bo_console.ui.widgets.confirm import ConfirmDialog
from tests.unit.finance.documents_helpers import GLOVES, add_parties, doc

SIZE = (80, 24)
MASKS = ("Masks", 4_000, 1_000, "S15")


@pytest.fixture
def books(seeded: Store, admin: Actor) -> Store:
    """C1's invoice of today: 10 gloves at 45.50 and 4 masks at 10.00, posted."""
    with seeded.write() as session:
        add_parties(session, admin)
        doc(session, admin, day=today(), lines=(GLOVES, MASKS))
    return seeded


def _notes(store: Store) -> list[tuple[Any, ...]]:
    with store.read() as session:
        return [
            tuple(r)
            for r in session.execute(
                text("SELECT number, net, tax, total, applied FROM fin_note ORDER BY id")
            ).all()
        ]


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_a_credit_note_from_the_invoices_tab(
    app_for: Callable[[Actor], BoApp], admin: Actor, books: Store
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NoteForm) and form.kind == "credit"
        assert "left 10 x 45.50 = 455.00 + VAT 68.25" in _text(form, "#note-line-1 .line-hint")
        await pilot.press(*"11")  # the focus starts on line 1's quantity
        await pilot.pause()
        assert _text(form, "#note-line-1 .line-hint") == "only 10 left to credit"
        await pilot.press("backspace", "backspace", "2")
        await pilot.pause()
        totals = _text(form, "#note-totals")
        assert "Net 91.00" in totals and "VAT 13.65" in totals and "Total 104.65" in totals
        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog), _text(form, "#note-message")
        assert "credit note on INV-" in _text(dialog, "#confirm-message")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
        # t lists the notes over the documents; enter shows the one just issued
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, NotesDialog)
        await pilot.press("enter")
        await pilot.pause()
        shown = app.screen
        assert isinstance(shown, NoteScreen)
        assert shown.view.row.original.startswith("INV-") and shown.view.row.left == 0
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FinanceScreen)
    year = today().year
    assert _notes(books) == [(f"CRN-{year}-00001", 9_100, 1_365, 10_465, 10_465)]
