"""What the HR tabs share beyond the UI kit: a tab that reads its data when first shown, and
short tables filled from the services' typed rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable

from bo_console.ui.base import bo_app
from bo_console.ui.kit.short_list import ColumnSpec, ListRow, fill_table

if TYPE_CHECKING:
    from bo_console.hr.models.views import RowView
    from bo_console.hr.service.lists import ListRow as HrListRow
    from bo_console.ui.app import BoApp


def amount_text(value: Any) -> str:
    """A money value as the services give it: a Decimal shown with grouping, or the mask."""
    return f"{value:,}" if isinstance(value, Decimal) else str(value)


def fill(
    table: DataTable[Any],
    rows: Iterable[Mapping[str, Any] | RowView | HrListRow],
    key: str,
    spec: Sequence[str],
) -> None:
    """Replace the rows with ``rows`` (the kit's ``fill_table``): ``key`` names each row's key
    field, ``spec`` the fields shown, in order (``>name`` right-aligns one)."""
    columns = [ColumnSpec(name.lstrip(">"), 0, right=name.startswith(">")) for name in spec]
    fill_table(
        table,
        [ListRow(str(row[key]), [row.get(c.title) for c in columns]) for row in rows],
        columns,
    )


class Pane(Vertical):
    """A tab whose widgets are built and whose data is read the first time it is shown (the
    kit's ``on_first_show``), and read again on ``r``.

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

    async def on_first_show(self) -> None:
        """Build the tab and read its data (the department screen calls this once)."""
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
