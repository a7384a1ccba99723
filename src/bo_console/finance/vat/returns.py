"""The VAT return in ZATCA's layout, for a month or a quarter.

Which period a return covers is a setting, ``finance.vat.filing`` (``monthly`` or
``quarterly``; ZATCA asks monthly returns of businesses with taxable supplies above SAR 40
million a year, quarterly ones of the others). A period is ``2026-03`` or ``2026-Q1``.

What goes in the boxes, from the posted documents dated in the period (their lines) and the
posted journal lines with a tax code that are not a document's own posting (the same sources
as ``finance.tax.vat_return``):

- sales (invoices; credit notes in the adjustment column): 1 standard-rated sales, 2
  standard-rated sales to citizens whose VAT the state bears (private healthcare, private
  education, a first home: codes with the treatment ``citizen``), 3 zero-rated domestic
  sales, 4 exports, 5 exempt sales, 6 the total.
- purchases (bills; supplier credit notes as adjustments): 7 standard-rated domestic
  purchases, 8 imports with VAT paid at customs, 9 imports under the reverse charge, 10
  zero-rated purchases, 11 exempt purchases, 12 the total.
- 13 VAT due for the period: box 6's VAT plus the reverse charge VAT owed less box 12's VAT
  (the reverse charge is owed and claimed in the same return, so it nets to zero).
- 14 corrections from previous periods: what filed returns' own VAT due has become since they
  were filed (postings into filed periods), less what later filed returns already corrected;
  and, as a reduction, the output VAT of bad debts written off in the period (relief under
  Article 40 of the VAT Implementing Regulations; :mod:`bo_console.finance.notes.writeoffs`).

Credit and debit notes (:mod:`bo_console.finance.notes`) go in the adjustment column of their
lines' boxes (credits negative, debits positive) in the period the note is issued in, which is
when ZATCA has the supplier adjust its output (and the buyer its input) tax.
- 15 VAT credit carried forward: the previous filed return's credit (a negative net due).
- 16 net VAT due: 13 + 14 - 15 (negative: a credit, carried into the next return).

Out-of-scope codes are in no box. Beside the boxes stands the ledger tie of
``finance.tax``: what the VAT output and input accounts moved in the period.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.finance.document_models import TaxCode

FILING_SETTING = "finance.vat.filing"
FILINGS = ("monthly", "quarterly")

BOX_LABELS: dict[int, str] = {
    1: "Standard rated sales",
    2: "Private healthcare, private education, first house sales to citizens",
    3: "Zero rated domestic sales",
    4: "Exports",
    5: "Exempt sales",
    6: "Total sales",
    7: "Standard rated domestic purchases",
    8: "Imports subject to VAT paid at customs",
    9: "Imports subject to VAT accounted for through reverse charge",
    10: "Zero rated purchases",
    11: "Exempt purchases",
    12: "Total purchases",
    13: "Total VAT due for current period",
    14: "Corrections from previous period",
    15: "VAT credit carried forward from previous period(s)",
    16: "Net VAT due (or claimed)",
}
"""ZATCA's box numbers and their English labels."""

_PERIOD = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


def filing(db: Reads) -> str:
    """``monthly`` or ``quarterly``: how often VAT returns are filed (through a Reader or a
    session)."""
    from bo_console.core import settings

    value = settings.get(db, FILING_SETTING)
    return value if value in FILINGS else "monthly"


def set_filing(session: Session, actor: Actor, value: str) -> str:
    """Set how often VAT returns are filed (finance managers; audited)."""
    from bo_console.core import audit, settings

    actor.require("finance.manage", "set the VAT filing period")
    value = value.strip().lower()
    if value not in FILINGS:
        raise ValidationFailed(f"VAT filing is one of {', '.join(FILINGS)}, not {value!r}")
    before = filing(session)
    # Stored even when it names the default: a set filing period puts the month-end
    # checklist's VAT item in force (``vat_return_unfiled``).
    if settings.get(session, FILING_SETTING) != value:
        settings.put(session, None, FILING_SETTING, value)
        audit.record(
            session,
            actor,
            action="set",
            entity="setting",
            entity_id=FILING_SETTING,
            changes={"value": (before, value)},
        )
    return value


def period_bounds(session: Session, period: str) -> tuple[str, date, date]:
    """The period's canonical name and its first and last days, checked against the filing
    setting.

    Raises:
        ValidationFailed: not ``YYYY-MM`` or ``YYYY-Qn``, or not the kind of period filed.
    """
    text = period.strip().upper()
    found = _PERIOD.match(text)
    every = filing(session)
    example = "2026-Q1" if every == "quarterly" else "2026-03"
    if found is None:
        raise ValidationFailed(f"{period!r} is not a month or a quarter (e.g. {example})")
    year = int(found.group(1))
    if found.group(2):
        if every == "quarterly":
            raise ValidationFailed(
                f"VAT returns are filed quarterly ({FILING_SETTING}); give a quarter like "
                f"{year}-Q1, not {text}"
            )
        month = int(found.group(2))
        return text, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if every == "monthly":
        raise ValidationFailed(
            f"VAT returns are filed monthly ({FILING_SETTING}); give a month like {year}-03, "
            f"not {text}"
        )
    quarter = int(found.group(3))
    last_month = quarter * 3
    return (
        text,
        date(year, last_month - 2, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


@dataclass(frozen=True)
class VatBox:
    """One box of the return: the amount (net of VAT), adjustments and the VAT on them."""

    box: int
    label: str
    amount: Decimal
    adjustment: Decimal
    vat: Decimal


@dataclass(frozen=True)
class ZatcaReturn:
    """The return of one period in ZATCA's boxes, with the ledger tie beside it."""

    period: str
    first_day: date
    last_day: date
    currency: str
    boxes: tuple[VatBox, ...]
    vat_due: Decimal
    corrections: Decimal
    credit_brought_forward: Decimal
    net_due: Decimal
    ledger_output_vat: Decimal
    ledger_input_vat: Decimal
    output_vat: Decimal
    input_vat: Decimal
    filed: bool
    vat_due_now: Decimal
    """Box 13 as the books stand now: differs from ``vat_due`` when something was posted into
    the period after it was filed (the next return declares the difference in box 14)."""
    bad_debt_relief: Decimal = Decimal(0)
    """Output VAT taken back by bad debts written off in the period (in box 14, negative)."""

    @property
    def ties(self) -> bool:
        """True when output and input VAT equal what the VAT accounts moved in the period
        (the output VAT account also gave back the bad-debt relief)."""
        return (
            self.ledger_output_vat == self.output_vat - self.bad_debt_relief
            and self.ledger_input_vat == self.input_vat
        )

    def box(self, number: int) -> VatBox:
        """Box ``number``."""
        return next(b for b in self.boxes if b.box == number)


def box_of(side: str, code: TaxCode | None) -> int | None:
    """The box a sales or purchases line with this code goes in (None: in no box)."""
    if code is None or code.category == "out_of_scope":
        return None
    if side == "sales":
        if code.category == "exempt":
            return 5
        if code.treatment == "export":
            return 4
        if code.treatment == "citizen":
            return 2
        return 3 if code.category == "zero" else 1
    if code.treatment == "reverse_charge":
        return 9
    if code.treatment == "import":
        return 8
    if code.category == "exempt":
        return 11
    return 10 if code.category == "zero" else 7


@dataclass
class _Figures:
    """Minor units per box: [amount, adjustment, vat], and the reverse charge VAT owed."""

    boxes: dict[int, list[int]]
    reverse_charge_due: int = 0

    def add(self, box: int | None, amount: int, vat: int, *, adjustment: bool) -> None:
        if box is None:
            return
        cell = self.boxes.setdefault(box, [0, 0, 0])
        cell[1 if adjustment else 0] += amount
        cell[2] += vat

    @property
    def output_vat(self) -> int:
        return (
            sum(self.boxes.get(b, [0, 0, 0])[2] for b in (1, 2, 3, 4, 5)) + self.reverse_charge_due
        )

    @property
    def input_vat(self) -> int:
        return sum(self.boxes.get(b, [0, 0, 0])[2] for b in (7, 8, 9, 10, 11))

    @property
    def vat_due(self) -> int:
        return self.output_vat - self.input_vat


_DOCUMENT_LINES = """
    SELECT d.kind, l.tax_code, SUM(l.net), SUM(l.tax)
    FROM fin_document d JOIN fin_document_line l ON l.document_id = d.id
    WHERE d.status <> 'draft' AND d.date BETWEEN :a AND :b
    GROUP BY d.kind, l.tax_code
"""

_JOURNAL_TAX_LINES = """
    SELECT l.account_id, a.type, l.tax_code, SUM(l.debit), SUM(l.credit)
    FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id
    JOIN fin_account a ON a.id = l.account_id
    WHERE e.state <> 'draft' AND l.tax_code IS NOT NULL AND l.date BETWEEN :a AND :b
      AND e.id NOT IN (SELECT entry_id FROM fin_document WHERE entry_id IS NOT NULL)
      AND e.source NOT IN ('note', 'writeoff')
    GROUP BY l.account_id, a.type, l.tax_code
"""

_NOTE_LINES = """
    SELECT n.kind, l.tax_code, SUM(l.net), SUM(l.tax)
    FROM fin_note n JOIN fin_note_line l ON l.note_id = n.id
    WHERE n.date BETWEEN :a AND :b
    GROUP BY n.kind, l.tax_code
"""
_NOTE_SIGNS = {"sales_credit": -1, "sales_debit": 1, "purchase_credit": -1, "purchase_debit": 1}


def bad_debt_relief(session: Session, first: date, last: date) -> int:
    """The output VAT taken back by bad debts written off over the dates (minor units): box
    14 of the return of the write-offs' period (see :mod:`bo_console.finance.notes.writeoffs`)."""
    from sqlalchemy import text

    found = session.execute(
        text("SELECT COALESCE(SUM(tax), 0) FROM fin_writeoff WHERE date BETWEEN :a AND :b"),
        {"a": first, "b": last},
    ).scalar_one()
    return int(found)


_SALES_KINDS = {"invoice": 1, "debit_note": 1, "credit_note": -1}
_PURCHASE_KINDS = {"bill": 1, "supplier_debit": 1, "supplier_credit": -1}


def _figures(session: Session, first: date, last: date) -> _Figures:
    from sqlalchemy import text
    from sqlmodel import select

    from bo_console.finance.document_models import TaxCode

    codes = {c.code: c for c in session.exec(select(TaxCode)).all()}
    output_ids = {c.output_account_id for c in codes.values() if c.output_account_id}
    input_ids = {c.input_account_id for c in codes.values() if c.input_account_id} - output_ids
    figures = _Figures(boxes={})
    dates = {"a": first, "b": last}
    for kind, code, net, vat in session.execute(text(_DOCUMENT_LINES), dates).all():
        side = "sales" if kind in _SALES_KINDS else "purchases"
        sign = _SALES_KINDS.get(kind) or _PURCHASE_KINDS.get(kind, 1)
        figures.add(
            box_of(side, codes.get(code)), sign * int(net), sign * int(vat), adjustment=sign < 0
        )
    # Credit and debit notes go in the adjustment column of their lines' boxes, in the period
    # the note is issued in.
    for kind, code, net, vat in session.execute(text(_NOTE_LINES), dates).all():
        sign = _NOTE_SIGNS[str(kind)]
        side = "sales" if str(kind).startswith("sales") else "purchases"
        figures.add(
            box_of(side, codes.get(code)), sign * int(net), sign * int(vat), adjustment=True
        )
    for account_id, account_type, code, debit, credit in session.execute(
        text(_JOURNAL_TAX_LINES), dates
    ).all():
        info = codes.get(str(code))
        debit, credit = int(debit), int(credit)
        if account_id in output_ids:
            if info is not None and info.treatment == "reverse_charge":
                figures.reverse_charge_due += credit - debit
            else:
                figures.add(box_of("sales", info), 0, credit - debit, adjustment=False)
        elif account_id in input_ids:
            figures.add(box_of("purchases", info), 0, debit - credit, adjustment=False)
        elif account_type == "income":
            figures.add(box_of("sales", info), credit - debit, 0, adjustment=False)
        else:
            figures.add(box_of("purchases", info), debit - credit, 0, adjustment=False)
    return figures


def vat_due_of(session: Session, first: date, last: date) -> int:
    """Box 13 over the dates as the books stand now (minor units)."""
    return _figures(session, first, last).vat_due


def zatca_return(session: Session, actor: Actor, period: str) -> ZatcaReturn:
    """The VAT return of a month or a quarter in ZATCA's boxes (see the module docstring).

    A filed period shows boxes 1 to 12 as the books stand now and boxes 13 to 16 as filed.

    Raises:
        ValidationFailed: the period is not a month or a quarter, or not the kind filed.
    """
    from sqlmodel import select

    from bo_console.core.money import base_currency
    from bo_console.finance import tax
    from bo_console.finance.document_models import TaxCode
    from bo_console.finance.vat.filing import carried_in, find_filing

    actor.require("finance.read", "prepare the VAT return")
    name, first, last = period_bounds(session, period)
    currency = base_currency(session)
    figures = _figures(session, first, last)
    codes = list(session.exec(select(TaxCode)).all())
    output_ids = sorted({c.output_account_id for c in codes if c.output_account_id})
    input_ids = sorted({c.input_account_id for c in codes if c.input_account_id} - set(output_ids))
    ledger_out, ledger_in, _, _ = tax.ledger_vat(session, first, last, output_ids, input_ids)
    filed = find_filing(session, name)
    due_now = figures.vat_due
    relief = bad_debt_relief(session, first, last)
    if filed is not None:
        due, corrections, brought = filed.vat_due, filed.corrections, filed.credit_brought_forward
    else:
        due = due_now
        corrections, brought = carried_in(session, first)
        corrections -= relief

    def money(value: int) -> Decimal:
        return currency.from_minor(value)

    boxes: list[VatBox] = []
    for group, total in (((1, 2, 3, 4, 5), 6), ((7, 8, 9, 10, 11), 12)):
        sums = [0, 0, 0]
        for number in group:
            cell = figures.boxes.get(number, [0, 0, 0])
            sums = [a + b for a, b in zip(sums, cell, strict=True)]
            boxes.append(VatBox(number, BOX_LABELS[number], *map(money, cell)))
        boxes.append(VatBox(total, BOX_LABELS[total], *map(money, sums)))
    net = due + corrections - brought
    zero = money(0)
    boxes += [
        VatBox(13, BOX_LABELS[13], zero, zero, money(due)),
        VatBox(14, BOX_LABELS[14], zero, zero, money(corrections)),
        VatBox(15, BOX_LABELS[15], zero, zero, money(brought)),
        VatBox(16, BOX_LABELS[16], zero, zero, money(net)),
    ]
    return ZatcaReturn(
        period=name,
        first_day=first,
        last_day=last,
        currency=currency.code,
        boxes=tuple(boxes),
        vat_due=money(due),
        corrections=money(corrections),
        credit_brought_forward=money(brought),
        net_due=money(net),
        ledger_output_vat=money(ledger_out),
        ledger_input_vat=money(ledger_in),
        output_vat=money(figures.output_vat),
        input_vat=money(figures.input_vat),
        filed=filed is not None,
        vat_due_now=money(due_now),
        bad_debt_relief=money(relief),
    )
