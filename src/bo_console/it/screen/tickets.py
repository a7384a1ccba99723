"""The Tickets tab, the ticket dialog, and raising a ticket or following one's own requests
from any screen (palette commands)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable

from bo_console.it.models import PRIORITIES, TICKET_CATEGORIES
from bo_console.it.sources import TICKET_VIEWS
from bo_console.ui.kit import (
    ActionKey,
    Choice,
    ColumnSpec,
    FormField,
    FormScreen,
    JobStrip,
    ListPane,
    ListRow,
    RecordDialog,
    RecordSpec,
    Row,
    ShortListPane,
    TableSpec,
    one_of,
    read,
    start_job,
    try_write,
)
from bo_console.ui.widgets.confirm import ConfirmDialog

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.it.tickets import TicketRow, TicketView
    from bo_console.ui.app import BoApp
    from bo_console.ui.widgets.virtual_table import VirtualTable

TICKETS = "it.tickets"


def _when(moment: object) -> str:
    return f"{moment:%m-%d %H:%M}" if moment is not None else ""


class TicketDialog(RecordDialog["TicketView"]):
    """A ticket with its comments and history, and what may be done to it."""

    def record_spec(self, view: TicketView) -> RecordSpec:
        row = view.row
        header = [
            f"{row.ref}   {row.status.replace('_', ' ')}   {row.priority}   SLA {row.sla}",
            row.subject,
            f"From {row.requester}"
            + (f" for {view.employee}" if view.employee else "")
            + (f" · asset {view.asset}" if view.asset else "")
            + f" · assignee {row.assignee or 'nobody'}",
            f"Resolution due {row.resolution_due:%Y-%m-%d %H:%M} UTC",
        ]
        if view.description:
            header.append(view.description)
        if view.resolution_note:
            header.append(f"Resolution: {view.resolution_note}")
        lines = [
            (_when(c.at), c.author, ("internal: " if c.internal else "") + c.text)
            for c in view.comments
        ] + [(_when(e.at), e.actor, f"{e.action} {e.detail}".strip()) for e in view.history]
        lines.sort(key=lambda line: line[0])
        return RecordSpec(
            header=header,
            header_id="ticket-header",
            table=TableSpec(
                (ColumnSpec("When", 11), ColumnSpec("Who", 10), ColumnSpec("What", 50)),
                lines,
                max_height=8,
            ),
            actions=[
                ActionKey("t", "take", "Take", "t take", id="it.ticket.take"),
                ActionKey("s", "start", "Start", "s start", id="it.ticket.start"),
                ActionKey("c", "comment", "Comment", "c comment", id="it.ticket.comment"),
                ActionKey("v", "resolve", "Resolve", "v resolve", id="it.ticket.resolve"),
                ActionKey("k", "close", "Close", "k confirm and close", id="it.ticket.close"),
                ActionKey("o", "reopen", "Reopen", "o reopen", id="it.ticket.reopen"),
            ],
        )


def open_ticket(widget: Widget, ref: str) -> bool:
    """Show a ticket; its actions run through the service and reopen the dialog. False when
    it cannot be shown (said in a toast)."""
    from bo_console.it import service

    view = read(widget, lambda s, a: service.get_ticket(s, a, ref))
    if view is None:
        return False
    actor = widget.app.actor  # type: ignore[attr-defined]

    def chosen(choice: Choice | None) -> None:
        if choice is not None:
            _act(widget, ref, choice.action)

    widget.app.push_screen(TicketDialog(view, service.ticket_actions(view, actor)), chosen)
    return True


_ASKS = {
    "comment": ("Comment", "text", "Comment"),
    "resolve": ("Resolve", "note", "What was done"),
    "reopen": ("Reopen", "reason", "Why it is not fixed"),
}


def _act(widget: Widget, ref: str, action: str) -> None:
    from bo_console.it import service

    def done(result: object) -> None:
        if result is not None:
            widget.notify(f"{ref}: {action} done")
            open_ticket(widget, ref)

    if action in _ASKS:
        title, name, label = _ASKS[action]
        calls = {
            "comment": lambda v: lambda s, a: service.comment(s, a, ref, v),
            "resolve": lambda v: lambda s, a: service.resolve(s, a, ref, v),
            "reopen": lambda v: lambda s, a: service.reopen(s, a, ref, v),
        }

        def submit(values: dict[str, str]) -> object:
            from bo_console.ui.kit import write

            result = write(widget, calls[action](values[name]))
            from bo_console.ui.kit import announce

            announce(widget, TICKETS)
            return result

        widget.app.push_screen(
            FormScreen(f"{title} {ref}", [FormField(name, label, required=True)], submit),
            done,
        )
        return
    work = {
        "take": lambda s, a: service.assign(s, a, ref),
        "start": lambda s, a: service.start(s, a, ref),
        "close": lambda s, a: service.close(s, a, ref),
    }[action]
    done(try_write(widget, work, TICKETS))


def raise_ticket(widget: Widget) -> None:
    """Ask for a new ticket (anyone may raise one, from any screen)."""
    from bo_console.it import service
    from bo_console.it.common import validated
    from bo_console.ui.kit import announce, write

    def submit(values: dict[str, str]) -> str:
        data = validated(
            service.TicketCreate,
            {
                "subject": values["subject"],
                "description": values["description"],
                "category": values["category"],
                "priority": values["priority"],
            },
        )
        view = write(widget, lambda s, a: service.raise_ticket(s, a, data))
        announce(widget, TICKETS)
        return view.row.ref

    def raised(ref: str | None) -> None:
        if ref:
            widget.notify(f"raised {ref}; IT will answer it in My requests")

    fields = [
        FormField("subject", "Subject", required=True, placeholder="what is wrong, in a line"),
        FormField("description", "Details"),
        FormField(
            "category",
            "Category",
            value="other",
            required=True,
            suggestions=TICKET_CATEGORIES,
            check=one_of(TICKET_CATEGORIES, "category"),
        ),
        FormField(
            "priority",
            "Priority",
            value="P3",
            required=True,
            suggestions=PRIORITIES,
            check=one_of(PRIORITIES, "priority"),
            help="P1: work stopped for many; P4: a wish.",
        ),
    ]
    widget.app.push_screen(
        FormScreen("Raise an IT ticket", fields, submit, save_label="Raise"), raised
    )


def _rows(tickets: Sequence[TicketRow]) -> list[ListRow]:
    return [
        ListRow(
            r.ref,
            (
                r.ref[1:].lstrip("0"),
                r.priority,
                r.sla,
                r.status.replace("_", " "),
                r.subject,
                r.assignee,
                _when(r.resolution_due),
            ),
        )
        for r in tickets
    ]


class TicketsPane(ListPane):
    """Every ticket, a block at a time, newest first: open, open and assigned to me, breached
    (most overdue first), or all; enter opens one."""

    BINDINGS = [
        Binding("n", "new", "New", id="it.tickets.new", tooltip="Raise a ticket"),
        Binding(
            "f",
            "next_filter",
            "Tickets shown",
            id="it.tickets.filter",
            tooltip="Show the next set of tickets: open, mine (assigned to me), breached, all",
        ),
        Binding("t", "take", "Take", id="it.tickets.take"),
        Binding(
            "e",
            "escalate",
            "Escalate",
            id="it.tickets.escalate",
            tooltip="Escalate new SLA breaches and close resolved tickets nobody reopened",
        ),
    ]
    PERMS = {"take": "it.write", "escalate": "it.manage"}
    LISTENS = frozenset({TICKETS})
    TABLE_ID = "tickets-table"

    def __init__(self, app: BoApp) -> None:
        from bo_console.it.sources import TicketSource

        self.tickets = TicketSource(app.store, app.actor)
        super().__init__(
            self.tickets,
            name="tickets",
            title="Tickets",
            filter_hint="a ticket number, or words of the subject",
            id="tickets-pane",
        )

    @property
    def filter(self) -> str:
        """The view shown: open, mine, breached or all."""
        return self.tickets.view

    def status_line(self, table: VirtualTable) -> str:
        where = f"row {table.cursor + 1:,}" if table.count else "none"
        parts = [f"Tickets: {self.filter}, {table.count:,}", where, table.order_label]
        if self.tickets.filter_text:
            parts.append(f'"{self.tickets.filter_text}"')
        return " · ".join([*parts, "f filter · n new"])

    def action_next_filter(self) -> None:
        views = TICKET_VIEWS
        self.tickets.show(views[(views.index(self.filter) + 1) % len(views)])
        self.table.refresh_data(keep_cursor=False)

    def action_new(self) -> None:
        raise_ticket(self)

    def open_row(self, key: str, row: Row) -> None:
        open_ticket(self, _ref(key))

    def open_ref(self, ref: str) -> bool:
        """Open the ticket ``ref`` (a work item's link)."""
        return open_ticket(self, ref)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield JobStrip(busy_message="the escalation is still running", id="tickets-job")

    def action_escalate(self) -> None:
        """Run the escalation job (what cron runs) after a confirmation, under the bar."""
        from bo_console.it import service

        app = self.bo_app

        def answered(yes: bool | None) -> None:
            if yes:
                start_job(
                    self,
                    "SLA escalation",
                    lambda progress: service.run_escalation(
                        app.store, app.actor, progress=progress
                    ),
                    lambda result: self.notify(result.summary),
                    topics=(TICKETS,),
                )

        app.push_screen(
            ConfirmDialog(
                "Put each new SLA breach into the IT manager's inbox (once per breach) and "
                "close the resolved tickets nobody reopened in time?",
                title="Escalate SLA breaches",
                confirm_label="Escalate",
            ),
            answered,
        )

    def action_take(self) -> None:
        from bo_console.it import service

        key = self.current_key()
        if key is None:
            return
        ref = _ref(key)
        if try_write(self, lambda s, a: service.assign(s, a, ref), TICKETS):
            self.notify(f"{ref} is yours")


def _ref(key: str) -> str:
    from bo_console.it.tickets import ticket_ref

    return ticket_ref(int(key))


class MyRequestsPane(ShortListPane):
    """The tickets the signed-in person raised (what anyone may follow)."""

    BINDINGS = [
        Binding("n", "new", "New", id="it.requests.new", tooltip="Raise a ticket"),
        Binding("escape", "app.pop_screen", "Back", id="it.requests.back"),
    ]
    COLUMNS = (
        ColumnSpec("No.", 5),
        ColumnSpec("Pr", 2),
        ColumnSpec("SLA", 8),
        ColumnSpec("Status", 11),
        ColumnSpec("Subject", 19),
        ColumnSpec("Assignee", 8),
        ColumnSpec("Due (UTC)", 11),
    )
    LISTENS = frozenset({TICKETS})
    TABLE_ID = "requests-table"
    STATUS_ID = "requests-status"

    def __init__(self) -> None:
        super().__init__(id="requests-pane")

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        from bo_console.it import service

        rows = service.list_tickets(session, actor, service.TicketFilter(status="all", mine=True))
        return _rows(rows)

    def status_text(self, rows: Sequence[ListRow]) -> str:
        return f"My IT requests: {len(rows):,} · n new · enter open · esc back"

    def action_new(self) -> None:
        raise_ticket(self)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            open_ticket(self, str(event.row_key.value))


def my_requests(widget: Widget) -> None:
    """Open "My requests" over the current screen (palette command, for everyone)."""
    from textual.screen import ModalScreen

    class MyRequests(ModalScreen[None]):
        DEFAULT_CSS = "MyRequests { background: $background; }"

        def compose(self):  # type: ignore[no-untyped-def]
            yield MyRequestsPane()

        def on_mount(self) -> None:
            self.query_one(MyRequestsPane).load()
            self.query_one("#requests-table").focus()

    widget.app.push_screen(MyRequests())
