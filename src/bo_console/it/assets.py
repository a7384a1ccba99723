"""The asset register: registering, checking out to employees and back in, repair,
retirement, and the custodian history.

IT reads (``it.read``) and works (``it.write``) the register; disposal and the monthly
depreciation, which post to the ledger, are in :mod:`bo_console.it.ledger`; the view of one
asset is read in :mod:`bo_console.it.asset_view`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import FieldError, NotFound, RuleViolation, ValidationFailed
from bo_console.core.text import clean
from bo_console.it import asset_view
from bo_console.it.asset_view import AssetView as AssetView
from bo_console.it.asset_view import CustodyView as CustodyView
from bo_console.it.common import employee, employees_by_id, now, validated
from bo_console.it.lists import AssetFilter as AssetFilter
from bo_console.it.lists import AssetRow as AssetRow
from bo_console.it.lists import list_assets as list_assets
from bo_console.it.models import (
    ASSET_STATUSES,
    Asset,
    AssetCategory,
    AssetCreate,
    AssetUpdate,
    Assignment,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

STATUS_MOVES: dict[str, frozenset[str]] = {
    "in_stock": frozenset({"in_repair", "retired"}),
    "in_repair": frozenset({"in_stock", "retired"}),
    "retired": frozenset({"in_stock"}),
}
"""Status changes made with :func:`set_status` (check-out, check-in and disposal have their
own functions)."""


def asset_by_tag(session: Session, tag: str) -> Asset:
    """The asset with this tag (what a scanner types).

    Raises:
        NotFound: no such tag.
    """
    from sqlmodel import select

    key = tag.strip().upper()
    asset = session.exec(select(Asset).where(Asset.tag == key)).first()
    if asset is None:
        raise NotFound(f"no asset with tag {tag.strip()!r}")
    return asset


def tag_of(session: Session, asset_id: int) -> str:
    asset = session.get(Asset, asset_id)
    return asset.tag if asset is not None else ""


def _open_assignments(session: Session, asset_ids: list[int]) -> dict[int, Assignment]:
    from sqlmodel import col, select

    if not asset_ids:
        return {}
    rows = session.exec(
        select(Assignment).where(
            col(Assignment.asset_id).in_(asset_ids), col(Assignment.returned_at).is_(None)
        )
    ).all()
    return {r.asset_id: r for r in rows}


def get_asset(db: Reads, actor: Actor, tag: str) -> AssetView:
    """One asset with its custodian history and book value (it.read; through a session or a
    Reader)."""
    return asset_view.get_asset(db, actor, tag)


# -- registering --------------------------------------------------------------------------------


def check_new_asset(
    session: Session, data: AssetCreate, row: int | None = None
) -> list[FieldError]:
    """Why ``data`` cannot be registered (taken tag or serial, unknown category)."""
    from sqlmodel import select

    errors = []
    if session.exec(select(Asset.id).where(Asset.tag == data.tag)).first() is not None:
        errors.append(FieldError("tag", f"{data.tag} is already registered", row))
    if session.exec(select(Asset.id).where(Asset.serial == data.serial)).first() is not None:
        errors.append(FieldError("serial", f"{data.serial} is already registered", row))
    if session.get(AssetCategory, data.category) is None:
        codes = ", ".join(session.exec(select(AssetCategory.code)).all())
        errors.append(FieldError("category", f"unknown category (one of: {codes})", row))
    if data.warranty_end and data.purchase_date and data.warranty_end < data.purchase_date:
        errors.append(FieldError("warranty_end", "is before the purchase date", row))
    return errors


def add_asset(session: Session, actor: Actor, data: AssetCreate) -> AssetView:
    """Register an asset, in stock (it.write).

    Raises:
        ValidationFailed: a bad field, or a tag or serial already registered.
    """
    actor.require("it.write", "register assets")
    data = validated(AssetCreate, data)
    errors = check_new_asset(session, data)
    if errors:
        raise ValidationFailed("; ".join(str(e) for e in errors), errors)
    insert_asset(session, actor, data)
    return get_asset(session, actor, data.tag)


def insert_asset(session: Session, actor: Actor, data: AssetCreate, **extra: object) -> Asset:
    """Insert an already checked asset, audited (also used by imports and the demo)."""
    asset = Asset(**data.model_dump(), created_at=now(), **extra)  # type: ignore[arg-type]
    session.add(asset)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="asset",
        entity_id=asset.tag,
        changes={k: (None, v) for k, v in data.model_dump().items()},
    )
    return asset


def insert_assets(
    session: Session, actor: Actor, assets: Sequence[tuple[AssetCreate, dict[str, object]]]
) -> None:
    """:func:`insert_asset` for many already checked assets (each with its extra fields) at
    once: one statement for the assets and one for their audit rows, in the same order."""
    from bo_console.core.engine import insert_all

    created = now()
    insert_all(
        session,
        [Asset(**data.model_dump(), created_at=created, **extra) for data, extra in assets],  # type: ignore[arg-type]
    )
    audit.record_many(
        session,
        [
            audit.Entry(
                actor,
                "create",
                "asset",
                data.tag,
                {k: (None, v) for k, v in data.model_dump().items()},
            )
            for data, _ in assets
        ],
    )


def update_asset(session: Session, actor: Actor, tag: str, data: AssetUpdate) -> AssetView:
    """Change an asset's model, location, warranty end or supplier (it.write)."""
    actor.require("it.write", "change assets")
    data = validated(AssetUpdate, data)
    asset = asset_by_tag(session, tag)
    changes: dict[str, tuple[object, object]] = {}
    for name, value in data.model_dump(exclude_none=True).items():
        value = clean(value) if isinstance(value, str) else value
        if getattr(asset, name) != value:
            changes[name] = (getattr(asset, name), value)
            setattr(asset, name, value)
    if changes:
        session.add(asset)
        audit.record(
            session, actor, action="update", entity="asset", entity_id=asset.tag, changes=changes
        )
    return get_asset(session, actor, asset.tag)


# -- custody ------------------------------------------------------------------------------------


def check_out(
    session: Session, actor: Actor, tag: str, employee_number: str, *, note: str = ""
) -> AssetView:
    """Hand an asset in stock to an employee (it.write).

    Raises:
        RuleViolation: the asset is not in stock (already out, in repair, retired, disposed),
            or the employee is terminated.
    """
    actor.require("it.write", "check assets out")
    asset = asset_by_tag(session, tag)
    person = employee(session, employee_number)
    if asset.status == "assigned":
        holder = _open_assignments(session, [int(asset.id or 0)]).get(int(asset.id or 0))
        who = employees_by_id(session, {holder.employee_id}) if holder else {}
        name = who[holder.employee_id].number if holder and holder.employee_id in who else "?"
        raise RuleViolation(f"{asset.tag} is already checked out to {name}; check it in first")
    if asset.status != "in_stock":
        raise RuleViolation(
            f"{asset.tag} is {asset.status.replace('_', ' ')}; only assets in stock are checked out"
        )
    if person.terminated:
        raise RuleViolation(
            f"{person.number} {person.name} is terminated; nothing is checked out to a leaver"
        )
    note = clean(note)[:200]
    session.add(
        Assignment(
            asset_id=int(asset.id or 0),
            employee_id=person.id,
            out_at=now(),
            out_by=actor.login,
            note=note,
        )
    )
    asset.status = "assigned"
    session.add(asset)
    session.flush()
    audit.record(
        session,
        actor,
        action="check_out",
        entity="asset",
        entity_id=asset.tag,
        changes={"status": ("in_stock", "assigned"), "custodian": (None, person.number)},
    )
    return get_asset(session, actor, asset.tag)


def check_in(session: Session, actor: Actor, tag: str, *, location: str | None = None) -> AssetView:
    """Take an asset back from its custodian into stock (it.write).

    Raises:
        RuleViolation: the asset is not checked out.
    """
    actor.require("it.write", "check assets in")
    asset = asset_by_tag(session, tag)
    holder = _open_assignments(session, [int(asset.id or 0)]).get(int(asset.id or 0))
    if holder is None:
        raise RuleViolation(f"{asset.tag} is not checked out")
    holder.returned_at = now()
    holder.returned_by = actor.login
    session.add(holder)
    asset.status = "in_stock"
    changes: dict[str, tuple[object, object]] = {"status": ("assigned", "in_stock")}
    if location is not None and clean(location) != asset.location:
        changes["location"] = (asset.location, clean(location))
        asset.location = clean(location)[:80]
    session.add(asset)
    session.flush()
    person = employees_by_id(session, {holder.employee_id}).get(holder.employee_id)
    changes["custodian"] = (person.number if person else holder.employee_id, None)
    audit.record(
        session, actor, action="check_in", entity="asset", entity_id=asset.tag, changes=changes
    )
    return get_asset(session, actor, asset.tag)


def set_status(session: Session, actor: Actor, tag: str, status: str) -> AssetView:
    """Send an asset to repair, back to stock, or retire it (it.write)."""
    actor.require("it.write", "change asset status")
    asset = asset_by_tag(session, tag)
    if status not in ASSET_STATUSES:
        raise ValidationFailed(f"unknown status {status!r} (one of: {', '.join(ASSET_STATUSES)})")
    if status not in STATUS_MOVES.get(asset.status, frozenset()):
        if asset.status == "assigned":
            raise RuleViolation(f"{asset.tag} is checked out; check it in first")
        raise RuleViolation(
            f"{asset.tag} is {asset.status.replace('_', ' ')}; "
            f"it cannot become {status.replace('_', ' ')}"
        )
    before = asset.status
    asset.status = status
    session.add(asset)
    audit.record(
        session,
        actor,
        action="status",
        entity="asset",
        entity_id=asset.tag,
        changes={"status": (before, status)},
    )
    return get_asset(session, actor, asset.tag)


def asset_actions(view: AssetView, actor: Actor) -> frozenset[str]:
    """What ``actor`` may do to the asset now: ``check_out``, ``check_in`` or a status it may
    move to (:data:`STATUS_MOVES`); the functions that do them check again."""
    if not actor.can("it.write"):
        return frozenset()
    status = view.row.status
    if status == "in_stock":
        return frozenset({"check_out"} | STATUS_MOVES[status])
    if status == "assigned":
        return frozenset({"check_in"})
    return STATUS_MOVES.get(status, frozenset())


def holdings(session: Session, employee_id: int) -> list[str]:
    """What an employee holds: asset tags and licence products (for offboarding)."""
    from sqlmodel import col, select

    from bo_console.it.models import Licence, Seat

    tags = session.exec(
        select(Asset.tag)
        .join(Assignment, col(Assignment.asset_id) == col(Asset.id))
        .where(Assignment.employee_id == employee_id, col(Assignment.returned_at).is_(None))
        .order_by(col(Asset.tag))
    ).all()
    products = session.exec(
        select(Licence.product)
        .join(Seat, col(Seat.licence_id) == col(Licence.id))
        .where(Seat.employee_id == employee_id, col(Seat.released_at).is_(None))
        .order_by(col(Licence.product))
    ).all()
    return [f"asset {t}" for t in tags] + [f"licence {p}" for p in products]
