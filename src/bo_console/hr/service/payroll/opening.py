"""The opening end-of-service and leave provisions.

Each pay run accrues the month's change of every employee's provisions. Without an opening,
the first run would book everything earned before it (years of service) as that one month's
expense. :func:`open_provisions` records, once and before the first run, what each employee
had earned at a month's end and books it against retained earnings: it belongs to the years
already closed, not to the month of the first run (IAS 8 treats it as a prior-period amount).
The ledger's provision accounts are brought to that liability: what they already hold (an
opening balance carried over from another system) is counted, and only the difference is
posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core import audit
from bo_console.core.errors import RuleViolation
from bo_console.core.money import from_minor
from bo_console.core.security import Actor
from bo_console.hr.service.common import currency_of

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class OpeningResult:
    """What :func:`open_provisions` booked (amounts in the base currency)."""

    as_of: date
    employees: int
    eos: Decimal
    leave: Decimal
    entry: str | None
    """The journal entry that moved the ledger's provisions (None: they already agreed)."""


def open_provisions(session: Session, actor: Actor, as_of: date) -> OpeningResult:
    """Record each employee's end-of-service and leave provisions at ``as_of`` (a month's last
    day, before the first pay run) and book them against retained earnings.

    The end-of-service provision is the full art. 84 award earned by ``as_of`` on the wage in
    force then (unpaid leave beyond the grace excluded, art. 116); the leave provision is the
    unused paid leave as it stands, at the leave-pay wage / 30 a day. The first run then
    accrues only its own month.

    Raises:
        PermissionDenied: without ``payroll.approve`` (it posts to the ledger).
        RuleViolation: ``as_of`` is not a month's last day, the provisions were opened
            already, or a pay run exists (its provisions are accrued), or the ledger refuses
            the date (a closed month).
    """
    from sqlalchemy import insert, select
    from sqlmodel import col

    from bo_console.core.clock import utcnow
    from bo_console.finance import service as finance
    from bo_console.hr.models import Employee, PayRun, ProvisionOpening
    from bo_console.hr.service import leave
    from bo_console.hr.service.payroll.compute import _ratio, eos_liability, salary_in_force
    from bo_console.hr.service.payroll.posting import LedgerLine, account_codes, post_to_ledger
    from bo_console.hr.service.payroll.rules import load_rules

    actor.require("payroll.approve", "open the payroll provisions")
    if (as_of + timedelta(days=1)).day != 1:
        raise RuleViolation(f"{as_of} is not a month's last day; open the provisions at one")
    if session.execute(select(col(ProvisionOpening.id)).limit(1)).first() is not None:
        raise RuleViolation("the opening provisions are booked already")
    run = session.execute(
        select(col(PayRun.id), col(PayRun.period)).where(col(PayRun.status) != "discarded")
    ).first()
    if run is not None:
        raise RuleViolation(
            f"pay run {run[0]} ({run[1]}) exists: the runs accrue the provisions already"
        )
    rules = load_rules(session)
    staff = session.execute(
        select(col(Employee.id), col(Employee.hire_date)).where(
            col(Employee.hire_date) <= as_of,
            col(Employee.termination_date).is_(None) | (col(Employee.termination_date) > as_of),
            col(Employee.settled_run_id).is_(None),
        )
    ).all()
    ids = [int(r[0]) for r in staff]
    pay = salary_in_force(session, as_of)
    excluded = leave.excluded_service_days(session, rules.unpaid_leave_grace, as_of)
    unused = leave.encashable(session, ids)
    rows: list[dict[str, object]] = []
    eos_total = leave_total = 0
    for employee_id, hired in staff:
        wage = pay.get(int(employee_id))
        if wage is None:
            continue
        eos = eos_liability(rules, wage.eos, hired, as_of, excluded.get(int(employee_id), 0))
        held = unused.get(int(employee_id), 0)
        leave_amount = _ratio(wage.leave * held, 100 * 30)  # held is in hundredths of a day
        eos_total += eos
        leave_total += leave_amount
        rows.append(
            {
                "employee_id": int(employee_id),
                "as_of": as_of,
                "eos": eos,
                "leave": leave_amount,
                "set_by": actor.login,
                "set_at": utcnow(),
            }
        )
    codes = account_codes(session)
    chart = finance.load_chart(session)
    retained = finance.account_for_role(session, "retained_earnings")
    lines: list[LedgerLine] = []
    memo = f"Opening payroll provisions at {as_of}"
    for role, total in (("eos_provision", eos_total), ("leave_provision", leave_total)):
        account = chart.get(codes[role])
        assert account.id is not None
        # A credit balance is negative in debits-minus-credits.
        missing = total + finance.posted_balance(session, account.id)
        if missing > 0:
            lines += [
                LedgerLine("retained_earnings", retained, missing, 0, None, memo),
                LedgerLine(role, codes[role], 0, missing, None, memo),
            ]
        elif missing < 0:
            lines += [
                LedgerLine(role, codes[role], -missing, 0, None, memo),
                LedgerLine("retained_earnings", retained, 0, -missing, None, memo),
            ]
    entry = None
    if lines:
        entry = post_to_ledger(
            session, actor, on=as_of, memo=memo, reference=f"provision_opening:{as_of}",
            lines=lines,
        )  # fmt: skip
    for row in rows:
        row["entry_ref"] = entry
    if rows:
        session.execute(insert(ProvisionOpening), rows)
    _, exponent = currency_of(session)
    result = OpeningResult(
        as_of, len(rows), from_minor(eos_total, exponent), from_minor(leave_total, exponent), entry
    )
    audit.record(
        session,
        actor,
        action="open_provisions",
        entity="payroll",
        entity_id=as_of.isoformat(),
        changes={"employees": (None, len(rows)), "entry": (None, entry)},
    )
    return result
