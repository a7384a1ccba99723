"""IT's part of ``bo demo``: about 600 assets (their cost and depreciation are the ledger's
IT equipment balances), most of them with a custodian; a year of tickets (about 3,000) with
realistic SLA outcomes, worked by the demo's IT staff; licences with seats; and the onboarding
of the demo's recent hires under way.

The last two weeks of tickets go through the real services. The year before them, the custody
hand-outs and the seats are written in bulk in the same transaction, row for row what those
services would have written (due times from :mod:`bo_console.it.sla`, history rows, audit rows
chained by :func:`bo_console.core.audit.record_many`), so the demo builds in seconds.

Runs after finance's demo, whose opening balances and monthly depreciation it ties to.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.audit import Entry
    from bo_console.core.security import Actor
    from bo_console.demo import DemoContext
    from bo_console.it.models import TicketCreate

MODELS = [
    ("LAPTOP", "Dell Latitude 5440", 5_200, 330),
    ("LAPTOP", "Lenovo ThinkPad T14", 5_800, 0),
    ("DESKTOP", "HP ProDesk 400", 3_400, 60),
    ("MONITOR", "Dell P2423 24in", 900, 140),
    ("PHONE", "iPhone 14", 3_600, 35),
    ("PRINTER", "HP LaserJet M428", 1_900, 15),
    ("NETWORK", "Cisco Catalyst 1000", 4_800, 12),
    ("SERVER", "Dell PowerEdge R650", 38_000, 8),
]
"""(category, model, list price in SAR, how many); the laptops split between two models."""

LOCATIONS = ["Riyadh HQ", "Riyadh HQ", "Riyadh HQ", "Dammam DC", "Jeddah branch"]
SUPPLIERS = ["Jarir Business", "Al Falak Electronics", "Dell Arabia", "STC Solutions"]

LICENCES = [
    ("Microsoft 365 Business Standard", "Microsoft", 180, date(2027, 3, 31), 146_000),
    ("Adobe Acrobat Pro", "Adobe", 25, date(2026, 12, 15), 21_000),
    ("Zoom Workplace", "Zoom", 40, date(2027, 6, 30), 9_500),
    ("AutoCAD LT", "Autodesk", 4, date(2027, 1, 20), 8_800),
    ("ESET Endpoint Security", "ESET", 220, date(2026, 12, 20), 16_500),
    ("Odoo Inventory (trial)", "Odoo", 5, date(2026, 12, 1), 0),
]

SUBJECTS = [
    ("hardware", "Laptop will not start"),
    ("hardware", "Docking station not detected"),
    ("software", "Excel crashes when opening the sales report"),
    ("software", "Need Adobe Acrobat installed"),
    ("access", "Password reset for the ERP"),
    ("access", "Access to the shared finance folder"),
    ("network", "Wi-Fi drops in the meeting room"),
    ("network", "VPN disconnects every few minutes"),
    ("email", "Outlook does not sync on my phone"),
    ("email", "Shared mailbox missing"),
    ("printing", "Printer on floor 2 jams"),
    ("printing", "Cannot print to the label printer"),
    ("other", "New keyboard please"),
]
PRIORITY_WEIGHTS = (("P1", 3), ("P2", 17), ("P3", 55), ("P4", 25))
TICKETS = 3_000
RIYADH = ZoneInfo("Asia/Riyadh")


def build(ctx: DemoContext) -> None:
    """Add IT's demo data (registered in ``departments.demo_builders``)."""
    rng = random.Random(20261126 + 14)
    session = ctx.session
    james, khalid = ctx.staff("james"), ctx.staff("khalid")
    staff = _active_employees(session)
    _holidays(ctx)
    tags = _assets(ctx, khalid, rng)
    _custody(ctx, khalid, tags, staff, rng)
    _licences(ctx, khalid, staff, rng)
    _tickets(ctx, james, khalid, tags, staff, rng)
    _boarding(ctx, khalid)
    for key in ("it.demo.employees", "it.demo.assets"):
        session.info.pop(key, None)


def _active_employees(session: Session) -> list[str]:
    from sqlalchemy import text

    rows = session.execute(
        text("SELECT number FROM hr_employee WHERE status = 'active' ORDER BY number")
    ).all()
    return [str(r[0]) for r in rows]


def _holidays(ctx: DemoContext) -> None:
    from bo_console.it import service

    for day, name in (
        (date(2026, 2, 22), "Founding Day"),
        (date(2026, 3, 19), "Eid al-Fitr"),
        (date(2026, 3, 22), "Eid al-Fitr"),
        (date(2026, 5, 26), "Eid al-Adha"),
        (date(2026, 5, 27), "Eid al-Adha"),
        (date(2026, 9, 23), "National Day"),
    ):
        service.add_holiday(ctx.session, ctx.staff("james"), day, name)


def _balance(session: Session, code: str) -> int:
    from bo_console.finance import service

    account = service.load_chart(session).find(code)
    return service.posted_balance(session, int(account.id or 0)) if account else 0


def _assets(ctx: DemoContext, khalid: Actor, rng: random.Random) -> list[str]:
    """Register the assets; their costs share the ledger's IT equipment balance, and their
    depreciation so far the accumulated depreciation's."""
    from bo_console.core.money import allocate
    from bo_console.it.assets import insert_assets
    from bo_console.it.ledger import account
    from bo_console.it.models import AssetCreate

    session = ctx.session
    plan = [(cat, model, price) for cat, model, price, n in MODELS for _ in range(n)]
    cost_total = _balance(session, account(session, "cost"))
    charged_total = -_balance(session, account(session, "accumulated"))
    costs = allocate(cost_total, [price for _, _, price in plan])
    ages = [rng.randint(1, 34) for _ in plan]  # months in service
    charged = allocate(charged_total, [c * a for c, a in zip(costs, ages, strict=True)])
    tags = []
    assets: list[tuple[AssetCreate, dict[str, object]]] = []
    for n, ((cat, model, _), cost, age, done) in enumerate(
        zip(plan, costs, ages, charged, strict=True), start=1
    ):
        bought = ctx.today - timedelta(days=30 * age + rng.randint(0, 20))
        tag = f"{cat[:2]}-{n:04d}"
        data = AssetCreate(
            tag=tag,
            serial=f"{cat[:1]}{rng.randrange(16**8):08X}{n:03d}",
            model=model,
            category=cat,
            location=rng.choice(LOCATIONS),
            purchase_date=bought,
            cost=cost,
            warranty_end=bought + timedelta(days=365 * (3 if cat in ("LAPTOP", "SERVER") else 1)),
            supplier=rng.choice(SUPPLIERS),
        )
        extra: dict[str, object] = {
            "capitalised_by": "opening",
            "in_service": bought,
            "opening_depreciation": min(done, cost),
        }
        assets.append((data, extra))
        tags.append(tag)
    insert_assets(session, khalid, assets)
    return tags


def _custody(
    ctx: DemoContext, khalid: Actor, tags: list[str], staff: list[str], rng: random.Random
) -> None:
    """Hand most laptops, phones, monitors and desktops out, as ``check_out`` would (its
    assignment rows and audit rows, written at once), and put a few assets in repair."""
    from sqlalchemy import insert, update
    from sqlmodel import col

    from bo_console.core.audit import Entry, record_many
    from bo_console.it import service
    from bo_console.it.common import now
    from bo_console.it.models import Asset, Assignment

    session = ctx.session
    people = list(staff)
    rng.shuffle(people)
    handed = [t for t in tags if t[:2] in ("LA", "PH", "MO", "DE")]
    out = [
        (tag, number) for tag, number in zip(handed, people * 3, strict=False) if rng.random() < 0.9
    ]
    at = now()
    asset_ids = [_asset_id(ctx, tag) for tag, _ in out]
    session.flush()
    session.execute(
        insert(Assignment),
        [
            {
                "asset_id": asset_id,
                "employee_id": _employee_id(ctx, number),
                "out_at": at,
                "out_by": khalid.login,
                "note": "",
            }
            for asset_id, (_, number) in zip(asset_ids, out, strict=True)
        ],
    )
    session.execute(
        update(Asset)
        .where(col(Asset.id).in_(asset_ids), col(Asset.status) == "in_stock")
        .values(status="assigned")
        .execution_options(synchronize_session=False)
    )
    session.expire_all()  # the assets loaded so far still say in stock
    record_many(
        session,
        [
            Entry(
                khalid,
                "check_out",
                "asset",
                tag,
                {"status": ("in_stock", "assigned"), "custodian": (None, number)},
            )
            for tag, number in out
        ],
    )
    for tag in rng.sample(tags, 12):
        asset = service.asset_by_tag(ctx.session, tag)
        if asset.status == "in_stock":
            service.set_status(ctx.session, khalid, tag, "in_repair")


def _licences(ctx: DemoContext, khalid: Actor, staff: list[str], rng: random.Random) -> None:
    """The licences, and most of their seats given out as ``assign_seat`` would (seat rows and
    audit rows, written at once per licence)."""
    from sqlalchemy import insert

    from bo_console.core.audit import Entry, record_many
    from bo_console.it import service
    from bo_console.it.common import now
    from bo_console.it.models import Seat

    session = ctx.session
    for product, vendor, seats, renewal, cost in LICENCES:
        view = service.add_licence(
            session,
            khalid,
            service.LicenceCreate(
                product=product,
                vendor=vendor,
                seats=seats,
                renewal_date=renewal,
                cost=cost * 100,
                key=f"{vendor[:3].upper()}-{rng.randrange(10**8):08d}",
            ),
        )
        holders = rng.sample(staff, min(len(staff), seats - seats // 8))
        if not holders:
            continue
        at = now()
        session.flush()
        session.execute(
            insert(Seat),
            [
                {
                    "licence_id": view.row.id,
                    "employee_id": _employee_id(ctx, number),
                    "asset_id": None,
                    "assigned_at": at,
                    "assigned_by": khalid.login,
                }
                for number in holders
            ],
        )
        record_many(
            session,
            [
                Entry(khalid, "assign_seat", "licence", view.row.id, {"holder": (None, number)})
                for number in holders
            ],
        )


LIVE_DAYS = 14
"""Tickets raised in the last LIVE_DAYS days are worked through the services, as a clerk would;
the year before them is written in bulk with the same outcomes, history and audit rows."""


@dataclass
class _Past:
    """What is written for the year of tickets before the live ones."""

    tickets: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    audit: list[Entry] = field(default_factory=list)


def _tickets(
    ctx: DemoContext,
    james: Actor,
    khalid: Actor,
    tags: list[str],
    staff: list[str],
    rng: random.Random,
) -> None:
    """A year of tickets: raised in working hours, most answered and resolved in time, some
    late, the last few weeks' still open; then the escalation job as cron would run it."""
    from bo_console.it import service
    from bo_console.it.common import clock_at

    session = ctx.session
    requesters = [
        ctx.staff(login)
        for login in ("layla", "omar", "sara", "fahad", "noura", "maria", "yousef", "hana", "david")
    ]
    workers = [khalid, james]
    start = datetime.combine(ctx.today - timedelta(days=365), time(5, 0), tzinfo=UTC)
    live_from = ctx.today - timedelta(days=LIVE_DAYS)
    priorities = [p for p, w in PRIORITY_WEIGHTS for _ in range(w)]
    past: _Past | None = _Past()
    next_id = _next_ticket_id(session)
    for n in range(TICKETS):
        opened = start + timedelta(minutes=int(n * 365 * 24 * 60 / TICKETS) + rng.randint(0, 90))
        if opened.astimezone(RIYADH).weekday() in (4, 5):  # nobody raises tickets at weekends
            opened += timedelta(days=2)
        category, subject = rng.choice(SUBJECTS)
        for_employee = rng.choice(staff) if rng.random() < 0.15 else None
        requester = khalid if for_employee else rng.choice(requesters)
        data = service.TicketCreate(
            subject=subject,
            category=category,
            priority=rng.choice(priorities),
            for_employee=for_employee,
            asset=rng.choice(tags) if category == "hardware" else None,
        )
        if past is not None and opened.date() < live_from:
            _past_ticket(ctx, past, next_id, requester, data, opened, workers, rng)
            next_id += 1
            continue
        if past is not None:
            _write_past(session, past)
            past = None
        with clock_at(opened):
            view = service.raise_ticket(session, requester, data)
        ref, due = view.row.ref, view.row.resolution_due
        age = ctx.today - opened.date()
        if age.days < 2 and rng.random() < 0.6:
            continue  # brand new: nobody has looked yet
        worker = rng.choice(workers)
        late = rng.random() < 0.12
        taken = opened + timedelta(minutes=rng.randint(5, 50 if not late else 300))
        with clock_at(taken):
            service.assign(session, worker, ref)
        if age.days < 10 and rng.random() < 0.5:
            continue  # still being worked
        span = (due - opened) * (rng.uniform(1.1, 2.5) if late else rng.uniform(0.1, 0.9))
        with clock_at(taken + span):
            service.resolve(session, worker, ref, "Done: " + subject.lower())
        if rng.random() < 0.6 and age.days > 8:
            with clock_at(taken + span + timedelta(hours=rng.randint(1, 40))):
                service.close(session, requester, ref)
    if past is not None:
        _write_past(session, past)
    with clock_at(datetime.combine(ctx.today, time(6, 0), tzinfo=UTC)):
        service.escalate(session, james, limit=100_000)


def _next_ticket_id(session: Session) -> int:
    from sqlalchemy import func, select

    from bo_console.it.models import Ticket

    session.flush()
    return int(session.execute(select(func.max(Ticket.id))).scalar() or 0) + 1


def _past_ticket(
    ctx: DemoContext,
    past: _Past,
    ticket_id: int,
    requester: Actor,
    data: TicketCreate,
    opened: datetime,
    workers: list[Actor],
    rng: random.Random,
) -> None:
    """One ticket of the past year, as ``raise_ticket``, ``assign``, ``resolve`` and ``close``
    would have left it (the same random draws, due times, history and audit rows)."""
    from bo_console.core.audit import Entry
    from bo_console.core.text import clean
    from bo_console.it import sla
    from bo_console.it.tickets import ticket_ref

    session = ctx.session
    ref = ticket_ref(ticket_id)
    response_due, due = sla.due_times(session, data.priority, opened)
    employee_id = _employee_id(ctx, data.for_employee) if data.for_employee else None
    asset_id = _asset_id(ctx, data.asset) if data.asset else None
    row: dict[str, Any] = {
        "id": ticket_id,
        "subject": data.subject,
        "description": data.description,
        "category": data.category,
        "priority": data.priority,
        "requester": requester.login,
        "employee_id": employee_id,
        "asset_id": asset_id,
        "assignee": None,
        "status": "new",
        "opened_at": opened,
        "response_due": response_due,
        "resolution_due": due,
        "first_response_at": None,
        "resolved_at": None,
        "closed_at": None,
        "resolution_note": "",
        "reopened": 0,
    }
    past.tickets.append(row)
    _past_event(past, ticket_id, opened, requester, "new", data.subject)
    past.audit.append(
        Entry(
            requester,
            "create",
            "ticket",
            ref,
            {
                "subject": (None, data.subject),
                "category": (None, data.category),
                "priority": (None, data.priority),
                "employee": (None, data.for_employee),
                "asset": (None, data.asset),
            },
        )
    )
    worker = rng.choice(workers)
    late = rng.random() < 0.12
    taken = opened + timedelta(minutes=rng.randint(5, 50 if not late else 300))
    row.update(assignee=worker.login, first_response_at=taken, status="assigned")
    _past_event(past, ticket_id, taken, worker, "assigned", f"to {worker.login}")
    past.audit.append(Entry(worker, "assigned", "ticket", ref, {"status": ("new", "assigned")}))
    past.audit.append(Entry(worker, "assign", "ticket", ref, {"assignee": (None, worker.login)}))
    span = (due - opened) * (rng.uniform(1.1, 2.5) if late else rng.uniform(0.1, 0.9))
    note = clean("Done: " + data.subject.lower())
    resolved = taken + span
    row.update(resolution_note=note, resolved_at=resolved, status="resolved")
    _past_event(past, ticket_id, resolved, worker, "resolved", note)
    past.audit.append(
        Entry(worker, "resolved", "ticket", ref, {"status": ("assigned", "resolved")})
    )
    if rng.random() < 0.6 and (ctx.today - opened.date()).days > 8:
        closed = resolved + timedelta(hours=rng.randint(1, 40))
        row.update(closed_at=closed, status="closed")
        _past_event(past, ticket_id, closed, requester, "closed", "")
        past.audit.append(
            Entry(requester, "closed", "ticket", ref, {"status": ("resolved", "closed")})
        )


def _past_event(
    past: _Past, ticket_id: int, at: datetime, actor: Actor, action: str, detail: str
) -> None:
    past.events.append(
        {
            "ticket_id": ticket_id,
            "at": at,
            "actor": actor.login,
            "action": action,
            "detail": detail[:400],
        }
    )


def _employee_id(ctx: DemoContext, number: str) -> int:
    from bo_console.it.common import employee

    cache: dict[str, int] = ctx.session.info.setdefault("it.demo.employees", {})
    if number not in cache:
        cache[number] = int(employee(ctx.session, number).id or 0)
    return cache[number]


def _asset_id(ctx: DemoContext, tag: str) -> int:
    from bo_console.it.assets import asset_by_tag

    cache: dict[str, int] = ctx.session.info.setdefault("it.demo.assets", {})
    if tag not in cache:
        cache[tag] = int(asset_by_tag(ctx.session, tag).id or 0)
    return cache[tag]


def _write_past(session: Session, past: _Past) -> None:
    """Tickets, then their history, then their audit rows, in one go each."""
    from sqlalchemy import insert
    from sqlmodel import SQLModel

    from bo_console.core.audit import record_many
    from bo_console.core.db import advance_id_sequence

    tables = SQLModel.metadata.tables  # Core inserts: the ORM's bulk path costs twice as much
    session.flush()
    if past.tickets:
        session.execute(insert(tables["it_ticket"]), past.tickets)
        session.execute(insert(tables["it_ticket_event"]), past.events)
        for table in ("it_ticket", "it_ticket_event"):
            advance_id_sequence(session, table)
    record_many(session, past.audit)


def _boarding(ctx: DemoContext, khalid: Actor) -> None:
    """Start the onboarding of the demo's recent hires: accounts made for the first ones."""
    from bo_console.it import service

    for item in service.list_boarding(ctx.session, khalid)[:2]:
        if item.kind == "onboarding":
            service.tick(ctx.session, khalid, item.item_id, "account")
