"""Bank statements: import (CSV with a saved mapping, CAMT.053), reconciliation with the
ledger (suggestions, automatic matching, rules for recurring lines) and the report that
balances statement to ledger."""

from bo_console.finance.bank.reconcile import (
    Candidate,
    LineView,
    MatchResult,
    add_rule,
    auto_match,
    line_actions,
    list_lines,
    reconcile,
    suggestions,
    unreconcile,
)
from bo_console.finance.bank.report import (
    MonthStatus,
    Reconciliation,
    bank_accounts_reconciled,
    reconciliation,
)
from bo_console.finance.bank.statements import (
    BankAccountView,
    ImportResult,
    add_bank_account,
    import_statement,
    list_bank_accounts,
)

__all__ = [
    "BankAccountView",
    "Candidate",
    "ImportResult",
    "LineView",
    "MatchResult",
    "MonthStatus",
    "Reconciliation",
    "add_bank_account",
    "add_rule",
    "auto_match",
    "bank_accounts_reconciled",
    "import_statement",
    "line_actions",
    "list_bank_accounts",
    "list_lines",
    "reconcile",
    "reconciliation",
    "suggestions",
    "unreconcile",
]
