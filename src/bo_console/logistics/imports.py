"""Item and opening-stock imports from CSV or XLSX: the whole file is checked first, then
written all or nothing, with every problem reported by row and column."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlmodel import Session

    from bo_console.core.io import Column, ImportReport
    from bo_console.core.security import Actor
    from bo_console.logistics.adjustments import AdjustmentLine
    from bo_console.logistics.models import ItemCreate

ITEM_COLUMNS = [
    ("sku", True, "one word"),
    ("name", True, ""),
    ("name_ar", False, ""),
    ("unit", False, "each when empty"),
    ("barcodes", False, "separated by spaces"),
    ("lot_tracked", False, "yes or no"),
    ("reorder_point", False, "whole number"),
    ("reorder_qty", False, "whole number"),
    ("supplier", False, "supplier code"),
    ("sale_price", False, "amount"),
]
STOCK_COLUMNS = [
    ("sku", True, ""),
    ("location", True, "WAREHOUSE/BIN"),
    ("quantity", True, "whole number"),
    ("unit_cost", True, "amount"),
    ("lot", False, "for lot-tracked items"),
    ("expiry", False, "ISO date"),
]
_YES = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "": False,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}


def _columns(spec: list[tuple[str, bool, str]]) -> list[Column]:
    from bo_console.core.io import Column

    return [Column(name, required, text) for name, required, text in spec]


def _whole(record: dict[str, str], column: str, row: int, report: ImportReport) -> int | None:
    text = record.get(column, "").strip()
    if not text:
        return 0
    if not text.lstrip("-").isdigit():
        report.add(row, column, f"{text!r} is not a whole number")
        return None
    return int(text)


def _money(
    session: Session, record: dict[str, str], column: str, row: int, report: ImportReport
) -> int | None:
    from bo_console.core.money import base_currency, parse_amount

    text = record.get(column, "").strip() or "0"
    try:
        return parse_amount(text, base_currency(session).exponent)
    except ValueError as exc:
        report.add(row, column, str(exc))
        return None


def _item_row(
    session: Session, row: int, record: dict[str, str], report: ImportReport, seen: dict[str, int]
) -> ItemCreate | None:
    from pydantic import ValidationError
    from sqlmodel import select

    from bo_console.logistics.models import Item, ItemCreate

    flag = _YES.get(record.get("lot_tracked", "").strip().lower())
    if flag is None:
        report.add(row, "lot_tracked", "yes or no")
        return None
    point, qty = (
        _whole(record, "reorder_point", row, report),
        _whole(record, "reorder_qty", row, report),
    )
    price = _money(session, record, "sale_price", row, report)
    if point is None or qty is None or price is None:
        return None
    try:
        item = ItemCreate.model_validate(
            {
                "sku": record.get("sku", ""),
                "name": record.get("name", ""),
                "name_ar": record.get("name_ar", ""),
                "unit": record.get("unit", "").strip() or "each",
                "barcodes": record.get("barcodes", "").split(),
                "lot_tracked": flag,
                "reorder_point": point,
                "reorder_qty": qty,
                "supplier": record.get("supplier", "").strip() or None,
                "sale_price": price,
            }
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        report.add(
            row,
            ".".join(str(p) for p in error["loc"]) or "sku",
            str(error["msg"]).removeprefix("Value error, "),
        )
        return None
    if item.sku in seen:
        report.add(row, "sku", f"{item.sku} also on row {seen[item.sku]}")
        return None
    if session.exec(select(Item.id).where(Item.sku == item.sku)).first() is not None:
        report.add(row, "sku", f"{item.sku} already exists")
        return None
    seen[item.sku] = row
    return item


def import_items(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add every item of the file, or none. Returns how many were added.
    ``progress(rows read, rows in the file)`` follows the reading.

    Raises:
        ImportRejected: every problem by row and column; nothing was added.
    """
    from bo_console.core.io import read_validated
    from bo_console.logistics.items import add_item

    actor.require("logistics.write", "import items")
    seen: dict[str, int] = {}
    items: list[ItemCreate] = read_validated(
        path,
        _columns(ITEM_COLUMNS),
        lambda row, record, report: _item_row(session, row, record, report, seen),
        progress=progress,
    )
    for item in items:
        add_item(session, actor, item)
    return len(items)


def _stock_row(
    session: Session, row: int, record: dict[str, str], report: ImportReport
) -> tuple[str, AdjustmentLine] | None:
    from bo_console.core.dates import parse_date
    from bo_console.core.errors import BoError
    from bo_console.logistics.adjustments import AdjustmentLine
    from bo_console.logistics.common import find_item, find_location

    try:
        item = find_item(session, record.get("sku", ""))
    except BoError as exc:
        report.add(row, "sku", exc.message)
        return None
    try:
        location = find_location(session, record.get("location", ""))
    except BoError as exc:
        report.add(row, "location", exc.message)
        return None
    qty = _whole(record, "quantity", row, report)
    cost = _money(session, record, "unit_cost", row, report)
    if qty is None or cost is None:
        return None
    if qty <= 0:
        report.add(row, "quantity", "opening stock is a positive quantity")
        return None
    lot = record.get("lot", "").strip() or None
    if item.lot_tracked and not lot:
        report.add(row, "lot", f"{item.sku} is tracked by lot")
        return None
    expiry_text = record.get("expiry", "").strip()
    try:
        expiry: Any = parse_date(expiry_text) if expiry_text else None
    except ValueError as exc:
        report.add(row, "expiry", str(exc))
        return None
    return location.label, AdjustmentLine(item.sku, qty, lot, expiry, cost)


def import_opening_stock(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    on: Any,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[str, int]:
    """Bring in opening stock, all or nothing, posted against opening balances (one
    adjustment per location). Returns (the last adjustment's number, lines imported).
    ``progress(rows read, rows in the file)`` follows the reading.

    Raises:
        ImportRejected: every problem by row and column; nothing was written.
    """
    from bo_console.core.io import read_validated
    from bo_console.logistics.adjustments import adjust

    actor.require("logistics.manage", "import opening stock")
    parsed: list[tuple[str, AdjustmentLine]] = read_validated(
        path,
        _columns(STOCK_COLUMNS),
        lambda row, record, report: _stock_row(session, row, record, report),
        progress=progress,
    )
    per_location: dict[str, list[AdjustmentLine]] = {}
    for label, line in parsed:
        per_location.setdefault(label, []).append(line)
    number = ""
    for label, lines in per_location.items():
        number = adjust(
            session,
            actor,
            location=label,
            on=on,
            reason=f"opening stock from {path.name}",
            lines=lines,
            kind="opening",
        )
    return number, len(parsed)
