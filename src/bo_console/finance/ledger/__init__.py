"""The journal: draft, post and reverse entries; open and close fiscal periods.

This is the company's book of record. Other departments post through :func:`post_entry`
(payroll, stock, invoices, ...) with their document as ``source``/``source_ref``; one live
entry per document. Every function takes the caller's session and never commits, so a
document and its entry are one transaction. The database repeats the essential rules in
triggers (``0002_ledger``), so the checks here are the friendly first line, not the only one.

The package: :mod:`.rules` (what every posting obeys, also used by the bulk import),
:mod:`.periods`, :mod:`.posting` (one entry at a time), :mod:`.bulk` (many at once),
:mod:`.batch` (many postings of any kind sharing their reads) and :mod:`.queries` (reading).
Everything callers use is importable from here.
"""

from __future__ import annotations

from bo_console.finance.ledger.batch import posting_batch
from bo_console.finance.ledger.bulk import post_entries
from bo_console.finance.ledger.periods import (
    REOPEN_ROLE,
    PeriodView,
    can_reopen_periods,
    close_period,
    list_periods,
    period_actions,
    reopen_period,
    reopen_refusal,
)
from bo_console.finance.ledger.posting import (
    create_draft,
    delete_draft,
    find_entry,
    post_draft,
    post_entry,
    reverse_entry,
    update_draft,
)
from bo_console.finance.ledger.queries import (
    EntryFilter,
    EntryRow,
    EntryView,
    LineView,
    entry_actions,
    get_entry,
    list_entries,
)
from bo_console.finance.ledger.rules import (
    MAX_AMOUNT,
    EntryNumbers,
    TotalsProblem,
    account_problem,
    amount_problem,
    closed_periods,
    closed_problem,
    is_closed,
    month_sql,
    parse_period,
    period_of,
    refuse_closed,
    totals_problem,
)

__all__ = [
    "MAX_AMOUNT",
    "REOPEN_ROLE",
    "EntryFilter",
    "EntryNumbers",
    "EntryRow",
    "EntryView",
    "LineView",
    "PeriodView",
    "TotalsProblem",
    "account_problem",
    "amount_problem",
    "can_reopen_periods",
    "close_period",
    "closed_periods",
    "closed_problem",
    "create_draft",
    "delete_draft",
    "entry_actions",
    "find_entry",
    "get_entry",
    "is_closed",
    "list_entries",
    "list_periods",
    "month_sql",
    "parse_period",
    "period_actions",
    "period_of",
    "post_draft",
    "post_entries",
    "post_entry",
    "posting_batch",
    "refuse_closed",
    "reopen_period",
    "reopen_refusal",
    "reverse_entry",
    "totals_problem",
    "update_draft",
]
