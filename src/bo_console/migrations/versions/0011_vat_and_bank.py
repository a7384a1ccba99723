"""finance: tax code treatments, filed VAT returns, bank statements and reconciliation

Revision ID: 0011
Revises: 0007

Tax codes gain a treatment (domestic, export, import, reverse charge) that places their lines
in the VAT return's boxes, and the codes ZX, IMP15 and RC15 are seeded for databases that
already have a chart. Filed VAT returns are kept as filed: triggers refuse changing or
deleting one. Bank accounts, imported statements, their lines and the rules for recurring
lines get their tables; a statement line's amount and fingerprint never change once imported.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import pg_guard, pg_guard_drop

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TREATMENTS = "'domestic', 'export', 'import', 'reverse_charge'"


def upgrade() -> None:
    op.execute(
        "ALTER TABLE fin_tax_code ADD COLUMN treatment VARCHAR(16) DEFAULT 'domestic' NOT NULL "
        f"CONSTRAINT ck_fin_tax_code_treatment CHECK (treatment IN ({TREATMENTS}))"
    )
    op.create_table(
        "fin_vat_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("output_vat", sa.Integer(), nullable=False),
        sa.Column("input_vat", sa.Integer(), nullable=False),
        sa.Column("vat_due", sa.Integer(), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("credit_brought_forward", sa.Integer(), nullable=False),
        sa.Column("net_due", sa.Integer(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("first_day <= last_day", name="ck_fin_vat_return_days"),
        sa.CheckConstraint(
            "net_due = vat_due + corrections - credit_brought_forward",
            name="ck_fin_vat_return_net",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period"),
    )
    op.create_table(
        "fin_bank_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("csv_mapping", sa.String(length=2000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["fin_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account_id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "fin_bank_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_account_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.Column("opening_balance", sa.Integer(), nullable=True),
        sa.Column("closing_balance", sa.Integer(), nullable=True),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["bank_account_id"], ["fin_bank_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bank_account_id", "digest", name="uq_fin_bank_statement_digest"),
    )
    op.create_table(
        "fin_bank_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_account_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("line_no", sa.Integer(), nullable=True),
        sa.Column("reconciled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reconciled_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint("amount <> 0", name="ck_fin_bank_line_amount"),
        sa.CheckConstraint(
            "(status = 'reconciled') = (entry_id IS NOT NULL AND line_no IS NOT NULL)",
            name="ck_fin_bank_line_status",
        ),
        sa.ForeignKeyConstraint(["bank_account_id"], ["fin_bank_account.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["fin_entry.id"]),
        sa.ForeignKeyConstraint(["statement_id"], ["fin_bank_statement.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bank_account_id", "fingerprint", name="uq_fin_bank_line_fingerprint"),
    )
    with op.batch_alter_table("fin_bank_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fin_bank_line_bank_account_id"), ["bank_account_id"], unique=False
        )
    op.execute(
        "CREATE UNIQUE INDEX ix_fin_bank_line_ledger ON fin_bank_line (entry_id, line_no) "
        "WHERE entry_id IS NOT NULL"
    )
    op.create_table(
        "fin_bank_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_account_id", sa.Integer(), nullable=False),
        sa.Column("match_text", sa.String(length=60), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("tax_code", sa.String(length=16), nullable=True),
        sa.Column("memo", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["fin_account.id"]),
        sa.ForeignKeyConstraint(["bank_account_id"], ["fin_bank_account.id"]),
        sa.ForeignKeyConstraint(["tax_code"], ["fin_tax_code.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    if op.get_bind().dialect.name == "postgresql":
        for _name, _table, statements in POSTGRES_TRIGGERS:
            for statement in statements:
                op.execute(statement)
        for statement in POSTGRES_STATEMENTS:
            op.execute(statement)
    for statement in SEED_TAX_CODES:
        op.execute(statement)


M_FILED = "finance: a filed VAT return is never changed; correct it in the next return"
M_BANK_LINE = "finance: the date, amount and text of an imported bank line never change"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER fin_vat_return_update BEFORE UPDATE ON fin_vat_return
    BEGIN SELECT RAISE(ABORT, '{M_FILED}'); END""",
    f"""CREATE TRIGGER fin_vat_return_delete BEFORE DELETE ON fin_vat_return
    BEGIN SELECT RAISE(ABORT, '{M_FILED}'); END""",
    f"""CREATE TRIGGER fin_bank_line_update BEFORE UPDATE ON fin_bank_line
    WHEN NEW.date IS NOT OLD.date OR NEW.amount IS NOT OLD.amount OR NEW.text IS NOT OLD.text
      OR NEW.fingerprint IS NOT OLD.fingerprint OR NEW.statement_id IS NOT OLD.statement_id
      OR NEW.bank_account_id IS NOT OLD.bank_account_id
    BEGIN SELECT RAISE(ABORT, '{M_BANK_LINE}'); END""",
]
_SQLITE_TRIGGER_NAMES = ["fin_vat_return_update", "fin_vat_return_delete", "fin_bank_line_update"]

_BANK_LINE_CHANGED = " OR ".join(
    f"NEW.{column} IS DISTINCT FROM OLD.{column}"
    for column in ("date", "amount", "text", "fingerprint", "statement_id", "bank_account_id")
)

POSTGRES_TRIGGERS: list[tuple[str, str, list[str]]] = [
    (
        "fin_vat_return_frozen",
        "fin_vat_return",
        pg_guard("fin_vat_return_frozen", "fin_vat_return", "UPDATE OR DELETE", "true", M_FILED),
    ),
    (
        "fin_bank_line_update",
        "fin_bank_line",
        pg_guard(
            "fin_bank_line_update", "fin_bank_line", "UPDATE", _BANK_LINE_CHANGED, M_BANK_LINE
        ),
    ),
]
"""(name, table, statements) of the same guards in PL/pgSQL; ``TRUNCATE`` of the filed
returns is refused by :data:`POSTGRES_STATEMENTS` (row triggers do not fire on it)."""

POSTGRES_STATEMENTS = [
    f"""CREATE FUNCTION fin_vat_return_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '{M_FILED}' USING ERRCODE = 'check_violation'; END $$""",
    """CREATE TRIGGER fin_vat_return_no_truncate BEFORE TRUNCATE ON fin_vat_return
    FOR EACH STATEMENT EXECUTE FUNCTION fin_vat_return_no_truncate()""",
]

# Kept in step with ``finance.tax.SEED_TAX_CODES``; only for databases that already have a
# chart (new ones are seeded by ``bo init`` after their chart).
SEED_TAX_CODES = [
    """INSERT INTO fin_tax_code (code, name, name_ar, category, rate_bp, output_account_id,
                                 input_account_id, active, treatment)
       SELECT 'ZX', 'Zero-rated export', 'صادرات خاضعة بنسبة صفر', 'zero', 0, NULL, NULL, true,
              'export'
       WHERE EXISTS (SELECT 1 FROM fin_account)""",
    """INSERT INTO fin_tax_code (code, name, name_ar, category, rate_bp, output_account_id,
                                 input_account_id, active, treatment)
       SELECT 'IMP15', 'Import VAT paid at customs 15%', 'استيراد مدفوع في الجمارك 15٪',
              'standard', 1500, o.id, i.id, true, 'import'
       FROM fin_account o, fin_account i WHERE o.code = '2210' AND i.code = '1430'""",
    """INSERT INTO fin_tax_code (code, name, name_ar, category, rate_bp, output_account_id,
                                 input_account_id, active, treatment)
       SELECT 'RC15', 'Reverse charge 15%', 'احتساب عكسي 15٪', 'standard', 1500, o.id, i.id,
              true, 'reverse_charge'
       FROM fin_account o, fin_account i WHERE o.code = '2210' AND i.code = '1430'""",
]


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _statements in POSTGRES_TRIGGERS:
            for statement in pg_guard_drop(name, table):
                op.execute(statement)
        for statement in pg_guard_drop("fin_vat_return_no_truncate", "fin_vat_return"):
            op.execute(statement)
    op.execute("DROP INDEX IF EXISTS ix_fin_bank_line_ledger")
    op.drop_table("fin_bank_rule")
    op.drop_table("fin_bank_line")
    op.drop_table("fin_bank_statement")
    op.drop_table("fin_bank_account")
    op.drop_table("fin_vat_return")
    op.execute("DELETE FROM fin_tax_code WHERE code IN ('ZX', 'IMP15', 'RC15')")
    with op.batch_alter_table("fin_tax_code", schema=None) as batch_op:
        batch_op.drop_constraint("ck_fin_tax_code_treatment", type_="check")
        batch_op.drop_column("treatment")
