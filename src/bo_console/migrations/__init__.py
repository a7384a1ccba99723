"""The Alembic migration scripts (``versions/``) and the revision this program expects."""

HEAD = "0023"
"""The newest revision in ``versions/``. Every command compares the database's stamp with
it before it starts, so a current database is recognised without reading the scripts; a
test checks it against them (a new migration changes it)."""
