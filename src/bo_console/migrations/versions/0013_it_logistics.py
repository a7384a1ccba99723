"""IT and logistics additions: monthly stock totals per item, an index on move documents

Revision ID: 0013
Revises: 0007

``lg_stock_month`` holds each item's running quantity and value at the end of each month it
moved in, kept by a trigger on the stock ledger (and guarded like the balances: only that
trigger writes it), so a valuation as at a past date reads one row per item instead of every
move up to it. Existing moves are summed into it here.
``ix_lg_move_ref`` answers the Stock tab's filter on a document number, and ``ix_lg_move_date``
now covers item, quantity and value, so a month's moves are summed from the index alone.

A ticket waiting on its requester stops its resolution clock: ``it_ticket.paused_at`` says
since when, and ``paused_minutes`` how long it has waited in all. ``it_stocktake`` and its
scans record a physical check of assets against the register; the database refuses a scan
into a closed stock-take.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import pg_guard, pg_guard_drop, pg_trigger

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


M_STOCKTAKE = "it_stocktake_scan: the stock-take is closed"

STOCKTAKE_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER it_stocktake_scan_open BEFORE INSERT ON it_stocktake_scan
        WHEN (SELECT status FROM it_stocktake WHERE id = NEW.stocktake_id) IS NOT 'open'
        BEGIN SELECT RAISE(ABORT, '{M_STOCKTAKE}'); END""",
    ],
}

M_MONTH = "lg_stock_month: kept from the stock moves; it is never written directly"

_LAST_MOVE = "(SELECT item_id, date, quantity, value FROM lg_stock_move ORDER BY id DESC LIMIT 1)"


def _carried(column: str, item: str, period: str) -> str:
    """An item's running ``column`` at the end of the last month before ``period``."""
    return (
        f"COALESCE((SELECT {column} FROM lg_stock_month WHERE item_id = {item} "
        f"AND period < {period} ORDER BY period DESC LIMIT 1), 0)"
    )


_PERIOD = "substr(NEW.date, 1, 7)"

MONTH_TRIGGERS = {
    "sqlite": [
        # A move opens its month's row from the running total before it (when the month has
        # none yet), then adds itself to that month and every later one (a back-dated move).
        f"""CREATE TRIGGER lg_stock_move_month AFTER INSERT ON lg_stock_move
        BEGIN
          INSERT INTO lg_stock_month (item_id, period, quantity, value)
          SELECT NEW.item_id, {_PERIOD},
                 {_carried("quantity", "NEW.item_id", _PERIOD)},
                 {_carried("value", "NEW.item_id", _PERIOD)}
          WHERE NOT EXISTS (SELECT 1 FROM lg_stock_month
                            WHERE item_id = NEW.item_id AND period = {_PERIOD});
          UPDATE lg_stock_month SET quantity = quantity + NEW.quantity,
                                    value = value + NEW.value
          WHERE item_id = NEW.item_id AND period >= {_PERIOD};
        END""",
        f"""CREATE TRIGGER lg_stock_month_insert_guard BEFORE INSERT ON lg_stock_month
        WHEN NOT EXISTS (SELECT 1 FROM {_LAST_MOVE} m
                         WHERE m.item_id = NEW.item_id AND substr(m.date, 1, 7) = NEW.period
                           AND NEW.quantity = {_carried("quantity", "NEW.item_id", "NEW.period")}
                           AND NEW.value = {_carried("value", "NEW.item_id", "NEW.period")})
        BEGIN SELECT RAISE(ABORT, '{M_MONTH}'); END""",
        f"""CREATE TRIGGER lg_stock_month_update_guard BEFORE UPDATE ON lg_stock_month
        WHEN NOT EXISTS (SELECT 1 FROM {_LAST_MOVE} m
                         WHERE m.item_id = OLD.item_id AND OLD.period >= substr(m.date, 1, 7)
                           AND NEW.quantity = OLD.quantity + m.quantity
                           AND NEW.value = OLD.value + m.value)
          OR NEW.item_id <> OLD.item_id OR NEW.period <> OLD.period
        BEGIN SELECT RAISE(ABORT, '{M_MONTH}'); END""",
        f"""CREATE TRIGGER lg_stock_month_no_delete BEFORE DELETE ON lg_stock_month
        BEGIN SELECT RAISE(ABORT, '{M_MONTH}'); END""",
    ],
}
"""The monthly totals' trigger and guards on SQLite (:data:`POSTGRES_TRIGGERS` on PostgreSQL)."""

_PG_PERIOD = "to_char(NEW.date, 'YYYY-MM')"

# The moves of one item already queue on its lg_item row (0007's lg_stock_move_check locks
# it FOR UPDATE), so the running totals read here are the ones this move lands on.
_PG_MONTH = f"""INSERT INTO lg_stock_month (item_id, period, quantity, value)
  VALUES (NEW.item_id, {_PG_PERIOD},
          {_carried("quantity", "NEW.item_id", _PG_PERIOD)},
          {_carried("value", "NEW.item_id", _PG_PERIOD)})
  ON CONFLICT (item_id, period) DO NOTHING;
  UPDATE lg_stock_month SET quantity = quantity + NEW.quantity, value = value + NEW.value
  WHERE item_id = NEW.item_id AND period >= {_PG_PERIOD};"""

# A scan waits for a stock-take being closed (and the close for the scan), so no scan lands
# in a stock-take after it was closed.
_PG_SCAN = f"""PERFORM 1 FROM it_stocktake WHERE id = NEW.stocktake_id FOR SHARE;
  IF (SELECT status FROM it_stocktake WHERE id = NEW.stocktake_id) IS DISTINCT FROM 'open' THEN
    RAISE EXCEPTION '{M_STOCKTAKE}' USING ERRCODE = 'check_violation';
  END IF;"""

POSTGRES_TRIGGERS: list[tuple[str, str, list[str]]] = [
    (
        "lg_stock_move_month",
        "lg_stock_move",
        pg_trigger("lg_stock_move_month", "lg_stock_move", "INSERT", _PG_MONTH, timing="AFTER"),
    ),
    (
        # Only lg_stock_move_month (a trigger, so one level down) writes the monthly totals.
        "lg_stock_month_guard",
        "lg_stock_month",
        pg_guard(
            "lg_stock_month_guard",
            "lg_stock_month",
            "INSERT OR UPDATE OR DELETE",
            "pg_trigger_depth() < 2 OR TG_OP = 'DELETE'",
            M_MONTH,
        ),
    ),
    (
        "it_stocktake_scan_open",
        "it_stocktake_scan",
        pg_trigger("it_stocktake_scan_open", "it_stocktake_scan", "INSERT", _PG_SCAN),
    ),
]
"""(name, table, statements) of the same rules in PL/pgSQL."""

_MONTH_OF_DATE = {"sqlite": "substr(date, 1, 7)", "postgresql": "to_char(date, 'YYYY-MM')"}


def backfill(dialect: str) -> str:
    """The statement that sums the existing moves into ``lg_stock_month``."""
    month = _MONTH_OF_DATE.get(dialect, _MONTH_OF_DATE["sqlite"])
    return f"""INSERT INTO lg_stock_month (item_id, period, quantity, value)
    SELECT item_id, period,
           SUM(q) OVER (PARTITION BY item_id ORDER BY period),
           SUM(v) OVER (PARTITION BY item_id ORDER BY period)
    FROM (SELECT item_id, {month} AS period, SUM(quantity) AS q, SUM(value) AS v
          FROM lg_stock_move GROUP BY item_id, {month}) AS monthly"""


def upgrade() -> None:
    with op.batch_alter_table("it_ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("paused_minutes", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "it_stocktake",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_it_stocktake_status"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "it_stocktake_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stocktake_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("scanned_at", sa.DateTime(), nullable=False),
        sa.Column("scanned_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["asset_id"], ["it_asset.id"]),
        sa.ForeignKeyConstraint(["stocktake_id"], ["it_stocktake.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stocktake_id", "asset_id", name="uq_it_stocktake_scan"),
    )
    op.create_table(
        "lg_stock_month",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["lg_item.id"]),
        sa.PrimaryKeyConstraint("item_id", "period"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("lg_stock_month", schema=None) as batch_op:
        batch_op.create_index(
            "ix_lg_stock_month_period", ["period", "item_id", "quantity", "value"], unique=False
        )
    with op.batch_alter_table("lg_stock_move", schema=None) as batch_op:
        batch_op.create_index("ix_lg_move_ref", ["source_ref"], unique=False)
        batch_op.drop_index("ix_lg_move_date")
        batch_op.create_index(
            "ix_lg_move_date", ["date", "item_id", "quantity", "value"], unique=False
        )
    # The guards would refuse the backfill: sum first, then arm them.
    dialect = op.get_bind().dialect.name
    op.execute(backfill(dialect))
    for statement in MONTH_TRIGGERS.get(dialect, []) + STOCKTAKE_TRIGGERS.get(dialect, []):
        op.execute(statement)
    if dialect == "postgresql":
        for _name, _table, statements in POSTGRES_TRIGGERS:
            for statement in statements:
                op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in (
            "lg_stock_move_month",
            "lg_stock_month_insert_guard",
            "lg_stock_month_update_guard",
            "lg_stock_month_no_delete",
            "it_stocktake_scan_open",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _statements in POSTGRES_TRIGGERS:
            for statement in pg_guard_drop(name, table):
                op.execute(statement)
    with op.batch_alter_table("lg_stock_move", schema=None) as batch_op:
        batch_op.drop_index("ix_lg_move_date")
        batch_op.create_index("ix_lg_move_date", ["date"], unique=False)
        batch_op.drop_index("ix_lg_move_ref")
    with op.batch_alter_table("lg_stock_month", schema=None) as batch_op:
        batch_op.drop_index("ix_lg_stock_month_period")
    op.drop_table("lg_stock_month")
    op.drop_table("it_stocktake_scan")
    op.drop_table("it_stocktake")
    with op.batch_alter_table("it_ticket", schema=None) as batch_op:
        batch_op.drop_column("paused_minutes")
        batch_op.drop_column("paused_at")
