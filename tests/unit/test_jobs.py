"""Batch jobs: one copy at a time, a record of each run, idempotency keys."""

from __future__ import annotations

import fcntl
from collections.abc import Callable

import pytest
from sqlalchemy import text

from bo_console.core import jobs, settings
from bo_console.core.db import Store
from bo_console.core.errors import AlreadyDone, Busy, ExitCode, RuleViolation
from bo_console.core.models import JobRun
from bo_console.core.security import Actor


def _runs(store: Store, admin: Actor) -> list[JobRun]:
    with store.read() as session:
        return jobs.list_runs(session, admin)


def test_a_run_is_recorded_with_its_summary(store: Store, admin: Actor) -> None:
    with jobs.run_job(store, admin, "nightly", key="2026-11") as job:
        job.summary = "did 3 things"
    run = _runs(store, admin)[0]
    assert (run.name, run.key, run.outcome, run.summary) == (
        "nightly",
        "2026-11",
        "ok",
        "did 3 things",
    )
    assert run.user_login == "boadmin" and run.ended_at is not None


def test_second_copy_is_busy_and_recorded(store: Store, admin: Actor) -> None:
    path = jobs.lock_path(store, "nightly")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with (
            pytest.raises(Busy, match="already running") as caught,
            jobs.run_job(store, admin, "nightly"),
        ):
            pytest.fail("the body must not run")
    assert caught.value.exit_code == ExitCode.BUSY
    assert _runs(store, admin)[0].outcome == "busy"
    # Once the holder is gone, the job runs.
    with jobs.run_job(store, admin, "nightly"):
        pass
    assert _runs(store, admin)[0].outcome == "ok"


def test_same_key_runs_once_unless_forced(store: Store, admin: Actor) -> None:
    calls = []
    for _ in range(2):
        try:
            with jobs.run_job(store, admin, "accrue", key="2026-10"):
                calls.append(1)
        except AlreadyDone as done:
            assert done.exit_code == ExitCode.OK
            assert "already ran" in done.message and "--force" in done.message
    assert calls == [1]
    with jobs.run_job(store, admin, "accrue", key="2026-10", force=True):
        calls.append(2)
    with jobs.run_job(store, admin, "accrue", key="2026-11"):
        calls.append(3)
    assert calls == [1, 2, 3]
    outcomes = [r.outcome for r in reversed(_runs(store, admin))]
    assert outcomes == ["ok", "skipped", "ok", "ok"]


def test_a_failing_body_is_recorded_and_its_key_stays_open(store: Store, admin: Actor) -> None:
    with pytest.raises(RuleViolation), jobs.run_job(store, admin, "post", key="k"):
        raise RuleViolation("period closed")
    run = _runs(store, admin)[0]
    assert run.outcome == "failed" and run.summary == "period closed"
    with pytest.raises(ZeroDivisionError), jobs.run_job(store, admin, "post", key="k"):
        _ = 1 / 0
    assert _runs(store, admin)[0].summary.startswith("internal error")
    with jobs.run_job(store, admin, "post", key="k"):
        pass
    assert _runs(store, admin)[0].outcome == "ok"


def test_a_run_left_running_by_a_killed_process_becomes_aborted(store: Store, admin: Actor) -> None:
    with store.write() as session:
        session.add(
            JobRun(
                name="payroll",
                key="2026-11",
                user_login="boadmin",
                os_user="boadmin",
                pid=999999,
                outcome="running",
            )
        )
    with jobs.run_job(store, admin, "payroll", key="2026-11"):
        pass
    outcomes = [r.outcome for r in reversed(_runs(store, admin))]
    assert outcomes == ["aborted", "ok"]


def test_complete_commits_with_the_work(
    store: Store, admin: Actor, make_user: Callable[..., Actor]
) -> None:
    with pytest.raises(RuntimeError), jobs.run_job(store, admin, "j", key="x") as job:
        with store.write() as session:
            settings.put(session, admin, "company_name", "Changed")
            job.complete(session, "changed the name")
            raise RuntimeError("crash before commit")
    with store.read() as session:
        assert settings.get(session, "company_name") == "Test Co"
        outcome = session.execute(text("SELECT outcome FROM job_run")).scalar()
    assert outcome == "failed"
