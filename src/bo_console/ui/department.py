"""What department screens share: numbered tabs, list panes over virtual tables, the inbox tab.

A department screen subclasses :class:`DepartmentScreen`, names its department and lists its
tabs; each list tab is usually a :class:`ListPane` (a virtual table with a status line, ``/``
filter, ``o`` order, ``x`` export). The department's inbox is always the last tab.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from bo_console.core.errors import BoError
from bo_console.core.paging import QuerySource
from bo_console.ui.base import BoScreen
from bo_console.ui.inbox import InboxPanel
from bo_console.ui.widgets.form import FormField, FormScreen
from bo_console.ui.widgets.virtual_table import VirtualTable

Exporter = Callable[[Path, str], int]
"""Writes the pane's current rows to a file in a format (csv, xlsx, json); returns the count."""


def generic_exporter(source: QuerySource) -> Exporter:
    """Export every row the source's filter matches, in its order, with its columns."""

    def export(path: Path, fmt: str) -> int:
        from bo_console.core import io

        rows = list(source.iter_rows())
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
    ]

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
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def compose(self) -> ComposeResult:
        yield Static(self.title, classes="status-line")
        yield VirtualTable(self.source, filter_hint=self.filter_hint)

    @on(VirtualTable.Moved)
    def _moved(self, event: VirtualTable.Moved) -> None:
        self.query_one(".status-line", Static).update(f"{self.title}: {event.table.status_text()}")

    def action_reload(self) -> None:
        self.table.refresh_data()

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


@dataclass(frozen=True)
class Tab:
    """A tab of a department screen: its id, title and what fills it."""

    id: str
    title: str
    make: Callable[[], Widget]


class DepartmentScreen(BoScreen):
    """Base of the department screens: numbered tabs (keys 1-9), the inbox last."""

    DEPARTMENT: ClassVar[str] = ""
    LAZY_TABS: ClassVar[bool] = False
    """Build the first tab with the screen and each other one when it is first shown, so the
    screen opens without reading or drawing what is not on it yet."""

    def tabs(self) -> Iterable[Tab]:
        """The department's own tabs, in order (the inbox is added after them)."""
        return ()

    def compose_body(self) -> ComposeResult:
        tabs = [*self.tabs(), Tab("inbox", "Inbox", lambda: InboxPanel(self.DEPARTMENT))]
        self._tab_ids = [t.id for t in tabs]
        self._tab_titles = {t.id: t.title for t in tabs}
        self._tab_makers = {t.id: t.make for t in tabs}
        self._built_tabs: set[str] = set()
        self._building: dict[str, asyncio.Event] = {}
        with TabbedContent(initial=tabs[0].id, id="dept-tabs"):
            for number, tab in enumerate(tabs, start=1):
                with TabPane(f"{number} {tab.title}", id=tab.id):
                    if number == 1 or not self.LAZY_TABS:
                        self._built_tabs.add(tab.id)
                        yield tab.make()

    async def ensure_tab(self, tab_id: str) -> None:
        """Build the tab's content if it is not yet built, and wait until it is mounted."""
        if tab_id in self._built_tabs:
            return
        building = self._building.get(tab_id)
        if building is not None:
            await building.wait()
            return
        building = self._building[tab_id] = asyncio.Event()
        try:
            self._built_tabs.add(tab_id)
            await self.query_one(f"#{tab_id}", TabPane).mount(self._tab_makers[tab_id]())
        finally:
            building.set()
            del self._building[tab_id]

    def on_mount(self) -> None:
        for number, tab_id in enumerate(self._tab_ids[:9], start=1):
            self._bindings.bind(
                str(number),
                f"show_tab('{tab_id}')",
                f"{self._tab_titles[tab_id]} tab",
                show=False,
            )
        self._focus_tab(self._tab_ids[0])

    async def action_show_tab(self, tab_id: str) -> None:
        await self.ensure_tab(tab_id)
        self.query_one("#dept-tabs", TabbedContent).active = tab_id
        self._focus_tab(tab_id)

    def _focus_tab(self, tab_id: str) -> None:
        for widget in self.query_one(f"#{tab_id}").query("VirtualTable, DataTable"):
            widget.focus()
            return

    @on(TabbedContent.TabActivated)
    async def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            await self.ensure_tab(event.pane.id)
        self.refresh_bindings()
