"""The tmux driver itself: a screen is captured again only after the program drew, and a
kept screen is never stale."""

from __future__ import annotations

import time

import pytest

from tests.e2e.tmux import terminal

pytestmark = pytest.mark.e2e


def test_the_screen_is_captured_again_only_after_output() -> None:
    with terminal(["sh"], {"PS1": "$ "}) as term:
        # The shell then sleeps: it draws nothing more (no prompt) until interrupted.
        term.send("echo ONE-$((40 + 2)); sleep 60", "Enter")
        assert "ONE-42" in term.wait_for("ONE-42")
        # The copy of the output may come a moment after the screen showed it (one more
        # capture, harmless): let it catch up first.
        time.sleep(0.5)
        term.screen()
        drawn = term.captures
        for _ in range(20):
            assert "ONE-42" in term.screen()
        assert term.captures == drawn, "nothing was drawn, yet the screen was captured again"
        # Output that comes after a kept screen is seen: the kept one is not shown again.
        term.send("C-c")
        term.send("echo TWO-$((40 + 3))", "Enter")
        assert "TWO-43" in term.wait_for("TWO-43")
        assert term.captures > drawn


def test_a_wait_that_never_sees_its_text_fails_with_the_screen() -> None:
    with terminal(["sh"], {"PS1": "$ "}) as term:
        term.send("echo THREE", "Enter")
        term.wait_for("THREE")
        with pytest.raises(
            AssertionError, match="'FOUR' did not appear; the screen shows:\n.*THREE"
        ):
            term.wait_for("FOUR", timeout=0.3)
