"""Logistics tables: items, warehouses and bins, lots, the stock-move ledger, purchase orders
and goods receipts, sales orders and deliveries (stock counts: ``count_models``).

Quantities are whole base units (integers); amounts are integer minor units of the base
currency. The ``0007`` migration makes the database itself refuse a change to a stock move, a
move that would take on-hand per item, location and lot below zero (unless the item allows it),
a move of a lot-tracked item without a lot, a move dated in a closed period, a delivery of an
expired lot, receiving more than an order line allows, billing more than was received, and
delivering or invoicing more than was ordered or delivered. Stock balances and each item's
quantity and value are kept by triggers from the moves.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime

from pydantic import field_validator, model_validator
from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bo_console.core.clock import utcnow
from bo_console.core.schema import partial_index

# Orders and items refer to finance's parties (suppliers, customers): their table must be known
# to the metadata whenever these are.
from bo_console.finance import document_models as _parties  # noqa: F401

COSTINGS = ("average", "standard")
MOVE_KINDS = ("receipt", "issue", "transfer", "adjustment", "return", "reversal", "opening")
PO_STATUSES = ("draft", "approved", "sent", "partly_received", "received", "closed", "cancelled")
SO_STATUSES = ("draft", "confirmed", "partly_delivered", "delivered", "closed", "cancelled")
SHIPMENT_STATUSES = ("planned", "shipped", "delivered", "failed")


def one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK clause: ``column`` is one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _clean(value: str) -> str:
    from bo_console.core.text import clean

    return clean(value)


# -- items --------------------------------------------------------------------------------------


class ItemBase(SQLModel):
    sku: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=160)
    name_ar: str = Field(default="", max_length=160)
    unit: str = Field(default="each", min_length=1, max_length=16)
    purchase_unit: str = Field(default="", max_length=16)
    """The unit suppliers sell it in ("box"), holding ``purchase_factor`` base units."""
    purchase_factor: int = Field(default=1, ge=1, le=10**6)
    lot_tracked: bool = Field(default=False)
    serial_tracked: bool = Field(default=False)
    allow_negative: bool = Field(default=False)
    reorder_point: int = Field(default=0, ge=0, le=10**9)
    reorder_qty: int = Field(default=0, ge=0, le=10**9)
    costing: str = Field(default="average", max_length=10)
    standard_cost: int = Field(default=0, ge=0, le=10**13)
    sale_price: int = Field(default=0, ge=0, le=10**13)
    tax_code: str = Field(default="S15", min_length=1, max_length=16)


class ItemCreate(ItemBase):
    """What a clerk gives to add an item (``supplier``: a supplier's code or name)."""

    supplier: str | None = Field(default=None, max_length=160)
    barcodes: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("sku")
    @classmethod
    def _sku(cls, value: str) -> str:
        value = _clean(value).upper()
        if not value or any(c.isspace() for c in value):
            raise ValueError("a SKU is one word (letters, digits, dashes)")
        return value

    @field_validator("name", "name_ar", "unit", "purchase_unit")
    @classmethod
    def _text(cls, value: str) -> str:
        return _clean(value)

    @field_validator("costing")
    @classmethod
    def _costing(cls, value: str) -> str:
        if value not in COSTINGS:
            raise ValueError(f"costing is one of {', '.join(COSTINGS)}")
        return value

    @field_validator("barcodes")
    @classmethod
    def _barcodes(cls, values: list[str]) -> list[str]:
        out = [_clean(v) for v in values if _clean(v)]
        if len(set(out)) != len(out):
            raise ValueError("a barcode is listed twice")
        if any(len(v) > 64 or any(c.isspace() for c in v) for v in out):
            raise ValueError("a barcode is one word of at most 64 characters")
        return out

    @model_validator(mode="after")
    def _standard(self) -> ItemCreate:
        if self.costing == "standard" and self.standard_cost <= 0:
            raise ValueError("an item at standard cost needs its standard cost")
        if bool(self.purchase_unit) != (self.purchase_factor > 1):
            raise ValueError("a purchase unit holds more than one base unit (give both)")
        if self.purchase_unit and self.purchase_unit.casefold() == self.unit.casefold():
            raise ValueError("the purchase unit differs from the base unit")
        if self.serial_tracked and (self.lot_tracked or self.allow_negative):
            raise ValueError("a serial-tracked item has no lots and no negative stock")
        return self


class ItemUpdate(SQLModel):
    """Changes to an item (fields left out stay as they are)."""

    name: str | None = Field(default=None, min_length=1, max_length=160)
    name_ar: str | None = Field(default=None, max_length=160)
    reorder_point: int | None = Field(default=None, ge=0, le=10**9)
    reorder_qty: int | None = Field(default=None, ge=0, le=10**9)
    supplier: str | None = Field(default=None, max_length=160)
    sale_price: int | None = Field(default=None, ge=0, le=10**13)
    active: bool | None = None


class Item(ItemBase, table=True):
    """A stocked item. ``on_hand`` and ``stock_value`` are kept by the database from the moves."""

    __tablename__ = "lg_item"
    __table_args__ = (
        CheckConstraint(one_of("costing", COSTINGS), name="ck_lg_item_costing"),
        CheckConstraint(
            "costing = 'average' OR standard_cost > 0", name="ck_lg_item_standard_cost"
        ),
        CheckConstraint("allow_negative OR on_hand >= 0", name="ck_lg_item_on_hand"),
        CheckConstraint("purchase_factor >= 1", name="ck_lg_item_purchase_factor"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=40, unique=True, index=True)
    search_key: str = Field(default="", max_length=400, index=True)
    supplier_id: int | None = Field(default=None, foreign_key="fin_party.id", index=True)
    active: bool = Field(default=True)
    on_hand: int = Field(default=0)
    stock_value: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)


class ItemBarcode(SQLModel, table=True):
    """A barcode printed on an item (an item may have several; a barcode names one item)."""

    __tablename__ = "lg_item_barcode"

    barcode: str = Field(primary_key=True, max_length=64)
    item_id: int = Field(foreign_key="lg_item.id", index=True)


class ItemView(SQLModel):
    """An item as both faces show it (average cost in minor units, rounded)."""

    id: int
    sku: str
    name: str
    name_ar: str
    unit: str
    purchase_unit: str
    purchase_factor: int
    lot_tracked: bool
    serial_tracked: bool
    allow_negative: bool
    reorder_point: int
    reorder_qty: int
    supplier: str | None
    costing: str
    standard_cost: int
    sale_price: int
    tax_code: str
    barcodes: list[str]
    active: bool
    on_hand: int
    stock_value: int
    average_cost: int


# -- warehouses, bins, lots ---------------------------------------------------------------------


class WarehouseCreate(SQLModel):
    code: str = Field(min_length=1, max_length=16)
    name: str = Field(min_length=1, max_length=120)
    name_ar: str = Field(default="", max_length=120)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = _clean(value).upper()
        if not value or not all(c.isalnum() or c in "-_" for c in value):
            raise ValueError("a warehouse code is letters, digits, '-' or '_'")
        return value


class Warehouse(SQLModel, table=True):
    __tablename__ = "lg_warehouse"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    name: str = Field(max_length=120)
    name_ar: str = Field(default="", max_length=120)
    active: bool = Field(default=True)


class Location(SQLModel, table=True):
    """A bin in a warehouse; people write it ``WAREHOUSE/BIN`` (``DMM/A-01``)."""

    __tablename__ = "lg_location"
    __table_args__ = (UniqueConstraint("warehouse_id", "code", name="uq_lg_location_code"),)

    id: int | None = Field(default=None, primary_key=True)
    warehouse_id: int = Field(foreign_key="lg_warehouse.id")
    code: str = Field(max_length=24)
    label: str = Field(max_length=41, unique=True)
    active: bool = Field(default=True)


class Lot(SQLModel, table=True):
    """A lot (batch) of an item, with its expiry date when it has one."""

    __tablename__ = "lg_lot"
    __table_args__ = (UniqueConstraint("item_id", "lot_no", name="uq_lg_lot"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="lg_item.id")
    lot_no: str = Field(max_length=40)
    expiry: date | None = None


# -- the stock ledger ---------------------------------------------------------------------------


class StockMove(SQLModel, table=True):
    """One change of stock at one location (and lot): never changed, corrected by a reversal.

    ``quantity`` is signed (in is positive); ``value`` is the signed amount it adds to the
    item's stock value, which is what it posts to the inventory account.
    """

    __tablename__ = "lg_stock_move"
    __table_args__ = (
        CheckConstraint(one_of("kind", MOVE_KINDS), name="ck_lg_move_kind"),
        CheckConstraint("quantity <> 0", name="ck_lg_move_quantity"),
        CheckConstraint(
            "(quantity > 0 AND value >= 0) OR (quantity < 0 AND value <= 0)",
            name="ck_lg_move_value_sign",
        ),
        Index("ix_lg_move_item", "item_id", "location_id", "lot_id"),
        # Covering: a valuation as at a date sums a month's moves from the index alone.
        Index("ix_lg_move_date", "date", "item_id", "quantity", "value"),
        Index("ix_lg_move_source", "source", "source_ref"),
        Index("ix_lg_move_ref", "source_ref"),
        partial_index(
            "ix_lg_move_reverses", "reverses_id", unique=True, where="reverses_id IS NOT NULL"
        ),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="lg_item.id")
    location_id: int = Field(foreign_key="lg_location.id", index=True)
    lot_id: int | None = Field(default=None, foreign_key="lg_lot.id")
    date: date
    kind: str = Field(max_length=12)
    quantity: int
    value: int
    source: str = Field(max_length=12)
    source_ref: str = Field(max_length=40)
    reverses_id: int | None = Field(default=None, foreign_key="lg_stock_move.id")
    memo: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)


class StockBalance(SQLModel, table=True):
    """On-hand per item, location and lot (``lot_key`` 0: no lot), kept by the move trigger."""

    __tablename__ = "lg_stock_balance"

    item_id: int = Field(foreign_key="lg_item.id", primary_key=True)
    location_id: int = Field(foreign_key="lg_location.id", primary_key=True)
    lot_key: int = Field(default=0, primary_key=True)
    quantity: int = Field(default=0)


class StockMonth(SQLModel, table=True):
    """Each item's running quantity and value at the end of each month it moved in
    (``period`` YYYY-MM), kept by a move trigger (``0013``): a valuation as at a date reads
    one row per item, not every move up to it. A month without moves has no row; the last
    row before it holds."""

    __tablename__ = "lg_stock_month"
    __table_args__ = (
        Index("ix_lg_stock_month_period", "period", "item_id", "quantity", "value"),
        {"sqlite_with_rowid": False},
    )

    item_id: int = Field(foreign_key="lg_item.id", primary_key=True)
    period: str = Field(max_length=7, primary_key=True)
    quantity: int = Field(default=0)
    value: int = Field(default=0)


class MoveView(SQLModel):
    id: int
    date: date
    kind: str
    sku: str
    location: str
    lot: str | None
    quantity: int
    value: int
    source: str
    source_ref: str
    reverses_id: int | None
    created_by: str


class BalanceView(SQLModel):
    sku: str
    name: str
    location: str
    lot: str | None
    expiry: date | None
    quantity: int


# -- purchasing ---------------------------------------------------------------------------------


class OrderLineCreate(SQLModel):
    """One line of a new purchase or sales order (``unit_price`` in minor units; on a sales
    order, None takes the item's sale price)."""

    item: str = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=10**9)
    unit_price: int | None = Field(default=None, ge=0, le=10**13)
    unit: str | None = Field(default=None, max_length=16)
    """The unit of ``quantity`` and ``unit_price`` on a purchase order: the item's base unit
    (None) or its purchase unit."""


class PurchaseOrderCreate(SQLModel):
    supplier: str = Field(min_length=1, max_length=160)
    date: date
    expected: dt.date | None = None
    location: str = Field(min_length=1, max_length=41)
    memo: str = Field(default="", max_length=200)
    lines: list[OrderLineCreate] = Field(min_length=1, max_length=500)


class PurchaseOrder(SQLModel, table=True):
    __tablename__ = "lg_purchase_order"
    __table_args__ = (
        CheckConstraint(one_of("status", PO_STATUSES), name="ck_lg_po_status"),
        CheckConstraint(
            "approved_by IS NULL OR total <= approval_limit OR approved_by <> created_by",
            name="ck_lg_po_approver",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    supplier_id: int = Field(foreign_key="fin_party.id", index=True)
    date: date
    expected: dt.date | None = None
    location_id: int = Field(foreign_key="lg_location.id")
    status: str = Field(default="draft", max_length=16, index=True)
    total: int = Field(default=0)
    approval_limit: int = Field(default=0)
    memo: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)
    approved_by: str | None = Field(default=None, max_length=64)


class PurchaseOrderLine(SQLModel, table=True):
    __tablename__ = "lg_po_line"
    __table_args__ = (
        CheckConstraint("quantity > 0 AND unit_price >= 0", name="ck_lg_po_line_amounts"),
        CheckConstraint(
            "received_qty >= 0 AND received_qty <= max_receive", name="ck_lg_po_line_received"
        ),
        CheckConstraint(
            "billed_qty >= 0 AND billed_qty <= received_qty", name="ck_lg_po_line_billed"
        ),
        CheckConstraint(
            "unit_factor >= 1 AND quantity % unit_factor = 0", name="ck_lg_po_line_unit"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="lg_purchase_order.id", index=True)
    line_no: int
    item_id: int = Field(foreign_key="lg_item.id", index=True)
    quantity: int
    unit_price: int
    max_receive: int
    received_qty: int = Field(default=0)
    billed_qty: int = Field(default=0)
    unit: str = Field(default="", max_length=16)
    """The purchase unit it was ordered in ("": the base unit); ``quantity`` and
    ``unit_price`` are always in base units."""
    unit_factor: int = Field(default=1)


class ReceiptLineCreate(SQLModel):
    """What arrived for one order line (``line``: its number on the order)."""

    line: int = Field(ge=1)
    quantity: int = Field(gt=0, le=10**9)
    lot: str | None = Field(default=None, max_length=40)
    expiry: date | None = None
    serials: list[str] = Field(default_factory=list, max_length=10_000)


class ReceiptCreate(SQLModel):
    order: str = Field(min_length=1, max_length=20)
    date: date
    location: str | None = Field(default=None, max_length=41)
    lines: list[ReceiptLineCreate] = Field(min_length=1, max_length=500)


class Receipt(SQLModel, table=True):
    """A goods receipt against a purchase order: it posts inventory against GRNI."""

    __tablename__ = "lg_receipt"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    order_id: int = Field(foreign_key="lg_purchase_order.id", index=True)
    date: date
    location_id: int = Field(foreign_key="lg_location.id")
    value: int = Field(default=0)
    entry_ref: str = Field(default="", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)


class ReceiptLine(SQLModel, table=True):
    __tablename__ = "lg_receipt_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="ck_lg_receipt_line_quantity"),
        CheckConstraint(
            "billed_qty >= 0 AND billed_qty <= quantity", name="ck_lg_receipt_line_billed"
        ),
        CheckConstraint(
            "billed_value >= 0 AND billed_value <= value", name="ck_lg_receipt_line_value"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="lg_receipt.id", index=True)
    po_line_id: int = Field(foreign_key="lg_po_line.id", index=True)
    item_id: int = Field(foreign_key="lg_item.id")
    lot_id: int | None = Field(default=None, foreign_key="lg_lot.id")
    quantity: int
    unit_price: int
    value: int
    billed_qty: int = Field(default=0)
    billed_value: int = Field(default=0)


# -- selling ------------------------------------------------------------------------------------


class SalesOrderCreate(SQLModel):
    customer: str = Field(min_length=1, max_length=160)
    date: date
    requested: dt.date | None = None
    memo: str = Field(default="", max_length=200)
    lines: list[OrderLineCreate] = Field(min_length=1, max_length=500)
    external_ref: str | None = Field(default=None, min_length=1, max_length=60)
    """The sender's reference of an order that came in from outside (a web shop, a partner):
    an order is received once per reference."""


class SalesOrder(SQLModel, table=True):
    __tablename__ = "lg_sales_order"
    __table_args__ = (
        CheckConstraint(one_of("status", SO_STATUSES), name="ck_lg_so_status"),
        partial_index(
            "ux_lg_sales_order_external_ref",
            "external_ref",
            where="external_ref IS NOT NULL",
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    customer_id: int = Field(foreign_key="fin_party.id", index=True)
    date: date
    requested: dt.date | None = None
    status: str = Field(default="draft", max_length=20, index=True)
    total: int = Field(default=0)
    memo: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)
    external_ref: str | None = Field(default=None, max_length=60)


class SalesOrderLine(SQLModel, table=True):
    __tablename__ = "lg_so_line"
    __table_args__ = (
        CheckConstraint("quantity > 0 AND unit_price >= 0", name="ck_lg_so_line_amounts"),
        CheckConstraint(
            "delivered_qty >= 0 AND delivered_qty <= quantity", name="ck_lg_so_line_delivered"
        ),
        CheckConstraint(
            "invoiced_qty >= 0 AND invoiced_qty <= delivered_qty", name="ck_lg_so_line_invoiced"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="lg_sales_order.id", index=True)
    line_no: int
    item_id: int = Field(foreign_key="lg_item.id", index=True)
    quantity: int
    unit_price: int
    tax_code: str = Field(max_length=16)
    delivered_qty: int = Field(default=0)
    invoiced_qty: int = Field(default=0)


class DeliveryLineCreate(SQLModel):
    """What leaves for one order line; with no lot, first-expiry-first-out picks the lots."""

    line: int = Field(ge=1)
    quantity: int = Field(gt=0, le=10**9)
    lot: str | None = Field(default=None, max_length=40)
    serials: list[str] = Field(default_factory=list, max_length=10_000)


class DeliveryCreate(SQLModel):
    order: str = Field(min_length=1, max_length=20)
    date: date
    location: str = Field(min_length=1, max_length=41)
    carrier: str = Field(default="", max_length=60)
    tracking: str = Field(default="", max_length=60)
    route: str = Field(default="", max_length=60)
    lines: list[DeliveryLineCreate] = Field(min_length=1, max_length=500)


class Delivery(SQLModel, table=True):
    """A delivery note and its shipment: it posts cost of goods sold against inventory."""

    __tablename__ = "lg_delivery"
    __table_args__ = (
        CheckConstraint(one_of("status", SHIPMENT_STATUSES), name="ck_lg_delivery_status"),
        Index("ix_lg_delivery_dispatch", "date", "route"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)
    order_id: int = Field(foreign_key="lg_sales_order.id", index=True)
    date: date
    location_id: int = Field(foreign_key="lg_location.id")
    carrier: str = Field(default="", max_length=60)
    tracking: str = Field(default="", max_length=60)
    route: str = Field(default="", max_length=60)
    status: str = Field(default="shipped", max_length=12)
    cost: int = Field(default=0)
    entry_ref: str = Field(default="", max_length=20)
    invoice: str | None = Field(default=None, max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=64)


class DeliveryLine(SQLModel, table=True):
    __tablename__ = "lg_delivery_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_lg_delivery_line_quantity"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="lg_delivery.id", index=True)
    so_line_id: int = Field(foreign_key="lg_so_line.id", index=True)
    item_id: int = Field(foreign_key="lg_item.id")
    lot_id: int | None = Field(default=None, foreign_key="lg_lot.id")
    quantity: int
    cost: int
