"""The pay rules (settings with statutory defaults) as they are read: what ``bo hr payroll
config`` lists and every payroll calculation starts from.

Light: through a Reader or a session, without SQLAlchemy, pydantic or HR's table models, so
listing the rules reads through the standard library's ``sqlite3``
(:mod:`bo_console.core.reading`). Changing one is
:func:`bo_console.hr.service.payroll.rules.set_rule`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor


@dataclass(frozen=True)
class PayRules:
    """The configurable parts of the pay calculation (``bo hr payroll config``), each with
    the statutory default and where it comes from (``docs/payroll-rules.md``)."""

    si_annuity_employee: Decimal = Decimal("0.09")
    """Annuities branch, employee share; Saudis only (Social Insurance Law, art. 18)."""
    si_annuity_employer: Decimal = Decimal("0.09")
    """Annuities branch, employer share; Saudis only (Social Insurance Law, art. 18)."""
    si_saned_employee: Decimal = Decimal("0.0075")
    """Unemployment insurance (SANED), employee share; Saudis only (Unemployment Insurance
    Law, art. 7)."""
    si_saned_employer: Decimal = Decimal("0.0075")
    """Unemployment insurance (SANED), employer share; Saudis only."""
    si_hazards_employer: Decimal = Decimal("0.02")
    """Occupational hazards branch, employer only, every nationality (Social Insurance Law,
    art. 18)."""
    si_new_law_from: date = date(2024, 7, 3)
    """Who first joins social insurance from this day is in the new-law cohort (Social
    Insurance Law of 1445H, in force 3 July 2024)."""
    si_new_law_step: Decimal = Decimal("0.005")
    """The new-law cohort's annuity share rises by this each July from ``si_new_law_first_step``
    (each side; 9% to 11% over four years)."""
    si_new_law_first_step: date = date(2025, 7, 1)
    """The first of the new-law cohort's yearly annuity steps."""
    si_new_law_annuity_max: Decimal = Decimal("0.11")
    """Where the new-law cohort's annuity share stops rising (each side)."""
    si_gcc_employee: Decimal = Decimal("0.09")
    """Nationals of another GCC state: employee share of their home state's scheme (GCC unified
    extension of insurance protection); set it to that state's rate."""
    si_gcc_employer: Decimal = Decimal("0.09")
    """GCC nationals: employer share of the home state's scheme (occupational hazards is added)."""
    si_wage_cap: Decimal = Decimal("45000")
    """Monthly contributory wage above which nothing more is charged (0: no cap); GOSI's
    maximum contributory wage is SAR 45,000."""
    overtime_premium: Decimal = Decimal("0.5")
    """An overtime hour pays the hourly wage plus this share of the hourly basic wage
    (Labour Law, art. 107)."""
    hours_per_month: int = 240
    """Hours in a month, for the hourly wages (8 hours a day, art. 98, times 30 days)."""
    end_of_service: bool = True
    """Pay leavers an end-of-service award (Labour Law, arts. 84 and 85)."""
    unpaid_leave_grace: int = 20
    """Days of one unpaid leave that still count as service; the rest do not (art. 116)."""
    art77_days_per_year: int = 15
    """Compensation for termination without a valid reason: days' wage per year of service
    (Labour Law, art. 77, indefinite contracts)."""
    art77_minimum_months: int = 2
    """Art. 77 compensation is at least this many months' wage."""
    sick_full_days: int = 30
    """Sick leave days a year on full pay (Labour Law, art. 117)."""
    sick_reduced_days: int = 60
    """Sick leave days a year after those on ``sick_reduced_pay`` (art. 117)."""
    sick_reduced_pay: Decimal = Decimal("0.75")
    """The share of the wage paid for the reduced sick days (art. 117: three quarters)."""
    annual_leave_long_days: int = 30
    """Annual leave days a year once service reaches ``annual_leave_long_after_years``
    (Labour Law, art. 109; the ANNUAL type's own entitlement, 21 days, applies before)."""
    annual_leave_long_after_years: int = 5
    """Years of service after which annual leave is ``annual_leave_long_days`` (art. 109)."""
    wps_establishment_id: str = ""
    """The establishment's number at the Ministry of Human Resources (the wage-protection
    file's header names it)."""
    wps_debit_account: str = ""
    """The IBAN salaries are paid from (the wage-protection file's header)."""
    journal_min_headcount: int = 5
    """The payroll entry shows a unit's own lines only when it has at least this many payslips;
    smaller units are merged so a ledger reader cannot learn one person's pay."""


RULE_KEYS = {name: f"hr.{name}" for name in PayRules.__dataclass_fields__}


def load_rules(db: Reads) -> PayRules:
    """The rules in force in this database (defaults where nothing is set)."""
    from bo_console.core import settings

    default = PayRules()
    values: dict[str, Any] = {}
    for name, key in RULE_KEYS.items():
        text = settings.get(db, key)
        if not text:
            continue
        current = getattr(default, name)
        if isinstance(current, str):
            values[name] = text
        elif isinstance(current, date):
            values[name] = date.fromisoformat(text)
        elif isinstance(current, bool):
            values[name] = text.lower() in ("on", "yes", "true", "1")
        elif isinstance(current, int):
            values[name] = int(text)
        else:
            values[name] = Decimal(text)
    return PayRules(**values)


def rule_text(value: Any) -> str:
    """A rule's value as ``bo hr payroll config`` shows and takes it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def rules_rows(db: Reads, actor: Actor) -> list[dict[str, str]]:
    """The pay rules as (rule, value) rows (a Reader or a session)."""
    actor.require("hr.read", "read pay rules")
    rules = load_rules(db)
    return [{"rule": name, "value": rule_text(getattr(rules, name))} for name in RULE_KEYS]
