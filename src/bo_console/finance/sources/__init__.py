"""What the finance screen reads: the journal as a virtual-table source, account lookups for
completion, the chart with rolled-up balances, and reports as rows.

Nothing here decides a business rule; the ledger and report services do. These builders only
shape queries and results for display, so the screen stays a thin layer over the service.
Reports come as rows from ``report_tables`` (re-exported here for the screen), the very rows
``bo finance report ... --format json`` writes, so what the screen shows and exports matches
the command line.

One module per kind: :mod:`.journal`, :mod:`.accounts`, :mod:`.documents` (invoices, bills,
payments, parties), :mod:`.reports` (rows in memory are shown through
:class:`bo_console.core.paging.RowsSource`); everything the screen uses is importable from here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bo_console.finance.journal import (
        ENTRY_STATES,
        NUMBER_SCALE,
        JournalFilter,
        entry_number_text,
        journal_columns,
        journal_select,
        journal_text_filter,
    )
    from bo_console.finance.sources.accounts import (
        AccountChoice,
        AccountFinder,
        AccountNode,
        account_tree,
    )
    from bo_console.finance.sources.documents import (
        DOCUMENT_KINDS,
        DOCUMENT_STATUS_CHOICES,
        DocumentListFilter,
        PartyFinder,
        document_select,
        document_source,
        document_text_filter,
        note_source,
        parse_apply,
        payment_source,
        refilter_documents,
    )
    from bo_console.finance.sources.journal import (
        journal_source,
        refilter_journal,
    )
    from bo_console.finance.sources.reports import (
        REPORTS,
        ReportKind,
        ReportTable,
        aged_table,
        balance_sheet_table,
        general_ledger_table,
        income_statement_table,
        trial_balance_table,
        vat_return_table,
    )

_HOMES = {
    "AccountChoice": "bo_console.finance.sources.accounts",
    "AccountFinder": "bo_console.finance.sources.accounts",
    "AccountNode": "bo_console.finance.sources.accounts",
    "DOCUMENT_KINDS": "bo_console.finance.sources.documents",
    "DOCUMENT_STATUS_CHOICES": "bo_console.finance.sources.documents",
    "DocumentListFilter": "bo_console.finance.sources.documents",
    "ENTRY_STATES": "bo_console.finance.journal",
    "JournalFilter": "bo_console.finance.journal",
    "NUMBER_SCALE": "bo_console.finance.journal",
    "PartyFinder": "bo_console.finance.sources.documents",
    "REPORTS": "bo_console.finance.sources.reports",
    "ReportKind": "bo_console.finance.sources.reports",
    "ReportTable": "bo_console.finance.sources.reports",
    "account_tree": "bo_console.finance.sources.accounts",
    "aged_table": "bo_console.finance.sources.reports",
    "balance_sheet_table": "bo_console.finance.sources.reports",
    "document_select": "bo_console.finance.sources.documents",
    "document_source": "bo_console.finance.sources.documents",
    "document_text_filter": "bo_console.finance.sources.documents",
    "entry_number_text": "bo_console.finance.journal",
    "general_ledger_table": "bo_console.finance.sources.reports",
    "income_statement_table": "bo_console.finance.sources.reports",
    "journal_columns": "bo_console.finance.journal",
    "journal_select": "bo_console.finance.journal",
    "journal_source": "bo_console.finance.sources.journal",
    "journal_text_filter": "bo_console.finance.journal",
    "note_source": "bo_console.finance.sources.documents",
    "parse_apply": "bo_console.finance.sources.documents",
    "payment_source": "bo_console.finance.sources.documents",
    "refilter_documents": "bo_console.finance.sources.documents",
    "refilter_journal": "bo_console.finance.sources.journal",
    "trial_balance_table": "bo_console.finance.sources.reports",
    "vat_return_table": "bo_console.finance.sources.reports",
}
"""Where each name lives: the journal tab, shown first, imports the journal's source alone,
not the documents', accounts' and reports' (nor what they import)."""


def __getattr__(name: str) -> Any:
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AccountChoice",
    "AccountFinder",
    "AccountNode",
    "DOCUMENT_KINDS",
    "DOCUMENT_STATUS_CHOICES",
    "DocumentListFilter",
    "ENTRY_STATES",
    "JournalFilter",
    "NUMBER_SCALE",
    "PartyFinder",
    "REPORTS",
    "ReportKind",
    "ReportTable",
    "account_tree",
    "aged_table",
    "balance_sheet_table",
    "document_select",
    "document_source",
    "document_text_filter",
    "entry_number_text",
    "general_ledger_table",
    "income_statement_table",
    "journal_columns",
    "journal_select",
    "journal_source",
    "journal_text_filter",
    "parse_apply",
    "note_source",
    "payment_source",
    "refilter_documents",
    "refilter_journal",
    "trial_balance_table",
    "vat_return_table",
]
