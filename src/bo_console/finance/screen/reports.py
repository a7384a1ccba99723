"""The Reports tab: pick a report and its dates, see it as a list, export it as the CLI would."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError
from bo_console.finance import sources
from bo_console.finance.screen.accounts import LedgerScreen
from bo_console.finance.screen.common import fiscal_year_start
from bo_console.finance.screen.entry_dialog import open_entry_anywhere
from bo_console.finance.screen.report_layout import report_pane
from bo_console.finance.sources import ReportKind, ReportTable
from bo_console.ui.base import bo_app, console_today
from bo_console.ui.kit.form import FormField, FormScreen, date_check, one_of
from bo_console.ui.kit.notify import show_error
from bo_console.ui.widgets.virtual_table import VirtualTable


def _period_check(text: str) -> str | None:
    from bo_console.finance.ledger import parse_period

    try:
        parse_period(text)
    except BoError as exc:
        return exc.message
    return None


def _vat_period_check(text: str) -> str | None:
    import re

    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2]|[Qq][1-4])", text.strip()) is None:
        return "a month (YYYY-MM) or a quarter (YYYY-Qn)"
    return None


MENU = {
    "trial-balance": "t trial balance",
    "income-statement": "i income statement",
    "balance-sheet": "b balance sheet",
    "cashflow": "f cash flow",
    "general-ledger": "l ledger",  # (g moves to the first row of a list)
    "vat-return": "v VAT return",
    "vat-zatca": "z ZATCA return",
    "aged-receivables": "a aged receivables",
    "aged-payables": "p aged payables",
}
"""The Reports tab's keys, as its menu line shows them."""


class ReportsPane(Vertical, can_focus=True):
    """Pick a report and its dates, see it as a list, export it as the CLI would."""

    DEFAULT_CSS = """
    ReportsPane { height: 1fr; }
    ReportsPane #report-menu { color: $text-muted; padding: 0 1; height: auto; }
    ReportsPane #report-note { color: $text-muted; padding: 0 1; height: 1; }
    ReportsPane #report-body { height: 1fr; }
    """

    BINDINGS = [
        Binding("t", "report('trial-balance')", "Trial balance", id="finance.reports.tb"),
        Binding("i", "report('income-statement')", "Income stmt", id="finance.reports.is"),
        Binding("b", "report('balance-sheet')", "Balance sheet", id="finance.reports.bs"),
        Binding("f", "report('cashflow')", "Cash flow", id="finance.reports.cf"),
        Binding("l", "report('general-ledger')", "Ledger", id="finance.reports.gl"),
        Binding("v", "report('vat-return')", "VAT return", id="finance.reports.vat"),
        Binding("z", "report('vat-zatca')", "ZATCA return", id="finance.reports.zatca"),
        Binding("a", "report('aged-receivables')", "Aged AR", id="finance.reports.ar"),
        Binding("p", "report('aged-payables')", "Aged AP", id="finance.reports.ap"),
        Binding(
            "c",
            "change",
            "Dates",
            id="finance.reports.change",
            tooltip="Change the dates of the report shown",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="reports-pane")
        self.kinds = {k.key: k for k in sources.REPORTS}
        self.current: str | None = None
        self.args: dict[str, Any] = {}
        self.table: ReportTable | None = None

    def compose(self) -> ComposeResult:
        menu = " · ".join(MENU[k.key] for k in sources.REPORTS if k.key in MENU)
        yield Static(f"{menu} · c dates", id="report-menu")
        yield Static("Pick a report with its key.", id="report-note")
        yield Vertical(id="report-body")

    def _defaults(self) -> dict[str, str]:
        today = console_today()
        return {
            "as_of": today.isoformat(),
            "date_from": fiscal_year_start(self, today).isoformat(),
            "date_to": today.isoformat(),
            "compare": "no",
            "account": "",
            "period": f"{today:%Y-%m}",
            "vat_period": f"{today:%Y-%m}",
            "detail": "no",
            "cost_centre": "",
        }

    def action_report(self, key: str) -> None:
        """Ask the dates of report ``key`` (prefilled with the last ones), then run it."""
        kind = self.kinds[key]
        typed = {**self._defaults(), **self.args.get("_typed", {})}
        labels = {
            "as_of": "As of",
            "date_from": "From",
            "date_to": "To",
            "compare": "Compare",
            "account": "Account",
            "period": "Month",
            "vat_period": "Period",
            "detail": "Detail",
            "cost_centre": "Cost centre",
        }
        helps = {
            "compare": "yes: beside the previous period of the same length.",
            "detail": "yes: one row per document.",
            "cost_centre": "Only its lines (a code of the list); empty: the whole business.",
        }
        fields = []
        for name in kind.fields:
            if name in ("compare", "detail"):
                fields.append(
                    FormField(
                        name,
                        labels[name],
                        value=typed[name],
                        check=one_of(("yes", "no"), "answer"),
                        suggestions=("yes", "no"),
                        help=helps[name],
                    )
                )
            elif name == "period":
                fields.append(
                    FormField(
                        name,
                        labels[name],
                        value=typed[name],
                        required=True,
                        check=_period_check,
                        placeholder="YYYY-MM",
                    )
                )
            elif name == "vat_period":
                fields.append(
                    FormField(
                        name,
                        labels[name],
                        value=typed[name],
                        required=True,
                        check=_vat_period_check,
                        placeholder="YYYY-MM or YYYY-Qn",
                    )
                )
            elif name == "cost_centre":
                fields.append(
                    FormField(
                        name,
                        labels[name],
                        value=typed[name],
                        suggestions=self._centres(),
                        help=helps[name],
                    )
                )
            elif name == "account":
                fields.append(FormField(name, labels[name], value=typed[name], required=True))
            else:
                fields.append(
                    FormField(
                        name, labels[name], value=typed[name], required=True, check=date_check
                    )
                )

        def submit(values: dict[str, str]) -> dict[str, Any]:
            args: dict[str, Any] = {"_typed": values}
            for name, text in values.items():
                if name in ("as_of", "date_from", "date_to"):
                    args[name] = parse_date(text)
                elif name in ("compare", "detail"):
                    args[name] = text == "yes"
                else:
                    args[name] = text
            return args

        def chosen(args: dict[str, Any] | None) -> None:
            if args is not None:
                self.current = key
                self.args = args
                self.run()

        self.app.push_screen(FormScreen(kind.name, fields, submit, save_label="Show"), chosen)

    def _centres(self) -> tuple[str, ...]:
        """The cost centres' codes, for the income statement's field to complete."""
        from bo_console.finance.cost_centres import list_cost_centres

        app = bo_app(self)
        with app.store.read() as session:
            return tuple(c.code for c in list_cost_centres(session, app.actor))

    def action_change(self) -> None:
        if self.current is not None:
            self.action_report(self.current)

    def show_report(self, key: str, **args: Any) -> None:
        """Run report ``key`` with ``args`` (dates as ``date``) without asking."""
        self.current = key
        self.args = dict(args)
        self.run()

    @work(thread=True, exclusive=True, group="finance-report", exit_on_error=False)
    def run(self) -> None:
        """Run the current report in a worker (big ledgers take a moment) and show it."""
        if self.current is None:
            return
        kind: ReportKind = self.kinds[self.current]
        app = bo_app(self)
        app.call_from_thread(self._note, f"running {kind.name.lower()} ...")
        try:
            with app.store.read() as session:
                table = kind.run(session, app.actor, self.args)
        except BoError as exc:
            app.call_from_thread(self._note, f"{exc.title}: {exc.message}")
            app.call_from_thread(show_error, self, exc)
            return
        app.call_from_thread(self.call_later, self._show, kind.key, table)

    def _note(self, text: str) -> None:
        self.query_one("#report-note", Static).update(Text(text))

    async def _show(self, key: str, table: ReportTable) -> None:
        self.table = table
        self._note(table.note or "")
        body = self.query_one("#report-body", Vertical)
        await body.remove_children()
        pane = report_pane(key, table, name=key)
        await body.mount(pane)
        pane.table.focus()

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        row = event.row
        if row.get("number"):
            open_entry_anywhere(self, str(row["number"]))
        elif row.get("code") and self.current in ("trial-balance", "balance-sheet"):
            as_of: date = self.args.get("as_of", console_today())
            first = fiscal_year_start(self, as_of)
            self.app.push_screen(LedgerScreen(str(row["code"]), first, as_of))
        elif row.get("code") and self.current in ("income-statement", "cashflow"):
            self.app.push_screen(
                LedgerScreen(str(row["code"]), self.args["date_from"], self.args["date_to"])
            )
        elif row.get("party") and self.current in ("aged-receivables", "aged-payables"):
            side = "sales" if self.current == "aged-receivables" else "purchases"
            from bo_console.finance.screen import FinanceScreen

            screen = self.screen
            if isinstance(screen, FinanceScreen):
                screen.show_documents(side, str(row["party"]), str(row.get("document") or ""))
