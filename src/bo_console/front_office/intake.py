"""Orders from outside (a web shop, a partner) arriving as files: ``bo intake orders``.

A file is CSV (one row per order line; rows with the same ``reference`` are one order) or JSON
(a list of orders, each with its ``lines``); ``data/intake-orders-template.csv`` and ``.json``
show both. The whole file is read and checked first, then every new order is entered and
confirmed (its stock reserved) in the caller's one transaction: any problem, in any row, and
nothing is written, with a report by row and column. An order whose reference was already
received is skipped, so a file sent twice creates its orders once.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import BoError, ValidationFailed
from bo_console.core.io import Column, ImportRejected, ImportReport, read_validated

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.jobs import Progress
    from bo_console.core.security import Actor

COLUMNS = [
    Column("reference", help="the sender's order reference (received once)"),
    Column("customer", help="customer code"),
    Column("date", help="order date, YYYY-MM-DD"),
    Column("sku", help="item SKU or barcode"),
    Column("quantity", help="whole units"),
    Column("unit_price", required=False, help="price per unit; empty: the item's list price"),
    Column("requested", required=False, help="delivery date asked for"),
    Column("memo", required=False, help="a note on the order"),
]


@dataclass
class IncomingLine:
    row: int
    sku: str
    quantity: int
    unit_price: str


@dataclass
class IncomingOrder:
    row: int
    """The file's row (CSV) or the order's position (JSON, from 1) where the order starts."""
    reference: str
    customer: str
    date: dt.date
    requested: dt.date | None
    memo: str
    lines: list[IncomingLine] = field(default_factory=list)


@dataclass(frozen=True)
class IntakeResult:
    """What a file did: the orders it created (number per reference) and the references that
    had been received before."""

    file: str
    created: dict[str, str]
    already: dict[str, str]


def _day(text: str, column: str, row: int, report: ImportReport, *, required: bool) -> Any:
    text = text.strip()
    if not text:
        if required:
            report.add(row, column, "is required")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        report.add(row, column, f"{text!r} is not a date (YYYY-MM-DD)")
        return None


def _quantity(text: str, column: str, row: int, report: ImportReport) -> int | None:
    text = str(text).strip()
    if not text.isdigit() or int(text) <= 0:
        report.add(row, column, f"{text!r} is not a whole number above 0")
        return None
    return int(text)


def _head(
    orders: dict[str, IncomingOrder], row: int, values: dict[str, Any], report: ImportReport
) -> IncomingOrder | None:
    reference = str(values.get("reference") or "").strip()
    if not reference or len(reference) > 60:
        report.add(row, "reference", "is required (at most 60 characters)")
        return None
    customer = str(values.get("customer") or "").strip()
    on = _day(str(values.get("date") or ""), "date", row, report, required=True)
    requested = _day(str(values.get("requested") or ""), "requested", row, report, required=False)
    memo = str(values.get("memo") or "").strip()[:200]
    if not customer:
        report.add(row, "customer", "is required")
    known = orders.get(reference)
    if known is not None:
        if (known.customer, known.date) != (customer, on):
            report.add(
                row, "reference", f"{reference} has another customer or date in row {known.row}"
            )
        return known
    if on is None or not customer:
        return None
    order = IncomingOrder(row, reference, customer, on, requested, memo)
    orders[reference] = order
    return order


def _line(
    order: IncomingOrder | None, row: int, values: dict[str, Any], report: ImportReport
) -> None:
    sku = str(values.get("sku") or "").strip()
    if not sku:
        report.add(row, "sku", "is required")
    quantity = _quantity(str(values.get("quantity") or ""), "quantity", row, report)
    price = str(values.get("unit_price") or "").strip()
    if order is not None and sku and quantity is not None:
        order.lines.append(IncomingLine(row, sku, quantity, price))


def _read_csv(path: Path) -> list[IncomingOrder]:
    orders: dict[str, IncomingOrder] = {}
    report = ImportReport()

    def parse(row: int, record: dict[str, str], _: ImportReport) -> bool:
        report.rows += 1
        _line(_head(orders, row, record, report), row, record, report)
        return True

    read_validated(path, COLUMNS, parse)
    if report.errors:
        raise ImportRejected(path, report)
    return list(orders.values())


def _read_json(path: Path) -> list[IncomingOrder]:
    from bo_console.core.sealed import person_path

    path = person_path(path, writing=False)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValidationFailed(f"{path.name} is not a JSON file of orders: {exc}") from None
    if not isinstance(data, list) or not data:
        raise ValidationFailed(f"{path.name}: give a list of orders, each with its lines")
    orders: dict[str, IncomingOrder] = {}
    report = ImportReport(rows=len(data))
    for row, value in enumerate(data, start=1):
        if not isinstance(value, dict):
            report.add(row, "order", "is not an object")
            continue
        order = _head(orders, row, value, report)
        lines = value.get("lines")
        if not isinstance(lines, list) or not lines:
            report.add(row, "lines", "give at least one line")
            continue
        for n, line in enumerate(lines, start=1):
            if not isinstance(line, dict):
                report.add(row, f"lines[{n}]", "is not an object")
                continue
            _line(order, row, {k: line.get(k) for k in ("sku", "quantity", "unit_price")}, report)
    if report.errors:
        raise ImportRejected(path, report)
    return list(orders.values())


def read_orders(path: Path) -> list[IncomingOrder]:
    """The orders in a CSV or JSON file, checked; :class:`ImportRejected` lists every problem
    by row and column."""
    if path.suffix.lower() == ".json":
        return _read_json(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return _read_csv(path)
    raise ValidationFailed(f"{path.name}: intake reads .csv or .json files")


def intake_orders(session: Session, actor: Actor, path: Path) -> IntakeResult:
    """Enter and confirm the new orders of ``path``, all or nothing (see the module's text).

    Raises:
        ImportRejected: a problem in the file or an order the services refuse (unknown
            customer or item, not enough stock); nothing is written.
    """
    from bo_console.core.money import base_currency
    from bo_console.logistics import service as logistics

    if not actor.can("front.write"):
        actor.require("logistics.write", "take in orders")
    orders = read_orders(path)
    known = logistics.orders_by_reference(session, actor, [o.reference for o in orders])
    currency = base_currency(session)
    report = ImportReport(rows=sum(len(o.lines) for o in orders))
    created: dict[str, str] = {}
    for order in orders:
        if order.reference in known:
            continue
        lines = []
        for line in order.lines:
            try:
                price = currency.parse(line.unit_price) if line.unit_price else None
            except ValueError as exc:
                report.add(line.row, "unit_price", str(exc))
                continue
            lines.append(
                logistics.OrderLineCreate(item=line.sku, quantity=line.quantity, unit_price=price)
            )
        if report.errors:
            continue
        try:
            made = logistics.create_sales_order(
                session,
                actor,
                logistics.SalesOrderCreate(
                    customer=order.customer,
                    date=order.date,
                    requested=order.requested,
                    memo=order.memo or f"Order {order.reference}",
                    lines=lines,
                    external_ref=order.reference,
                ),
            )
            logistics.confirm_sales_order(session, actor, made.number)
        except BoError as exc:
            report.add(order.row, "order", f"{order.reference}: {exc.message}")
            continue
        created[order.reference] = made.number
    if report.errors:
        raise ImportRejected(path, report)
    return IntakeResult(
        path.name,
        created,
        {o.reference: known[o.reference] for o in orders if o.reference in known},
    )


@dataclass(frozen=True)
class DropOutcome:
    """One file of a drop folder: what it created, or why it failed (its report's path)."""

    file: str
    result: IntakeResult | None
    error: str = ""
    report: Path | None = None


def error_report(exc: ValidationFailed) -> str:
    """The text of a failed file's report: the refusal, then each problem by row and column."""
    lines = [exc.message]
    if isinstance(exc, ImportRejected):
        lines += exc.report.lines(limit=1000)
    else:
        lines += [str(e) for e in exc.errors]
    return "\n".join(lines) + "\n"


def _aside(path: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    n = 1
    while target.exists():
        target = folder / f"{path.stem}.{n}{path.suffix}"
        n += 1
    path.rename(target)
    return target


def drop_folder_files(folder: Path) -> list[Path]:
    """The order files waiting in ``folder``, oldest name first: ``.csv`` and ``.json`` files,
    less those whose error report is newer than they are (fixed files are taken again)."""
    if not folder.is_dir():
        raise ValidationFailed(f"{folder} is not a folder")
    waiting = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in (".csv", ".json"):
            continue
        report = path.with_name(path.name + ".errors.txt")
        if report.exists() and report.stat().st_mtime >= path.stat().st_mtime:
            continue
        waiting.append(path)
    return waiting


def run_drop_folder(
    store: Any, actor: Actor, folder: Path, *, progress: Progress | None = None
) -> list[DropOutcome]:
    """Take in each waiting file of ``folder`` in its own transaction: a file that went in is
    moved to ``processed/``; a file that failed stays, with ``NAME.errors.txt`` beside it.
    ``progress`` hears ``(files taken, files waiting)`` (at least one step)."""
    from bo_console.core.jobs import tell

    outcomes: list[DropOutcome] = []
    waiting = drop_folder_files(folder)
    if not waiting:
        tell(progress, 1, 1)
    for path in waiting:
        outcomes.append(_take(store, actor, folder, path))
        tell(progress, len(outcomes), len(waiting))
    return outcomes


def take_drop_folder(
    store: Store, actor: Actor, folder: Path, *, progress: Progress | None = None
) -> list[DropOutcome]:
    """:func:`run_drop_folder` as the job ``intake.orders`` (one copy per folder at a time,
    recorded with its summary): what cron runs.

    Raises:
        Busy: another copy is taking this folder in.
        ValidationFailed: not a folder.
    """
    from bo_console.core.jobs import run_job

    with run_job(store, actor, "intake.orders", key=str(folder.resolve()), force=True) as job:
        outcomes = run_drop_folder(store, actor, folder, progress=progress)
        job.summary = drop_summary(outcomes)
    return outcomes


def drop_summary(outcomes: list[DropOutcome]) -> str:
    """A drop-folder run's one line (its job record, and what the faces say)."""
    if not outcomes:
        return "no files waiting"
    taken = [o.result for o in outcomes if o.result is not None]
    orders = sum(len(r.created) for r in taken)
    failed = len(outcomes) - len(taken)
    line = f"{_count(len(outcomes), 'file')}: {len(taken)} taken in, {_count(orders, 'order')} "
    return line + "created" + (f", {failed} failed" if failed else "")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _take(store: Any, actor: Actor, folder: Path, path: Path) -> DropOutcome:
    """One waiting file in its own transaction."""
    try:
        with store.write() as session:
            result = intake_orders(session, actor, path)
    except ValidationFailed as exc:
        report = path.with_name(path.name + ".errors.txt")
        report.write_text(error_report(exc), encoding="utf-8")
        return DropOutcome(path.name, None, exc.message, report)
    except BoError as exc:
        # Not the file's fault (no permission, a busy store): leave it for the next run.
        return DropOutcome(path.name, None, exc.message)
    stale = path.with_name(path.name + ".errors.txt")
    stale.unlink(missing_ok=True)
    _aside(path, folder / "processed")
    return DropOutcome(path.name, result)
