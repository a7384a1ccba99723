"""finance: parties, tax codes, invoices and bills, payments and allocations

Revision ID: 0004
Revises: 0003

Triggers make the database itself refuse what the documents service never does: a document
born anything but a draft, a change to a posted document or its lines, a document number out
of sequence or without its posted ledger entry, a paid amount or status that does not follow
from the allocations, a void without its credit note, a payment without its entry, any change
to a payment but its void, an allocation to the wrong document or beyond what the document
still owes or the payment still holds, and any change to an allocation.

Databases that already have a chart of accounts get the seeded tax codes here; new ones get
them from ``bo init``'s seeder.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fin_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("name_ar", sa.String(length=160), nullable=False),
        sa.Column("is_customer", sa.Boolean(), nullable=False),
        sa.Column("is_supplier", sa.Boolean(), nullable=False),
        sa.Column("tax_number", sa.String(length=20), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("payment_terms", sa.Integer(), nullable=False),
        sa.Column("search_key", sa.String(length=400), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("is_customer OR is_supplier", name="ck_fin_party_role"),
        sa.CheckConstraint("payment_terms BETWEEN 0 AND 365", name="ck_fin_party_terms"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fin_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fin_party_code"), ["code"], unique=True)
        batch_op.create_index(batch_op.f("ix_fin_party_search_key"), ["search_key"], unique=False)

    op.create_table(
        "fin_tax_code",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("output_account_id", sa.Integer(), nullable=True),
        sa.Column("input_account_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "(category IN ('standard', 'reduced')) = (rate_bp > 0)",
            name="ck_fin_tax_code_charges",
        ),
        sa.CheckConstraint(
            "category IN ('standard', 'reduced', 'zero', 'exempt', 'out_of_scope')",
            name="ck_fin_tax_code_category",
        ),
        sa.CheckConstraint(
            "rate_bp = 0 OR (output_account_id IS NOT NULL AND input_account_id IS NOT NULL)",
            name="ck_fin_tax_code_accounts",
        ),
        sa.CheckConstraint("rate_bp BETWEEN 0 AND 10000", name="ck_fin_tax_code_rate"),
        sa.ForeignKeyConstraint(["input_account_id"], ["fin_account.id"]),
        sa.ForeignKeyConstraint(["output_account_id"], ["fin_account.id"]),
        sa.PrimaryKeyConstraint("code"),
    )

    op.create_table(
        "fin_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("voids_id", sa.Integer(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "(kind IN ('credit_note', 'supplier_credit')) = (voids_id IS NOT NULL)",
            name="ck_fin_document_credit",
        ),
        sa.CheckConstraint(
            "(status = 'draft' AND number IS NULL AND year IS NULL AND seq IS NULL "
            "AND entry_id IS NULL) OR (status <> 'draft' AND number IS NOT NULL "
            "AND year IS NOT NULL AND seq IS NOT NULL AND entry_id IS NOT NULL)",
            name="ck_fin_document_number",
        ),
        sa.CheckConstraint(
            "(status = 'void') = (voided_by_id IS NOT NULL)", name="ck_fin_document_void"
        ),
        sa.CheckConstraint(
            "kind IN ('invoice', 'bill', 'credit_note', 'supplier_credit')",
            name="ck_fin_document_kind",
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'posted', 'partly_paid', 'paid', 'void')",
            name="ck_fin_document_status",
        ),
        sa.CheckConstraint("due_date >= date", name="ck_fin_document_due"),
        sa.CheckConstraint(
            "net >= 0 AND tax >= 0 AND total = net + tax AND paid >= 0 AND paid <= total",
            name="ck_fin_document_amounts",
        ),
        sa.ForeignKeyConstraint(["entry_id"], ["fin_entry.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["fin_party.id"]),
        sa.ForeignKeyConstraint(["voided_by_id"], ["fin_document.id"]),
        sa.ForeignKeyConstraint(["voids_id"], ["fin_document.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "year", "seq", name="uq_fin_document_seq"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("fin_document", schema=None) as batch_op:
        batch_op.create_index("ix_fin_document_kind_date", ["kind", "date"], unique=False)
        batch_op.create_index(
            "ix_fin_document_open",
            ["kind", "due_date"],
            unique=False,
            sqlite_where=sa.text("status IN ('posted', 'partly_paid')"),
            postgresql_where=sa.text("status IN ('posted', 'partly_paid')"),
        )
        batch_op.create_index("ix_fin_document_party", ["party_id", "status"], unique=False)
        batch_op.create_index(
            "ix_fin_document_supplier_ref",
            ["party_id", "reference"],
            unique=True,
            sqlite_where=sa.text("kind = 'bill' AND reference <> '' AND status <> 'void'"),
            postgresql_where=sa.text("kind = 'bill' AND reference <> '' AND status <> 'void'"),
        )
        batch_op.create_index(
            "ix_fin_document_entry",
            ["entry_id"],
            unique=True,
            sqlite_where=sa.text("entry_id IS NOT NULL"),
            postgresql_where=sa.text("entry_id IS NOT NULL"),
        )
        batch_op.create_index(
            "ix_fin_document_voids",
            ["voids_id"],
            unique=True,
            sqlite_where=sa.text("voids_id IS NOT NULL"),
            postgresql_where=sa.text("voids_id IS NOT NULL"),
        )

    op.create_table(
        "fin_document_line",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("tax_code", sa.String(length=16), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.Column("tax", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity > 0 AND unit_price >= 0 AND net >= 0 AND tax >= 0",
            name="ck_fin_document_line_amounts",
        ),
        sa.ForeignKeyConstraint(["account_id"], ["fin_account.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["fin_document.id"]),
        sa.ForeignKeyConstraint(["tax_code"], ["fin_tax_code.code"]),
        sa.PrimaryKeyConstraint("document_id", "line_no"),
        sqlite_with_rowid=False,
    )

    op.create_table(
        "fin_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("void_date", sa.Date(), nullable=True),
        sa.Column("void_entry_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "(status = 'void') = (void_date IS NOT NULL AND void_entry_id IS NOT NULL)",
            name="ck_fin_payment_void",
        ),
        sa.CheckConstraint("direction IN ('received', 'made')", name="ck_fin_payment_direction"),
        sa.CheckConstraint("status IN ('posted', 'void')", name="ck_fin_payment_status"),
        sa.CheckConstraint("amount > 0", name="ck_fin_payment_amount"),
        sa.ForeignKeyConstraint(["account_id"], ["fin_account.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["fin_entry.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["fin_party.id"]),
        sa.ForeignKeyConstraint(["void_entry_id"], ["fin_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("direction", "year", "seq", name="uq_fin_payment_seq"),
        sa.UniqueConstraint("entry_id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("fin_payment", schema=None) as batch_op:
        batch_op.create_index("ix_fin_payment_date", ["date"], unique=False)
        batch_op.create_index("ix_fin_payment_party", ["party_id", "date"], unique=False)

    op.create_table(
        "fin_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("amount > 0", name="ck_fin_allocation_amount"),
        sa.ForeignKeyConstraint(["document_id"], ["fin_document.id"]),
        sa.ForeignKeyConstraint(["payment_id"], ["fin_payment.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fin_allocation", schema=None) as batch_op:
        batch_op.create_index("ix_fin_allocation_document", ["document_id"], unique=False)
        batch_op.create_index("ix_fin_allocation_payment", ["payment_id"], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in DOCUMENT_TRIGGERS.get(dialect, []):
        op.execute(statement)
    for statement in SEED_TAX_CODES:
        op.execute(statement)


# Kept in step with ``finance.tax.SEED_TAX_CODES``; only for databases that already have a
# chart (new ones are seeded by ``bo init`` after their chart).
SEED_TAX_CODES = [
    """INSERT INTO fin_tax_code (code, name, name_ar, category, rate_bp, output_account_id,
                                 input_account_id, active)
       SELECT 'S15', 'Standard rate 15%', 'النسبة الأساسية 15٪', 'standard', 1500, o.id, i.id,
              true
       FROM fin_account o, fin_account i WHERE o.code = '2210' AND i.code = '1430'""",
    """INSERT INTO fin_tax_code (code, name, name_ar, category, rate_bp, output_account_id,
                                 input_account_id, active)
       SELECT 'Z', 'Zero-rated', 'خاضع بنسبة صفر', 'zero', 0, NULL, NULL, true
       WHERE EXISTS (SELECT 1 FROM fin_account)""",
    """INSERT INTO fin_tax_code (code, name, name_ar, category, rate_bp, output_account_id,
                                 input_account_id, active)
       SELECT 'E', 'Exempt', 'معفى', 'exempt', 0, NULL, NULL, true
       WHERE EXISTS (SELECT 1 FROM fin_account)""",
]

_DOC_FROZEN = (
    "id",
    "kind",
    "year",
    "seq",
    "number",
    "party_id",
    "date",
    "due_date",
    "reference",
    "memo",
    "net",
    "tax",
    "total",
    "entry_id",
    "voids_id",
    "created_at",
    "created_by",
    "posted_at",
    "posted_by",
)
_PAY_FROZEN = (
    "id",
    "direction",
    "year",
    "seq",
    "number",
    "party_id",
    "date",
    "amount",
    "account_id",
    "reference",
    "memo",
    "entry_id",
    "created_at",
    "created_by",
)
_DOC_SAME = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _DOC_FROZEN)
_PAY_SAME = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _PAY_FROZEN)
_DOC_SAME_PG = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _DOC_FROZEN)
_PAY_SAME_PG = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _PAY_FROZEN)

M_DOC_BORN = "fin_document: a new document is a draft with nothing paid"
M_DOC_LINES = "fin_document: lines can be added, changed or removed only on a draft document"
M_DOC_POST = (
    "fin_document: posting takes the next number of the kind and year, a posted ledger entry "
    "of the document's date and total, and lines that add up to its net and tax"
)
M_DOC_CREDIT = (
    "fin_document: a credit note voids a posted document of the same party and total, "
    "with nothing paid, and reverses its entry"
)
M_DOC_FROZEN = (
    "fin_document: a posted document cannot be changed or deleted; void it with a credit note"
)
M_DOC_PAID = (
    "fin_document: paid must equal the allocations from payments that are not void, and the "
    "status must follow from it"
)
M_DOC_VOID = (
    "fin_document: only a posted document with nothing paid is voided, by the credit note "
    "that voids it"
)
M_PAY_BORN = (
    "fin_payment: a payment is entered posted, with its year's next number, a party in the "
    "right role and a posted ledger entry of its date and amount"
)
M_PAY_FROZEN = "fin_payment: a payment cannot be changed or deleted; void it (its entry reversed)"
M_ALLOC = (
    "fin_allocation: an allocation applies a posted payment to an open document of the same "
    "party (payments received to invoices, payments made to bills), on or after both dates"
)
M_ALLOC_OVER = (
    "fin_allocation: an allocation cannot exceed what the document still owes or what the "
    "payment has left"
)
M_ALLOC_FROZEN = (
    "fin_allocation: allocations are never changed or deleted; void the payment instead"
)


def _q(message: str) -> str:
    return message.replace("'", "''")


_LIVE_PAID_SQLITE = """(SELECT COALESCE(SUM(a.amount), 0) FROM fin_allocation a
                        JOIN fin_payment p ON p.id = a.payment_id
                        WHERE a.document_id = {doc} AND p.status = 'posted')"""
_NUMBER_SQLITE = """printf('%s-%04d-%05d', CASE {kind} WHEN 'invoice' THEN 'INV'
                      WHEN 'bill' THEN 'BILL' WHEN 'credit_note' THEN 'CN'
                      WHEN 'supplier_credit' THEN 'SCN' WHEN 'received' THEN 'RCPT'
                      WHEN 'made' THEN 'PAY' END, NEW.year, NEW.seq)"""
_NUMBER_PG = """format('%s-%s-%s', CASE {kind} WHEN 'invoice' THEN 'INV'
                  WHEN 'bill' THEN 'BILL' WHEN 'credit_note' THEN 'CN'
                  WHEN 'supplier_credit' THEN 'SCN' WHEN 'received' THEN 'RCPT'
                  WHEN 'made' THEN 'PAY' END, lpad(NEW.year::text, 4, '0'),
                  lpad(NEW.seq::text, 5, '0'))"""

DOCUMENT_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER fin_document_insert BEFORE INSERT ON fin_document
        WHEN NEW.status IS NOT 'draft' OR NEW.paid IS NOT 0 OR NEW.voided_by_id IS NOT NULL
        BEGIN SELECT RAISE(ABORT, '{_q(M_DOC_BORN)}'); END""",
        f"""CREATE TRIGGER fin_document_line_insert BEFORE INSERT ON fin_document_line
        WHEN (SELECT status FROM fin_document WHERE id = NEW.document_id) IS NOT 'draft'
        BEGIN SELECT RAISE(ABORT, '{_q(M_DOC_LINES)}'); END""",
        f"""CREATE TRIGGER fin_document_line_update BEFORE UPDATE ON fin_document_line
        WHEN EXISTS (SELECT 1 FROM fin_document WHERE id IN (OLD.document_id, NEW.document_id)
                     AND status <> 'draft')
        BEGIN SELECT RAISE(ABORT, '{_q(M_DOC_LINES)}'); END""",
        f"""CREATE TRIGGER fin_document_line_delete BEFORE DELETE ON fin_document_line
        WHEN EXISTS (SELECT 1 FROM fin_document WHERE id = OLD.document_id
                     AND status <> 'draft')
        BEGIN SELECT RAISE(ABORT, '{_q(M_DOC_LINES)}'); END""",
        f"""CREATE TRIGGER fin_document_post BEFORE UPDATE ON fin_document
        WHEN OLD.status = 'draft' AND NEW.status IS NOT 'draft'
        BEGIN
          SELECT RAISE(ABORT, '{_q(M_DOC_POST)}')
            WHERE NEW.status IS NOT 'posted' OR NEW.paid IS NOT 0 OR NEW.id IS NOT OLD.id
               OR NEW.kind IS NOT OLD.kind OR NEW.voids_id IS NOT OLD.voids_id
               OR NEW.voided_by_id IS NOT NULL
               OR NEW.year IS NOT CAST(substr(NEW.date, 1, 4) AS INTEGER)
               OR NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM fin_document
                                  WHERE kind = NEW.kind AND year = NEW.year)
               OR NEW.number IS NOT {_NUMBER_SQLITE.format(kind="NEW.kind")}
               OR (SELECT count(*) > 0 AND SUM(net) = NEW.net AND SUM(tax) = NEW.tax
                   FROM fin_document_line WHERE document_id = NEW.id) IS NOT 1
               OR (SELECT state = 'posted' AND total = NEW.total AND date = NEW.date
                          AND (NEW.voids_id IS NOT NULL
                               OR (source = NEW.kind AND source_ref = NEW.number))
                   FROM fin_entry WHERE id = NEW.entry_id) IS NOT 1;
          SELECT RAISE(ABORT, '{_q(M_DOC_CREDIT)}')
            WHERE NEW.voids_id IS NOT NULL
              AND (SELECT o.status = 'posted' AND o.paid = 0 AND o.party_id = NEW.party_id
                          AND o.net = NEW.net AND o.tax = NEW.tax
                          AND NEW.date >= o.date
                          AND NEW.kind = CASE o.kind WHEN 'invoice' THEN 'credit_note'
                                                     WHEN 'bill' THEN 'supplier_credit' END
                          AND (SELECT reverses_id FROM fin_entry WHERE id = NEW.entry_id)
                              IS o.entry_id
                   FROM fin_document o WHERE o.id = NEW.voids_id) IS NOT 1;
        END""",
        f"""CREATE TRIGGER fin_document_frozen BEFORE UPDATE ON fin_document
        WHEN OLD.status IS NOT 'draft'
        BEGIN
          SELECT RAISE(ABORT, '{_q(M_DOC_FROZEN)}')
            WHERE OLD.status = 'void' OR NOT ({_DOC_SAME});
          SELECT RAISE(ABORT, '{_q(M_DOC_PAID)}')
            WHERE NEW.paid IS NOT {_LIVE_PAID_SQLITE.format(doc="NEW.id")}
               OR (NEW.status IS NOT 'void' AND NEW.status IS NOT
                   CASE WHEN NEW.voids_id IS NOT NULL OR NEW.paid = 0 THEN 'posted'
                        WHEN NEW.paid < NEW.total THEN 'partly_paid' ELSE 'paid' END);
          SELECT RAISE(ABORT, '{_q(M_DOC_VOID)}')
            WHERE NEW.status = 'void'
              AND NOT (OLD.status = 'posted' AND NEW.paid = 0 AND OLD.voids_id IS NULL
                       AND (SELECT voids_id = OLD.id AND status = 'posted' FROM fin_document
                            WHERE id = NEW.voided_by_id) IS 1);
        END""",
        f"""CREATE TRIGGER fin_document_delete BEFORE DELETE ON fin_document
        WHEN OLD.status IS NOT 'draft'
        BEGIN SELECT RAISE(ABORT, '{_q(M_DOC_FROZEN)}'); END""",
        f"""CREATE TRIGGER fin_payment_insert BEFORE INSERT ON fin_payment
        BEGIN
          SELECT RAISE(ABORT, '{_q(M_PAY_BORN)}')
            WHERE NEW.status IS NOT 'posted' OR NEW.void_date IS NOT NULL
               OR NEW.void_entry_id IS NOT NULL
               OR NEW.year IS NOT CAST(substr(NEW.date, 1, 4) AS INTEGER)
               OR NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM fin_payment
                                  WHERE direction = NEW.direction AND year = NEW.year)
               OR NEW.number IS NOT {_NUMBER_SQLITE.format(kind="NEW.direction")}
               OR (SELECT CASE NEW.direction WHEN 'received' THEN is_customer
                                             ELSE is_supplier END
                   FROM fin_party WHERE id = NEW.party_id) IS NOT 1
               OR (SELECT state = 'posted' AND source = 'payment' AND source_ref = NEW.number
                          AND total = NEW.amount AND date = NEW.date
                   FROM fin_entry WHERE id = NEW.entry_id) IS NOT 1;
        END""",
        f"""CREATE TRIGGER fin_payment_frozen BEFORE UPDATE ON fin_payment
        BEGIN
          SELECT RAISE(ABORT, '{_q(M_PAY_FROZEN)}')
            WHERE NOT (OLD.status = 'posted' AND NEW.status = 'void' AND {_PAY_SAME}
                       AND NEW.void_date >= OLD.date
                       AND (SELECT state = 'posted' AND reverses_id = OLD.entry_id
                                   AND date = NEW.void_date
                            FROM fin_entry WHERE id = NEW.void_entry_id) IS 1);
        END""",
        f"""CREATE TRIGGER fin_payment_delete BEFORE DELETE ON fin_payment
        BEGIN SELECT RAISE(ABORT, '{_q(M_PAY_FROZEN)}'); END""",
        f"""CREATE TRIGGER fin_payment_void AFTER UPDATE OF status ON fin_payment
        WHEN OLD.status = 'posted' AND NEW.status = 'void'
        BEGIN
          UPDATE fin_document
            SET paid = {_LIVE_PAID_SQLITE.format(doc="fin_document.id")},
                status = CASE WHEN {_LIVE_PAID_SQLITE.format(doc="fin_document.id")} = 0
                              THEN 'posted' ELSE 'partly_paid' END
            WHERE id IN (SELECT document_id FROM fin_allocation WHERE payment_id = NEW.id);
        END""",
        f"""CREATE TRIGGER fin_allocation_insert BEFORE INSERT ON fin_allocation
        BEGIN
          SELECT RAISE(ABORT, '{_q(M_ALLOC)}')
            WHERE (SELECT p.status = 'posted' AND d.status IN ('posted', 'partly_paid')
                          AND d.party_id = p.party_id
                          AND d.kind = CASE p.direction WHEN 'received' THEN 'invoice'
                                                        ELSE 'bill' END
                          AND NEW.date >= p.date AND NEW.date >= d.date
                   FROM fin_payment p, fin_document d
                   WHERE p.id = NEW.payment_id AND d.id = NEW.document_id) IS NOT 1;
          SELECT RAISE(ABORT, '{_q(M_ALLOC_OVER)}')
            WHERE NEW.amount > (SELECT total - paid FROM fin_document WHERE id = NEW.document_id)
               OR NEW.amount + (SELECT COALESCE(SUM(amount), 0) FROM fin_allocation
                                WHERE payment_id = NEW.payment_id)
                  > (SELECT amount FROM fin_payment WHERE id = NEW.payment_id);
        END""",
        """CREATE TRIGGER fin_allocation_applied AFTER INSERT ON fin_allocation
        BEGIN
          UPDATE fin_document
            SET paid = paid + NEW.amount,
                status = CASE WHEN paid + NEW.amount = total THEN 'paid' ELSE 'partly_paid' END
            WHERE id = NEW.document_id;
        END""",
        f"""CREATE TRIGGER fin_allocation_update BEFORE UPDATE ON fin_allocation
        BEGIN SELECT RAISE(ABORT, '{_q(M_ALLOC_FROZEN)}'); END""",
        f"""CREATE TRIGGER fin_allocation_delete BEFORE DELETE ON fin_allocation
        BEGIN SELECT RAISE(ABORT, '{_q(M_ALLOC_FROZEN)}'); END""",
    ],
    # The same rules for PostgreSQL, as row triggers in PL/pgSQL.
    "postgresql": [
        f"""CREATE FUNCTION fin_document_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
               SELECT 1 FROM fin_document WHERE id = OLD.document_id AND status <> 'draft') THEN
            RAISE EXCEPTION '{_q(M_DOC_LINES)}';
          END IF;
          IF TG_OP = 'DELETE' THEN
            RETURN OLD;
          END IF;
          IF (SELECT status FROM fin_document WHERE id = NEW.document_id)
             IS DISTINCT FROM 'draft' THEN
            RAISE EXCEPTION '{_q(M_DOC_LINES)}';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER fin_document_line_guard
        BEFORE INSERT OR UPDATE OR DELETE ON fin_document_line
        FOR EACH ROW EXECUTE FUNCTION fin_document_line_guard()""",
        f"""CREATE FUNCTION fin_document_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE live integer;
        BEGIN
          IF TG_OP = 'INSERT' THEN
            IF NEW.status <> 'draft' OR NEW.paid <> 0 OR NEW.voided_by_id IS NOT NULL THEN
              RAISE EXCEPTION '{_q(M_DOC_BORN)}';
            END IF;
            RETURN NEW;
          END IF;
          IF TG_OP = 'DELETE' THEN
            IF OLD.status <> 'draft' THEN
              RAISE EXCEPTION '{_q(M_DOC_FROZEN)}';
            END IF;
            RETURN OLD;
          END IF;
          IF OLD.status = 'draft' THEN
            IF NEW.status = 'draft' THEN
              RETURN NEW;
            END IF;
            IF NOT COALESCE(
                 NEW.status = 'posted' AND NEW.paid = 0 AND NEW.id = OLD.id
                 AND NEW.kind = OLD.kind AND NEW.voids_id IS NOT DISTINCT FROM OLD.voids_id
                 AND NEW.voided_by_id IS NULL
                 AND NEW.year = extract(year FROM NEW.date)::integer
                 AND NEW.seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM fin_document
                                WHERE kind = NEW.kind AND year = NEW.year)
                 AND NEW.number = {_NUMBER_PG.format(kind="NEW.kind")}
                 AND (SELECT count(*) > 0 AND SUM(net) = NEW.net AND SUM(tax) = NEW.tax
                      FROM fin_document_line WHERE document_id = NEW.id)
                 AND (SELECT state = 'posted' AND total = NEW.total AND date = NEW.date
                             AND (NEW.voids_id IS NOT NULL
                                  OR (source = NEW.kind AND source_ref = NEW.number))
                      FROM fin_entry WHERE id = NEW.entry_id), false) THEN
              RAISE EXCEPTION '{_q(M_DOC_POST)}';
            END IF;
            IF NEW.voids_id IS NOT NULL AND NOT COALESCE(
                 (SELECT o.status = 'posted' AND o.paid = 0 AND o.party_id = NEW.party_id
                         AND o.net = NEW.net AND o.tax = NEW.tax AND NEW.date >= o.date
                         AND NEW.kind = CASE o.kind WHEN 'invoice' THEN 'credit_note'
                                                    WHEN 'bill' THEN 'supplier_credit' END
                         AND (SELECT reverses_id FROM fin_entry WHERE id = NEW.entry_id)
                             IS NOT DISTINCT FROM o.entry_id
                  FROM fin_document o WHERE o.id = NEW.voids_id), false) THEN
              RAISE EXCEPTION '{_q(M_DOC_CREDIT)}';
            END IF;
            RETURN NEW;
          END IF;
          IF OLD.status = 'void' OR NOT ({_DOC_SAME_PG}) THEN
            RAISE EXCEPTION '{_q(M_DOC_FROZEN)}';
          END IF;
          SELECT COALESCE(SUM(a.amount), 0) INTO live FROM fin_allocation a
            JOIN fin_payment p ON p.id = a.payment_id
            WHERE a.document_id = NEW.id AND p.status = 'posted';
          IF NEW.paid <> live OR (NEW.status <> 'void' AND NEW.status <>
               CASE WHEN NEW.voids_id IS NOT NULL OR NEW.paid = 0 THEN 'posted'
                    WHEN NEW.paid < NEW.total THEN 'partly_paid' ELSE 'paid' END) THEN
            RAISE EXCEPTION '{_q(M_DOC_PAID)}';
          END IF;
          IF NEW.status = 'void' AND NOT COALESCE(
               OLD.status = 'posted' AND NEW.paid = 0 AND OLD.voids_id IS NULL
               AND (SELECT voids_id = OLD.id AND status = 'posted' FROM fin_document
                    WHERE id = NEW.voided_by_id), false) THEN
            RAISE EXCEPTION '{_q(M_DOC_VOID)}';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER fin_document_guard BEFORE INSERT OR UPDATE OR DELETE ON fin_document
        FOR EACH ROW EXECUTE FUNCTION fin_document_guard()""",
        f"""CREATE FUNCTION fin_payment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            IF NOT COALESCE(
                 NEW.status = 'posted' AND NEW.void_date IS NULL AND NEW.void_entry_id IS NULL
                 AND NEW.year = extract(year FROM NEW.date)::integer
                 AND NEW.seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM fin_payment
                                WHERE direction = NEW.direction AND year = NEW.year)
                 AND NEW.number = {_NUMBER_PG.format(kind="NEW.direction")}
                 AND (SELECT CASE NEW.direction WHEN 'received' THEN is_customer
                                                ELSE is_supplier END
                      FROM fin_party WHERE id = NEW.party_id)
                 AND (SELECT state = 'posted' AND source = 'payment'
                             AND source_ref = NEW.number AND total = NEW.amount
                             AND date = NEW.date
                      FROM fin_entry WHERE id = NEW.entry_id), false) THEN
              RAISE EXCEPTION '{_q(M_PAY_BORN)}';
            END IF;
            RETURN NEW;
          END IF;
          IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION '{_q(M_PAY_FROZEN)}';
          END IF;
          IF NOT COALESCE(
               OLD.status = 'posted' AND NEW.status = 'void' AND {_PAY_SAME_PG}
               AND NEW.void_date >= OLD.date
               AND (SELECT state = 'posted' AND reverses_id = OLD.entry_id
                           AND date = NEW.void_date
                    FROM fin_entry WHERE id = NEW.void_entry_id), false) THEN
            RAISE EXCEPTION '{_q(M_PAY_FROZEN)}';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER fin_payment_guard BEFORE INSERT OR UPDATE OR DELETE ON fin_payment
        FOR EACH ROW EXECUTE FUNCTION fin_payment_guard()""",
        """CREATE FUNCTION fin_payment_void() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE fin_document d
            SET paid = live.amount,
                status = CASE WHEN live.amount = 0 THEN 'posted' ELSE 'partly_paid' END
            FROM (SELECT doc.id, COALESCE(SUM(a.amount) FILTER (WHERE p.status = 'posted'), 0)
                         AS amount
                  FROM fin_document doc
                  JOIN fin_allocation a ON a.document_id = doc.id
                  JOIN fin_payment p ON p.id = a.payment_id
                  WHERE doc.id IN (SELECT document_id FROM fin_allocation
                                   WHERE payment_id = NEW.id)
                  GROUP BY doc.id) AS live
            WHERE d.id = live.id;
          RETURN NULL;
        END $$""",
        """CREATE TRIGGER fin_payment_void AFTER UPDATE OF status ON fin_payment
        FOR EACH ROW WHEN (OLD.status = 'posted' AND NEW.status = 'void')
        EXECUTE FUNCTION fin_payment_void()""",
        f"""CREATE FUNCTION fin_allocation_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP <> 'INSERT' THEN
            RAISE EXCEPTION '{_q(M_ALLOC_FROZEN)}';
          END IF;
          -- One allocation at a time per payment and per document.
          PERFORM 1 FROM fin_payment WHERE id = NEW.payment_id FOR UPDATE;
          PERFORM 1 FROM fin_document WHERE id = NEW.document_id FOR UPDATE;
          IF NOT COALESCE(
               (SELECT p.status = 'posted' AND d.status IN ('posted', 'partly_paid')
                       AND d.party_id = p.party_id
                       AND d.kind = CASE p.direction WHEN 'received' THEN 'invoice'
                                                     ELSE 'bill' END
                       AND NEW.date >= p.date AND NEW.date >= d.date
                FROM fin_payment p, fin_document d
                WHERE p.id = NEW.payment_id AND d.id = NEW.document_id), false) THEN
            RAISE EXCEPTION '{_q(M_ALLOC)}';
          END IF;
          IF NEW.amount > (SELECT total - paid FROM fin_document WHERE id = NEW.document_id)
             OR NEW.amount + (SELECT COALESCE(SUM(amount), 0) FROM fin_allocation
                              WHERE payment_id = NEW.payment_id)
                > (SELECT amount FROM fin_payment WHERE id = NEW.payment_id) THEN
            RAISE EXCEPTION '{_q(M_ALLOC_OVER)}';
          END IF;
          RETURN NEW;
        END $$""",
        """CREATE TRIGGER fin_allocation_guard BEFORE INSERT OR UPDATE OR DELETE ON fin_allocation
        FOR EACH ROW EXECUTE FUNCTION fin_allocation_guard()""",
        """CREATE FUNCTION fin_allocation_applied() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE fin_document
            SET paid = paid + NEW.amount,
                status = CASE WHEN paid + NEW.amount = total THEN 'paid' ELSE 'partly_paid' END
            WHERE id = NEW.document_id;
          RETURN NULL;
        END $$""",
        """CREATE TRIGGER fin_allocation_applied AFTER INSERT ON fin_allocation
        FOR EACH ROW EXECUTE FUNCTION fin_allocation_applied()""",
    ],
}

_SQLITE_TRIGGERS = (
    "fin_document_insert",
    "fin_document_line_insert",
    "fin_document_line_update",
    "fin_document_line_delete",
    "fin_document_post",
    "fin_document_frozen",
    "fin_document_delete",
    "fin_payment_insert",
    "fin_payment_frozen",
    "fin_payment_delete",
    "fin_payment_void",
    "fin_allocation_insert",
    "fin_allocation_applied",
    "fin_allocation_update",
    "fin_allocation_delete",
)
_PG_TRIGGERS = (
    ("fin_document_line", "fin_document_line_guard"),
    ("fin_document", "fin_document_guard"),
    ("fin_payment", "fin_payment_guard"),
    ("fin_payment", "fin_payment_void"),
    ("fin_allocation", "fin_allocation_guard"),
    ("fin_allocation", "fin_allocation_applied"),
)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for table, name in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    with op.batch_alter_table("fin_allocation", schema=None) as batch_op:
        batch_op.drop_index("ix_fin_allocation_payment")
        batch_op.drop_index("ix_fin_allocation_document")
    op.drop_table("fin_allocation")
    with op.batch_alter_table("fin_payment", schema=None) as batch_op:
        batch_op.drop_index("ix_fin_payment_party")
        batch_op.drop_index("ix_fin_payment_date")
    op.drop_table("fin_payment")
    op.drop_table("fin_document_line")
    with op.batch_alter_table("fin_document", schema=None) as batch_op:
        for name in (
            "ix_fin_document_voids",
            "ix_fin_document_entry",
            "ix_fin_document_supplier_ref",
            "ix_fin_document_party",
            "ix_fin_document_open",
            "ix_fin_document_kind_date",
        ):
            batch_op.drop_index(name)
    op.drop_table("fin_document")
    op.drop_table("fin_tax_code")
    with op.batch_alter_table("fin_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fin_party_search_key"))
        batch_op.drop_index(batch_op.f("ix_fin_party_code"))
    op.drop_table("fin_party")
