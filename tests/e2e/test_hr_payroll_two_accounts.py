"""End to end: two real OS accounts share a group database; one runs the payroll in a terminal,
the other approves it; the preparer cannot approve their own run.

Needs root (to create the accounts with useradd), runuser and tmux; skipped with the reason
otherwise. The accounts, their group and the shared directory are removed afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import site
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import bo_console
from tests.e2e.conftest import BoHere
from tests.e2e.tmux import Terminal, require_tmux, terminal
from tests.unit.hr.factories import iban

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Shared:
    """Two OS accounts in one group, a setgid directory they share, and how to run bo."""

    group: str
    preparer: str
    approver: str
    directory: Path
    db: Path
    python: str
    env: dict[str, str]


def _run(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True)


def _python_for(user: str, env: dict[str, str]) -> str | None:
    """An interpreter the account can run that imports bo_console (this one, or the system's
    of the same version when this one lives where the account cannot reach)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/local/bin:/usr/bin:/bin") or ""
    for candidate in (sys.executable, system):
        if not candidate:
            continue
        probe = subprocess.run(
            ["runuser", "-u", user, "--", "env", *[f"{k}={v}" for k, v in env.items()],
             candidate, "-c", "import bo_console.cli, sqlmodel"],
            capture_output=True,
            check=False,
        )  # fmt: skip
        if probe.returncode == 0:
            return candidate
    return None


@pytest.fixture
def shared() -> Iterator[Shared]:
    if os.geteuid() != 0:
        pytest.skip("creating two OS accounts needs root; run the e2e tests as root to cover this")
    for tool in ("useradd", "userdel", "groupadd", "groupdel", "runuser"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed; it is needed to create and use two OS accounts")
    require_tmux()
    tag = uuid.uuid4().hex[:6]
    group, preparer, approver = f"bohr{tag}", f"boprep{tag}", f"boappr{tag}"
    directory = Path(tempfile.mkdtemp(prefix="bo-e2e-hr-", dir="/tmp"))
    made: list[list[str]] = []
    try:
        _run("groupadd", group)
        made.append(["groupdel", group])
        for user in (preparer, approver):
            _run("useradd", "-M", "-N", "-g", group, "-s", "/bin/sh", user)
            made.insert(0, ["userdel", user])
        shutil.chown(directory, "root", group)
        directory.chmod(0o2770)  # setgid: every file made here belongs to the group
        sources = Path(bo_console.__file__).resolve().parents[1]
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(directory),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": os.pathsep.join([str(sources), *site.getsitepackages()]),
            "TEXTUAL_ANIMATIONS": "none",
        }
        python = _python_for(preparer, env)
        if python is None:
            pytest.skip(
                "no Python interpreter that imports bo_console is reachable by a new OS account "
                f"(this one is {sys.executable})"
            )
        yield Shared(group, preparer, approver, directory, directory / "bo.db", python, env)
    finally:
        for command in made:
            _remove(command)
        shutil.rmtree(directory, ignore_errors=True)


def _remove(command: list[str]) -> None:
    """userdel/groupdel, retried while the account's last shell is still exiting."""
    for _ in range(50):
        if subprocess.run(command, capture_output=True, check=False).returncode in (0, 6):
            return  # 6: no such user or group (already gone)
        time.sleep(0.1)
    subprocess.run(command, capture_output=True, check=False)


def _exit_code(term: Terminal, tag: str, timeout: float = 30.0) -> tuple[int, str]:
    """Wait for the ``tag:<code>`` line the shell prints after a command; (code, screen)."""
    deadline = time.monotonic() + timeout
    pattern = re.compile(rf"^{tag}:(\d+)$", re.MULTILINE)
    screen = ""
    while time.monotonic() < deadline:
        screen = term.screen()
        match = pattern.search(screen)
        if match:
            return int(match.group(1)), screen
        time.sleep(0.1)
    raise AssertionError(f"{tag} never finished; the screen shows:\n{screen}")


def test_run_and_approve_payroll_as_two_os_accounts(shared: Shared, bo_here: BoHere) -> None:
    s = shared
    # Root sets up in this process (the same commands, without an interpreter each).
    bo_here(s.db, "init", "--group-shared", "--company", "E2E Co")
    assert oct(s.db.stat().st_mode & 0o777) == "0o660"
    # Both may approve pay runs, so what stops the preparer is separation of duties.
    bo_here(s.db, "users", "add", s.preparer, "--role", "hr-manager")
    bo_here(s.db, "users", "add", s.approver, "--role", "hr-manager")
    bo_here(s.db, "hr", "units", "add", "FIN", "Finance")
    bo_here(
        s.db, "hr", "employees", "add", "--name", "Layla Haddad", "--name-ar", "ليلى حداد",
        "--unit", "FIN", "--hire-date", "2024-01-01", "--salary", "12000", "--iban", iban(1),
    )  # fmt: skip
    bo = f"{s.python} -m bo_console --db {s.db}"
    exports = " ".join(f"{k}='{v}'" for k, v in s.env.items())

    def shell(user: str) -> list[str]:
        # Group-shared use needs group-writable files (the job lock files too): umask 002.
        return ["runuser", "-u", user, "--", "sh", "-c", f"umask 002; export {exports}; exec sh"]

    with terminal(shell(s.preparer), {}, width=120, height=30) as prep:
        prep.send(f"clear; {bo} hr payroll run --period 2026-11; echo RUN:$?", "Enter")
        code, screen = _exit_code(prep, "RUN")
        assert code == 0 and "pay run 1 for 2026-11: 1 payslips" in screen, screen
        prep.send(f"clear; {bo} hr payroll approve 1 --yes; echo OWN:$?", "Enter")
        code, screen = _exit_code(prep, "OWN")
        assert code == 3 and "someone else must approve it" in screen, screen
        prep.send(f"clear; {bo} hr payroll run --period 2026-11; echo AGAIN:$?", "Enter")
        code, screen = _exit_code(prep, "AGAIN")
        assert code == 0 and "already has pay run 1" in screen, screen
        prep.send("exit", "Enter")
    with terminal(shell(s.approver), {}, width=120, height=30) as appr:
        appr.send(f"clear; {bo} hr payroll approve 1 --yes; echo APPROVE:$?", "Enter")
        code, screen = _exit_code(appr, "APPROVE")
        assert code == 0 and "(2026-11) approved" in screen, screen
        appr.send("exit", "Enter")
    conn = sqlite3.connect(s.db)
    try:
        run = conn.execute("SELECT status, prepared_by, approved_by FROM hr_pay_run").fetchall()
        who = conn.execute(
            "SELECT action, user_login, os_user FROM audit_event WHERE entity = 'pay_run'"
            " ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    assert run == [("approved", s.preparer, s.approver)]
    assert who == [("run", s.preparer, s.preparer), ("approve", s.approver, s.approver)]
