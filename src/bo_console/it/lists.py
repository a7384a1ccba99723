"""IT's lists as plain SQL over a Reader or a session: the asset register.

A list command reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor IT's
table models, and its rows are frozen dataclasses. Screens and other services call the same
functions with their sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import ValidationFailed
from bo_console.core.lookups import base_currency_of, day_of
from bo_console.core.money import from_minor
from bo_console.core.reading import reader_of
from bo_console.it.codes import ASSET_STATUSES

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor


# -- the asset register -------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetRow:
    """An asset as lists show it (amounts in major units)."""

    id: int
    tag: str
    serial: str
    model: str
    category: str
    status: str
    location: str
    custodian: str
    cost: Decimal
    warranty_end: date | None


@dataclass(frozen=True)
class AssetFilter:
    """``status``: one status, ``active`` (everything but disposed, the default) or ``all``;
    ``text``: part of the tag, serial or model; ``holder``: an employee number."""

    status: str = "active"
    category: str | None = None
    text: str = ""
    holder: str | None = None
    after_id: int | None = None
    limit: int = 200


_ASSET_ROWS = """
SELECT a.id, a.tag, a.serial, a.model, a.category, a.status, a.location, a.cost,
       a.warranty_end, e.number, e.name
FROM it_asset a
LEFT JOIN it_assignment h ON h.asset_id = a.id AND h.returned_at IS NULL
LEFT JOIN hr_employee e ON e.id = h.employee_id
"""
"""An asset with its custodian: the open assignment (at most one, an index sees to it) and
the employee's number and name (the directory's columns of HR's employee table)."""


def _asset_rows(reader: Reader, where: list[str], params: dict[str, Any]) -> list[AssetRow]:
    exponent = base_currency_of(reader).exponent
    sql = _ASSET_ROWS
    if where:
        sql += "WHERE " + " AND ".join(where) + "\n"
    sql += "ORDER BY a.id"
    if "limit" in params:
        sql += " LIMIT :limit"
    return [
        AssetRow(
            id=int(id_),
            tag=tag,
            serial=serial,
            model=model,
            category=category,
            status=status,
            location=location,
            custodian=f"{number} {name}" if number is not None else "",
            cost=from_minor(int(cost), exponent),
            warranty_end=day_of(warranty_end),
        )
        for (
            id_,
            tag,
            serial,
            model,
            category,
            status,
            location,
            cost,
            warranty_end,
            number,
            name,
        ) in reader.rows(sql, params)
    ]


def asset_row(db: Reads, asset_id: int) -> AssetRow:
    """One asset as lists show it (for a record view)."""
    return _asset_rows(reader_of(db), ["a.id = :id"], {"id": asset_id})[0]


def list_assets(db: Reads, actor: Actor, flt: AssetFilter) -> list[AssetRow]:
    """Assets in order of registration (keyset paging on ``after_id``), for it.read.

    Raises:
        PermissionDenied: without it.read. ValidationFailed: an unknown status.
        NotFound: ``holder`` is no employee's number.
    """
    from bo_console.hr.service import directory

    actor.require("it.read", "read the asset register")
    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, Any] = {"limit": flt.limit}
    if flt.status == "active":
        where.append("a.status <> 'disposed'")
    elif flt.status != "all":
        if flt.status not in ASSET_STATUSES:
            raise ValidationFailed(
                f"unknown status {flt.status!r} (active, all, {', '.join(ASSET_STATUSES)})"
            )
        where.append("a.status = :status")
        params["status"] = flt.status
    if flt.category:
        where.append("a.category = :category")
        params["category"] = flt.category.upper()
    text = flt.text.strip()
    if text:
        # Part of the tag, serial or model in any case (as SQL's lower() folds it).
        where.append(
            "(lower(a.tag) LIKE '%' || lower(:text) || '%'"
            " OR lower(a.serial) LIKE '%' || lower(:text) || '%'"
            " OR lower(a.model) LIKE '%' || lower(:text) || '%')"
        )
        params["text"] = text
    if flt.holder:
        person = directory.person(reader, flt.holder)
        where.append(
            "a.id IN (SELECT asset_id FROM it_assignment"
            " WHERE employee_id = :holder AND returned_at IS NULL)"
        )
        params["holder"] = person.id
    if flt.after_id is not None:
        where.append("a.id > :after_id")
        params["after_id"] = flt.after_id
    return _asset_rows(reader, where, params)
