"""Drive the real program in a tmux session: send keys, read the screen.

Reading the screen is a `tmux capture-pane`, a process of its own; the waits below used to run
one every tenth of a second for as long as a journey lasted, most of them to find the screen
unchanged. The pane's output is now also copied to a file (`pipe-pane`): its size only grows
when the program draws, so the screen is captured again only after it has grown, and a wait
costs a `stat` while nothing happens. The pane's grid only changes through that output (the
size is fixed), so a screen kept since the last growth is the screen.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

POLL_S = 0.03
"""How often a wait looks at the output's size (a `stat`; the capture only when it grew)."""


def require_tmux() -> str:
    path = shutil.which("tmux")
    if path is None:
        pytest.skip("tmux is not installed (`./dev test` installs it)")
    return path


@dataclass
class Terminal:
    """One tmux session on a private socket."""

    socket: str
    name: str
    output: Path | None = None
    """Where the pane's output is copied as it comes (None: capture on every look)."""
    _drawn: int = field(default=-1, repr=False)
    _shown: str = field(default="", repr=False)
    captures: int = field(default=0, repr=False)
    """How many times the screen was captured (a test of this module counts them)."""

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return result.stdout

    def _output_size(self) -> int:
        if self.output is None:
            return -1
        try:
            return self.output.stat().st_size
        except FileNotFoundError:
            return -1

    def send(self, *keys: str) -> None:
        """Send tmux key names (``Enter``, ``Escape``, ``F9``) or literal text."""
        self._tmux("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        """What the pane shows now."""
        # The size is read before the capture: output that comes during it is seen next time.
        drawn = self._output_size()
        if drawn < 0 or drawn != self._drawn:
            self._shown = self._tmux("capture-pane", "-p", "-t", self.name)
            self.captures += 1
            self._drawn = drawn
        return self._shown

    def alive(self) -> bool:
        return self.name in self._tmux("list-sessions", "-F", "#{session_name}")

    def wait_for(self, text: str, timeout: float = 10.0) -> str:
        """Wait until ``text`` is on screen; fail with the screen's contents if it never is."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() >= deadline:
                raise AssertionError(f"{text!r} did not appear; the screen shows:\n{shown}")
            time.sleep(POLL_S)

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        """Wait until ``text`` is no longer on screen (e.g. a dialog closed)."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text not in shown:
                return shown
            if time.monotonic() >= deadline:
                raise AssertionError(f"{text!r} is still on screen:\n{shown}")
            time.sleep(POLL_S)

    def wait_until_closed(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return
            time.sleep(0.1)
        raise AssertionError(f"the program did not exit; the screen shows:\n{self.screen()}")


@contextmanager
def terminal(
    command: list[str],
    env: Mapping[str, str],
    *,
    width: int = 80,
    height: int = 24,
    name: str = "bo",
) -> Iterator[Terminal]:
    """Run ``command`` in a new tmux session (named ``name``) of the given size; kill it
    afterwards."""
    require_tmux()
    folder = Path(tempfile.mkdtemp(prefix="bo-e2e-pane-"))
    term = Terminal(socket=f"bo-e2e-{uuid.uuid4().hex[:8]}", name=name, output=folder / "out")
    full_env = {**os.environ, **env}
    # One tmux command line: the session, then its output copied to the file. Output from
    # before the copy starts is on the first capture, which is always taken.
    subprocess.run(
        [
            "tmux",
            "-L",
            term.socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            term.name,
            "-x",
            str(width),
            "-y",
            str(height),
            *command,
            ";",
            "pipe-pane",
            "-t",
            term.name,
            f"exec cat >> {shlex.quote(str(term.output))}",
        ],
        check=True,
        env=full_env,
    )
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)
