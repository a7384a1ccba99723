"""The UI kit's parts on their own: lazy tabs, short lists, record dialogs, service actions,
data-changed topics and the background job strip."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from sqlmodel import Session
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from bo_console.core import inbox
from bo_console.core.errors import BoError
from bo_console.core.security import Actor
from bo_console.ui.app import BoApp
from bo_console.ui.kit import (
    ActionKey,
    Choice,
    ColumnSpec,
    DataChanged,
    DepartmentScreen,
    FormField,
    FormScreen,
    JobStrip,
    ListRow,
    RecordDialog,
    RecordSpec,
    ServiceAction,
    ShortListPane,
    Tab,
    announce,
    form_action,
    run_action,
)
from bo_console.ui.kit.form import field_error
from bo_console.ui.widgets.confirm import ConfirmDialog

SIZE = (80, 24)


def _items(session: Session, actor: Actor) -> list[str]:
    return [i.subject for i in inbox.list_items(session, actor, dept="it")]


def _new_item(subject: str) -> Callable[[Session, Actor], str]:
    def work(session: Session, actor: Actor) -> str:
        item = inbox.create_item(
            session,
            actor,
            from_dept="front",
            item=inbox.NewWorkItem(to_dept="it", kind="general", subject=subject),
        )
        return item.subject

    return work


class Numbers(ShortListPane):
    """A short list whose rows the test decides."""

    COLUMNS = (ColumnSpec("Key", 6), ColumnSpec("Amount", 10, right=True))
    LISTENS = frozenset({"test.numbers"})
    BINDINGS = [Binding("z", "zap", "Zap", id="test.zap")]
    PERMS = {"zap": "nobody.has.this"}

    def __init__(self) -> None:
        super().__init__(id="numbers")
        self.keys = ["a", "b", "c"]
        self.reads = 0

    def load_rows(self, session: Session, actor: Actor) -> list[ListRow]:
        self.reads += 1
        return [ListRow(k, (k, 1000 * (i + 1))) for i, k in enumerate(self.keys)]

    def action_zap(self) -> None:
        raise AssertionError("a key whose permission is missing must not run")


class Shown(Vertical):
    def __init__(self) -> None:
        super().__init__(id="shown")
        self.first_shows = 0

    def on_first_show(self) -> None:
        self.first_shows += 1


class KitScreen(DepartmentScreen):
    DEPARTMENT = "it"
    SCREEN_TITLE = "Kit"
    LAZY_TABS = True

    def __init__(self) -> None:
        super().__init__()
        self.built: list[str] = []

    def _made(self, name: str, widget: Any) -> Any:
        self.built.append(name)
        return widget

    def tabs(self) -> Iterable[Tab]:
        yield Tab("first", "First", lambda: self._made("first", Static("first")))
        yield Tab("numbers", "Numbers", lambda: self._made("numbers", Numbers()))
        yield Tab("shown", "Shown", lambda: self._made("shown", Shown()))


async def test_tabs_are_built_and_first_shown_once(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        screen = KitScreen()
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.built == ["first"]
        for _ in range(2):
            await pilot.press("3")
            await pilot.pause()
            await pilot.press("1")
            await pilot.pause()
        assert screen.built == ["first", "shown"]
        assert screen.query_one(Shown).first_shows == 1


async def test_a_short_list_keeps_its_cursor_and_refreshes_on_its_topic(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        screen = KitScreen()
        await app.push_screen(screen)
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = screen.query_one(Numbers)
        assert pane.reads == 1 and [r.key for r in pane.rows] == ["a", "b", "c"]
        await pilot.press("down", "down")
        assert pane.selected_key == "c"
        # A row comes in before the highlighted one: the cursor stays on "c".
        pane.keys = ["0", "a", "b", "c"]
        assert announce(pane, "test.other") == 0
        assert announce(pane, "test.numbers") == 1
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert pane.reads == 2 and pane.selected_key == "c"
        assert str(pane.data_table.get_row("c")[1]) == "4,000"
        # No permission, no key: the binding is refused before it runs.
        assert pane.check_action("zap", ()) is False
        await pilot.press("z")
        await pilot.pause()


class Card(RecordDialog[dict[str, str]]):
    def record_spec(self, view: dict[str, str]) -> RecordSpec:
        return RecordSpec(
            header=[f"Ticket {view['ref']}"],
            actions=(
                ActionKey("a", "assign", "Assign", "a assign"),
                ActionKey("c", "close_it", "Close", "c close"),
                ActionKey("o", "open", "Open linked", "o open linked", ref=view["link"]),
            ),
        )


class NumbersFirst(DepartmentScreen):
    DEPARTMENT = "it"
    SCREEN_TITLE = "Numbers"

    def tabs(self) -> Iterable[Tab]:
        yield Tab("numbers", "Numbers", Numbers)


async def test_the_first_tab_reads_its_data_when_the_screen_opens(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    async with app.run_test(size=SIZE) as pilot:
        screen = NumbersFirst()
        await app.push_screen(screen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = screen.query_one(Numbers)
        assert pane.reads == 1 and pane.data_table.row_count == 3
        assert pane.data_table.has_focus


async def test_a_record_dialog_returns_a_typed_choice_and_only_allowed_keys_work(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    chosen: list[Choice | None] = []
    async with app.run_test(size=SIZE) as pilot:
        card = Card({"ref": "T-1", "link": "T-0"}, frozenset({"assign", "open"}))
        await app.push_screen(card, chosen.append)
        await pilot.pause()
        assert card.keys_text() == "a assign · o open linked · esc close"
        await pilot.press("c")  # not allowed here: nothing happens
        await pilot.pause()
        assert app.screen is card and chosen == []
        await pilot.press("o")
        await pilot.pause()
        assert chosen == [Choice("open", "T-0")]
        await app.push_screen(Card({"ref": "T-2", "link": ""}, frozenset()), chosen.append)
        await pilot.press("escape")
        await pilot.pause()
        assert chosen[-1] is None


class Listener(Static):
    LISTENS = frozenset({"it.tickets"})

    def __init__(self) -> None:
        super().__init__("", id="listener")
        self.heard: list[str] = []

    def on_data_changed(self, event: DataChanged) -> None:
        self.heard.append(event.topic)


class Host(DepartmentScreen):
    DEPARTMENT = "it"
    SCREEN_TITLE = "Host"

    def tabs(self) -> Iterable[Tab]:
        yield Tab("listen", "Listen", Listener)


async def test_a_service_action_is_checked_then_confirmed_then_run_and_announced(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    done: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        host = Host()
        await app.push_screen(host)
        await pilot.pause()
        listener = host.query_one(Listener)

        def refused(session: Session, actor: Actor) -> str:
            _new_item("written, then refused")(session, actor)
            raise BoError("no tickets on Fridays")

        run_action(host, ServiceAction("Open", "Open", refused, "Open it?", done.append))
        await pilot.pause()
        # The dry run's refusal is a toast; no dialog asks, nothing was written.
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("no tickets on Fridays" in n.message for n in app._notifications)
        with app.store.read() as session:
            assert "written, then refused" not in _items(session, admin)

        action = ServiceAction(
            "Open ticket",
            "Open",
            _new_item("Printer jam"),
            lambda: "Open a ticket for the printer?",
            done.append,
            topics=("it.tickets",),
        )
        run_action(host, action)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        # The dry run wrote nothing that stayed.
        with app.store.read() as session:
            assert "Printer jam" not in _items(session, admin)
        await pilot.press("y")
        await pilot.pause()
        assert done == ["Printer jam"]
        assert listener.heard == ["it.tickets"]
        with app.store.read() as session:
            assert _items(session, admin).count("Printer jam") == 1


async def test_a_form_action_shows_the_dry_runs_refusal_beside_the_field(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    done: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        host = Host()
        await app.push_screen(host)
        await pilot.pause()

        def action_for(values: dict[str, str]) -> ServiceAction[str]:
            subject = values["subject"]

            def work(session: Session, actor: Actor) -> str:
                if subject == "bad":
                    raise field_error("subject", "not that subject")
                return _new_item(subject)(session, actor)

            return ServiceAction("Open", "Open", work, f"Open {subject}?", done.append)

        form_action(host, "New ticket", [FormField("subject", "Subject")], action_for)
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"bad", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        error = app.screen.query_one("#error-subject", Static)
        assert "not that subject" in str(error.render())
        await pilot.press("ctrl+u", *"Desk phone", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert done == ["Desk phone"]


class StripHost(Vertical):
    def compose(self) -> ComposeResult:
        yield JobStrip(busy_message="one at a time")


class StripScreen(DepartmentScreen):
    DEPARTMENT = "it"
    SCREEN_TITLE = "Jobs"

    def tabs(self) -> Iterable[Tab]:
        yield Tab("jobs", "Jobs", StripHost)


async def test_a_job_strip_runs_one_job_at_a_time_and_reports_the_outcome(
    app_for: Callable[[Actor], BoApp], admin: Actor
) -> None:
    app = app_for(admin)
    release = threading.Event()
    results: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = StripScreen()
        await app.push_screen(screen)
        await pilot.pause()
        strip = screen.query_one(JobStrip)
        assert not strip.display or not strip.has_class("busy")

        def job(progress: Callable[[int, int], None]) -> int:
            progress(1, 2)
            release.wait(5)
            progress(2, 2)
            return 42

        assert strip.start("Counting")
        strip.run(job, results.append)
        await pilot.pause()
        assert strip.has_class("busy")
        assert not strip.start("Again")  # refused while the first runs
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert results == [42] and not strip.has_class("busy")

        def failing(progress: Callable[[int, int], None]) -> int:
            raise BoError("the tape is stuck")

        assert strip.start("Failing")
        strip.run(failing, results.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert results == [42] and not strip.busy
        assert any("the tape is stuck" in n.message for n in app._notifications)
