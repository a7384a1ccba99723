"""Sales invoices and supplier bills: draft, post, void by credit note; list and show.

A document is entered as a draft (clerks, ``finance.post``), then posted: it takes the next
number of its kind and year (``INV-2026-00017``) and its journal entry is posted through the
ledger in the same transaction (receivables against income and VAT output for an invoice;
expense and VAT input against payables for a bill). A finance manager (``finance.manage``)
voids a posted document with nothing paid on it by a credit note, which reverses its entry.
Amounts and tax follow the one rule in :mod:`bo_console.finance.tax`.

The package: :mod:`.common`, :mod:`.writing` and :mod:`.queries`; everything callers use is
importable from here.
"""

from __future__ import annotations

from bo_console.finance.documents.common import (
    KIND_LABELS,
    SIDES,
    _flush,
    find_document,
    format_quantity,
    parse_quantity,
)
from bo_console.finance.documents.queries import (
    AllocationView,
    DocumentFilter,
    DocumentLineView,
    DocumentRow,
    DocumentView,
    document_actions,
    get_document,
    list_documents,
    owes,
)
from bo_console.finance.documents.writing import (
    _next_seq,
    create_document,
    delete_draft,
    post_document,
    validate_document,
    void_document,
)

__all__ = [
    "AllocationView",
    "DocumentFilter",
    "DocumentLineView",
    "DocumentRow",
    "DocumentView",
    "KIND_LABELS",
    "SIDES",
    "_flush",
    "_next_seq",
    "create_document",
    "delete_draft",
    "document_actions",
    "find_document",
    "format_quantity",
    "get_document",
    "list_documents",
    "owes",
    "parse_quantity",
    "post_document",
    "validate_document",
    "void_document",
]
