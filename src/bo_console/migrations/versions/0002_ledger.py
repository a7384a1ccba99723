"""ledger: chart of accounts, journal entries and lines, fiscal periods, monthly balances

Revision ID: 0002
Revises: 0001

Besides the tables, triggers make the database itself keep the books honest, whoever writes
to it: lines never go into a posted entry and carry their entry's date; an entry becomes
posted only when its lines are in place, its debits equal its credits (more than zero), its
period is open and it takes the year's next number; a posted entry and its lines never change
or go away, except that posting its reversal marks it reversed; a closed period cannot be
deleted. SQLite has no deferred triggers, so the balance is checked when the entry becomes
posted, after its lines are in: either a draft is updated to posted, or (bulk imports) the
lines are written first, under deferred foreign keys, and the entry is inserted posted. Both
add the entry's lines to ``fin_balance`` in the same statement.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fin_account",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("postable", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "type IN ('asset', 'liability', 'equity', 'income', 'expense')",
            name="ck_fin_account_type",
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["fin_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("parent_id", "name", name="uq_fin_account_sibling_name"),
    )
    with op.batch_alter_table("fin_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fin_account_code"), ["code"], unique=True)

    op.create_table(
        "fin_period",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_fin_period_status"),
        sa.PrimaryKeyConstraint("period"),
    )

    op.create_table(
        "fin_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_ref", sa.String(length=120), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("reversed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint("state IN ('draft', 'posted', 'reversed')", name="ck_fin_entry_state"),
        sa.CheckConstraint(
            "(state = 'draft' AND number IS NULL AND year IS NULL) OR "
            "(state <> 'draft' AND number IS NOT NULL AND year IS NOT NULL)",
            name="ck_fin_entry_number",
        ),
        sa.CheckConstraint("total >= 0", name="ck_fin_entry_total"),
        sa.ForeignKeyConstraint(["reverses_id"], ["fin_entry.id"]),
        sa.ForeignKeyConstraint(["reversed_by_id"], ["fin_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "number", name="uq_fin_entry_number"),
    )
    with op.batch_alter_table("fin_entry", schema=None) as batch_op:
        batch_op.create_index("ix_fin_entry_date", ["date"], unique=False)
        batch_op.create_index(
            "ix_fin_entry_source_ref",
            ["source", "source_ref"],
            unique=True,
            sqlite_where=sa.text("source_ref IS NOT NULL AND state IN ('draft', 'posted')"),
            postgresql_where=sa.text("source_ref IS NOT NULL AND state IN ('draft', 'posted')"),
        )
        batch_op.create_index(
            "ix_fin_entry_drafts",
            ["date"],
            unique=False,
            sqlite_where=sa.text("state = 'draft'"),
            postgresql_where=sa.text("state = 'draft'"),
        )
        # Foreign keys to fin_entry itself: without these, checking them scans the table.
        batch_op.create_index(
            "ix_fin_entry_reverses",
            ["reverses_id"],
            unique=False,
            sqlite_where=sa.text("reverses_id IS NOT NULL"),
            postgresql_where=sa.text("reverses_id IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_fin_entry_reversed_by",
            ["reversed_by_id"],
            unique=False,
            sqlite_where=sa.text("reversed_by_id IS NOT NULL"),
            postgresql_where=sa.text("reversed_by_id IS NOT NULL"),
        )

    op.create_table(
        "fin_line",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("debit", sa.Integer(), nullable=False),
        sa.Column("credit", sa.Integer(), nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("tax_code", sa.String(length=16), nullable=True),
        sa.Column("cost_centre", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "debit >= 0 AND credit >= 0 AND (debit = 0) <> (credit = 0)", name="ck_fin_line_side"
        ),
        sa.ForeignKeyConstraint(["account_id"], ["fin_account.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["fin_entry.id"]),
        sa.PrimaryKeyConstraint("entry_id", "line_no"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("fin_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_fin_line_account_date", ["account_id", "date", "debit", "credit"], unique=False
        )

    op.create_table(
        "fin_balance",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("debit", sa.Integer(), nullable=False),
        sa.Column("credit", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["fin_account.id"]),
        sa.PrimaryKeyConstraint("account_id", "period"),
        sqlite_with_rowid=False,
    )

    for statement in LEDGER_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


# Columns of a posted entry that never change (state and reversed_by_id change once, together,
# when its reversal is posted).
_FROZEN = (
    "id",
    "year",
    "number",
    "date",
    "memo",
    "source",
    "source_ref",
    "total",
    "reverses_id",
    "created_at",
    "created_by",
    "posted_at",
    "posted_by",
)
_SAME = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _FROZEN)
_SAME_PG = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _FROZEN)

M_LINE_DRAFT = "fin_line: lines can be added only to a draft entry"
M_LINE_DATE = "fin_line: a line's date must be its entry's date"
M_LINE_FROZEN = "fin_line: lines of a posted entry cannot be changed or deleted"
M_BORN_POSTED = (
    "fin_entry: a new entry is a draft, or posted with its lines already in place "
    "(and then it is no reversal)"
)
M_LINES = (
    "fin_entry: cannot post an unbalanced entry (its lines must be in place, carry its date, "
    "and their debits equal their credits and its total, above zero)"
)
M_DRAFT_MOVE = "fin_entry: a draft can only become posted, with its date and links unchanged"
M_UNBALANCED = "fin_entry: cannot post an unbalanced entry (debits must equal credits, above zero)"
M_TOTAL = "fin_entry: the total of a posted entry must equal its debits"
M_CLOSED = "fin_entry: cannot post into a closed period"
M_YEAR = "fin_entry: the entry's year must be its date's year"
M_GAP = "fin_entry: entry numbers are gapless; a posting takes its year's next number"
M_REVERSE = "fin_entry: only a posted entry that is not yet reversed can be reversed"
M_FROZEN = "fin_entry: a posted entry cannot be changed or deleted; reverse it instead"
M_PERIOD = "fin_period: a closed period cannot be deleted; reopen it instead"


def _q(message: str) -> str:
    return message.replace("'", "''")


LEDGER_TRIGGERS = {
    "sqlite": [
        # An entry that does not exist yet is a bulk import's: its lines come first, and its
        # insert (fin_entry_insert) checks them. One lookup, as this runs for every line.
        f"""CREATE TRIGGER fin_line_insert BEFORE INSERT ON fin_line
        BEGIN
          SELECT CASE WHEN state IS NOT 'draft' THEN RAISE(ABORT, '{_q(M_LINE_DRAFT)}')
                      ELSE RAISE(ABORT, '{_q(M_LINE_DATE)}') END
            FROM fin_entry
            WHERE id = NEW.entry_id AND (state IS NOT 'draft' OR date IS NOT NEW.date);
        END""",
        f"""CREATE TRIGGER fin_line_update BEFORE UPDATE ON fin_line
        BEGIN
          SELECT RAISE(ABORT, '{_q(M_LINE_FROZEN)}')
            WHERE EXISTS (SELECT 1 FROM fin_entry WHERE id IN (OLD.entry_id, NEW.entry_id)
                          AND state <> 'draft');
          SELECT RAISE(ABORT, '{_q(M_LINE_DATE)}')
            WHERE EXISTS (SELECT 1 FROM fin_entry WHERE id = NEW.entry_id
                          AND date IS NOT NEW.date);
        END""",
        f"""CREATE TRIGGER fin_line_delete BEFORE DELETE ON fin_line
        WHEN EXISTS (SELECT 1 FROM fin_entry WHERE id = OLD.entry_id AND state <> 'draft')
        BEGIN SELECT RAISE(ABORT, '{_q(M_LINE_FROZEN)}'); END""",
        # One statement for all the checks: this runs for every bulk-imported entry.
        f"""CREATE TRIGGER fin_entry_insert BEFORE INSERT ON fin_entry
        WHEN NEW.state IS NOT 'draft'
        BEGIN
          SELECT CASE
            WHEN NEW.state IS NOT 'posted' OR NEW.id IS NULL OR NEW.reverses_id IS NOT NULL
                 OR NEW.reversed_by_id IS NOT NULL
              THEN RAISE(ABORT, '{_q(M_BORN_POSTED)}')
            WHEN (SELECT SUM(debit) = SUM(credit) AND SUM(debit) > 0 AND SUM(debit) = NEW.total
                         AND MIN(date) = NEW.date AND MAX(date) = NEW.date
                  FROM fin_line WHERE entry_id = NEW.id) IS NOT 1
              THEN RAISE(ABORT, '{_q(M_LINES)}')
            WHEN EXISTS (SELECT 1 FROM fin_period
                         WHERE period = substr(NEW.date, 1, 7) AND status = 'closed')
              THEN RAISE(ABORT, '{_q(M_CLOSED)}')
            WHEN NEW.year IS NOT CAST(substr(NEW.date, 1, 4) AS INTEGER)
              THEN RAISE(ABORT, '{_q(M_YEAR)}')
            WHEN NEW.number IS NOT
                 (SELECT COALESCE(MAX(number), 0) + 1 FROM fin_entry WHERE year = NEW.year)
              THEN RAISE(ABORT, '{_q(M_GAP)}')
          END;
        END""",
        # Line by line (an account twice in one entry is simply added twice): cheaper than a
        # GROUP BY, which sorts, on the path every bulk-imported entry takes.
        """CREATE TRIGGER fin_entry_born_posted AFTER INSERT ON fin_entry
        WHEN NEW.state = 'posted'
        BEGIN
          INSERT INTO fin_balance (account_id, period, debit, credit)
            SELECT account_id, substr(NEW.date, 1, 7), debit, credit
            FROM fin_line WHERE entry_id = NEW.id
          ON CONFLICT (account_id, period) DO UPDATE
            SET debit = debit + excluded.debit, credit = credit + excluded.credit;
        END""",
        f"""CREATE TRIGGER fin_entry_post BEFORE UPDATE ON fin_entry
        WHEN OLD.state = 'draft' AND NEW.state IS NOT 'draft'
        BEGIN
          SELECT RAISE(ABORT, '{_q(M_DRAFT_MOVE)}')
            WHERE NEW.state IS NOT 'posted' OR NEW.id IS NOT OLD.id
               OR NEW.date IS NOT OLD.date OR NEW.reverses_id IS NOT OLD.reverses_id
               OR NEW.reversed_by_id IS NOT NULL;
          SELECT RAISE(ABORT, '{_q(M_UNBALANCED)}')
            WHERE (SELECT SUM(debit) = SUM(credit) AND SUM(debit) > 0
                   FROM fin_line WHERE entry_id = NEW.id) IS NOT 1;
          SELECT RAISE(ABORT, '{_q(M_TOTAL)}')
            WHERE NEW.total IS NOT (SELECT SUM(debit) FROM fin_line WHERE entry_id = NEW.id);
          SELECT RAISE(ABORT, '{_q(M_CLOSED)}')
            WHERE EXISTS (SELECT 1 FROM fin_period
                          WHERE period = substr(NEW.date, 1, 7) AND status = 'closed');
          SELECT RAISE(ABORT, '{_q(M_YEAR)}')
            WHERE NEW.year IS NOT CAST(substr(NEW.date, 1, 4) AS INTEGER);
          SELECT RAISE(ABORT, '{_q(M_GAP)}')
            WHERE NEW.number IS NOT
                  (SELECT COALESCE(MAX(number), 0) + 1 FROM fin_entry WHERE year = NEW.year);
          SELECT RAISE(ABORT, '{_q(M_REVERSE)}')
            WHERE NEW.reverses_id IS NOT NULL
              AND (SELECT state FROM fin_entry WHERE id = NEW.reverses_id) IS NOT 'posted';
        END""",
        """CREATE TRIGGER fin_entry_balances AFTER UPDATE OF state ON fin_entry
        WHEN OLD.state = 'draft' AND NEW.state = 'posted'
        BEGIN
          INSERT INTO fin_balance (account_id, period, debit, credit)
            SELECT account_id, substr(NEW.date, 1, 7), SUM(debit), SUM(credit)
            FROM fin_line WHERE entry_id = NEW.id GROUP BY account_id
          ON CONFLICT (account_id, period) DO UPDATE
            SET debit = debit + excluded.debit, credit = credit + excluded.credit;
        END""",
        f"""CREATE TRIGGER fin_entry_frozen BEFORE UPDATE ON fin_entry
        WHEN OLD.state IS NOT 'draft'
        BEGIN
          SELECT RAISE(ABORT, '{_q(M_FROZEN)}')
            WHERE NOT (OLD.state = 'posted' AND NEW.state = 'reversed'
                       AND OLD.reversed_by_id IS NULL AND NEW.reversed_by_id IS NOT NULL
                       AND (SELECT reverses_id FROM fin_entry
                            WHERE id = NEW.reversed_by_id AND state = 'posted') IS OLD.id
                       AND {_SAME});
        END""",
        f"""CREATE TRIGGER fin_entry_delete BEFORE DELETE ON fin_entry
        WHEN OLD.state IS NOT 'draft'
        BEGIN SELECT RAISE(ABORT, '{_q(M_FROZEN)}'); END""",
        """CREATE TRIGGER fin_entry_draft_date AFTER UPDATE OF date ON fin_entry
        WHEN OLD.state = 'draft' AND NEW.state = 'draft' AND NEW.date IS NOT OLD.date
        BEGIN UPDATE fin_line SET date = NEW.date WHERE entry_id = NEW.id; END""",
        f"""CREATE TRIGGER fin_period_delete BEFORE DELETE ON fin_period
        WHEN OLD.status = 'closed'
        BEGIN SELECT RAISE(ABORT, '{_q(M_PERIOD)}'); END""",
    ],
    # The same rules for PostgreSQL, as row triggers in PL/pgSQL.
    "postgresql": [
        f"""CREATE FUNCTION fin_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE entry_state text; entry_date date;
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') THEN
            SELECT state INTO entry_state FROM fin_entry WHERE id = OLD.entry_id;
            IF FOUND AND entry_state <> 'draft' THEN
              RAISE EXCEPTION '{_q(M_LINE_FROZEN)}';
            END IF;
          END IF;
          IF TG_OP = 'DELETE' THEN
            RETURN OLD;
          END IF;
          SELECT state, date INTO entry_state, entry_date FROM fin_entry WHERE id = NEW.entry_id;
          IF FOUND AND entry_state <> 'draft' THEN
            RAISE EXCEPTION '{_q(M_LINE_DRAFT)}';
          END IF;
          IF FOUND AND entry_date <> NEW.date THEN
            RAISE EXCEPTION '{_q(M_LINE_DATE)}';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER fin_line_guard BEFORE INSERT OR UPDATE OR DELETE ON fin_line
        FOR EACH ROW EXECUTE FUNCTION fin_line_guard()""",
        f"""CREATE FUNCTION fin_check_posting(e fin_entry) RETURNS void LANGUAGE plpgsql AS $$
        DECLARE ok boolean;
        BEGIN
          SELECT SUM(debit) = SUM(credit) AND SUM(debit) > 0 AND SUM(debit) = e.total
                 AND MIN(date) = e.date AND MAX(date) = e.date
            INTO ok FROM fin_line WHERE entry_id = e.id;
          IF ok IS NOT TRUE THEN
            RAISE EXCEPTION '{_q(M_LINES)}';
          END IF;
          IF EXISTS (SELECT 1 FROM fin_period
                     WHERE period = to_char(e.date, 'YYYY-MM') AND status = 'closed') THEN
            RAISE EXCEPTION '{_q(M_CLOSED)}';
          END IF;
          IF e.year IS DISTINCT FROM extract(year FROM e.date)::integer THEN
            RAISE EXCEPTION '{_q(M_YEAR)}';
          END IF;
          IF e.number IS DISTINCT FROM (SELECT COALESCE(MAX(number), 0) + 1
                                        FROM fin_entry WHERE year = e.year) THEN
            RAISE EXCEPTION '{_q(M_GAP)}';
          END IF;
        END $$""",
        f"""CREATE FUNCTION fin_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            IF NEW.state <> 'draft' THEN
              IF NEW.state <> 'posted' OR NEW.reverses_id IS NOT NULL
                 OR NEW.reversed_by_id IS NOT NULL THEN
                RAISE EXCEPTION '{_q(M_BORN_POSTED)}';
              END IF;
              PERFORM fin_check_posting(NEW);
            END IF;
            RETURN NEW;
          END IF;
          IF TG_OP = 'DELETE' THEN
            IF OLD.state <> 'draft' THEN
              RAISE EXCEPTION '{_q(M_FROZEN)}';
            END IF;
            RETURN OLD;
          END IF;
          IF OLD.state = 'draft' AND NEW.state <> 'draft' THEN
            IF NEW.state <> 'posted' OR NEW.id <> OLD.id OR NEW.date <> OLD.date
               OR NEW.reverses_id IS DISTINCT FROM OLD.reverses_id
               OR NEW.reversed_by_id IS NOT NULL THEN
              RAISE EXCEPTION '{_q(M_DRAFT_MOVE)}';
            END IF;
            PERFORM fin_check_posting(NEW);
            IF NEW.reverses_id IS NOT NULL AND (SELECT state FROM fin_entry
                  WHERE id = NEW.reverses_id) IS DISTINCT FROM 'posted' THEN
              RAISE EXCEPTION '{_q(M_REVERSE)}';
            END IF;
            RETURN NEW;
          END IF;
          -- COALESCE: an unknown (NULL) answer is a refusal too.
          IF OLD.state <> 'draft' AND NOT COALESCE(
               OLD.state = 'posted' AND NEW.state = 'reversed'
               AND OLD.reversed_by_id IS NULL AND NEW.reversed_by_id IS NOT NULL
               AND (SELECT reverses_id FROM fin_entry
                    WHERE id = NEW.reversed_by_id AND state = 'posted')
                   IS NOT DISTINCT FROM OLD.id
               AND {_SAME_PG}, false) THEN
            RAISE EXCEPTION '{_q(M_FROZEN)}';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER fin_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON fin_entry
        FOR EACH ROW EXECUTE FUNCTION fin_entry_guard()""",
        """CREATE FUNCTION fin_entry_after() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (TG_OP = 'INSERT' AND NEW.state = 'posted')
             OR (TG_OP = 'UPDATE' AND OLD.state = 'draft' AND NEW.state = 'posted') THEN
            INSERT INTO fin_balance (account_id, period, debit, credit)
              SELECT account_id, to_char(NEW.date, 'YYYY-MM'), SUM(debit), SUM(credit)
              FROM fin_line WHERE entry_id = NEW.id GROUP BY account_id
            ON CONFLICT (account_id, period) DO UPDATE
              SET debit = fin_balance.debit + excluded.debit,
                  credit = fin_balance.credit + excluded.credit;
          ELSIF TG_OP = 'UPDATE' AND OLD.state = 'draft' AND NEW.state = 'draft'
                AND NEW.date <> OLD.date THEN
            UPDATE fin_line SET date = NEW.date WHERE entry_id = NEW.id;
          END IF;
          RETURN NULL;
        END $$""",
        """CREATE TRIGGER fin_entry_after AFTER INSERT OR UPDATE ON fin_entry
        FOR EACH ROW EXECUTE FUNCTION fin_entry_after()""",
        f"""CREATE FUNCTION fin_period_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.status = 'closed' THEN
            RAISE EXCEPTION '{_q(M_PERIOD)}';
          END IF;
          RETURN OLD;
        END $$""",
        """CREATE TRIGGER fin_period_guard BEFORE DELETE ON fin_period
        FOR EACH ROW EXECUTE FUNCTION fin_period_guard()""",
    ],
}

_SQLITE_TRIGGERS = (
    "fin_line_insert",
    "fin_line_update",
    "fin_line_delete",
    "fin_entry_insert",
    "fin_entry_born_posted",
    "fin_entry_post",
    "fin_entry_balances",
    "fin_entry_frozen",
    "fin_entry_delete",
    "fin_entry_draft_date",
    "fin_period_delete",
)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for table, name in (
            ("fin_line", "fin_line_guard"),
            ("fin_entry", "fin_entry_guard"),
            ("fin_entry", "fin_entry_after"),
            ("fin_period", "fin_period_guard"),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        op.execute("DROP FUNCTION IF EXISTS fin_check_posting(fin_entry)")
    op.drop_table("fin_balance")
    with op.batch_alter_table("fin_line", schema=None) as batch_op:
        batch_op.drop_index("ix_fin_line_account_date")
    op.drop_table("fin_line")
    with op.batch_alter_table("fin_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_fin_entry_reversed_by")
        batch_op.drop_index("ix_fin_entry_reverses")
        batch_op.drop_index("ix_fin_entry_drafts")
        batch_op.drop_index("ix_fin_entry_source_ref")
        batch_op.drop_index("ix_fin_entry_date")
    op.drop_table("fin_entry")
    op.drop_table("fin_period")
    with op.batch_alter_table("fin_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fin_account_code"))
    op.drop_table("fin_account")
