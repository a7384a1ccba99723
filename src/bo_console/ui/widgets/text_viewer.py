"""A modal that shows a block of text (a record's details), closed with Escape."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class TextViewer(ModalScreen[None]):
    """Show ``body`` under ``title``; the text is literal (never markup)."""

    DEFAULT_CSS = """
    TextViewer { align: center middle; }
    TextViewer > VerticalScroll {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    TextViewer .viewer-title { text-style: bold; padding-top: 1; }
    """

    BINDINGS = [Binding("escape,q,enter", "close", "Close", id="viewer.close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(self.title_text), classes="viewer-title")
            yield Static(Text(self.body), id="viewer-body")

    def action_close(self) -> None:
        self.dismiss(None)
