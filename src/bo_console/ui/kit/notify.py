"""How the console tells a clerk something went wrong: one toast for a service's refusal.

Every screen says a :class:`~bo_console.core.errors.BoError` the same way, with
:func:`show_error`; a form keeps its own message line (:func:`say`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from bo_console.core.errors import BoError

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets import Static

ERROR_TIMEOUT = 8
"""Seconds an error toast stays: long enough to read a sentence."""


def show_error(widget: Widget, exc: BoError | OSError) -> None:
    """Toast what the service refused (its title and message), or a file error's text."""
    if isinstance(exc, BoError):
        widget.notify(exc.message, title=exc.title, severity="error", timeout=ERROR_TIMEOUT)
    else:
        widget.notify(str(exc), title="File error", severity="error", timeout=ERROR_TIMEOUT)


def say(target: Static, text: str) -> None:
    """Show ``text`` in a message line (literal, never markup); empty hides the line."""
    target.update(Text(text))
    target.display = bool(text)


def hidden(widget: Static) -> Static:
    """``widget``, not displayed until :func:`say` puts text in it."""
    widget.display = False
    return widget
