"""Month-end snapshots: taken when a month closes, frozen by the database, versioned on a
re-close; the pack and the dashboard read them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bo_console.core.db import Store
from bo_console.core.errors import PermissionDenied, RuleViolation
from bo_console.core.security import Actor
from bo_console.data import service, snapshots
from bo_console.finance import service as finance
from tests.unit.finance.conftest import Poster, Team, post, sale, team

__all__ = ["post", "team"]  # the ledger tests' fixtures, used here too


def _close(store: Store, team: Team, period: str, *, after_close: bool = True) -> None:
    notes: list[str] = []
    with store.write() as session:
        assert finance.close_period(
            session, team.manager, period, after_close=after_close, notes=notes
        )
    assert notes == []  # the snapshot was taken (or left to the caller): nothing to say


def _pack(store: Store, team: Team, period: str, path: Path) -> bytes:
    with store.read() as session:
        sheets = service.management_pack(session, team.admin, period)
    service.write_pack(sheets, path)
    return path.read_bytes()


def _net_income(store: Store, team: Team, period: str) -> object:
    from openpyxl import load_workbook

    path = Path(str(store.path)).with_name(f"net-{period}.xlsx")
    _pack(store, team, period, path)
    book = load_workbook(path)
    rows = book["income statement"].iter_rows(values_only=True)
    return next(r[3] for r in rows if r[2] == "Net income")


def test_closing_a_month_writes_its_snapshot_which_the_database_freezes(
    store: Store, team: Team, post: Poster
) -> None:
    post(date(2026, 10, 5), *sale(100_000))
    _close(store, team, "2026-10")
    with store.read() as session:
        snap = snapshots.latest(session, "2026-10")
        statement = finance.income_statement(
            session, team.admin, date(2026, 10, 1), date(2026, 10, 31)
        )
    assert snap is not None and snap.version == 1 and snap.taken_by == team.manager.login
    assert snap.month.revenue == int(statement.total_income.scaleb(snap.exponent)) == 100_000
    assert snap.month.cash == 115_000
    names = [name for _, name, _ in snap.sheets]
    assert names[:4] == ["income statement", "balance sheet", "control accounts", "aged balances"]
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    try:
        for sql in (
            "UPDATE dm_month_snapshot SET figures = '{}'",
            "UPDATE dm_month_snapshot SET version = 2",
            "DELETE FROM dm_month_snapshot",
            "UPDATE dm_month_snapshot_private SET figures = '{}'",
            "DELETE FROM dm_month_snapshot_private",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="never changed or deleted"):
                conn.execute(sql)
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(
                "INSERT INTO dm_month_snapshot (period, version, taken_at, taken_by, figures, "
                "digest) VALUES ('2026-10', 1, '2026-11-01', 'x', '{}', '')"
            )
    finally:
        conn.close()


def test_db_check_finds_a_snapshot_rewritten_behind_the_triggers(
    store: Store, team: Team, post: Poster
) -> None:
    post(date(2026, 10, 5), *sale(100_000))
    _close(store, team, "2026-10")
    _close(store, team, "2026-11")
    with store.read() as session:
        assert [r.ok for r in snapshots.checks(session)] == [True]
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER dm_month_snapshot_no_update")
    conn.execute(
        "UPDATE dm_month_snapshot SET figures = replace(figures, '100000', '900000') "
        "WHERE period = '2026-10'"
    )
    conn.commit()
    conn.close()
    with store.read() as session:
        found = snapshots.checks(session)
    assert not found[0].ok and "2026-10 version 1" in found[0].detail


def test_a_reopened_and_changed_month_packs_the_same_until_closed_again(
    store: Store, team: Team, post: Poster, tmp_path: Path
) -> None:
    post(date(2026, 10, 5), *sale(100_000))
    _close(store, team, "2026-10")
    before = _pack(store, team, "2026-10", tmp_path / "a.xlsx")
    with store.write() as session:
        assert finance.reopen_period(session, team.admin, "2026-10", reason="late sale")
    post(date(2026, 10, 20), *sale(50_000))
    assert _pack(store, team, "2026-10", tmp_path / "b.xlsx") == before
    assert _net_income(store, team, "2026-10") == 1000
    with store.read() as session:
        board = service.dashboard(session, team.admin, date(2026, 11, 15))
    october = next(m for m in board.months if m.month == "2026-10")
    assert (october.closed, october.snapshot, october.revenue) == (False, None, 150_000)

    _close(store, team, "2026-10")
    after = _pack(store, team, "2026-10", tmp_path / "c.xlsx")
    assert after != before
    assert _net_income(store, team, "2026-10") == 1500
    with store.read() as session:
        listed = service.list_snapshots(session, team.admin, "2026-10")
        board = service.dashboard(session, team.admin, date(2026, 11, 15))
        sheets = service.management_pack(session, team.admin, "2026-10")
    assert [(s.version, s.current) for s in listed] == [(2, True), (1, False)]
    october = next(m for m in board.months if m.month == "2026-10")
    assert (october.closed, october.snapshot, october.revenue) == (True, 2, 150_000)
    contents = dict(sheets[0][1].rows)
    assert str(contents["figures"]).startswith("month-end snapshot version 2, taken ")


def test_the_dashboard_reads_a_closed_month_from_its_snapshot(
    store: Store, team: Team, post: Poster
) -> None:
    post(date(2026, 10, 5), *sale(100_000))
    _close(store, team, "2026-10")
    with store.read() as session:
        board = service.dashboard(session, team.admin, date(2026, 11, 15))
    october = next(m for m in board.months if m.month == "2026-10")
    assert (october.snapshot, october.cash, october.revenue) == (1, 115_000, 100_000)
    november = next(m for m in board.months if m.month == "2026-11")
    assert (november.closed, november.snapshot, november.cash) == (False, None, None)


def test_backfill_takes_the_closed_months_without_a_snapshot_once(
    store: Store, team: Team, post: Poster
) -> None:
    post(date(2026, 9, 5), *sale(100_000))
    _close(store, team, "2026-09", after_close=False)
    _close(store, team, "2026-10")
    with store.read() as session, pytest.raises(RuleViolation, match="no month-end snapshot"):
        service.management_pack(session, team.admin, "2026-09")
    with store.write() as session, pytest.raises(PermissionDenied, match="data.manage"):
        service.backfill_snapshots(session, team.clerk)
    with store.write() as session:
        assert service.backfill_snapshots(session, team.admin) == ["2026-09"]
    with store.write() as session:
        assert service.backfill_snapshots(session, team.admin) == []
    with store.read() as session:
        assert [s.period for s in service.list_snapshots(session, team.admin)] == [
            "2026-10",
            "2026-09",
        ]
        assert service.management_pack(session, team.admin, "2026-09")


def test_the_backfill_job_reports_a_step_per_month_and_records_its_summary(
    store: Store, team: Team, post: Poster
) -> None:
    from bo_console.core import jobs

    post(date(2026, 8, 5), *sale(100_000))
    _close(store, team, "2026-08", after_close=False)
    _close(store, team, "2026-09", after_close=False)
    heard: list[tuple[int, int]] = []
    months = service.run_backfill(store, team.admin, progress=lambda d, t: heard.append((d, t)))
    assert months == ["2026-08", "2026-09"] and heard == [(1, 2), (2, 2)]
    heard.clear()
    assert service.run_backfill(store, team.admin, progress=lambda d, t: heard.append((d, t))) == []
    assert heard == [(1, 1)]
    with store.read() as session:
        runs = jobs.list_runs(session, team.admin, name="data.snapshots.backfill")
    assert [(r.outcome, r.summary) for r in runs] == [
        ("ok", "every closed month has one"),
        ("ok", "snapshots taken: 2026-08, 2026-09"),
    ]


def test_the_pack_job_reports_a_step_per_sheet_and_records_its_summary(
    store: Store, team: Team, post: Poster, tmp_path: Path
) -> None:
    from bo_console.core import jobs

    post(date(2026, 10, 5), *sale(100_000))
    _close(store, team, "2026-10")
    heard: list[tuple[int, int]] = []
    target = tmp_path / "pack.xlsx"
    summary = service.run_pack(
        store, team.admin, "2026-10", target, progress=lambda d, t: heard.append((d, t))
    )
    steps = heard[-1][1]
    assert heard == [(n, steps) for n in range(1, steps + 1)] and steps > 2
    assert summary == f"wrote {steps - 1} sheets for 2026-10 to {target}"
    assert target.read_bytes() == _pack(store, team, "2026-10", tmp_path / "again.xlsx")
    with store.read() as session:
        runs = jobs.list_runs(session, team.admin, name="data.pack")
    assert [(r.outcome, r.summary) for r in runs] == [("ok", summary)]


def test_the_sql_console_cannot_read_snapshots_even_for_hr_confidential(
    store: Store, team: Team, post: Poster, make_user: Callable[..., Actor]
) -> None:
    # A snapshot holds payroll totals unmasked (a unit of one is one person's pay): the
    # console treats the table as a core table whatever the reader's permissions.
    post(date(2026, 10, 5), *sale(100_000))
    _close(store, team, "2026-10")
    analyst = make_user("ana", "analyst", "hr-manager")
    assert analyst.can("hr.confidential") and analyst.can("data.query")
    for statement in (
        "SELECT figures FROM dm_month_snapshot",
        "SELECT figures FROM dm_month_snapshot_private",
        "SELECT x FROM (SELECT digest AS x FROM main.dm_month_snapshot)",
    ):
        with store.write() as session, pytest.raises(RuleViolation):
            service.run_sql(session, analyst, statement)
