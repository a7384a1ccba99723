"""The console's one write path, and "check, then confirm, then run".

Every change a screen makes goes through :func:`write` (one unit of work that commits, or rolls
back on a refusal). An irreversible step is a :class:`ServiceAction`: :func:`run_action` first
runs its ``work`` in a transaction that is rolled back (a *dry run*), so what the service refuses
shows at once; only then does a dialog say what will happen and ask; on yes the work runs for
real, then ``done`` gets its result and the action's topics are announced
(:mod:`~bo_console.ui.kit.events`). :func:`form_action` asks with a form first and shows the dry
run's refusal beside the form's fields.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from bo_console.core.errors import BoError
from bo_console.ui.base import bo_app
from bo_console.ui.kit.events import announce
from bo_console.ui.kit.notify import show_error
from bo_console.ui.widgets.confirm import ConfirmDialog
from bo_console.ui.widgets.form import FormField, FormScreen

if TYPE_CHECKING:
    from sqlmodel import Session
    from textual.widget import Widget

    from bo_console.core.security import Actor

T = TypeVar("T")

Work = Callable[["Session", "Actor"], T]
"""A service call: the session of one unit of work and the signed-in actor."""


def write(widget: Widget, work: Work[T]) -> T:
    """Run ``work`` in one write unit of work (committed when it returns). A refusal is raised
    as the service's :class:`BoError`, and nothing is written."""
    app = bo_app(widget)
    with app.store.write() as session:
        return work(session, app.actor)


def dry_run(widget: Widget, work: Work[object]) -> None:
    """Run ``work`` in a write transaction that is rolled back: raises what the service would
    refuse, writes nothing."""
    app = bo_app(widget)
    with app.store.write() as session:
        work(session, app.actor)
        session.rollback()


def read(widget: Widget, work: Work[T]) -> T | None:
    """Run ``work`` in a read-only session; a refusal is shown as a toast and None returned."""
    app = bo_app(widget)
    try:
        with app.store.read() as session:
            return work(session, app.actor)
    except BoError as exc:
        show_error(widget, exc)
        return None


def try_write(widget: Widget, work: Work[T], *topics: str) -> T | None:
    """:func:`write`, with a refusal shown as a toast (None returned); on success the topics
    are announced."""
    try:
        result = write(widget, work)
    except BoError as exc:
        show_error(widget, exc)
        return None
    announce(widget, *topics)
    return result


@dataclass(frozen=True)
class ServiceAction(Generic[T]):
    """A step that changes data, checked by the service before the person is asked.

    ``message`` says what will happen (a callable is asked only once the dry run passed);
    ``done`` gets what ``work`` returned; ``topics`` are announced after it.
    """

    title: str
    confirm_label: str
    work: Work[T]
    message: str | Callable[[], str]
    done: Callable[[T], None]
    topics: Sequence[str] = field(default_factory=tuple)
    dry_run: bool = True
    """Try the work in a rolled-back transaction first (off for steps that write files)."""
    destructive: bool = True
    """The dialog's Cancel button has the focus (a stray Enter does nothing)."""

    def text(self) -> str:
        """The confirmation's text."""
        return self.message() if callable(self.message) else self.message

    def perform(self, widget: Widget) -> None:
        """Run the work for real (already confirmed); a refusal is a toast."""
        try:
            result = write(widget, self.work)
        except BoError as exc:
            show_error(widget, exc)
            return
        self.done(result)
        announce(widget, *self.topics)


def confirm(widget: Widget, action: ServiceAction[T]) -> None:
    """Ask the person with the action's text; on yes, perform it (no dry run here)."""

    def answered(yes: bool | None) -> None:
        if yes:
            action.perform(widget)

    widget.app.push_screen(
        ConfirmDialog(
            action.text(),
            title=action.title,
            confirm_label=action.confirm_label,
            destructive=action.destructive,
        ),
        answered,
    )


def run_action(widget: Widget, action: ServiceAction[T]) -> None:
    """Check (dry run), then confirm, then run ``action``; a refusal at any step is a toast."""
    if action.dry_run:
        try:
            dry_run(widget, action.work)
        except BoError as exc:
            show_error(widget, exc)
            return
    confirm(widget, action)


def form_action(
    widget: Widget,
    title: str,
    fields: Sequence[FormField],
    action_for: Callable[[dict[str, str]], ServiceAction[T]],
    *,
    save_label: str = "Next",
) -> None:
    """Ask with a form; on save, dry-run the action built from the values, so what the service
    refuses shows beside the fields (the form stays open); then confirm and run it."""

    def submit(values: dict[str, str]) -> ServiceAction[T]:
        action = action_for(values)
        if action.dry_run:
            dry_run(widget, action.work)
        return action

    def asked(action: ServiceAction[T] | None) -> None:
        if action is not None:
            confirm(widget, action)

    widget.app.push_screen(FormScreen(title, fields, submit, save_label=save_label), asked)
