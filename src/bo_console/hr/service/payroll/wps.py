"""The wage-protection (WPS) payroll file a Saudi bank takes, beside the plain transfer CSV.

One header record (the establishment's number, the account debited, value date, currency, the
record count and total), one record per employee paid (national ID or iqama, name, IBAN, the
bank code the IBAN carries, net pay, and the split Mudad reconciles against GOSI: basic,
housing, other earnings, deductions) and one trailer record repeating count and total, so a
truncated file is refused by the bank.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.core.money import from_minor
from bo_console.core.security import Actor
from bo_console.hr.service.common import currency_of
from bo_console.hr.service.payroll.rules import load_rules
from bo_console.hr.service.payroll.runs import get_run

if TYPE_CHECKING:
    from sqlmodel import Session

DETAIL_FIELDS = (
    "record",
    "employee_id",
    "name",
    "iban",
    "bank",
    "net",
    "basic",
    "housing",
    "other_earnings",
    "deductions",
    "reference",
)


def wps_records(
    session: Session, actor: Actor, run_id: int, *, value_date: date
) -> list[list[str]]:
    """The records of a paid or posted run's wage-protection file, audited as an export.

    Raises:
        ValidationFailed: the establishment number or the debit account is not set, or someone
            paid has no national ID or iqama.
        RuleViolation: the run is not posted or paid.
    """
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, EmployeePrivate, Payslip

    actor.require("payroll.approve", "export bank transfers")
    actor.require("hr.confidential", "export IBANs and pay")
    run = get_run(session, run_id)
    if run.status not in ("posted", "paid"):
        raise RuleViolation(f"pay run {run_id} is {run.status}; post it first")
    rules = load_rules(session)
    missing = [
        name
        for name, value in (
            ("wps_establishment_id", rules.wps_establishment_id),
            ("wps_debit_account", rules.wps_debit_account),
        )
        if not value
    ]
    if missing:
        raise ValidationFailed(
            f"set {' and '.join(missing)} first (`bo hr payroll config {missing[0]} VALUE`)"
        )
    _, exponent = currency_of(session)

    def money(minor: int) -> str:
        return f"{from_minor(minor, exponent):.{exponent}f}"

    details: list[list[str]] = []
    total = 0
    no_id: list[str] = []
    for slip, number, name, national_id in session.exec(
        select(Payslip, Employee.number, Employee.name, EmployeePrivate.national_id)
        .join(Employee, col(Employee.id) == col(Payslip.employee_id))
        .outerjoin(EmployeePrivate, col(EmployeePrivate.employee_id) == col(Employee.id))
        .where(col(Payslip.run_id) == run.id, col(Payslip.net) > 0)
        .order_by(col(Employee.number))
    ).all():
        if not national_id:
            no_id.append(number)
            continue
        iban = slip.iban or ""
        other = slip.gross - slip.base - slip.housing
        deductions = slip.employee_si + slip.benefit_employee + slip.other_deductions
        total += slip.net
        details.append(
            [
                "D",
                national_id,
                name[:50],
                iban,
                iban[4:6],  # a Saudi IBAN carries the bank's two-digit code here
                money(slip.net),
                money(slip.base),
                money(slip.housing),
                money(other),
                money(deductions),
                f"SALARY {run.period} {number}",
            ]
        )
    if no_id:
        raise ValidationFailed(
            f"{len(no_id)} employee(s) paid have no national ID or iqama: {', '.join(no_id[:5])}"
        )
    header = [
        "H",
        rules.wps_establishment_id,
        rules.wps_debit_account,
        value_date.strftime("%Y%m%d"),
        run.currency,
        str(len(details)),
        money(total),
        run.period,
    ]
    trailer = ["T", str(len(details)), money(total)]
    audit.record_view(
        session,
        actor,
        entity="employee",
        entity_ids=[d[-1].rsplit(" ", 1)[-1] for d in details],
        fields=("iban", "national_id", "net_pay"),
        purpose="export",
    )
    return [header, *details, trailer]


def write_wps(records: list[list[str]], path: Path) -> None:
    """Write the records as the bank's comma-separated file (UTF-8, CRLF line ends)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\r\n").writerows(records)
