"""What every screen of the console shares: the top bar, the footer, help text, going home."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from bo_console.core.clock import today
from bo_console.ui.widgets.bidi import visual
from bo_console.ui.widgets.footer import BoFooter

if TYPE_CHECKING:
    from datetime import date

    from textual.widget import Widget

    from bo_console.ui.app import BoApp


def bo_app(widget: Widget) -> BoApp:
    """The console a widget runs in (its store and signed-in actor)."""
    return cast("BoApp", widget.app)


def console_today() -> date:
    """The console's today, looked up at each call: the screenshots pin it to the demo's date."""
    return today()


class TopBar(Static):
    """One line: product, screen, who is signed in with which role, the database, today."""

    DEFAULT_CSS = """
    TopBar { dock: top; height: 1; background: $primary; color: $text; padding: 0 1; }
    """

    def __init__(self, screen_title: str) -> None:
        super().__init__(id="topbar")
        self.screen_title = screen_title

    def on_mount(self) -> None:
        app = cast("BoApp", self.app)
        actor = app.actor
        parts = [
            f"bo-console · {self.screen_title}",
            f"{actor.login} ({actor.role_label})",
            app.store_name,
            today().isoformat(),
        ]
        self.update(Text(visual(" │ ".join(parts))))


class BoScreen(Screen[None]):
    """Base of the console's full screens."""

    SCREEN_TITLE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    """What the screen is for and how to use it (shown by ? and F1)."""

    BINDINGS = [Binding("escape", "app.go_home", "Back", id="screen.home", tooltip="Back to Home")]

    @property
    def bo_app(self) -> BoApp:
        return cast("BoApp", self.app)

    def compose(self) -> ComposeResult:
        yield TopBar(self.SCREEN_TITLE)
        yield from self.compose_body()
        yield BoFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between the top bar and the footer."""
        return iter(())
