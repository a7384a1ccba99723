"""Stock-takes: a physical check of the assets at a location against the register.

IT starts one for a location (or for every location), scans each tag it finds (a barcode
scanner types the tag and Enter), and closes it: the result lists what the register expected
and nobody found, and what was found though the register has it elsewhere or disposed. A
stock-take changes no asset; it is the evidence for the moves and write-offs that follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import NotFound, RuleViolation
from bo_console.core.text import clean
from bo_console.it.assets import asset_by_tag
from bo_console.it.common import now
from bo_console.it.models import Asset, Stocktake, StocktakeScan
from bo_console.it.work_lists import StocktakeLine as StocktakeLine
from bo_console.it.work_lists import StocktakeView as StocktakeView
from bo_console.it.work_lists import (
    get_stocktake,
    parse_stocktake_ref,
    stocktake_ref,
    stocktake_result,
)
from bo_console.it.work_lists import list_stocktakes as list_stocktakes

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor

OUTCOMES = ("found", "again", "elsewhere", "disposed")
"""What a scan says: found where expected, already counted, registered at another location,
or disposed in the register."""


@dataclass(frozen=True)
class ScanResult:
    tag: str
    outcome: str
    message: str


def _get(session: Session, ref: str | int) -> Stocktake:
    take = session.get(Stocktake, parse_stocktake_ref(ref))
    if take is None:
        raise NotFound(f"no stock-take {ref}")
    return take


def start(session: Session, actor: Actor, location: str = "") -> StocktakeView:
    """Start a stock-take of ``location`` (empty: every location), or carry on with the one
    still open there (it.write)."""
    from sqlalchemy import func
    from sqlmodel import col, select

    actor.require("it.write", "take stock of assets")
    location = clean(location)[:80]
    open_one = session.exec(
        select(Stocktake).where(
            Stocktake.status == "open", func.upper(col(Stocktake.location)) == location.upper()
        )
    ).first()
    if open_one is not None:
        return get(session, actor, int(open_one.id or 0))
    take = Stocktake(location=location, started_at=now(), started_by=actor.login)
    session.add(take)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="stocktake",
        entity_id=stocktake_ref(int(take.id or 0)),
        changes={"location": (None, location or "every location")},
    )
    return get(session, actor, int(take.id or 0))


def scan(session: Session, actor: Actor, ref: str | int, tag: str) -> ScanResult:
    """Count the asset with ``tag`` as seen (it.write); scanning it again changes nothing.

    Raises:
        NotFound: no asset has the tag (the clerk writes it down and registers it).
        RuleViolation: the stock-take is closed.
    """
    from sqlmodel import select

    actor.require("it.write", "take stock of assets")
    take = _get(session, ref)
    if take.status != "open":
        raise RuleViolation(f"stock-take {stocktake_ref(int(take.id or 0))} is closed")
    asset = asset_by_tag(session, tag)
    seen = session.exec(
        select(StocktakeScan).where(
            StocktakeScan.stocktake_id == take.id, StocktakeScan.asset_id == asset.id
        )
    ).first()
    if seen is not None:
        return ScanResult(asset.tag, "again", f"{asset.tag} was already counted")
    session.add(
        StocktakeScan(
            stocktake_id=int(take.id or 0),
            asset_id=int(asset.id or 0),
            scanned_at=now(),
            scanned_by=actor.login,
        )
    )
    session.flush()
    outcome = _result(take, asset)
    audit.record(
        session,
        actor,
        action="scan",
        entity="stocktake",
        entity_id=stocktake_ref(int(take.id or 0)),
        changes={"asset": (None, asset.tag), "outcome": (None, outcome)},
    )
    message = {
        "found": f"{asset.tag} found ({asset.model})",
        "elsewhere": f"{asset.tag} found here; the register has it at "
        f"{asset.location or 'no location'}",
        "disposed": f"{asset.tag} found, but the register has it disposed",
    }[outcome]
    return ScanResult(asset.tag, outcome, message)


def _result(take: Stocktake, asset: Asset) -> str:
    return stocktake_result(take.location, asset.status, asset.location)


def get(db: Reads, actor: Actor, ref: str | int) -> StocktakeView:
    """A stock-take with what it found and what is still missing (it.read; through a
    session or a Reader)."""
    return get_stocktake(db, actor, ref)


def close(session: Session, actor: Actor, ref: str | int) -> StocktakeView:
    """Close a stock-take (it.write): no more scans; what it expected and found are kept
    with it, and the audit trail names every asset missing.

    Raises:
        RuleViolation: it is already closed.
    """
    actor.require("it.write", "take stock of assets")
    take = _get(session, ref)
    if take.status != "open":
        raise RuleViolation(f"stock-take {stocktake_ref(int(take.id or 0))} is already closed")
    view = get(session, actor, ref)
    take.status, take.closed_at, take.closed_by = "closed", now(), actor.login
    take.expected, take.found = view.expected, view.found
    session.add(take)
    session.flush()
    audit.record(
        session,
        actor,
        action="close",
        entity="stocktake",
        entity_id=view.ref,
        changes={
            "status": ("open", "closed"),
            "expected": (None, view.expected),
            "found": (None, view.found),
            "missing": (None, [line.tag for line in view.missing]),
        },
    )
    return get(session, actor, ref)
