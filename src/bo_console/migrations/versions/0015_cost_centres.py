"""finance: the cost-centre list, and tax codes for box 2 of the VAT return

Revision ID: 0015
Revises: 0014

``fin_cost_centre`` is the list journal lines pick their cost centre from. The free-text
codes lines already carry become its first rows (named after their code, to be renamed).
From then on the database refuses a line whose cost centre the list lacks, and the deletion
or recoding of a cost centre a line uses.

Tax codes gain the treatment ``citizen``: standard-rated sales the state bears the VAT of
(private healthcare, private education and a first home sold to citizens), which ZATCA's
return declares in box 2, apart from box 1.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import pg_guard, pg_guard_drop

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

OLD_TREATMENTS = "'domestic', 'export', 'import', 'reverse_charge'"
TREATMENTS = OLD_TREATMENTS + ", 'citizen'"

M_UNKNOWN = "fin_line: no such cost centre (add it to the cost-centre list first)"
M_USED = "fin_cost_centre: lines use this cost centre; deactivate it instead"

_UNKNOWN = (
    "NEW.cost_centre IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM fin_cost_centre c WHERE c.code = NEW.cost_centre)"
)
_USED = "EXISTS (SELECT 1 FROM fin_line l WHERE l.cost_centre = OLD.code)"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER fin_line_cost_centre_insert BEFORE INSERT ON fin_line
    WHEN {_UNKNOWN}
    BEGIN SELECT RAISE(ABORT, '{M_UNKNOWN}'); END""",
    f"""CREATE TRIGGER fin_line_cost_centre_update BEFORE UPDATE OF cost_centre ON fin_line
    WHEN {_UNKNOWN}
    BEGIN SELECT RAISE(ABORT, '{M_UNKNOWN}'); END""",
    f"""CREATE TRIGGER fin_cost_centre_no_delete BEFORE DELETE ON fin_cost_centre
    WHEN {_USED}
    BEGIN SELECT RAISE(ABORT, '{M_USED}'); END""",
    f"""CREATE TRIGGER fin_cost_centre_no_recode BEFORE UPDATE OF code ON fin_cost_centre
    WHEN NEW.code IS NOT OLD.code AND {_USED}
    BEGIN SELECT RAISE(ABORT, '{M_USED}'); END""",
]

SQLITE_NAMES = [
    "fin_line_cost_centre_insert",
    "fin_line_cost_centre_update",
    "fin_cost_centre_no_delete",
    "fin_cost_centre_no_recode",
]

POSTGRES_TRIGGERS: list[tuple[str, str, list[str]]] = [
    (
        "fin_line_cost_centre",
        "fin_line",
        pg_guard(
            "fin_line_cost_centre", "fin_line", "INSERT OR UPDATE OF cost_centre", _UNKNOWN,
            M_UNKNOWN,
        ),
    ),
    (
        "fin_cost_centre_used",
        "fin_cost_centre",
        pg_guard(
            "fin_cost_centre_used", "fin_cost_centre", "DELETE OR UPDATE OF code",
            f"(TG_OP = 'DELETE' OR NEW.code IS DISTINCT FROM OLD.code) AND {_USED}", M_USED,
        ),
    ),
]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "fin_cost_centre",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("fin_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_fin_line_cost_centre",
            ["cost_centre"],
            unique=False,
            sqlite_where=sa.text("cost_centre IS NOT NULL"),
            postgresql_where=sa.text("cost_centre IS NOT NULL"),
        )
    op.execute(
        "INSERT INTO fin_cost_centre (code, name, department, active, created_at, created_by) "
        "SELECT DISTINCT cost_centre, cost_centre, '', TRUE, CURRENT_TIMESTAMP, 'migration' "
        "FROM fin_line WHERE cost_centre IS NOT NULL"
    )
    with op.batch_alter_table("fin_tax_code", schema=None) as batch_op:
        batch_op.drop_constraint("ck_fin_tax_code_treatment", type_="check")
        batch_op.create_check_constraint(
            "ck_fin_tax_code_treatment", sa.text(f"treatment IN ({TREATMENTS})")
        )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    if dialect == "postgresql":
        for _name, _table, statements in POSTGRES_TRIGGERS:
            for statement in statements:
                op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if dialect == "postgresql":
        for name, table, _statements in POSTGRES_TRIGGERS:
            for statement in pg_guard_drop(name, table):
                op.execute(statement)
    op.execute("UPDATE fin_tax_code SET treatment = 'domestic' WHERE treatment = 'citizen'")
    with op.batch_alter_table("fin_tax_code", schema=None) as batch_op:
        batch_op.drop_constraint("ck_fin_tax_code_treatment", type_="check")
        batch_op.create_check_constraint(
            "ck_fin_tax_code_treatment", sa.text(f"treatment IN ({OLD_TREATMENTS})")
        )
    with op.batch_alter_table("fin_line", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_fin_line_cost_centre",
            sqlite_where=sa.text("cost_centre IS NOT NULL"),
            postgresql_where=sa.text("cost_centre IS NOT NULL"),
        )
    op.drop_table("fin_cost_centre")
