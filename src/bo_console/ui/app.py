"""The Textual app: modes (Home, Admin, one per department), global keys, help, quitting."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.screen import Screen

from bo_console import departments
from bo_console.core.security import DEPARTMENTS, Actor

if TYPE_CHECKING:
    from bo_console.core.db import Store
    from bo_console.ui.palette import PaletteEntry


def freeze_startup_objects() -> None:
    """Move everything built at start-up out of the garbage collector's view (and let the
    collector run again if ``bo`` paused it while starting: :mod:`bo_console.core.startup`).

    A full collection over Textual's object graph takes 25-30 ms, long enough to make an
    occasional key press visibly late; frozen objects are skipped by later collections. No
    collection first: it would take 60-80 ms just after the first screen is drawn, to free a
    few thousand objects of start-up garbage.
    """
    from bo_console.core import startup

    startup.done()


WARM_UP = ("bo_console.core.engine",)
"""What the console imports in the background once its first screen is drawn, whatever the
screen: the store's engines and sessions, with SQLAlchemy (a screen adds its department's
service, and with it the models). The first screen reads through the standard library's
``sqlite3`` and does not wait for them (about 300 ms of CPU); the first record opened or
written needs them, and then finds them loaded."""


@dataclass(frozen=True)
class Destination:
    """A place the console can go: a mode with its keys."""

    mode: str
    title: str
    fkey: str
    letter: str
    factory: Callable[[], Screen[None]]


DEPARTMENT_KEYS: dict[str, tuple[str, str]] = {
    "finance": ("f2", "f"),
    "hr": ("f3", "h"),
    "it": ("f4", "i"),
    "logistics": ("f5", "l"),
    "data": ("f6", "d"),
    "front": ("f7", "o"),
}
ADMIN_KEYS = ("f9", "a")


def _screen_factory(target: str) -> Callable[[], Screen[None]]:
    module_name, class_name = target.split(":", 1)

    def make() -> Screen[None]:
        screen_class = getattr(importlib.import_module(module_name), class_name)
        screen: Screen[None] = screen_class()
        return screen

    return make


def destinations_for(actor: Actor) -> list[Destination]:
    """Departments that exist and that ``actor`` may read, then Admin if they may use it."""
    found: list[Destination] = []
    for code, title in [*DEPARTMENTS.items(), *departments.SCREEN_TITLES.items()]:
        target = departments.SCREENS.get(code)
        if target is None or departments.screen_refusal(actor, code) is not None:
            continue
        fkey, letter = DEPARTMENT_KEYS[code]
        found.append(Destination(code, title, fkey, letter, _screen_factory(target)))
    if departments.screen_refusal(actor, "admin") is None:
        found.append(
            Destination(
                "admin",
                "Admin",
                ADMIN_KEYS[0],
                ADMIN_KEYS[1],
                _screen_factory("bo_console.ui.admin:AdminScreen"),
            )
        )
    return found


def _places_provider() -> type[Provider]:
    from bo_console.ui.palette import PlacesProvider

    return PlacesProvider


class BoApp(App[None]):
    """The bo-console terminal UI."""

    CSS_PATH = "theme.tcss"
    COMMANDS = App.COMMANDS | {_places_provider}
    TITLE = "bo-console"
    BINDINGS = [
        Binding(
            "f1,question_mark",
            "help",
            "Help",
            id="app.help",
            tooltip="Help for this screen and its keys",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            priority=True,
            tooltip="Quit bo-console (asks first)",
        ),
        Binding("q", "quit", "Quit", id="app.quit-q", show=False),
    ]

    def __init__(self, store: Store, actor: Actor, *, screen: str = "home") -> None:
        """``screen``: where the console opens (``home``, a department, ``admin``); the caller
        has checked that ``actor`` may open it (:func:`departments.require_screen`)."""
        super().__init__()
        self.store = store
        self.actor = actor
        self.start_mode = screen
        from bo_console.core.config import animation_level, bidi_mode
        from bo_console.ui.widgets import bidi

        bidi.configure(bidi_mode())
        self.animation_level = animation_level()
        self.destinations = destinations_for(actor)
        self.palette_entries: list[PaletteEntry] | None = None
        """The palette's screens, tabs and actions for ``actor`` (read on first use)."""
        # Screens are imported when first shown: opening straight onto a department does not
        # pay for Home, and Home does not pay for the departments.
        self.add_mode("home", self._styled_now(_screen_factory("bo_console.ui.home:HomeScreen")))
        for dest in self.destinations:
            self.add_mode(dest.mode, self._styled_now(dest.factory))
            self.bind(dest.fkey, f"go('{dest.mode}')", description=dest.title, show=False)

    def _styled_now(self, factory: Callable[[], Screen[None]]) -> Callable[[], Screen[None]]:
        """``factory``, with its screen marked as up to date with the app's stylesheet.

        Textual re-parses every stylesheet and restyles every screen when a mode's new screen
        is first shown (twice: on creating the mode and on switching to it), because a new
        screen has not seen the stylesheet's last change. A new screen is styled as it is
        mounted anyway, and its own CSS is loaded apart: the re-parse was a third of opening
        a department. After a theme change the count moves on and the refresh still happens.
        """

        def make() -> Screen[None]:
            screen = factory()
            screen._css_update_count = self._css_update_count
            return screen

        return make

    @property
    def store_name(self) -> str:
        """The database as the top bar shows it (a file name, or the URL without password)."""
        if self.store.path is not None:
            return Path(self.store.path).name
        return self.store.label

    def on_mount(self) -> None:
        self.switch_mode(self.start_mode)
        self.call_after_refresh(self._first_frame_drawn)

    def _first_frame_drawn(self) -> None:
        freeze_startup_objects()
        # One more frame first: the first screen's rows are drawn before the import starts.
        self.call_after_refresh(self._start_warm_up)

    def _start_warm_up(self) -> None:
        self.warm_up([*WARM_UP, *getattr(self.screen, "WARM_UP", ())])

    @work(thread=True, group="warm-up", exit_on_error=False)
    def warm_up(self, modules: list[str]) -> None:
        """Import ``modules`` in a thread (those of :data:`WARM_UP` and the screen's own): a
        person reading the first screen does not notice, and their first Enter does not wait
        for the SQL toolkit. Whatever fails here fails again, and is reported, where used."""
        from bo_console.core import startup

        for name in modules:
            importlib.import_module(name)
        startup.done()  # keep what was imported out of later collections too

    def action_go(self, mode: str) -> None:
        """Open a department or Admin (from anywhere: F2-F6, F9; letters on Home)."""
        if mode == "home" or any(d.mode == mode for d in self.destinations):
            self.switch_mode(mode)
        else:
            refusal = departments.screen_refusal(self.actor, mode)
            self.notify(refusal or f"{mode} is not available to you", severity="warning")

    async def open_link(self, entity: str, ref: str) -> None:
        """Open the screen of the department that keeps ``entity`` records, on record ``ref``
        (a work item's linked record)."""
        from bo_console.core.inbox import LINK_ENTITIES
        from bo_console.ui.kit.department import DepartmentScreen

        mode = LINK_ENTITIES.get(entity, "")
        if not any(d.mode == mode for d in self.destinations):
            refusal = departments.screen_refusal(self.actor, mode) if mode else None
            self.notify(
                refusal or f"no screen in this build shows {entity} records", severity="warning"
            )
            return
        await self.switch_mode(mode)
        screen = self.screen
        if isinstance(screen, DepartmentScreen):
            await screen.open_link(entity, ref)

    def action_go_home(self) -> None:
        self.switch_mode("home")

    def action_help(self) -> None:
        from bo_console.ui.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        from bo_console.ui.widgets.confirm import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(
            ConfirmDialog(
                "Quit bo-console?", title="Quit", confirm_label="Quit", destructive=False
            ),
            answered,
        )

    def _palette(self, target: str, screen: Screen[object]) -> None:
        module_name, name = target.split(":", 1)
        getattr(importlib.import_module(module_name), name)(screen)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Home", "The home screen: departments and your inbox", self.action_go_home
        )
        for dest in self.destinations:
            yield SystemCommand(
                dest.title,
                f"Open {dest.title} ({dest.fkey.upper()})",
                lambda mode=dest.mode: self.action_go(mode),
            )
        for title, help_text, target in departments.PALETTE:
            yield SystemCommand(
                title, help_text, lambda target=target: self._palette(target, screen)
            )
        yield SystemCommand("Help", "Help for this screen and its keys", self.action_help)
        yield SystemCommand("Quit", "Quit bo-console", self.action_quit)
        yield from (c for c in super().get_system_commands(screen) if c.title not in ("Quit",))
