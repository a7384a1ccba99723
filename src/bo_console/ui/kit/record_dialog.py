"""A dialog showing one record with its actions, dismissed with a typed :class:`Choice`.

A subclass turns its record (``view``) into a :class:`RecordSpec` (header lines, a table of the
record's lines, the action keys); the caller says which actions are allowed (what the service
and the actor's permissions permit) and gets back what was chosen, never a string to parse::

    class TicketDialog(RecordDialog[TicketView]):
        def record_spec(self, view: TicketView) -> RecordSpec:
            return RecordSpec(
                header=[f"Ticket {view.ref}   {view.status}", view.subject],
                actions=[ActionKey("a", "assign", "Assign", "a assign", id="ticket.assign")],
            )

    def chosen(choice: Choice | None) -> None:
        if choice is not None and choice.action == "assign": ...

    app.push_screen(TicketDialog(view, allowed=frozenset({"assign"})), chosen)

Only allowed actions have a working key and appear in the keys line under the record;
Escape (or q) closes with None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from bo_console.ui.kit.short_list import ColumnSpec, cell_text
from bo_console.ui.widgets.bidi import visual

V = TypeVar("V")


@dataclass(frozen=True)
class Choice:
    """What was chosen in a record dialog: an action, and the record it is about (a linked
    record's reference for ``open``-like actions; empty for the record shown)."""

    action: str
    ref: str = ""


@dataclass(frozen=True)
class ActionKey:
    """One action of a record dialog: its key, action name, footer label and keys-line hint.

    ``ref`` is carried in the :class:`Choice` (the linked record a key opens).
    """

    key: str
    action: str
    description: str
    hint: str
    ref: str = ""
    id: str | None = None


@dataclass(frozen=True)
class TableSpec:
    """The record's lines as a table: columns, rows of values (a ``rich.text.Text`` is shown
    as it is; other values as literal text), and how tall it may grow."""

    columns: Sequence[ColumnSpec]
    rows: Sequence[Sequence[object]]
    max_height: int = 12
    id: str | None = None


@dataclass(frozen=True)
class RecordSpec:
    """What a record dialog shows: header lines, an optional table, lines under it, actions."""

    header: Sequence[str]
    table: TableSpec | None = None
    after: Sequence[str] = ()
    actions: Sequence[ActionKey] = ()
    header_id: str | None = None
    after_id: str | None = None
    """With an id, the lines after the table are one block of text with that id."""
    close_hint: str = "esc close"


def _cell(value: object, column: ColumnSpec) -> Text:
    return value if isinstance(value, Text) else cell_text(value, right=column.right)


class RecordDialog(ModalScreen[Choice | None], Generic[V]):
    """One record in a dialog; its action keys dismiss it with a :class:`Choice`."""

    DEFAULT_CSS = """
    RecordDialog { align: center middle; }
    RecordDialog > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    RecordDialog .record-header { height: auto; }
    RecordDialog DataTable { height: auto; max-height: 12; margin-top: 1; }
    RecordDialog .keys { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [Binding("escape,q", "close", "Close", id="record.close")]

    def __init__(self, view: V, allowed: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.view = view
        self.allowed = allowed
        self.spec = self.record_spec(view)
        keyed = self._bindings.key_to_bindings
        for index, action in enumerate(self.spec.actions):
            binding = Binding(action.key, f"choose({index})", action.description, id=action.id)
            # Before Escape: the footer lists a record's actions first.
            keyed[action.key] = [binding, *keyed.get(action.key, [])]

    def record_spec(self, view: V) -> RecordSpec:
        """What to show of ``view`` (subclasses)."""
        raise NotImplementedError

    def may(self, action: ActionKey) -> bool:
        """Whether ``action`` is allowed here."""
        return action.action in self.allowed

    def compose(self) -> ComposeResult:
        spec = self.spec
        with Vertical():
            yield Static(
                Text(visual("\n".join(spec.header))), id=spec.header_id, classes="record-header"
            )
            if spec.table is not None:
                yield self._table(spec.table)
            if spec.after_id is not None:
                yield Static(
                    Text(visual("\n".join(spec.after))), id=spec.after_id, classes="record-after"
                )
            else:
                for line in spec.after:
                    yield Static(Text(visual(line)))
            yield Static(self.keys_text(), classes="keys")

    def _table(self, spec: TableSpec) -> DataTable[Any]:
        table: DataTable[Any] = DataTable(cursor_type="row", id=spec.id)
        # The console's theme gives tables the whole height; a record's few lines need less.
        table.styles.height = "auto"
        table.styles.max_height = spec.max_height
        for column in spec.columns:
            table.add_column(column.title, width=column.width)
        for row in spec.rows:
            table.add_row(*(_cell(v, c) for v, c in zip(row, spec.columns, strict=True)))
        return table

    def keys_text(self) -> str:
        """The keys line: the allowed actions' hints, then how to close."""
        hints = [a.hint for a in self.spec.actions if self.may(a)]
        return " · ".join([*hints, self.spec.close_hint])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters:
            index = parameters[0]
            return isinstance(index, int) and self.may(self.spec.actions[index])
        return True

    def action_choose(self, index: int) -> None:
        action = self.spec.actions[index]
        self.dismiss(Choice(action.action, action.ref))

    def action_close(self) -> None:
        self.dismiss(None)
