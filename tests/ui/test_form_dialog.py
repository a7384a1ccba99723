"""The kit's form dialog: fields map to a pydantic Create model, saving runs one service
action; a refusal (pydantic's, a conversion's or the service's) stays beside its field and
nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pydantic import BaseModel, Field, field_validator
from sqlmodel import Session
from textual.screen import Screen
from textual.widgets import Static

from bo_console.core import inbox
from bo_console.core.db import Store
from bo_console.core.security import Actor
from bo_console.ui.app import BoApp
from bo_console.ui.kit import FormField, FormScreen, ServiceAction
from bo_console.ui.kit.form import day_or_error, field_error
from bo_console.ui.kit.form_dialog import FormSpec, form_dialog
from bo_console.ui.widgets.confirm import ConfirmDialog

SIZE = (80, 24)


class TicketCreate(BaseModel):
    subject: str = Field(min_length=3, max_length=60)
    due: date | None = None

    @field_validator("subject")
    @classmethod
    def _no_shouting(cls, value: str) -> str:
        if value.isupper():
            raise ValueError("no capitals only")
        return value


def _work(data: TicketCreate) -> Callable[[Session, Actor], int]:
    def work(session: Session, actor: Actor) -> int:
        if data.subject == "refused":
            raise field_error("subject", "the service refuses this one")
        item = inbox.create_item(
            session,
            actor,
            from_dept="front",
            item=inbox.NewWorkItem(to_dept="it", subject=data.subject, due_date=data.due),
        )
        assert item.id is not None
        return item.id

    return work


def _subjects(store: Store, admin: Actor) -> list[str]:
    with store.read() as session:
        return [i.subject for i in inbox.list_items(session, admin, dept="it")]


def _error(app: BoApp, name: str) -> str:
    return str(app.screen.query_one(f"#error-{name}", Static).render())


async def test_form_dialog_maps_fields_to_the_model_and_runs_one_action(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    done: list[int] = []
    before = _subjects(seeded, admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        host: Screen[object] = app.screen
        spec = FormSpec(
            "New request",
            TicketCreate,
            [FormField("subject", "Subject", required=True), FormField("due", "Due")],
            action=lambda data: ServiceAction(
                "New request", "Send", _work(data), "", done.append, topics=("it.tickets",)
            ),
            convert={"due": day_or_error},
        )
        form_dialog(host, spec)
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"ab", "ctrl+s")
        await pilot.pause()
        assert "at least 3 characters" in _error(app, "subject")
        await pilot.press("ctrl+u", *"LOUD", "tab", *"someday", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "someday" in _error(app, "due")
        await pilot.press("ctrl+u", *"+2", "shift+tab", "ctrl+u", *"LOUD", "ctrl+s")
        await pilot.pause()
        assert "no capitals only" in _error(app, "subject")
        await pilot.press("ctrl+u", *"refused", "ctrl+s")
        await pilot.pause()
        assert "the service refuses this one" in _error(app, "subject")
        assert _subjects(seeded, admin) == before
        await pilot.press("ctrl+u", *"Desk phone", "ctrl+s")
        await pilot.pause()
        assert app.screen is host
    assert len(done) == 1
    assert sorted(_subjects(seeded, admin)) == sorted([*before, "Desk phone"])


async def test_form_dialog_can_ask_before_it_runs(
    app_for: Callable[[Actor], BoApp], admin: Actor, seeded: Store
) -> None:
    app = app_for(admin)
    results: list[int | None] = []
    before = _subjects(seeded, admin)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        spec = FormSpec(
            "New request",
            TicketCreate,
            [FormField("subject", "Subject", required=True)],
            action=lambda data: ServiceAction(
                "New request", "Send", _work(data), f"Send {data.subject}?", lambda _: None
            ),
            ask=True,
        )
        form_dialog(app.screen, spec, dismissed=results.append)
        await pilot.pause()
        await pilot.press(*"refused", "ctrl+s")
        await pilot.pause()
        assert "the service refuses this one" in _error(app, "subject")
        await pilot.press("ctrl+u", *"Chair", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert _subjects(seeded, admin) == before
        await pilot.press("y")
        await pilot.pause()
    assert len(results) == 1 and results[0] is not None
    assert sorted(_subjects(seeded, admin)) == sorted([*before, "Chair"])
