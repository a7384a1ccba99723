"""Kinds of work that land in Finance's inbox."""

from __future__ import annotations

from bo_console.core.work_kinds import WorkKind

CUSTOMER_APPROVAL = WorkKind(
    "customer-approval",
    "Approve a new customer",
    dept="finance",
    sla_days=3,
    moves={
        "open": ("in_progress", "approved", "rejected"),
        "in_progress": ("open", "approved", "rejected"),
    },
    closed=frozenset({"approved", "rejected"}),
    by_service=frozenset({"approved", "rejected"}),
    service_hint="approve or reject the customer (bo finance customers approve|reject CODE)",
)
"""A customer registered by the front office waits for finance to check the commercial
registration and VAT number; the approval or rejection of the party closes it."""

KINDS = (
    CUSTOMER_APPROVAL,
    WorkKind("invoice-copy", "Send a copy of an invoice", dept="finance", sla_days=2),
    WorkKind("customer-statement", "Send a statement of account", dept="finance", sla_days=2),
    WorkKind("invoice-order", "Invoice a shipped order", dept="finance", sla_days=2),
    WorkKind(
        "credit-note-request",
        "Issue a credit note for returned goods",
        dept="finance",
        sla_days=3,
    ),
)
"""``credit-note-request``: logistics took back invoiced goods (a customer return); the item
links the invoice and the return, and finance credits the returned units."""
