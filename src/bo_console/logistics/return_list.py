"""Customer returns as the lists read them, as SQL text over a Reader or a session.

``bo logistics returns list`` reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor
the table models.
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
class ReturnRow:
    """A return as the lists show it."""

    number: str
    date: date
    order: str
    customer: str
    location: str
    disposition: str
    quantity: int
    value: int
    credit_value: int
    invoice: str | None
    reason: str


def list_returns(
    db: Reads, actor: Actor, *, order: str | None = None, limit: int = 200
) -> list[ReturnRow]:
    """Customer returns, newest first (one order's when ``order`` is given)."""
    actor.require("logistics.read", "see returns")
    where = "WHERE o.number = :o" if order else ""
    rows = reader_of(db).rows(
        f"""SELECT r.number, r.date, o.number, p.name, l.label, r.disposition,
                   (SELECT SUM(quantity) FROM lg_return_line WHERE return_id = r.id),
                   r.value, r.credit_value, r.invoice, r.reason
            FROM lg_return r JOIN lg_sales_order o ON o.id = r.order_id
            JOIN fin_party p ON p.id = o.customer_id
            JOIN lg_location l ON l.id = r.location_id
            {where} ORDER BY r.id DESC LIMIT :n""",  # noqa: S608
        {"o": order.strip().upper() if order else None, "n": limit},
    )
    return [
        ReturnRow(
            number=str(r[0]),
            date=date.fromisoformat(str(r[1])[:10]),
            order=str(r[2]),
            customer=str(r[3]),
            location=str(r[4]),
            disposition=str(r[5]),
            quantity=int(r[6] or 0),
            value=int(r[7]),
            credit_value=int(r[8]),
            invoice=str(r[9]) if r[9] is not None else None,
            reason=str(r[10]),
        )
        for r in rows
    ]
