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


def list_orders(
    db: Reads, actor: Actor, *, status: str | None = None, limit: int = 200
) -> list[OrderRow]:
    """Purchase orders, newest first."""
    actor.require("logistics.read", "see purchase orders")
    where = "WHERE o.status = :s" if status else ""
    rows = reader_of(db).rows(
        f"""SELECT o.number, o.date, p.name, o.status, o.total,
                   (SELECT SUM(received_qty) || '/' || SUM(quantity) FROM lg_po_line
                    WHERE order_id = o.id)
            FROM lg_purchase_order o JOIN fin_party p ON p.id = o.supplier_id
            {where} ORDER BY o.id DESC LIMIT :n""",  # noqa: S608
        {"s": status, "n": limit},
    )
    return [
        OrderRow(
            str(r[0]), date.fromisoformat(str(r[1])), str(r[2]), str(r[3]), int(r[4]), str(r[5])
        )
        for r in rows
    ]


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
    where = "WHERE o.status = :s" if status else ""
    rows = reader_of(db).rows(
        f"""SELECT o.number, o.date, p.name, o.status, o.total,
                   (SELECT SUM(delivered_qty) || '/' || SUM(quantity) FROM lg_so_line
                    WHERE order_id = o.id)
            FROM lg_sales_order o JOIN fin_party p ON p.id = o.customer_id
            {where} ORDER BY o.id DESC LIMIT :n""",  # noqa: S608
        {"s": status, "n": limit},
    )
    return [
        SalesOrderRow(
            str(r[0]), date.fromisoformat(str(r[1])), str(r[2]), str(r[3]), int(r[4]), str(r[5])
        )
        for r in rows
    ]


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
