"""With ``bidi`` on, a form field shows its Arabic in visual order while it is not being
edited, and the stored order (which the cursor edits) while it has the cursor; what is
saved is the stored text. With ``bidi`` off, nothing is reordered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App

from bo_console.ui.widgets import bidi
from bo_console.ui.widgets.form import FormField, FormScreen
from bo_console.ui.widgets.inputs import FieldInput

NAME = "عمر الشهري"


@pytest.fixture
def bidi_on() -> Iterator[None]:
    bidi.configure("on", {})
    yield
    bidi.configure("off", {})


class FormApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[str, str] | None = None

    def on_mount(self) -> None:
        def submit(values: dict[str, str]) -> Any:
            self.saved = dict(values)
            return True

        fields = [FormField("name_ar", "Arabic name", value=NAME), FormField("note", "Note")]
        self.push_screen(FormScreen("Employee", fields, submit))


def drawn(field: FieldInput) -> str:
    return field.render_line(0).text


async def test_arabic_in_a_field_reads_right_to_left_at_rest(bidi_on: None) -> None:
    shown = bidi._visual(NAME)
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#field-name_ar", FieldInput)
        field.focus()
        await pilot.pause()
        assert NAME in drawn(field) and shown not in drawn(field)
        await pilot.press("tab")
        await pilot.pause()
        assert not field.has_focus
        assert shown in drawn(field) and NAME not in drawn(field)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.saved is not None and app.saved["name_ar"] == NAME


async def test_nothing_is_reordered_with_bidi_off() -> None:
    bidi.configure("off", {})
    app = FormApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#field-name_ar", FieldInput)
        app.screen.query_one("#field-note", FieldInput).focus()
        await pilot.pause()
        assert NAME in drawn(field)
