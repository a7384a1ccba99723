"""Long jobs show a progress bar on a terminal and nothing otherwise."""

from __future__ import annotations

import io

import pytest

from bo_console.clikit import progress_bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    with progress_bar("building the demo") as progress:
        progress(3, 7)
    drawn = screen.getvalue()
    assert "building the demo" in drawn and "3/7" in drawn


def test_progress_bar_is_silent_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar("building the demo") as progress:
        progress(3, 7)
    assert capsys.readouterr() == ("", "")
