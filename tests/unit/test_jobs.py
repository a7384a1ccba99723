"""Batch jobs: one copy at a time, a record of each run, idempotency keys."""

from __future__ import annotations

import fcntl
import subprocess
import sys
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


HOLDER = """
import sys, time
from bo_console.core import jobs, security
from bo_console.core.db import Store
store = Store(sys.argv[1])
with store.read() as s:
    actor = security.actor_for_login(s, "boadmin")
with jobs.run_job(store, actor, "payroll", key="2026-11") as job:
    print("holding", flush=True)
    sys.stdin.readline()  # until the test says so
    job.summary = "paid 12"
"""


def test_a_second_process_is_busy_while_the_first_runs(store: Store, admin: Actor) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, store.url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with (
            pytest.raises(Busy, match=f"pid {holder.pid}"),
            jobs.run_job(store, admin, "payroll", key="2026-11"),
        ):
            pytest.fail("the body must not run while another process holds the job")
        # Another job name is not blocked by this lock.
        with jobs.run_job(store, admin, "backup"):
            pass
    finally:
        holder.communicate("go\n", timeout=30)
    assert holder.returncode == 0
    runs = {(r.name, r.outcome, r.summary) for r in _runs(store, admin)}
    assert ("payroll", "busy", "another copy holds the lock") in runs
    assert ("payroll", "ok", "paid 12") in runs
    # The key is now done: a third attempt is skipped, not run.
    with pytest.raises(AlreadyDone), jobs.run_job(store, admin, "payroll", key="2026-11"):
        pytest.fail("a done key must not run again")


def test_complete_commits_the_work_and_the_run_together(store: Store, admin: Actor) -> None:
    with jobs.run_job(store, admin, "rename", key="once") as job, store.write() as session:
        settings.put(session, admin, "company_name", "Renamed")
        job.complete(session, "renamed the company")
        with store.read() as other:  # not visible before the body's commit
            assert other.execute(text("SELECT outcome FROM job_run")).scalar() == "running"
    with store.read() as session:
        assert settings.get(session, "company_name") == "Renamed"
    run = _runs(store, admin)[0]
    assert (run.outcome, run.summary) == ("ok", "renamed the company")
    assert run.ended_at is not None


def test_an_interrupted_run_is_recorded(store: Store, admin: Actor) -> None:
    with pytest.raises(KeyboardInterrupt), jobs.run_job(store, admin, "slow"):
        raise KeyboardInterrupt
    assert _runs(store, admin)[0].outcome == "interrupted"
    with jobs.run_job(store, admin, "slow"):  # and the lock was let go
        pass
