"""Arabic on a terminal that does not reorder it: text shown in visual order, letters joined.

Text is stored and searched in logical order (the order it is typed and read). Most terminals
(xterm, tmux, screen, the Linux console) draw characters left to right as they come, so an
Arabic name reads backwards with its letters unjoined. With the ``bidi`` setting on, the
console draws such text through the Unicode bidirectional algorithm (python-bidi) after
choosing each letter's joined form (arabic-reshaper). Only drawing changes: filters, search,
inputs and exports keep the stored text.

``bidi`` is ``auto`` (the default), ``on`` or ``off``; ``auto`` reorders unless the terminal
is one known to do it itself (mlterm, Konsole). Set it with ``BO_BIDI`` or ``bidi = "on"`` in
the config file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache

MODES = ("auto", "on", "off")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_enabled = False


def terminal_reorders(env: Mapping[str, str]) -> bool:
    """Whether the terminal itself shows right-to-left text in visual order."""
    term = env.get("TERM", "")
    return (
        term.startswith("mlterm")
        or env.get("TERM_PROGRAM", "").lower() == "mlterm"
        or "KONSOLE_VERSION" in env
    )


def decide(mode: str, env: Mapping[str, str] | None = None) -> bool:
    """Whether to reorder for display under ``mode`` (an unknown mode counts as ``auto``)."""
    if mode == "on":
        return True
    if mode == "off":
        return False
    return not terminal_reorders(os.environ if env is None else env)


def configure(mode: str, env: Mapping[str, str] | None = None) -> bool:
    """Turn reordering on or off for this process, as ``mode`` decides; returns the choice."""
    global _enabled  # noqa: PLW0603 - one console per process
    _enabled = decide(mode, env)
    return _enabled


def enabled() -> bool:
    return _enabled


@lru_cache(maxsize=4096)
def _visual(text: str) -> str:
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(text)))


def visual(text: str) -> str:
    """``text`` as the terminal should draw it: unchanged unless reordering is on and it holds
    right-to-left letters."""
    if not _enabled or not _RTL.search(text):
        return text
    return "\n".join(_visual(line) for line in text.split("\n"))


__all__ = ["MODES", "configure", "decide", "enabled", "terminal_reorders", "visual"]
