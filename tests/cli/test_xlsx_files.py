"""XLSX files open in a spreadsheet: a well-formed package with the same cells as the CSV,
number formats, column widths and a frozen header; checked with openpyxl everywhere, and by
a headless LibreOffice conversion where one is installed."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from bo_console.core.db import Store
from tests.cli.conftest import Bo


def test_xlsx_has_formats_widths_and_a_frozen_header(tmp_path: Path) -> None:
    from datetime import date
    from decimal import Decimal

    from openpyxl import load_workbook

    from bo_console.core import io

    path = tmp_path / "x.xlsx"
    rows = [
        {"name": "Cash on hand", "amount": Decimal("40000.00"), "day": date(2026, 11, 30)},
        {"name": "Bank", "amount": Decimal("-12.50"), "day": date(2026, 12, 1)},
    ]
    io.write_file(rows, ["name", "amount", "day"], path, "xlsx")
    sheet = load_workbook(path)["data"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width >= len("Cash on hand")


def test_a_report_xlsx_is_a_sound_workbook_that_spreadsheets_open(
    bo: Bo, store: Store, tmp_path: Path
) -> None:
    """The trial balance as XLSX, checked without LibreOffice: a well-formed package that
    openpyxl reads, the same cells as the CSV, numbers as numbers with grouped formats, a bold
    frozen header and columns as wide as their text. Where LibreOffice is installed, it also
    converts the file headlessly to the same CSV."""
    import csv
    import io
    from decimal import Decimal
    from xml.etree import ElementTree

    from openpyxl import load_workbook

    code, _, err = bo(
        "finance", "journal", "add", "-d", "2026-11-03", "-m", "Office rent",
        "-l", "6200:1234567.5:", "-l", "1110::1234567.5", "--post", "--yes",
    )  # fmt: skip
    assert code == 0, err
    book = tmp_path / "tb.xlsx"
    report = ["finance", "report", "trial-balance", "--as-of", "2026-11-30"]
    assert bo(*report, "-o", str(book))[0] == 0
    code, text, _ = bo(*report, "-f", "csv")
    expected = list(csv.reader(io.StringIO(text)))
    assert expected[0] == ["code", "account", "type", "debit", "credit", "balance"]
    assert len(expected) == 3

    with zipfile.ZipFile(book) as package:
        assert package.testzip() is None
        parts = set(package.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/styles.xml"} <= parts
        for part in parts:
            if part.endswith((".xml", ".rels")):
                ElementTree.fromstring(package.read(part))  # well-formed, or it raises

    sheet = load_workbook(book)["data"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == expected[0]
    for got, want in zip(rows[1:], expected[1:], strict=True):
        assert got[:3] == want[:3]
        assert [Decimal(str(v)) for v in got[3:]] == [Decimal(v) for v in want[3:]]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    for cell in sheet[2][3:]:
        assert isinstance(cell.value, int | float) and cell.number_format == "#,##0.00"
    for column, title in zip("ABCDEF", expected[0], strict=True):
        longest = max(len(title), *(len(r[" ABCDEF".index(column) - 1]) for r in expected[1:]))
        assert (sheet.column_dimensions[column].width or 0) >= min(60, longest)

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return
    subprocess.run(
        [office, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(book)],
        capture_output=True,
        check=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    converted = (tmp_path / "tb.csv").read_text(encoding="utf-8", errors="replace")
    assert converted.splitlines()[0].startswith("code,account")
    assert "Rent" in converted
