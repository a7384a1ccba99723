"""Month-end snapshots: a closed month's figures, frozen when finance closes it.

Finance runs its after-close hooks in the closing transaction (entry point group
``bo_console.after_close``); :func:`on_close` is data management's, and writes one
``dm_month_snapshot`` row: the management pack's sheets (:func:`pack.month_sheets`) and the
month's dashboard figures (revenue, expenses, cash, aged balances, headcount, payroll cost,
stock value, tickets) as JSON. The database refuses to change or delete a snapshot (migration
0018); a month reopened and closed again gets the next version and the old one stays. The
pack and the dashboard's closed months read the latest version, so they neither scan the
ledger again nor move when a closed month is reopened and changed.

Each row's ``digest`` is the SHA-256 of the previous row's digest and its own figures, so a
snapshot rewritten behind the triggers' back (with them dropped) breaks the chain, which
``bo db check`` walks (:func:`checks`).

A snapshot is taken for whoever reads it later, so it holds every department's figures and
readers' views are cut when the pack or the dashboard is built. The one confidential part,
the payroll of units under :data:`~bo_console.data.month.MIN_PAYSLIPS` payslips (one
person's pay), is stored masked in the figures and whole in ``dm_month_snapshot_private``,
which only ``hr.confidential`` reads (a PostgreSQL privilege; the SQL console refuses both
tables to everyone).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bo_console.core.security import DEPARTMENT_READ, Actor
from bo_console.data.models import ResultSet
from bo_console.data.month import MIN_PAYSLIPS
from bo_console.data.snapshot_list import FORMAT as FORMAT
from bo_console.data.snapshot_list import LATEST, figures_of
from bo_console.data.snapshot_list import MonthTotals as MonthTotals
from bo_console.data.snapshot_list import SnapshotRow as SnapshotRow
from bo_console.data.snapshot_list import list_snapshots as list_snapshots

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.jobs import Progress
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import Reads


@dataclass(frozen=True)
class Snapshot:
    """A stored month-end snapshot."""

    id: int
    period: str
    version: int
    taken_at: datetime
    taken_by: str
    currency: str
    exponent: int
    month: MonthTotals
    sheets: list[tuple[str, str, ResultSet]] = field(default_factory=list)
    """(department, sheet name, rows), unmasked."""


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$d" in value:
            return Decimal(value["$d"])
        if "$t" in value:
            return datetime.fromisoformat(value["$t"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
    return value


def _full_reader(actor: Actor) -> Actor:
    """``actor`` reading every department and HR's confidential totals: the snapshot is
    stored whole, and cut for each reader when read."""
    extra = {*DEPARTMENT_READ.values(), "hr.confidential"}
    return replace(actor, permissions=actor.permissions | extra)


def _minor(amount: Decimal, exponent: int) -> int:
    return int(amount.scaleb(exponent))


def _month_totals(session: Session, reader: Actor, period: str, exponent: int) -> MonthTotals:
    from sqlalchemy import text

    from bo_console.data.month import month_bounds
    from bo_console.finance import service as finance

    first, last = month_bounds(period)
    statement = finance.income_statement(session, reader, first, last)
    chart = finance.load_chart(session)
    bank = chart.get(finance.account_for_role(session, "bank"))
    group = chart.accounts[bank.parent_id] if bank.parent_id is not None else bank
    cash = finance.account_balance(session, reader, group.code, as_of=last)
    ages = {
        side: dict(finance.aged(session, reader, side, last).totals().amounts)
        for side in ("receivables", "payables")
    }

    def one(sql: str, **params: Any) -> int:
        return int(session.execute(text(sql), params).scalar_one() or 0)

    paid = "FROM v_hr_payslip WHERE period = :p AND run_status IN ('approved', 'posted', 'paid')"
    payslips = one(f"SELECT count(*) {paid}", p=period)

    return MonthTotals(
        revenue=_minor(statement.total_income, exponent),
        expenses=_minor(statement.total_expense, exponent),
        cash=_minor(cash, exponent),
        receivables=ages["receivables"],
        payables=ages["payables"],
        headcount=one(
            "SELECT count(*) FROM v_hr_employee WHERE hire_date <= :d "
            "AND (termination_date IS NULL OR termination_date > :d)",
            d=last.isoformat(),
        ),
        payroll_cost=(
            one(f"SELECT SUM(gross + employer_si + benefit_employer) {paid}", p=period)
            if payslips >= MIN_PAYSLIPS or payslips == 0
            else None
        ),
        stock_value=one(
            "SELECT coalesce(SUM(value), 0) FROM v_lg_stock_move WHERE date <= :d",
            d=last.isoformat(),
        ),
        tickets_opened=one("SELECT count(*) FROM v_it_ticket WHERE month = :p", p=period),
        tickets_breached=one(
            "SELECT coalesce(SUM(breached), 0) FROM v_it_ticket WHERE month = :p", p=period
        ),
    )


def _rows(result: ResultSet) -> list[list[Any]]:
    return [[_encode(v) for v in row] for row in result.rows]


def _figures(session: Session, actor: Actor, period: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the figures, the confidential part: the payroll sheet unmasked)."""
    from bo_console.core.money import base_currency
    from bo_console.data.month import PAYROLL_SHEET, masked_payroll, month_sheets

    reader = _full_reader(actor)
    currency = base_currency(session)
    month = _month_totals(session, reader, period, currency.exponent)
    sheets = []
    private: dict[str, Any] = {}
    for dept, name, result in month_sheets(session, reader, period):
        if name == PAYROLL_SHEET:
            private = {"columns": list(result.columns), "rows": _rows(result)}
            result = masked_payroll(result)
        sheets.append(
            {"dept": dept, "name": name, "columns": list(result.columns), "rows": _rows(result)}
        )
    figures = {
        "format": FORMAT,
        "currency": currency.code,
        "exponent": currency.exponent,
        "month": asdict(month),
        "sheets": sheets,
    }
    return figures, private


def take(session: Session, actor: Actor, period: str) -> Snapshot:
    """Write the next snapshot version of closed month ``period`` (and audit it).

    Raises:
        RuleViolation: the month is not closed, or (on PostgreSQL) the login may not read
            payslip amounts.
    """
    from sqlalchemy import text

    from bo_console.core import audit
    from bo_console.core.clock import utcnow
    from bo_console.core.errors import RuleViolation
    from bo_console.finance import service as finance

    period = finance.parse_period(period)
    if not finance.is_closed(session, period):
        raise RuleViolation(f"{period} is not closed; only a closed month has a snapshot")
    if _server_refuses_payslips(session):
        raise RuleViolation(
            f"{actor.login} may not read payslip amounts on this server, which a snapshot "
            "holds; take snapshots as a user with hr.confidential"
        )
    figures, private = _figures(session, actor, period)
    payload, hidden = (
        json.dumps(part, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        for part in (figures, private)
    )
    version = 1 + int(
        session.execute(
            text("SELECT coalesce(max(version), 0) FROM dm_month_snapshot WHERE period = :p"),
            {"p": period},
        ).scalar_one()
    )
    taken_at = utcnow()
    before = session.execute(
        text("SELECT digest FROM dm_month_snapshot ORDER BY id DESC LIMIT 1")
    ).scalar_one_or_none()
    session.execute(
        text(
            "INSERT INTO dm_month_snapshot (period, version, taken_at, taken_by, figures, digest)"
            " VALUES (:p, :v, :t, :b, :f, :d)"
        ),
        {
            "p": period,
            "v": version,
            "t": taken_at,
            "b": actor.login,
            "f": payload,
            "d": chain_digest(before, payload, hidden),
        },
    )
    snapshot_id = int(
        session.execute(
            text("SELECT id FROM dm_month_snapshot WHERE period = :p AND version = :v"),
            {"p": period, "v": version},
        ).scalar_one()
    )
    session.execute(
        text("INSERT INTO dm_month_snapshot_private (snapshot_id, figures) VALUES (:i, :f)"),
        {"i": snapshot_id, "f": hidden},
    )
    audit.record(
        session,
        actor,
        action="snapshot",
        entity="month",
        entity_id=period,
        changes={"version": (None, version)},
    )
    return _snapshot(snapshot_id, period, version, taken_at, actor.login, payload)


def chain_digest(previous: str | None, payload: str, private: str) -> str:
    """The digest of a snapshot whose figures are ``payload`` and ``private``, after one of
    ``previous``."""
    return hashlib.sha256(f"{previous or ''}\n{payload}\n{private}".encode()).hexdigest()


def checks(db: Reads) -> list[CheckResult]:
    """``bo db check``: every snapshot's digest follows from the one before and its figures
    (read through a Reader or a session)."""
    from bo_console.core.maintenance import CheckResult
    from bo_console.core.reading import reader_of

    previous: str | None = None
    for period, version, figures, private, digest in reader_of(db).rows(
        "SELECT s.period, s.version, s.figures, p.figures, s.digest FROM dm_month_snapshot s "
        "LEFT JOIN dm_month_snapshot_private p ON p.snapshot_id = s.id ORDER BY s.id"
    ):
        if chain_digest(previous, str(figures), str(private or "")) != digest:
            detail = f"the snapshot of {period} version {version} does not match its digest"
            return [CheckResult("month-end snapshots", False, detail)]
        previous = str(digest)
    return [CheckResult("month-end snapshots", True, "ok")]


def _server_refuses_payslips(session: Session) -> bool:
    """On PostgreSQL the server, not the console, decides who reads payslip amounts: whether
    this login may not (always False on SQLite)."""
    from sqlalchemy import text

    if session.get_bind().dialect.name != "postgresql":
        return False
    allowed = session.execute(
        text("SELECT has_column_privilege('hr_payslip', 'gross', 'SELECT')")
    ).scalar_one()
    return not allowed


BACKFILL_NOTE = (
    "{period}'s month-end snapshot waits for `bo data snapshot backfill` (run by an admin): "
    "this login may not read payslip amounts"
)
"""The close's note when the closer's login leaves the snapshot to the backfill."""


def on_close(session: Session, actor: Actor, period: str) -> str | None:
    """Finance's after-close hook: the closed month's snapshot, in the closing transaction.

    On PostgreSQL a closer whose login may not read payslip amounts leaves the snapshot to
    ``bo data snapshot backfill`` (cron, as a login with ``hr.confidential``): the month
    still closes, and the note returned says so."""
    if _server_refuses_payslips(session):
        return BACKFILL_NOTE.format(period=period)
    take(session, actor, period)
    return None


def _snapshot(
    snapshot_id: int, period: str, version: int, taken_at: Any, taken_by: str, payload: str
) -> Snapshot:
    figures = figures_of(period, version, payload)
    when = taken_at if isinstance(taken_at, datetime) else datetime.fromisoformat(str(taken_at))
    sheets = [
        (
            str(s["dept"]),
            str(s["name"]),
            ResultSet(
                columns=list(s["columns"]),
                rows=[tuple(_decode(v) for v in row) for row in s["rows"]],
            ),
        )
        for s in figures["sheets"]
    ]
    return Snapshot(
        id=snapshot_id,
        period=period,
        version=version,
        taken_at=when,
        taken_by=taken_by,
        currency=str(figures["currency"]),
        exponent=int(figures["exponent"]),
        month=MonthTotals(**figures["month"]),
        sheets=sheets,
    )


def latest_of(db: Reads, periods: Iterable[str]) -> dict[str, Snapshot]:
    """The latest snapshot of each of ``periods`` that has one."""
    from bo_console.core.reading import reader_of

    wanted = sorted(set(periods))
    if not wanted:
        return {}
    return {
        str(row[1]): _snapshot(
            int(row[0]), str(row[1]), int(row[2]), row[3], str(row[4]), str(row[5])
        )
        for row in reader_of(db).rows(LATEST, {"periods": wanted})
    }


def private_payroll(session: Session, snapshot: Snapshot) -> ResultSet | None:
    """The snapshot's payroll sheet unmasked (the caller checks ``hr.confidential``; on
    PostgreSQL the server refuses the table to anyone else), or None if it has none."""
    from sqlalchemy import text

    found = session.execute(
        text("SELECT figures FROM dm_month_snapshot_private WHERE snapshot_id = :i"),
        {"i": snapshot.id},
    ).scalar_one_or_none()
    if not found:
        return None
    part = json.loads(str(found))
    if not part:
        return None
    rows = [tuple(_decode(v) for v in row) for row in part["rows"]]
    return ResultSet(columns=list(part["columns"]), rows=rows)


def latest(session: Session, period: str) -> Snapshot | None:
    """The latest snapshot of ``period``, or None when it has none."""
    return latest_of(session, [period]).get(period)


def backfill(session: Session, actor: Actor, *, progress: Progress | None = None) -> list[str]:
    """Take a snapshot of every closed month that has none (months closed before snapshots
    existed); returns the months done, oldest first. ``progress`` hears ``(months taken,
    months to take)`` (at least one step).

    Raises:
        PermissionDenied: the actor lacks ``data.manage``.
    """
    from sqlalchemy import text

    from bo_console.finance import service as finance

    actor.require("data.manage", "take month-end snapshots")
    have = {
        str(r[0])
        for r in session.execute(text("SELECT DISTINCT period FROM dm_month_snapshot")).all()
    }
    from bo_console.core.jobs import tell

    todo = sorted(finance.closed_periods(session) - have)
    done = []
    for period in todo:
        take(session, actor, period)
        done.append(period)
        tell(progress, len(done), len(todo))
    if not todo:
        tell(progress, 1, 1)
    return done
