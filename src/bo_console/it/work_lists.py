"""IT's work lists as plain SQL over a Reader or a session: onboarding and offboarding items
with their checklists, stock-takes, and the SLA calendar and targets.

``bo it boarding list``, ``bo it stocktake list``, ``bo it stocktake show`` and ``bo it sla
show`` read through the
standard library's ``sqlite3`` (:mod:`bo_console.core.reading`): this module imports neither
SQLAlchemy nor pydantic nor IT's table models. The services that tick, complete and close call
the same functions with their sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound, ValidationFailed
from bo_console.core.lookups import day_of, moment_of, setting_of
from bo_console.core.reading import reader_of
from bo_console.it import calendar as cal
from bo_console.it.codes import PRIORITIES
from bo_console.it.sla_state import Target

if TYPE_CHECKING:
    from bo_console.core.reading import Reader, Reads
    from bo_console.core.security import Actor

# -- onboarding and offboarding -----------------------------------------------------------------

KINDS = ("onboarding", "offboarding")
STEPS: dict[str, tuple[str, ...]] = {
    "onboarding": ("account", "equipment", "licences"),
    "offboarding": ("access",),
}
"""Steps IT ticks off; an offboarding's equipment and seats are checked from what the leaver
still holds, not ticked."""


@dataclass(frozen=True)
class BoardingView:
    item_id: int
    kind: str
    employee: str
    subject: str
    due_date: date | None
    status: str
    steps: list[tuple[str, bool]]
    holds: list[str]


def holdings(db: Reads, employee_id: int) -> list[str]:
    """What an employee holds: asset tags and licence products (for offboarding)."""
    reader = reader_of(db)
    tags = reader.rows(
        "SELECT a.tag FROM it_asset a JOIN it_assignment s ON s.asset_id = a.id"
        " WHERE s.employee_id = :employee AND s.returned_at IS NULL ORDER BY a.tag",
        {"employee": employee_id},
    )
    products = reader.rows(
        "SELECT l.product FROM it_licence l JOIN it_seat s ON s.licence_id = l.id"
        " WHERE s.employee_id = :employee AND s.released_at IS NULL ORDER BY l.product",
        {"employee": employee_id},
    )
    return [f"asset {t[0]}" for t in tags] + [f"licence {p[0]}" for p in products]


def _holds(reader: Reader, kind: str, ref_entity: str | None, ref_id: str | None) -> list[str]:
    if kind != "offboarding" or ref_entity != "employee" or not ref_id:
        return []
    employee_id = reader.scalar(
        "SELECT id FROM hr_employee WHERE number = :number", {"number": ref_id.strip().upper()}
    )
    return [] if employee_id is None else holdings(reader, int(employee_id))


def boarding_views(db: Reads, item_ids: list[int]) -> list[BoardingView]:
    """The checklist views of these work items, in the order given (no permission check)."""
    if not item_ids:
        return []
    reader = reader_of(db)
    items = {
        int(r[0]): r
        for r in reader.rows(
            "SELECT id, kind, ref_entity, ref_id, subject, due_date, status FROM work_item"
            " WHERE id IN :ids",
            {"ids": item_ids},
        )
    }
    done: dict[int, set[str]] = {}
    for item_id, step in reader.rows(
        "SELECT work_item_id, step FROM it_checklist_step WHERE work_item_id IN :ids",
        {"ids": item_ids},
    ):
        done.setdefault(int(item_id), set()).add(str(step))
    views: list[BoardingView] = []
    for item_id in item_ids:
        _, kind, ref_entity, ref_id, subject, due, status = items[item_id]
        ticked = done.get(item_id, set())
        views.append(
            BoardingView(
                item_id=item_id,
                kind=str(kind),
                employee=str(ref_id or ""),
                subject=str(subject),
                due_date=None if due is None else date.fromisoformat(str(due)[:10]),
                status=str(status),
                steps=[(step, step in ticked) for step in STEPS[str(kind)]],
                holds=_holds(reader, str(kind), ref_entity, ref_id),
            )
        )
    return views


def list_boarding(db: Reads, actor: Actor, *, status: str = "open") -> list[BoardingView]:
    """Onboarding and offboarding items in the IT inbox (it.read), soonest due first."""
    from bo_console.core.inbox_list import item_rows

    actor.require("it.read", "read onboarding and offboarding")
    rows = item_rows(db, actor, dept="it", status=status, limit=2000)
    return boarding_views(db, [r.id for r in rows if r.kind in KINDS])


# -- stock-takes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StocktakeLine:
    """An asset in a stock-take's result."""

    tag: str
    model: str
    location: str
    status: str
    result: str  # found, missing, elsewhere, disposed


@dataclass(frozen=True)
class StocktakeView:
    id: int
    ref: str
    location: str
    status: str
    started_at: datetime
    started_by: str
    closed_at: datetime | None
    expected: int
    found: int
    lines: list[StocktakeLine]

    @property
    def missing(self) -> list[StocktakeLine]:
        return [line for line in self.lines if line.result == "missing"]

    @property
    def surprises(self) -> list[StocktakeLine]:
        """Found, but the register has them elsewhere or disposed."""
        return [line for line in self.lines if line.result in ("elsewhere", "disposed")]


def stocktake_ref(take_id: int) -> str:
    return f"ST{take_id:05d}"


def list_stocktakes(db: Reads, actor: Actor, limit: int = 50) -> list[StocktakeView]:
    """Stock-takes, newest first, without their lines (it.read)."""
    actor.require("it.read", "see stock-takes")
    rows = reader_of(db).rows(
        "SELECT id, location, status, started_at, started_by, closed_at, expected, found"
        " FROM it_stocktake ORDER BY id DESC LIMIT :limit",
        {"limit": limit},
    )
    views: list[StocktakeView] = []
    for id_, location, status, started_at, started_by, closed_at, expected, found in rows:
        started = moment_of(started_at)
        assert started is not None  # NOT NULL column
        views.append(
            StocktakeView(
                id=int(id_),
                ref=stocktake_ref(int(id_)),
                location=str(location),
                status=str(status),
                started_at=started,
                started_by=str(started_by),
                closed_at=moment_of(closed_at),
                expected=int(expected),
                found=int(found),
                lines=[],
            )
        )
    return views


def parse_stocktake_ref(ref: str | int) -> int:
    """``ST00001``, ``1`` or 1 as a stock-take id."""
    text = str(ref).strip().upper().removeprefix("ST")
    if not text.isdigit():
        raise ValidationFailed(f"{ref!r} is not a stock-take (ST00001 or 1)")
    return int(text)


def stocktake_result(take_location: str, status: str, location: str) -> str:
    """What a scanned asset is to a stock-take of ``take_location`` (empty: every location):
    found, elsewhere (the register has it at another location) or disposed."""
    if status == "disposed":
        return "disposed"
    if take_location and location.upper() != take_location.upper():
        return "elsewhere"
    return "found"


def get_stocktake(db: Reads, actor: Actor, ref: str | int) -> StocktakeView:
    """A stock-take with what it found and what is still missing (it.read).

    Raises:
        PermissionDenied: without it.read.
        ValidationFailed: ``ref`` is no stock-take reference.
        NotFound: no such stock-take.
    """
    actor.require("it.read", "see stock-takes")
    reader = reader_of(db)
    take = reader.first(
        "SELECT id, location, status, started_at, started_by, closed_at, expected, found"
        " FROM it_stocktake WHERE id = :id",
        {"id": parse_stocktake_ref(ref)},
    )
    if take is None:
        raise NotFound(f"no stock-take {ref}")
    id_, location, status, started_at, started_by, closed_at, expected, found = take
    take_id, place = int(id_), str(location)
    scanned = reader.rows(
        "SELECT a.id, a.tag, a.model, a.location, a.status FROM it_asset a"
        " JOIN it_stocktake_scan s ON s.asset_id = a.id WHERE s.stocktake_id = :id",
        {"id": take_id},
    )
    # The assets the register expects the stock-take to find.
    sql = "SELECT id, tag, model, location, status FROM it_asset WHERE status <> 'disposed'"
    params: dict[str, object] = {}
    if place:
        sql += " AND upper(location) = :location"
        params["location"] = place.upper()
    in_scope = reader.rows(sql, params)
    seen = {int(a[0]) for a in scanned}
    lines = [
        StocktakeLine(tag, model, where, state, stocktake_result(place, state, where))
        for _, tag, model, where, state in scanned
    ] + [
        StocktakeLine(tag, model, where, state, "missing")
        for asset_id, tag, model, where, state in in_scope
        if int(asset_id) not in seen
    ]
    lines.sort(key=lambda line: (line.result != "missing", line.result, line.tag))
    started = moment_of(started_at)
    assert started is not None  # NOT NULL column
    closed = status == "closed"
    return StocktakeView(
        id=take_id,
        ref=stocktake_ref(take_id),
        location=place,
        status=str(status),
        started_at=started,
        started_by=str(started_by),
        closed_at=moment_of(closed_at),
        expected=int(expected) if closed else len(in_scope),
        found=int(found) if closed else sum(1 for a in in_scope if int(a[0]) in seen),
        lines=lines,
    )


# -- the SLA calendar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarView:
    days: str
    hours: str
    timezone: str
    holidays: list[tuple[date, str]]
    targets: list[Target]


def show_calendar(db: Reads, actor: Actor) -> CalendarView:
    """The working calendar and SLA targets (it.read)."""
    actor.require("it.read", "read the SLA calendar")
    reader = reader_of(db)
    holidays: list[tuple[date, str]] = []
    for day, name in reader.rows("SELECT day, name FROM it_holiday ORDER BY day"):
        found = day_of(day)
        assert found is not None  # NOT NULL column
        holidays.append((found, str(name)))
    found_targets = {
        str(priority): Target(str(priority), int(response), int(resolution))
        for priority, response, resolution in reader.rows(
            "SELECT priority, response_minutes, resolution_minutes FROM it_sla_target"
        )
    }
    return CalendarView(
        days=setting_of(reader, "it.calendar.days") or cal.DEFAULT_DAYS,
        hours=setting_of(reader, "it.calendar.hours") or cal.DEFAULT_HOURS,
        timezone=setting_of(reader, "it.calendar.timezone") or cal.DEFAULT_TIMEZONE,
        holidays=holidays,
        targets=[found_targets[p] for p in PRIORITIES if p in found_targets],
    )
