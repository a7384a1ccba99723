"""Software licences: seats bought and assigned (to employees or assets), renewals, and the
renewal reminders the cron job puts into the IT inbox once per renewal date.

A licence key is confidential: only ``it.manage`` sees it, and every showing is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import NotFound, RuleViolation, ValidationFailed
from bo_console.it import licence_view
from bo_console.it.common import employee, now, validated
from bo_console.it.licence_view import LicenceView as LicenceView
from bo_console.it.licence_view import SeatView as SeatView
from bo_console.it.licence_view import parse_within as parse_within
from bo_console.it.lists import MASK as MASK
from bo_console.it.lists import LicenceRow as LicenceRow
from bo_console.it.lists import list_licences as list_licences
from bo_console.it.models import Licence, LicenceCreate, LicenceUpdate, Seat

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.jobs import Progress
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

PROGRESS_STEP = 25
"""Licences between two progress reports."""


def licence_by_ref(session: Session, ref: str | int) -> Licence:
    """A licence by id (``L7``, ``7``) or exact product name.

    Raises:
        NotFound: no such licence.
    """
    from sqlmodel import select

    text = str(ref).strip()
    digits = text.upper().removeprefix("L")
    licence = session.get(Licence, int(digits)) if digits.isdigit() else None
    if licence is None:
        licence = session.exec(select(Licence).where(Licence.product == text)).first()
    if licence is None:
        raise NotFound(f"no licence {text!r}")
    return licence


def _used(session: Session, ids: list[int]) -> dict[int, int]:
    from sqlmodel import col, func, select

    if not ids:
        return {}
    rows = session.exec(
        select(Seat.licence_id, func.count())
        .where(col(Seat.licence_id).in_(ids), col(Seat.released_at).is_(None))
        .group_by(col(Seat.licence_id))
    ).all()
    return {int(i): int(n) for i, n in rows}


def get_licence(db: Reads, actor: Actor, ref: str | int) -> LicenceView:
    """One licence with who holds its seats (it.read; through a session or a Reader, the
    unit of work's session when the actor sees keys)."""
    return licence_view.get_licence(db, actor, ref)


def add_licence(session: Session, actor: Actor, data: LicenceCreate) -> LicenceView:
    """Record a licence (it.write).

    Raises:
        ValidationFailed: bad fields, or the product and vendor are already recorded.
    """
    from sqlmodel import select

    actor.require("it.write", "record licences")
    data = validated(LicenceCreate, data)
    taken = session.exec(
        select(Licence.id).where(Licence.product == data.product, Licence.vendor == data.vendor)
    ).first()
    if taken is not None:
        raise ValidationFailed(
            f"{data.product} ({data.vendor or 'no vendor'}) is already recorded as L{taken}"
        )
    licence = Licence(**data.model_dump(), created_at=now())
    session.add(licence)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="licence",
        entity_id=licence.id or 0,
        changes={k: (None, v) for k, v in data.model_dump().items()},
        confidential=["key"],
    )
    return get_licence(session, actor, int(licence.id or 0))


def update_licence(
    session: Session, actor: Actor, ref: str | int, data: LicenceUpdate
) -> LicenceView:
    """Change seats, renewal date, cost or key (it.write); never fewer seats than assigned."""
    actor.require("it.write", "change licences")
    data = validated(LicenceUpdate, data)
    licence = licence_by_ref(session, ref)
    changes: dict[str, tuple[object, object]] = {}
    for name, value in data.model_dump(exclude_none=True).items():
        if getattr(licence, name) != value:
            changes[name] = (getattr(licence, name), value)
    if "seats" in changes:
        used = _used(session, [int(licence.id or 0)]).get(int(licence.id or 0), 0)
        if int(data.seats or 0) < used:
            raise RuleViolation(
                f"{used} seats of {licence.product} are assigned; release some first"
            )
    if "renewal_date" in changes:
        licence.notified_renewal = None
    for name, (_, value) in changes.items():
        setattr(licence, name, value)
    if changes:
        session.add(licence)
        session.flush()
        audit.record(
            session,
            actor,
            action="update",
            entity="licence",
            entity_id=licence.id or 0,
            changes=changes,
            confidential=["key"],
        )
    return get_licence(session, actor, int(licence.id or 0))


def _open_seat(
    session: Session, licence: Licence, employee_id: int | None, asset_id: int | None
) -> Seat | None:
    from sqlmodel import col, select

    return session.exec(
        select(Seat).where(
            Seat.licence_id == licence.id,
            Seat.employee_id == employee_id if employee_id else col(Seat.employee_id).is_(None),
            Seat.asset_id == asset_id if asset_id else col(Seat.asset_id).is_(None),
            col(Seat.released_at).is_(None),
        )
    ).first()


def _holder(
    session: Session, employee_number: str | None, asset_tag: str | None
) -> tuple[int | None, int | None, str]:
    from bo_console.it.assets import asset_by_tag

    if (employee_number is None) == (asset_tag is None):
        raise ValidationFailed("give an employee or an asset (one of them)")
    if employee_number is not None:
        person = employee(session, employee_number)
        if person.terminated:
            raise RuleViolation(f"{person.number} {person.name} is terminated")
        return person.id, None, person.number
    asset = asset_by_tag(session, asset_tag or "")
    if asset.status in ("retired", "disposed"):
        raise RuleViolation(f"{asset.tag} is {asset.status}")
    return None, asset.id, asset.tag


def assign_seat(
    session: Session,
    actor: Actor,
    ref: str | int,
    *,
    employee_number: str | None = None,
    asset_tag: str | None = None,
) -> LicenceView:
    """Give a seat to an employee or an asset (it.write).

    Raises:
        RuleViolation: every seat is taken, or the holder already has one.
    """
    actor.require("it.write", "assign licence seats")
    licence = licence_by_ref(session, ref)
    employee_id, asset_id, label = _holder(session, employee_number, asset_tag)
    if _open_seat(session, licence, employee_id, asset_id) is not None:
        raise RuleViolation(f"{label} already has a seat of {licence.product}")
    used = _used(session, [int(licence.id or 0)]).get(int(licence.id or 0), 0)
    if used >= licence.seats:
        raise RuleViolation(f"all {licence.seats} seats of {licence.product} are taken")
    session.add(
        Seat(
            licence_id=int(licence.id or 0),
            employee_id=employee_id,
            asset_id=asset_id,
            assigned_at=now(),
            assigned_by=actor.login,
        )
    )
    session.flush()
    audit.record(
        session,
        actor,
        action="assign_seat",
        entity="licence",
        entity_id=licence.id or 0,
        changes={"holder": (None, label)},
    )
    return get_licence(session, actor, int(licence.id or 0))


def release_seat(
    session: Session,
    actor: Actor,
    ref: str | int,
    *,
    employee_number: str | None = None,
    asset_tag: str | None = None,
) -> LicenceView:
    """Take a seat back (it.write)."""
    from bo_console.it.assets import asset_by_tag

    actor.require("it.write", "release licence seats")
    licence = licence_by_ref(session, ref)
    if (employee_number is None) == (asset_tag is None):
        raise ValidationFailed("give an employee or an asset (one of them)")
    if employee_number is not None:
        person = employee(session, employee_number)
        seat, label = _open_seat(session, licence, person.id, None), person.number
    else:
        asset = asset_by_tag(session, asset_tag or "")
        seat, label = _open_seat(session, licence, None, asset.id), asset.tag
    if seat is None:
        raise RuleViolation(f"{label} holds no seat of {licence.product}")
    seat.released_at = now()
    seat.released_by = actor.login
    session.add(seat)
    session.flush()
    audit.record(
        session,
        actor,
        action="release_seat",
        entity="licence",
        entity_id=licence.id or 0,
        changes={"holder": (label, None)},
    )
    return get_licence(session, actor, int(licence.id or 0))


def expiring(
    session: Session,
    actor: Actor,
    *,
    within_days: int,
    on: date,
    notify: bool = False,
    progress: Progress | None = None,
) -> tuple[list[LicenceRow], int]:
    """Licences whose renewal falls within ``within_days`` of ``on`` (overdue ones too), and
    with ``notify`` one IT inbox item per licence and renewal date (it.write); returns the
    rows and how many new items were made. ``progress`` hears ``(licences weighed, licences)``
    (at least one step)."""
    from sqlmodel import col, select

    from bo_console.core import inbox
    from bo_console.core.jobs import tell

    actor.require("it.read", "read licences")
    made = 0
    if notify:
        actor.require("it.write", "send renewal reminders")
        licences = list(
            session.exec(
                select(Licence)
                .where(
                    col(Licence.renewal_date).is_not(None),
                    col(Licence.renewal_date) <= on + timedelta(days=within_days),
                )
                .order_by(col(Licence.renewal_date))
            ).all()
        )
        for done, licence in enumerate(licences, 1):
            tell(progress, done, len(licences), step=PROGRESS_STEP)
            if licence.notified_renewal == licence.renewal_date:
                continue
            inbox.create_item(
                session,
                actor,
                from_dept="it",
                item=inbox.NewWorkItem(
                    to_dept="it",
                    kind="licence-renewal",
                    subject=f"Renew {licence.product} (L{licence.id}) by {licence.renewal_date}",
                    body=f"{licence.seats} seats from {licence.vendor or 'the vendor'}.",
                    ref_entity="licence",
                    ref_id=f"L{licence.id}",
                    due_date=licence.renewal_date,
                ),
            )
            licence.notified_renewal = licence.renewal_date
            session.add(licence)
            made += 1
        session.flush()
    rows = licence_view.renewals(session, actor, within_days=within_days, on=on)
    if not rows or not notify:
        tell(progress, 1, 1)
    return rows, made


@dataclass(frozen=True)
class RenewalNotice:
    """What a run of the renewal reminders did."""

    to_renew: int
    made: int

    @property
    def summary(self) -> str:
        """The run's one line (its job record, and what the faces say)."""
        return f"{self.to_renew:,} to renew, {self.made:,} new inbox items"


def run_renewal_notices(
    store: Store, actor: Actor, *, within_days: int, progress: Progress | None = None
) -> RenewalNotice:
    """:func:`expiring` with ``notify`` as the job ``it.licences.expiring`` (locked,
    recorded with its summary): what cron and the console run.

    Raises:
        Busy: another copy is running.
        PermissionDenied: the actor lacks it.write.
    """
    from bo_console.core.clock import today
    from bo_console.core.jobs import run_job

    day = today()
    with run_job(store, actor, "it.licences.expiring", key=str(day), force=True) as job:
        with store.write() as session:
            rows, made = expiring(
                session, actor, within_days=within_days, on=day, notify=True, progress=progress
            )
            notice = RenewalNotice(len(rows), made)
            job.complete(session, notice.summary)
    return notice
