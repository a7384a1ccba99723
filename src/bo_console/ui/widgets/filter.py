"""The one-line filter prompt that ``/`` opens over a list."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from bo_console.ui.widgets.inputs import FieldInput


class FilterPrompt(ModalScreen[str | None]):
    """Ask for filter text; Enter applies it (empty clears), Escape leaves the filter as it was."""

    DEFAULT_CSS = """
    FilterPrompt { align: center bottom; background: $background 30%; }
    FilterPrompt > Horizontal {
        height: 1; width: 100%; background: $panel; margin-bottom: 1;
    }
    FilterPrompt Label { width: auto; padding: 0 1; }
    FilterPrompt Input { width: 1fr; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="filter.cancel")]

    def __init__(self, current: str = "", hint: str = "") -> None:
        super().__init__()
        self.current = current
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("Filter /")
            yield FieldInput(
                value=self.current,
                placeholder=self.hint or "text to look for",
                compact=True,
                id="filter-input",
            )

    @on(Input.Submitted)
    def _apply(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
