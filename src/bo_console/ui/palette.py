"""The command palette's entries for every screen, tab and action the signed-in person may use.

Nothing here is listed by hand: the entries are read from what the departments register. For
each place the console can go (:attr:`BoApp.destinations`), the screen's tabs
(:meth:`DepartmentScreen.tabs`), the keys its panes and the screen declare (their
``BINDINGS``), and the permission each action needs (the kit's ``PERMS``, through the pane's
``may``). Choosing an entry opens the screen, shows the tab and runs the action there, exactly
as its key would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widget import Widget

from bo_console.ui.keys import KIT_MODULES

if TYPE_CHECKING:
    from textual.screen import Screen

    from bo_console.ui.app import BoApp, Destination

SKIPPED_ACTIONS = frozenset({"reload", "show_tab", "noop", "select", "cursor_up", "cursor_down"})
"""Actions that mean nothing away from their key (refresh, move, the tab keys themselves)."""


@dataclass(frozen=True)
class PaletteEntry:
    """One thing the palette can do: its title (what is searched), help, and how to do it."""

    title: str
    help: str
    run: Callable[[], Awaitable[None]]
    keywords: str = ""
    """Words found beside the title (a tab's :attr:`~bo_console.ui.kit.department.Tab.keywords`,
    an action's tooltip)."""

    @property
    def searched(self) -> str:
        """What a search is matched against: the title, then the other words."""
        return f"{self.title} {self.keywords}".strip()


def _declared(widget_class: type[object], *, kit: bool) -> Iterator[Binding]:
    """The bindings ``widget_class`` and its bases declare, nearest first, one per action
    (the kit's generic ones only when ``kit``; Textual's never)."""
    seen: set[str] = set()
    for cls in widget_class.__mro__:
        declared = cls.__dict__.get("BINDINGS")
        module = cls.__module__
        if not declared or module.startswith("textual"):
            continue
        if module.startswith(KIT_MODULES) and not kit:
            continue
        for item in declared:
            binding = item if isinstance(item, Binding) else Binding(*item)
            name = binding.action.split("(", 1)[0]
            if binding.action in seen or name in SKIPPED_ACTIONS or "." in name:
                continue
            if not binding.description:
                continue
            seen.add(binding.action)
            yield binding


def _allowed(widget: object, action: str) -> bool:
    name = action.split("(", 1)[0]
    may = getattr(widget, "may", None)
    if callable(may):
        return bool(may(name))
    perms = getattr(widget, "PERMS", {})
    permission = perms.get(name) if isinstance(perms, dict) else None
    actor = getattr(getattr(widget, "app", None), "actor", None)
    return permission is None or actor is None or bool(actor.can(permission))


def _key_text(binding: Binding) -> str:
    first = binding.key.split(",")[0].strip()
    return {"question_mark": "?", "slash": "/", "enter": "enter", "space": "space"}.get(
        first, first
    )


class _Places:
    """Builds the entries for one app (once, on the palette's first use)."""

    def __init__(self, app: BoApp) -> None:
        self.app = app

    def entries(self) -> list[PaletteEntry]:
        found: list[PaletteEntry] = []
        for dest in self.app.destinations:
            try:
                found.extend(self._destination(dest))
            except Exception:  # noqa: BLE001 - one screen that cannot be read is left out
                self.app.log.warning(f"palette: cannot read the {dest.mode} screen")
        return found

    def _destination(self, dest: Destination) -> Iterator[PaletteEntry]:
        from bo_console.ui.kit.department import DepartmentScreen

        screen = dest.factory()
        for binding in _declared(type(screen), kit=False):
            if _allowed(screen, binding.action):
                yield self._action(dest, None, screen, binding)
        if not isinstance(screen, DepartmentScreen):
            return
        for number, tab in enumerate(screen.all_tabs(), start=1):
            yield PaletteEntry(
                f"{dest.title} › {tab.title}",
                f"Open the {tab.title} tab ({dest.fkey.upper()}, then {number})",
                self._opener(dest.mode, tab.id),
                tab.keywords,
            )
            pane = tab.make()
            seen: set[str] = set()
            for holder in (pane, *(part() for part in tab.parts)):
                for binding in _declared(type(holder), kit=True):
                    if binding.action in seen or not _allowed(holder, binding.action):
                        continue
                    seen.add(binding.action)
                    place = (tab.id, tab.title, type(holder))
                    yield self._action(dest, place, holder, binding)

    def _opener(self, mode: str, tab_id: str | None) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await self._show(mode, tab_id)

        return run

    async def _show(self, mode: str, tab_id: str | None) -> Screen[object]:
        from bo_console.ui.kit.department import DepartmentScreen

        app = self.app
        if app.current_mode != mode:
            await app.switch_mode(mode)
        screen = app.screen
        if tab_id is not None and isinstance(screen, DepartmentScreen):
            await screen.action_show_tab(tab_id)
            # Its panes read their rows now rather than after the tab bar's message.
            await screen.first_show(tab_id)
        return screen

    def _action(
        self,
        dest: Destination,
        tab: tuple[str, str, type[Widget]] | None,
        holder: object,
        binding: Binding,
    ) -> PaletteEntry:
        place = dest.title if tab is None else f"{dest.title} › {tab[1]}"
        help_text = f"{binding.tooltip or binding.description} (key {_key_text(binding)})"

        async def run() -> None:
            screen = await self._show(dest.mode, None if tab is None else tab[0])
            target: Widget | Screen[object] = screen
            if tab is not None:
                panes = screen.query_one(f"#{tab[0]}").query(tab[2])
                if not panes:
                    return
                target = panes.first()
                await _rows_read(target)
            await target.run_action(binding.action)

        words = binding.tooltip if binding.tooltip != binding.description else ""
        return PaletteEntry(f"{place} › {binding.description}", help_text, run, words)


async def _rows_read(widget: Widget) -> None:
    """Wait for the reads ``widget`` started when its tab was shown, so that an action on
    the highlighted row finds one (the first row)."""
    for worker in list(widget.app.workers):
        if worker.node is widget and not worker.is_finished:
            await worker.wait()


def palette_entries(app: BoApp) -> list[PaletteEntry]:
    """Every screen, tab and action ``app``'s signed-in person may use (built once)."""
    if app.palette_entries is None:
        app.palette_entries = _Places(app).entries()
    return app.palette_entries


class PlacesProvider(Provider):
    """The palette's source of screens, tabs and actions."""

    def _entries(self) -> list[PaletteEntry]:
        from bo_console.ui.app import BoApp

        app = self.app
        return palette_entries(app) if isinstance(app, BoApp) else []

    async def discover(self) -> Hits:
        for entry in self._entries():
            if " › " in entry.title and entry.title.count(" › ") == 1:
                yield DiscoveryHit(entry.title, entry.run, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.title)
            if score <= 0 and entry.keywords:
                # Found by its other words only: ranked below the titles that match.
                score = matcher.match(entry.searched) / 2
            if score > 0:
                yield Hit(score, matcher.highlight(entry.title), entry.run, help=entry.help)


__all__ = ["PaletteEntry", "PlacesProvider", "palette_entries"]
