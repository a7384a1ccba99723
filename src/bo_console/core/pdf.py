"""Printable PDF documents with bilingual (Arabic and English) text: fonts, headings, label
and value lines, tables and a QR code. Knows no department; finance prints tax invoices and
statements with it, payroll can print payslips.

Arabic is shaped (letters joined, lam-alef ligatures) by HarfBuzz through fpdf2's text
shaping and laid out right to left by fpdf2's bidi algorithm, so the text is stored in
logical order and shown in visual order. The font must cover Arabic: DejaVu Sans (Debian's
``fonts-dejavu-core``) is the default; the ``pdf.font`` setting (or ``BO_PDF_FONT``) names
another TrueType file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bo_console.core.errors import BoError

if TYPE_CHECKING:
    from fpdf import FPDF

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
"""Hebrew, Arabic and their presentation forms: text that needs shaping and bidi."""

FONT_SETTING = "pdf.font"
FONT_ENV = "BO_PDF_FONT"
DEFAULT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
"""Where Debian and Ubuntu's fonts-dejavu-core put DejaVu Sans."""


class FontMissing(BoError):
    """The font for PDF output is not there."""

    title = "Font missing"


def font_path(configured: str = "") -> Path:
    """The TrueType font to write with: ``configured`` (the ``pdf.font`` setting), else
    ``BO_PDF_FONT``, else DejaVu Sans.

    Raises:
        FontMissing: the file does not exist (one line naming the setting).
    """
    chosen = configured or os.environ.get(FONT_ENV, "") or DEFAULT_FONT
    path = Path(chosen).expanduser()
    if not path.is_file():
        raise FontMissing(
            f"PDF font {path} not found: install fonts-dejavu-core or set {FONT_SETTING} "
            f"(bo settings) or {FONT_ENV} to a TrueType font that covers Arabic"
        )
    return path


def _bold_of(path: Path) -> Path | None:
    bold = path.with_name(path.stem + "-Bold" + path.suffix)
    return bold if bold.is_file() else None


class PdfDocument:
    """An A4 page flow: headings, bilingual label lines, tables, a QR code; ``output()``
    gives the bytes."""

    MARGIN = 15.0

    def __init__(self, font: Path, *, title: str = "") -> None:
        from fpdf import FPDF

        self.pdf: FPDF = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_margins(self.MARGIN, self.MARGIN, self.MARGIN)
        self.pdf.set_auto_page_break(auto=True, margin=self.MARGIN)
        self.pdf.add_font("body", "", str(font))
        bold = _bold_of(font)
        self.pdf.add_font("body", "B", str(bold or font))
        self.pdf.set_text_shaping(use_shaping_engine=True)
        self._shaped = True
        if title:
            self.pdf.set_title(title)
        self.pdf.set_creator("bo-console")
        self.pdf.add_page()
        self.pdf.set_font("body", size=10)

    def _shaping(self, text: str) -> None:
        """Shape (HarfBuzz and the bidi algorithm) only text that has right-to-left letters:
        Latin text and figures look the same either way in the fonts used (see
        :func:`glyph_ids`), and shaping every cell makes a thousand-page run of payslips
        several times slower."""
        wanted = _RTL.search(text) is not None
        if wanted != self._shaped:
            self.pdf.set_text_shaping(use_shaping_engine=wanted)
            self._shaped = wanted

    def _cell(self, x: float, y: float, w: float, h: float, text: str, align: str) -> None:
        """``text`` in the box (x, y, w, h) as ``cell`` places it, without a border. Text
        without right-to-left letters needs no shaping nor bidi, and fpdf2's ``text`` draws it
        at a fraction of ``cell``'s cost (line layout, fragments) - most of a payslip's
        cells."""
        if _RTL.search(text) is not None:
            self._shaping(text)
            self.pdf.set_xy(x, y)
            self.pdf.cell(w, h, text, align=align)
            return
        if not text:
            return
        self._shaping(text)
        if align == "L":
            dx = self.pdf.c_margin
        else:
            used = self.pdf.get_string_width(text)
            dx = w - self.pdf.c_margin - used if align == "R" else (w - used) / 2
        self.pdf.text(x + dx, y + 0.5 * h + 0.3 * self.pdf.font_size, text)

    def place(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        align: str = "L",
        *,
        size: float = 10,
        bold: bool = False,
    ) -> None:
        """``text`` in the box (x, y, w, h) in mm, aligned ``L``, ``C`` or ``R``; for
        documents laid out in advance (where every box is known)."""
        self.pdf.set_font("body", "B" if bold else "", size)
        self._cell(x, y, w, h, text, align)

    @property
    def width(self) -> float:
        """The width between the margins (mm)."""
        return float(self.pdf.epw)

    def heading(self, english: str, arabic: str, size: int = 16) -> None:
        """A title: English on the left, Arabic on the right, on one line."""
        self.pdf.set_font("body", "B", size)
        y = self.pdf.get_y()
        half = self.width / 2
        self._cell(self.MARGIN, y, half, 9, english, "L")
        self._cell(self.MARGIN + half, y, half, 9, arabic, "R")
        self.pdf.set_xy(self.MARGIN, y + 9)
        self.pdf.set_font("body", "", 10)
        self.pdf.ln(2)

    def field(self, english: str, arabic: str, value: str, *, bold: bool = False) -> None:
        """``English label   value   Arabic label`` on one line."""
        third = self.width / 3
        y = self.pdf.get_y()
        self.pdf.set_font("body", "", 9)
        self._cell(self.MARGIN, y, third, 6, english, "L")
        self._cell(self.MARGIN + 2 * third, y, third, 6, arabic, "R")
        self.pdf.set_font("body", "B" if bold else "", 10)
        self._cell(self.MARGIN + third, y, third, 6, value, "C")
        self.pdf.set_font("body", "", 10)
        self.pdf.set_xy(self.MARGIN, y + 6)

    def text(self, value: str, *, align: str = "L", size: int = 10) -> None:
        """A line of text (wraps)."""
        self.pdf.set_font("body", "", size)
        self._shaping(value)
        self.pdf.multi_cell(self.width, 5, value, align=align, new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("body", "", 10)

    def new_page(self) -> None:
        """Start a new page (one document per page, as payslips are)."""
        self.pdf.add_page()
        self.pdf.set_font("body", size=10)

    def space(self, mm: float = 3) -> None:
        self.pdf.ln(mm)

    def table(
        self,
        headings: Sequence[tuple[str, str]],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        aligns: Sequence[str],
    ) -> None:
        """A table whose headings are (English, Arabic) pairs; ``widths`` are fractions of
        the page width; ``aligns`` ``L``, ``C`` or ``R`` per column."""
        sizes = [self.width * w for w in widths]
        self.pdf.set_font("body", "B", 8)
        self.pdf.set_fill_color(235, 235, 235)
        y = self.pdf.get_y()
        x = self.MARGIN
        # Two cells, not one two-line multi_cell: line breaking and shaping the English
        # with the Arabic costs several times more, on every page of a payroll's payslips.
        for (english, arabic), size, align in zip(headings, sizes, aligns, strict=True):
            self.pdf.set_xy(x, y)
            self._shaping(english)
            self.pdf.cell(size, 4.5, english, border="LTR", align=align, fill=True)
            self.pdf.set_xy(x, y + 4.5)
            self._shaping(arabic)
            self.pdf.cell(size, 4.5, arabic, border="LBR", align=align, fill=True)
            x += size
        self.pdf.set_xy(self.MARGIN, y + 9)
        self.pdf.set_font("body", "", 9)
        for row in rows:
            y = self.pdf.get_y()
            x = self.MARGIN
            for cell, size, align in zip(row, sizes, aligns, strict=True):
                self.pdf.rect(x, y, size, 6)
                self._cell(x, y, size, 6, cell, align)
                x += size
            self.pdf.set_xy(self.MARGIN, y + 6)
        self.pdf.set_font("body", "", 10)
        self.space(2)

    def qr(self, data: str, size_mm: float = 35) -> None:
        """A QR code of ``data`` (error correction M), at the right margin."""
        import io

        import segno

        code = segno.make_qr(data, error="m")
        image = io.BytesIO()
        code.save(image, kind="png", scale=8, border=2)
        image.seek(0)
        self.pdf.image(image, x=self.MARGIN + self.width - size_mm, w=size_mm, h=size_mm)

    def output(self) -> bytes:
        """The PDF file's bytes."""
        return bytes(self.pdf.output())


def glyph_ids(text: str, font: Path, *, shaped: bool = True) -> list[int]:
    """The glyphs ``text`` is drawn with: HarfBuzz's shaping, or (``shaped`` False) each
    character's own glyph from the font's character map, as a writer without shaping would
    use. For checks that Arabic is joined."""
    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(str(font))
    face = hb.Face(blob)
    hb_font = hb.Font(face)
    if not shaped:
        return [hb_font.get_nominal_glyph(ord(c)) or 0 for c in text]
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(hb_font, buffer, {})
    return [info.codepoint for info in buffer.glyph_infos]
