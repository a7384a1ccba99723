"""Payslip pages: where each label and figure goes, and drawing many of them quickly.

A run's payslips share their labels (English and Arabic), rules and shading; only the figures,
the names and the note differ. So a page is laid out in two layers: the *template*
(everything that is the same on every payslip with the same lines) and the *values*. Arabic
goes through HarfBuzz shaping and the bidi algorithm in fpdf2's ``cell`` (a few milliseconds a
cell, most of a page's cost); a payslip has about 22 Arabic labels but only one Arabic value,
the employee's name. A chunk of payslips is drawn as one fpdf2 document (one font subset):
each distinct template once, and a page of values per payslip; pikepdf then turns each
template's page into a form XObject, places it under each page of values that uses it and
drops the template pages. Every page stays an ordinary page whose labels and figures are text,
so split into a file of its own it is a self-contained PDF.

Worker processes import this module to draw, so it imports no database code (nor the
``payroll`` package, which does).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bo_console.core.pdf import PdfDocument

PAGE_WIDTH = 210.0
"""A4, in mm."""
MARGIN = 15.0
"""As :class:`bo_console.core.pdf.PdfDocument` (imported lazily, with fpdf2)."""
WIDTH = PAGE_WIDTH - 2 * MARGIN
PROGRESS_STEP = 50
"""Payslips between two progress reports."""
SHADE = 235
"""The grey of the table headings."""

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True)
class SlipLine:
    """One earning or deduction: English and Arabic labels and the amount."""

    english: str
    arabic: str
    amount: Decimal


@dataclass
class PayslipSheet:
    """What one printed payslip shows."""

    run_id: int
    period: str
    employee: str
    name: str
    name_ar: str
    org_unit: str
    currency: str
    days_paid: int
    days_in_period: int
    unpaid_days: str
    iban: str
    earnings: list[SlipLine] = field(default_factory=list)
    deductions: list[SlipLine] = field(default_factory=list)
    total_earnings: Decimal = Decimal(0)
    total_deductions: Decimal = Decimal(0)
    net: Decimal = Decimal(0)
    ytd_gross: Decimal = Decimal(0)
    ytd_employee_si: Decimal = Decimal(0)
    ytd_net: Decimal = Decimal(0)
    note: str = ""


@dataclass(frozen=True)
class Box:
    """Text in a box of the page (mm from the top left), or a bare ruled or shaded box."""

    x: float
    y: float
    w: float
    h: float
    text: str = ""
    align: str = "L"
    size: float = 10
    bold: bool = False
    ruled: bool = False
    shaded: bool = False


@dataclass
class PageLayout:
    """One payslip's page: its template boxes, its value boxes, and the note at the end."""

    template: list[Box] = field(default_factory=list)
    values: list[Box] = field(default_factory=list)
    note: str = ""
    y: float = MARGIN

    def heading(self, english: str, arabic: str) -> None:
        half = WIDTH / 2
        self.template.append(Box(MARGIN, self.y, half, 9, english, "L", 16, True))
        self.template.append(Box(MARGIN + half, self.y, half, 9, arabic, "R", 16, True))
        self.y += 11

    def field(
        self, english: str, arabic: str, value: str, *, bold: bool = False, fixed: bool = False
    ) -> None:
        """``English label   value   Arabic label``; ``fixed``: the value is the same on every
        payslip of the run (the company, the month), so it belongs to the template."""
        third = WIDTH / 3
        if english:
            self.template.append(Box(MARGIN, self.y, third, 6, english, "L", 9))
        if arabic:
            self.template.append(Box(MARGIN + 2 * third, self.y, third, 6, arabic, "R", 9))
        value_box = Box(MARGIN + third, self.y, third, 6, value, "C", 10, bold)
        (self.template if fixed else self.values).append(value_box)
        self.y += 6

    def space(self, mm: float = 3) -> None:
        self.y += mm

    def table(
        self,
        headings: Sequence[tuple[str, str]],
        rows: Sequence[tuple[str, str, str]],
        widths: Sequence[float],
        aligns: Sequence[str],
    ) -> None:
        """A three-column table: two label columns (template) and the amounts (values)."""
        sizes = [WIDTH * w for w in widths]
        xs = [MARGIN + sum(sizes[:i]) for i in range(len(sizes))]
        for (english, arabic), x, size, align in zip(headings, xs, sizes, aligns, strict=True):
            self.template.append(Box(x, self.y, size, 9, ruled=True, shaded=True))
            self.template.append(Box(x, self.y, size, 4.5, english, align, 8, True))
            self.template.append(Box(x, self.y + 4.5, size, 4.5, arabic, align, 8, True))
        self.y += 9
        for row in rows:
            for column, (text, x, size, align) in enumerate(
                zip(row, xs, sizes, aligns, strict=True)
            ):
                self.template.append(Box(x, self.y, size, 6, ruled=True))
                box = Box(x, self.y, size, 6, text, align, 9)
                (self.values if column == len(row) - 1 else self.template).append(box)
            self.y += 6
        self.y += 2


def layout(sheet: PayslipSheet, company: str) -> PageLayout:
    """Where everything on ``sheet``'s page goes."""
    page = PageLayout()
    page.heading("Payslip", "قسيمة الراتب")
    page.field("Company", "المنشأة", company, fixed=True)
    page.field("Month", "الشهر", sheet.period, bold=True, fixed=True)
    page.field("Employee", "الموظف", f"{sheet.employee} {sheet.name}", bold=True)
    if sheet.name_ar:
        page.field("", "", sheet.name_ar)
    page.field("Department", "الإدارة", sheet.org_unit)
    page.field("Days paid", "أيام مدفوعة", f"{sheet.days_paid} / {sheet.days_in_period}")
    if sheet.unpaid_days != "0":
        page.field("Unpaid days", "أيام غير مدفوعة", sheet.unpaid_days)
    if sheet.iban:
        page.field("Paid to", "الحساب", sheet.iban)
    page.space()
    for heading, lines, total in (
        (("Earnings", "المستحقات"), sheet.earnings, sheet.total_earnings),
        (("Deductions", "الاستقطاعات"), sheet.deductions, sheet.total_deductions),
    ):
        page.table(
            [heading, ("", ""), (f"Amount ({sheet.currency})", "المبلغ")],
            [(line.english, line.arabic, f"{line.amount:,.2f}") for line in lines]
            + [("Total", "الإجمالي", f"{total:,.2f}")],
            (0.4, 0.38, 0.22),
            ("L", "R", "R"),
        )
    page.field("Net pay", "صافي الراتب", f"{sheet.net:,.2f} {sheet.currency}", bold=True)
    page.space()
    page.field("Year to date: gross", "منذ بداية السنة: الإجمالي", f"{sheet.ytd_gross:,.2f}")
    page.field("Year to date: GOSI", "منذ بداية السنة: التأمينات", f"{sheet.ytd_employee_si:,.2f}")
    page.field("Year to date: net", "منذ بداية السنة: الصافي", f"{sheet.ytd_net:,.2f}")
    if sheet.note:
        page.space()
        page.note = sheet.note
    return page


def _draw(pdf: PdfDocument, boxes: Sequence[Box]) -> None:
    for box in boxes:
        if box.ruled:
            pdf.pdf.set_fill_color(SHADE, SHADE, SHADE)
            pdf.pdf.rect(box.x, box.y, box.w, box.h, style="DF" if box.shaded else "D")
        if box.text:
            pdf.place(box.x, box.y, box.w, box.h, box.text, box.align, size=box.size, bold=box.bold)


def draw(
    sheets: Sequence[PayslipSheet],
    font: Path,
    company: str,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """``sheets`` as one PDF, a page each; ``progress`` hears (pages drawn, pages)."""
    import pikepdf

    from bo_console.core.pdf import PdfDocument

    title = f"Payslips {sheets[0].period}" if sheets else "Payslips"
    # One fpdf2 document (one font subset) holds each template's page before the first page
    # that uses it; pikepdf then turns those pages into form XObjects under their users.
    pdf = PdfDocument(font, title=title)
    # A page per payslip whatever its note's length: the pages map to templates by number.
    pdf.pdf.set_auto_page_break(auto=False)
    pages = 0
    templates: dict[tuple[Box, ...], int] = {}
    uses: list[tuple[int, int]] = []  # (page of figures, page of its template)

    def new_page() -> int:
        nonlocal pages
        if pages:
            pdf.new_page()
        pages += 1
        return pages - 1

    for done, sheet in enumerate(sheets, start=1):
        page = layout(sheet, company)
        key = tuple(page.template)
        if key not in templates:
            templates[key] = new_page()
            _draw(pdf, key)
        uses.append((new_page(), templates[key]))
        _draw(pdf, page.values)
        if page.note:
            pdf.pdf.set_xy(MARGIN, page.y)
            pdf.text(page.note, size=8)
        if progress is not None and (done % PROGRESS_STEP == 0 or done == len(sheets)):
            progress(done, len(sheets))
    with pikepdf.open(io.BytesIO(pdf.output())) as document:
        forms = {
            index: document.make_indirect(document.pages[index].as_form_xobject())
            for index in templates.values()
        }
        for index, template in uses:
            document.pages[index].add_underlay(forms[template], None)  # None: the whole page
        for index in sorted(forms, reverse=True):
            del document.pages[index]
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


def split_pages(data: bytes) -> list[bytes]:
    """Each page of a PDF as a PDF of its own (the fonts and forms it uses copied into it)."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(data)
    try:
        pages = []
        for index in range(len(source)):
            page = pdfium.PdfDocument.new()
            try:
                page.import_pages(source, pages=[index])
                buffer = io.BytesIO()
                page.save(buffer)
                pages.append(buffer.getvalue())
            finally:
                page.close()
        return pages
    finally:
        source.close()


@dataclass(frozen=True)
class ChunkJob:
    """A chunk of payslips for a worker process: one PDF (``split`` False) or a PDF each."""

    sheets: list[PayslipSheet]
    font: str
    company: str
    split: bool


def draw_chunk(job: ChunkJob) -> list[bytes]:
    """The chunk's PDF, or (``job.split``) its pages as PDFs of their own."""
    data = draw(job.sheets, Path(job.font), job.company)
    return split_pages(data) if job.split else [data]
