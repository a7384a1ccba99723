"""The finance service: the one door other departments (and both faces) use.

Post a document's entry with :func:`post_entry`::

    from bo_console.finance import service
    from bo_console.finance.service import EntryCreate, LineCreate

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

Many postings in one unit of work (an import, the demo's year of trade) run inside
``with service.posting_batch(session):``: the same services and rules, with what every posting
shares (control accounts, parties, tax codes, numbering heads) read once per batch.

Other departments import this module only (the import contracts in ``pyproject.toml`` refuse
their imports of finance's other modules); the models they need are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bo_console.finance.accounts import (
    AccountView,
    Balances,
    Chart,
    account_balance,
    add_account,
    balances,
    delete_account,
    get_account,
    list_accounts,
    load_chart,
    posted_balance,
    set_active,
    update_account,
)
from bo_console.finance.aging import AgedReport, aged
from bo_console.finance.customers import (
    CustomerRegistration,
    CustomerView,
    approve_customer,
    customer_status,
    invoice_states,
    pending_customers,
    register_customer,
    reject_customer,
)
from bo_console.finance.document_models import DocumentCreate, DocumentLineCreate
from bo_console.finance.documents import create_document, post_document
from bo_console.finance.ledger import (
    EntryFilter,
    EntryRow,
    EntryView,
    LineView,
    PeriodView,
    can_reopen_periods,
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
    post_entries,
    post_entry,
    posting_batch,
    reopen_period,
    reopen_refusal,
    reverse_entry,
    update_draft,
)
from bo_console.finance.ledger.closing import Checklist, checklist, register_close_check
from bo_console.finance.ledger.controls import start_stock_controls
from bo_console.finance.ledger.locks import BookLimits, book_limits, set_book_limits
from bo_console.finance.ledger.year_end import FiscalYear, close_year, fiscal_year, set_start_month
from bo_console.finance.models import AccountCreate, EntryCreate, LineCreate
from bo_console.finance.parties import find_party, party_codes, require_role
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


@dataclass(frozen=True)
class SaleTax:
    """Output tax on a sale outside a sales document (an asset sold, say)."""

    code: str
    rate_bp: int
    tax: int
    """Minor units, rounded half away from zero as documents round."""
    account: str
    """The output VAT account the code posts to ("" for a code without tax)."""


def sale_tax(session: Session, code: str, net: int) -> SaleTax:
    """The output tax on ``net`` minor units sold under the active tax code ``code``.

    Raises:
        NotFound: no such tax code.
        RuleViolation: the code is inactive.
    """
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.tax import get_tax_code, tax_of

    found = get_tax_code(session, code)
    chart = load_chart(session)
    account = chart.accounts.get(found.output_account_id or 0)
    return SaleTax(
        code=found.code,
        rate_bp=found.rate_bp,
        tax=tax_of(net, found.rate_bp),
        account=account.code if account is not None else "",
    )


@dataclass(frozen=True)
class DocumentLineFacts:
    """One line of a posted or draft invoice or bill, as another department needs it."""

    ref: str
    status: str
    account: str
    whole_units: int | None
    """The quantity when it is a whole number of units, else None."""
    net: int
    """The line's net amount (minor units of the base currency)."""


def document_line(session: Session, ref: str, line: int, kinds: list[str]) -> DocumentLineFacts:
    """Line ``line`` of the document ``ref`` (one of ``kinds``: "invoice", "bill", ...).

    Raises:
        NotFound: no such document.
        ValidationFailed: it has no such line.
    """
    from bo_console.core.errors import ValidationFailed
    from bo_console.finance import documents
    from bo_console.finance.document_models import QTY_SCALE, DocumentLine
    from bo_console.finance.models import Account

    document = documents.find_document(session, ref, kinds)
    row = session.get(DocumentLine, (document.id, line))
    if row is None:
        raise ValidationFailed(f"{document.ref} has no line {line}")
    account = session.get(Account, row.account_id)
    whole = row.quantity // QTY_SCALE if row.quantity % QTY_SCALE == 0 else None
    return DocumentLineFacts(
        ref=document.ref,
        status=document.status,
        account=account.code if account is not None else "",
        whole_units=whole,
        net=row.net,
    )


__all__ = [
    "AccountCreate",
    "AccountView",
    "AgedReport",
    "aged",
    "BalanceSheet",
    "Balances",
    "Chart",
    "CustomerRegistration",
    "CustomerView",
    "DocumentCreate",
    "DocumentLineCreate",
    "DocumentLineFacts",
    "EntryCreate",
    "EntryFilter",
    "EntryRow",
    "EntryView",
    "GeneralLedger",
    "IncomeStatement",
    "LineCreate",
    "LineView",
    "PeriodView",
    "TrialBalance",
    "account_balance",
    "account_for_role",
    "add_account",
    "approve_customer",
    "balance_sheet",
    "balances",
    "can_reopen_periods",
    "close_period",
    "closed_periods",
    "create_document",
    "create_draft",
    "customer_status",
    "delete_account",
    "delete_draft",
    "document_line",
    "find_entry",
    "find_party",
    "general_ledger",
    "get_account",
    "get_entry",
    "income_statement",
    "invoice_states",
    "is_closed",
    "list_accounts",
    "list_entries",
    "list_periods",
    "load_chart",
    "parse_period",
    "pending_customers",
    "period_of",
    "post_document",
    "post_draft",
    "post_entries",
    "post_entry",
    "posting_batch",
    "posted_balance",
    "register_customer",
    "reject_customer",
    "reopen_period",
    "reopen_refusal",
    "require_role",
    "reverse_entry",
    "set_active",
    "trial_balance",
    "update_account",
    "update_draft",
    "BookLimits",
    "book_limits",
    "set_book_limits",
    "Checklist",
    "checklist",
    "register_close_check",
    "start_stock_controls",
    "FiscalYear",
    "close_year",
    "fiscal_year",
    "set_start_month",
    "party_codes",
]
