"""IT: an index of the open tickets in number order

Revision ID: 0023
Revises: 0020

The Tickets tab lists open tickets newest first, a block at a time, and its far end (End) is
read in number order from the oldest. Among 1,000,000 tickets of which 20,000 are open, the
status index gives the open ones in status order, not by number, so SQLite read the table by
number and skipped the closed ones: a second for the last block. A partial index on ``id`` of
the open tickets answers both ends and every keyset step from it (under a millisecond). The
condition is the one the other partial indexes on open tickets use, written out in full, as
the queries write it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0020"
branch_labels = None
depends_on = None

OPEN = "status IN ('new', 'assigned', 'in_progress', 'waiting', 'reopened')"


def upgrade() -> None:
    op.create_index(
        "ix_it_ticket_open",
        "it_ticket",
        ["id"],
        unique=False,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_it_ticket_open", table_name="it_ticket")
