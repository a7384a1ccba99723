"""The data management service: what its faces (and cron) call.

Queries run on their own read-only connection (:mod:`bo_console.data.sqlconsole` on SQLite,
:mod:`bo_console.data.pg_console` on PostgreSQL); the session passed in is the caller's unit
of work, used to find the database, read settings and write the audit row when a query
revealed confidential columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from bo_console.core.errors import UsageProblem
from bo_console.core.security import Actor
from bo_console.data import snapshots
from bo_console.data.catalogue import ViewInfo, get_view, list_views
from bo_console.data.dashboard import Dashboard, MonthFigures, UnitFigures, dashboard
from bo_console.data.models import ResultSet
from bo_console.data.quality import RULES, Finding, QualityReport, Rule, check, open_findings
from bo_console.data.queries import SavedQuery, bind, get_query, parse_params, saved_queries
from bo_console.data.queries import defaults as query_defaults
from bo_console.data.sources import ResultSource, result_source
from bo_console.data.sqlconsole import DEFAULT_ROW_LIMIT, DEFAULT_TIME_LIMIT

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.jobs import Progress

__all__ = [
    "backfill_snapshots",
    "backfill_summary",
    "run_backfill",
    "run_check",
    "list_snapshots",
    "management_pack",
    "write_pack",
    "run_pack",
    "month_against_last_year",
    "pivot_query",
    "Dashboard",
    "MonthFigures",
    "UnitFigures",
    "dashboard",
    "RULES",
    "Finding",
    "QualityReport",
    "Rule",
    "check",
    "open_findings",
    "ResultSet",
    "ResultSource",
    "SavedQuery",
    "ViewInfo",
    "get_query",
    "get_view",
    "list_queries",
    "list_views",
    "parse_params",
    "query_defaults",
    "query_limits",
    "result_source",
    "run_query",
    "run_sql",
]

TIME_SETTING = "data.query_seconds"
ROWS_SETTING = "data.query_rows"


def list_queries(actor: Actor) -> list[SavedQuery]:
    """The saved queries of the library."""
    return saved_queries(actor)


def query_limits(session: Session) -> tuple[float, int]:
    """Seconds and rows a console query may take (settings, else the defaults)."""
    from bo_console.core import settings

    def number(key: str, default: float) -> float:
        raw = settings.get(session, key)
        try:
            return float(raw) if raw else default
        except ValueError:
            return default

    return number(TIME_SETTING, DEFAULT_TIME_LIMIT), int(number(ROWS_SETTING, DEFAULT_ROW_LIMIT))


def _database_file(session: Session) -> str:
    url = session.get_bind().engine.url
    if not url.database or url.database == ":memory:":
        raise UsageProblem("the query console needs a database file or a PostgreSQL server")
    return url.database


def run_sql(
    session: Session,
    actor: Actor,
    sql: str,
    params: Mapping[str, str] | None = None,
    *,
    time_limit: float | None = None,
) -> ResultSet:
    """Run read-only SQL for ``actor`` (``data.query``); see
    :func:`bo_console.data.sqlconsole.run_sql` for what is refused. Reading confidential
    columns (with the permission) writes an audit row naming them, never their values."""
    from bo_console.core import audit
    from bo_console.data import sqlconsole

    actor.require("data.query", "run queries")
    seconds, rows = query_limits(session)
    limit = seconds if time_limit is None else time_limit
    url = session.get_bind().engine.url
    if url.get_backend_name() == "postgresql":
        from bo_console.data import pg_console

        result = pg_console.run_sql(url, actor, sql, params, time_limit=limit, row_limit=rows)
    else:
        result = sqlconsole.run_sql(
            _database_file(session), actor, sql, params, time_limit=limit, row_limit=rows
        )
    if result.revealed:
        audit.record_view(
            session,
            actor,
            entity="query",
            entity_ids=["console"],
            fields=result.revealed,
            purpose="query",
        )
    return result


def run_query(
    session: Session, actor: Actor, name: str, params: Mapping[str, str] | None = None
) -> ResultSet:
    """Run saved query ``name`` with ``params`` (the rest take their defaults)."""
    actor.require("data.query", "run saved queries")
    query = get_query(name)
    dialect = session.get_bind().dialect.name
    return run_sql(session, actor, query.sql_for(dialect), bind(query, params or {}))


def pivot_query(
    session: Session,
    actor: Actor,
    name: str,
    params: Mapping[str, str] | None,
    *,
    rows: str,
    columns: str,
    values: str,
    agg: str = "sum",
) -> ResultSet:
    """Saved query ``name`` pivoted by two of its columns (see :func:`analysis.pivot`)."""
    from bo_console.data import analysis

    return analysis.pivot(run_query(session, actor, name, params), rows, columns, values, agg)


def month_against_last_year(
    session: Session, actor: Actor, name: str, month: str, params: Mapping[str, str] | None = None
) -> ResultSet:
    """Saved query ``name`` for ``month`` beside the same month a year before, joined on its
    text columns (the query must take ``from_month`` and ``to_month``).

    Raises:
        UsageProblem: the query does not take months.
    """
    from bo_console.data import analysis

    query = get_query(name)
    kinds = {p.name: p.kind for p in query.params}
    if kinds.get("from_month") != "month" or kinds.get("to_month") != "month":
        raise UsageProblem(f"{name} does not take months; compare needs from_month and to_month")
    given = dict(params or {})
    this = run_query(session, actor, name, {**given, "from_month": month, "to_month": month})
    before = analysis.previous_year(month)
    last = run_query(session, actor, name, {**given, "from_month": before, "to_month": before})
    sample = (this.rows or last.rows or [()])[0]
    keys = [
        c
        for i, c in enumerate(this.columns)
        if c != "month" and i < len(sample) and isinstance(sample[i], str)
    ]
    if not keys:  # every column but the month is a figure: one row, the month
        keys = ["month"]
        last = analysis.relabel(last, "month", month)
    return analysis.compare(
        analysis.drop(this, "month", keys), analysis.drop(last, "month", keys), keys
    )


def management_pack(session: Session, actor: Actor, period: str) -> list[tuple[str, ResultSet]]:
    """The month-end management pack of closed month ``period``, sheet by sheet (see
    :mod:`bo_console.data.pack`); write it with :func:`write_pack`."""
    from bo_console.data import pack

    return pack.build(session, actor, period)


def write_pack(
    sheets: list[tuple[str, ResultSet]], path: Path, *, progress: Progress | None = None
) -> None:
    """Write a pack (or any sheets) as one workbook, the same bytes for the same sheets;
    ``progress`` hears ``(sheets written, sheets + 1)``."""
    from bo_console.data import analysis

    analysis.write_workbook(sheets, path, progress)


def run_pack(
    store: Store, actor: Actor, period: str, path: Path, *, progress: Progress | None = None
) -> str:
    """Build and write the management pack of ``period`` as the job ``data.pack`` (locked,
    recorded with its summary, written again on every run: the same month gives the same
    file); returns the summary.

    Raises:
        Busy: another copy is running.
        RuleViolation: the month is not closed or has no snapshot.
    """
    from bo_console.core.jobs import run_job

    with run_job(store, actor, "data.pack", key=period, force=True) as job:
        with store.read() as session:
            sheets = management_pack(session, actor, period)
        write_pack(sheets, path, progress=progress)
        job.summary = f"wrote {len(sheets)} sheets for {period} to {path}"
    return job.summary


def list_snapshots(
    session: Session, actor: Actor, period: str | None = None
) -> list[snapshots.SnapshotRow]:
    """The stored month-end snapshots (see :mod:`bo_console.data.snapshots`)."""
    if period is not None:
        from bo_console.finance import service as finance

        period = finance.parse_period(period)
    return snapshots.list_snapshots(session, actor, period)


def backfill_snapshots(
    session: Session, actor: Actor, *, progress: Progress | None = None
) -> list[str]:
    """Snapshot every closed month that has none (needs ``data.manage``)."""
    return snapshots.backfill(session, actor, progress=progress)


def backfill_summary(months: list[str]) -> str:
    """A backfill's one line (its job record, and what the faces say)."""
    return f"snapshots taken: {', '.join(months)}" if months else "every closed month has one"


def run_backfill(store: Store, actor: Actor, *, progress: Progress | None = None) -> list[str]:
    """:func:`backfill_snapshots` as the job ``data.snapshots.backfill`` (locked, recorded
    with its summary): what cron and the console run; returns the months taken.

    Raises:
        Busy: another copy is running.
        PermissionDenied: the actor lacks data.manage.
    """
    from bo_console.core.clock import today
    from bo_console.core.jobs import run_job

    with run_job(store, actor, "data.snapshots.backfill", key=str(today()), force=True) as job:
        with store.write() as session:
            months = backfill_snapshots(session, actor, progress=progress)
            job.complete(session, backfill_summary(months))
    return months


def run_check(store: Store, actor: Actor, *, progress: Progress | None = None) -> QualityReport:
    """A notifying :func:`check` as the job ``data.quality.check`` (locked, recorded with
    its summary): what cron and the console's Notify run.

    Raises:
        Busy: another copy is running.
        PermissionDenied: the actor lacks data.manage.
    """
    from bo_console.core.clock import today
    from bo_console.core.jobs import run_job

    with run_job(store, actor, "data.quality.check", key=str(today()), force=True) as job:
        with store.write() as session:
            report = check(session, actor, notify=True, progress=progress)
            job.complete(session, report.summary)
    return report
