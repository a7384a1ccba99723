"""HR's short lists as plain SQL over a Reader or a session: salary components, leave types,
requests and balances, pay runs.

``bo hr leave requests``, ``leave balances`` and ``bo hr payroll list`` read through the
standard library's ``sqlite3`` (:mod:`bo_console.core.reading`): this module imports neither
SQLAlchemy nor pydantic nor HR's table models. Its rows are frozen dataclasses that read like
the pydantic row views (by attribute, by column name, ``record()``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import NotFound
from bo_console.core.lookups import base_currency_of, day_of
from bo_console.core.money import from_minor
from bo_console.core.reading import reader_of
from bo_console.hr.service.common import MASK, format_days

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor


class ListRow:
    """What HR's list rows share with the pydantic row views: columns by name and as a
    plain mapping (for files and JSON)."""

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        """The column ``name``, or ``default`` when the row has no such column."""
        return getattr(self, name, default)

    def record(self) -> dict[str, Any]:
        """The row as a plain mapping of column to value."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]


# -- salary components --------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentView:
    """A salary component type and the bases it counts in."""

    code: str
    name: str
    in_gosi: bool
    in_eos: bool
    in_leave_pay: bool
    in_overtime: bool
    builtin: bool


def list_components(db: Reads, actor: Actor) -> list[ComponentView]:
    """Every salary component type, in the order they were added."""
    actor.require("hr.read", "read salary components")
    rows = reader_of(db).rows(
        "SELECT code, name, in_gosi, in_eos, in_leave_pay, in_overtime, builtin"
        " FROM hr_pay_component ORDER BY id"
    )
    return [
        ComponentView(str(code), str(name), *(bool(flag) for flag in flags))
        for code, name, *flags in rows
    ]


# -- leave types --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveTypeRow(ListRow):
    code: str
    name: str
    name_ar: str
    paid: bool
    yearly_days: str


TYPE_COLUMNS = ["code", "name", "name_ar", "paid", "yearly_days"]


def list_leave_types(db: Reads, actor: Actor) -> list[LeaveTypeRow]:
    """Every leave type."""
    actor.require("hr.read", "list leave types")
    rows = reader_of(db).rows(
        "SELECT code, name, name_ar, paid, yearly_days FROM hr_leave_type ORDER BY code"
    )
    return [
        LeaveTypeRow(
            code=str(code),
            name=str(name),
            name_ar=str(name_ar),
            paid=bool(paid),
            yearly_days=format_days(int(days)),
        )
        for code, name, name_ar, paid, days in rows
    ]


# -- leave requests -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaveRequestRow(ListRow):
    id: int
    employee: str
    name: str
    type: str
    starts_on: date
    ends_on: date
    days: str
    status: str
    requested_by: str
    decided_by: str
    reason: str


REQUEST_COLUMNS = [
    "id",
    "employee",
    "name",
    "type",
    "starts_on",
    "ends_on",
    "days",
    "status",
    "requested_by",
    "decided_by",
    "reason",
]


def _employee(reader: Reader, number: str) -> tuple[int, str | None]:
    """(id, login) of the employee with this number.

    Raises:
        NotFound: no such employee.
    """
    row = reader.first(
        "SELECT id, login FROM hr_employee WHERE number = :number",
        {"number": number.strip().upper()},
    )
    if row is None:
        raise NotFound(f"no employee {number!r}")
    return int(row[0]), row[1]


def _day(value: Any) -> date:
    found = day_of(value)
    assert found is not None  # NOT NULL columns
    return found


def list_requests(
    db: Reads,
    actor: Actor,
    *,
    status: str | None = None,
    employee: str | None = None,
    mine_to_decide: bool = False,
    limit: int | None = None,
) -> list[LeaveRequestRow]:
    """Leave requests, newest first. ``mine_to_decide``: pending ones of the actor's reports;
    ``limit`` keeps the newest rows only.

    Raises:
        NotFound: ``employee`` is no employee's number. PermissionDenied: another's requests
            without ``hr.read``.
    """
    reader = reader_of(db)
    person = _employee(reader, employee) if employee else None
    if not mine_to_decide and (person is None or person[1] != actor.login):
        actor.require("hr.read", "read leave requests")
    sql = """
SELECT r.id, e.number, e.name, t.code, r.starts_on, r.ends_on, r.days, r.status,
       r.requested_by, r.decided_by, r.reason
FROM hr_leave_request r
JOIN hr_employee e ON e.id = r.employee_id
JOIN hr_leave_type t ON t.id = r.leave_type_id
"""
    where: list[str] = []
    params: dict[str, Any] = {}
    if status:
        where.append("r.status = :status")
        params["status"] = status
    if person is not None:
        where.append("r.employee_id = :employee_id")
        params["employee_id"] = person[0]
    if mine_to_decide:
        sql += "JOIN hr_employee boss ON boss.id = e.manager_id\n"
        where += ["boss.login = :login", "r.status = 'pending'"]
        params["login"] = actor.login
    if where:
        sql += "WHERE " + " AND ".join(where) + "\n"
    sql += "ORDER BY r.starts_on DESC, r.id DESC"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [
        LeaveRequestRow(
            id=int(id_),
            employee=number,
            name=name,
            type=code,
            starts_on=_day(starts_on),
            ends_on=_day(ends_on),
            days=format_days(int(days)),
            status=state,
            requested_by=requested_by,
            decided_by=decided_by or "",
            reason=reason,
        )
        for (
            id_,
            number,
            name,
            code,
            starts_on,
            ends_on,
            days,
            state,
            requested_by,
            decided_by,
            reason,
        ) in reader.rows(sql, params)
    ]


# -- leave balances -----------------------------------------------------------------------------

BALANCE_COLUMNS = ["employee", "name", "type", "accrued", "taken", "adjusted", "pending", "balance"]


@dataclass(frozen=True)
class LeaveBalanceRow(ListRow):
    """Days as people write them (``1.75``)."""

    employee: str
    name: str
    type: str
    accrued: str
    taken: str
    adjusted: str
    pending: str
    balance: str


def balances(
    db: Reads, actor: Actor, *, employee: str | None = None, limit: int | None = None
) -> list[LeaveBalanceRow]:
    """Balances of accruing leave types per employee: accrued, taken, adjusted, pending, left.

    Everyone may see their own; seeing others' needs ``hr.read``. ``limit`` keeps the first
    rows (by employee number), for screens that show a page.

    Raises:
        NotFound: ``employee`` is no employee's number. PermissionDenied: another's balances
            without ``hr.read``.
    """
    reader = reader_of(db)
    person = _employee(reader, employee) if employee else None
    if person is None or person[1] != actor.login:
        actor.require("hr.read", "read leave balances")
    sql = """
SELECT e.id, e.number, e.name, t.id, t.code,
       SUM(CASE WHEN x.kind = 'accrual' THEN x.days ELSE 0 END),
       SUM(CASE WHEN x.kind = 'taken' THEN x.days ELSE 0 END),
       SUM(CASE WHEN x.kind IN ('adjustment', 'settled') THEN x.days ELSE 0 END),
       SUM(x.days)
FROM hr_leave_entry x
JOIN hr_employee e ON e.id = x.employee_id
JOIN hr_leave_type t ON t.id = x.leave_type_id
"""
    params: dict[str, Any] = {}
    if person is not None:
        sql += "WHERE e.id = :employee_id\n"
        params["employee_id"] = person[0]
    sql += "GROUP BY e.id, t.id ORDER BY e.number, t.code"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    pending = {
        (int(e), int(t)): int(d)
        for e, t, d in reader.rows(
            "SELECT employee_id, leave_type_id, SUM(days) FROM hr_leave_request"
            " WHERE status = 'pending' GROUP BY employee_id, leave_type_id"
        )
    }
    return [
        LeaveBalanceRow(
            employee=number,
            name=name,
            type=code,
            accrued=format_days(int(accrued or 0)),
            taken=format_days(-int(taken or 0)),
            adjusted=format_days(int(adjusted or 0)),
            pending=format_days(pending.get((int(emp_id), int(type_id)), 0)),
            balance=format_days(int(left or 0)),
        )
        for emp_id, number, name, type_id, code, accrued, taken, adjusted, left in reader.rows(
            sql, params
        )
    ]


# -- pay runs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunRow(ListRow):
    """A pay run with who did each step; totals masked unless the reader may read pay."""

    id: int
    period: str
    status: str
    employees: int
    gross: Decimal | str
    net: Decimal | str
    employer_cost: Decimal | str
    prepared_by: str
    approved_by: str
    posted_by: str
    entry: str
    paid_by: str


RUN_COLUMNS = [
    "id",
    "period",
    "status",
    "employees",
    "gross",
    "net",
    "employer_cost",
    "prepared_by",
    "approved_by",
    "posted_by",
    "entry",
    "paid_by",
]


def may_read_pay(actor: Actor) -> None:
    """Refuse unless the actor prepares or approves payroll and reads confidential pay.

    Raises:
        PermissionDenied: either is missing.
    """
    if not (actor.can("payroll.prepare") or actor.can("payroll.approve")):
        actor.require("payroll.prepare", "read pay runs")
    actor.require("hr.confidential", "read pay amounts")


_RUN_PEOPLE = "prepared_by, approved_by, posted_by, entry_ref, paid_by"
_RUN_ORDER = "ORDER BY period DESC, id DESC"


def _people(values: tuple[Any, ...]) -> dict[str, str]:
    prepared_by, approved_by, posted_by, entry_ref, paid_by = values
    return {
        "prepared_by": prepared_by,
        "approved_by": approved_by or "",
        "posted_by": posted_by or "",
        "entry": entry_ref or "",
        "paid_by": paid_by or "",
    }


def list_runs(db: Reads, actor: Actor) -> list[RunRow]:
    """Every pay run, newest month first (totals need ``hr.confidential``)."""
    may_read_pay(actor)
    reader = reader_of(db)
    exponent = base_currency_of(reader).exponent
    rows = reader.rows(
        "SELECT id, period, status, employees, gross, net, employer_cost, "
        f"{_RUN_PEOPLE} FROM hr_pay_run {_RUN_ORDER}"
    )
    return [
        RunRow(
            id=int(r[0]),
            period=r[1],
            status=r[2],
            employees=int(r[3]),
            gross=from_minor(int(r[4]), exponent),
            net=from_minor(int(r[5]), exponent),
            employer_cost=from_minor(int(r[6]), exponent),
            **_people(r[7:]),
        )
        for r in rows
    ]


def runs_overview(db: Reads, actor: Actor) -> tuple[list[RunRow], bool]:
    """Every pay run, newest month first, for anyone who reads HR: who prepared, approved,
    posted and paid it. The totals are there only for those who may read pay (the second
    value says so); everyone else gets the mask in their place."""
    actor.require("hr.read", "list pay runs")
    revealed = actor.can("hr.confidential") and (
        actor.can("payroll.prepare") or actor.can("payroll.approve")
    )
    if revealed:
        return list_runs(db, actor), True
    # Only the columns a reader without hr.confidential may read (on PostgreSQL the server
    # refuses the totals' columns to them).
    rows = reader_of(db).rows(
        f"SELECT id, period, status, employees, {_RUN_PEOPLE} FROM hr_pay_run {_RUN_ORDER}"
    )
    return [
        RunRow(
            id=int(r[0]),
            period=r[1],
            status=r[2],
            employees=int(r[3]),
            gross=MASK,
            net=MASK,
            employer_cost=MASK,
            **_people(r[4:]),
        )
        for r in rows
    ], False
