"""What the document modules share: kinds, quantities, finding a document, its lines'
accounts and party."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from bo_console.core.errors import FieldError, NotFound, RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.finance.accounts import Chart
    from bo_console.finance.document_models import (
        Document,
        DocumentLine,
        Party,
    )


_ID = re.compile(r"^(?:draft\s*)?#?(\d{1,12})$", re.IGNORECASE)

KIND_LABELS = {
    "invoice": "Invoice",
    "bill": "Bill",
    "credit_note": "Credit note",
    "supplier_credit": "Supplier credit note",
}
SIDES = {"sales": ("invoice", "credit_note"), "purchases": ("bill", "supplier_credit")}


def parse_quantity(text: str) -> int:
    """A quantity as typed (``2``, ``2.5``, ``0.125``) in thousandths, above zero.

    Raises:
        ValueError: not a number, more than three decimals, or not above zero.
    """
    from bo_console.finance.document_models import QTY_SCALE

    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not a quantity") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{text.strip()!r}: a quantity is above zero")
    scaled = value * QTY_SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{text.strip()!r} has more than three decimals")
    return int(scaled)


def format_quantity(quantity: int) -> Decimal:
    """Thousandths as a Decimal without trailing zeros beyond the point (``2500`` -> ``2.5``)."""
    value = Decimal(quantity).scaleb(-3)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


_REFUSALS = (
    "fin_document:",
    "fin_payment:",
    "fin_allocation:",
    "fin_entry:",
    "fin_line:",
    "fin_period:",
)


def _flush(session: Session) -> None:
    """Flush, turning a refusal by the database's triggers into a rule violation."""
    from sqlalchemy.exc import IntegrityError

    try:
        session.flush()
    except IntegrityError as exc:
        message = str(exc.orig)
        if message.startswith(_REFUSALS):
            raise RuleViolation(f"refused: {message.split(':', 1)[1].strip()}") from exc
        if "ix_fin_document_supplier_ref" in message or (
            "UNIQUE" in message and "fin_document.party_id" in message
        ):
            raise RuleViolation(
                "this supplier's bill with that reference is already entered"
            ) from exc
        raise


# -- finding ------------------------------------------------------------------------------------


def find_document(session: Session, ref: str | int, kinds: Sequence[str] = ()) -> Document:
    """A document by number (``INV-2026-00017``) or id (``#7``, ``7``), of ``kinds`` if given.

    Raises:
        NotFound: no such document (of those kinds).
    """
    from sqlmodel import select

    from bo_console.finance.document_models import Document

    text = str(ref).strip()
    by_id = _ID.match(text)
    if by_id:
        found = session.get(Document, int(by_id.group(1)))
    else:
        found = session.exec(select(Document).where(Document.number == text.upper())).first()
    if found is None or (kinds and found.kind not in kinds):
        what = " or ".join(KIND_LABELS[k].lower() for k in kinds) if kinds else "document"
        raise NotFound(f"no {what} {text}")
    return found


def _account_for_line(
    chart: Chart, session: Session, kind: str, account: str | None, where: str
) -> int:
    from bo_console.finance.chart import role_code

    if not account:
        if kind == "bill":
            raise ValidationFailed(
                f"{where}: a bill line needs the account it is spent on (e.g. 6240)",
                [FieldError(f"{where} account", "required on bills")],
            )
        account = role_code(session, "sales")
    found = chart.find(account)
    if found is None:
        raise ValidationFailed(
            f"{where}: no account {account!r}", [FieldError(f"{where} account", "unknown")]
        )
    control = {role_code(session, r) for r in ("receivables", "payables")}
    if not found.active or not found.postable or found.code in control:
        raise ValidationFailed(
            f"{where}: {found.code} {found.name} cannot take document lines "
            "(inactive, a group, or a receivables/payables control account)",
            [FieldError(f"{where} account", "not usable")],
        )
    assert found.id is not None
    return found.id


def _party_for(session: Session, kind: str, ref: str) -> Party:
    from bo_console.finance.parties import find_party, require_role

    party = find_party(session, ref)
    require_role(party, "customer" if kind in SIDES["sales"] else "supplier")
    return party


def _lines_of(session: Session, document_id: int) -> list[DocumentLine]:
    from sqlmodel import col, select

    from bo_console.finance.document_models import DocumentLine

    return list(
        session.exec(
            select(DocumentLine)
            .where(DocumentLine.document_id == document_id)
            .order_by(col(DocumentLine.line_no))
        ).all()
    )
