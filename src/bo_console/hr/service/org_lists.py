"""HR's organisation lists as plain SQL over a Reader or a session: org units, positions and
the headcount report.

``bo hr units list``, ``positions list`` and ``employees report`` (without ``--reveal``) read
through the standard library's ``sqlite3`` (:mod:`bo_console.core.reading`): this module
imports neither SQLAlchemy nor pydantic nor HR's table models. The report's salary totals are
confidential: :func:`bo_console.hr.service.people.headcount_report` reveals them in a unit of
work, since showing them writes an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.lookups import base_currency_of
from bo_console.core.money import from_minor
from bo_console.core.reading import reader_of
from bo_console.hr.service.common import MASK
from bo_console.hr.service.lists import ListRow

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class OrgUnitRow(ListRow):
    code: str
    name: str
    name_ar: str
    parent: str
    headcount: int
    active: bool


UNIT_COLUMNS = ["code", "name", "name_ar", "parent", "headcount", "active"]


def list_org_units(db: Reads, actor: Actor) -> list[OrgUnitRow]:
    """Every org unit with its head count (active and on leave)."""
    actor.require("hr.read", "list org units")
    rows = reader_of(db).rows(
        """
SELECT u.code, u.name, u.name_ar, p.code,
       (SELECT count(*) FROM hr_employee e
        WHERE e.org_unit_id = u.id AND e.status <> 'terminated')
       , u.active
FROM hr_org_unit u LEFT JOIN hr_org_unit p ON p.id = u.parent_id
ORDER BY u.code"""
    )
    return [
        OrgUnitRow(
            code=str(code),
            name=str(name),
            name_ar=str(name_ar),
            parent=str(parent or ""),
            headcount=int(count),
            active=bool(active),
        )
        for code, name, name_ar, parent, count, active in rows
    ]


@dataclass(frozen=True)
class PositionRow(ListRow):
    code: str
    title: str
    title_ar: str
    unit: str
    active: bool


POSITION_COLUMNS = ["code", "title", "title_ar", "unit", "active"]


def list_positions(db: Reads, actor: Actor) -> list[PositionRow]:
    """Every position."""
    actor.require("hr.read", "list positions")
    rows = reader_of(db).rows(
        "SELECT p.code, p.title, p.title_ar, u.code, p.active FROM hr_position p"
        " LEFT JOIN hr_org_unit u ON u.id = p.org_unit_id ORDER BY p.code"
    )
    return [
        PositionRow(
            code=str(code),
            title=str(title),
            title_ar=str(title_ar),
            unit=str(unit or ""),
            active=bool(active),
        )
        for code, title, title_ar, unit, active in rows
    ]


@dataclass(frozen=True)
class HeadcountRow(ListRow):
    org_unit: str
    name: str
    headcount: int
    on_leave: int
    monthly_base: Decimal | str
    monthly_allowances: Decimal | str


REPORT_COLUMNS = ["org_unit", "name", "headcount", "on_leave", "monthly_base", "monthly_allowances"]


def headcount_rows(db: Reads, *, reveal: bool) -> list[HeadcountRow]:
    """Head count per org unit, the salary totals masked unless ``reveal``. No permission
    check and no audit: :func:`headcount` and ``people.headcount_report`` do those."""
    reader = reader_of(db)
    exponent = base_currency_of(reader).exponent
    rows = reader.rows(
        """
SELECT u.code, u.name,
       sum(CASE WHEN e.status <> 'terminated' THEN 1 ELSE 0 END),
       sum(CASE WHEN e.status = 'on_leave' THEN 1 ELSE 0 END),
       sum(CASE WHEN e.status <> 'terminated' THEN p.base_salary ELSE 0 END),
       sum(CASE WHEN e.status <> 'terminated' THEN p.allowances ELSE 0 END)
FROM hr_org_unit u
LEFT JOIN hr_employee e ON e.org_unit_id = u.id
LEFT JOIN hr_employee_private p ON p.employee_id = e.id
GROUP BY u.id, u.code, u.name
ORDER BY u.code"""
    )
    result: list[HeadcountRow] = []
    for code, name, headcount, on_leave, base, allowances in rows:
        result.append(
            HeadcountRow(
                org_unit=str(code),
                name=str(name),
                headcount=int(headcount or 0),
                on_leave=int(on_leave or 0),
                monthly_base=from_minor(int(base or 0), exponent) if reveal else MASK,
                monthly_allowances=from_minor(int(allowances or 0), exponent) if reveal else MASK,
            )
        )
    return result


def headcount(db: Reads, actor: Actor) -> list[HeadcountRow]:
    """Head count per org unit, salary totals masked (hr.read)."""
    actor.require("hr.read", "read HR reports")
    return headcount_rows(db, reveal=False)
