"""``bo finance``: the chart of accounts, the journal, fiscal periods, financial reports,
customers and suppliers, invoices and bills, payments and VAT codes.

Thin: every command parses its input, calls ``finance.service`` and renders the result. Only
typer and the light core modules are imported at the top, so ``bo --help`` stays fast. One
module per group; :mod:`.options` holds what they share.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Finance: chart of accounts, journal, fiscal periods and financial reports.",
    no_args_is_help=True,
)

SUBGROUPS: dict[str, str] = {
    "accounts": "bo_console.finance.cli.accounts:accounts_app",
    "cost-centres": "bo_console.finance.cli.cost_centres:cost_centres_app",
    "journal": "bo_console.finance.cli.journal:journal_app",
    "report": "bo_console.finance.cli.reports:report_app",
    "period": "bo_console.finance.cli.periods:period_app",
    "import": "bo_console.finance.cli.journal:import_app",
    "export": "bo_console.finance.cli.journal:export_app",
    "parties": "bo_console.finance.cli.parties:parties_app",
    "customers": "bo_console.finance.cli.customers:customers_app",
    "invoices": "bo_console.finance.cli.documents:invoices_app",
    "bills": "bo_console.finance.cli.documents:bills_app",
    "note": "bo_console.finance.cli.notes:note_app",
    "writeoff": "bo_console.finance.cli.notes:writeoff_app",
    "payments": "bo_console.finance.cli.payments:payments_app",
    "tax-codes": "bo_console.finance.cli.tax:tax_app",
    "vat": "bo_console.finance.cli.vat:vat_app",
    "bank": "bo_console.finance.cli.bank:bank_app",
    "documents": "bo_console.finance.cli.printing:documents_app",
}
"""``app``'s sub-groups, name -> "module:attribute", in the order help lists them. A command
line imports only the one it names (:func:`bo_console.cli.load_group`); help, an option or
a misspelling below ``app`` imports them all."""

__all__ = ["SUBGROUPS", "app"]
