"""Customers the front office registered, waiting for finance: approve or reject them after
checking the commercial registration and the VAT number (key ``w`` on the Finance screen)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from bo_console.finance import service
from bo_console.ui.kit import FormField, ServiceAction, form_action, read, run_action
from bo_console.ui.kit.short_list import ColumnSpec, ListRow, fill_table, new_table, selected_key

CUSTOMERS = "finance.customers"
COLUMNS = (
    ColumnSpec("Code", 8),
    ColumnSpec("Name", 26),
    ColumnSpec("CR", 10),
    ColumnSpec("VAT number", 15),
    ColumnSpec("By", 10),
)


class PendingCustomersDialog(ModalScreen[None]):
    """The customers waiting for approval; ``a`` approves, ``j`` rejects the highlighted one."""

    DEFAULT_CSS = """
    PendingCustomersDialog { align: center middle; }
    PendingCustomersDialog > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    PendingCustomersDialog DataTable { height: auto; max-height: 14; }
    PendingCustomersDialog .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("a", "approve", "Approve", id="finance.customers.approve"),
        Binding("j", "reject", "Reject", id="finance.customers.reject"),
        Binding("escape,q", "close", "Close", id="finance.customers.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="customers-title")
            yield new_table("customers-table")
            yield Static("a approve · j reject · esc close", classes="keys")

    def on_mount(self) -> None:
        table: DataTable[Any] = self.query_one("#customers-table", DataTable)
        for column in COLUMNS:
            table.add_column(column.title, width=column.width)
        self.reload()

    def reload(self, _: object = None) -> None:
        rows = read(self, lambda s, a: service.pending_customers(s, a)) or []
        fill_table(
            self.query_one("#customers-table", DataTable),
            [
                ListRow(r.code, (r.code, r.name, r.cr_number, r.tax_number, r.created_by))
                for r in rows
            ],
            COLUMNS,
        )
        self.query_one("#customers-title", Static).update(
            f"Customers waiting for approval: {len(rows)}"
        )
        self.query_one("#customers-table", DataTable).focus()

    def _selected(self) -> str | None:
        return selected_key(self.query_one("#customers-table", DataTable))

    def action_approve(self) -> None:
        code = self._selected()
        if code is None:
            return
        run_action(
            self,
            ServiceAction(
                "Approve customer",
                "Approve",
                lambda s, a: service.approve_customer(s, a, code),
                f"Approve {code}? Check its commercial registration and VAT number against "
                "the certificates first; it can then be quoted and invoiced.",
                self.reload,
                topics=(CUSTOMERS,),
                destructive=False,
            ),
        )

    def action_reject(self) -> None:
        code = self._selected()
        if code is None:
            return
        form_action(
            self,
            f"Reject {code}",
            [FormField("reason", "Why", required=True)],
            lambda values: ServiceAction(
                "Reject customer",
                "Reject",
                lambda s, a: service.reject_customer(s, a, code, values["reason"]),
                f"Reject {code}? It is deactivated; the front office sees why.",
                self.reload,
                topics=(CUSTOMERS,),
            ),
        )

    def action_close(self) -> None:
        self.dismiss(None)
