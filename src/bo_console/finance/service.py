"""The finance service: the one door other departments (and both faces) use.

Post a document's entry with :func:`post_entry`::

    from bo_console.finance import service
    from bo_console.finance.models import EntryCreate, LineCreate
from bo_console.finance.parties import find_party, require_role

    entry = service.post_entry(
        session,
        actor,
        EntryCreate(
            date=period_end,
            memo="Payroll 2026-11",
            source="payroll",
            source_ref="pay_run:12",
            lines=[
                LineCreate(account="6100", debit=1_250_000, cost_centre="OPS"),
                LineCreate(account="2300", credit=1_250_000),
            ],
        ),
        permission="payroll.approve",
    )
    entry.ref  # "2026-000123"

Amounts are integer minor units of the base currency (``core.money``). Accounts are given by
code or full name; :func:`account_for_role` gives the code in force for a role such as
``vat_output`` or ``receivables``. A document's entry is undone with
``reverse_entry(..., from_document=True)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.finance.accounts import (
    AccountView,
    Chart,
    account_balance,
    add_account,
    delete_account,
    get_account,
    list_accounts,
    load_chart,
    set_active,
    update_account,
)
from bo_console.finance.document_models import DocumentCreate, DocumentLineCreate
from bo_console.finance.documents import create_document, post_document
from bo_console.finance.ledger import (
    EntryFilter,
    EntryRow,
    EntryView,
    LineView,
    PeriodView,
    close_period,
    closed_periods,
    create_draft,
    delete_draft,
    find_entry,
    get_entry,
    is_closed,
    list_entries,
    list_periods,
    parse_period,
    period_of,
    post_draft,
    post_entry,
    reopen_period,
    reverse_entry,
    update_draft,
)
from bo_console.finance.models import EntryCreate, LineCreate
from bo_console.finance.parties import find_party, require_role
from bo_console.finance.reports import (
    BalanceSheet,
    GeneralLedger,
    IncomeStatement,
    TrialBalance,
    balance_sheet,
    general_ledger,
    income_statement,
    trial_balance,
)

if TYPE_CHECKING:
    from sqlmodel import Session


def account_for_role(session: Session, role: str) -> str:
    """The account code in force for a role (``finance.account.<role>`` or the seeded default);
    roles are listed in ``finance.chart.ACCOUNT_ROLES``."""
    from bo_console.finance.chart import role_code

    return role_code(session, role)


__all__ = [
    "AccountView",
    "BalanceSheet",
    "GeneralLedger",
    "IncomeStatement",
    "TrialBalance",
    "balance_sheet",
    "general_ledger",
    "income_statement",
    "trial_balance",
    "Chart",
    "DocumentCreate",
    "DocumentLineCreate",
    "EntryCreate",
    "EntryFilter",
    "EntryRow",
    "EntryView",
    "LineCreate",
    "LineView",
    "PeriodView",
    "account_balance",
    "account_for_role",
    "add_account",
    "close_period",
    "create_document",
    "closed_periods",
    "create_draft",
    "delete_account",
    "delete_draft",
    "find_entry",
    "find_party",
    "get_account",
    "get_entry",
    "is_closed",
    "list_accounts",
    "list_entries",
    "list_periods",
    "load_chart",
    "parse_period",
    "period_of",
    "post_draft",
    "post_document",
    "post_entry",
    "reopen_period",
    "require_role",
    "reverse_entry",
    "set_active",
    "update_account",
    "update_draft",
]
