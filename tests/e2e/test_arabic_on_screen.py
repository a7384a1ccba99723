"""End to end: an Arabic name drawn in visual order (joined letters, right to left) in tmux,
which does no bidi of its own; with ``bidi = off`` it is drawn as stored."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bo_console.ui.widgets import bidi
from tests.e2e.conftest import BoHere, NewStore
from tests.e2e.tmux import terminal

pytestmark = pytest.mark.e2e

NAME = "عمر الشهري"


@pytest.fixture
def arabic_db(console_db: NewStore, bo_here: BoHere) -> Path:
    """A new store whose admin is this OS account, with a user whose name is Arabic."""
    path = console_db("bo.db")
    bo_here(path, "users", "add", "omar", "--role", "analyst", "--name", NAME, "--later")
    return path


@pytest.mark.parametrize("mode", ["on", "auto", "off"])
def test_arabic_name_in_visual_order(arabic_db: Path, tmp_path: Path, mode: str) -> None:
    shown = bidi._visual(NAME)
    assert shown != NAME and shown.startswith("ﻱ")  # the last letter, joined, comes first
    env = {"TERM": "xterm-256color", "BO_BIDI": mode, "HOME": str(tmp_path)}
    command = [sys.executable, "-m", "bo_console", "--db", str(arabic_db), "tui", "-s", "admin"]
    with terminal(command, env) as term:
        screen = term.wait_for("omar", timeout=20)
        if mode == "off":
            assert NAME in screen and shown not in screen
        else:
            # tmux reorders nothing: auto reorders for it, as on does.
            assert shown in screen and NAME not in screen
        term.send("C-q")
        term.wait_for("Quit bo-console?")
        term.send("y")
        term.wait_until_closed()


def test_auto_leaves_reordering_to_terminals_that_do_it() -> None:
    assert bidi.decide("auto", {"TERM": "xterm-256color"})
    assert not bidi.decide("auto", {"TERM": "xterm-256color", "KONSOLE_VERSION": "230804"})
    assert not bidi.decide("auto", {"TERM": "mlterm"})
    assert bidi.decide("on", {"TERM": "mlterm"}) and not bidi.decide("off", {})


def test_search_and_editing_keep_the_stored_text() -> None:
    bidi.configure("on", {})
    try:
        assert bidi.visual("Omar") == "Omar"
        assert bidi.visual(NAME) == bidi._visual(NAME)
    finally:
        bidi.configure("off", {})
    assert bidi.visual(NAME) == NAME
