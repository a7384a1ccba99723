"""The inbox in the TUI: a panel listing work items (home: yours; departments: theirs) and a
modal to read one and act on it (take it, assign, comment, move it on, mark done, cancel,
reopen) and to jump to the records it is linked to (keys 1-9)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from bo_console.core import inbox
from bo_console.core.errors import BoError
from bo_console.ui.kit.short_list import ColumnSpec, ListRow, fill_table, new_table, refit_table
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormField, FormScreen, one_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.models import WorkItem
    from bo_console.ui.app import BoApp

# What a clerk decides by comes first: at 80 columns the subject, status, due date and the
# departments show; the subject takes whatever width is left.
COLUMNS = (
    ColumnSpec("ID", 4, right=True),
    ColumnSpec("Subject", 30),
    ColumnSpec("Status", 11),
    ColumnSpec("Due", 10),
    ColumnSpec("From", 8),
    ColumnSpec("To", 9),
    ColumnSpec("Kind", 14, optional=True),
    ColumnSpec("Assignee", 10, optional=True),
)


class InboxPanel(Vertical):
    """Open work items for one department (``dept``) or every inbox the user can read."""

    DEFAULT_CSS = """
    InboxPanel { height: 1fr; }
    InboxPanel DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("enter", "open_item", "Open", id="inbox.open"),
        Binding("r", "reload", "Refresh", id="inbox.refresh"),
        Binding(
            "c",
            "toggle_closed",
            "Closed too",
            id="inbox.closed",
            tooltip="Show closed items too, or only open ones",
        ),
    ]

    def __init__(
        self,
        dept: str | None = None,
        *,
        raised: bool = False,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.dept = dept
        self.raised = raised
        self.show_closed = False
        self.count = 0
        self.rows: list[ListRow] = []

    def _where(self) -> str:
        if self.raised:
            return "My requests"
        return f"{self.dept.upper()} inbox" if self.dept else "Your inbox"

    @property
    def bo_app(self) -> BoApp:
        return cast("BoApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(self._where(), classes="section-title", id="inbox-title")
        table = new_table("inbox-table")
        for column in COLUMNS:
            table.add_column(column.title, width=column.width)
        yield table

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the items again (a short read transaction)."""
        app = self.bo_app
        table = self.query_one("#inbox-table", DataTable)
        try:
            # Through a Reader: Home shows the inbox before SQLAlchemy is imported.
            with app.store.reading() as reader:
                items = inbox.item_rows(
                    reader,
                    app.actor,
                    dept=self.dept,
                    raised=self.raised,
                    status="all" if self.show_closed else "open",
                )
        except BoError as exc:
            self.query_one("#inbox-title", Static).update(f"Inbox: {exc.message}")
            return
        self.rows = [
            ListRow(
                str(item.id),
                (
                    item.id,
                    item.subject,
                    item.status,
                    item.due_date.isoformat() if item.due_date else "",
                    item.from_dept,
                    item.to_dept,
                    inbox.item_kind(item).title,
                    item.assignee,
                ),
            )
            for item in items
        ]
        fill_table(table, self.rows, COLUMNS)
        self.count = len(items)
        label = "all" if self.show_closed else "open"
        self.query_one("#inbox-title", Static).update(
            f"{self._where()}: {len(items)} {label} items"
        )

    def on_resize(self) -> None:
        refit_table(self.query_one("#inbox-table", DataTable), self.rows, COLUMNS)

    def action_reload(self) -> None:
        self.reload()

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.reload()

    def action_open_item(self) -> None:
        table = self.query_one("#inbox-table", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return
        self.app.push_screen(WorkItemScreen(int(key)), lambda _: self.reload())

    @on(DataTable.RowSelected, "#inbox-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_item()


class WorkItemScreen(ModalScreen[None]):
    """One work item with its comments, and what can be done to it."""

    DEFAULT_CSS = """
    WorkItemScreen { align: center middle; }
    WorkItemScreen > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    WorkItemScreen #item-body { height: auto; max-height: 16; }
    WorkItemScreen .item-keys { color: $text-muted; padding-top: 1; }
    """

    BINDINGS = [
        Binding("t", "take", "Take it", id="item.take", tooltip="Assign the item to yourself"),
        Binding("s", "assign", "Assign", id="item.assign", tooltip="Assign to someone"),
        Binding("m", "comment", "Comment", id="item.comment"),
        Binding(
            "v",
            "move",
            "Move on",
            id="item.move",
            tooltip="Move the item to another state its kind allows",
        ),
        Binding("d", "close_item('done')", "Done", id="item.done"),
        Binding("x", "close_item('cancelled')", "Cancel item", id="item.cancel"),
        Binding("o", "reopen", "Reopen", id="item.reopen"),
        Binding("escape", "dismiss_screen", "Close", id="item.close"),
    ]

    class Changed(Message):
        """The item was changed."""

    def __init__(self, item_id: int) -> None:
        super().__init__()
        self.item_id = item_id
        self.item: WorkItem | None = None
        self.links: list[tuple[str, str]] = []
        self.moves: tuple[str, ...] = ()
        for number in range(1, 10):
            self._bindings.bind(str(number), f"jump({number})", show=False)

    @property
    def bo_app(self) -> BoApp:
        return cast("BoApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(id="item-body"):
                yield Static("", id="item-text")
            yield Static(
                "t take · s assign · m comment · v move on · d done · x cancel item · o reopen"
                " · 1-9 open a linked record · esc close",
                classes="item-keys",
            )

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        app = self.bo_app
        try:
            with app.store.read() as session:
                item = inbox.get_item(session, app.actor, self.item_id)
                notes = inbox.comments(session, app.actor, self.item_id)
                logins = inbox.assignee_logins(session, [item])
                links = inbox.links(session, app.actor, self.item_id)
                self.moves = inbox.next_states(session, app.actor, self.item_id)
        except BoError as exc:
            self.query_one("#item-text", Static).update(f"{exc.title}: {exc.message}")
            return
        self.item = item
        self.links = [(x.entity, x.ref) for x in links]
        kind = inbox.item_kind(item)
        lines = [
            f"Work item {item.id}: {item.subject}",
            "",
            f"{kind.title} ({kind.code})   status {item.status}",
            f"From {item.from_dept} to {item.to_dept}   "
            f"assignee {logins.get(item.assignee_id, '-') if item.assignee_id else '-'}   "
            f"due {item.due_date or '-'}",
            f"Created by {item.created_by} {item.created_at:%Y-%m-%d %H:%M}"
            + (f"   escalated to {item.escalated_to}" if item.escalated_to else ""),
            "Next: " + (", ".join(self.moves) or "-"),
        ]
        if links:
            lines += ["", "Linked records:"]
            lines += [
                f"  {n}  {x.entity} {x.ref}" + (f"  {x.label}" if x.label else "")
                for n, x in enumerate(links[:9], start=1)
            ]
        if item.body:
            lines += ["", item.body]
        if notes:
            lines += ["", "Comments:"]
            lines += [f"  {c.at:%Y-%m-%d %H:%M} {c.author}: {c.text}" for c in notes]
        from rich.text import Text

        self.query_one("#item-text", Static).update(Text("\n".join(lines)))

    def _run(self, change: str, work: Callable[[Session], object]) -> None:
        app = self.bo_app
        try:
            with app.store.write() as session:
                work(session)
        except BoError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return
        self.notify(change)
        self.reload()

    def action_take(self) -> None:
        app = self.bo_app
        self._run(
            "assigned to you", lambda s: inbox.assign(s, app.actor, self.item_id, app.actor.login)
        )

    def action_assign(self) -> None:
        app = self.bo_app
        try:
            with app.store.read() as session:
                logins = inbox.assignable_logins(session, app.actor, self.item_id)
        except BoError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return

        def submit(values: dict[str, str]) -> bool:
            with app.store.write() as session:
                inbox.assign(session, app.actor, self.item_id, values["login"])
            return True

        form = FormScreen(
            "Assign work item",
            [
                FormField(
                    "login",
                    "Assign to",
                    required=True,
                    suggestions=logins,
                    placeholder="console user login",
                ),
            ],
            submit,
            save_label="Assign",
        )
        self.app.push_screen(form, lambda done: self.reload() if done else None)

    def action_comment(self) -> None:
        app = self.bo_app

        def submit(values: dict[str, str]) -> bool:
            with app.store.write() as session:
                inbox.add_comment(session, app.actor, self.item_id, values["text"])
            return True

        form = FormScreen("Comment", [FormField("text", "Comment", required=True)], submit)
        self.app.push_screen(form, lambda done: self.reload() if done else None)

    def action_close_item(self, status: str) -> None:
        app = self.bo_app
        verb = "done" if status == "done" else "cancelled"

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(
                    f"work item {self.item_id} {verb}",
                    lambda s: inbox.set_status(s, app.actor, self.item_id, status),
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Mark work item {self.item_id} as {verb}? It leaves the open inbox.",
                confirm_label="Done" if status == "done" else "Cancel item",
                cancel_label="Back",
            ),
            answered,
        )

    def action_move(self) -> None:
        app = self.bo_app
        if not self.moves:
            self.notify("nothing you can move this item to", severity="warning")
            return

        def submit(values: dict[str, str]) -> bool:
            with app.store.write() as session:
                inbox.move(session, app.actor, self.item_id, values["state"], values["note"])
            return True

        form = FormScreen(
            "Move work item",
            [
                FormField(
                    "state",
                    "To",
                    value=self.moves[0],
                    required=True,
                    suggestions=list(self.moves),
                    check=one_of(self.moves),
                    help=" / ".join(self.moves),
                ),
                FormField("note", "Note"),
            ],
            submit,
            save_label="Move",
        )
        self.app.push_screen(form, lambda done: self.reload() if done else None)

    def action_jump(self, number: int) -> None:
        """Open linked record ``number`` on its department's screen."""
        if not 1 <= number <= len(self.links):
            return
        entity, ref = self.links[number - 1]
        app = self.bo_app
        self.dismiss(None)
        app.call_later(app.open_link, entity, ref)

    def action_reopen(self) -> None:
        app = self.bo_app
        self._run(
            f"work item {self.item_id} reopened",
            lambda s: inbox.set_status(s, app.actor, self.item_id, "open"),
        )

    def action_dismiss_screen(self) -> None:
        self.dismiss(None)
