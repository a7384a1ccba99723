"""Purchase and sales orders and shipments as lists: the order tabs and the dispatch list
that the distribution team works from each day (per date and route).

SQL text over a Reader or a session: the list commands read through the standard library's
``sqlite3`` (:mod:`bo_console.core.reading`) and load neither SQLAlchemy nor pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.reading import reader_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class OrderRow:
    number: str
    date: date
    supplier: str
    status: str
    total: int
    received: str


def _order_rows(
    db: Reads,
    order_table: str,
    line_table: str,
    party: str,
    done: str,
    status: str | None,
    limit: int,
) -> list[tuple[str, date, str, str, int, str]]:
    """Orders of one kind, newest first: number, date, party, status, total and
    ``done/ordered`` quantities (``done`` is the lines' received or delivered column)."""
    where = "WHERE o.status = :s" if status else ""
    rows = reader_of(db).rows(
        f"""SELECT o.number, o.date, p.name, o.status, o.total,
                   (SELECT SUM({done}) || '/' || SUM(quantity) FROM {line_table}
                    WHERE order_id = o.id)
            FROM {order_table} o JOIN fin_party p ON p.id = o.{party}
            {where} ORDER BY o.id DESC LIMIT :n""",  # noqa: S608 - names are this module's
        {"s": status, "n": limit},
    )
    return [
        (str(r[0]), date.fromisoformat(str(r[1])), str(r[2]), str(r[3]), int(r[4]), str(r[5]))
        for r in rows
    ]


def list_orders(
    db: Reads, actor: Actor, *, status: str | None = None, limit: int = 200
) -> list[OrderRow]:
    """Purchase orders, newest first."""
    actor.require("logistics.read", "see purchase orders")
    rows = _order_rows(
        db, "lg_purchase_order", "lg_po_line", "supplier_id", "received_qty", status, limit
    )
    return [OrderRow(*row) for row in rows]


@dataclass(frozen=True)
class SalesOrderRow:
    number: str
    date: date
    customer: str
    status: str
    total: int
    delivered: str


def list_sales_orders(
    db: Reads, actor: Actor, *, status: str | None = None, limit: int = 200
) -> list[SalesOrderRow]:
    """Sales orders, newest first."""
    actor.require("logistics.read", "see sales orders")
    rows = _order_rows(
        db, "lg_sales_order", "lg_so_line", "customer_id", "delivered_qty", status, limit
    )
    return [SalesOrderRow(*row) for row in rows]


@dataclass(frozen=True)
class DispatchRow:
    number: str
    date: date
    route: str
    order: str
    customer: str
    carrier: str
    tracking: str
    status: str


def dispatch_list(
    db: Reads, actor: Actor, *, on: date | None = None, route: str | None = None
) -> list[DispatchRow]:
    """Shipments per day and route, for the distribution team."""
    actor.require("logistics.read", "see shipments")
    clauses, args = [], {}
    if on is not None:
        clauses.append("d.date = :d")
        args["d"] = on.isoformat()
    if route:
        clauses.append("d.route = :r")
        args["r"] = route
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = reader_of(db).rows(
        f"""SELECT d.number, d.date, d.route, o.number, p.name, d.carrier, d.tracking, d.status
            FROM lg_delivery d JOIN lg_sales_order o ON o.id = d.order_id
            JOIN fin_party p ON p.id = o.customer_id {where}
            ORDER BY d.date DESC, d.route, d.number LIMIT 500""",  # noqa: S608
        args,
    )
    return [
        DispatchRow(
            str(r[0]),
            date.fromisoformat(str(r[1])),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]),
            str(r[6]),
            str(r[7]),
        )
        for r in rows
    ]
