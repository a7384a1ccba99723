"""Drive the real program in a tmux session: send keys, read the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import pytest


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

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=False
        )
        return result.stdout

    def send(self, *keys: str) -> None:
        """Send tmux key names (``Enter``, ``Escape``, ``F9``) or literal text."""
        self._tmux("send-keys", "-t", self.name, *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def alive(self) -> bool:
        return self.name in self._tmux("list-sessions", "-F", "#{session_name}")

    def wait_for(self, text: str, timeout: float = 10.0) -> str:
        """Wait until ``text`` is on screen; fail with the screen's contents if it never is."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{shown}")

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        """Wait until ``text`` is no longer on screen (e.g. a dialog closed)."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text not in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} is still on screen:\n{shown}")

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
    term = Terminal(socket=f"bo-e2e-{uuid.uuid4().hex[:8]}", name=name)
    full_env = {**os.environ, **env}
    # The session keeps running after the program exits only while we look at it.
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
        ],
        check=True,
        env=full_env,
    )
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True, check=False)
