"""The open work items of one record (an order, a party, an employee, ...), in a dialog.

Any list whose rows are records that work items link to can offer it on a key::

    Binding("w", "work_items", "Work items", id="logistics.sales.items")

    def action_work_items(self) -> None:
        if self.selected_key is not None:
            show_record_items(self, "order", self.selected_key)

Enter opens an item (the inbox's item dialog: take it, comment, move it on); only items in
the inboxes the person can read, or that they raised, are listed.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from bo_console.core import inbox
from bo_console.core.errors import BoError
from bo_console.ui.base import bo_app
from bo_console.ui.kit.short_list import ColumnSpec, ListRow, fill_table, new_table, selected_key

COLUMNS = (
    ColumnSpec("ID", 5, right=True),
    ColumnSpec("Kind", 22),
    ColumnSpec("Subject", 26),
    ColumnSpec("Status", 11),
    ColumnSpec("Due", 10),
)


class RecordItemsDialog(ModalScreen[None]):
    """The open work items linked to ``entity`` ``ref``; enter opens one."""

    DEFAULT_CSS = """
    RecordItemsDialog { align: center middle; }
    RecordItemsDialog > Vertical {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    RecordItemsDialog DataTable { height: auto; max-height: 12; }
    RecordItemsDialog .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("enter", "open_item", "Open", id="record-items.open"),
        Binding("escape,q", "close", "Close", id="record-items.close"),
    ]

    def __init__(self, entity: str, ref: str) -> None:
        super().__init__()
        self.entity = entity
        self.ref = ref

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="record-items-title")
            yield new_table("record-items-table")
            yield Static("enter open · esc close", classes="keys")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        app = bo_app(self)
        try:
            with app.store.read() as session:
                items = inbox.items_for(session, app.actor, self.entity, self.ref)
        except BoError as exc:
            self.query_one("#record-items-title", Static).update(f"{exc.title}: {exc.message}")
            return
        rows = [
            ListRow(
                str(i.id),
                (i.id, inbox.item_kind(i).title, i.subject, i.status, i.due_date or ""),
            )
            for i in items
        ]
        table: DataTable[Any] = self.query_one("#record-items-table", DataTable)
        if not table.columns:
            for column in COLUMNS:
                table.add_column(column.title, width=column.width)
        fill_table(table, rows, COLUMNS)
        count = f"{len(rows)} open work item{'s' if len(rows) != 1 else ''}"
        self.query_one("#record-items-title", Static).update(
            f"{self.entity.capitalize()} {self.ref}: {count}"
        )
        table.focus()

    @on(DataTable.RowSelected, "#record-items-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_open_item(self) -> None:
        from bo_console.ui.inbox import WorkItemScreen

        key = selected_key(self.query_one("#record-items-table", DataTable))
        if key is not None:
            self.app.push_screen(WorkItemScreen(int(key)), lambda _: self.reload())

    def action_close(self) -> None:
        self.dismiss(None)


def show_record_items(widget: Widget, entity: str, ref: str) -> None:
    """Open the dialog of the open work items of ``entity`` ``ref``."""
    widget.app.push_screen(RecordItemsDialog(entity, ref))
