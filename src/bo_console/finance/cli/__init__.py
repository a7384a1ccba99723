"""``bo finance``: the chart of accounts, the journal, fiscal periods, financial reports,
customers and suppliers, invoices and bills, payments and VAT codes.

Thin: every command parses its input, calls ``finance.service`` and renders the result. Only
typer and the light core modules are imported at the top, so ``bo --help`` stays fast. One
module per group; :mod:`.options` holds what they share.
"""

from __future__ import annotations

import typer

from bo_console.finance.cli.accounts import accounts_app
from bo_console.finance.cli.bank import bank_app
from bo_console.finance.cli.cost_centres import cost_centres_app
from bo_console.finance.cli.customers import customers_app
from bo_console.finance.cli.documents import bills_app, invoices_app
from bo_console.finance.cli.journal import export_app, import_app, journal_app
from bo_console.finance.cli.notes import note_app, writeoff_app
from bo_console.finance.cli.parties import parties_app
from bo_console.finance.cli.payments import payments_app
from bo_console.finance.cli.periods import period_app
from bo_console.finance.cli.printing import documents_app
from bo_console.finance.cli.reports import report_app
from bo_console.finance.cli.tax import tax_app
from bo_console.finance.cli.vat import vat_app

app = typer.Typer(
    help="Finance: chart of accounts, journal, fiscal periods and financial reports.",
    no_args_is_help=True,
)
app.add_typer(accounts_app, name="accounts")
app.add_typer(cost_centres_app, name="cost-centres")
app.add_typer(journal_app, name="journal")
app.add_typer(report_app, name="report")
app.add_typer(period_app, name="period")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(parties_app, name="parties")
app.add_typer(customers_app, name="customers")
app.add_typer(invoices_app, name="invoices")
app.add_typer(bills_app, name="bills")
app.add_typer(note_app, name="note")
app.add_typer(writeoff_app, name="writeoff")
app.add_typer(payments_app, name="payments")
app.add_typer(tax_app, name="tax-codes")
app.add_typer(vat_app, name="vat")
app.add_typer(bank_app, name="bank")
app.add_typer(documents_app, name="documents")

__all__ = ["app"]
