"""books controls: the books' first month, closed before it

Revision ID: 0010
Revises: 0007

Every month before the books' first month (the ``finance.books_start`` setting) counts as
closed: triggers refuse an entry posted, or born posted by a bulk import, dated before it. A
store that has closed a month already gets its first posted month as its books' first month.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

M_BEFORE = "fin_entry: cannot post before the books' first month (every earlier month is closed)"
_Q = M_BEFORE.replace("'", "''")
_START = "(SELECT value FROM setting WHERE key = 'finance.books_start')"

TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER fin_entry_books_start_insert BEFORE INSERT ON fin_entry
        WHEN NEW.state IS NOT 'draft' AND substr(NEW.date, 1, 7) < {_START}
        BEGIN SELECT RAISE(ABORT, '{_Q}'); END""",
        f"""CREATE TRIGGER fin_entry_books_start_post BEFORE UPDATE OF state ON fin_entry
        WHEN OLD.state = 'draft' AND NEW.state IS NOT 'draft'
             AND substr(NEW.date, 1, 7) < {_START}
        BEGIN SELECT RAISE(ABORT, '{_Q}'); END""",
    ],
    "postgresql": [
        f"""CREATE FUNCTION fin_entry_books_start() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.state <> 'draft' AND (TG_OP = 'INSERT' OR OLD.state = 'draft')
             AND to_char(NEW.date, 'YYYY-MM') < {_START} THEN
            RAISE EXCEPTION '{_Q}';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER fin_entry_books_start BEFORE INSERT OR UPDATE ON fin_entry
        FOR EACH ROW EXECUTE FUNCTION fin_entry_books_start()""",
    ],
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    month = (
        "to_char(MIN(date), 'YYYY-MM')" if dialect == "postgresql" else "substr(MIN(date), 1, 7)"
    )
    op.execute(
        "INSERT INTO setting (key, value) SELECT 'finance.books_start', m FROM "
        f"(SELECT {month} AS m FROM fin_entry WHERE state <> 'draft') AS first_month "
        "WHERE m IS NOT NULL "
        "AND EXISTS (SELECT 1 FROM fin_period WHERE status = 'closed') "
        "AND NOT EXISTS (SELECT 1 FROM setting WHERE key = 'finance.books_start')"
    )
    for statement in TRIGGERS.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS fin_entry_books_start_insert")
        op.execute("DROP TRIGGER IF EXISTS fin_entry_books_start_post")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS fin_entry_books_start ON fin_entry")
        op.execute("DROP FUNCTION IF EXISTS fin_entry_books_start()")
