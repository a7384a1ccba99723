"""Wall and CPU time of a command and of every process it starts, daemons included.

`./dev test` starts processes that leave their parent: the consoles of the end-to-end tests run
under a tmux server, which detaches. `/usr/bin/time` counts only the children that were waited
for, so it misses them. This runs the command as a child subreaper (Linux): orphans are
reparented here and reaped, and their CPU counts. It prints one line to stderr (wall, user, sys,
user + sys seconds) and exits with the command's code:

    .venv/bin/python bench/suite_cpu.py ./dev test -p no:cacheprovider --durations=60

With ``--per-test PREFIX`` pytest (and each pytest-xdist worker) loads this module as a plugin
that writes the CPU seconds of each test's setup, call and teardown, the processes it started
included, to ``PREFIX.<worker>``, most expensive first. (The plugin reaps finished children after
each phase; a test that waits for a child in a later phase sees it as already gone.)

Not a benchmark with a target (not named ``bench_*``, so `./dev bench` leaves it alone): the
suite's figures are in bench/README.md, "Test suite".
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PR_SET_CHILD_SUBREAPER = 36
ENV_PER_TEST = "BO_SUITE_CPU_PER_TEST"


def _become_subreaper() -> None:
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _reap_finished() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


_rows: list[tuple[float, float, str, str]] = []


def pytest_configure(config: pytest.Config) -> None:
    _become_subreaper()


def _measured(phase: str, item: pytest.Item) -> Iterator[None]:
    cpu, wall = _cpu(), time.monotonic()
    yield
    _reap_finished()
    _rows.append((_cpu() - cpu, time.monotonic() - wall, phase, item.nodeid))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    yield from _measured("setup", item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    yield from _measured("call", item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    yield from _measured("teardown", item)


def pytest_sessionfinish(session: pytest.Session) -> None:
    prefix = os.environ.get(ENV_PER_TEST)
    if not prefix or not _rows:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(f"{prefix}.{worker}", "w", encoding="utf-8") as out:
        out.write("    cpu_s   wall_s phase    test\n")
        for cpu, wall, phase, nodeid in sorted(_rows, reverse=True):
            out.write(f"{cpu:9.2f} {wall:8.2f} {phase:8} {nodeid}\n")


def main(argv: list[str]) -> int:
    """Run ``argv`` (after an optional ``--per-test PREFIX``) and print what it cost."""
    env = dict(os.environ)
    if argv[:1] == ["--per-test"] and len(argv) > 2:
        env[ENV_PER_TEST] = str(Path(argv[1]).resolve())
        here = str(Path(__file__).resolve().parent)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, env.get("PYTHONPATH")]))
        env["PYTEST_ADDOPTS"] = " ".join(filter(None, [env.get("PYTEST_ADDOPTS"), "-p suite_cpu"]))
        argv = argv[2:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    _become_subreaper()
    start = time.monotonic()
    child = subprocess.Popen(argv, env=env)
    code = 0
    while True:  # the command, then whatever it left behind, until nothing is left
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        if pid == child.pid:
            code = os.waitstatus_to_exitcode(status)
            child.returncode = code
    t = os.times()
    user, system = t.children_user, t.children_system
    print(
        f"wall {time.monotonic() - start:.1f} s, CPU user {user:.1f} s + sys {system:.1f} s"
        f" = {user + system:.1f} s",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
