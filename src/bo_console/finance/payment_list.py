"""The payments list, read through a Reader or a session without the ORM (``bo finance
payments list``); :mod:`bo_console.finance.payments` re-exports it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import ValidationFailed
from bo_console.core.lookups import day_of

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class PaymentRow:
    id: int
    number: str
    direction: str
    date: date
    party: str
    party_name: str
    account: str
    reference: str
    status: str
    amount: Decimal
    allocated: Decimal
    unallocated: Decimal


def list_payments(
    db: Reads,
    actor: Actor,
    *,
    direction: str | None = None,
    party: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str | None = None,
    limit: int = 200,
) -> list[PaymentRow]:
    """Payments, newest first, with what each has allocated (through a Reader or a session)."""
    from bo_console.core.lookups import base_currency_of
    from bo_console.core.reading import reader_of
    from bo_console.finance.parties import party_id_of

    actor.require("finance.read", "read payments")
    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, object] = {"limit": limit}
    if direction:
        if direction not in ("received", "made"):
            raise ValidationFailed("direction is received or made")
        where.append("y.direction = :direction")
        params["direction"] = direction
    if party:
        where.append("y.party_id = :party_id")
        params["party_id"] = party_id_of(reader, party)
    if date_from:
        where.append("y.date >= :date_from")
        params["date_from"] = date_from
    if date_to:
        where.append("y.date <= :date_to")
        params["date_to"] = date_to
    if status:
        if status not in ("posted", "void"):
            raise ValidationFailed("status is posted or void")
        where.append("y.status = :status")
        params["status"] = status
    found = reader.rows(
        "SELECT y.id, y.number, y.direction, y.date, p.code, p.name, a.code, y.reference,"
        " y.status, y.amount, (SELECT COALESCE(SUM(l.amount), 0) FROM fin_allocation AS l"
        " WHERE l.payment_id = y.id) FROM fin_payment AS y"
        " JOIN fin_party AS p ON p.id = y.party_id JOIN fin_account AS a ON a.id = y.account_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY y.date DESC, y.id DESC LIMIT :limit",
        params,
    )
    money = base_currency_of(reader).from_minor
    return [payment_row(row, money) for row in found]


def payment_row(row: tuple[Any, ...], money: Callable[[int], Decimal]) -> PaymentRow:
    """A payment as lists show it, from (id, number, direction, date, party code, party name,
    account code, reference, status, amount, allocated) in minor units."""
    pay_id, number, way, day, code, name, account, ref, state, amount, allocated = row
    posted = state == "posted"
    return PaymentRow(
        id=int(pay_id),
        number=number,
        direction=way,
        date=day_of(day) or date.min,
        party=code,
        party_name=name,
        account=account,
        reference=ref,
        status=state,
        amount=money(int(amount)),
        allocated=money(int(allocated) if posted else 0),
        unallocated=money(int(amount) - int(allocated) if posted else 0),
    )
