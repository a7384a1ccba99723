"""One asset of the register with its custodians and book figures, as plain SQL over a Reader
or a session.

``bo it assets show`` reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`): this module imports neither SQLAlchemy nor pydantic nor IT's
table models. The register's services return the same view after each change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound
from bo_console.core.lookups import base_currency_of, day_of, moment_of
from bo_console.core.money import from_minor
from bo_console.core.reading import reader_of
from bo_console.it.lists import AssetRow, asset_row

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class CustodyView:
    employee: str
    name: str
    out_at: datetime
    out_by: str
    returned_at: datetime | None
    returned_by: str | None
    note: str


@dataclass(frozen=True)
class AssetView:
    """One asset with its custodians, newest first, and its book figures."""

    row: AssetRow
    supplier: str
    purchase_date: date | None
    in_service: date | None
    capitalised_by: str | None
    accumulated_depreciation: Decimal
    book_value: Decimal
    disposed_on: date | None
    proceeds: Decimal
    custody: list[CustodyView]


def get_asset(db: Reads, actor: Actor, tag: str) -> AssetView:
    """One asset with its custodian history and book value (it.read).

    Raises:
        PermissionDenied: without it.read.
        NotFound: no asset has the tag.
    """
    from bo_console.hr.service import directory

    actor.require("it.read", "read the asset register")
    reader = reader_of(db)
    found = reader.first(
        "SELECT id, supplier, purchase_date, in_service, capitalised_by, opening_depreciation,"
        " cost, disposed_on, proceeds FROM it_asset WHERE tag = :tag",
        {"tag": tag.strip().upper()},
    )
    if found is None:
        raise NotFound(f"no asset with tag {tag.strip()!r}")
    id_, supplier, purchased, in_service, capitalised_by, opening, cost, disposed, proceeds = found
    asset_id = int(id_)
    exponent = base_currency_of(reader).exponent
    history = reader.rows(
        "SELECT employee_id, out_at, out_by, returned_at, returned_by, note FROM it_assignment"
        " WHERE asset_id = :id ORDER BY id DESC",
        {"id": asset_id},
    )
    people = directory.people_by_id(reader, {int(h[0]) for h in history})
    charged = reader.scalar(
        "SELECT coalesce(sum(amount), 0) FROM it_depreciation WHERE asset_id = :id",
        {"id": asset_id},
    )
    accumulated = int(charged) + int(opening)
    custody = []
    for employee_id, out_at, out_by, returned_at, returned_by, note in history:
        person = people.get(int(employee_id))
        out_moment = moment_of(out_at)
        assert out_moment is not None  # NOT NULL column
        custody.append(
            CustodyView(
                employee=person.number if person else "",
                name=person.name if person else "",
                out_at=out_moment,
                out_by=str(out_by),
                returned_at=moment_of(returned_at),
                returned_by=returned_by,
                note=str(note),
            )
        )
    return AssetView(
        row=asset_row(reader, asset_id),
        supplier=str(supplier),
        purchase_date=day_of(purchased),
        in_service=day_of(in_service),
        capitalised_by=capitalised_by,
        accumulated_depreciation=from_minor(accumulated, exponent),
        book_value=from_minor(int(cost) - accumulated, exponent),
        disposed_on=day_of(disposed),
        proceeds=from_minor(int(proceeds), exponent),
        custody=custody,
    )
