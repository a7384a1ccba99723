"""payroll: fixed-term contracts and the opening end-of-service and leave provisions

Revision ID: 0016
Revises: 0015

Employees get the end date of a fixed-term contract (empty: an indefinite contract), the base
of art. 77 compensation for the remaining term. ``hr_provision_opening`` holds, per employee,
the end-of-service and leave provisions for service before the first pay run that accrues
them, booked once against retained earnings rather than as that month's expense.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hr_employee", sa.Column("contract_ends_on", sa.Date(), nullable=True))
    op.create_table(
        "hr_provision_opening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("eos", sa.Integer(), nullable=False),
        sa.Column("leave", sa.Integer(), nullable=False),
        sa.Column("entry_ref", sa.String(length=40), nullable=True),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("eos >= 0 AND leave >= 0", name="ck_hr_provision_opening_amounts"),
        sa.ForeignKeyConstraint(["employee_id"], ["hr_employee.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("employee_id", name="uq_hr_provision_opening_employee"),
    )


def downgrade() -> None:
    op.drop_table("hr_provision_opening")
    op.drop_column("hr_employee", "contract_ends_on")
