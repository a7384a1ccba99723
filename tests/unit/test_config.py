"""The config file: read when it is there (tomllib is imported for it), not imported otherwise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bo_console.core import config


def test_the_config_file_gives_the_database_and_the_bidi_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'database_url = "{tmp_path / "books.db"}"\nbidi = "off"\n')
    monkeypatch.setattr(config, "config_file", lambda: path)
    monkeypatch.delenv(config.ENV_DATABASE_URL, raising=False)
    monkeypatch.delenv("BO_BIDI", raising=False)
    assert config.resolve_database_url(None) == f"sqlite:///{tmp_path / 'books.db'}"
    assert config.bidi_mode() == "off"
    path.write_text("bidi = [not toml")
    assert config.bidi_mode() == "auto"


def test_without_a_config_file_tomllib_is_not_imported(tmp_path: Path) -> None:
    code = (
        "import sys; from bo_console.core import config; "
        "config.config_file = lambda: config.Path('/nonexistent/config.toml'); "
        "config.resolve_database_url(None); config.bidi_mode(); "
        "print('tomllib' in sys.modules)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    ("environment", "level"),
    [(None, "none"), ("full", "full"), (" Basic ", "basic"), ("none", "none"), ("lots", "none")],
)
def test_the_console_animates_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, environment: str | None, level: str
) -> None:
    if environment is None:
        monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    else:
        monkeypatch.setenv("TEXTUAL_ANIMATIONS", environment)
    assert config.animation_level() == level
