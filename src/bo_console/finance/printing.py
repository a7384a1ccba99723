"""Printed documents a customer can be sent: the bilingual tax invoice (or credit note) with
the seller's VAT number and the ZATCA QR code, and the customer's statement of account.

Both are written with ``core.pdf`` (Arabic shaped and laid out right to left). The seller's
details are settings a finance manager keeps (:func:`set_seller`): the company name (set at
``bo init``), its Arabic name, address and VAT registration number, which ZATCA gives as 15
digits starting and ending with 3.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bo_console.core.errors import RuleViolation, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from bo_console.core.pdf import PdfDocument
    from bo_console.core.reading import Reads
    from bo_console.core.security import Actor
    from bo_console.finance.document_models import Party

SELLER_SETTINGS = {
    "vat_number": "finance.seller.vat_number",
    "name_ar": "finance.seller.name_ar",
    "address": "finance.seller.address",
}
_VAT_NUMBER = re.compile(r"^3\d{13}3$")


@dataclass(frozen=True)
class Seller:
    name: str
    name_ar: str
    address: str
    vat_number: str


def seller(db: Reads) -> Seller:
    """The seller's details as the settings hold them (through a Reader or a session)."""
    from bo_console.core import settings

    return Seller(
        name=settings.get(db, "company_name"),
        name_ar=settings.get(db, SELLER_SETTINGS["name_ar"]),
        address=settings.get(db, SELLER_SETTINGS["address"]),
        vat_number=settings.get(db, SELLER_SETTINGS["vat_number"]),
    )


def set_seller(
    session: Session,
    actor: Actor,
    *,
    vat_number: str | None = None,
    name_ar: str | None = None,
    address: str | None = None,
) -> Seller:
    """Set the seller's VAT number, Arabic name or address (finance managers; audited)."""
    from bo_console.core import audit, settings
    from bo_console.core.text import clean

    actor.require("finance.manage", "set the seller's details")
    wanted = {"vat_number": vat_number, "name_ar": name_ar, "address": address}
    if vat_number is not None and not _VAT_NUMBER.match(vat_number.strip()):
        raise ValidationFailed("a VAT number is 15 digits starting and ending with 3")
    for name, value in wanted.items():
        if value is None:
            continue
        key = SELLER_SETTINGS[name]
        before = settings.get(session, key)
        value = clean(value)
        if value != before:
            settings.put(session, None, key, value)
            audit.record(
                session, actor, action="set", entity="setting", entity_id=key,
                changes={"value": (before or None, value)},
            )  # fmt: skip
    return seller(session)


def _tax_seller(session: Session) -> Seller:
    """The seller printed on a tax document, which ZATCA requires to carry its VAT number."""
    company = seller(session)
    if not company.vat_number:
        raise RuleViolation(
            "the seller's VAT number is not set (bo finance vat seller --vat-number ...)"
        )
    return company


def _seller_fields(pdf: PdfDocument, company: Seller) -> None:
    pdf.field("Seller", "البائع", company.name)
    if company.name_ar:
        pdf.field("", "", company.name_ar)
    if company.address:
        pdf.field("Address", "العنوان", company.address)
    pdf.field("VAT number", "الرقم الضريبي", company.vat_number, bold=True)
    pdf.space()


def _customer_fields(pdf: PdfDocument, party: Party) -> None:
    pdf.field("Customer", "العميل", party.name)
    if party.name_ar:
        pdf.field("", "", party.name_ar)
    if party.tax_number:
        pdf.field("Customer VAT number", "الرقم الضريبي للعميل", party.tax_number)


def _totals(pdf: PdfDocument, net: Decimal, tax: Decimal, total: Decimal, currency: str) -> None:
    pdf.field("Total excluding VAT", "الإجمالي غير شامل الضريبة", f"{net:,.2f} {currency}")
    pdf.field("VAT total", "مجموع الضريبة", f"{tax:,.2f} {currency}")
    pdf.field("Total including VAT", "الإجمالي شامل الضريبة", f"{total:,.2f} {currency}", bold=True)


def _document(pdf: PdfDocument, session: Session, actor: Actor, ref: str) -> None:
    from bo_console.core.money import base_currency
    from bo_console.finance.document_models import Document, Party
    from bo_console.finance.documents import find_document, get_document

    row = find_document(session, ref, ("invoice", "credit_note"))
    if row.status == "draft":
        raise RuleViolation(f"{row.ref} is a draft; post it before printing it")
    view = get_document(session, actor, row.id or 0)
    company = _tax_seller(session)
    party = session.get(Party, row.party_id)
    document = session.get(Document, row.id)
    assert party is not None and document is not None
    currency = base_currency(session).code
    credit = row.kind == "credit_note"
    pdf.heading(
        "Tax credit note" if credit else "Tax invoice",
        "إشعار دائن ضريبي" if credit else "فاتورة ضريبية",
    )
    _seller_fields(pdf, company)
    pdf.field("Invoice number", "رقم الفاتورة", view.row.ref, bold=True)
    pdf.field("Date", "التاريخ", view.row.date.isoformat())
    if view.voids:
        pdf.field("Credits invoice", "إشعار على الفاتورة", view.voids)
    _customer_fields(pdf, party)
    pdf.space()
    pdf.table(
        [("Description", "الوصف"), ("Qty", "الكمية"), ("Unit price", "سعر الوحدة"),
         ("Code", "الرمز"), ("Net", "المبلغ"), ("VAT", "الضريبة"),
         ("Total", "الإجمالي")],
        [(line.description[:40], f"{line.quantity.normalize():f}", f"{line.unit_price:,.2f}",
          line.tax_code, f"{line.net:,.2f}", f"{line.tax:,.2f}", f"{line.net + line.tax:,.2f}")
         for line in view.lines],
        (0.31, 0.08, 0.12, 0.1, 0.13, 0.12, 0.14),
        ("L", "R", "R", "C", "R", "R", "R"),
    )  # fmt: skip
    _totals(pdf, view.row.net, view.row.tax, view.row.total, currency)
    pdf.space()
    pdf.qr(qr_text(session, actor, ref))


def qr_text(session: Session, actor: Actor, ref: str) -> str:
    """The ZATCA QR code's text printed on a posted invoice or credit note."""
    from bo_console.finance.document_models import Document
    from bo_console.finance.documents import find_document, get_document
    from bo_console.finance.vat.qr import encode_tlv

    actor.require("finance.read", "print invoices")
    row = find_document(session, ref, ("invoice", "credit_note"))
    view = get_document(session, actor, row.id or 0)
    document = session.get(Document, row.id)
    assert document is not None
    company = seller(session)
    stamp = (document.posted_at or document.created_at).strftime("%Y-%m-%dT%H:%M:%SZ")
    return encode_tlv(
        company.name, company.vat_number, stamp, f"{view.row.total:.2f}", f"{view.row.tax:.2f}"
    )


_NOTE_REF = re.compile(r"^(CRN|DRN)-\d{4}-\d{5}$", re.IGNORECASE)


def _note(pdf: PdfDocument, session: Session, actor: Actor, ref: str) -> None:
    """A tax credit (or debit) note on part of an invoice: ZATCA asks it to name the invoice
    it adjusts, by number and date, beside what a tax invoice shows."""
    from bo_console.core.money import base_currency
    from bo_console.finance.document_models import Party
    from bo_console.finance.notes import find_note, get_note

    view = get_note(session, actor, ref)
    note = find_note(session, ref)
    company = _tax_seller(session)
    party = session.get(Party, note.party_id)
    assert party is not None
    currency = base_currency(session).code
    credit = note.kind == "sales_credit"
    pdf.heading(
        "Tax credit note" if credit else "Tax debit note",
        "إشعار دائن ضريبي" if credit else "إشعار مدين ضريبي",
    )
    _seller_fields(pdf, company)
    pdf.field("Note number", "رقم الإشعار", view.row.number, bold=True)
    pdf.field("Date", "التاريخ", view.row.date.isoformat())
    pdf.field("Original invoice", "الفاتورة الأصلية", view.row.original, bold=True)
    pdf.field("Invoice date", "تاريخ الفاتورة", view.row.original_date.isoformat())
    if view.row.reason:
        pdf.field("Reason", "السبب", view.row.reason)
    _customer_fields(pdf, party)
    pdf.space()
    pdf.table(
        [("Description", "الوصف"), ("Line", "البند"), ("Qty", "الكمية"), ("Code", "الرمز"),
         ("Net", "المبلغ"), ("VAT", "الضريبة"), ("Total", "الإجمالي")],
        [(line.description[:40], str(line.original_line), f"{line.quantity.normalize():f}",
          line.tax_code, f"{line.net:,.2f}", f"{line.tax:,.2f}", f"{line.net + line.tax:,.2f}")
         for line in view.lines],
        (0.33, 0.07, 0.09, 0.1, 0.14, 0.13, 0.14),
        ("L", "R", "R", "C", "R", "R", "R"),
    )  # fmt: skip
    _totals(pdf, view.row.net, view.row.tax, view.row.total, currency)
    pdf.space()
    pdf.qr(note_qr_text(session, actor, ref))


def note_qr_text(session: Session, actor: Actor, ref: str) -> str:
    """The ZATCA QR code's text printed on a customer's credit or debit note."""
    from bo_console.finance.notes import find_note
    from bo_console.finance.vat.qr import encode_tlv

    actor.require("finance.read", "print invoices")
    note = find_note(session, ref)
    if not note.kind.startswith("sales"):
        raise RuleViolation(f"{note.number} is a supplier's note; only customers' are printed")
    company = seller(session)
    money = _money(session)
    return encode_tlv(
        company.name,
        company.vat_number,
        note.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        f"{money(note.total):.2f}",
        f"{money(note.tax):.2f}",
    )


def _money(session: Session) -> Callable[[int], Decimal]:
    from bo_console.core.money import base_currency

    return base_currency(session).from_minor


def document_pdf(session: Session, actor: Actor, ref: str) -> bytes:
    """A posted invoice or credit note as a bilingual tax invoice PDF with the ZATCA QR code;
    a customer's credit or debit note on part of an invoice (``CRN-``, ``DRN-``) as a tax
    credit (debit) note naming the invoice it adjusts.

    Raises:
        NotFound: no such invoice or credit note.
        RuleViolation: a draft, or the seller's VAT number is not set.
        FontMissing: the PDF font is missing.
    """
    from bo_console.core import settings
    from bo_console.core.pdf import FONT_SETTING, PdfDocument, font_path

    actor.require("finance.read", "print invoices")
    pdf = PdfDocument(font_path(settings.get(session, FONT_SETTING)), title=ref)
    if _NOTE_REF.match(ref.strip()):
        note_qr_text(session, actor, ref)  # refuses a supplier's note
        _note(pdf, session, actor, ref)
    else:
        _document(pdf, session, actor, ref)
    return pdf.output()


@dataclass(frozen=True)
class StatementLine:
    date: date
    ref: str
    memo: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


_STATEMENT = """
    SELECT l.date, COALESCE(e.source_ref, ''), COALESCE(NULLIF(l.memo, ''), e.memo),
           l.debit, l.credit
    FROM fin_line l JOIN fin_entry e ON e.id = l.entry_id
    WHERE l.account_id = :account AND l.party_id = :party AND e.state <> 'draft'
      AND l.date BETWEEN :a AND :b
    ORDER BY l.date, l.entry_id, l.line_no
"""


def _customer(db: Reads, party: str) -> tuple[int, str, str]:
    """(id, name, Arabic name) of the party a statement is for (a code, ``#id`` or a name)."""
    from bo_console.core.reading import reader_of
    from bo_console.finance.parties import party_id_of

    reader = reader_of(db)
    party_id = party_id_of(reader, party)
    found = reader.first("SELECT name, name_ar FROM fin_party WHERE id = :id", {"id": party_id})
    assert found is not None
    return party_id, str(found[0]), str(found[1])


def statement_lines(
    db: Reads, actor: Actor, party: str, date_from: date, date_to: date
) -> tuple[Decimal, list[StatementLine]]:
    """A customer's statement of account: the opening balance and each movement on the
    receivables account over the dates, with the running balance (through a Reader or a
    session)."""
    from bo_console.core.money import base_currency
    from bo_console.core.reading import reader_of
    from bo_console.finance.chart import role_code

    actor.require("finance.read", "print statements")
    reader = reader_of(db)
    customer_id = _customer(reader, party)[0]
    account = reader.scalar(
        "SELECT id FROM fin_account WHERE code = :code", {"code": role_code(reader, "receivables")}
    )
    money = base_currency(reader).from_minor
    args = {"account": account, "party": customer_id}
    opening = int(
        reader.scalar(
            "SELECT COALESCE(SUM(l.debit) - SUM(l.credit), 0) FROM fin_line l "
            "JOIN fin_entry e ON e.id = l.entry_id WHERE l.account_id = :account "
            "AND l.party_id = :party AND e.state <> 'draft' AND l.date < :a",
            {**args, "a": date_from},
        )
    )
    balance = opening
    lines = []
    for day, ref, memo, debit, credit in reader.rows(
        _STATEMENT, {**args, "a": date_from, "b": date_to}
    ):
        balance += int(debit) - int(credit)
        lines.append(
            StatementLine(
                day if isinstance(day, date) else date.fromisoformat(str(day)),
                str(ref),
                str(memo),
                money(int(debit)),
                money(int(credit)),
                money(balance),
            )  # fmt: skip
        )
    return money(opening), lines


def statement_pdf(db: Reads, actor: Actor, party: str, date_from: date, date_to: date) -> bytes:
    """A customer's bilingual statement of account as a PDF (through a Reader or a
    session)."""
    from bo_console.core import settings
    from bo_console.core.money import base_currency
    from bo_console.core.pdf import FONT_SETTING, PdfDocument, font_path

    opening, lines = statement_lines(db, actor, party, date_from, date_to)
    _, name, name_ar = _customer(db, party)
    company = seller(db)
    currency = base_currency(db).code
    pdf = PdfDocument(font_path(settings.get(db, FONT_SETTING)), title="Statement")
    pdf.heading("Statement of account", "كشف حساب")
    pdf.field("Seller", "البائع", company.name)
    if company.vat_number:
        pdf.field("VAT number", "الرقم الضريبي", company.vat_number)
    pdf.field("Customer", "العميل", name)
    if name_ar:
        pdf.field("", "", name_ar)
    pdf.field("Period", "الفترة", f"{date_from} - {date_to}")
    pdf.field("Opening balance", "الرصيد الافتتاحي", f"{opening:,.2f} {currency}")
    pdf.space()
    pdf.table(
        [("Date", "التاريخ"), ("Reference", "المرجع"), ("Details", "البيان"),
         ("Debit", "مدين"), ("Credit", "دائن"), ("Balance", "الرصيد")],
        [(x.date.isoformat(), x.ref, x.memo[:34], f"{x.debit:,.2f}", f"{x.credit:,.2f}",
          f"{x.balance:,.2f}") for x in lines],
        (0.13, 0.17, 0.31, 0.13, 0.13, 0.13),
        ("L", "L", "L", "R", "R", "R"),
    )  # fmt: skip
    closing = lines[-1].balance if lines else opening
    if closing < 0:  # credit notes or payments beyond what is owed: the customer's credit
        pdf.field(
            "Credit on account", "رصيد دائن لصالحكم", f"{-closing:,.2f} {currency}", bold=True
        )
    else:
        pdf.field("Balance due", "الرصيد المستحق", f"{closing:,.2f} {currency}", bold=True)
    return pdf.output()
