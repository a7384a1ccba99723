"""Pay rules (settings with statutory defaults), the amounts of a payslip and the rounding rule."""

from __future__ import annotations

from dataclasses import dataclass
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

RUN_AMOUNTS = ("gross", "deductions", "net", "employer_cost")


def round_minor(value: Fraction) -> int:
    """An exact amount in minor units rounded by the project's one rule (``core.money``):
    to the nearest minor unit, halves away from zero.

    Pay components are ratios such as ``salary * 21 / 30``, kept exact as fractions until this
    single rounding. A ratio whose denominator is a day or hour count cannot fall within
    Decimal's 28 digits of a half without being one, so the Decimal division decides as the
    exact fraction would.
    """
    from bo_console.core import money

    return money.round_minor(Decimal(value.numerator) / Decimal(value.denominator), 0)


# -- rules (settings) -------------------------------------------------------------------------


@dataclass(frozen=True)
class PayRules:
    """The configurable parts of the pay calculation (``bo hr payroll config``)."""

    si_employee_rate: Decimal = Decimal("0.0975")
    """Social insurance, employee share of the contributory wage."""
    si_employer_rate: Decimal = Decimal("0.1175")
    """Social insurance, employer share."""
    si_wage_cap: Decimal = Decimal("45000")
    """Monthly contributory wage above which nothing more is charged (0: no cap)."""
    overtime_multiplier: Decimal = Decimal("1.5")
    """An overtime hour pays the hourly base wage times this."""
    hours_per_month: int = 240
    """Hours in a month, for the hourly base wage."""
    end_of_service: bool = True
    """Pay leavers an end-of-service award: half a month's wage per year for the first five
    years of service, a full month per year after that (pro rata for part years)."""


RULE_KEYS = {
    "si_employee_rate": "hr.si_employee_rate",
    "si_employer_rate": "hr.si_employer_rate",
    "si_wage_cap": "hr.si_wage_cap",
    "overtime_multiplier": "hr.overtime_multiplier",
    "hours_per_month": "hr.hours_per_month",
    "end_of_service": "hr.end_of_service",
}


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
        if isinstance(current, bool):
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
        if isinstance(current, bool):
            if text.lower() not in ("on", "off", "yes", "no", "true", "false", "1", "0"):
                raise ValueError
            text = "on" if text.lower() in ("on", "yes", "true", "1") else "off"
        elif isinstance(current, int):
            if not text.isdigit() or not 1 <= int(text) <= 744:  # hours in a 31-day month
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
            if name.endswith("_rate") and number >= 1:
                raise ValueError
            if name == "overtime_multiplier" and not 1 <= number <= 10:
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
    )
    return before, text


def _rule_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def rules_rows(session: Session, actor: Actor) -> list[dict[str, str]]:
    """The pay rules as (rule, value) rows."""
    actor.require("hr.read", "read pay rules")
    rules = load_rules(session)
    return [{"rule": name, "value": _rule_text(getattr(rules, name))} for name in RULE_KEYS]
