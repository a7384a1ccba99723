"""The Accounts tab (the chart as a tree with balances) and an account's general ledger."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, Tree

from bo_console.core.dates import parse_date
from bo_console.core.errors import BoError
from bo_console.finance import sources
from bo_console.finance.screen.common import decimal_text, fiscal_year_start
from bo_console.finance.screen.entry_dialog import open_entry_anywhere
from bo_console.finance.screen.report_layout import report_pane
from bo_console.finance.sources import AccountNode, ReportTable
from bo_console.ui.base import BoScreen, bo_app, console_today
from bo_console.ui.kit.form import FormField, FormScreen, date_check, field_error
from bo_console.ui.kit.notify import show_error
from bo_console.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from bo_console.core.money import Currency

_TREE_WIDTH = 72
_GUIDE = 4


def _node_label(node: AccountNode, depth: int) -> Text:
    side = "Dr" if node.total > 0 else "Cr" if node.total < 0 else "  "
    amount = f"{decimal_text(abs(node.total))} {side}"
    # Groups carry an open/close mark two cells wide; leaves do not, so their names get those.
    room = max(10, _TREE_WIDTH - depth * _GUIDE - 19 + (0 if node.children else 2))
    name = f"{node.code} {node.name}" + ("" if node.active else " (inactive)")
    if cell_len(name) > room:
        name = set_cell_size(name, room - 1) + "…"
    else:
        name = set_cell_size(name, room)
    label = Text(name, style="" if node.postable else "bold")
    label.append(f"{amount:>19}")
    if not node.active:
        label.stylize("dim")
    return label


class AccountsPane(Vertical):
    """The chart of accounts as a tree with balances; enter opens an account's ledger."""

    DEFAULT_CSS = """
    AccountsPane { height: 1fr; }
    AccountsPane Tree { height: 1fr; }
    """

    BINDINGS = [
        Binding("enter", "ledger", "Ledger", id="finance.accounts.ledger", show=False),
        Binding("r", "reload", "Refresh", id="finance.accounts.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__(id="accounts-pane")
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("Chart of accounts", classes="status-line", id="accounts-status")
        tree: Tree[AccountNode] = Tree("Chart of accounts", id="account-tree")
        tree.show_root = False
        tree.auto_expand = False
        tree.guide_depth = _GUIDE
        yield tree

    def on_first_show(self) -> None:
        """Load the chart the first time the tab is shown."""
        if not self.loaded:
            self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="finance-accounts", exit_on_error=False)
    def load(self) -> None:
        """Read the chart and its balances (in a worker) and draw the tree."""
        self.loaded = True
        app = bo_app(self)
        day = console_today()
        try:
            with app.store.read() as session:
                nodes, currency = sources.account_tree(session, app.actor, day)
        except BoError as exc:
            app.call_from_thread(show_error, self, exc)
            return
        app.call_from_thread(self._fill, nodes, currency, day)

    def _fill(self, nodes: list[AccountNode], currency: Currency, day: date) -> None:
        tree = cast("Tree[AccountNode]", self.query_one("#account-tree", Tree))
        tree.clear()

        def add(parent: Any, items: Iterable[AccountNode], depth: int) -> None:
            for node in items:
                label = _node_label(node, depth)
                if node.children:
                    child = parent.add(label, data=node, expand=depth < 1)
                    add(child, node.children, depth + 1)
                else:
                    parent.add_leaf(label, data=node)

        add(tree.root, nodes, 0)
        self.query_one("#accounts-status", Static).update(
            f"Balances at the end of {day.isoformat()} ({currency.code}) · enter: ledger · "
            "space: open/close"
        )

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[AccountNode]) -> None:
        event.stop()
        if event.node.data is not None:
            self.open_ledger(event.node.data)

    def action_ledger(self) -> None:
        tree = cast("Tree[AccountNode]", self.query_one("#account-tree", Tree))
        node = tree.cursor_node
        if node is not None and node.data is not None:
            self.open_ledger(node.data)

    def open_ledger(self, node: AccountNode) -> None:
        today = console_today()
        self.app.push_screen(LedgerScreen(node.code, fiscal_year_start(self, today), today))


class LedgerScreen(BoScreen):
    """The general ledger of one account: opening balance, postings with a running balance."""

    SCREEN_TITLE = "Finance · general ledger"
    HELP = (
        "The postings of one account (and the accounts under it) between two dates, each with "
        "the balance after it. f changes the dates, enter opens the entry, x exports the rows "
        "as the CLI's report does, escape goes back."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="ledger.back"),
        Binding("f", "dates", "Dates", id="ledger.dates", tooltip="Change the date range"),
    ]

    def __init__(self, account: str, date_from: date, date_to: date) -> None:
        super().__init__()
        self.account = account
        self.date_from = date_from
        self.date_to = date_to

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ledger-title", classes="section-title")
        yield Vertical(id="ledger-body")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="finance-ledger", exit_on_error=False)
    def load(self) -> None:
        """Run the general ledger report in a worker and show it."""
        from bo_console.finance import reports

        app = bo_app(self)
        try:
            with app.store.read() as session:
                gl = reports.general_ledger(
                    session, app.actor, self.account, self.date_from, self.date_to
                )
        except BoError as exc:
            app.call_from_thread(show_error, self, exc)
            return
        app.call_from_thread(self.call_later, self._show, sources.general_ledger_table(gl))

    async def _show(self, table: ReportTable) -> None:
        self.query_one("#ledger-title", Static).update(Text(table.title))
        body = self.query_one("#ledger-body", Vertical)
        await body.remove_children()
        span = f"{self.date_from.isoformat()}..{self.date_to.isoformat()}"
        pane = report_pane(
            "general-ledger", table, name=f"ledger-{self.account}", title=f"Ledger {span}"
        )
        await body.mount(pane)
        pane.table.focus()

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        number = event.row.get("number")
        if number:
            open_entry_anywhere(self, str(number))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_dates(self) -> None:
        def submit(values: dict[str, str]) -> tuple[date, date]:
            start, end = parse_date(values["from"]), parse_date(values["to"])
            if start > end:
                raise field_error("from", "after the last date")
            return start, end

        def chosen(answer: tuple[date, date] | None) -> None:
            if answer is not None:
                self.date_from, self.date_to = answer
                self.load()

        self.app.push_screen(
            FormScreen(
                f"General ledger of {self.account}",
                [
                    FormField(
                        "from",
                        "From",
                        value=self.date_from.isoformat(),
                        required=True,
                        check=date_check,
                    ),
                    FormField(
                        "to",
                        "To",
                        value=self.date_to.isoformat(),
                        required=True,
                        check=date_check,
                    ),
                ],
                submit,
                save_label="Show",
            ),
            chosen,
        )
