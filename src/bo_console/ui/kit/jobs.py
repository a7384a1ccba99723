"""A background job with a progress bar: long work in a thread, the screen stays usable.

:class:`JobStrip` is a one-line strip (a label and a progress bar) that shows only while a job
runs. ``start`` refuses while one is running; the job gets a ``progress(done, total)`` callback
it may call from its thread; when it ends, ``finished`` runs on the screen's thread with the
job's result, or its refusal is shown::

    strip = self.query_one(JobStrip)
    if strip.start("Pay run 2026-05"):
        strip.run(lambda progress: service.run_month(store, actor, month, progress),
                  finished=self.ran)

:func:`start_job` does the same for a pane that holds a strip, and tells the lists that
listen to ``topics`` once the job is done.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from bo_console.core.errors import BoError
from bo_console.ui.kit.events import announce
from bo_console.ui.kit.notify import show_error

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets import ProgressBar

T = TypeVar("T")

Progress = Callable[[int, int], None]
"""Called by a job with (done, total) as it goes."""


class JobStrip(Horizontal):
    """A label and a progress bar, shown while a background job runs."""

    DEFAULT_CSS = """
    JobStrip { height: 1; display: none; }
    JobStrip.busy { display: block; }
    JobStrip > .job-label { width: auto; padding: 0 1; }
    """

    def __init__(
        self,
        *,
        busy_message: str = "still working on the last job",
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.busy = False
        self.busy_message = busy_message
        self._bar: ProgressBar | None = None

    def compose(self) -> ComposeResult:
        # The bar is made when the first job starts: a screen with a strip opens without it.
        yield Static("", classes="job-label")

    def start(self, label: str) -> bool:
        """Show the strip with ``label``; False (and a warning) while a job is running."""
        if self.busy:
            self.notify(self.busy_message, severity="warning")
            return False
        self.busy = True
        self.query_one(".job-label", Static).update(label)
        if self._bar is None:
            from textual.widgets import ProgressBar

            self._bar = ProgressBar(total=None, show_eta=False)
            self.mount(self._bar)
        else:
            self._bar.update(total=None, progress=0)
        self.add_class("busy")
        return True

    def progress(self, done: int, total: int) -> None:
        """Move the bar (on the screen's thread)."""
        if self._bar is not None:
            self._bar.update(total=total, progress=done)

    def run(
        self,
        job: Callable[[Progress], T],
        finished: Callable[[T], None],
        *,
        failed: Callable[[BoError | OSError], None] | None = None,
    ) -> None:
        """Run ``job`` in a worker thread (after :meth:`start`); then ``finished(result)``, or
        ``failed(error)`` (by default a toast) for a refusal or a file error."""
        self._in_thread(job, finished, failed)

    @work(thread=True, exclusive=True, group="job-strip", exit_on_error=False)
    def _in_thread(
        self,
        job: Callable[[Progress], Any],
        finished: Callable[[Any], None],
        failed: Callable[[BoError | OSError], None] | None,
    ) -> None:
        app = self.app

        def progress(done: int, total: int) -> None:
            app.call_from_thread(self.progress, done, total)

        try:
            result = job(progress)
        except (BoError, OSError) as exc:
            error = exc
            app.call_from_thread(self._end, lambda: (failed or self._failed)(error))
            return
        app.call_from_thread(self._end, lambda: finished(result))

    def _failed(self, exc: BoError | OSError) -> None:
        show_error(self, exc)

    def _end(self, then: Callable[[], None]) -> None:
        self.busy = False
        self.remove_class("busy")
        if self._bar is not None:
            # A bar with no total animates (and keeps the app from ever being idle).
            self._bar.update(total=1, progress=0)
        then()


def start_job(
    widget: Widget,
    label: str,
    job: Callable[[Progress], T],
    finished: Callable[[T], None],
    *,
    topics: Sequence[str] = (),
) -> bool:
    """Run ``job`` on the :class:`JobStrip` inside ``widget``, labelled ``label``; when it
    ends, ``topics`` are announced and ``finished(result)`` runs (a refusal is a toast).
    False, with a warning, while the strip's last job is still running."""
    strip = widget.query_one(JobStrip)
    if not strip.start(label):
        return False

    def ended(result: T) -> None:
        announce(widget, *topics)
        finished(result)

    strip.run(job, ended)
    return True
