"""Fixtures for the end-to-end tests: the demo they open is a copy of the one built per run in
tests/conftest.py (`demo_db`), built as the OS account that runs `bo` here.

A journey that starts from a small store of its own takes a copy of one `bo init` made once per
test run (`console_db`) and adds its rows with `bo_here`: the same commands, run in this
process. Each `bo` started as a process of its own costs about 1.5 s of CPU, most of it the
interpreter and the imports, and a journey's set-up ran six to nine of them (13 s of CPU for the
front office's store, against 0.3 s now). The checks after a journey (`bo db check`, a list
read back as JSON) run the same way; the consoles under test, and the commands that other OS
accounts type, stay real processes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bo_console.cli import run
from bo_console.core.db import dispose_engines
from tests.conftest import _copy_database, built_once
from tests.e2e.tmux import require_tmux

CONSOLE_COMPANY = "Al Noor"
"""The company `console_db` is initialised for."""

BoHere = Callable[..., str]
NewStore = Callable[[str], Path]


@pytest.fixture(scope="session", autouse=True)
def _tmux() -> None:
    """Every test here drives tmux: without it, skip them before any demo is built."""
    require_tmux()


@pytest.fixture(scope="session")
def _console_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`bo init --company "Al Noor"` as the OS account running the tests, once per test run."""

    def build(path: Path) -> None:
        code = run(["--db", str(path), "init", "--company", CONSOLE_COMPANY])
        assert code == 0, f"bo init exited with {code}"

    return built_once(tmp_path_factory, "console-template", build)


@pytest.fixture
def console_db(tmp_path: Path, _console_template: Path) -> NewStore:
    """A new store, as `bo init --company "Al Noor"` run by the OS account running the tests
    makes it (that account is its admin), under ``tmp_path / name``."""

    def make(name: str) -> Path:
        path = tmp_path / name
        _copy_database(_console_template, path)
        return path

    return make


@pytest.fixture
def bo_here(capsys: pytest.CaptureFixture[str]) -> BoHere:
    """``bo --db DB ARGS`` run in this process, as the OS account running the tests: what it
    printed, stripped; a non-zero exit fails the test with what it said."""

    def call(db: Path, *args: str) -> str:
        capsys.readouterr()
        code = run(["--db", str(db), *args])
        out, err = capsys.readouterr()
        # Nothing of this process holds the file once the console opens it.
        dispose_engines()
        assert code == 0, f"bo {' '.join(args)} exited with {code}: {err}"
        return out.strip()

    return call
