"""Median wall time of `bo --help`, the cost every cron job and script pays at start-up.

Runs the installed `bo` (the one beside this Python) 20 times after a warm-up, and, to show
where the time goes, the bare interpreter and `import bo_console.cli` the same way; then the
other command lines that stop before any command runs: `bo --version`, a mistyped command,
and a department's help (`bo finance --help`). Each row gives the CPU time of the process
beside the wall time: on a shared machine the wall time follows the load, the CPU time much
less. The load average is printed first.
Target: `bo --help` at most 100 ms median (it was 150 ms when the console had two departments).

    .venv/bin/python bench/bench_help.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 20
TARGET_MS = 100.0


def bo_command() -> list[str]:
    beside = Path(sys.executable).with_name("bo")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("bo")
    return [found] if found else [sys.executable, "-m", "bo_console"]


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Python may cache compiled modules (as an installed program has them)."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: list[str], runs: int, status: int = 0) -> tuple[list[float], list[float]]:
    """Wall and CPU times in milliseconds of ``runs`` runs, after one warm-up run; each run
    must end with exit status ``status``."""
    subprocess.run(command, capture_output=True, env=ENV, check=False)
    walls, cpus = [], []
    for _ in range(runs):
        cpu = _children_cpu()
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=ENV, check=False)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((_children_cpu() - cpu) * 1000)
        if done.returncode != status:
            raise SystemExit(f"{command}: exit {done.returncode}\n{done.stderr.decode()}")
    return walls, cpus


def line(label: str, samples: tuple[list[float], list[float]]) -> str:
    walls, cpus = samples
    return (
        f"{label:<26} median {statistics.median(walls):6.1f} ms   "
        f"min {min(walls):6.1f} ms   max {max(walls):6.1f} ms   "
        f"CPU median {statistics.median(cpus):6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    runs = parser.parse_args().runs

    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    help_samples = measure([*bo_command(), "--help"], runs)
    median = statistics.median(help_samples[0])
    verdict = "ok" if median <= TARGET_MS else "OVER TARGET"
    target = f"target <= {TARGET_MS:.0f} ms: {verdict}"
    print(f"{line('bo --help', help_samples)}   ({runs} runs; {target})")
    print(line("  python -c pass", measure([sys.executable, "-c", "pass"], runs)))
    print(
        line(
            "  import bo_console.cli",
            measure([sys.executable, "-c", "import bo_console.cli"], runs),
        )
    )
    print(line("bo --version", measure([*bo_command(), "--version"], runs)))
    print(line("bo nosuch", measure([*bo_command(), "nosuch"], runs, status=2)))
    print(line("bo finance --help", measure([*bo_command(), "finance", "--help"], runs)))


if __name__ == "__main__":
    main()
