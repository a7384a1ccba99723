"""What the Finance screen's tabs share: cell formats and the data topics they announce."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

JOURNAL = "finance.journal"
"""Topic: journal entries were written (posted, reversed, drafted, deleted, imported)."""
DOCUMENTS = "finance.documents"
"""Topic: invoices, bills or credit notes were written."""
PAYMENTS = "finance.payments"
"""Topic: payments or their allocations were written."""
PERIODS = "finance.periods"
"""Topic: a fiscal period was closed or reopened."""

MONEY = (JOURNAL, DOCUMENTS, PAYMENTS)
"""A document or payment posts an entry and changes what is open: every money list."""

SOURCE_DOCUMENTS = {
    "invoice": "sales",
    "credit_note": "sales",
    "bill": "purchases",
    "supplier_credit": "purchases",
    "payment": "payments",
}
"""Entry sources whose document this screen can open, and where it lists them."""


def decimal_text(value: Any) -> str:
    """A money value as the services give it: a Decimal with grouping, or the text as is."""
    return f"{value:,}" if isinstance(value, Decimal) else str(value)


def side_text(value: Any) -> str:
    """A debit or credit cell: the amount, or nothing when it is zero."""
    return "" if not value else decimal_text(value)


def leaf(value: Any) -> str:
    """The last part of an account's full name (``Assets:Bank:Rajhi`` -> ``Rajhi``)."""
    return str(value).rsplit(":", 1)[-1]


def amount_text(value: Decimal) -> str:
    """An amount as a form field starts with it (empty for zero)."""
    return "" if not value else str(value)


def doc_ref(ref: str) -> str:
    """A document reference the service reads: a number, or ``#7`` for ``draft #7``."""
    return ref.replace("draft ", "") if ref.startswith("draft #") else ref


def fiscal_year_start(widget: Any, day: Any) -> Any:
    """The first day of the fiscal year holding ``day`` (the books' setting, not January)."""
    from bo_console.finance import service
    from bo_console.ui.base import bo_app

    app = bo_app(widget)
    with app.store.read() as session:
        return service.fiscal_year(session, app.actor, day).first
