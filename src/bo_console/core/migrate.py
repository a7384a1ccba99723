"""Alembic, driven from code: the migration scripts ship inside the package."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bo_console.migrations import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

    from bo_console.core.db import Store

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the packaged scripts and the given database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w.-]+|None)['\"]?\s*$", re.M)


@functools.cache
def _graph(folder: Path) -> tuple[str, frozenset[str]]:
    """(head, every revision) of the scripts in ``folder``, read as text (two assignments
    per script: Alembic costs about 60 ms of imports). The graph must be a single line."""
    parents: dict[str, str | None] = {}
    for script in sorted((folder / "versions").glob("*.py")):
        found = dict(_REVISION.findall(script.read_text()))
        if "revision" in found:
            down = found.get("down_revision")
            parents[found["revision"]] = None if down in (None, "None") else down
    children = {p for p in parents.values() if p is not None}
    heads = [r for r in parents if r not in children]
    if len(heads) != 1:
        raise RuntimeError(f"migration scripts have {len(heads)} heads: {sorted(heads)}")
    return heads[0], frozenset(parents)


def head() -> str:
    """The newest revision this program knows (:data:`bo_console.migrations.HEAD`)."""
    return HEAD


def compare(current: str) -> Literal["current", "older", "newer"]:
    """How a database's revision relates to this program's head.

    A current database (every command's case) is told by the constant alone; the scripts
    are read only to tell an older schema from a newer one.
    """
    if current == HEAD:
        return "current"
    return "older" if current in _graph(MIGRATIONS_DIR)[1] else "newer"


def upgrade(store: Store) -> tuple[str | None, str]:
    """Bring the schema to head; returns (before, after) revisions."""
    from alembic import command

    before = store.current_revision() if store.exists() else None
    if before is not None and compare(before) == "newer":
        from bo_console.core.errors import StoreUnavailable

        raise StoreUnavailable(
            f"{store.label} has schema {before}, newer than this program; upgrade bo-console"
        )
    cfg = alembic_config(store.url)
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before, head()
