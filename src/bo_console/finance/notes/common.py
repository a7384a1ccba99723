"""What the note modules share: finding a note, flushing with the database's refusals as rule
violations, what remains on each line of a document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bo_console.core.errors import NotFound, RuleViolation

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.finance.note_models import Note

_REFUSALS = (
    "fin_note:",
    "fin_note_line:",
    "fin_note_application:",
    "fin_writeoff:",
    "fin_document:",
    "fin_entry:",
    "fin_line:",
)
_ID = re.compile(r"^#?(\d{1,12})$")


def flush(session: Session) -> None:
    """Flush, turning a refusal by the database's triggers into a rule violation."""
    from sqlalchemy.exc import IntegrityError

    try:
        session.flush()
    except IntegrityError as exc:
        message = str(exc.orig)
        if message.startswith(_REFUSALS):
            raise RuleViolation(f"refused: {message.split(':', 1)[1].strip()}") from exc
        raise


def find_note(session: Session, ref: str | int) -> Note:
    """A note by number (``CRN-2026-00003``) or id (``#4``).

    Raises:
        NotFound: no such note.
    """
    from sqlmodel import select

    from bo_console.finance.note_models import Note

    text = str(ref).strip()
    by_id = _ID.match(text)
    if by_id:
        found = session.get(Note, int(by_id.group(1)))
    else:
        found = session.exec(select(Note).where(Note.number == text.upper())).first()
    if found is None:
        raise NotFound(f"no credit or debit note {text}")
    return found


@dataclass(frozen=True)
class LineLeft:
    """What remains on one line of a document after its notes (minor units, thousandths)."""

    line_no: int
    description: str
    unit_price: int
    tax_code: str
    account_id: int
    quantity: int
    net: int
    tax: int


def lines_left(session: Session, document_id: int) -> list[LineLeft]:
    """Each line of a document as it stands after its credit and debit notes."""
    from sqlalchemy import text

    rows = session.execute(
        text(
            """SELECT ol.line_no, ol.description, ol.unit_price, ol.tax_code, ol.account_id,
                      ol.quantity + COALESCE(SUM(s.sign * nl.quantity), 0),
                      ol.net + COALESCE(SUM(s.sign * nl.net), 0),
                      ol.tax + COALESCE(SUM(s.sign * nl.tax), 0)
               FROM fin_document_line ol
               LEFT JOIN (SELECT id, CASE WHEN kind IN ('sales_credit', 'purchase_credit')
                                          THEN -1 ELSE 1 END AS sign
                          FROM fin_note WHERE original_id = :d) s ON 1 = 1
               LEFT JOIN fin_note_line nl ON nl.note_id = s.id
                    AND nl.original_line_no = ol.line_no
               WHERE ol.document_id = :d
               GROUP BY ol.line_no, ol.description, ol.unit_price, ol.tax_code,
                        ol.account_id, ol.quantity, ol.net, ol.tax
               ORDER BY ol.line_no"""
        ),
        {"d": document_id},
    ).all()
    return [
        LineLeft(
            line_no=int(r[0]),
            description=str(r[1]),
            unit_price=int(r[2]),
            tax_code=str(r[3]),
            account_id=int(r[4]),
            quantity=int(r[5]),
            net=int(r[6]),
            tax=int(r[7]),
        )
        for r in rows
    ]
