"""logistics: items, bins and lots, the stock-move ledger, purchasing, selling, counts

Revision ID: 0007
Revises: 0004

Besides the tables, triggers make the database itself refuse what the stock ledger must never
allow: a change to or deletion of a stock move (a wrong move is corrected by a reversing one),
a move that takes on-hand per item, location and lot below zero (unless the item allows it), a
lot-tracked item's move without a lot or with another item's lot, a move dated in a closed
period, and a delivery of a lot past its expiry date. The same triggers keep the balances per
item, location and lot and each item's quantity and value in step with the moves.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bo_console.core.guards import (
    pg_creates,
    pg_drops,
    pg_guard,
    pg_raise_if,
    pg_trigger,
    sqlite_trigger_drops,
)

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lg_warehouse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "lg_item",
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("name_ar", sa.String(length=160), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("lot_tracked", sa.Boolean(), nullable=False),
        sa.Column("allow_negative", sa.Boolean(), nullable=False),
        sa.Column("reorder_point", sa.Integer(), nullable=False),
        sa.Column("reorder_qty", sa.Integer(), nullable=False),
        sa.Column("costing", sa.String(length=10), nullable=False),
        sa.Column("standard_cost", sa.Integer(), nullable=False),
        sa.Column("sale_price", sa.Integer(), nullable=False),
        sa.Column("tax_code", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("search_key", sa.String(length=400), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("stock_value", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "costing = 'average' OR standard_cost > 0", name="ck_lg_item_standard_cost"
        ),
        sa.CheckConstraint("costing IN ('average', 'standard')", name="ck_lg_item_costing"),
        sa.CheckConstraint("allow_negative OR on_hand >= 0", name="ck_lg_item_on_hand"),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["fin_party.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lg_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lg_item_search_key"), ["search_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_lg_item_sku"), ["sku"], unique=True)
        batch_op.create_index(batch_op.f("ix_lg_item_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "lg_location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("label", sa.String(length=41), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["lg_warehouse.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("label"),
        sa.UniqueConstraint("warehouse_id", "code", name="uq_lg_location_code"),
    )
    op.create_table(
        "lg_sales_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("requested", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'confirmed', 'partly_delivered', 'delivered', 'closed', 'cancelled')",  # noqa: E501
            name="ck_lg_so_status",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["fin_party.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("lg_sales_order", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lg_sales_order_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lg_sales_order_status"), ["status"], unique=False)

    op.create_table(
        "lg_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("difference_value", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("posted_by", sa.String(length=64), nullable=True),
        sa.Column("entry_ref", sa.String(length=20), nullable=False),
        sa.CheckConstraint("status IN ('open', 'posted', 'cancelled')", name="ck_lg_count_status"),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["lg_location.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_table(
        "lg_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=60), nullable=False),
        sa.Column("tracking", sa.String(length=60), nullable=False),
        sa.Column("route", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("entry_ref", sa.String(length=20), nullable=False),
        sa.Column("invoice", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'shipped', 'delivered', 'failed')", name="ck_lg_delivery_status"
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["lg_location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["lg_sales_order.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("lg_delivery", schema=None) as batch_op:
        batch_op.create_index("ix_lg_delivery_dispatch", ["date", "route"], unique=False)
        batch_op.create_index(batch_op.f("ix_lg_delivery_order_id"), ["order_id"], unique=False)

    op.create_table(
        "lg_item_barcode",
        sa.Column("barcode", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lg_item.id"],
        ),
        sa.PrimaryKeyConstraint("barcode"),
    )
    with op.batch_alter_table("lg_item_barcode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lg_item_barcode_item_id"), ["item_id"], unique=False)

    op.create_table(
        "lg_lot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_no", sa.String(length=40), nullable=False),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lg_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "lot_no", name="uq_lg_lot"),
    )
    op.create_table(
        "lg_purchase_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("expected", sa.Date(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("approval_limit", sa.Integer(), nullable=False),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'approved', 'sent', 'partly_received', 'received', 'closed', 'cancelled')",  # noqa: E501
            name="ck_lg_po_status",
        ),
        sa.CheckConstraint(
            "approved_by IS NULL OR total <= approval_limit OR approved_by <> created_by",
            name="ck_lg_po_approver",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["lg_location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["fin_party.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("lg_purchase_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lg_purchase_order_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lg_purchase_order_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "lg_so_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("tax_code", sa.String(length=16), nullable=False),
        sa.Column("delivered_qty", sa.Integer(), nullable=False),
        sa.Column("invoiced_qty", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "delivered_qty >= 0 AND delivered_qty <= quantity", name="ck_lg_so_line_delivered"
        ),
        sa.CheckConstraint(
            "invoiced_qty >= 0 AND invoiced_qty <= delivered_qty", name="ck_lg_so_line_invoiced"
        ),
        sa.CheckConstraint("quantity > 0 AND unit_price >= 0", name="ck_lg_so_line_amounts"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lg_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["lg_sales_order.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lg_so_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lg_so_line_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lg_so_line_order_id"), ["order_id"], unique=False)

    op.create_table(
        "lg_stock_balance",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("lot_key", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lg_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["lg_location.id"],
        ),
        sa.PrimaryKeyConstraint("item_id", "location_id", "lot_key"),
    )
    op.create_table(
        "lg_count_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("lot_key", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("system_qty", sa.Integer(), nullable=True),
        sa.CheckConstraint("counted >= 0", name="ck_lg_count_line_counted"),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["lg_count.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lg_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["lg_lot.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("count_id", "item_id", "lot_key", name="uq_lg_count_line"),
    )
    with op.batch_alter_table("lg_count_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lg_count_line_count_id"), ["count_id"], unique=False)

    op.create_table(
        "lg_delivery_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("so_line_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name="ck_lg_delivery_line_quantity"),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["lg_delivery.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lg_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["lg_lot.id"],
        ),
        sa.ForeignKeyConstraint(
            ["so_line_id"],
            ["lg_so_line.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lg_delivery_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lg_delivery_line_delivery_id"), ["delivery_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lg_delivery_line_so_line_id"), ["so_line_id"], unique=False
        )

    op.create_table(
        "lg_po_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("max_receive", sa.Integer(), nullable=False),
        sa.Column("received_qty", sa.Integer(), nullable=False),
        sa.Column("billed_qty", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "billed_qty >= 0 AND billed_qty <= received_qty", name="ck_lg_po_line_billed"
        ),
        sa.CheckConstraint("quantity > 0 AND unit_price >= 0", name="ck_lg_po_line_amounts"),
        sa.CheckConstraint(
            "received_qty >= 0 AND received_qty <= max_receive", name="ck_lg_po_line_received"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lg_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["lg_purchase_order.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lg_po_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lg_po_line_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lg_po_line_order_id"), ["order_id"], unique=False)

    op.create_table(
        "lg_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("entry_ref", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["lg_location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["lg_purchase_order.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("lg_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lg_receipt_order_id"), ["order_id"], unique=False)

    op.create_table(
        "lg_stock_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("source_ref", sa.String(length=40), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("memo", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "kind IN ('receipt', 'issue', 'transfer', 'adjustment', 'return', 'reversal', 'opening')",  # noqa: E501
            name="ck_lg_move_kind",
        ),
        sa.CheckConstraint(
            "(quantity > 0 AND value >= 0) OR (quantity < 0 AND value <= 0)",
            name="ck_lg_move_value_sign",
        ),
        sa.CheckConstraint("quantity <> 0", name="ck_lg_move_quantity"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lg_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["lg_location.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["lg_lot.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["lg_stock_move.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("lg_stock_move", schema=None) as batch_op:
        batch_op.create_index("ix_lg_move_date", ["date"], unique=False)
        batch_op.create_index("ix_lg_move_item", ["item_id", "location_id", "lot_id"], unique=False)
        batch_op.create_index(
            "ix_lg_move_reverses",
            ["reverses_id"],
            unique=True,
            sqlite_where=sa.text("reverses_id IS NOT NULL"),
            postgresql_where=sa.text("reverses_id IS NOT NULL"),
        )
        batch_op.create_index("ix_lg_move_source", ["source", "source_ref"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_lg_stock_move_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "lg_receipt_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("po_line_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("billed_qty", sa.Integer(), nullable=False),
        sa.Column("billed_value", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "billed_qty >= 0 AND billed_qty <= quantity", name="ck_lg_receipt_line_billed"
        ),
        sa.CheckConstraint(
            "billed_value >= 0 AND billed_value <= value", name="ck_lg_receipt_line_value"
        ),
        sa.CheckConstraint("quantity > 0", name="ck_lg_receipt_line_quantity"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["lg_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["lg_lot.id"],
        ),
        sa.ForeignKeyConstraint(
            ["po_line_id"],
            ["lg_po_line.id"],
        ),
        sa.ForeignKeyConstraint(
            ["receipt_id"],
            ["lg_receipt.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lg_receipt_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lg_receipt_line_po_line_id"), ["po_line_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_lg_receipt_line_receipt_id"), ["receipt_id"], unique=False
        )

    for statement in STOCK_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    if op.get_bind().dialect.name == "postgresql":
        for statement in pg_creates(POSTGRES_TRIGGERS):
            op.execute(statement)


M_IMMUTABLE = "lg_stock_move: a stock move is never changed or deleted; post a reversing move"
M_NEGATIVE = "lg_stock_move: on-hand of this item, location and lot would go below zero"
M_LOT = "lg_stock_move: a lot-tracked item moves with one of its own lots"
M_CLOSED = "lg_stock_move: the period of this move is closed"
M_EXPIRED = "lg_stock_move: an expired lot cannot be delivered"
M_BALANCE = "lg_stock_balance: kept from the stock moves; it is never written directly"

_LOT_KEY = "COALESCE(NEW.lot_id, 0)"
_HAVE = (
    "COALESCE((SELECT quantity FROM lg_stock_balance WHERE item_id = NEW.item_id "
    f"AND location_id = NEW.location_id AND lot_key = {_LOT_KEY}), 0)"
)

_LAST_MOVE = (
    "(SELECT item_id, location_id, lot_id, quantity FROM lg_stock_move ORDER BY id DESC LIMIT 1)"
)

STOCK_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER lg_stock_move_no_update BEFORE UPDATE ON lg_stock_move
        BEGIN SELECT RAISE(ABORT, '{M_IMMUTABLE}'); END""",
        f"""CREATE TRIGGER lg_stock_move_no_delete BEFORE DELETE ON lg_stock_move
        BEGIN SELECT RAISE(ABORT, '{M_IMMUTABLE}'); END""",
        f"""CREATE TRIGGER lg_stock_move_check BEFORE INSERT ON lg_stock_move
        BEGIN
          SELECT CASE
            WHEN NEW.quantity < 0
                 AND NOT (SELECT allow_negative FROM lg_item WHERE id = NEW.item_id)
                 AND {_HAVE} + NEW.quantity < 0
              THEN RAISE(ABORT, '{M_NEGATIVE}')
            WHEN (SELECT lot_tracked FROM lg_item WHERE id = NEW.item_id)
                 AND (NEW.lot_id IS NULL
                      OR (SELECT item_id FROM lg_lot WHERE id = NEW.lot_id) IS NOT NEW.item_id)
              THEN RAISE(ABORT, '{M_LOT}')
            WHEN NEW.lot_id IS NOT NULL
                 AND (SELECT item_id FROM lg_lot WHERE id = NEW.lot_id) IS NOT NEW.item_id
              THEN RAISE(ABORT, '{M_LOT}')
            WHEN EXISTS (SELECT 1 FROM fin_period
                         WHERE period = substr(NEW.date, 1, 7) AND status = 'closed')
              THEN RAISE(ABORT, '{M_CLOSED}')
            WHEN NEW.source = 'delivery' AND NEW.quantity < 0
                 AND (SELECT expiry FROM lg_lot WHERE id = NEW.lot_id) < NEW.date
              THEN RAISE(ABORT, '{M_EXPIRED}')
          END;
        END""",
        f"""CREATE TRIGGER lg_stock_move_apply AFTER INSERT ON lg_stock_move
        BEGIN
          INSERT INTO lg_stock_balance (item_id, location_id, lot_key, quantity)
          VALUES (NEW.item_id, NEW.location_id, {_LOT_KEY}, NEW.quantity)
          ON CONFLICT (item_id, location_id, lot_key)
          DO UPDATE SET quantity = quantity + excluded.quantity;
          UPDATE lg_item SET on_hand = on_hand + NEW.quantity,
                             stock_value = stock_value + NEW.value
          WHERE id = NEW.item_id;
        END""",
        f"""CREATE TRIGGER lg_stock_balance_insert_guard BEFORE INSERT ON lg_stock_balance
        WHEN NOT EXISTS (SELECT 1 FROM {_LAST_MOVE} m
                         WHERE m.item_id = NEW.item_id AND m.location_id = NEW.location_id
                           AND COALESCE(m.lot_id, 0) = NEW.lot_key
                           AND m.quantity = NEW.quantity)
        BEGIN SELECT RAISE(ABORT, '{M_BALANCE}'); END""",
        f"""CREATE TRIGGER lg_stock_balance_update_guard BEFORE UPDATE ON lg_stock_balance
        WHEN NOT EXISTS (SELECT 1 FROM {_LAST_MOVE} m
                         WHERE m.item_id = OLD.item_id AND m.location_id = OLD.location_id
                           AND COALESCE(m.lot_id, 0) = OLD.lot_key
                           AND NEW.quantity = OLD.quantity + m.quantity)
          OR NEW.item_id <> OLD.item_id OR NEW.location_id <> OLD.location_id
          OR NEW.lot_key <> OLD.lot_key
        BEGIN SELECT RAISE(ABORT, '{M_BALANCE}'); END""",
        f"""CREATE TRIGGER lg_stock_balance_no_delete BEFORE DELETE ON lg_stock_balance
        BEGIN SELECT RAISE(ABORT, '{M_BALANCE}'); END""",
    ],
}
"""The stock ledger's guards per dialect."""

_PG_CHECK = "\n  ".join(
    [
        "-- Moves of one item queue on its row: the on-hand read below is then the one",
        "-- the move lands on (the AFTER trigger updates this row too).",
        "PERFORM 1 FROM lg_item WHERE id = NEW.item_id FOR UPDATE;",
        pg_raise_if(
            "NEW.quantity < 0\n"
            "     AND NOT (SELECT allow_negative FROM lg_item WHERE id = NEW.item_id)\n"
            f"     AND {_HAVE} + NEW.quantity < 0",
            M_NEGATIVE,
        ),
        pg_raise_if(
            "((SELECT lot_tracked FROM lg_item WHERE id = NEW.item_id) AND NEW.lot_id IS NULL)\n"
            "     OR (NEW.lot_id IS NOT NULL"
            " AND (SELECT item_id FROM lg_lot WHERE id = NEW.lot_id)\n"
            "         IS DISTINCT FROM NEW.item_id)",
            M_LOT,
        ),
        pg_raise_if(
            "EXISTS (SELECT 1 FROM fin_period\n"
            "             WHERE period = to_char(NEW.date, 'YYYY-MM') AND status = 'closed')",
            M_CLOSED,
        ),
        pg_raise_if(
            "NEW.source = 'delivery' AND NEW.quantity < 0\n"
            "     AND (SELECT expiry FROM lg_lot WHERE id = NEW.lot_id) < NEW.date",
            M_EXPIRED,
        ),
    ]
)

_PG_APPLY = f"""INSERT INTO lg_stock_balance (item_id, location_id, lot_key, quantity)
  VALUES (NEW.item_id, NEW.location_id, {_LOT_KEY}, NEW.quantity)
  ON CONFLICT (item_id, location_id, lot_key)
  DO UPDATE SET quantity = lg_stock_balance.quantity + excluded.quantity;
  UPDATE lg_item SET on_hand = on_hand + NEW.quantity, stock_value = stock_value + NEW.value
  WHERE id = NEW.item_id;"""

POSTGRES_TRIGGERS: list[tuple[str, str, list[str]]] = [
    (
        "lg_stock_move_immutable",
        "lg_stock_move",
        pg_guard(
            "lg_stock_move_immutable", "lg_stock_move", "UPDATE OR DELETE", "true", M_IMMUTABLE
        ),
    ),
    (
        "lg_stock_move_check",
        "lg_stock_move",
        pg_trigger("lg_stock_move_check", "lg_stock_move", "INSERT", _PG_CHECK),
    ),
    (
        "lg_stock_move_apply",
        "lg_stock_move",
        pg_trigger("lg_stock_move_apply", "lg_stock_move", "INSERT", _PG_APPLY, timing="AFTER"),
    ),
    (
        # Only lg_stock_move_apply (a trigger, so one level down) writes the balances.
        "lg_stock_balance_guard",
        "lg_stock_balance",
        pg_guard(
            "lg_stock_balance_guard",
            "lg_stock_balance",
            "INSERT OR UPDATE OR DELETE",
            "pg_trigger_depth() < 2 OR TG_OP = 'DELETE'",
            M_BALANCE,
        ),
    ),
]
"""(name, table, statements) of the same guards in PL/pgSQL."""


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in pg_drops(POSTGRES_TRIGGERS):
            op.execute(statement)
    if op.get_bind().dialect.name == "sqlite":
        for statement in sqlite_trigger_drops(STOCK_TRIGGERS["sqlite"]):
            op.execute(statement)
    with op.batch_alter_table("lg_receipt_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_receipt_line_receipt_id"))
        batch_op.drop_index(batch_op.f("ix_lg_receipt_line_po_line_id"))

    op.drop_table("lg_receipt_line")
    with op.batch_alter_table("lg_stock_move", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_stock_move_location_id"))
        batch_op.drop_index("ix_lg_move_source")
        batch_op.drop_index("ix_lg_move_reverses", sqlite_where=sa.text("reverses_id IS NOT NULL"))
        batch_op.drop_index("ix_lg_move_item")
        batch_op.drop_index("ix_lg_move_date")

    op.drop_table("lg_stock_move")
    with op.batch_alter_table("lg_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_receipt_order_id"))

    op.drop_table("lg_receipt")
    with op.batch_alter_table("lg_po_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_po_line_order_id"))
        batch_op.drop_index(batch_op.f("ix_lg_po_line_item_id"))

    op.drop_table("lg_po_line")
    with op.batch_alter_table("lg_delivery_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_delivery_line_so_line_id"))
        batch_op.drop_index(batch_op.f("ix_lg_delivery_line_delivery_id"))

    op.drop_table("lg_delivery_line")
    with op.batch_alter_table("lg_count_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_count_line_count_id"))

    op.drop_table("lg_count_line")
    op.drop_table("lg_stock_balance")
    with op.batch_alter_table("lg_so_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_so_line_order_id"))
        batch_op.drop_index(batch_op.f("ix_lg_so_line_item_id"))

    op.drop_table("lg_so_line")
    with op.batch_alter_table("lg_purchase_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_purchase_order_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_lg_purchase_order_status"))

    op.drop_table("lg_purchase_order")
    op.drop_table("lg_lot")
    with op.batch_alter_table("lg_item_barcode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_item_barcode_item_id"))

    op.drop_table("lg_item_barcode")
    with op.batch_alter_table("lg_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_delivery_order_id"))
        batch_op.drop_index("ix_lg_delivery_dispatch")

    op.drop_table("lg_delivery")
    op.drop_table("lg_count")
    with op.batch_alter_table("lg_sales_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_sales_order_status"))
        batch_op.drop_index(batch_op.f("ix_lg_sales_order_customer_id"))

    op.drop_table("lg_sales_order")
    op.drop_table("lg_location")
    with op.batch_alter_table("lg_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lg_item_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_lg_item_sku"))
        batch_op.drop_index(batch_op.f("ix_lg_item_search_key"))

    op.drop_table("lg_item")
    op.drop_table("lg_warehouse")
