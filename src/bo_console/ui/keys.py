"""The keys that work on a screen, grouped the way a person looks for them.

The footer and the help screen both read :func:`screen_keys`: one entry per action (``q`` and
``ctrl+q`` are one "Quit"), in the order *this screen's own keys* (declared by the screen, its
panes and its department's widgets), then the kit's list keys (open, filter, order, export),
then the console's keys (back, help, quit, departments), then Textual's generic keys. Where a
binding comes from is read from the classes that declare it, so a new department's keys are
placed without anyone listing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

KIT_MODULES = ("bo_console.ui.kit", "bo_console.ui.widgets", "bo_console.ui.base")
"""Modules whose bindings are the kit's generic ones (every list has them)."""

PINNED_ACTIONS = ("help", "quit", "command_palette")
"""App actions the footer always shows at its right end (with the screen's Escape)."""


class Origin(IntEnum):
    """Where a key comes from, in the order help lists them."""

    SCREEN = 0
    KIT = 1
    CONSOLE = 2
    TEXTUAL = 3


ORIGIN_TITLES = {
    Origin.SCREEN: "This screen",
    Origin.KIT: "Lists and forms",
    Origin.CONSOLE: "Everywhere",
    Origin.TEXTUAL: "Terminal and scrolling",
}


@dataclass
class KeyEntry:
    """One action and the keys that run it."""

    action: str
    description: str
    tooltip: str
    origin: Origin
    keys: list[str] = field(default_factory=list)
    """The keys as the terminal names them (``question_mark``, ``ctrl+q``)."""
    shown: list[str] = field(default_factory=list)
    """Those of ``keys`` whose binding asks to be shown in the footer."""
    pinned: bool = False
    """Always shown at the footer's right end (Escape, help, quit, the palette)."""

    @property
    def text(self) -> str:
        """What the key does, in words (the tooltip when there is one)."""
        return self.tooltip or self.description or self.action.replace("_", " ")


def _declared_origins(node: DOMNode) -> dict[tuple[str, str], Origin]:
    """(key, action) -> origin, for the bindings the node's classes declare (nearest class
    first)."""
    found: dict[tuple[str, str], Origin] = {}
    for cls in type(node).__mro__:
        declared = cls.__dict__.get("BINDINGS")
        if not declared:
            continue
        module = cls.__module__
        if module.startswith("textual"):
            origin = Origin.TEXTUAL
        elif module.startswith(KIT_MODULES):
            origin = Origin.KIT
        else:
            origin = Origin.SCREEN
        for item in declared:
            binding = item if isinstance(item, Binding) else Binding(*item)
            for key in binding.key.split(","):
                found.setdefault((key.strip(), binding.action), origin)
    return found


def screen_keys(screen: Screen[object]) -> list[KeyEntry]:
    """Every action a key runs on ``screen`` now, one entry each, in help's order."""
    app = screen.app
    origins: dict[int, dict[tuple[str, str], Origin]] = {}
    entries: dict[tuple[int, str], KeyEntry] = {}
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if binding.system and not binding.description:
            continue
        if id(node) not in origins:
            origins[id(node)] = _declared_origins(node)
        origin = origins[id(node)].get((key, binding.action))
        if origin is None:
            # Bound at run time (tabs, department letters, F-keys): the console's when the app
            # holds it, else the screen's own.
            origin = Origin.CONSOLE if node is app else Origin.SCREEN
        elif node is app and origin is not Origin.TEXTUAL:
            origin = Origin.CONSOLE
        pinned = key == "escape" or (node is app and binding.action in PINNED_ACTIONS)
        if pinned:
            origin = Origin.CONSOLE
        entry = entries.setdefault(
            (id(node), binding.action),
            KeyEntry(binding.action, binding.description, binding.tooltip, origin),
        )
        entry.keys.append(key)
        entry.pinned = entry.pinned or pinned
        if binding.show:
            entry.shown.append(key)
        if not entry.description and binding.description:
            entry.description = binding.description
    return sorted(entries.values(), key=lambda e: e.origin)


def key_display(screen: Screen[object], key: str) -> str:
    """A key as the footer and help show it (``?``, ``^q``, ``esc``)."""
    return screen.app.get_key_display(Binding(key, ""))


def short_display(screen: Screen[object], keys: list[str]) -> str:
    """The shortest way to show one of ``keys`` (``?`` rather than ``f1``)."""
    shown = [key_display(screen, k) for k in keys]
    return min(shown, key=len) if shown else ""


__all__ = [
    "ORIGIN_TITLES",
    "KeyEntry",
    "Origin",
    "key_display",
    "screen_keys",
    "short_display",
]
