"""work items and the front office: kinds, links to records, escalation; pending customers

Revision ID: 0009
Revises: 0007

A customer the front office registers waits, ``pending``, until finance approves it; the
database refuses an approval by the person who registered the customer.

Items of a kind no department declares any more (the free-text "request" and whatever was typed
by hand) become the ``general`` kind; each item's one reference (``ref_entity``/``ref_id``)
becomes its first link; closed items get a closing time if they lack one, because "open" now
means "not closed" whatever a kind calls its states.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The kinds declared when this revision was written: anything else was free text.
KNOWN_KINDS = (
    "certification",
    "onboarding",
    "offboarding",
    "licence-renewal",
    "sla-breach",
    "reorder",
)


PARTY_APPROVAL_TRIGGER = """CREATE TRIGGER fin_party_approval BEFORE UPDATE OF status ON fin_party
    WHEN NEW.status = 'approved' AND OLD.status = 'pending'
         AND (NEW.approved_by IS NULL OR NEW.approved_by = OLD.created_by)
    BEGIN SELECT RAISE(ABORT, 'a customer is approved by someone other than who registered it');
    END"""

PARTY_APPROVAL_PG = [
    """CREATE FUNCTION fin_party_approval() RETURNS trigger AS $$
    BEGIN
      IF NEW.status = 'approved' AND OLD.status = 'pending'
         AND (NEW.approved_by IS NULL OR NEW.approved_by = OLD.created_by) THEN
        RAISE EXCEPTION 'a customer is approved by someone other than who registered it';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER fin_party_approval BEFORE UPDATE OF status ON fin_party
    FOR EACH ROW EXECUTE FUNCTION fin_party_approval()""",
]


def _party_columns() -> None:
    # Plain ADD COLUMN: rebuilding fin_party in a batch would drop the triggers on it.
    op.execute(
        "ALTER TABLE fin_party ADD COLUMN status VARCHAR(12) NOT NULL DEFAULT 'approved' "
        "CONSTRAINT ck_fin_party_status CHECK (status IN ('approved', 'pending', 'rejected'))"
    )
    op.execute("ALTER TABLE fin_party ADD COLUMN cr_number VARCHAR(10) NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE fin_party ADD COLUMN approved_by VARCHAR(64)")
    op.execute(
        "ALTER TABLE fin_party ADD COLUMN approved_at "
        + ("DATETIME" if op.get_bind().dialect.name == "sqlite" else "TIMESTAMP")
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(PARTY_APPROVAL_TRIGGER)
    else:
        for statement in PARTY_APPROVAL_PG:
            op.execute(statement)


def upgrade() -> None:
    _party_columns()
    # The sender's reference of an order from outside: received once (bo intake orders).
    op.execute("ALTER TABLE lg_sales_order ADD COLUMN external_ref VARCHAR(60)")
    op.execute(
        "CREATE UNIQUE INDEX ux_lg_sales_order_external_ref ON lg_sales_order (external_ref) "
        "WHERE external_ref IS NOT NULL"
    )
    with op.batch_alter_table("work_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("escalated_to", sa.String(length=64), nullable=True))
    op.create_table(
        "work_item_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["work_item.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("work_item_link", schema=None) as batch_op:
        batch_op.create_index("ix_work_item_link_record", ["entity", "ref"], unique=False)
        batch_op.create_index("ux_work_item_link", ["item_id", "entity", "ref"], unique=True)
    known = ", ".join(f"'{k}'" for k in KNOWN_KINDS)
    op.execute(f"UPDATE work_item SET kind = 'general' WHERE kind NOT IN ({known})")
    op.execute(
        "INSERT INTO work_item_link (item_id, entity, ref, label) "
        "SELECT id, ref_entity, ref_id, '' FROM work_item "
        "WHERE ref_entity IS NOT NULL AND ref_entity != '' AND ref_id IS NOT NULL"
    )
    op.execute(
        "UPDATE work_item SET closed_at = created_at "
        "WHERE status IN ('done', 'cancelled') AND closed_at IS NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ux_lg_sales_order_external_ref")
    op.execute("ALTER TABLE lg_sales_order DROP COLUMN external_ref")
    op.execute(
        "DROP TRIGGER IF EXISTS fin_party_approval"
        + ("" if op.get_bind().dialect.name == "sqlite" else " ON fin_party")
    )
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS fin_party_approval()")
    for column in ("approved_at", "approved_by", "cr_number", "status"):
        op.execute(f"ALTER TABLE fin_party DROP COLUMN {column}")
    with op.batch_alter_table("work_item_link", schema=None) as batch_op:
        batch_op.drop_index("ux_work_item_link")
        batch_op.drop_index("ix_work_item_link_record")
    op.drop_table("work_item_link")
    with op.batch_alter_table("work_item", schema=None) as batch_op:
        batch_op.drop_column("escalated_to")
        batch_op.drop_column("escalated_at")
