"""What the HR tabs share: the lazily built tab, short tables, write-then-tell and confirm."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import DataTable

from bo_console.core.errors import BoError
from bo_console.ui.base import bo_app
from bo_console.ui.widgets.confirm import ConfirmDialog

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models.views import RowView
    from bo_console.ui.app import BoApp


def say_error(widget: Widget, exc: BoError) -> None:
    widget.notify(exc.message, title=exc.title, severity="error", timeout=8)


def amount_text(value: Any) -> str:
    """A money value as the services give it: a Decimal shown with grouping, or the mask."""
    return f"{value:,}" if isinstance(value, Decimal) else str(value)


def right(text: str) -> Text:
    return Text(text, justify="right")


def whole_number(what: str, *, low: int = 0, high: int = 100_000) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        try:
            value = int(text.strip())
        except ValueError:
            return f"{what} is a whole number"
        return None if low <= value <= high else f"{what} is {low} to {high}"

    return check


def new_table(table_id: str) -> DataTable[Any]:
    return DataTable(cursor_type="row", zebra_stripes=True, id=table_id)


def selected_key(table: DataTable[Any]) -> str | None:
    """The row key under the cursor, or None when the table is empty."""
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return None if key is None else str(key)


def cell(row: Mapping[str, Any] | RowView, spec: str) -> Text:
    name = spec.lstrip(">")
    value = row.get(name)
    text = "" if value is None else amount_text(value)
    return right(text) if spec.startswith(">") else Text(text)


def fill(
    table: DataTable[Any],
    rows: Iterable[Mapping[str, Any] | RowView],
    key: str,
    spec: Sequence[str],
) -> None:
    """Replace the rows with ``rows``: ``key`` names each row's key field, ``spec`` the fields
    shown, in order (``>name`` right-aligns one). The cursor stays on the same row if it can."""
    keep = selected_key(table)
    table.clear()
    for row in rows:
        table.add_row(*(cell(row, name) for name in spec), key=str(row[key]))
    if keep is not None and keep in table.rows:
        table.move_cursor(row=table.get_row_index(keep))


def write(widget: Widget, work: Callable[[Session], Any]) -> Any:
    """Run ``work`` in a write unit of work; a refusal is shown and None returned."""
    app = bo_app(widget)
    try:
        with app.store.write() as session:
            return work(session)
    except BoError as exc:
        say_error(widget, exc)
        return None


def confirm(widget: Widget, message: str, title: str, label: str, then: Callable[[], None]) -> None:
    def answered(yes: bool | None) -> None:
        if yes:
            then()

    widget.app.push_screen(ConfirmDialog(message, title=title, confirm_label=label), answered)


def refused_by_dry_run(widget: Widget, work: Callable[[Session], object]) -> bool:
    """Try ``work`` in a transaction that is rolled back: a refusal shows at once, before any
    dialog asks. Returns True when the service refused."""
    app = bo_app(widget)
    try:
        with app.store.write() as session:
            work(session)
            session.rollback()
    except BoError as exc:
        say_error(widget, exc)
        return True
    return False


class Pane(Vertical):
    """A tab built and read the first time it is shown (read again on ``r``).

    Until then it is empty: the HR screen opens as fast as its Employees list, whatever the
    other tabs hold.
    """

    DEFAULT_CSS = """
    Pane { height: 1fr; }
    Pane > .status-line { height: 1; }
    """

    BINDINGS = [Binding("r", "reload", "Refresh", id="hr.refresh")]

    loaded = False

    @property
    def bo_app(self) -> BoApp:
        return bo_app(self)

    def compose(self) -> ComposeResult:
        if self.loaded:
            yield from self.build()

    def build(self) -> ComposeResult:
        """The tab's widgets."""
        return iter(())

    def setup(self) -> None:
        """Prepare the widgets once built (table columns and the like)."""

    async def shown(self) -> None:
        """Called when the tab is shown: build it and read the data, once."""
        if self.loaded:
            return
        self.loaded = True
        await self.recompose()
        self.setup()
        self.reload()
        for table in self.query(DataTable):
            if table.display:
                table.focus()
                break

    def reload(self) -> None:
        """Read the data again."""

    def action_reload(self) -> None:
        self.reload()

    def may(self, permission: str) -> bool:
        return self.bo_app.actor.can(permission)
