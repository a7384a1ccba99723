"""A department screen: numbered tabs (keys 1-9) built when first shown, the inbox last.

A department screen subclasses :class:`DepartmentScreen`, names its department and lists its
tabs::

    class ITScreen(DepartmentScreen):
        DEPARTMENT = "it"
        SCREEN_TITLE = "IT"

        def tabs(self) -> Iterable[Tab]:
            yield Tab("tickets", "Tickets", lambda: TicketsPane(self.bo_app))
            yield Tab("licences", "Licences", LicencesPane)

There is one way of loading lazily. A tab whose ``lazy`` is true (by default, the screen's
``LAZY_TABS``) is built the first time it is shown (the first tab always with the screen); and
the first time a tab is shown, every widget in it that has an ``on_first_show()`` method is
called once, so a pane reads its data only when someone looks at it.

Every tab stays on the tab bar, whatever the width: where the titles do not all fit (nine
Finance tabs at 80 columns), the tab being shown keeps its title and the others show their
short ones (``Tab.short``, by default :func:`short_title`), or only their number keys
(:func:`tab_labels`).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from bo_console.ui.base import BoScreen


@dataclass(frozen=True)
class Tab:
    """A tab of a department screen: its id, title and what fills it.

    ``lazy``: build it the first time it is shown (None: as the screen's ``LAZY_TABS`` says).
    """

    id: str
    title: str
    make: Callable[[], Widget]
    lazy: bool | None = None
    short: str = ""
    """The title where the tab bar is short of room (empty: :func:`short_title`)."""
    parts: tuple[type[Widget], ...] = ()
    """Widgets inside the tab whose keys the command palette offers too (the tab's own
    widget's keys always are)."""
    keywords: str = ""
    """Other words the palette finds the tab by (what it shows that its title does not say)."""

    @property
    def short_title(self) -> str:
        return self.short or short_title(self.title)


TAB_PADDING = 2
"""Cells a tab takes beside its label (Textual pads each tab by one on either side)."""


def short_title(title: str) -> str:
    """A tab title in a few letters: as it is up to five letters, the initials of several
    words (``Purchase orders`` -> ``PO``), else its first four letters."""
    words = title.split()
    if len(title) <= 5:
        return title
    if len(words) > 1:
        return "".join(word[0] for word in words).upper()
    return title[:4]


def tab_labels(titles: Sequence[tuple[str, str]], active: int, width: int) -> list[str]:
    """The labels of a tab bar ``width`` cells wide, for (title, short title) pairs with the
    tab at index ``active`` shown: ``3 Invoices`` for each when they all fit; else the shown
    tab's title and the others' short titles; else the others' number keys alone."""
    full = [f"{n} {title}" for n, (title, _) in enumerate(titles, start=1)]

    def fits(labels: Sequence[str]) -> bool:
        return sum(len(label) + TAB_PADDING for label in labels) <= width

    if fits(full):
        return full
    shorter = [
        full[i] if i == active else f"{i + 1} {short}" for i, (_, short) in enumerate(titles)
    ]
    if fits(shorter):
        return shorter
    return [full[i] if i == active else str(i + 1) for i in range(len(titles))]


class DepartmentScreen(BoScreen):
    """Base of the department screens: numbered tabs (keys 1-9), the inbox last."""

    DEPARTMENT: ClassVar[str] = ""
    LAZY_TABS: ClassVar[bool] = False
    """Build the first tab with the screen and each other one when it is first shown, so the
    screen opens without reading or drawing what is not on it yet."""

    INBOX_TAB: ClassVar[bool] = True
    """Add the department's inbox as the last tab (the front office has no inbox of its own:
    its people follow what they raised)."""

    WARM_UP: ClassVar[tuple[str, ...]] = ()
    """Modules the console imports in the background once this screen has opened with its
    first tab drawn (the department's service, which opening a record needs): see
    :meth:`bo_console.ui.app.BoApp.warm_up`."""

    LINK_TABS: ClassVar[dict[str, str]] = {}
    """Kind of linked record (``order``, ``employee``, ...) -> the tab that lists them, for
    a work item's "open the linked record"."""

    async def open_link(self, entity: str, ref: str) -> None:
        """Show the tab that lists ``entity`` records and, when its list can find ``ref``
        (an ``open_ref(ref) -> bool`` method), that record."""
        tab_id = self.LINK_TABS.get(entity)
        if tab_id is None:
            self.notify(f"{self.SCREEN_TITLE} has no list of {entity} records", severity="warning")
            return
        await self.action_show_tab(tab_id)
        for widget in self.query_one(f"#{tab_id}", TabPane).walk_children(with_self=False):
            finder = getattr(widget, "open_ref", None)
            if callable(finder):
                result = finder(ref)
                if inspect.isawaitable(result):
                    result = await result
                if not result:
                    self.notify(f"{entity} {ref} is not in this list", severity="warning")
                return
        self.notify(f"{entity} {ref}: find it in this list (/ filters)")

    def tabs(self) -> Iterable[Tab]:
        """The department's own tabs, in order (the inbox is added after them)."""
        return ()

    def all_tabs(self) -> list[Tab]:
        """The tabs as the tab bar shows them: the department's own, then its inbox."""
        tabs = list(self.tabs())
        if self.INBOX_TAB:
            tabs.append(Tab("inbox", "Inbox", self._inbox_panel, keywords="work items requests"))
        return tabs

    def _inbox_panel(self) -> Widget:
        # Imported when the tab is first shown: the inbox's queries and widgets are not part
        # of the first frame of a department.
        from bo_console.ui.inbox import InboxPanel

        return InboxPanel(self.DEPARTMENT)

    def compose_body(self) -> ComposeResult:
        tabs = self.all_tabs()
        self._tab_ids = [t.id for t in tabs]
        self._tab_titles = {t.id: t.title for t in tabs}
        self._tab_shorts = [(t.title, t.short_title) for t in tabs]
        self._tab_makers = {t.id: t.make for t in tabs}
        self._built_tabs: set[str] = set()
        self._shown_tabs: set[str] = set()
        self._building: dict[str, asyncio.Event] = {}
        with TabbedContent(initial=tabs[0].id, id="dept-tabs"):
            for number, tab in enumerate(tabs, start=1):
                lazy = self.LAZY_TABS if tab.lazy is None else tab.lazy
                with TabPane(f"{number} {tab.title}", id=tab.id):
                    if number == 1 or not lazy:
                        self._built_tabs.add(tab.id)
                        yield tab.make()

    async def ensure_tab(self, tab_id: str) -> None:
        """Build the tab's content if it is not yet built, and wait until it is mounted."""
        if tab_id in self._built_tabs:
            return
        building = self._building.get(tab_id)
        if building is not None:
            await building.wait()
            return
        building = self._building[tab_id] = asyncio.Event()
        try:
            self._built_tabs.add(tab_id)
            await self.query_one(f"#{tab_id}", TabPane).mount(self._tab_makers[tab_id]())
        finally:
            building.set()
            del self._building[tab_id]

    async def first_show(self, tab_id: str) -> None:
        """Call ``on_first_show()`` of the widgets in the tab, the first time it is shown."""
        if tab_id in self._shown_tabs:
            return
        self._shown_tabs.add(tab_id)
        for widget in self.query_one(f"#{tab_id}", TabPane).walk_children(with_self=False):
            hook = getattr(widget, "on_first_show", None)
            if callable(hook):
                result = hook()
                if inspect.isawaitable(result):
                    await result

    def on_mount(self) -> None:
        for number, tab_id in enumerate(self._tab_ids[:9], start=1):
            self._bindings.bind(
                str(number),
                f"show_tab('{tab_id}')",
                f"{self._tab_titles[tab_id]} tab",
                show=False,
            )
        self._focus_tab(self._tab_ids[0])
        self._fit_tab_labels()
        # The first tab is shown with the screen: its panes read their data now.
        self.call_after_refresh(self.first_show, self._tab_ids[0])

    def _fit_tab_labels(self) -> None:
        """Label the tabs so that every one shows on the tab bar (see :func:`tab_labels`)."""
        tabbed = self.query_one("#dept-tabs", TabbedContent)
        width = tabbed.size.width or self.size.width or self.app.size.width
        active = tabbed.active
        index = self._tab_ids.index(active) if active in self._tab_ids else 0
        for tab_id, label in zip(
            self._tab_ids, tab_labels(self._tab_shorts, index, width), strict=True
        ):
            tab = tabbed.get_tab(tab_id)
            if tab.label_text != label:
                tab.label = label

    def on_resize(self, event: Resize) -> None:
        self._fit_tab_labels()

    async def action_show_tab(self, tab_id: str) -> None:
        await self.ensure_tab(tab_id)
        self.query_one("#dept-tabs", TabbedContent).active = tab_id
        self._focus_tab(tab_id)

    def _focus_tab(self, tab_id: str) -> None:
        pane = self.query_one(f"#{tab_id}")
        for widget in pane.query("VirtualTable, DataTable"):
            widget.focus()
            return
        # A tab without a list yet (a query editor before its first run): its first field,
        # so that its keys work and the footer shows them.
        for widget in pane.query("*"):
            if widget.focusable:
                widget.focus()
                return

    @on(TabbedContent.TabActivated)
    async def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self._fit_tab_labels()
        if event.pane.id is not None:
            await self.ensure_tab(event.pane.id)
            await self.first_show(event.pane.id)
        self.refresh_bindings()
