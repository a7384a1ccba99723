"""A background job with a progress bar: long work in a thread, the screen stays usable.

:class:`JobStrip` is a one-line strip (a label and a progress bar) that shows only while a job
runs. ``start`` refuses while one is running; the job gets a ``progress(done, total)`` callback
it may call from its thread; when it ends, ``finished`` runs on the screen's thread with the
job's result, or its refusal is shown::

    strip = self.query_one(JobStrip)
    if strip.start("Pay run 2026-05"):
        strip.run(lambda progress: service.run_month(store, actor, month, progress),
                  finished=self.ran)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from bo_console.core.errors import BoError
from bo_console.ui.kit.notify import show_error

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

    def compose(self) -> ComposeResult:
        yield Static("", classes="job-label")
        yield ProgressBar(show_eta=False)

    def start(self, label: str) -> bool:
        """Show the strip with ``label``; False (and a warning) while a job is running."""
        if self.busy:
            self.notify(self.busy_message, severity="warning")
            return False
        self.busy = True
        self.query_one(".job-label", Static).update(label)
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("busy")
        return True

    def progress(self, done: int, total: int) -> None:
        """Move the bar (on the screen's thread)."""
        self.query_one(ProgressBar).update(total=total, progress=done)

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
        then()
