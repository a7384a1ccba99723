"""Stock as lists read it, as plain SQL over a Reader or a session: one item's stock per
location and lot, the valuation per item (now, or as at a date) and the stock ledger.

``bo logistics stock on-hand``, ``stock valuation`` and ``stock moves`` read through the
standard library's ``sqlite3`` (:mod:`bo_console.core.reading`): this module imports neither
SQLAlchemy nor pydantic nor the table models.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.core.lookups import day_of
from bo_console.core.reading import reader_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class ItemRef:
    """An item as a stock list names it."""

    id: int
    sku: str
    name: str


def item_ref(db: Reads, ref: str) -> ItemRef:
    """An item by SKU, barcode or ``#id`` (what a scanner or a clerk types).

    Raises:
        NotFound: nothing matches.
    """
    reader = reader_of(db)
    text = ref.strip()
    columns = "SELECT id, sku, name FROM lg_item"
    if text.startswith("#") and text[1:].isdigit():
        found = reader.first(f"{columns} WHERE id = :id", {"id": int(text[1:])})
    else:
        found = reader.first(f"{columns} WHERE sku = :sku", {"sku": text.upper()})
        if found is None:
            found = reader.first(
                f"{columns} WHERE id = (SELECT item_id FROM lg_item_barcode WHERE barcode = :code)",
                {"code": text},
            )
    if found is None:
        raise NotFound(f"no item {text!r} (a SKU or a barcode; see `bo logistics items list`)")
    return ItemRef(int(found[0]), str(found[1]), str(found[2]))


@dataclass(frozen=True)
class BalanceRow:
    """An item's quantity in one location (and lot)."""

    sku: str
    name: str
    location: str
    lot: str | None
    expiry: date | None
    quantity: int


def on_hand(db: Reads, actor: Actor, sku: str) -> list[BalanceRow]:
    """On-hand of one item per location and lot (locations with stock only)."""
    actor.require("logistics.read", "see stock")
    reader = reader_of(db)
    item = item_ref(reader, sku)
    rows = reader.rows(
        """SELECT l.label, t.lot_no, t.expiry, b.quantity
           FROM lg_stock_balance b JOIN lg_location l ON l.id = b.location_id
           LEFT JOIN lg_lot t ON t.id = b.lot_key
           WHERE b.item_id = :i AND b.quantity <> 0
           ORDER BY l.label, t.expiry, t.lot_no""",
        {"i": item.id},
    )
    return [
        BalanceRow(
            sku=item.sku,
            name=item.name,
            location=str(label),
            lot=lot,
            expiry=day_of(expiry) if expiry else None,
            quantity=int(quantity),
        )
        for label, lot, expiry, quantity in rows
    ]


class ValuationRow(NamedTuple):
    """One item in the valuation report (a tuple: 50,000 of them are built per report)."""

    sku: str
    name: str
    quantity: int
    value: int
    average_cost: int


# ``divide(value, quantity)`` in SQL (half away from zero; SQLite's integer division truncates).
_AVERAGE = """CASE WHEN {q} > 0 THEN CASE WHEN {v} >= 0 THEN (2 * {v} + {q}) / (2 * {q})
                   ELSE -((({q}) - 2 * {v}) / (2 * {q})) END ELSE 0 END"""


def valuation(db: Reads, actor: Actor, *, as_of: date | None = None) -> list[ValuationRow]:
    """Quantity and value per item with stock, now (from the items' running totals) or as at
    a date (so a rerun later gives the same figures).

    As at a date, each item's running total at a month end is one row of the monthly totals;
    the date's own month is the total at the end of the month before plus its moves up to the
    date, or, in the second half of a month, the total at its end less the moves after it.
    """
    actor.require("logistics.read", "see the stock valuation")
    reader: Reader = reader_of(db)
    if as_of is None:
        average = _AVERAGE.format(q="on_hand", v="stock_value")
        rows = reader.rows(
            f"SELECT sku, name, on_hand, stock_value, {average} FROM lg_item "  # noqa: S608
            "WHERE on_hand <> 0 OR stock_value <> 0 ORDER BY sku"
        )
    else:
        early = as_of.day <= 15
        last = calendar.monthrange(as_of.year, as_of.month)[1]
        bound = as_of.replace(day=1) if early else as_of.replace(day=last)
        edge = "start" if early else "end"
        # Dates as dates: PostgreSQL compares a DATE column with a date, SQLite (whose Reader
        # sends them as ISO text) with its text.
        params = {"p": f"{as_of.year:04d}-{as_of.month:02d}", "d": as_of, edge: bound}
        rows = reader.rows(_as_of_sql(early=early), params)
    return [ValuationRow(*row) for row in rows]


def _as_of_sql(*, early: bool) -> str:
    """The valuation-as-at query (see :func:`valuation`)."""
    month, sign, moves = (
        ("<", "", "date >= :start AND date <= :d")
        if early
        else ("<=", "-", "date > :d AND date <= :end")
    )
    average = _AVERAGE.format(q="quantity", v="value")
    return f"""SELECT sku, name, quantity, value, {average} FROM (
                SELECT i.sku, i.name,
                       COALESCE(c.quantity, 0) + COALESCE(m.quantity, 0) AS quantity,
                       COALESCE(c.value, 0) + COALESCE(m.value, 0) AS value
                FROM lg_item i
                LEFT JOIN lg_stock_month c ON c.item_id = i.id AND c.period = (
                  SELECT MAX(period) FROM lg_stock_month x
                  WHERE x.item_id = i.id AND x.period {month} :p)
                LEFT JOIN (
                  SELECT item_id, {sign}SUM(quantity) AS quantity, {sign}SUM(value) AS value
                  FROM lg_stock_move WHERE {moves} GROUP BY item_id) m ON m.item_id = i.id
              ) AS totals
              WHERE quantity <> 0 OR value <> 0 ORDER BY sku"""  # noqa: S608


# -- the stock ledger ---------------------------------------------------------------------------


def location_id(db: Reads, ref: str) -> int:
    """A bin by ``WAREHOUSE/BIN``, or a warehouse code when it has exactly one bin.

    Raises:
        NotFound: no such bin or warehouse. ValidationFailed: the warehouse has several bins.
    """
    reader = reader_of(db)
    text = ref.strip().upper()
    found = reader.scalar("SELECT id FROM lg_location WHERE label = :label", {"label": text})
    if found is not None:
        return int(found)
    house = reader.scalar("SELECT id FROM lg_warehouse WHERE code = :code", {"code": text})
    if house is not None:
        bins = reader.rows(
            "SELECT id, label FROM lg_location WHERE warehouse_id = :house ORDER BY id",
            {"house": house},
        )
        if len(bins) == 1:
            return int(bins[0][0])
        raise ValidationFailed(
            f"warehouse {text} has {len(bins)} bins; give one as {text}/BIN "
            f"({', '.join(str(b[1]) for b in bins[:5])})"
        )
    raise NotFound(f"no location {ref!r} (WAREHOUSE/BIN; see `bo logistics locations list`)")


@dataclass(frozen=True)
class MoveFilter:
    sku: str | None = None
    location: str | None = None
    source_ref: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int = 200


@dataclass(frozen=True)
class MoveRow:
    """One move of the stock ledger (value in minor units)."""

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


def list_moves(db: Reads, actor: Actor, flt: MoveFilter) -> list[MoveRow]:
    """Stock moves, newest first (keyed on the ledger's indexes)."""
    actor.require("logistics.read", "see stock moves")
    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, Any] = {"limit": flt.limit}
    if flt.sku:
        where.append("m.item_id = :item")
        params["item"] = item_ref(reader, flt.sku).id
    if flt.location:
        where.append("m.location_id = :location")
        params["location"] = location_id(reader, flt.location)
    if flt.source_ref:
        where.append("m.source_ref = :ref")
        params["ref"] = flt.source_ref.strip().upper()
    if flt.since:
        where.append("m.date >= :since")
        params["since"] = flt.since
    if flt.until:
        where.append("m.date <= :until")
        params["until"] = flt.until
    sql = """SELECT m.id, m.date, m.kind, i.sku, l.label, t.lot_no, m.quantity, m.value,
                    m.source, m.source_ref, m.reverses_id, m.created_by
             FROM lg_stock_move m JOIN lg_item i ON i.id = m.item_id
             JOIN lg_location l ON l.id = m.location_id
             LEFT JOIN lg_lot t ON t.id = m.lot_id\n"""
    if where:
        sql += "WHERE " + " AND ".join(where) + "\n"
    sql += "ORDER BY m.id DESC LIMIT :limit"
    out = []
    for id_, day, kind, sku, label, lot, quantity, value, source, ref, reverses, by in reader.rows(
        sql, params
    ):
        moved = day_of(day)
        assert moved is not None  # NOT NULL
        out.append(
            MoveRow(
                id=int(id_),
                date=moved,
                kind=kind,
                sku=sku,
                location=label,
                lot=lot,
                quantity=int(quantity),
                value=int(value),
                source=source,
                source_ref=ref,
                reverses_id=None if reverses is None else int(reverses),
                created_by=by,
            )
        )
    return out
