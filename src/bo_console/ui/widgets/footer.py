"""The footer: the keys that work here on one line, with Back, Help and Quit always visible.

Textual's own footer is a row of widgets in a scrolling container: at 80 columns it scrolls the
last keys (Help, Quit) out of sight and leaves stale cells beside the docked palette key. This
one is a single line drawn whole on every refresh: the pinned keys (the screen's Escape, ``?``
help, ``^q`` quit, ``^p`` palette) sit at the right end, and the screen's own keys fill the
rest from the left, as many as fit (a short one after one that did not), the kit's generic list
keys after them.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget

from bo_console.ui.keys import PINNED_ACTIONS, KeyEntry, screen_keys, short_display

GAP = 2
"""Columns between two keys."""
WIDE = 100
"""From this width on, the pinned keys are as far apart as the others (closer below it)."""


class BoFooter(Widget):
    """One line of keys, docked at the bottom of a screen."""

    COMPONENT_CLASSES = {"bo-footer--key", "bo-footer--description"}
    DEFAULT_CSS = """
    BoFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    BoFooter > .bo-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    BoFooter > .bo-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: object) -> None:
        self.refresh()

    def items(self) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
        """(key shown, label, key to press) for the left part and for the pinned right part."""
        left: list[tuple[str, str, str]] = []
        right: list[tuple[str, str, str]] = []
        for entry in screen_keys(self.screen):
            keys = entry.shown
            if not keys and entry.pinned and entry.action in PINNED_ACTIONS:
                keys = entry.keys
            if not keys or not entry.description:
                continue
            label = entry.description[:1].upper() + entry.description[1:]
            item = (short_display(self.screen, keys), label, _press(entry))
            (right if entry.pinned else left).append(item)
        right.sort(key=lambda item: _PIN_ORDER.get(item[2], 0))
        return left, right

    def render(self) -> Text:
        width = self.size.width
        key_style = self.get_component_rich_style("bo-footer--key")
        text_style = self.get_component_rich_style("bo-footer--description")
        left, right = self.items()
        # In a narrow window the pinned keys stand closer, leaving the screen's keys room.
        pin_gap = GAP if width >= WIDE else 1
        right_width = sum(len(k) + 1 + len(d) for k, d, _ in right) + pin_gap * len(right)
        # At least two cells between the screen's keys and the pinned ones.
        room = max(0, width - right_width - 1)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        for shown, label, press in left:
            needed = len(shown) + 1 + len(label) + GAP
            if line.cell_len + needed > room:
                # A shorter key further on may still fit in what is left.
                continue
            start = line.cell_len
            line.append(" " if start == 0 else " " * GAP)
            line.append(shown, key_style)
            line.append(f" {label}", text_style)
            spans.append((start, line.cell_len, press))
        line.append(" " * max(0, width - line.cell_len - right_width))
        for shown, label, press in right:
            start = line.cell_len
            line.append(" " * pin_gap if start else " ")
            line.append(shown, key_style)
            line.append(f" {label}", text_style)
            spans.append((start, line.cell_len, press))
        line.truncate(width, pad=True)
        self._spans = spans
        return line

    def shown_text(self) -> str:
        """The footer's line as plain text (what a person reads)."""
        return self.render().plain

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


_PIN_ORDER = {"escape": 0, "question_mark": 1, "f1": 1, "ctrl+q": 2, "ctrl+p": 3}


def _press(entry: KeyEntry) -> str:
    keys = entry.shown or entry.keys
    for key in keys:
        if key in _PIN_ORDER:
            return key
    return keys[0]


__all__ = ["BoFooter"]
