"""Data changed: panes refresh by topic instead of looking each other up.

A write announces what it changed with a topic (``"finance.journal"``,
``"finance.documents"``); every pane on any open screen whose ``LISTENS`` holds the topic gets a
:class:`DataChanged` message and reads its data again (a :class:`ListPane` does that by itself).
The writer does not know who shows the data; a new tab showing it only declares the topic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.widget import Widget


class DataChanged(Message, bubble=False):
    """What ``topic`` names was written; a pane listening to it reads it again."""

    def __init__(self, topic: str) -> None:
        super().__init__()
        self.topic = topic


def listens_to(widget: object, topic: str) -> bool:
    """Whether ``widget`` declared ``topic`` in its ``LISTENS``."""
    return topic in getattr(widget, "LISTENS", ())


def announce(widget: Widget, *topics: str) -> int:
    """Tell every listening pane, on every screen of the console, that ``topics`` changed.

    Returns how many panes were told (each once, whatever number of its topics changed).
    """
    told = 0
    for screen in widget.app.screen_stack:
        for node in screen.walk_children(with_self=False):
            matching = [t for t in topics if listens_to(node, t)]
            if matching:
                node.post_message(DataChanged(matching[0]))
                told += 1
    return told
