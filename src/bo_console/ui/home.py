"""Home: the departments you can open (one key each) and your inbox."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from bo_console.ui.base import BoScreen
from bo_console.ui.inbox import InboxPanel


class HomeScreen(BoScreen):
    """The first screen: where to go, and what is waiting for you."""

    SCREEN_TITLE = "Home"
    WARM_UP = ("bo_console.core.models",)
    """Imported in the background after the first frame (see ``BoApp.warm_up``): opening a
    work item reads it as a record."""
    HELP = (
        "Home lists the departments you can open, each with its key (the F-key works from "
        "anywhere; the letter works here), and the open work items in the inboxes you can read. "
        "Enter opens an item: take it, assign it, comment, or mark it done."
    )
    BINDINGS = [Binding("escape", "noop", show=False)]

    def compose_body(self) -> ComposeResult:
        yield Static("Departments", classes="section-title")
        yield Static("", id="home-menu", classes="hint")
        yield InboxPanel(id="home-inbox")

    def on_mount(self) -> None:
        destinations = self.bo_app.destinations
        if destinations:
            lines = [f"  {d.fkey.upper():>3} / {d.letter}   {d.title}" for d in destinations]
        else:
            lines = ["  No department is open to your roles yet; ask an admin (bo users roles)."]
        self.query_one("#home-menu", Static).update("\n".join(lines))
        for dest in destinations:
            self._bindings.bind(dest.letter, f"app.go('{dest.mode}')", dest.title)
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        self.query_one(InboxPanel).reload()

    def action_noop(self) -> None:
        """Escape on Home stays on Home."""
