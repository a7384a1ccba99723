"""Where the data lives: database URL resolution and per-user paths.

Order: ``--db`` option, then ``BO_DATABASE_URL``, then ``database_url`` in the config file
(``<user config dir>/bo-console/config.toml``), then ``<user data dir>/bo-console/bo.db``.
Light imports only: the CLI reads this before any command runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

APP_NAME = "bo-console"
ENV_DATABASE_URL = "BO_DATABASE_URL"


def config_file() -> Path:
    """The optional TOML config file (``database_url = "..."``)."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def default_database_path() -> Path:
    """The per-user SQLite file used when nothing else is configured."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "bo.db"


def normalise_url(value: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (made absolute, as SQLite needs)."""
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def resolve_database_url(option: str | None = None) -> str:
    """Pick the database URL by the documented order of precedence (on a sealed host, its
    service account uses the host's store and nothing else)."""
    from bo_console.core import sealed

    pinned = sealed.pinned_database_url(option or os.environ.get(ENV_DATABASE_URL), normalise_url)
    if pinned is not None:
        return pinned
    if option:
        return normalise_url(option)
    env = os.environ.get(ENV_DATABASE_URL)
    if env:
        return normalise_url(env)
    path = config_file()
    if path.is_file():
        import tomllib  # its regular expressions cost every command a few ms; few have a file

        with path.open("rb") as fh:
            data = tomllib.load(fh)
        configured = data.get("database_url")
        if isinstance(configured, str) and configured:
            return normalise_url(configured)
    return normalise_url(str(default_database_path()))


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    rest = url.split("://", 1)[1]
    if not rest.startswith("/"):
        return None
    path = rest[1:].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def display_url(url: str) -> str:
    """A URL safe to show on screen: the file path for SQLite, no password otherwise."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url


def animation_level() -> Literal["none", "basic", "full"]:
    """How much the console animates: ``TEXTUAL_ANIMATIONS`` when set (``none``, ``basic`` or
    ``full``), else ``none``.

    Textual slides a tab's underline and fades some widgets by default: about twenty redraws
    for one tab change, each sent over SSH and each a few milliseconds of CPU, for a move the
    person has already made. A console used all day answers a key with one redraw.
    """
    value = os.environ.get("TEXTUAL_ANIMATIONS", "").strip().lower()
    levels: dict[str, Literal["none", "basic", "full"]] = {"basic": "basic", "full": "full"}
    return levels.get(value, "none")


def bidi_mode() -> str:
    """The ``bidi`` setting (``auto``, ``on`` or ``off``): ``BO_BIDI``, else ``bidi`` in the
    config file, else ``auto``; anything else counts as ``auto``."""
    value = os.environ.get("BO_BIDI", "")
    if not value:
        path = config_file()
        if path.is_file():
            import tomllib

            try:
                with path.open("rb") as fh:
                    value = str(tomllib.load(fh).get("bidi", ""))
            except (OSError, tomllib.TOMLDecodeError):
                value = ""
    value = value.strip().lower()
    return value if value in ("auto", "on", "off") else "auto"
