"""Issuing a credit or debit note on part of a posted invoice or bill."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bo_console.core.errors import FieldError, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.security import Actor
    from bo_console.finance.document_models import Document, Party
    from bo_console.finance.models import LineCreate
    from bo_console.finance.note_models import Note, NoteCreate
    from bo_console.finance.notes.common import LineLeft


def validate_note(values: dict[str, Any]) -> NoteCreate:
    """A :class:`NoteCreate` from plain values, or a one-line ``ValidationFailed``."""
    from pydantic import ValidationError

    from bo_console.finance.messages import invalid
    from bo_console.finance.note_models import NoteCreate

    try:
        return NoteCreate.model_validate(values)
    except ValidationError as exc:
        raise invalid(exc, fallback="note", every=False) from None


@dataclass(frozen=True)
class _Planned:
    original: LineLeft
    quantity: int
    net: int
    tax: int


def _plan_line(
    session: Session, left: LineLeft, quantity: int, amount: int | None, credit: bool, where: str
) -> _Planned:
    """One note line's net and VAT: per line at the code's rate; a credit that takes all
    that is left of a line takes all of its VAT too, so no halala is left behind."""
    from bo_console.core.money import base_currency
    from bo_console.finance import tax as vat
    from bo_console.finance.documents import format_quantity

    def refuse(message: str) -> ValidationFailed:
        return ValidationFailed(f"{where}: {message}", [FieldError(where, message)])

    code = vat.get_tax_code(session, left.tax_code)
    if code.treatment == "reverse_charge":
        raise refuse(f"{left.tax_code} is a reverse-charge line; void and re-enter the bill")
    net = amount if amount is not None else vat.line_net(quantity, left.unit_price)
    if net <= 0 and quantity <= 0:
        raise refuse("give a quantity or an amount")
    if credit:
        money = base_currency(session)
        if quantity > left.quantity:
            raise refuse(
                f"only {format_quantity(left.quantity)} of line {left.line_no} is left to credit"
            )
        if net > left.net:
            raise refuse(f"only {money.format(left.net)} of line {left.line_no} is left to credit")
        if net == left.net:
            tax = left.tax
        else:
            tax = min(vat.tax_of(net, code.rate_bp), left.tax)
    else:
        tax = vat.tax_of(net, code.rate_bp)
    if net + tax <= 0:
        raise refuse("the line credits nothing")
    return _Planned(left, quantity, net, tax)


def _entry_lines(
    session: Session,
    kind: str,
    original: Document,
    party: Party,
    number: str,
    planned: list[_Planned],
) -> list[LineCreate]:
    """A credit note undoes its lines' share of the original's posting; a debit note adds to
    it: the control account for the total against the lines' accounts and VAT per code."""
    from bo_console.finance.accounts import load_chart
    from bo_console.finance.chart import role_code
    from bo_console.finance.document_models import TaxCode
    from bo_console.finance.models import LineCreate
    from bo_console.finance.note_models import CREDIT_KINDS

    chart = load_chart(session)
    sales = original.kind == "invoice"
    sign = -1 if sales else 1
    if kind in CREDIT_KINDS:
        sign = -sign
    memo = f"{number} on {original.number} {party.name}"[:200]
    total = sum(p.net + p.tax for p in planned)
    lines = [
        LineCreate.signed(
            role_code(session, "receivables" if sales else "payables"),
            -sign * total,
            memo,
            party_id=party.id,
        )
    ]
    nets: dict[tuple[int, str], int] = {}
    taxes: dict[str, int] = {}
    for p in planned:
        key = (p.original.account_id, p.original.tax_code)
        nets[key] = nets.get(key, 0) + p.net
        taxes[p.original.tax_code] = taxes.get(p.original.tax_code, 0) + p.tax
    for (account_id, code), net in nets.items():
        if net:
            lines.append(
                LineCreate.signed(
                    chart.accounts[account_id].code,
                    sign * net,
                    memo,
                    party_id=party.id,
                    tax_code=code,
                )
            )
    for code, tax in taxes.items():
        if not tax:
            continue
        info = session.get(TaxCode, code)
        account = (
            None if info is None else (info.output_account_id if sales else info.input_account_id)
        )
        if account is None or account not in chart.accounts:
            raise RuleViolation(f"tax code {code} has no VAT account to post {number}'s tax to")
        lines.append(
            LineCreate.signed(
                chart.accounts[account].code, sign * tax, memo, party_id=party.id, tax_code=code
            )
        )
    return lines


def issue_note(session: Session, actor: Actor, data: NoteCreate) -> Note:
    """Issue a credit or debit note on part of a posted invoice or bill: number it in its
    kind's sequence, post its entry to the original's control account, and apply a credit
    note to what the original still owes (the rest stays on the party's account). Audited.

    Raises:
        ValidationFailed: a line names no line of the original, or credits more than remains.
        RuleViolation: the original is a draft or void, the date is before it or in a closed
            month.
    """
    from bo_console.core import audit
    from bo_console.core.money import base_currency
    from bo_console.finance.document_models import Party
    from bo_console.finance.documents import find_document
    from bo_console.finance.documents.writing import _next_seq
    from bo_console.finance.ledger import is_closed, period_of, post_entry
    from bo_console.finance.models import EntryCreate
    from bo_console.finance.note_models import (
        NOTE_LABELS,
        NOTE_OF,
        NOTE_SOURCE,
        Note,
        NoteApplication,
        NoteLine,
        note_number,
    )
    from bo_console.finance.notes.common import flush, lines_left

    data = validate_note(data.model_dump())
    actor.require("finance.post", "issue credit and debit notes")
    original = find_document(session, data.original, ("invoice", "bill"))
    session.refresh(original)
    if original.status == "draft":
        raise RuleViolation(f"{original.ref} is a draft; change it instead of issuing a note")
    if original.status == "void":
        raise RuleViolation(f"{original.ref} is void; there is nothing to correct")
    if data.date < original.date:
        raise RuleViolation(f"a note cannot be dated before {original.ref} ({original.date})")
    if is_closed(session, period_of(data.date)):
        raise RuleViolation(
            f"period {period_of(data.date)} is closed; date the note in an open month"
        )
    assert original.id is not None and original.number is not None
    kind = NOTE_OF[(original.kind, data.kind)]
    credit = data.kind == "credit"
    left = {line.line_no: line for line in lines_left(session, original.id)}
    planned: list[_Planned] = []
    seen: dict[int, tuple[int, int, int]] = {}
    for number, line in enumerate(data.lines, start=1):
        where = f"line {number}"
        found = left.get(line.line)
        if found is None:
            message = f"{original.ref} has no line {line.line}"
            raise ValidationFailed(f"{where}: {message}", [FieldError(where, message)])
        used = seen.get(line.line, (0, 0, 0))
        if credit:  # earlier lines of this note on the same original line took their part
            found = _less(found, used)
        plan = _plan_line(session, found, line.quantity, line.amount, credit, where)
        seen[line.line] = (used[0] + plan.quantity, used[1] + plan.net, used[2] + plan.tax)
        planned.append(plan)
    party = session.get(Party, original.party_id)
    assert party is not None
    year = data.date.year
    seq = _next_seq(session, "fin_note", "kind", kind, year)
    ref = note_number(kind, year, seq)
    net, tax = sum(p.net for p in planned), sum(p.tax for p in planned)
    entry = post_entry(
        session,
        actor,
        EntryCreate(
            date=data.date,
            memo=f"{NOTE_LABELS[kind]} {ref} on {original.number} - {party.name}"[:200],
            source=NOTE_SOURCE,
            source_ref=ref,
            lines=_entry_lines(session, kind, original, party, ref, planned),
        ),
    )
    note = Note(
        kind=kind,
        year=year,
        seq=seq,
        number=ref,
        original_id=original.id,
        party_id=original.party_id,
        date=data.date,
        reason=data.reason,
        net=net,
        tax=tax,
        total=net + tax,
        entry_id=entry.id or 0,
        created_by=actor.login,
    )
    session.add(note)
    flush(session)
    assert note.id is not None
    for line_no, plan in enumerate(planned, start=1):
        session.add(
            NoteLine(
                note_id=note.id,
                line_no=line_no,
                original_line_no=plan.original.line_no,
                description=plan.original.description,
                quantity=plan.quantity,
                account_id=plan.original.account_id,
                tax_code=plan.original.tax_code,
                net=plan.net,
                tax=plan.tax,
            )
        )
    flush(session)
    applied = 0
    if credit and original.status in ("posted", "partly_paid"):
        applied = min(note.total, original.total - original.paid)
        session.add(
            NoteApplication(
                note_id=note.id,
                document_id=original.id,
                amount=applied,
                date=data.date,
                created_by=actor.login,
            )
        )
        flush(session)
        session.refresh(original)
        session.refresh(note)
    money = base_currency(session)
    audit.record(
        session,
        actor,
        action="post",
        entity=kind,
        entity_id=ref,
        changes={
            "original": (None, original.number),
            "lines": (None, len(planned)),
            "net": (None, money.from_minor(net)),
            "tax": (None, money.from_minor(tax)),
            "total": (None, money.from_minor(net + tax)),
            "applied": (None, money.from_minor(applied) if applied else None),
            "entry": (None, entry.ref),
            "reason": (None, data.reason or None),
        },
    )
    return note


def _less(left: LineLeft, used: tuple[int, int, int]) -> LineLeft:
    """``left`` less what earlier lines of the same note already take from it."""
    from dataclasses import replace

    return replace(
        left, quantity=left.quantity - used[0], net=left.net - used[1], tax=left.tax - used[2]
    )
