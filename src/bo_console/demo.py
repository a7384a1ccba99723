"""The demo database: deterministic, realistic sample data (Arabic and Latin names).

``bo demo`` creates a new database (making the OS user its admin), then fills it in one
transaction. Departments add their own data through ``departments.demo_builders()``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bo_console.core.errors import Busy, RuleViolation

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.db import Store
    from bo_console.core.security import Actor, Identity

DEMO_DATE = date(2026, 11, 26)
"""The demo's "today": its documents and due dates are laid out around it."""

COMPANY = "Al Noor Trading Co. — شركة النور التجارية"

STAFF: list[tuple[str, str, tuple[str, ...]]] = [
    ("layla", "Layla Haddad", ("finance-manager",)),
    ("omar", "عمر الشهري", ("finance-clerk",)),
    ("sara", "Sara Williams", ("hr-manager",)),
    ("fahad", "فهد القحطاني", ("payroll-officer",)),
    ("noura", "نورة السبيعي", ("hr-clerk",)),
    ("james", "James O'Connor", ("it-manager",)),
    ("khalid", "خالد الدوسري", ("it-clerk",)),
    ("maria", "Maria Santos", ("logistics-manager",)),
    ("yousef", "يوسف الحربي", ("logistics-clerk",)),
    ("hana", "Hana Kim", ("data-manager",)),
    ("aisha", "عائشة المطيري", ("auditor",)),
    ("david", "David Chen", ("analyst",)),
    ("reem", "ريم الغامدي", ("finance-clerk",)),
]
"""Demo console users: (login, full name, roles). ``reem`` has left and is disabled."""


@dataclass
class DemoContext:
    """What each department's demo builder gets."""

    session: Session
    admin: Actor
    rng: random.Random
    today: date

    def staff(self, login: str) -> Actor:
        """Act as a demo staff member (their OS account is the one building the demo)."""
        from bo_console.core.security import Identity, actor_for_login

        return actor_for_login(
            self.session, login, Identity(os_user=self.admin.os_user, origin="demo")
        )


DemoBuilder = Callable[[DemoContext], None]
"""Adds one department's demo data."""

_WORK_ITEMS: list[tuple[str, str, str, str, str, int, str | None, str]] = [
    # from, to, kind, subject, body, due in days, assignee, status
    (
        "logistics",
        "finance",
        "general",
        "Supplier bill for PO-1043 (Gulf Packaging) to enter",
        "Goods received in full at Dammam warehouse.",
        7,
        "omar",
        "in_progress",
    ),
    (
        "finance",
        "hr",
        "general",
        "Payroll accrual for October differs by SAR 1,250",
        "Please confirm overtime inputs for the warehouse team.",
        3,
        None,
        "open",
    ),
    (
        "front",
        "logistics",
        "general",
        "Urgent delivery for customer Al Safa Hospital",
        "Two pallets of gloves, before Thursday.",
        2,
        "yousef",
        "open",
    ),
    ("it", "data", "general", "Monthly licence usage report", "", 10, None, "open"),
    (
        "data",
        "finance",
        "general",
        "12 customers without a tax number",
        "See the data-quality check 'parties.tax_number'.",
        14,
        None,
        "open",
    ),
    ("front", "hr", "general", "Training request: Excel for the sales team", "", 20, None, "open"),
    (
        "hr",
        "it",
        "onboarding",
        "Accounts for summer intern (Ali Hassan)",
        "",
        -20,
        "khalid",
        "done",
    ),
    (
        "finance",
        "it",
        "general",
        "Printer on floor 2 jams on cheque stock",
        "",
        -5,
        "james",
        "done",
    ),
]


def _core_demo(ctx: DemoContext) -> None:
    from bo_console.core import inbox, security

    for login, name, roles in STAFF:
        security.add_user(ctx.session, ctx.admin, login=login, roles=roles, full_name=name)
    security.set_active(ctx.session, ctx.admin, login="reem", active=False)
    senders = {
        "hr": "sara",
        "it": "james",
        "logistics": "maria",
        "finance": "layla",
        "data": "hana",
        "front": ctx.admin.login,
    }
    for sender, to, kind, subject, body, due_in, assignee, status in _WORK_ITEMS:
        actor = ctx.admin if sender == "front" else ctx.staff(senders[sender])
        item = inbox.create_item(
            ctx.session,
            actor,
            from_dept=sender,
            item=inbox.NewWorkItem(
                to_dept=to,
                kind=kind,
                subject=subject,
                body=body,
                due_date=ctx.today + timedelta(days=due_in),
            ),
        )
        assert item.id is not None
        if assignee:
            manager = ctx.staff(senders[to]) if to != "front" else ctx.admin
            inbox.assign(ctx.session, manager, item.id, assignee)
            if status == "done":
                inbox.set_status(ctx.session, ctx.staff(assignee), item.id, "done", "Done.")
            elif ctx.rng.random() < 0.7:
                inbox.add_comment(
                    ctx.session, ctx.staff(assignee), item.id, "On it; will update by end of day."
                )


def build_demo(
    store: Store, identity: Identity, progress: Callable[[int, int], None] | None = None
) -> str:
    """Create ``store`` and fill it with the demo, or say why not. Returns a message.

    ``progress(done, total)`` counts the steps: the reference data, then each department's
    builder."""
    from bo_console import departments

    created = False
    step = progress or (lambda done, total: None)
    total = 2 + len(departments.demo_builders())
    if not store.exists() or (store.path is not None and store.path.stat().st_size == 0):
        step(0, total)
        departments.init_database(store, identity, company=COMPANY, currency="SAR")
        created = True
    try:
        return _fill(store, identity, created, lambda done: step(1 + done, total))
    except Busy:
        raise  # another copy is building this very file: leave it alone
    except BaseException:
        if created:
            _remove_new_database(store)
        raise


def _remove_new_database(store: Store) -> None:
    """A demo that failed half-way leaves no file behind, so the next try starts clean."""
    from bo_console.core.db import dispose_engines

    dispose_engines()
    if store.path is not None:
        for suffix in ("", "-wal", "-shm"):
            store.path.with_name(store.path.name + suffix).unlink(missing_ok=True)


def _fill(store: Store, identity: Identity, created: bool, step: Callable[[int], None]) -> str:
    from bo_console import departments
    from bo_console.core import security, settings
    from bo_console.core.jobs import run_job

    store.ensure_usable()
    with store.read() as session:
        state = settings.get(session, "demo")
        admin = security.sign_in(session, identity)
    if state == "built":
        return f"{store.label} already holds the demo; nothing changed"
    if not created:
        raise RuleViolation(
            f"{store.label} is not a demo database; `bo demo` only fills a new one "
            "(choose another file with --db)"
        )
    with run_job(store, admin, "demo.build", key=store.label) as job:
        with store.write() as session:
            ctx = DemoContext(
                session=session, admin=admin, rng=random.Random(20261126), today=DEMO_DATE
            )
            builders = [_core_demo, *departments.demo_builders()]
            for done, builder in enumerate(builders):
                step(done)
                builder(ctx)
            step(len(builders))
            settings.put(session, None, "demo", "built")
            job.complete(session, f"demo data for {len(builders)} areas")
    return f"built the demo in {store.label}; open it with: bo --db {store.label}"
