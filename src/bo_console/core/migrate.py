"""Alembic, driven from code: the migration scripts ship inside the package."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bo_console.core.db import Store

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the packaged scripts and the given database."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR))


def head() -> str:
    """The newest revision this program knows."""
    revision = _scripts().get_current_head()
    assert revision is not None
    return revision


def compare(current: str) -> Literal["current", "older", "newer"]:
    """How a database's revision relates to this program's head."""
    scripts = _scripts()
    newest = scripts.get_current_head()
    if current == newest:
        return "current"
    known = {rev.revision for rev in scripts.walk_revisions()}
    return "older" if current in known else "newer"


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
