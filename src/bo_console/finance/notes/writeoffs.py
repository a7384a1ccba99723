"""Writing off what an invoice still owes: a small residual, or a bad debt with its VAT relief.

A bad debt's remainder holds output VAT the seller already declared. The KSA VAT Implementing
Regulations (Article 40, adjustments to the value of a supply, with the bad-debt conditions of
the GCC Unified VAT Agreement, Article 30) let the seller reduce its output tax by the VAT in a
debt that is written off in its books, after reasonable steps to collect it, once twelve
months have passed (or at once when the customer is bankrupt), in the return of the period of
the write-off. The console asks for the twelve months from the invoice's date unless the
write-off says the customer is insolvent, and declares the relief in the return's corrections
box (14) of the write-off's period.

So a bad-debt write-off debits the expense account with the remainder's net, the output VAT
account with its VAT (the invoice's own VAT share of what is left, spread over its tax codes),
and credits receivables. A small residual (at most the tolerance setting) goes whole to the
expense account, its VAT untouched. A write-off is never dated into a period whose VAT return
is filed (the relief belongs to the return of its own period).

Settings: ``finance.writeoff.account`` (default 6440 Bad debts) and
``finance.writeoff.tolerance`` (the largest residual, in the base currency; default 1.00).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bo_console.core.errors import FieldError, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.note_models import WriteOff

ACCOUNT_SETTING = "finance.writeoff.account"
TOLERANCE_SETTING = "finance.writeoff.tolerance"
DEFAULT_ACCOUNT = "6440"
DEFAULT_TOLERANCE = "1.00"


def tolerance(session: Session) -> int:
    """The largest residual written off without a bad-debt decision (minor units)."""
    from bo_console.core import settings
    from bo_console.core.money import base_currency

    return base_currency(session).parse(
        settings.get(session, TOLERANCE_SETTING) or DEFAULT_TOLERANCE
    )


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _next_seq(session: Session, year: int) -> int:
    from sqlalchemy import text

    from bo_console.core.db import lock_numbering

    lock_numbering(session, "fin_writeoff")
    found = session.execute(
        text("SELECT COALESCE(MAX(seq), 0) + 1 FROM fin_writeoff WHERE year = :y"), {"y": year}
    ).scalar_one()
    return int(found)


def _vat_by_code(session: Session, document_id: int, tax: int) -> dict[str, int]:
    """``tax`` spread over the document's tax codes in proportion to their VAT (the parts sum
    to the whole)."""
    from sqlalchemy import text

    from bo_console.core.money import allocate

    rows = [
        (str(code), int(vat))
        for code, vat in session.execute(
            text(
                "SELECT tax_code, SUM(tax) FROM fin_document_line WHERE document_id = :d "
                "GROUP BY tax_code HAVING SUM(tax) > 0 ORDER BY tax_code"
            ),
            {"d": document_id},
        ).all()
    ]
    if not rows or not tax:
        return {}
    parts = allocate(tax, [vat for _, vat in rows])
    return {code: part for (code, _), part in zip(rows, parts, strict=True) if part}


def write_off(
    session: Session,
    actor: Actor,
    ref: str,
    *,
    on: date,
    kind: str = "bad_debt",
    account: str | None = None,
    reason: str = "",
    insolvent: bool = False,
) -> WriteOff:
    """Write off the whole of what a posted invoice still owes on ``on`` (finance managers).
    A ``bad_debt`` takes back the output VAT in it (twelve months after the invoice, or
    earlier when the customer is ``insolvent``); a ``residual`` must be within the tolerance.
    Audited.

    Raises:
        RuleViolation: not an open invoice, a residual above the tolerance, a date before the
            invoice, or a closed month.
        ValidationFailed: an unknown kind or an account that cannot take the expense.
    """
    from sqlalchemy import text

    from bo_console.core import audit, settings
    from bo_console.core.money import base_currency
    from bo_console.core.text import clean
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.chart import role_code
    from bo_console.finance.document_models import Party, TaxCode
    from bo_console.finance.documents import find_document
    from bo_console.finance.ledger import is_closed, period_of, post_entry
    from bo_console.finance.models import EntryCreate, LineCreate
    from bo_console.finance.note_models import (
        WRITEOFF_KINDS,
        WRITEOFF_SOURCE,
        WriteOff,
        writeoff_number,
    )
    from bo_console.finance.notes.common import flush

    actor.require("finance.manage", "write off invoices")
    if kind not in WRITEOFF_KINDS:
        raise ValidationFailed(
            f"a write-off is {' or '.join(WRITEOFF_KINDS)}, not {kind!r}",
            [FieldError("kind", "unknown")],
        )
    invoice = find_document(session, ref, ("invoice",))
    session.refresh(invoice)
    if invoice.status not in ("posted", "partly_paid"):
        raise RuleViolation(f"{invoice.ref} is {invoice.status}; nothing is owed on it")
    if on < invoice.date:
        raise RuleViolation(f"a write-off cannot be dated before {invoice.ref} ({invoice.date})")
    if is_closed(session, period_of(on)):
        raise RuleViolation(f"period {period_of(on)} is closed; write off in an open month")
    filed = session.execute(
        text("SELECT period, last_day FROM fin_vat_return WHERE last_day >= :d ORDER BY last_day"),
        {"d": on},
    ).first()
    if filed is not None:
        raise RuleViolation(
            f"the VAT return {filed[0]} is filed; date the write-off after {filed[1]}"
        )
    if kind == "bad_debt" and not insolvent and on < _year_after(invoice.date):
        raise RuleViolation(
            f"bad-debt VAT relief needs twelve months since {invoice.ref} "
            f"(on or after {_year_after(invoice.date)}) or an insolvent customer"
        )
    money = base_currency(session)
    amount = invoice.total - invoice.paid
    if kind == "residual" and amount > tolerance(session):
        raise RuleViolation(
            f"{invoice.ref} still owes {money.format(amount)}, more than the residual "
            f"tolerance ({money.format(tolerance(session))}); write it off as a bad debt"
        )
    chart = load_chart(session)
    expense = chart.get(account or settings.get(session, ACCOUNT_SETTING) or DEFAULT_ACCOUNT)
    if expense.type != "expense" or not expense.postable or not expense.active:
        raise ValidationFailed(
            f"{expense.code} {expense.name} is not an expense account a write-off can use",
            [FieldError("account", "not an expense account")],
        )
    assert invoice.id is not None
    tax = 0
    if kind == "bad_debt" and invoice.total:
        # the invoice's own VAT share of what is left, rounded half up
        tax = (2 * amount * invoice.tax + invoice.total) // (2 * invoice.total)
    vat_parts = _vat_by_code(session, invoice.id, tax)
    tax = sum(vat_parts.values())
    party = session.get(Party, invoice.party_id)
    assert party is not None
    year = on.year
    seq = _next_seq(session, year)
    number = writeoff_number(year, seq)
    memo = f"Write-off {number} of {invoice.number} {party.name}"[:200]
    lines = [
        LineCreate.signed(role_code(session, "receivables"), -amount, memo, party_id=party.id),
        LineCreate.signed(expense.code, amount - tax, memo, party_id=party.id),
    ]
    for code, part in vat_parts.items():
        info = session.get(TaxCode, code)
        assert info is not None and info.output_account_id is not None
        lines.append(
            LineCreate.signed(
                chart.accounts[info.output_account_id].code,
                part,
                memo,
                party_id=party.id,
                tax_code=code,
            )
        )
    entry = post_entry(
        session,
        actor,
        EntryCreate(date=on, memo=memo, source=WRITEOFF_SOURCE, source_ref=number, lines=lines),
        permission="finance.manage",
    )
    assert expense.id is not None
    row = WriteOff(
        year=year,
        seq=seq,
        number=number,
        kind=kind,
        document_id=invoice.id,
        date=on,
        amount=amount,
        tax=tax,
        account_id=expense.id,
        reason=clean(reason)[:200],
        entry_id=entry.id or 0,
        created_by=actor.login,
    )
    session.add(row)
    flush(session)
    session.refresh(invoice)
    audit.record(
        session,
        actor,
        action="write_off",
        entity="invoice",
        entity_id=invoice.ref,
        changes={
            "writeoff": (None, number),
            "kind": (None, kind),
            "amount": (None, money.from_minor(amount)),
            "vat_relief": (None, money.from_minor(tax)),
            "account": (None, expense.code),
            "entry": (None, entry.ref),
            "reason": (None, clean(reason) or None),
            "insolvent": (None, insolvent or None),
        },
    )
    return row
