"""Pay rules (settings with statutory defaults), the amounts of a payslip and the rounding rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING

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
from bo_console.hr.service.pay_rules import RULE_KEYS as RULE_KEYS
from bo_console.hr.service.pay_rules import PayRules as PayRules
from bo_console.hr.service.pay_rules import load_rules as load_rules
from bo_console.hr.service.pay_rules import rule_text
from bo_console.hr.service.pay_rules import rules_rows as rules_rows

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


# -- rules (settings; read in :mod:`bo_console.hr.service.pay_rules`) ------------------------


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
    before = rule_text(current)
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
