"""Batch jobs: one copy at a time, a record of every run, and idempotency keys.

A job takes an exclusive ``flock`` on a lock file next to the database, so a second copy exits
"busy" at once (the kernel drops the lock even after ``kill -9``). Each run is recorded in
``job_run`` with who ran it, when, the outcome and a summary. A run for a key that already
succeeded does not run again unless forced.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from bo_console.core.clock import utcnow
from bo_console.core.errors import AlreadyDone, BoError, Busy, PermissionDenied

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.models import JobRun
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

OUTCOMES = ("running", "ok", "failed", "busy", "skipped", "aborted", "interrupted")

Progress = Callable[[int, int], None]
"""``progress(done, total)``: how far a job has come; the faces draw it (a bar on a terminal,
the console's job strip) and cron gives none."""


def tell(progress: Progress | None, done: int, total: int, *, step: int = 1) -> None:
    """Tell ``progress`` about ``(done, total)`` every ``step`` items and always at the end,
    so a bar moves without a call per row."""
    if progress is not None and (done >= total or done % step == 0):
        progress(done, total)


def lock_path(store: Store, name: str) -> Path:
    """The lock file for job ``name`` on this database (kept beside it, never in /tmp)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    if store.path is not None:
        return store.path.parent / ".bo-locks" / f"{store.path.name}.{safe}.lock"
    from platformdirs import user_state_path

    digest = str(abs(hash(store.url)) % 10**10)
    return user_state_path("bo-console") / "locks" / f"{digest}.{safe}.lock"


@dataclass
class JobContext:
    """Handed to the body of a job: its run id and a place for the summary."""

    run_id: int
    name: str
    key: str
    summary: str = ""
    completed: bool = field(default=False)

    def complete(self, session: Session, summary: str) -> None:
        """Mark the run ``ok`` inside the body's own transaction, so work and record commit
        together (a crash between them cannot make the job look undone)."""
        from bo_console.core.models import JobRun

        run = session.get(JobRun, self.run_id)
        assert run is not None
        run.outcome, run.ended_at, run.summary = "ok", utcnow(), summary
        session.add(run)
        self.summary = summary
        self.completed = True


def _lock_mode(store: Store) -> int:
    """The lock file's mode: the database's own (0660 for a group-shared one, else 0600)."""
    import stat

    if store.path is not None and store.path.exists():
        return stat.S_IMODE(store.path.stat().st_mode) & 0o660 or 0o600
    return 0o600


def _acquire(path: Path, mode: int = 0o600) -> IO[str] | None:
    # Everyone who may use a group-shared database must be able to take its job locks,
    # whatever their umask: set the modes explicitly rather than through it.
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o770 if mode & 0o060 else 0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, mode)
    if os.fstat(fd).st_uid == os.getuid():
        os.fchmod(fd, mode)
    handle = os.fdopen(fd, "a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def _new_run(
    session: Session, actor: Actor, name: str, key: str, outcome: str, summary: str = ""
) -> JobRun:
    from bo_console.core.models import JobRun

    run = JobRun(
        name=name,
        key=key,
        user_login=actor.login,
        os_user=actor.os_user,
        pid=os.getpid(),
        outcome=outcome,
        summary=summary,
    )
    if outcome != "running":
        run.ended_at = run.started_at
    session.add(run)
    session.flush()
    return run


def _finish(store: Store, run_id: int, outcome: str, summary: str) -> None:
    from bo_console.core.models import JobRun

    with store.write() as session:
        run = session.get(JobRun, run_id)
        if run is not None and run.outcome == "running":
            run.outcome, run.ended_at, run.summary = outcome, utcnow(), summary[:2000]
            session.add(run)


def _forget(store: Store, run_id: int) -> None:
    from bo_console.core.models import JobRun

    with store.write() as session:
        run = session.get(JobRun, run_id)
        if run is not None and run.outcome == "running":
            session.delete(run)


@contextmanager
def run_job(
    store: Store, actor: Actor, name: str, *, key: str = "", force: bool = False
) -> Iterator[JobContext]:
    """Run the ``with`` body as job ``name``.

    Raises:
        Busy: another copy holds the lock (the attempt is recorded).
        AlreadyDone: a run with this key already succeeded and ``force`` is false.
    """
    from sqlmodel import select

    from bo_console.core.models import JobRun

    handle = _acquire(lock_path(store, name), _lock_mode(store))
    if handle is None:
        with store.read() as session:
            holder = session.exec(
                select(JobRun)
                .where(JobRun.name == name, JobRun.outcome == "running")
                .order_by(JobRun.id.desc())  # type: ignore[union-attr]
            ).first()
        try:
            # The other copy may hold the store too (an import does): record the attempt only
            # if that takes no waiting, and say "busy" at once either way.
            with store.write(wait=0.2) as session:
                _new_run(session, actor, name, key, "busy", "another copy holds the lock")
        except Busy:
            pass
        since = (
            f" (started by {holder.user_login} at {holder.started_at:%Y-%m-%d %H:%M} UTC, "
            f"pid {holder.pid})"
            if holder
            else ""
        )
        raise Busy(f"job {name} is already running{since}")
    try:
        with store.write() as session:
            # We hold the lock, so any run still marked running died without finishing.
            for stale in session.exec(
                select(JobRun).where(JobRun.name == name, JobRun.outcome == "running")
            ).all():
                stale.outcome, stale.ended_at = "aborted", utcnow()
                stale.summary = "the process ended without finishing (killed or crashed)"
                session.add(stale)
            if key and not force:
                done = session.exec(
                    select(JobRun).where(
                        JobRun.name == name, JobRun.key == key, JobRun.outcome == "ok"
                    )
                ).first()
                if done is not None:
                    _new_run(session, actor, name, key, "skipped", f"already done by run {done.id}")
                    when = f"{done.started_at:%Y-%m-%d %H:%M} UTC"
                    skip = AlreadyDone(
                        f"{name} for {key} already ran (run {done.id}, {when}, by "
                        f"{done.user_login}); nothing changed. Use --force to run it again"
                    )
                else:
                    skip = None
                    run = _new_run(session, actor, name, key, "running")
            else:
                skip = None
                run = _new_run(session, actor, name, key, "running")
        if skip is not None:
            raise skip
        assert run.id is not None
        ctx = JobContext(run_id=run.id, name=name, key=key)
        try:
            yield ctx
        except PermissionDenied:
            # A refused command changes nothing: not even the record of its attempt.
            _forget(store, run.id)
            raise
        except AlreadyDone as exc:
            # Done before by other means (the console, an earlier key): not a failure.
            _finish(store, run.id, "skipped", exc.message)
            raise
        except BoError as exc:
            _finish(store, run.id, "failed", exc.message)
            raise
        except KeyboardInterrupt:
            _finish(store, run.id, "interrupted", "interrupted")
            raise
        except Exception as exc:
            _finish(store, run.id, "failed", f"internal error: {exc!r}")
            raise
        if not ctx.completed:
            _finish(store, run.id, "ok", ctx.summary)
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


def list_runs(
    session: Session, actor: Actor, *, name: str | None = None, limit: int = 200
) -> list[JobRun]:
    """Recent job runs, newest first."""
    from sqlmodel import col, select

    from bo_console.core.models import JobRun

    actor.require("jobs.read", "list job runs")
    stmt = select(JobRun)
    if name:
        stmt = stmt.where(JobRun.name == name)
    return list(session.exec(stmt.order_by(col(JobRun.id).desc()).limit(limit)).all())


@dataclass(frozen=True)
class RunRow:
    """A job run as ``bo jobs list`` shows it (:func:`run_rows`)."""

    id: int
    name: str
    key: str
    user_login: str
    started_at: datetime
    ended_at: datetime | None
    outcome: str
    summary: str


def run_rows(db: Reads, actor: Actor, *, name: str | None = None, limit: int = 200) -> list[RunRow]:
    """The runs of :func:`list_runs` (newest first), in plain SQL through a Reader or a
    session: ``bo jobs list`` reads them without SQLAlchemy."""
    from bo_console.core.lookups import moment_of
    from bo_console.core.reading import reader_of

    actor.require("jobs.read", "list job runs")
    params: dict[str, object] = {"limit": limit}
    where = ""
    if name:
        where = " WHERE name = :name"
        params["name"] = name
    found = reader_of(db).rows(
        "SELECT id, name, key, user_login, started_at, ended_at, outcome, summary FROM job_run"
        f"{where} ORDER BY id DESC LIMIT :limit",
        params,
    )
    return [
        RunRow(
            int(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            cast(datetime, moment_of(r[4])),
            moment_of(r[5]),
            str(r[6]),
            str(r[7]),
        )
        for r in found
    ]
