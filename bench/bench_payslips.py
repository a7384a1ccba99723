"""Payslip PDFs for a 10,000-employee pay run (target: at most 60 s, issue 13).

Builds the pay run of ``bench_hr.py`` (10,000 employees in eight org units, basic and housing
from the salary history, November 2026; cached in bench/out/) and times
``payroll.write_payslips`` as ``bo hr payroll payslips RUN --pdf DIR`` and ``bo hr payslip -o
FILE.pdf`` call it: gathering the figures, drawing (a chunk of payslips per document, on every
core) and writing. Prints wall seconds and the parent's and workers' CPU seconds per mode.

Run with ``.venv/bin/python bench/bench_payslips.py [--mode one|each|both]``
(``one``: a single PDF, a page each; ``each``: a file per employee). CPU-heavy: run one mode
at a time on a shared machine.
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_hr  # noqa: E402  (beside this script)
from bo_console.core import security  # noqa: E402
from bo_console.core.db import Store, dispose_engines  # noqa: E402
from bo_console.core.security import Actor, sign_in  # noqa: E402
from bo_console.hr.service import payroll  # noqa: E402
from bo_console.hr.service.common import parse_period  # noqa: E402

TARGET_S = 60.0
DB = bench_hr.OUT / "hr_payslips_10k.db"


def _pay_run() -> tuple[Store, Actor, int]:
    """The 10,000-employee November run (built once, then read from the cached file)."""
    if DB.exists():
        store = Store(f"sqlite:///{DB}")
        with store.read() as session:
            admin = sign_in(session, bench_hr._me())
            (existing,) = payroll.runs_overview(session, admin)[0]
        return store, admin, existing.id
    bench_hr.OUT.mkdir(exist_ok=True)
    store, admin = bench_hr._fresh(DB)
    started = time.perf_counter()
    bench_hr._load(store, bench_hr.PAYROLL_EMPLOYEES)
    dispose_engines()
    with store.write() as session:
        security.add_user(session, admin, login="bench-prep", roles=["payroll-officer"])
        preparer = security.actor_for_login(session, "bench-prep")
        run = payroll.run_payroll(session, preparer, parse_period("2026-11")).run
    print(f"  (built the pay run in {time.perf_counter() - started:.1f} s; cached)")
    return store, admin, int(run.id or 0)


def _cpu() -> tuple[float, float]:
    mine = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime, workers.ru_utime + workers.ru_stime


def _time(label: str, write: Path, store: Store, actor: Actor, run_id: int) -> None:
    mine, workers = _cpu()
    started = time.perf_counter()
    files = payroll.write_payslips(store, actor, run_id, write)
    wall = time.perf_counter() - started
    mine2, workers2 = _cpu()
    size = sum(f.stat().st_size for f in files)
    verdict = "ok" if wall <= TARGET_S else "OVER TARGET"
    print(
        f"  {label:<24} {wall:7.1f} s wall (target {TARGET_S:.0f} s: {verdict}); CPU: this"
        f" process {mine2 - mine:.1f} s, workers {workers2 - workers:.1f} s;"
        f" {len(files):,} files, {size / 1e6:.1f} MB"
    )


def main() -> None:
    mode = sys.argv[sys.argv.index("--mode") + 1] if "--mode" in sys.argv else "both"
    print(f"Payslip PDFs: a pay run of {bench_hr.PAYROLL_EMPLOYEES:,} employees")
    store, admin, run_id = _pay_run()
    folder = Path(tempfile.mkdtemp(prefix="bench-payslips-"))
    try:
        if mode in ("one", "both"):
            _time("one file, a page each", folder / "all.pdf", store, admin, run_id)
        if mode in ("each", "both"):
            _time("a file per employee", folder / "each", store, admin, run_id)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
