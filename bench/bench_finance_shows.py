"""Finance's show and report commands as whole `bo` processes over the demo database: one
invoice, bill, payment, credit note and party, the parties export, the month-end checklist,
the bank reconciliation, the month's bank status, the suggestions for a statement line and a
customer's statement (PDF).

Each figure is the median of ``--runs`` runs (7 by default) after one warm-up run, with min and
max: wall time, CPU time and peak memory, table output to a pipe, against the command target
(250 ms, under 100 MB). On a shared machine the wall times follow the load; the CPU times
much less. The statement writes its PDF with fpdf2, whose import alone (numpy and fontTools
with it) is most of its time. Uses ``bench_launch.py``'s demo database
(``bench/out/demo-launch.db``, built by ``bo demo`` when missing). Run:
``.venv/bin/python bench/bench_finance_shows.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_launch  # noqa: E402  (beside this script, found through the path above)

COMMANDS = [
    ["finance", "invoices", "show", "INV-2025-00001"],
    ["finance", "bills", "show", "BILL-2025-00001"],
    ["finance", "payments", "show", "PAY-2026-00001"],
    ["finance", "note", "show", "CRN-2026-00001"],
    ["finance", "parties", "show", "B0001"],
    ["finance", "parties", "export"],
    ["finance", "period", "checklist", "2026-03"],
    ["finance", "period", "checklist", "2026-11"],
    ["finance", "bank", "report", "RAJHI"],
    ["finance", "bank", "month", "2026-11"],
    ["finance", "bank", "suggest", "309"],
    ["finance", "documents", "statement", "B0001", "-o", "{out}/statement.pdf"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=bench_launch.RUNS)
    runs = parser.parse_args().runs
    bench_launch.ensure_demo()
    out = str(bench_launch.OUT)
    print(f"load average {os.getloadavg()[0]:.1f}; {runs} runs after a warm-up; demo database")
    for template in COMMANDS:
        args = [a.replace("{out}", out) for a in template]
        command = [*bench_launch.bo_command(), "--db", str(bench_launch.DEMO_DB), *args]
        bench_launch.run_command(args, command)
        samples = [bench_launch.run_command(args, command) for _ in range(runs)]
        walls, cpus, rss = zip(*samples, strict=True)
        ok = statistics.median(walls) * 1000 <= bench_launch.COMMAND_TARGET_MS
        ok = ok and max(rss) < bench_launch.COMMAND_TARGET_MB
        name = " ".join(template).replace("{out}/", "")
        print(f"bo {name}")
        print(f"  wall {bench_launch.figures(list(walls))}  ms  {bench_launch.verdict(ok)}")
        print(f"  cpu  {bench_launch.figures(list(cpus))}  ms   peak {max(rss):.0f} MB")


if __name__ == "__main__":
    main()
