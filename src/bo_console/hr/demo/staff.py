"""The demo's organisation and staff: org units, positions, about 200 employees, benefits and
leavers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.security import Actor
    from bo_console.demo import DemoContext


UNITS = [
    # code, name, Arabic name, head count
    ("EXEC", "Executive office", "الإدارة التنفيذية", 5),
    ("FIN", "Finance", "المالية", 18),
    ("HR", "Human resources", "الموارد البشرية", 10),
    ("IT", "Information technology", "تقنية المعلومات", 16),
    ("LOG", "Logistics and warehouse", "الخدمات اللوجستية والمستودعات", 70),
    ("SALES", "Sales", "المبيعات", 45),
    ("CS", "Customer service", "خدمة العملاء", 30),
    ("DATA", "Data management", "إدارة البيانات", 6),
]

POSITIONS = [
    # code, title, Arabic title, unit, monthly base salary (SAR), head of unit
    ("CEO", "Chief executive officer", "الرئيس التنفيذي", "EXEC", 45000, True),
    ("EA", "Executive assistant", "مساعد تنفيذي", "EXEC", 9000, False),
    ("AUD", "Internal auditor", "مدقق داخلي", "EXEC", 16000, False),
    ("FINMGR", "Finance manager", "مدير المالية", "FIN", 26000, True),
    ("SACC", "Senior accountant", "محاسب أول", "FIN", 14000, False),
    ("ACC", "Accountant", "محاسب", "FIN", 10000, False),
    ("HRMGR", "HR manager", "مدير الموارد البشرية", "HR", 24000, True),
    ("PAYR", "Payroll officer", "مسؤول الرواتب", "HR", 12000, False),
    ("HRS", "HR specialist", "أخصائي موارد بشرية", "HR", 9500, False),
    ("ITMGR", "IT manager", "مدير تقنية المعلومات", "IT", 25000, True),
    ("SYSADM", "Systems administrator", "مسؤول أنظمة", "IT", 13000, False),
    ("SUPP", "IT support specialist", "أخصائي دعم فني", "IT", 7500, False),
    ("LOGMGR", "Logistics manager", "مدير الخدمات اللوجستية", "LOG", 22000, True),
    ("WHSUP", "Warehouse supervisor", "مشرف مستودع", "LOG", 9000, False),
    ("STORE", "Storekeeper", "أمين مستودع", "LOG", 5200, False),
    ("DRIVER", "Delivery driver", "سائق توصيل", "LOG", 4200, False),
    ("SALESMGR", "Sales manager", "مدير المبيعات", "SALES", 24000, True),
    ("SREP", "Sales representative", "مندوب مبيعات", "SALES", 7000, False),
    ("CSMGR", "Customer service manager", "مدير خدمة العملاء", "CS", 18000, True),
    ("CSA", "Customer service agent", "موظف خدمة عملاء", "CS", 5800, False),
    ("DATAMGR", "Data manager", "مدير البيانات", "DATA", 21000, True),
    ("ANALYST", "Data analyst", "محلل بيانات", "DATA", 11500, False),
]

STAFF_EMPLOYEES = [
    # console login, unit, position, name, Arabic name
    ("layla", "FIN", "FINMGR", "Layla Haddad", "ليلى حداد"),
    ("omar", "FIN", "ACC", "Omar Al-Shehri", "عمر الشهري"),
    ("reem", "FIN", "ACC", "Reem Al-Ghamdi", "ريم الغامدي"),
    ("sara", "HR", "HRMGR", "Sara Williams", ""),
    ("fahad", "HR", "PAYR", "Fahad Al-Qahtani", "فهد القحطاني"),
    ("noura", "HR", "HRS", "Noura Al-Subaie", "نورة السبيعي"),
    ("james", "IT", "ITMGR", "James O'Connor", ""),
    ("khalid", "IT", "SUPP", "Khalid Al-Dosari", "خالد الدوسري"),
    ("maria", "LOG", "LOGMGR", "Maria Santos", ""),
    ("yousef", "LOG", "WHSUP", "Yousef Al-Harbi", "يوسف الحربي"),
    ("hana", "DATA", "DATAMGR", "Hana Kim", ""),
    ("david", "DATA", "ANALYST", "David Chen", ""),
    ("aisha", "EXEC", "AUD", "Aisha Al-Mutairi", "عائشة المطيري"),
]

MALE = [
    ("Mohammed", "محمد"),
    ("Ahmed", "أحمد"),
    ("Abdullah", "عبدالله"),
    ("Faisal", "فيصل"),
    ("Saud", "سعود"),
    ("Nasser", "ناصر"),
    ("Sultan", "سلطان"),
    ("Turki", "تركي"),
    ("Abdulrahman", "عبدالرحمن"),
    ("Ibrahim", "إبراهيم"),
    ("Ali", "علي"),
    ("Hassan", "حسن"),
    ("Majed", "ماجد"),
    ("Bandar", "بندر"),
    ("Rashed", "راشد"),
    ("Tariq", "طارق"),
    ("Sami", "سامي"),
    ("Waleed", "وليد"),
]
FEMALE = [
    ("Fatimah", "فاطمة"),
    ("Sarah", "سارة"),
    ("Hind", "هند"),
    ("Lama", "لمى"),
    ("Amal", "أمل"),
    ("Dana", "دانة"),
    ("Jawaher", "جواهر"),
    ("Abeer", "عبير"),
    ("Haifa", "هيفاء"),
    ("Razan", "رزان"),
    ("Shahad", "شهد"),
    ("Maha", "مها"),
    ("Latifa", "لطيفة"),
    ("Aseel", "أسيل"),
]
FAMILY = [
    ("Al-Otaibi", "العتيبي"),
    ("Al-Qahtani", "القحطاني"),
    ("Al-Dosari", "الدوسري"),
    ("Al-Shehri", "الشهري"),
    ("Al-Ghamdi", "الغامدي"),
    ("Al-Zahrani", "الزهراني"),
    ("Al-Harbi", "الحربي"),
    ("Al-Mutairi", "المطيري"),
    ("Al-Subaie", "السبيعي"),
    ("Al-Anazi", "العنزي"),
    ("Al-Shammari", "الشمري"),
    ("Al-Rasheed", "الرشيد"),
    ("Al-Faifi", "الفيفي"),
    ("Al-Balawi", "البلوي"),
    ("Al-Ahmadi", "الأحمدي"),
    ("Al-Sulami", "السلمي"),
]
EXPATS = [
    ("Rajesh", "Kumar"),
    ("Priya", "Nair"),
    ("Jose", "Reyes"),
    ("Maricel", "Cruz"),
    ("Imran", "Khan"),
    ("Ayesha", "Siddiqui"),
    ("Chen", "Wei"),
    ("Grace", "Okafor"),
    ("John", "Mathew"),
    ("Anil", "Sharma"),
    ("Ramon", "Dela Cruz"),
    ("Kofi", "Mensah"),
]
EGYPTIANS = [
    ("Mahmoud Farouk", "محمود فاروق"),
    ("Mostafa Adel", "مصطفى عادل"),
    ("Heba Samir", "هبة سمير"),
    ("Karim Nabil", "كريم نبيل"),
    ("Yasmin Fathy", "ياسمين فتحي"),
    ("Amr Saeed", "عمرو سعيد"),
]

MONTHS_PAID = ("2026-08", "2026-09", "2026-10")
"""Pay runs the demo approves, posts and pays; November stays a draft awaiting approval."""


@dataclass
class Built:
    numbers_by_unit: dict[str, list[str]]
    by_login: dict[str, str]
    heads: dict[str, str]


def random_iban(rng: random.Random) -> str:
    from bo_console.hr.models.values import make_iban

    bank = rng.choice(["10", "20", "45", "55", "60", "80"])
    return make_iban("SA", bank + "".join(str(rng.randrange(10)) for _ in range(18)))


def round50(value: float) -> int:
    return int(round(value / 50.0)) * 50


def add_people(ctx: DemoContext, sara: Actor, rng: random.Random) -> Built:
    from bo_console.hr.service import people

    session = ctx.session
    for code, name, name_ar, _ in UNITS:
        people.add_org_unit(session, sara, code=code, name=name, name_ar=name_ar)
    salaries: dict[str, int] = {}
    for code, title, title_ar, unit, salary, _ in POSITIONS:
        people.add_position(session, sara, code=code, title=title, title_ar=title_ar, unit=unit)
        salaries[code] = salary
    heads = {unit: code for code, _, _, unit, _, head in POSITIONS if head}
    staff_positions = {
        unit: [p for p, _, _, u, _, h in POSITIONS if u == unit and not h] for unit, *_ in UNITS
    }

    def new(
        unit: str,
        pos: str,
        name: str,
        name_ar: str,
        manager: str | None,
        login: str | None = None,
        hired: date | None = None,
    ) -> str:
        base = round50(salaries[pos] * rng.uniform(0.9, 1.12))
        hire = hired or date(2014, 1, 1) + timedelta(days=rng.randrange(0, 4500))
        hire = min(hire, date(2026, 10, 20))
        saudi = bool(name_ar) and rng.random() < 0.85
        born = date(hire.year - rng.randrange(23, 50), rng.randrange(1, 13), rng.randrange(1, 29))
        # The administrator loads the staff at go-live, so the HR manager who approves pay
        # runs has not given anyone's IBAN (whoever does cannot approve their first run).
        employee = people.create_employee(
            session,
            ctx.admin,
            people.EmployeeCreate(
                name=name,
                name_ar=name_ar,
                org_unit=unit,
                position=pos,
                manager=manager,
                hire_date=hire,
                email=f"{name.split()[0].lower()}.{name.split()[-1].lower().replace('-', '')}"
                f"{rng.randrange(10, 99)}@alnoor.example".replace("'", ""),
                phone=f"+9665{rng.randrange(10_000_000, 99_999_999)}",
                login=login,
                base_salary=base * 100,
                allowances=round50(base * 0.35) * 100,
                iban=random_iban(rng),
                national_id=("1" if saudi else "2") + str(rng.randrange(100_000_000, 999_999_999)),
                birth_date=born,
            ),
        )
        return employee.number

    by_login: dict[str, str] = {}
    numbers: dict[str, list[str]] = {unit: [] for unit, *_ in UNITS}
    head_numbers: dict[str, str] = {}
    ceo = new(
        "EXEC", "CEO", "Abdulaziz Al-Rasheed", "عبدالعزيز الرشيد", None, hired=date(2012, 3, 1)
    )
    numbers["EXEC"].append(ceo)
    head_numbers["EXEC"] = ceo
    staff_by_unit: dict[str, list[tuple[str, str, str, str]]] = {}
    for login, unit, pos, name, name_ar in STAFF_EMPLOYEES:
        staff_by_unit.setdefault(unit, []).append((login, pos, name, name_ar))
    for unit, _, _, _ in UNITS:
        if unit == "EXEC":
            continue
        for login, pos, name, name_ar in staff_by_unit.get(unit, []):
            if pos == heads[unit]:
                number = new(unit, pos, name, name_ar, ceo, login, hired=date(2016, 5, 1))
                head_numbers[unit] = number
                by_login[login] = number
                numbers[unit].append(number)
        if unit not in head_numbers:
            first, first_ar = rng.choice(MALE)
            family, family_ar = rng.choice(FAMILY)
            number = new(unit, heads[unit], f"{first} {family}", f"{first_ar} {family_ar}", ceo)
            head_numbers[unit] = number
            numbers[unit].append(number)
    for unit, _, _, size in UNITS:
        for login, pos, name, name_ar in staff_by_unit.get(unit, []):
            if pos != heads.get(unit):
                number = new(unit, pos, name, name_ar, head_numbers[unit], login)
                by_login[login] = number
                numbers[unit].append(number)
        while len(numbers[unit]) < size:
            pos = rng.choice(staff_positions[unit])
            roll = rng.random()
            if roll < 0.6:
                first, first_ar = rng.choice(MALE if rng.random() < 0.6 else FEMALE)
                family, family_ar = rng.choice(FAMILY)
                name, name_ar = f"{first} {family}", f"{first_ar} {family_ar}"
            elif roll < 0.75:
                name, name_ar = rng.choice(EGYPTIANS)
            else:
                first, last = rng.choice(EXPATS)
                name, name_ar = f"{first} {last}", ""
            numbers[unit].append(new(unit, pos, name, name_ar, head_numbers[unit]))
    people.update_employee(
        session, sara, numbers["SALES"][5], people.EmployeeUpdate(status="on_leave")
    )
    return Built(numbers, by_login, head_numbers)


def add_leavers(ctx: DemoContext, sara: Actor, built: Built) -> None:
    """One leaver settled in September's run; Reem's last day is tomorrow (November's draft)."""
    from bo_console.hr.service import people

    driver = built.numbers_by_unit["LOG"][-1]
    people.terminate_employee(ctx.session, sara, driver, on=date(2026, 9, 15), reason="resigned")
    people.terminate_employee(
        ctx.session, sara, built.by_login["reem"], on=date(2026, 11, 27), reason="resigned"
    )


def add_benefits(ctx: DemoContext, sara: Actor, built: Built, rng: random.Random) -> None:
    from bo_console.hr.service import benefits

    session = ctx.session
    benefits.add_plan(
        session,
        sara,
        code="MED",
        name="Medical insurance (class B)",
        name_ar="التأمين الطبي",
        employee_contribution=150_00,
        employer_contribution=450_00,
    )
    benefits.add_plan(
        session,
        sara,
        code="TRANS",
        name="Transport allowance",
        name_ar="بدل المواصلات",
        employer_contribution=400_00,
        cash=True,
    )
    benefits.add_plan(
        session,
        sara,
        code="GYM",
        name="Gym membership",
        name_ar="اشتراك النادي الرياضي",
        employee_contribution=100_00,
        employer_contribution=100_00,
    )
    wanted: list[tuple[str, str, date]] = []
    for unit, numbers in built.numbers_by_unit.items():
        for number in numbers:
            wanted.append(("MED", number, date(2026, 1, 1)))
            if unit in ("LOG", "CS") and rng.random() < 0.8:
                wanted.append(("TRANS", number, date(2026, 7, 1)))
            if rng.random() < 0.1:
                wanted.append(("GYM", number, date(2026, 9, 1)))
    benefits.enroll_many(session, sara, wanted)
