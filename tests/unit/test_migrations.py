"""The schema check reads the migration scripts as text; it must agree with Alembic."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from bo_console.core import migrate


def test_text_graph_agrees_with_alembic() -> None:
    scripts = ScriptDirectory(str(migrate.MIGRATIONS_DIR))
    head, known = migrate._graph(migrate.MIGRATIONS_DIR)
    assert head == scripts.get_current_head()
    assert known == {rev.revision for rev in scripts.walk_revisions()}
    assert migrate.compare(head) == "current"
    assert migrate.compare("0001") == "older"
    assert migrate.compare("9999_from_the_future") == "newer"
