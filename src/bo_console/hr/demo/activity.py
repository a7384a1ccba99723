"""The demo's HR activity: leave, training, recruiting and four months of payroll."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bo_console.hr.demo.staff import MONTHS_PAID, Built, random_iban

if TYPE_CHECKING:
    from bo_console.core.security import Actor
    from bo_console.demo import DemoContext


def add_leave(
    ctx: DemoContext, sara: Actor, noura: Actor, built: Built, rng: random.Random
) -> None:
    from bo_console.hr.service import leave
    from bo_console.hr.service.common import Period

    session = ctx.session
    for month in range(1, 11):
        leave.accrue(session, noura, Period(2026, month))
    for unit in ("FIN", "IT", "SALES"):
        for number in built.numbers_by_unit[unit][1:4]:
            leave.adjust(
                session,
                sara,
                employee=number,
                type_code="ANNUAL",
                days=rng.choice([300, 500, 800]),
                note="carried over from 2025",
            )
    everyone = [n for numbers in built.numbers_by_unit.values() for n in numbers[1:]]
    taken = rng.sample(everyone, 24)
    for i, number in enumerate(taken):
        start = date(2026, 8 + i % 3, 2 + (i * 3) % 20)
        while start.weekday() in (4, 5):  # the demo company's weekend is Friday and Saturday
            start += timedelta(days=1)
        request = leave.request_leave(
            session,
            noura,
            employee=number,
            type_code="SICK" if i % 6 == 5 else "ANNUAL",
            starts_on=start,
            ends_on=start + timedelta(days=rng.choice([0, 1, 3, 4])),
            reason="family visit" if i % 2 else "",
        )
        if request.id is not None:
            leave.approve(session, sara, request.id)
    store_keeper = built.numbers_by_unit["LOG"][3]
    unpaid = leave.request_leave(
        session,
        noura,
        employee=store_keeper,
        type_code="UNPAID",
        starts_on=date(2026, 10, 12),
        ends_on=date(2026, 10, 14),
        reason="personal matters",
    )
    leave.approve(session, sara, unpaid.id or 0)
    # Waiting for decisions: Omar asks Layla (his manager); two more wait for HR.
    leave.request_leave(
        session,
        ctx.staff("omar"),
        employee=built.by_login["omar"],
        type_code="ANNUAL",
        starts_on=date(2026, 12, 13),
        ends_on=date(2026, 12, 17),
        reason="winter break",
    )
    for number in everyone[40:42]:
        leave.request_leave(
            session,
            noura,
            employee=number,
            type_code="ANNUAL",
            starts_on=date(2026, 12, 20),
            ends_on=date(2026, 12, 24),
        )
    rejected = leave.request_leave(
        session,
        noura,
        employee=everyone[50],
        type_code="ANNUAL",
        starts_on=date(2026, 11, 30),
        ends_on=date(2026, 12, 3),
        reason="month-end",
    )
    leave.reject(session, sara, rejected.id or 0, note="month-end close; please pick another week")


def add_training(ctx: DemoContext, noura: Actor, built: Built, rng: random.Random) -> None:
    from bo_console.hr.service import training

    session = ctx.session
    courses = [
        ("FIRE", "Fire safety", "السلامة من الحرائق", 4, 12),
        ("FAID", "First aid", "الإسعافات الأولية", 8, 24),
        ("FORK", "Forklift operation", "تشغيل الرافعة الشوكية", 16, 36),
        ("EXCEL", "Excel for business", "إكسل للأعمال", 12, None),
        ("IFRS16", "IFRS 16 leases update", "تحديث المعيار الدولي 16", 6, None),
    ]
    for code, title, title_ar, hours, months in courses:
        training.add_course(
            session,
            noura,
            code=code,
            title=title,
            title_ar=title_ar,
            hours=hours,
            cert_months=months,
        )
    log = built.numbers_by_unit["LOG"][1:-1]
    plan = [
        # course, start, trainer, location, capacity, attendees, completed
        (
            "FIRE",
            date(2025, 12, 8),
            "Civil Defence Academy",
            "Dammam warehouse",
            20,
            log[:18],
            True,
        ),
        (
            "FORK",
            date(2024, 2, 4),
            "Gulf Equipment Training",
            "Dammam warehouse",
            12,
            log[18:28],
            True,
        ),
        ("FAID", date(2026, 3, 15), "Saudi Red Crescent", "Riyadh HQ", 15, log[28:40], True),
        (
            "IFRS16",
            date(2026, 10, 20),
            "Layla Haddad",
            "Riyadh HQ, room 2",
            12,
            built.numbers_by_unit["FIN"][:9],
            True,
        ),
        (
            "EXCEL",
            date(2026, 12, 10),
            "David Chen",
            "Riyadh HQ, training room",
            12,
            built.numbers_by_unit["SALES"][:10],
            False,
        ),
        (
            "FIRE",
            date(2026, 12, 6),
            "Civil Defence Academy",
            "Dammam warehouse",
            20,
            log[:6],
            False,
        ),
    ]
    for course, start, trainer, location, capacity, attendees, completed in plan:
        row = training.add_session(
            session,
            noura,
            course=course,
            starts_on=start,
            ends_on=start + timedelta(days=1),
            trainer=trainer,
            location=location,
            capacity=capacity,
        )
        for number in attendees:
            training.enroll(session, noura, row.id or 0, number)
        if completed:
            for i, number in enumerate(attendees):
                no_show = rng.random() < 0.08 and i > 0
                training.complete(
                    session,
                    noura,
                    row.id or 0,
                    number,
                    on=start + timedelta(days=1),
                    outcome="no_show" if no_show else "completed",
                )
    training.add_certification(
        session,
        noura,
        employee=built.by_login["layla"],
        name="SOCPA certified public accountant",
        issued_on=date(2019, 6, 1),
        expires_on=date(2026, 12, 31),
        reference="SOCPA-48213",
    )


def add_recruiting(ctx: DemoContext, sara: Actor, noura: Actor, rng: random.Random) -> None:
    from bo_console.hr.service import people, recruiting

    session = ctx.session
    accountant = recruiting.add_opening(
        session,
        sara,
        title="Senior accountant",
        position="SACC",
        org_unit="FIN",
        headcount=1,
        opened_on=date(2026, 9, 14),
        description="IFRS reporting, month-end close and VAT returns.",
    )
    supervisor = recruiting.add_opening(
        session,
        sara,
        title="Night-shift warehouse supervisor",
        position="WHSUP",
        org_unit="LOG",
        headcount=2,
        opened_on=date(2026, 10, 5),
    )
    candidates = [
        # opening, name, Arabic name, stage path, note
        (accountant, "Mona Farouk", "منى فاروق", ["screening", "interview", "offer"], "SOCPA"),
        (accountant, "Bandar Al-Otaibi", "بندر العتيبي", ["screening", "interview"], ""),
        (accountant, "Priya Menon", "", ["screening", "rejected"], "no IFRS experience"),
        (accountant, "Hind Al-Zahrani", "هند الزهراني", ["screening"], ""),
        (accountant, "Karim Mansour", "كريم منصور", [], "referred by Omar"),
        (supervisor, "Tariq Al-Anazi", "طارق العنزي", ["screening", "interview", "offer"], ""),
        (supervisor, "Jomar Santos", "", ["screening", "interview"], "forklift certified"),
        (supervisor, "Saleh Al-Harbi", "صالح الحربي", ["screening"], ""),
    ]
    made = {}
    for opening, name, name_ar, path, note in candidates:
        candidate = recruiting.add_candidate(
            session,
            noura,
            opening_id=opening.id or 0,
            name=name,
            name_ar=name_ar,
            email=f"{name.split()[0].lower()}.{rng.randrange(100, 999)}@mail.example",
            applied_on=opening.opened_on + timedelta(days=rng.randrange(1, 14)),
            note=note,
        )
        for stage in path:
            recruiting.move_candidate(session, noura, candidate.id or 0, stage)
        made[name] = candidate.id or 0
    recruiting.add_note(
        session, sara, made["Bandar Al-Otaibi"], "Second interview with Layla on Sunday."
    )
    recruiting.hire_candidate(
        session,
        sara,
        made["Mona Farouk"],
        hire_date=date(2026, 12, 1),
        terms=people.HireTerms(
            base_salary=15_000_00,
            allowances=5_250_00,
            iban=random_iban(rng),
            national_id="2" + str(rng.randrange(100_000_000, 999_999_999)),
            birth_date=date(1991, 4, 17),
        ),
    )


def add_payroll(
    ctx: DemoContext, sara: Actor, fahad: Actor, built: Built, rng: random.Random
) -> None:
    from bo_console.hr.service import payroll
    from bo_console.hr.service.common import parse_period

    session = ctx.session
    payroll.set_rule(session, sara, "si_wage_cap", "45000")
    # What the staff earned before the first pay run is booked against retained earnings,
    # not as August's expense.
    payroll.open_provisions(session, sara, parse_period(MONTHS_PAID[0]).start - timedelta(days=1))
    warehouse = built.numbers_by_unit["LOG"][1:30]
    sales = built.numbers_by_unit["SALES"][1:]
    for key in (*MONTHS_PAID, "2026-11"):
        period = parse_period(key)
        for number in rng.sample(warehouse, 12):
            payroll.add_input(
                session,
                fahad,
                period,
                employee=number,
                kind="overtime",
                hours=rng.choice([400, 600, 800, 1050, 1200]),
                note="night shift",
            )
        for number in rng.sample(sales, 6):
            payroll.add_input(
                session,
                fahad,
                period,
                employee=number,
                kind="commission",
                amount=rng.randrange(5, 40) * 100_00,
                note="quarterly target",
            )
        if key == "2026-10":
            payroll.add_input(
                session,
                fahad,
                period,
                employee=warehouse[2],
                kind="deduction",
                amount=500_00,
                note="salary advance recovery",
                advance=True,
            )
        run = payroll.run_payroll(session, fahad, period).run
        if key == "2026-11":
            continue
        payroll.approve_run(session, sara, run.id or 0)
        payroll.post_run(session, sara, run.id or 0)
        payroll.pay_run(session, sara, run.id or 0, paid_on=period.end)
