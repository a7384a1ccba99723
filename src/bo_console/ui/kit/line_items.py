"""A form of line items: a head, numbered lines, totals as you type, save or post.

The journal entry and the invoice/bill forms (and next purchase orders, shipments, stock
counts) are one shape, done once here:

- lines are :class:`LineRow` widgets, one input per :class:`LineColumn`; each has a serial
  number for its ids (``account-3``) and a position shown beside it, renumbered as lines come
  and go; typing into the last line opens a new blank one;
- ``ctrl+n`` adds a line, ``ctrl+r`` removes the one with the focus;
- ``ctrl+s`` saves (a draft); ``ctrl+o`` posts: the service checks the record in a transaction
  that is rolled back, a dialog says what will happen, and only then is it posted;
- a refusal naming ``line N`` is shown under that line (N counts the lines sent, which are not
  the blank ones on the form); anything else on the form's message line;
- Escape leaves at once when nothing changed, and otherwise asks before discarding.

A subclass declares its row class, composes its head, and implements :meth:`~LineItemsForm.
check_row`, :meth:`~LineItemsForm.collect`, :meth:`~LineItemsForm.write_data`,
:meth:`~LineItemsForm.update_totals` and :meth:`~LineItemsForm.post_question`. The form
dismisses with the saved record's id, or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widget import AwaitMount
from textual.widgets import Input, Label, Static

from bo_console.core.errors import BoError, ValidationFailed
from bo_console.ui.kit.actions import dry_run, write
from bo_console.ui.kit.notify import say
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.inputs import FieldInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor

D = TypeVar("D")


@dataclass(frozen=True)
class LineColumn:
    """One input of a line: its name (``account`` gives ids ``account-<serial>``), placeholder,
    CSS class, the longest text it takes (0: no limit) and the key of its suggester."""

    name: str
    placeholder: str
    css: str
    max_length: int = 0
    suggest: str | None = None


class LineRow(Vertical):
    """One line of a line-items form: its inputs, and a hint or error under them."""

    DEFAULT_CSS = """
    LineRow { height: auto; }
    LineRow > Horizontal { height: 1; }
    LineRow .line-no { width: 3; color: $text-muted; }
    LineRow Input { margin-right: 1; background: $boost; }
    LineRow .line-hint { padding-left: 3; color: $text-muted; height: 1; }
    LineRow .line-hint.-error { color: $error; }
    """

    COLUMNS: ClassVar[Sequence[LineColumn]] = ()
    ID_PREFIX: ClassVar[str] = "line"
    """The row's id is ``<ID_PREFIX>-<serial>``."""
    MARK_INVALID: ClassVar[str | None] = None
    """The column whose input turns red with an error under the line."""

    def __init__(
        self,
        serial: int,
        values: Sequence[str] | None = None,
        suggesters: dict[str, Suggester | None] | None = None,
    ) -> None:
        super().__init__(id=f"{self.ID_PREFIX}-{serial}")
        self.serial = serial
        self.initial = tuple(values) if values is not None else ("",) * len(self.COLUMNS)
        self.suggesters = suggesters or {}
        self.ready = False
        """Composed and mounted (a line added while typing takes a moment to be)."""

    def compose(self) -> ComposeResult:
        n = self.serial
        with Horizontal():
            yield Label("", classes="line-no")
            for column, value in zip(self.COLUMNS, self.initial, strict=True):
                yield FieldInput(
                    value=value,
                    id=f"{column.name}-{n}",
                    classes=column.css,
                    placeholder=column.placeholder,
                    compact=True,
                    advance_on_enter=True,
                    suggester=self.suggesters.get(column.suggest) if column.suggest else None,
                    max_length=column.max_length,
                )
        hint = Static("", id=f"hint-{n}", classes="line-hint")
        hint.display = False
        yield hint

    def on_mount(self) -> None:
        self.ready = True

    @property
    def first_input_id(self) -> str:
        return f"{self.COLUMNS[0].name}-{self.serial}"

    def values(self) -> tuple[str, ...]:
        """The inputs' text, in column order (trimmed)."""
        return tuple(
            self.query_one(f"#{c.name}-{self.serial}", Input).value.strip() for c in self.COLUMNS
        )

    def show(self, text: str, *, error: bool) -> None:
        """Put ``text`` under the line (an error in red, a hint muted; empty hides it)."""
        hint = self.query_one(".line-hint", Static)
        hint.update(Text(text))
        hint.set_class(error, "-error")
        hint.display = bool(text)
        if self.MARK_INVALID is not None:
            self.query_one(f"#{self.MARK_INVALID}-{self.serial}", Input).set_class(
                error, "-invalid"
            )


def line_item_bindings(
    prefix: str, *, post_tooltip: str = ""
) -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """The keys of a line-items form, with binding ids ``<prefix>.save`` and so on."""
    return [
        Binding("ctrl+s", "save", "Save draft", id=f"{prefix}.save"),
        Binding("ctrl+o", "post", "Post", id=f"{prefix}.post", tooltip=post_tooltip),
        Binding("ctrl+n", "add_line", "Add line", id=f"{prefix}.add-line"),
        Binding("ctrl+r", "remove_line", "Remove line", id=f"{prefix}.remove-line"),
        Binding("escape", "cancel", "Cancel", id=f"{prefix}.cancel"),
    ]


@dataclass(frozen=True)
class Collected(Generic[D]):
    """A record as typed, ready for the service, and the form line each of its lines came
    from (line N of the record is ``serials[N-1]``)."""

    data: D
    serials: list[int]


class LineItemsForm(ModalScreen[int | None], Generic[D]):
    """Base of the line-items forms; see the module's description."""

    ROW: ClassVar[type[LineRow]] = LineRow
    LINES_ID: ClassVar[str] = "lines"
    """Id of the VerticalScroll that holds the lines (the subclass composes it)."""
    MESSAGE_ID: ClassVar[str] = "message"
    """Id of the form's message line (a Static the subclass composes, hidden)."""
    NOUN: ClassVar[str] = "record"
    """What the form makes, in "Discard this <noun>?"."""

    def __init__(self) -> None:
        super().__init__()
        self._serial = 0
        self._initial: tuple[object, ...] = ()
        self._serials: list[int] = []

    # -- hooks -------------------------------------------------------------------------------

    def ready_to_check(self) -> bool:
        """Whether the form has what it checks lines against (loaded in ``compose``)."""
        return True

    def blank_values(self) -> tuple[str, ...]:
        """What a new line starts with."""
        return ("",) * len(self.ROW.COLUMNS)

    def suggesters(self) -> dict[str, Suggester | None]:
        """Suggesters by :attr:`LineColumn.suggest` key."""
        return {}

    def head_values(self) -> tuple[str, ...]:
        """The head's fields as typed (to tell whether anything changed)."""
        return ()

    def row_counts(self, values: tuple[str, ...]) -> bool:
        """Whether a line with these values is more than a blank line."""
        return any(values)

    def head_changed(self, input_id: str, value: str) -> None:
        """A head field changed: check it."""

    def check_row(self, row: LineRow, *, saving: bool = False) -> bool:
        """Show the line's problem (or a hint) under it; True when it has none."""
        return True

    def update_totals(self) -> None:
        """Show the totals of the lines as typed."""

    def collect(self) -> Collected[D] | None:
        """The record as typed, or None after showing what is wrong beside the fields."""
        raise NotImplementedError

    def write_data(self, session: Session, actor: Actor, data: D, *, post: bool) -> tuple[int, str]:
        """Save (and with ``post``, post) the record in ``session``; its id and reference."""
        raise NotImplementedError

    def post_question(self, data: D) -> tuple[str, str]:
        """The title and the text of the dialog that asks before posting."""
        raise NotImplementedError

    def discard_question(self) -> str:
        """What Escape asks when something was typed."""
        return f"Discard this {self.NOUN}?"

    # -- lines -------------------------------------------------------------------------------

    def new_row(self, values: Sequence[str] | None = None) -> LineRow:
        """A new line (not yet mounted) with the next serial number."""
        self._serial += 1
        return self.ROW(self._serial, values or self.blank_values(), self.suggesters())

    def add_row(self, values: Sequence[str] | None = None) -> tuple[LineRow, AwaitMount]:
        """Mount a new line at the end; awaiting the second value waits until it is there."""
        row = self.new_row(values)
        return row, self.query_one(f"#{self.LINES_ID}", VerticalScroll).mount(row)

    def rows(self) -> list[LineRow]:
        """The lines on the form, in order (those still being mounted left out)."""
        return [row for row in self.query(self.ROW) if row.ready]

    def renumber(self) -> None:
        for position, row in enumerate(self.rows(), start=1):
            row.query_one(".line-no", Label).update(f"{position:>2}")

    def snapshot(self) -> tuple[object, ...]:
        """What was typed (the head and the lines that are not blank)."""
        return self.head_values() + tuple(
            r.values() for r in self.rows() if self.row_counts(r.values())
        )

    def say(self, text: str) -> None:
        """Show ``text`` on the form's message line (empty hides it)."""
        say(self.query_one(f"#{self.MESSAGE_ID}", Static), text)

    def on_mount(self) -> None:
        self.call_after_refresh(self._ready)

    def _ready(self) -> None:
        self._initial = self.snapshot()
        self.renumber()
        self.update_totals()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if not self.ready_to_check():
            return
        self.say("")
        input_id = event.input.id or ""
        row = next((a for a in event.input.ancestors if isinstance(a, self.ROW)), None)
        if row is None:
            self.head_changed(input_id, event.value)
            return
        self.check_row(row)
        self.update_totals()
        every = list(self.query(self.ROW))
        if row is every[-1] and input_id == row.first_input_id and event.value.strip():
            # Typing into the last line opens the next one, so there is always a blank line.
            self.add_row()
            self.call_after_refresh(self.renumber)

    async def action_add_line(self) -> None:
        row, mounting = self.add_row()
        # Wait for the mount so that keys typed after ctrl+n (in the same burst) reach the new
        # line, and a ctrl+s in that burst cannot close the form before the line exists.
        await mounting
        self.renumber()
        self.set_focus(self.query_one(f"#{row.first_input_id}", Input))  # now, not later

    def action_remove_line(self) -> None:
        focused = self.focused
        row = (
            next((a for a in focused.ancestors if isinstance(a, self.ROW)), None)
            if focused is not None
            else None
        )
        rows = self.rows()
        if row is None or len(rows) <= 1:
            return
        index = rows.index(row)
        neighbour = rows[index + 1] if index + 1 < len(rows) else rows[index - 1]
        self.query_one(f"#{neighbour.first_input_id}", Input).focus()
        row.remove()
        self.call_after_refresh(self.renumber)
        self.call_after_refresh(self.update_totals)

    # -- saving ------------------------------------------------------------------------------

    def show_refusal(self, exc: BoError, serials: Sequence[int]) -> None:
        """Show what the service refused: ``line N`` errors under their lines, the rest on
        the message line."""
        if isinstance(exc, ValidationFailed):
            for err in exc.errors:
                words = err.field.split()
                if len(words) >= 2 and words[0] == "line" and words[1].isdigit():
                    index = int(words[1]) - 1
                    if 0 <= index < len(serials):
                        row = self.query_one(f"#{self.ROW.ID_PREFIX}-{serials[index]}", self.ROW)
                        row.show(err.message, error=True)
        self.say(f"{exc.title}: {exc.message}")

    def _write(self, collected: Collected[D], *, post: bool) -> tuple[int, str] | None:
        try:
            return write(self, lambda s, a: self.write_data(s, a, collected.data, post=post))
        except BoError as exc:
            self.show_refusal(exc, collected.serials)
            return None

    def action_save(self) -> None:
        collected = self.collect()
        if collected is None:
            return
        saved = self._write(collected, post=False)
        if saved is not None:
            self.dismiss(saved[0])

    def action_post(self) -> None:
        collected = self.collect()
        if collected is None:
            return
        try:
            dry_run(self, lambda s, a: self.write_data(s, a, collected.data, post=True))
        except BoError as exc:
            self.show_refusal(exc, collected.serials)
            return
        title, message = self.post_question(collected.data)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            posted = self._write(collected, post=True)
            if posted is not None:
                self.notify(f"posted {posted[1]}")
                self.dismiss(posted[0])

        self.app.push_screen(ConfirmDialog(message, title=title, confirm_label="Post"), answered)

    def action_cancel(self) -> None:
        if self.snapshot() == self._initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                self.discard_question(),
                title="Unsaved changes",
                confirm_label="Discard",
                cancel_label="Keep editing",
            ),
            answered,
        )
