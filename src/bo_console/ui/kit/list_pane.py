"""A list tab: a virtual table with a status line, ``/`` filter, ``o`` order and ``x`` export.

Subclasses declare their keys as bindings and which permission each action needs in ``PERMS``
(checked once, in :meth:`ListPane.check_action`); ``LISTENS`` names the data topics after which
the list reads itself again; :meth:`ListPane.open_row` is what Enter on a row does::

    class TicketsPane(ListPane):
        PERMS = {"new": "it.write"}
        LISTENS = frozenset({"it.tickets"})
        BINDINGS = [Binding("n", "new", "New", id="it.tickets.new")]

        def open_row(self, key: str, row: Row) -> None:
            ...
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from bo_console.core.errors import BoError
from bo_console.ui.base import bo_app
from bo_console.ui.kit.events import DataChanged
from bo_console.ui.widgets.form import FormField, FormScreen
from bo_console.ui.widgets.status_line import StatusLine
from bo_console.ui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from bo_console.core.paging import QuerySource
    from bo_console.ui.app import BoApp

Row = dict[str, Any]
"""One row of a list, as its source gives it (column key to value)."""

Exporter = Callable[[Path, str], int]
"""Writes the pane's current rows to a file in a format (csv, xlsx, json); returns the count."""


def generic_exporter(source: QuerySource) -> Exporter:
    """Export every row the source's filter matches, in its order, with its columns."""

    def export(path: Path, fmt: str) -> int:
        from bo_console.core import io

        rows = list(source.iter_rows())
        for column in source.columns:
            if column.compute is not None:
                for row in rows:
                    column.value(row)
        columns = [c.key for c in source.columns]
        io.write_file(rows, columns, path, fmt)
        return len(rows)

    return export


class ListPane(Vertical):
    """A virtual table with a status line (position, order, filter) and export on ``x``."""

    DEFAULT_CSS = """
    ListPane { height: 1fr; }
    ListPane > .status-line { height: 1; }
    """

    BINDINGS = [
        Binding(
            "x",
            "export",
            "Export",
            id="list.export",
            tooltip="Export the rows shown (with the filter) to CSV, XLSX or JSON",
        ),
        Binding("r", "reload", "Refresh", id="list.refresh"),
        Binding(
            "w",
            "work_items",
            "Work items",
            id="list.work-items",
            tooltip="The open work items linked to the record under the cursor",
        ),
    ]

    WORK_ITEMS: ClassVar[tuple[str, str] | None] = None
    """(kind of record, the row's column holding its reference) when work items link to the
    rows: ``w`` then lists the open items of the record under the cursor."""
    PERMS: ClassVar[dict[str, str]] = {}
    """Action name to the permission it needs; without it the key is hidden and does nothing."""
    LISTENS: ClassVar[frozenset[str]] = frozenset()
    """Data topics after which the list reads itself again (see ``kit.events``)."""
    TABLE_ID: ClassVar[str | None] = None
    """Id of the table, for tests and CSS."""

    def __init__(
        self,
        source: QuerySource,
        *,
        name: str,
        title: str,
        exporter: Exporter | None = None,
        filter_hint: str = "",
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.source = source
        self.list_name = name
        self.title = title
        self.exporter = exporter or generic_exporter(source)
        self.filter_hint = filter_hint

    @property
    def bo_app(self) -> BoApp:
        return bo_app(self)

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def compose(self) -> ComposeResult:
        yield StatusLine(self.title, classes="status-line")
        yield VirtualTable(self.source, filter_hint=self.filter_hint, id=self.TABLE_ID)

    def may(self, action: str) -> bool:
        """Whether the signed-in actor holds the permission ``action`` needs (if any)."""
        permission = self.PERMS.get(action)
        return permission is None or self.bo_app.actor.can(permission)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "work_items" and self.WORK_ITEMS is None:
            return False
        return self.may(action)

    def action_work_items(self) -> None:
        from bo_console.ui.kit.record_items import show_record_items

        row = self.current_row()
        if self.WORK_ITEMS is None or row is None:
            return
        entity, column = self.WORK_ITEMS
        show_record_items(self, entity, str(row[column]))

    def current_row(self) -> Row | None:
        """The row under the cursor, or None when the list is empty."""
        return self.table.current_row()

    def current_key(self) -> str | None:
        """The key of the row under the cursor, as text."""
        row = self.current_row()
        return None if row is None else str(self.source.key_of(row))

    def open_row(self, key: str, row: Row) -> None:
        """What Enter on a row does (nothing here: the event goes on to the screen)."""

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        if type(self).open_row is ListPane.open_row:
            return
        event.stop()
        self.open_row(str(event.key), event.row)

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the rows again (after a change here or elsewhere), the cursor kept."""
        self.table.refresh_data()

    def status_line(self, table: VirtualTable) -> str:
        """The line above the table: the title, the position, the order and the filter."""
        return f"{self.title}: {table.status_text()}"

    def on_mount(self) -> None:
        # Told as the cursor is set, not by a message handled after the table has drawn: the
        # status line changes in the same frame as the table, not in a second one.
        self.watch(self.table, "cursor", self._moved)

    def _moved(self) -> None:
        # One line of fixed height: no layout pass of the screen for each key.
        self.query_one(".status-line", StatusLine).update(
            self.status_line(self.table), layout=False
        )

    def action_reload(self) -> None:
        self.reload()

    def action_export(self) -> None:
        default = Path.home() / f"bo-{self.list_name}-{date.today():%Y%m%d}.csv"

        def check(text: str) -> str | None:
            path = Path(text).expanduser()
            if path.suffix.lower() not in (".csv", ".xlsx", ".json"):
                return "end the name with .csv, .xlsx or .json"
            if not path.parent.is_dir():
                return f"folder {path.parent} does not exist"
            return None

        def submit(values: dict[str, str]) -> Path:
            return Path(values["path"]).expanduser()

        form = FormScreen(
            f"Export {self.title.lower()}",
            [
                FormField(
                    "path",
                    "File",
                    value=str(default),
                    required=True,
                    check=check,
                    help="The format follows the extension: .csv, .xlsx or .json.",
                ),
            ],
            submit,
            save_label="Export",
        )
        self.app.push_screen(form, self._export_to)

    def _export_to(self, path: Path | None) -> None:
        if path is not None:
            self.notify(f"exporting to {path} ...")
            self._run_export(path)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _run_export(self, path: Path) -> None:
        fmt = path.suffix.lower().lstrip(".")
        try:
            count = self.exporter(path, fmt)
        except (BoError, OSError) as exc:
            message = exc.message if isinstance(exc, BoError) else str(exc)
            self.app.call_from_thread(self.notify, message, title="export failed", severity="error")
            return
        self.app.call_from_thread(self.notify, f"wrote {count:,} rows to {path}")


__all__ = ["Exporter", "ListPane", "Row", "generic_exporter"]
