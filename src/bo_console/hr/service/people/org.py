"""Org units and positions: HR's reference data (payroll's cost centres are the units)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import (
    NotFound,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.security import Actor
from bo_console.core.text import clean
from bo_console.hr.models.views import OrgUnitView, PositionView

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import OrgUnit, Position


_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")


def _code(value: str, what: str) -> str:
    code = clean(value).upper()
    if not _CODE.match(code):
        raise ValidationFailed(
            f"invalid {what} code {value!r}: up to 16 letters, digits, '-' or '_'"
        )
    return code


def _name(value: str, what: str, *, required: bool = True) -> str:
    text = clean(value)
    if required and not text:
        raise ValidationFailed(f"{what} is required")
    if len(text) > 120:
        raise ValidationFailed(f"{what} is longer than 120 characters")
    return text


# -- org units and positions ------------------------------------------------------------------


def add_org_unit(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    name_ar: str = "",
    parent: str | None = None,
) -> OrgUnit:
    """Create an org unit (department); its code is the cost centre payroll posts to."""
    from sqlmodel import select

    from bo_console.hr.models import OrgUnit

    actor.require("hr.manage", "create org units")
    unit_code = _code(code, "org unit")
    if session.exec(select(OrgUnit).where(OrgUnit.code == unit_code)).first() is not None:
        raise RuleViolation(f"org unit {unit_code} already exists")
    parent_id = org_unit(session, parent).id if parent else None
    unit = OrgUnit(
        code=unit_code,
        name=_name(name, "name"),
        name_ar=_name(name_ar, "Arabic name", required=False),
        parent_id=parent_id,
    )
    session.add(unit)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="org_unit",
        entity_id=unit_code,
        changes={
            "name": (None, unit.name),
            "name_ar": (None, unit.name_ar),
            "parent": (None, parent),
        },
    )
    return unit


def org_unit(session: Session, code: str) -> OrgUnit:
    """The org unit with this code.

    Raises:
        NotFound: there is none.
    """
    from sqlmodel import select

    from bo_console.hr.models import OrgUnit

    unit = session.exec(select(OrgUnit).where(OrgUnit.code == code.strip().upper())).first()
    if unit is None:
        raise NotFound(f"no org unit {code!r} (see `bo hr units list`)")
    return unit


def list_org_units(session: Session, actor: Actor) -> list[OrgUnitView]:
    """Every org unit with its head count (active and on leave)."""
    from bo_console.hr.service import org_lists

    return [OrgUnitView(**r.record()) for r in org_lists.list_org_units(session, actor)]


def add_position(
    session: Session,
    actor: Actor,
    *,
    code: str,
    title: str,
    title_ar: str = "",
    unit: str | None = None,
) -> Position:
    """Create a position (job title)."""
    from sqlmodel import select

    from bo_console.hr.models import Position

    actor.require("hr.manage", "create positions")
    pos_code = _code(code, "position")
    if session.exec(select(Position).where(Position.code == pos_code)).first() is not None:
        raise RuleViolation(f"position {pos_code} already exists")
    position_row = Position(
        code=pos_code,
        title=_name(title, "title"),
        title_ar=_name(title_ar, "Arabic title", required=False),
        org_unit_id=org_unit(session, unit).id if unit else None,
    )
    session.add(position_row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="position",
        entity_id=pos_code,
        changes={"title": (None, position_row.title), "unit": (None, unit)},
    )
    return position_row


def position(session: Session, code: str) -> Position:
    """The position with this code.

    Raises:
        NotFound: there is none.
    """
    from sqlmodel import select

    from bo_console.hr.models import Position

    row = session.exec(select(Position).where(Position.code == code.strip().upper())).first()
    if row is None:
        raise NotFound(f"no position {code!r} (see `bo hr positions list`)")
    return row


def list_positions(session: Session, actor: Actor) -> list[PositionView]:
    """Every position."""
    from bo_console.hr.service import org_lists

    return [PositionView(**r.record()) for r in org_lists.list_positions(session, actor)]
