"""Helpers shared by the unit and CLI tests (no fixtures: plain functions)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bo_console.core import migrate

NEXT_REVISION = '''"""a revision newer than the database under test

Revision ID: 9999_next
Revises: {down}
"""

revision = "9999_next"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


def pretend_newer_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Make this program one migration newer than every database created so far.

    Copies the packaged scripts, adds an empty revision on top of head, and points the
    program (its scripts and its expected head) at the copy. Returns the new head.
    """
    scripts = tmp_path / "migrations-next"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_next.py").write_text(
        NEXT_REVISION.format(down=migrate.head()), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(migrate, "HEAD", "9999_next")
    return "9999_next"
