"""A one-line status of plain text that changes on every key (a list's row and order).

A ``Static`` turns its text into Textual content and lays it out at each change (about half a
millisecond a key); a status line of plain text that fits its width is drawn as one segment,
the same cells and styles. Text is never read as markup, so a filter typed as ``[/]`` shows
as typed.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import Static


class StatusLine(Static):
    """A ``Static`` for one line of plain text, drawn directly while it fits."""

    DEFAULT_CSS = """
    StatusLine { height: 1; }
    """

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(text, markup=False, **kwargs)
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        self._text = content if isinstance(content, str) else str(content)
        super().update(content, layout=layout)

    def render_line(self, y: int) -> Strip:
        text = self._text
        width = self.size.width
        if (
            y
            or not text
            or "\n" in text
            or not text.isprintable()
            or cell_len(text) > width
            or self.styles.text_align not in ("left", "start")
        ):
            # A second line, or text Textual would wrap, break or align: its own drawing.
            return super().render_line(y)
        # As Textual draws one span of plain text: the widget's style, with the offset that
        # mouse selection reads.
        style = self.visual_style.rich_style + Style.from_meta({"offset": (0, 0)})
        return Strip([Segment(text, style)], cell_len(text))
