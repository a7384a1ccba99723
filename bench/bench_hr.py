"""HR at scale: a pay run for 10,000 employees, and the employee list over 100,000.

1. Payroll (target: compute, approve and post in at most 5 s in total). A fresh database with
   10,000 employees in eight org units, everyone in a medical plan, 1,500 overtime or
   commission inputs, 30 leavers to settle. Times, each in its own transaction as the commands
   run them: ``run_payroll`` (compute and store 10,000 payslips), ``approve_run`` (by another
   user), ``post_run`` (one balanced entry through the finance service); then ``pay_run``
   (payment entry and transfer lines) beside them, outside the target.
2. Employee list (target: the Employees tab opens in at most 300 ms). 100,000 employees (built
   once, cached in bench/out/). Times the service queries behind the list: the first page of
   ``list_employees`` sorted by name (a fresh process's first query, then warm), the same
   through ``core.paging.QuerySource`` as the virtual table reads it (count plus the first
   block), sorted by hire date, filtered by a text search, and the last page by keyset.

3. Payslip PDFs (target: 10,000 in at most 60 s), with ``--payslips N``: after the pay run,
   the payslips of its first N employees as one PDF (a page each) and as one file each,
   timed (CPU, one process) and extrapolated to 10,000; a file each is the same document
   split into a file a page, as ``write_payslips`` does (``bench_payslips.py`` times the
   whole run as the command writes it, on every core).

Run with ``.venv/bin/python bench/bench_hr.py [--payroll-only | --list-only] [--payslips N]``.
"""

from __future__ import annotations

import os
import pwd
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bo_console.core import security
from bo_console.core.db import Store, dispose_engines
from bo_console.core.security import Actor, Identity, sign_in
from bo_console.core.text import fold
from bo_console.departments import init_database
from bo_console.hr.models.values import make_iban
from bo_console.hr.service import benefits, payroll, people
from bo_console.hr.service.common import parse_period

OUT = Path(__file__).resolve().parent / "out"
PAYROLL_EMPLOYEES = 10_000
LIST_EMPLOYEES = 100_000
UNITS = ["EXEC", "FIN", "HR", "IT", "LOG", "SALES", "CS", "DATA"]
FIRST = ["Mohammed", "Ahmed", "Fatimah", "Sarah", "Omar", "Layla", "Priya", "Jose", "Chen"]
FIRST_AR = ["محمد", "أحمد", "فاطمة", "سارة", "عمر", "ليلى", "", "", ""]
FAMILY = ["Al-Otaibi", "Al-Qahtani", "Al-Harbi", "Haddad", "Kumar", "Reyes", "Wei", "Santos"]
FAMILY_AR = ["العتيبي", "القحطاني", "الحربي", "حداد", "", "", "", ""]


def _me() -> Identity:
    return Identity(pwd.getpwuid(os.getuid()).pw_name, "bench")


def _fresh(path: Path) -> tuple[Store, Actor]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store(f"sqlite:///{path}")
    init_database(store, _me(), company="Bench Co")
    with store.write() as session:
        admin = sign_in(session, _me())
        for code in UNITS:
            people.add_org_unit(session, admin, code=code, name=code.title())
        people.add_position(session, admin, code="STAFF", title="Staff")
    return store, admin


def _load(store: Store, count: int) -> None:
    """Employees and their confidential rows, inserted directly (as a migration would)."""
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    units = dict(conn.execute("SELECT code, id FROM hr_org_unit").fetchall())
    employees = []
    private = []
    for i in range(1, count + 1):
        name = f"{FIRST[i % 9]} {FAMILY[(i // 9) % 8]} {i}"
        name_ar = f"{FIRST_AR[i % 9]} {FAMILY_AR[(i // 9) % 8]}".strip()
        number = f"E{i:06d}"
        hired = date(2010 + i % 16, 1 + i % 12, 1 + i % 28).isoformat()
        employees.append(
            (
                i,
                number,
                name,
                name_ar,
                fold(name),
                fold(name_ar),
                fold(f"{number} {name} {name_ar}"),
                units[UNITS[i % len(UNITS)]],
                hired,
            )
        )
        private.append((i, 400000 + (i * 7919) % 3000000, (i * 104729) % 500000, _iban(i)))
    conn.executemany(
        "INSERT INTO hr_employee (id, number, name, name_ar, sort_name, sort_name_ar,"
        " search_text, org_unit_id, hire_date, termination_reason, status, email, phone,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', 'active', '', '',"
        " '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
        employees,
    )
    conn.executemany(
        "INSERT INTO hr_employee_private (employee_id, base_salary, allowances, iban)"
        " VALUES (?, ?, ?, ?)",
        private,
    )
    # The salary history the pay run reads: basic and housing from the hire date.
    hired_on = {row[0]: row[8] for row in employees}
    for code, column in (("BASIC", 1), ("HOUSING", 2)):
        component = conn.execute(
            "SELECT id FROM hr_pay_component WHERE code = ?", (code,)
        ).fetchone()[0]
        conn.executemany(
            "INSERT INTO hr_salary_line (employee_id, component_id, amount, effective_from,"
            " set_by, set_at) VALUES (?, ?, ?, ?, 'bench', '2026-01-01 00:00:00.000000')",
            [(row[0], component, row[column], hired_on[row[0]]) for row in private if row[column]],
        )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def _iban(i: int) -> str:
    return make_iban("SA", f"80{i:018d}")


def _timed(label: str, fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    print(f"  {label:<52} {elapsed * 1000:9.1f} ms")
    return elapsed


def bench_payroll() -> None:
    print(f"Payroll: {PAYROLL_EMPLOYEES:,} employees")
    OUT.mkdir(exist_ok=True)
    store, admin = _fresh(OUT / "hr_payroll_10k.db")
    _load(store, PAYROLL_EMPLOYEES)
    period = parse_period("2026-11")
    with store.write() as session:
        security.add_user(session, admin, login="bench-prep", roles=["payroll-officer"])
        security.add_user(session, admin, login="bench-appr", roles=["hr-manager"])
        preparer = security.actor_for_login(session, "bench-prep")
        approver = security.actor_for_login(session, "bench-appr")
        benefits.add_plan(
            session,
            admin,
            code="MED",
            name="Medical",
            employee_contribution=15000,
            employer_contribution=45000,
        )
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    plan = conn.execute("SELECT id FROM hr_benefit_plan").fetchone()[0]
    conn.executemany(
        "INSERT INTO hr_benefit_enrollment (plan_id, employee_id, starts_on) VALUES (?, ?, ?)",
        [(plan, i, "2026-01-01") for i in range(1, PAYROLL_EMPLOYEES + 1)],
    )
    conn.executemany(
        "INSERT INTO hr_pay_input (period, employee_id, kind, hours, amount, note, batch,"
        " imported_by, imported_at) VALUES ('2026-11', ?, ?, ?, ?, '', 'bench', 'bench',"
        " '2026-11-25 00:00:00.000000')",
        [
            (i, "overtime", 1250, None) if i % 2 else (i, "commission", None, 150000)
            for i in range(1, PAYROLL_EMPLOYEES + 1, 7)
        ],
    )
    conn.executemany(
        "UPDATE hr_employee SET status = 'terminated', termination_date = '2026-11-15'"
        " WHERE id = ?",
        [(i,) for i in range(5, PAYROLL_EMPLOYEES, 333)],
    )
    conn.commit()
    conn.close()
    dispose_engines()
    run_id = 0

    def run() -> None:
        nonlocal run_id
        with store.write() as session:
            result = payroll.run_payroll(session, preparer, period)
            run_id = result.run.id or 0

    def approve() -> None:
        with store.write() as session:
            payroll.approve_run(session, approver, run_id)

    def post() -> None:
        with store.write() as session:
            payroll.post_run(session, approver, run_id)

    def pay() -> None:
        with store.write() as session:
            payroll.pay_run(session, approver, run_id, paid_on=period.end)

    total = _timed("run: compute and store the payslips", run)
    total += _timed("approve (another user)", approve)
    total += _timed("post: one balanced ledger entry", post)
    verdict = "ok" if total <= 5.0 else "OVER TARGET"
    print(f"  {'run + approve + post':<52} {total * 1000:9.1f} ms  (target 5000 ms: {verdict})")
    _timed("pay: payment entry and transfer lines (outside the target)", pay)
    with store.read() as session:
        slips = len(payroll.posting_lines(session, payroll.get_run(session, run_id)))
        entry = payroll.get_run(session, run_id).entry_ref
    print(f"  payslips {PAYROLL_EMPLOYEES:,}; journal lines {slips}; entry {entry}")
    if "--payslips" in sys.argv:
        bench_payslips(store, approver, run_id, int(sys.argv[sys.argv.index("--payslips") + 1]))


def bench_payslips(store: Store, actor: Actor, run_id: int, count: int) -> None:
    """Payslip PDFs of the first ``count`` employees, extrapolated to the whole run."""
    from bo_console.core.pdf import font_path
    from bo_console.hr.service.payroll.payslip_pdf import render, split_pages

    with store.write() as session:
        began = time.process_time()
        sheets = payroll.payslip_sheets(session, actor, run_id)
        gather = time.process_time() - began
    sample = sheets[:count]
    font = font_path()
    began = time.process_time()
    one = render(sample, font, "Bench Co")
    combined = time.process_time() - began
    began = time.process_time()
    split_pages(one)
    each = (combined + time.process_time() - began) / len(sample)
    total = len(sheets)
    print(f"Payslip PDFs ({count:,} of {total:,} drawn, CPU seconds)")
    print(f"  {'gather every payslip (figures, components, YTD)':<52} {gather * 1000:9.1f} ms")
    per_page = combined / len(sample)
    verdict = "ok" if gather + per_page * total <= 60 else "OVER TARGET"
    print(f"  {'one PDF, a page each':<52} {per_page * 1000:9.1f} ms a page ({len(one):,} bytes)")
    print(
        f"  {'  so all of them in one file':<52} {(gather + per_page * total):9.1f} s"
        f"  (target 60 s: {verdict})"
    )
    print(f"  {'a file each':<52} {each * 1000:9.1f} ms a file")
    print(f"  {'  so all of them, a file each':<52} {(gather + each * total):9.1f} s")


def bench_list() -> None:
    print(f"Employee list: {LIST_EMPLOYEES:,} employees")
    OUT.mkdir(exist_ok=True)
    path = OUT / "hr_list_100k.db"
    store = Store(f"sqlite:///{path}")
    if path.exists():
        with store.read() as session:
            admin = sign_in(session, _me())
    else:
        store, admin = _fresh(path)
        start = time.perf_counter()
        _load(store, LIST_EMPLOYEES)
        print(f"  (built the database in {time.perf_counter() - start:.1f} s; cached)")
    dispose_engines()

    def first_page(query: people.EmployeeQuery) -> Callable[[], object]:
        def call() -> object:
            with store.read() as session:
                rows = people.list_employees(session, admin, query)
            assert rows
            return rows

        return call

    _timed("first page, sorted by name (first query of the process)", first_page(
        people.EmployeeQuery(limit=50)
    ))  # fmt: skip
    warm = [
        _sample(first_page(people.EmployeeQuery(limit=50))),
        _sample(first_page(people.EmployeeQuery(limit=50, sort="hire_date", descending=True))),
        _sample(first_page(people.EmployeeQuery(limit=50, search="احمد"))),
        _sample(first_page(people.EmployeeQuery(limit=50, search="E099999"))),
    ]
    labels = [
        "first page by name (warm, median of 20)",
        "first page by hire date, descending",
        "search 'احمد' (matches أحمد), first page",
        "search one employee number",
    ]
    for label, ms in zip(labels, warm, strict=True):
        print(f"  {label:<52} {ms:9.1f} ms")

    def source_open() -> object:
        source = people.employees_source(store, admin)
        assert source.count() == LIST_EMPLOYEES
        return source.rows(0, 40)

    def source_end() -> object:
        source = people.employees_source(store, admin)
        return source.rows(LIST_EMPLOYEES - 40, LIST_EMPLOYEES)

    ms = _sample(source_open)
    verdict = "ok" if ms <= 300 else "OVER TARGET"
    label = "virtual table source: count + first 40 rows"
    print(f"  {label:<52} {ms:9.1f} ms  (target 300: {verdict})")
    label = "virtual table source: last 40 rows (reverse keyset)"
    print(f"  {label:<52} {_sample(source_end):9.1f} ms")


def _sample(fn: Callable[[], object], runs: int = 20) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    if "--list-only" not in sys.argv:
        bench_payroll()
    if "--payroll-only" not in sys.argv:
        bench_list()


if __name__ == "__main__":
    main()
