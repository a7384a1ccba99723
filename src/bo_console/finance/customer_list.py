"""Customers waiting for approval (``bo finance customers pending``) and the states of a
customer's invoices (``bo front status``), read through a Reader or a session without the ORM
or pydantic; :mod:`bo_console.finance.customers` re-exports them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class CustomerView:
    """A registered customer and where its approval stands."""

    code: str
    name: str
    cr_number: str
    tax_number: str
    status: str
    created_by: str
    created_at: datetime
    approved_by: str | None


def pending_customers(db: Reads, actor: Actor) -> list[CustomerView]:
    """Customers waiting for approval, oldest first (finance, and the front office)."""
    from bo_console.core.lookups import moment_of
    from bo_console.core.reading import reader_of

    if not actor.can("front.read"):
        actor.require("finance.read", "list customers waiting for approval")
    rows = reader_of(db).rows(
        "SELECT code, name, cr_number, tax_number, status, created_by, created_at, approved_by"
        " FROM fin_party WHERE status = 'pending' ORDER BY id"
    )
    return [
        CustomerView(code, name, cr, vat, status, by, cast("datetime", moment_of(at)), approved_by)
        for code, name, cr, vat, status, by, at, approved_by in rows
    ]


def invoice_states(db: Reads, actor: Actor, numbers: list[str]) -> dict[str, str]:
    """Whether each sales invoice is ``posted`` (unpaid), ``partly_paid``, ``paid`` or
    ``void``: what the front office may tell a customer (no amounts, no ledger)."""
    from bo_console.core.reading import reader_of

    if not actor.can("front.read"):
        actor.require("finance.read", "see invoices")
    if not numbers:
        return {}
    rows = reader_of(db).rows(
        "SELECT number, status FROM fin_document WHERE kind = 'invoice' AND number IN :numbers",
        {"numbers": list(numbers)},
    )
    return {str(number): str(status) for number, status in rows}
