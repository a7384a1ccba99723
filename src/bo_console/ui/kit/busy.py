"""A busy store never costs a clerk their work.

While another write holds the database (a long import, a payroll run), a write from the console
waits for SQLite's busy timeout and then fails with "database is locked". The kit's write path
(:mod:`~bo_console.ui.kit.actions`) turns that into :class:`StoreBusy`, whose message says what
holds the store (the running job, who started it and since when, when the actor may see jobs);
:func:`ask_retry` shows it in a dialog that offers to try again or to cancel. The form or
record being worked on stays as it was either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from bo_console.core.errors import BoError
from bo_console.ui.base import bo_app

if TYPE_CHECKING:
    from textual.widget import Widget


class StoreBusy(BoError):
    """Another write holds the database; nothing was written, and the work is kept."""

    title = "database busy"


def is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying another connection holds the write lock (as raised by
    the driver, or wrapped by the SQL toolkit with the driver's error as ``orig``)."""
    import sqlite3

    for error in (exc, getattr(exc, "orig", None)):
        if isinstance(error, sqlite3.OperationalError) and (
            "locked" in str(error) or "busy" in str(error)
        ):
            return True
    return False


def holder(widget: Widget) -> str:
    """What holds the store, in words: the running job, who started it and when, if the
    signed-in actor may list jobs; otherwise "another write"."""
    from bo_console.core import jobs

    app = bo_app(widget)
    if not app.actor.can("jobs.read"):
        return "another write (a job or another user)"
    try:
        with app.store.read() as session:
            running = [
                r for r in jobs.list_runs(session, app.actor, limit=20) if r.ended_at is None
            ]
    except Exception:  # noqa: BLE001 - the message must come out whatever the store says
        return "another write"
    if not running:
        return "another write (another user's change)"
    run = running[0]
    # Not the run's key: for an import it is a digest of the file, which tells a clerk nothing.
    return f"job {run.name}, started by {run.user_login} at {run.started_at:%Y-%m-%d %H:%M} UTC"


def busy_error(widget: Widget) -> StoreBusy:
    """The refusal for a write that found the store held."""
    return StoreBusy(
        f"The database is busy with {holder(widget)}. Nothing was written and what you typed "
        "is kept; try again when it is done."
    )


class BusyDialog(ModalScreen[bool]):
    """Says what the store is busy with; dismisses True to try again, False to cancel."""

    DEFAULT_CSS = """
    BusyDialog { align: center middle; }
    BusyDialog > Vertical {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    BusyDialog .title { text-style: bold; margin-bottom: 1; }
    BusyDialog .buttons { height: auto; margin-top: 1; align-horizontal: right; }
    BusyDialog Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("r,enter", "answer(True)", "Try again", id="busy.retry"),
        Binding("escape,c", "answer(False)", "Cancel", id="busy.cancel"),
    ]

    def __init__(self, error: StoreBusy) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Database busy", classes="title")
            yield Static(self.error.message, id="busy-message")
            with Horizontal(classes="buttons"):
                yield Button("Try again (r)", id="busy-retry", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="busy-cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "busy-retry")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


def ask_retry(widget: Widget, error: StoreBusy, retry: Callable[[], None]) -> None:
    """Show what the store is busy with; ``retry`` runs if the clerk chooses to try again."""

    def answered(again: bool | None) -> None:
        if again:
            retry()

    widget.app.push_screen(BusyDialog(error), answered)
