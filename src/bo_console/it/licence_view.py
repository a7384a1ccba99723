"""One licence with who holds its seats, and the licences due for renewal, as plain SQL over a
Reader or a session.

``bo it licences show`` and ``bo it licences expiring`` read through the standard library's
``sqlite3`` (:mod:`bo_console.core.reading`) when the keys stay masked: this module imports
neither SQLAlchemy nor pydantic nor IT's table models. Keys are shown to it.manage only and
each showing is audited, so a manager's read takes the session of a unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.core.lookups import moment_of
from bo_console.core.reading import reader_of
from bo_console.it.lists import LICENCE_COLUMNS, LicenceRow, licence_rows

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads, Row
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class SeatView:
    holder: str  # employee number or asset tag
    name: str
    assigned_at: object
    assigned_by: str


@dataclass(frozen=True)
class LicenceView:
    row: LicenceRow
    holders: list[SeatView]


def parse_within(text: str) -> int:
    """``30d``, ``6w``, ``2m`` or ``30`` as a number of days."""
    raw = text.strip().lower()
    units = {"d": 1, "w": 7, "m": 30}
    unit = units.get(raw[-1:], 1) if raw[-1:] in units else 1
    number = raw[:-1] if raw[-1:] in units else raw
    if not number.isdigit() or int(number) > 3660:
        raise ValidationFailed(f"--within takes days like 30d, 6w or 2m, not {text!r}")
    return int(number) * unit


def _licence(reader: Reader, ref: str | int) -> Row:
    """A licence by id (``L7``, ``7``) or exact product name, as :data:`LICENCE_COLUMNS`.

    Raises:
        NotFound: no such licence.
    """
    text = str(ref).strip()
    digits = text.upper().removeprefix("L")
    found = None
    if digits.isdigit():
        found = reader.first(
            f"SELECT {LICENCE_COLUMNS} FROM it_licence WHERE id = :id", {"id": int(digits)}
        )
    if found is None:
        found = reader.first(
            f"SELECT {LICENCE_COLUMNS} FROM it_licence WHERE product = :product",
            {"product": text},
        )
    if found is None:
        raise NotFound(f"no licence {text!r}")
    return found


def get_licence(db: Reads, actor: Actor, ref: str | int) -> LicenceView:
    """One licence with who holds its seats (it.read; the key for it.manage, audited).

    Raises:
        PermissionDenied: without it.read.
        NotFound: no such licence.
    """
    from bo_console.hr.service import directory

    actor.require("it.read", "read licences")
    reader = reader_of(db)
    licence = _licence(reader, ref)
    seats = reader.rows(
        "SELECT employee_id, asset_id, assigned_at, assigned_by FROM it_seat"
        " WHERE licence_id = :id AND released_at IS NULL ORDER BY id",
        {"id": int(licence[0])},
    )
    people = directory.people_by_id(reader, {int(s[0]) for s in seats if s[0] is not None})
    holders = []
    for employee_id, asset_id, assigned_at, assigned_by in seats:
        if employee_id is not None:
            person = people.get(int(employee_id))
            holder, name = (person.number, person.name) if person else ("?", "")
        else:
            tag = reader.scalar("SELECT tag FROM it_asset WHERE id = :id", {"id": asset_id or 0})
            holder, name = ("" if tag is None else str(tag)), "(asset)"
        holders.append(SeatView(holder, name, moment_of(assigned_at), str(assigned_by)))
    return LicenceView(licence_rows(db, actor, [licence])[0], holders)


def renewals(db: Reads, actor: Actor, *, within_days: int, on: date) -> list[LicenceRow]:
    """Licences whose renewal falls within ``within_days`` of ``on`` (overdue ones too),
    soonest first (it.read; keys for it.manage, audited).

    Raises:
        PermissionDenied: without it.read.
    """
    actor.require("it.read", "read licences")
    found = reader_of(db).rows(
        f"SELECT {LICENCE_COLUMNS} FROM it_licence"
        " WHERE renewal_date IS NOT NULL AND renewal_date <= :until ORDER BY renewal_date",
        {"until": on + timedelta(days=within_days)},
    )
    return licence_rows(db, actor, found)
