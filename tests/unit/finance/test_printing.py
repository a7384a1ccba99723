"""Printed tax invoices and statements: the PDF renders to a non-empty page with the invoice's
text, its QR code's TLV records round-trip, Arabic is shaped (joined glyphs), and a missing
font or VAT number is a one-line refusal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bo_console.core.db import Store
from bo_console.core.errors import RuleViolation, ValidationFailed
from bo_console.core.pdf import DEFAULT_FONT, FontMissing, font_path, glyph_ids
from bo_console.finance import printing
from bo_console.finance.vat.qr import decode_tlv, encode_tlv
from tests.unit.finance.conftest import Team
from tests.unit.finance.documents_helpers import GLOVES, add_parties, doc, pay

VAT_NUMBER = "310122393500003"


@pytest.fixture
def books(store: Store, team: Team) -> Store:
    with store.write() as session:
        add_parties(session, team.clerk)
        printing.set_seller(
            session, team.manager, vat_number=VAT_NUMBER, name_ar="شركة الاختبار",
            address="Riyadh",
        )  # fmt: skip
    return store


def _page(data: bytes) -> tuple[str, int]:
    """The first page's text and how many of its pixels are dark."""
    pdf = pdfium.PdfDocument(data)
    page = pdf[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=1).to_pil().convert("L")
    dark = image.histogram()[:128]  # pixels per grey level; the first half are dark
    return text, sum(dark)


def test_the_zatca_tlv_records_round_trip() -> None:
    # ZATCA's published example of the five fields and its base64.
    text = encode_tlv("Bobs Records", VAT_NUMBER, "2022-04-25T15:30:00Z", "1000.00", "150.00")
    assert text == (
        "AQxCb2JzIFJlY29yZHMCDzMxMDEyMjM5MzUwMDAwMwMUMjAyMi0wNC0yNVQxNTozMDowMFoEBzEwMDAuMDAFBjE1"
        "MC4wMA=="
    )
    arabic = encode_tlv("شركة", VAT_NUMBER, "2026-03-10T09:00:00Z", "523.25", "68.25")
    assert decode_tlv(arabic)["seller"] == "شركة"
    with pytest.raises(ValidationFailed, match="runs past the end"):
        decode_tlv("AQxCb2Jz")


def test_arabic_is_shaped() -> None:
    font = font_path()
    word = "فاتورة ضريبية"
    assert glyph_ids(word, font) != glyph_ids(word, font, shaped=False)
    # Latin text needs no shaping in this font: the same glyphs either way.
    assert glyph_ids("Invoice", font) == glyph_ids("Invoice", font, shaped=False)


def test_a_tax_invoice_pdf(books: Store, team: Team) -> None:
    with books.write() as session:
        invoice = doc(session, team.clerk, lines=[GLOVES, ("قفازات", 2_000, 1_000, "Z")])
        data = printing.document_pdf(session, team.auditor, invoice.number or "")
        qr = decode_tlv(printing.qr_text(session, team.auditor, invoice.number or ""))
    assert data.startswith(b"%PDF")
    text, dark = _page(data)
    assert dark > 5_000  # text, table rules and the QR code's modules
    for shown in ("Tax invoice", invoice.number or "?", VAT_NUMBER, "Al Safa Hospital", "523.25"):
        assert shown in text
    assert (qr["vat_number"], qr["total"], qr["vat"]) == (VAT_NUMBER, "543.25", "68.25")
    assert qr["seller"] == "Test Co" and qr["timestamp"].endswith("Z")


def test_refusals(books: Store, team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    with books.write() as session:
        draft = doc(session, team.clerk, post=False)
        with pytest.raises(RuleViolation, match="is a draft"):
            printing.document_pdf(session, team.clerk, draft.ref)
        with pytest.raises(ValidationFailed, match="15 digits"):
            printing.set_seller(session, team.manager, vat_number="12345")
    monkeypatch.setenv("BO_PDF_FONT", "/nowhere/font.ttf")
    with pytest.raises(FontMissing, match=r"font /nowhere/font.ttf not found: .* set pdf.font"):
        font_path()
    assert Path(DEFAULT_FONT).name == "DejaVuSans.ttf"


def test_a_customer_statement(books: Store, team: Team) -> None:
    with books.write() as session:
        doc(session, team.clerk, day=date(2026, 3, 10))  # 523.25
        pay(session, team.clerk, 20_000, ("INV-2026-00001", None), day=date(2026, 3, 20))
        opening, lines = printing.statement_lines(
            session, team.auditor, "C1", date(2026, 3, 1), date(2026, 3, 31)
        )
        data = printing.statement_pdf(
            session, team.auditor, "C1", date(2026, 3, 1), date(2026, 3, 31)
        )
    assert opening == 0
    assert [(x.debit, x.credit, x.balance) for x in lines] == [
        (Decimal("523.25"), 0, Decimal("523.25")),
        (0, Decimal("200.00"), Decimal("323.25")),
    ]
    text, dark = _page(data)
    assert "Statement of account" in text and "323.25" in text and dark > 1_000


def test_a_tax_credit_note_names_its_invoice_and_carries_the_qr(books: Store, team: Team) -> None:
    from bo_console.finance import notes
    from bo_console.finance.note_models import NoteCreate, NoteLineCreate

    with books.write() as session:
        invoice = doc(session, team.clerk)
        pay(session, team.clerk, 52_325, (invoice.ref, None))
        note = notes.issue_note(
            session,
            team.clerk,
            NoteCreate(
                kind="credit",
                original=invoice.ref,
                date=date(2026, 3, 25),
                reason="2 boxes returned",
                lines=[NoteLineCreate(line=1, quantity=2_000)],
            ),
        )
        data = printing.document_pdf(session, team.auditor, note.number)
        qr = decode_tlv(printing.note_qr_text(session, team.auditor, note.number))
        _, lines = printing.statement_lines(
            session, team.auditor, "C1", date(2026, 3, 1), date(2026, 3, 31)
        )
        statement = printing.statement_pdf(
            session, team.auditor, "C1", date(2026, 3, 1), date(2026, 3, 31)
        )
    text, dark = _page(data)
    assert dark > 5_000
    for shown in ("Tax credit note", note.number, invoice.number or "?", "2026-03-10", "104.65"):
        assert shown in text
    assert (qr["vat_number"], qr["total"], qr["vat"]) == (VAT_NUMBER, "104.65", "13.65")
    # the statement shows the note and ends with the customer's credit on account
    assert [x.ref for x in lines][-1] == note.number and lines[-1].balance == Decimal("-104.65")
    text, _ = _page(statement)
    assert "Credit on account" in text and "104.65" in text
