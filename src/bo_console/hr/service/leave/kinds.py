"""Leave types, the working week and monthly accrual amounts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import (
    NotFound,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.security import Actor
from bo_console.core.text import clean
from bo_console.hr.models.views import LeaveTypeView

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import LeaveType


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WEEKEND = "fri,sat"


def weekend_days(session: Session) -> frozenset[int]:
    """Weekday numbers (Monday 0) of the weekend, from the ``hr.weekend`` setting."""
    from bo_console.core import settings

    text = settings.get(session, "hr.weekend") or DEFAULT_WEEKEND
    return frozenset(WEEKDAYS.index(d.strip()[:3].lower()) for d in text.split(",") if d.strip())


def working_days(start: date, end: date, weekend: frozenset[int]) -> int:
    """Days from ``start`` to ``end`` inclusive that are not weekend days."""
    total = 0
    day = start
    while day <= end:
        if day.weekday() not in weekend:
            total += 1
        day += timedelta(days=1)
    return total


def monthly_accrual(yearly: int, month: int) -> int:
    """Hundredths of a day accrued in ``month`` for a yearly entitlement (in hundredths).

    Eleven months get a twelfth rounded half up; December gets the rest, so a full year adds up
    to the entitlement exactly.
    """
    twelfth = int((Decimal(yearly) / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return yearly - 11 * twelfth if month == 12 else twelfth


# -- leave types ------------------------------------------------------------------------------


def add_leave_type(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    name_ar: str = "",
    paid: bool = True,
    yearly_days: int = 0,
) -> LeaveType:
    """Create a leave type; ``yearly_days`` (hundredths) above zero accrues and keeps a balance."""
    from sqlmodel import select

    from bo_console.hr.models import LeaveType

    actor.require("hr.manage", "create leave types")
    code = clean(code).upper()
    if not code or len(code) > 16 or not code.replace("-", "").replace("_", "").isalnum():
        raise ValidationFailed(f"invalid leave type code {code!r}")
    if session.exec(select(LeaveType).where(LeaveType.code == code)).first() is not None:
        raise RuleViolation(f"leave type {code} already exists")
    name = clean(name)
    if not name or len(name) > 120:
        raise ValidationFailed("a leave type needs a name of up to 120 characters")
    if not 0 <= yearly_days <= 366 * 100:
        raise ValidationFailed("the yearly entitlement is 0 to 366 days")
    if yearly_days and not paid:
        raise ValidationFailed("unpaid leave has no entitlement to accrue")
    row = LeaveType(
        code=code, name=name, name_ar=clean(name_ar), paid=paid, yearly_days=yearly_days
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="leave_type",
        entity_id=code,
        changes={"name": (None, name), "paid": (None, paid), "yearly_days": (None, yearly_days)},
    )
    return row


def leave_type(session: Session, code: str) -> LeaveType:
    """The leave type with this code.

    Raises:
        NotFound: there is none.
    """
    from sqlmodel import select

    from bo_console.hr.models import LeaveType

    row = session.exec(select(LeaveType).where(LeaveType.code == code.strip().upper())).first()
    if row is None:
        raise NotFound(f"no leave type {code!r} (see `bo hr leave types`)")
    return row


def list_leave_types(session: Session, actor: Actor) -> list[LeaveTypeView]:
    """Every leave type."""
    from bo_console.hr.service import lists

    return [LeaveTypeView(**r.record()) for r in lists.list_leave_types(session, actor)]
