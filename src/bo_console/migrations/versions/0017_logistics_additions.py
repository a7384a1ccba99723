"""Logistics: customer returns, purchase units, serial numbers

Revision ID: 0017
Revises: 0016

An item may be bought in a purchase unit (``lg_item.purchase_unit``, holding
``purchase_factor`` base units); a purchase order line remembers the unit it was ordered in
(``lg_po_line.unit``, ``unit_factor``) while its quantity stays in whole base units, a
multiple of the factor.

``lg_return`` is a return note against a sales order, ``lg_return_line`` what came back for
one order line (and lot). The database refuses a return line that takes back more than the
line shipped less what was already returned, and any change or removal of a return line (a
wrong return is corrected by shipping again).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import pg_guard, pg_guard_drop, pg_trigger

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

M_TOO_MANY = "lg_return_line: more than the order line shipped less what was returned"
M_IMMUTABLE = "lg_return_line: a return line is never changed or removed"


def _over(new: str) -> str:
    """True when the return line ``new`` takes back more than is still out."""
    return (
        f"{new}.quantity + COALESCE((SELECT SUM(quantity) FROM lg_return_line "
        f"WHERE so_line_id = {new}.so_line_id), 0) "
        f"> COALESCE((SELECT delivered_qty FROM lg_so_line WHERE id = {new}.so_line_id), 0)"
    )


M_SERIAL = (
    "lg_serial_move: a serial comes in only when out of stock, and leaves only from where it is"
)
M_SERIAL_FIXED = "lg_serial_move: a serial and its history are never changed or removed"

_LAST = (
    "(SELECT direction, location_id FROM lg_serial_move WHERE serial_id = NEW.serial_id "
    "ORDER BY id DESC LIMIT 1)"
)
_SERIAL_WRONG = (
    f"(NEW.direction = 'in' AND EXISTS (SELECT 1 FROM {_LAST} AS m WHERE m.direction = 'in')) "
    f"OR (NEW.direction = 'out' AND NOT EXISTS (SELECT 1 FROM {_LAST} AS m "
    "WHERE m.direction = 'in' AND m.location_id = NEW.location_id))"
)

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER lg_serial_move_check BEFORE INSERT ON lg_serial_move
    WHEN {_SERIAL_WRONG}
    BEGIN SELECT RAISE(ABORT, '{M_SERIAL}'); END""",
    f"""CREATE TRIGGER lg_serial_move_no_update BEFORE UPDATE ON lg_serial_move
    BEGIN SELECT RAISE(ABORT, '{M_SERIAL_FIXED}'); END""",
    f"""CREATE TRIGGER lg_serial_move_no_delete BEFORE DELETE ON lg_serial_move
    BEGIN SELECT RAISE(ABORT, '{M_SERIAL_FIXED}'); END""",
    f"""CREATE TRIGGER lg_serial_no_update BEFORE UPDATE ON lg_serial
    BEGIN SELECT RAISE(ABORT, '{M_SERIAL_FIXED}'); END""",
    f"""CREATE TRIGGER lg_return_line_limit BEFORE INSERT ON lg_return_line
    WHEN {_over("NEW")}
    BEGIN SELECT RAISE(ABORT, '{M_TOO_MANY}'); END""",
    f"""CREATE TRIGGER lg_return_line_no_update BEFORE UPDATE ON lg_return_line
    BEGIN SELECT RAISE(ABORT, '{M_IMMUTABLE}'); END""",
    f"""CREATE TRIGGER lg_return_line_no_delete BEFORE DELETE ON lg_return_line
    BEGIN SELECT RAISE(ABORT, '{M_IMMUTABLE}'); END""",
]

# Returns of one order line queue on its row, so two clerks taking back the last unit at the
# same moment cannot both pass the check.
_PG_LIMIT = f"""PERFORM 1 FROM lg_so_line WHERE id = NEW.so_line_id FOR UPDATE;
  IF {_over("NEW")} THEN
    RAISE EXCEPTION '{M_TOO_MANY}' USING ERRCODE = 'check_violation';
  END IF;"""

# Moves of one serial queue on its row, so two clerks cannot ship the same serial at once.
_PG_SERIAL = f"""PERFORM 1 FROM lg_serial WHERE id = NEW.serial_id FOR UPDATE;
  IF {_SERIAL_WRONG} THEN
    RAISE EXCEPTION '{M_SERIAL}' USING ERRCODE = 'check_violation';
  END IF;"""

POSTGRES_TRIGGERS: list[tuple[str, str, list[str]]] = [
    (
        "lg_serial_move_check",
        "lg_serial_move",
        pg_trigger("lg_serial_move_check", "lg_serial_move", "INSERT", _PG_SERIAL),
    ),
    (
        "lg_serial_move_immutable",
        "lg_serial_move",
        pg_guard(
            "lg_serial_move_immutable", "lg_serial_move", "UPDATE OR DELETE", "true", M_SERIAL_FIXED
        ),
    ),
    (
        "lg_serial_immutable",
        "lg_serial",
        pg_guard("lg_serial_immutable", "lg_serial", "UPDATE", "true", M_SERIAL_FIXED),
    ),
    (
        "lg_return_line_limit",
        "lg_return_line",
        pg_trigger("lg_return_line_limit", "lg_return_line", "INSERT", _PG_LIMIT),
    ),
    (
        "lg_return_line_immutable",
        "lg_return_line",
        pg_guard(
            "lg_return_line_immutable", "lg_return_line", "UPDATE OR DELETE", "true", M_IMMUTABLE
        ),
    ),
]
"""(name, table, statements) of the same rules in PL/pgSQL."""


def _add_column(table: str, column: sa.Column[Any]) -> None:
    """ADD COLUMN, unless a downgrade of this revision left the column in place."""
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
    if column.name not in present:
        op.add_column(table, column)


def upgrade() -> None:
    # Plain ADD COLUMN (not a batch copy): the tables keep their triggers.
    _add_column(
        "lg_item",
        sa.Column("purchase_unit", sa.String(length=16), nullable=False, server_default=""),
    )
    _add_column(
        "lg_item",
        sa.Column(
            "purchase_factor",
            sa.Integer(),
            sa.CheckConstraint("purchase_factor >= 1", name="ck_lg_item_purchase_factor"),
            nullable=False,
            server_default="1",
        ),
    )
    _add_column(
        "lg_item",
        sa.Column("serial_tracked", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    _add_column(
        "lg_po_line", sa.Column("unit", sa.String(length=16), nullable=False, server_default="")
    )
    _add_column(
        "lg_po_line",
        sa.Column(
            "unit_factor",
            sa.Integer(),
            sa.CheckConstraint(
                "unit_factor >= 1 AND quantity % unit_factor = 0", name="ck_lg_po_line_unit"
            ),
            nullable=False,
            server_default="1",
        ),
    )
    op.create_table(
        "lg_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("disposition", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("credit_value", sa.Integer(), nullable=False),
        sa.Column("invoice", sa.String(length=20), nullable=True),
        sa.Column("entry_ref", sa.String(length=20), nullable=False),
        sa.Column("work_item_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "disposition IN ('restock', 'quarantine')", name="ck_lg_return_disposition"
        ),
        sa.ForeignKeyConstraint(["location_id"], ["lg_location.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["lg_sales_order.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("lg_return", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lg_return_order_id"), ["order_id"], unique=False)
    op.create_table(
        "lg_return_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("so_line_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("credit_qty", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "quantity > 0 AND credit_qty >= 0 AND credit_qty <= quantity AND value >= 0",
            name="ck_lg_return_line_amounts",
        ),
        sa.ForeignKeyConstraint(["item_id"], ["lg_item.id"]),
        sa.ForeignKeyConstraint(["lot_id"], ["lg_lot.id"]),
        sa.ForeignKeyConstraint(["return_id"], ["lg_return.id"]),
        sa.ForeignKeyConstraint(["so_line_id"], ["lg_so_line.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lg_return_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lg_return_line_return_id"), ["return_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lg_return_line_so_line_id"), ["so_line_id"], unique=False
        )
    op.create_table(
        "lg_serial",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["lg_item.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "serial", name="uq_lg_serial"),
    )
    op.create_table(
        "lg_serial_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("source_ref", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint("direction IN ('in', 'out')", name="ck_lg_serial_direction"),
        sa.ForeignKeyConstraint(["location_id"], ["lg_location.id"]),
        sa.ForeignKeyConstraint(["serial_id"], ["lg_serial.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("lg_serial_move", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lg_serial_move_serial_id"), ["serial_id"], unique=False
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
        for name in (
            "lg_return_line_limit",
            "lg_return_line_no_update",
            "lg_return_line_no_delete",
            "lg_serial_move_check",
            "lg_serial_move_no_update",
            "lg_serial_move_no_delete",
            "lg_serial_no_update",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if dialect == "postgresql":
        for name, table, _statements in POSTGRES_TRIGGERS:
            for statement in pg_guard_drop(name, table):
                op.execute(statement)
    with op.batch_alter_table("lg_serial_move", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_serial_move_serial_id"))
    op.drop_table("lg_serial_move")
    op.drop_table("lg_serial")
    with op.batch_alter_table("lg_return_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_return_line_so_line_id"))
        batch_op.drop_index(batch_op.f("ix_lg_return_line_return_id"))
    op.drop_table("lg_return_line")
    with op.batch_alter_table("lg_return", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_return_order_id"))
    op.drop_table("lg_return")
    # The unit columns stay: dropping a column on SQLite copies the table, which would drop
    # the stock triggers of 0007 and 0013 with it; with their defaults they change nothing,
    # and upgrading again keeps them (``_add_column``).
