"""A pay run killed with SIGKILL at any point leaves the whole run or nothing, and runs again."""

from __future__ import annotations

import os
import pwd
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.security import Identity, sign_in
from bo_console.departments import init_database
from bo_console.hr.service import people
from tests.unit.hr.factories import bulk_employees

EMPLOYEES = 2000


@pytest.fixture
def big(tmp_path: Path) -> Store:
    """A database whose admin is the OS account running the tests (so real processes sign in)."""
    me = pwd.getpwuid(os.getuid()).pw_name
    store = Store(f"sqlite:///{tmp_path / 'pay.db'}")
    init_database(store, Identity(me, "test"))
    with store.write() as session:
        admin = sign_in(session, Identity(me, "test"))
        people.add_org_unit(session, admin, code="FIN", name="Finance")
    bulk_employees(store, EMPLOYEES)
    return store


def _bo(store: Store, *args: str, patch: str = "") -> subprocess.Popen[str]:
    code = (
        "import sys\n"
        f"{patch}\n"
        "from bo_console.cli import run\n"
        f"sys.exit(run(['--db', {store.url!r}, *{list(args)!r}]))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _counts(store: Store) -> tuple[int, int, list[str]]:
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        runs = conn.execute("SELECT COUNT(*) FROM hr_pay_run").fetchone()[0]
        slips = conn.execute("SELECT COUNT(*) FROM hr_payslip").fetchone()[0]
        outcomes = [r[0] for r in conn.execute("SELECT outcome FROM job_run ORDER BY id")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    return int(runs), int(slips), outcomes


KILL_AFTER_THE_PAYSLIPS = """
import os, signal
from sqlalchemy import text
from bo_console.core import audit
real = audit.record
def record(session, actor, **kw):
    if kw.get("action") == "run" and kw.get("entity") == "pay_run":
        slips = session.execute(text("SELECT COUNT(*) FROM hr_payslip")).scalar()
        print("written", slips, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    return real(session, actor, **kw)
audit.record = record
"""


def test_killed_after_writing_every_payslip_leaves_nothing(big: Store) -> None:
    proc = _bo(big, "hr", "payroll", "run", "--period", "2026-11", patch=KILL_AFTER_THE_PAYSLIPS)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert out.strip() == f"written {EMPLOYEES}"  # the whole run was in the transaction
    assert _counts(big) == (0, 0, ["running"])
    again = _bo(big, "hr", "payroll", "run", "--period", "2026-11")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert _counts(big) == (1, EMPLOYEES, ["aborted", "ok"])


def test_killed_at_random_moments_leaves_all_or_nothing(big: Store) -> None:
    rng = random.Random(9)
    for _ in range(3):
        proc = _bo(big, "hr", "payroll", "run", "--period", "2026-11")
        time.sleep(rng.uniform(0.3, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        runs, slips, _ = _counts(big)
        assert (runs, slips) in ((0, 0), (1, EMPLOYEES))
        if runs:
            break
    final = _bo(big, "hr", "payroll", "run", "--period", "2026-11")
    _, err = final.communicate(timeout=60)
    assert final.returncode == 0, err
    assert _counts(big)[:2] == (1, EMPLOYEES)
