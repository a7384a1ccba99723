"""The Finance screen: journal, accounts, invoices, bills, payments, reports and periods.

Thin over the finance services, built on ``ui.kit``: every change goes through the kit's write
path in its own unit of work, and what the service refuses is shown as it says it.
Irreversible steps (post, reverse, delete a draft, void, close a period) are first tried in a
transaction that is rolled back, so a refusal shows at once; only then does a dialog say what
will happen and ask. One module per tab or dialog; the tabs are built when first shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from bo_console.ui.kit.department import DepartmentScreen, Tab

if TYPE_CHECKING:
    from bo_console.finance.screen.accounts import AccountsPane, LedgerScreen
    from bo_console.finance.screen.bank import BankPane
    from bo_console.finance.screen.document_form import DocumentForm, DocumentLineRow
    from bo_console.finance.screen.documents import (
        BillsPane,
        DocumentScreen,
        DocumentsPane,
        InvoicesPane,
    )
    from bo_console.finance.screen.entry_dialog import EntryScreen
    from bo_console.finance.screen.entry_form import EntryForm, EntryLine
    from bo_console.finance.screen.journal import JournalPane
    from bo_console.finance.screen.payments import PaymentScreen, PaymentsPane
    from bo_console.finance.screen.periods import PeriodsPane
    from bo_console.finance.screen.reports import ReportsPane

_HOMES = {
    "AccountsPane": "accounts",
    "BankPane": "bank",
    "BillsPane": "documents",
    "DocumentForm": "document_form",
    "DocumentLineRow": "document_form",
    "DocumentScreen": "documents",
    "DocumentsPane": "documents",
    "EntryForm": "entry_form",
    "EntryLine": "entry_form",
    "EntryScreen": "entry_dialog",
    "InvoicesPane": "documents",
    "JournalPane": "journal",
    "LedgerScreen": "accounts",
    "PaymentScreen": "payments",
    "PaymentsPane": "payments",
    "PeriodsPane": "periods",
    "ReportsPane": "reports",
}
"""Where each tab and dialog lives. The screen opens on the Journal: the other tabs' modules
(and what they import) load when their tab is first shown, not before the first frame."""


def __getattr__(name: str) -> Any:
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def _pane(name: str, *args: Any) -> Any:
    """A tab's pane, its module imported now (when the tab is first shown)."""
    pane_class = __getattr__(name)
    return pane_class(*args)


__all__ = [
    "AccountsPane",
    "BankPane",
    "BillsPane",
    "DocumentForm",
    "DocumentLineRow",
    "DocumentScreen",
    "DocumentsPane",
    "EntryForm",
    "EntryLine",
    "EntryScreen",
    "FinanceScreen",
    "InvoicesPane",
    "JournalPane",
    "LedgerScreen",
    "PaymentScreen",
    "PaymentsPane",
    "PeriodsPane",
    "ReportsPane",
]


class FinanceScreen(DepartmentScreen):
    """Finance: journal, chart of accounts, reports, periods and the Finance inbox."""

    DEPARTMENT = "finance"
    SCREEN_TITLE = "Finance"
    LAZY_TABS = True
    WARM_UP = ("bo_console.finance.service",)
    LINK_TABS = {"document": "invoices", "party": "invoices"}
    BINDINGS = [
        Binding(
            "w",
            "customers",
            "New customers",
            id="finance.customers",
            tooltip="Customers the front office registered, to approve or reject",
        )
    ]
    DEFAULT_CSS = """
    /* Eight tabs fit in 80 columns with one space between them. */
    FinanceScreen Tab { padding: 0 0 0 1; }
    """
    HELP = (
        "Journal lists every entry, newest first: / finds text or an entry number, f filters "
        "by dates, account and state, enter opens an entry, n starts one (ctrl+s saves a "
        "draft, ctrl+o posts), p posts a draft, v reverses a posted entry. Accounts: the chart "
        "with balances; enter opens an account's ledger. Invoices and Bills: n new, p post, m "
        "receive or pay what is open, v void with a credit note (managers), c a credit note "
        "on part of a posted one (its lines prefilled; type the quantity returned or the "
        "amount corrected), b a debit note, f filter. "
        "Payments: n enter one, a allocate what is on account, v void (managers). Reports: t "
        "trial balance, i income statement, b balance sheet, l ledger, v VAT return, a and p "
        "aged receivables and payables, z the VAT return in ZATCA's boxes; enter drills down; x "
        "exports what bo finance report writes. Bank: a bank account's statement lines; i "
        "imports a statement, m matches what is sure and posts the lines a rule fits, enter "
        "shows a line's suggested ledger lines (1-3 reconciles), u undoes, o open or all, b "
        "next bank; the status line balances statement to ledger. Periods: managers close "
        "months, admins reopen them. Every posting, void and "
        "close is checked first and asks before it is done; auditors read only. w lists the "
        "customers the front office registered: a approves one (not by who registered it), j "
        "rejects it."
    )

    def __init__(self) -> None:
        super().__init__()
        self._left = False

    def tabs(self) -> Iterable[Tab]:
        app = self.bo_app
        yield Tab("journal", "Journal", lambda: _pane("JournalPane", app), short="Jrnl")
        yield Tab("accounts", "Accounts", lambda: _pane("AccountsPane"), short="Accts")
        yield Tab("invoices", "Invoices", lambda: _pane("InvoicesPane", app), short="Inv")
        yield Tab("bills", "Bills", lambda: _pane("BillsPane", app))
        yield Tab("payments", "Payments", lambda: _pane("PaymentsPane", app), short="Pay")
        yield Tab("reports", "Reports", lambda: _pane("ReportsPane"), short="Rpts")
        yield Tab("periods", "Periods", lambda: _pane("PeriodsPane"), short="Per")
        yield Tab("bank", "Bank", lambda: _pane("BankPane"))

    async def action_show_tab(self, tab_id: str) -> None:
        await super().action_show_tab(tab_id)
        pane = self.query_one(f"#{tab_id}")
        # The keys of a tab work while something in it has the focus; before a report is
        # shown, the Reports tab itself takes it.
        for widget in pane.query("Tree, VirtualTable, DataTable, ReportsPane"):
            widget.focus()
            break

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        # Back from another department or a dialog: the journal may have changed meanwhile.
        # (Textual resumes a new mode's screen twice as it opens: no second read then.)
        if self._left:
            self._left = False
            for pane in self.query("JournalPane"):
                pane.reload()  # type: ignore[attr-defined]

    @property
    def journal(self) -> JournalPane:
        return self.query_one(__getattr__("JournalPane"))  # type: ignore[no-any-return]

    def open_source(self, where: str, ref: str) -> None:
        """Open the invoice, bill, credit note (``where``: sales or purchases) or payment
        (``payments``) an entry came from (its tab is built first if it has not been shown)."""

        from bo_console.finance.screen.documents import BillsPane, InvoicesPane
        from bo_console.finance.screen.payments import PaymentsPane

        async def go() -> None:
            if where == "payments":
                await self.ensure_tab("payments")
                self.query_one(PaymentsPane).open_payment(ref)
            else:
                await self.ensure_tab("invoices" if where == "sales" else "bills")
                self.query_one(InvoicesPane if where == "sales" else BillsPane).open_document(ref)

        self.call_later(go)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "customers":
            return self.bo_app.actor.can("finance.post")
        return super().check_action(action, parameters)

    def action_customers(self) -> None:
        from bo_console.finance.screen.customers import PendingCustomersDialog

        self.app.push_screen(PendingCustomersDialog())

    async def open_link(self, entity: str, ref: str) -> None:
        """A linked party opens its open invoices; a document opens itself."""
        if entity == "party":
            self.show_documents("sales", ref)
            return
        await super().open_link(entity, ref)

    def show_documents(self, side: str, party: str, document: str = "") -> None:
        """The open invoices (or bills) of a party, and one of them opened if named."""

        from bo_console.finance import sources
        from bo_console.finance.screen.documents import BillsPane, InvoicesPane

        async def go() -> None:
            await self.action_show_tab("invoices" if side == "sales" else "bills")
            pane: DocumentsPane = self.query_one(InvoicesPane if side == "sales" else BillsPane)
            pane.apply_filter(sources.DocumentListFilter(status="open", party=party))
            if document:
                pane.open_document(document)

        self.call_later(go)
