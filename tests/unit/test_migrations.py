"""The schema check knows the head as a constant and reads the migration scripts as text only
for an older or newer database; both must agree with Alembic."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from bo_console.core import migrate
from bo_console.migrations import HEAD


def test_text_graph_agrees_with_alembic() -> None:
    scripts = ScriptDirectory(str(migrate.MIGRATIONS_DIR))
    head, known = migrate._graph(migrate.MIGRATIONS_DIR)
    assert head == scripts.get_current_head()
    assert head == HEAD, "a new migration: set bo_console.migrations.HEAD to its revision"
    assert known == {rev.revision for rev in scripts.walk_revisions()}
    assert migrate.compare(head) == "current"
    assert migrate.compare("0001") == "older"
    assert migrate.compare("9999_from_the_future") == "newer"
