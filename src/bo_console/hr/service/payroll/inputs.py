"""A month's variable pay inputs: overtime hours, bonuses and deductions."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo_console.core import audit
from bo_console.core.clock import utcnow
from bo_console.core.errors import (
    AlreadyDone,
    RuleViolation,
    ValidationFailed,
)
from bo_console.core.money import from_minor
from bo_console.core.security import Actor
from bo_console.hr.models.values import parse_money
from bo_console.hr.models.views import PayInputView
from bo_console.hr.service.common import (
    Period,
    currency_of,
    format_days,
    parse_days,
)
from bo_console.hr.service.lists import may_read_pay as _may_read_pay
from bo_console.hr.service.payroll.runs import live_run

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.hr.models import PayInput


# -- variable inputs --------------------------------------------------------------------------


def input_columns() -> list[Any]:
    """Columns of the pay inputs file (template: data/hr-pay-inputs-template.csv)."""
    from bo_console.core import io

    return [
        io.Column("employee", help="employee number"),
        io.Column("kind", help="overtime, bonus, commission or deduction"),
        io.Column("hours", required=False, help="overtime hours (overtime only)"),
        io.Column("amount", required=False, help="amount (bonus, commission, deduction)"),
        io.Column("note", required=False),
    ]


def import_inputs(
    session: Session, actor: Actor, path: Path, period: Period, *, dry_run: bool = False
) -> int:
    """Add a month's variable pay items from CSV/XLSX: all rows or none.

    The same file cannot be imported twice for a month; a month that has a run takes no more
    inputs (discard the draft first).
    """
    from sqlalchemy import insert
    from sqlmodel import select

    from bo_console.core import io
    from bo_console.hr.models import PAY_INPUT_KINDS, Employee, PayInput

    actor.require("payroll.prepare", "import pay inputs")
    actor.require("hr.confidential", "import pay amounts")
    run = live_run(session, period)
    if run is not None:
        raise RuleViolation(
            f"{period} already has pay run {run.id} ({run.status}); inputs can only change "
            "before the month is run"
            + (" (discard the draft first)" if run.status == "draft" else "")
        )
    if not path.is_file():
        raise ValidationFailed(f"{path} is not a file")
    _, exponent = currency_of(session)
    numbers = {n: i for i, n in session.exec(select(Employee.id, Employee.number)).all()}

    def parse(
        number: int, record: dict[str, str], report: io.ImportReport
    ) -> dict[str, Any] | None:
        ok = True
        emp = (record.get("employee") or "").strip().upper()
        if emp not in numbers:
            report.add(number, "employee", f"no employee {emp!r}")
            ok = False
        kind = (record.get("kind") or "").strip().lower()
        if kind not in PAY_INPUT_KINDS:
            report.add(number, "kind", f"one of: {', '.join(PAY_INPUT_KINDS)}")
            ok = False
        hours_text = (record.get("hours") or "").strip()
        amount_text = (record.get("amount") or "").strip()
        hours: int | None = None
        amount: int | None = None
        if kind == "overtime":
            if amount_text:
                report.add(number, "amount", "overtime is given in hours; leave amount empty")
                ok = False
            try:
                hours = parse_days(hours_text) if hours_text else None
            except ValueError as exc:
                report.add(number, "hours", str(exc).replace("days", "hours"))
                ok = False
            else:
                if hours is None or not 0 < hours <= 300 * 100:
                    report.add(number, "hours", "overtime needs 0.01 to 300 hours")
                    ok = False
        elif kind:
            if hours_text:
                report.add(number, "hours", f"{kind} is an amount; leave hours empty")
                ok = False
            try:
                amount = parse_money(amount_text, exponent) if amount_text else None
            except ValueError as exc:
                report.add(number, "amount", str(exc))
                ok = False
            else:
                if amount is None or amount <= 0:
                    report.add(number, "amount", "a positive amount is needed")
                    ok = False
        note = (record.get("note") or "").strip()
        if len(note) > 200:
            report.add(number, "note", "longer than 200 characters")
            ok = False
        if not ok:
            return None
        return {
            "period": period.key,
            "employee_id": numbers[emp],
            "kind": kind,
            "hours": hours,
            "amount": amount,
            "note": note,
            "imported_by": actor.login,
            "imported_at": utcnow(),
        }

    rows = io.read_validated(path, input_columns(), parse)
    # The same inputs are recognised by what they say, not by the file's bytes: the same rows
    # saved again with other line endings, quoting or order are still one import.
    digest = _inputs_digest(rows)
    if session.exec(
        select(PayInput.id).where(PayInput.batch == digest, PayInput.period == period.key)
    ).first():
        raise AlreadyDone(f"{path.name} was already imported for {period}; nothing changed")
    for row in rows:
        row["batch"] = digest
    if dry_run:
        return len(rows)
    session.execute(insert(PayInput), rows)
    audit.record(
        session,
        actor,
        action="import",
        entity="pay_input",
        entity_id=period.key,
        changes={"file": (None, path.name), "rows": (None, len(rows)), "sha256": (None, digest)},
    )
    return len(rows)


def add_input(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    employee: str,
    kind: str,
    hours: int | None = None,
    amount: int | None = None,
    note: str = "",
    advance: bool = False,
) -> PayInput:
    """Add one variable pay item by hand (hours in hundredths, amount in minor units).

    ``advance`` marks a deduction that recovers a salary advance: it is credited to employee
    advances, not to a payable."""
    from bo_console.core.text import clean
    from bo_console.hr.models import PAY_INPUT_KINDS, PayInput
    from bo_console.hr.service.common import employee_by_number

    actor.require("payroll.prepare", "enter pay inputs")
    actor.require("hr.confidential", "enter pay amounts")
    run = live_run(session, period)
    if run is not None:
        raise RuleViolation(f"{period} already has pay run {run.id} ({run.status})")
    if kind not in PAY_INPUT_KINDS:
        raise ValidationFailed(f"kind is one of: {', '.join(PAY_INPUT_KINDS)}")
    if kind == "overtime":
        if amount is not None or hours is None or not 0 < hours <= 300 * 100:
            raise ValidationFailed("overtime is 0.01 to 300 hours, with no amount")
    elif hours is not None or amount is None or amount <= 0:
        raise ValidationFailed(f"{kind} is a positive amount, with no hours")
    if advance and kind != "deduction":
        raise ValidationFailed("only a deduction can recover an advance")
    person = employee_by_number(session, employee)
    row = PayInput(
        period=period.key,
        employee_id=person.id or 0,
        kind=kind,
        hours=hours,
        amount=amount,
        advance=advance,
        note=clean(note)[:200],
        batch="manual",
        imported_by=actor.login,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="pay_input",
        entity_id=row.id or 0,
        changes={
            "period": (None, period.key),
            "employee": (None, person.number),
            "kind": (None, kind),
            "hours": (None, hours),
            "amount": (None, amount),
            "advance": (None, advance),
        },
        confidential=("amount",),
    )
    return row


def list_inputs(session: Session, actor: Actor, period: Period) -> list[PayInputView]:
    """A month's variable pay items."""
    from sqlmodel import col, select

    from bo_console.hr.models import Employee, PayInput

    _may_read_pay(actor)
    _, exponent = currency_of(session)
    rows = [
        PayInputView(
            employee=number,
            kind=row.kind,
            hours=format_days(row.hours) if row.hours is not None else "",
            amount=from_minor(row.amount, exponent) if row.amount is not None else "",
            note=row.note,
            imported_by=row.imported_by,
        )
        for row, number in session.exec(
            select(PayInput, Employee.number)
            .join(Employee, col(Employee.id) == col(PayInput.employee_id))
            .where(col(PayInput.period) == period.key)
            .order_by(col(Employee.number), col(PayInput.id))
        ).all()
    ]
    if rows:
        audit.record_view(
            session,
            actor,
            entity="employee",
            entity_ids=sorted({str(r["employee"]) for r in rows}),
            fields=("pay_inputs",),
        )
    return rows


INPUT_COLUMNS = ["employee", "kind", "hours", "amount", "note", "imported_by"]


def clear_inputs(session: Session, actor: Actor, period: Period) -> int:
    """Remove every input of a month that has no run yet; returns how many."""
    from sqlalchemy import delete
    from sqlmodel import col

    from bo_console.hr.models import PayInput

    actor.require("payroll.prepare", "clear pay inputs")
    run = live_run(session, period)
    if run is not None:
        raise RuleViolation(f"{period} already has pay run {run.id} ({run.status})")
    result = session.execute(delete(PayInput).where(col(PayInput.period) == period.key))
    count = int(getattr(result, "rowcount", 0) or 0)
    audit.record(
        session,
        actor,
        action="clear",
        entity="pay_input",
        entity_id=period.key,
        changes={"rows": (count, 0)},
    )
    return count


def _inputs_digest(rows: list[dict[str, Any]]) -> str:
    """SHA-256 of the parsed inputs, in a fixed order (what a repeated import is known by)."""
    digest = hashlib.sha256()
    fields = ("employee_id", "kind", "hours", "amount", "note")
    for values in sorted(tuple(str(row[f]) for f in fields) for row in rows):
        digest.update("\x1f".join(values).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()
