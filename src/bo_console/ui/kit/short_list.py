"""A short list with actions: a DataTable read in a worker, the cursor kept across refills.

For lists of a few dozen rows (the months of a year, a run's steps, open vacancies) where a
virtual table would be overkill. A subclass names its columns and reads its rows::

    class LicencesPane(ShortListPane):
        COLUMNS = (ColumnSpec("Product", 20), ColumnSpec("Seats", 6, right=True))
        PERMS = {"renew": "it.manage"}
        LISTENS = frozenset({"it.licences"})

        def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
            licences = service.licences(session, actor)
            return [ListRow(str(x.id), (x.product, x.seats)) for x in licences]

The rows are read when the tab is first shown (``on_first_show``), on ``r``, and after a
:class:`~bo_console.ui.kit.events.DataChanged` on one of ``LISTENS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from bo_console.core.errors import BoError
from bo_console.ui.base import bo_app
from bo_console.ui.kit.events import DataChanged
from bo_console.ui.kit.notify import show_error
from bo_console.ui.widgets.bidi import visual
from bo_console.ui.widgets.columns import visible_widths

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.ui.app import BoApp


@dataclass(frozen=True)
class ColumnSpec:
    """A column of a short list: title, natural width in cells, right-aligned (numbers) or
    not, and ``optional``: left out when the table is too narrow for it.

    Text columns (left-aligned, 12 cells or more) take the spare width of a wide table and
    give cells up in a narrow one (:func:`~bo_console.ui.widgets.columns.visible_widths`).
    ``flex=False`` says a column is a code or a status read whole (an order number): it keeps
    its width, so give it the width of its longest value; ``flex=True`` makes a narrower text
    column grow and shrink too.
    """

    title: str
    width: int
    right: bool = False
    optional: bool = False
    flex: bool | None = None


@dataclass(frozen=True)
class ListRow:
    """One row of a short list: its key and its values, one per column."""

    key: str
    values: Sequence[object]


def cell_text(value: object, *, right: bool = False) -> Text:
    """A value as a literal table cell (grouped digits for amounts; never markup)."""
    if value is None:
        text = ""
    elif isinstance(value, Decimal | int) and not isinstance(value, bool):
        text = f"{value:,}"
    else:
        text = visual(str(value))
    return Text(text, justify="right") if right else Text(text)


def new_table(table_id: str | None = None) -> DataTable[Any]:
    """A row-cursor DataTable with zebra stripes, as short lists use."""
    return DataTable(cursor_type="row", zebra_stripes=True, id=table_id)


def selected_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor, or None when the table is empty."""
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return None if key is None else str(key)


_LAYOUTS: WeakKeyDictionary[DataTable[Any], list[int | None]] = WeakKeyDictionary()
SCROLLBAR = 2
"""Cells kept for the table's vertical scrollbar."""


def column_layout(table: DataTable[Any], columns: Sequence[ColumnSpec]) -> list[int | None]:
    """Each column's width in the table's current width (None: left out for lack of room)."""
    width = table.size.width
    if width <= 0:
        return [c.width for c in columns]
    pad = table.cell_padding
    return visible_widths(
        [c.width for c in columns],
        [c.right for c in columns],
        [c.optional for c in columns],
        width - SCROLLBAR,
        gap=0,
        padding=2 * pad,
        flex=[c.flex for c in columns],
    )


def fill_table(
    table: DataTable[Any], rows: Sequence[ListRow], columns: Sequence[ColumnSpec]
) -> None:
    """Replace the table's rows, its columns fitted to its width; the cursor stays on the same
    key if it is still there, and otherwise at the same position."""
    keep_key = selected_key(table)
    keep_row = table.cursor_row
    columns = list(columns)
    if not _fitted_here(table, columns):
        # Columns the caller made itself (or of no stated width): filled as they are.
        table.clear()
        for row in rows:
            table.add_row(
                *(cell_text(v, right=c.right) for v, c in zip(row.values, columns, strict=True)),
                key=row.key,
            )
        _keep_cursor(table, keep_key, keep_row)
        return
    layout = column_layout(table, columns)
    if _LAYOUTS.get(table) != layout:
        table.clear(columns=True)
        for column, width in zip(columns, layout, strict=True):
            if width is not None:
                table.add_column(column.title, width=width)
        _LAYOUTS[table] = layout
    else:
        table.clear()
    for row in rows:
        table.add_row(
            *(
                cell_text(v, right=c.right)
                for v, c, w in zip(row.values, columns, layout, strict=True)
                if w is not None
            ),
            key=row.key,
        )
    _keep_cursor(table, keep_key, keep_row)


def _fitted_here(table: DataTable[Any], columns: Sequence[ColumnSpec]) -> bool:
    """Whether the table's columns are laid out from ``columns`` (each with a width, and the
    table's columns made from them, by ``compose`` or by an earlier fill)."""
    if not columns or any(c.width <= 0 for c in columns):
        return False
    labels = [str(c.label) for c in table.columns.values()]
    layout = _LAYOUTS.get(table)
    if layout is not None and len(layout) == len(columns):
        return labels == [c.title for c, w in zip(columns, layout, strict=True) if w is not None]
    return labels == [c.title for c in columns]


def _keep_cursor(table: DataTable[Any], keep_key: str | None, keep_row: int) -> None:
    if not table.row_count:
        return
    if keep_key is not None and keep_key in table.rows:
        table.move_cursor(row=table.get_row_index(keep_key))
    else:
        table.move_cursor(row=min(keep_row, table.row_count - 1))


def refit_table(
    table: DataTable[Any], rows: Sequence[ListRow], columns: Sequence[ColumnSpec]
) -> None:
    """Fill the table again if its width now calls for other column widths (on a resize)."""
    if _fitted_here(table, columns) and column_layout(table, columns) != _LAYOUTS.get(table):
        fill_table(table, rows, columns)


class ShortListPane(Vertical):
    """A status line over a DataTable of a few rows, read in a worker."""

    DEFAULT_CSS = """
    ShortListPane { height: 1fr; }
    ShortListPane > .status-line { height: 1; }
    """

    BINDINGS = [Binding("r", "reload", "Refresh", id="short-list.refresh")]

    COLUMNS: ClassVar[Sequence[ColumnSpec]] = ()
    PERMS: ClassVar[dict[str, str]] = {}
    """Action name to the permission it needs (checked in :meth:`check_action`)."""
    LISTENS: ClassVar[frozenset[str]] = frozenset()
    TABLE_ID: ClassVar[str | None] = None
    STATUS_ID: ClassVar[str | None] = None
    """Ids of the table and of the status line, for tests and CSS."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.loaded = False
        self.rows: list[ListRow] = []

    @property
    def bo_app(self) -> BoApp:
        return bo_app(self)

    @property
    def data_table(self) -> DataTable[Any]:
        return self.query_one(DataTable)

    def compose(self) -> ComposeResult:
        yield Static("", classes="status-line", id=self.STATUS_ID)
        table = new_table(self.TABLE_ID)
        for column in self.COLUMNS:
            table.add_column(column.title, width=column.width)
        yield table

    def may(self, action: str) -> bool:
        """Whether the signed-in actor holds the permission ``action`` needs (if any)."""
        permission = self.PERMS.get(action)
        return permission is None or self.bo_app.actor.can(permission)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.may(action)

    @property
    def selected_key(self) -> str | None:
        """The key of the highlighted row, or None when the list is empty."""
        return selected_key(self.data_table)

    def selected(self) -> ListRow | None:
        """The highlighted row."""
        key = self.selected_key
        return next((r for r in self.rows if r.key == key), None)

    def on_first_show(self) -> None:
        if not self.loaded:
            self.load()

    async def open_ref(self, ref: str) -> bool:
        """Put the cursor on the row whose key is ``ref`` (reading the rows first if they
        have not been read); False when no row has that key."""
        if not self.loaded:
            self.loaded = True
            app = bo_app(self)
            try:
                with app.store.read() as session:
                    rows = self.load_rows(session, app.actor)
            except BoError as exc:
                show_error(self, exc)
                return False
            self.fill(rows)
        table = self.data_table
        for index, row in enumerate(self.rows):
            if row.key == ref:
                table.move_cursor(row=index)
                table.focus()
                return True
        return False

    def action_reload(self) -> None:
        self.load()

    @on(DataChanged)
    def _data_changed(self, event: DataChanged) -> None:
        self.load()

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        """The rows to show (a service call; runs in a worker thread)."""
        return []

    def status_text(self, rows: Sequence[ListRow]) -> str:
        """The status line above the table."""
        return f"{len(rows):,} rows"

    @work(thread=True, exclusive=True, group="short-list", exit_on_error=False)
    def load(self) -> None:
        """Read the rows (in a worker) and show them."""
        self.loaded = True
        app = bo_app(self)
        try:
            with app.store.read() as session:
                rows = self.load_rows(session, app.actor)
        except BoError as exc:
            app.call_from_thread(show_error, self, exc)
            return
        app.call_from_thread(self.fill, rows)

    def on_resize(self) -> None:
        if self.loaded:
            refit_table(self.data_table, self.rows, self.COLUMNS)

    def fill(self, rows: list[ListRow]) -> None:
        """Show ``rows``, keeping the cursor where it was."""
        self.rows = rows
        fill_table(self.data_table, rows, self.COLUMNS)
        self.query_one(".status-line", Static).update(self.status_text(rows))
