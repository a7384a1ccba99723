"""Pay rules (settings with statutory defaults), the amounts of a payslip and the rounding rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bo_console.core import audit
from bo_console.core.errors import (
    ValidationFailed,
)
from bo_console.core.money import from_minor
from bo_console.core.security import Actor
from bo_console.hr.models.values import parse_money
from bo_console.hr.service.common import (
    currency_of,
)

if TYPE_CHECKING:
    from sqlmodel import Session


PAY_AMOUNTS = (
    "base",
    "allowances",
    "overtime",
    "other_earnings",
    "benefit_cash",
    "settlement",
    "unpaid_deduction",
    "gross",
    "employee_si",
    "employer_si",
    "benefit_employee",
    "benefit_employer",
    "other_deductions",
    "net",
)
"""Amount columns of a payslip, in the order payslip listings show them."""

SLIP_DETAIL = (
    "housing",
    "leave_encashment",
    "eos_award",
    "compensation",
    "eos_accrual",
    "leave_accrual",
    "advance_recovery",
    "art_wage",
)
"""Stored amounts that break down or sit beside ``PAY_AMOUNTS`` (the bank file's split, the
settlement's parts, the provision movements)."""

RUN_AMOUNTS = ("gross", "deductions", "net", "employer_cost")


def round_minor(value: Fraction) -> int:
    """An exact amount in minor units rounded by the project's one rule (``core.money``):
    to the nearest minor unit, halves away from zero.

    Pay components are ratios such as ``salary * 21 / 30``, kept exact as fractions until this
    single rounding, done in integers so that it is exact whatever the denominator.
    """
    numerator, denominator = value.numerator, value.denominator
    whole, rest = divmod(abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return whole if numerator >= 0 else -whole


# -- rules (settings) -------------------------------------------------------------------------


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


def load_rules(session: Session) -> PayRules:
    """The rules in force in this database (defaults where nothing is set)."""
    from bo_console.core import settings

    default = PayRules()
    values: dict[str, Any] = {}
    for name, key in RULE_KEYS.items():
        text = settings.get(session, key)
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


def set_rule(session: Session, actor: Actor, name: str, value: str) -> tuple[str, str]:
    """Change one pay rule; returns (before, after) as text. Needs ``payroll.approve``."""
    from bo_console.core import settings

    actor.require("payroll.approve", "change pay rules")
    if name not in RULE_KEYS:
        raise ValidationFailed(f"unknown pay rule {name!r} (one of: {', '.join(RULE_KEYS)})")
    current = getattr(load_rules(session), name)
    text = value.strip()
    try:
        if isinstance(current, str):
            text = text.upper().replace(" ", "")
            if name == "wps_debit_account":
                from bo_console.hr.models.values import normalise_iban

                text = normalise_iban(text)
            elif not text or len(text) > 20 or not text.replace("-", "").isalnum():
                raise ValueError
        elif isinstance(current, date):
            text = date.fromisoformat(text).isoformat()
        elif isinstance(current, bool):
            if text.lower() not in ("on", "off", "yes", "no", "true", "false", "1", "0"):
                raise ValueError
            text = "on" if text.lower() in ("on", "yes", "true", "1") else "off"
        elif isinstance(current, int):
            if not text.isdigit() or not 1 <= int(text) <= 744:  # hours in a 31-day month
                raise ValueError
            if name == "unpaid_leave_grace" and int(text) > 366:
                raise ValueError
            text = str(int(text))
        elif name == "si_wage_cap":
            # An amount of the base currency: more decimals than it has would make every
            # later pay run fail.
            _, exponent = currency_of(session)
            cap = parse_money(text, exponent)
            if cap < 0:
                raise ValueError
            text = str(from_minor(cap, exponent).normalize())
            if "E" in text:
                text = str(from_minor(cap, exponent).quantize(Decimal(1)))
        else:
            number = Decimal(text)
            if not number.is_finite() or number < 0:
                raise ValueError
            if (name.startswith("si_") or name == "sick_reduced_pay") and number >= 1:
                raise ValueError
            if name == "overtime_premium" and number > 10:
                raise ValueError
            text = str(number)
    except (ValueError, InvalidOperation):
        raise ValidationFailed(f"{value!r} is not a valid {name.replace('_', ' ')}") from None
    before = _rule_text(current)
    settings.put(session, None, RULE_KEYS[name], text)
    audit.record(
        session,
        actor,
        action="set",
        entity="setting",
        entity_id=RULE_KEYS[name],
        changes={"value": (before, text)},
        # The account salaries are paid from is as confidential as an employee's IBAN.
        confidential=("value",) if name == "wps_debit_account" else (),
    )
    return before, text


def _rule_text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def rules_rows(session: Session, actor: Actor) -> list[dict[str, str]]:
    """The pay rules as (rule, value) rows."""
    actor.require("hr.read", "read pay rules")
    rules = load_rules(session)
    return [{"rule": name, "value": _rule_text(getattr(rules, name))} for name in RULE_KEYS]
