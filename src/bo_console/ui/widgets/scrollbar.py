"""A scrollbar that keeps what it drew for the last few places of its thumb.

Over a list of 100,000 rows the bar's position changes on every key, but the thumb moves one
eighth of a cell only every few hundred rows, and End and Home put it back where it was drawn
before; Textual's scrollbar draws itself again through Rich on each change (about 1 ms a key,
as much as the whole table's rows).
"""

from __future__ import annotations

from typing import Any

from rich.color import Color
from rich.style import Style
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

_BACK = Color.parse("#555555")
_BAR = Color.parse("bright_magenta")
"""The colours Textual's renderer falls back on when the style has none."""


KEPT = 8
"""Drawings kept (the top, the end and the places a person moved between)."""


class KeptScrollBar(ScrollBar):
    """A vertical scrollbar that draws again only what it has not drawn lately: a drawing is
    kept by what it shows (the thumb's cells and their colours, the bar's size, the part asked
    for and the app's line filters)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: dict[object, list[Strip]] = {}

    def _shown(self, crop: Region) -> object | None:
        """What the bar shows, as a comparable value (None: not a bar this can describe)."""
        bar = self.render()
        if not isinstance(bar, ScrollBarRender) or not self.vertical:
            return None
        style = bar.style
        if not isinstance(style, Style):
            return None
        width, height = self.size
        # The same call Textual's renderer makes, at the size the widget renders it: its
        # segments are the thumb's cells, glyphs and colours.
        cells = bar.render_bar(
            size=height,
            window_size=bar.window_size,
            virtual_size=bar.virtual_size,
            position=bar.position,
            vertical=True,
            thickness=width,
            back_color=style.bgcolor or _BACK,
            bar_color=style.color or _BAR,
        )
        filters = tuple(self.get_line_filters())
        return (crop, self.size, self.background_colors, tuple(cells.segments), filters)

    def render_lines(self, crop: Region) -> list[Strip]:
        shown = self._shown(crop)
        if shown is None:
            return super().render_lines(crop)
        lines = self._kept.get(shown)
        if lines is None:
            lines = self._kept[shown] = super().render_lines(crop)
            if len(self._kept) > KEPT:
                del self._kept[next(iter(self._kept))]
        return lines
